"""The staff pages' top bar (admin, duty officer) on a phone, a portrait kiosk screen and a
landscape one: the station's name stays readable beside its logo, every control is on the
screen, none covers the name or another, each at least 44 px. (In portrait the bar kept the
citizen's one-row rule: the admin's eight controls ran off the screen, over a name squeezed to
one syllable a line.)"""

import pytest

from tests.helpers.staff import enter_pin, sign_in_admin

pytestmark = pytest.mark.e2e
SIZES = [(390, 844), (800, 1280), (1280, 800)]

BAR = """() => {
    const box = (el) => el.getBoundingClientRect();
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const name = box(document.querySelector('.staffbar .brand-name'));
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('.staffbar .brand-name strong'));
    const nameLines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    const controls = [...document.querySelectorAll('.staffbar .topbar-controls .control')].map(box);
    return {
        pageWidth: document.documentElement.scrollWidth,
        nameLines,
        offScreen: controls.filter((c) => c.left < 0 || c.right > innerWidth).length,
        overName: controls.filter((c) => overlaps(c, name)).length,
        overEachOther: controls.filter((c, i) => controls.some((d, j) => j > i && overlaps(c, d))).length,
        smallest: Math.min(...controls.map((c) => Math.min(c.width, c.height))),
        count: controls.length,
    };
}"""


@pytest.mark.parametrize("width,height", SIZES)
def test_the_staff_bars_fit_every_screen(browser, start_kiosk, width, height):
    kiosk = start_kiosk("")  # a station's kiosk (settings file): the admin pages open
    page = browser.new_page(viewport={"width": width, "height": height}, has_touch=True)
    sign_in_admin(page, kiosk.url)
    duty = browser.new_page(viewport={"width": width, "height": height}, has_touch=True)
    duty.goto(kiosk.url + "/duty")
    enter_pin(duty)
    duty.wait_for_selector(".duty-actions")
    for shown, where in ((page, "admin, Thai"), (duty, "duty panel")):
        bar = shown.evaluate(BAR)
        assert bar["count"] >= 1, where
        assert bar["pageWidth"] <= width, (where, bar)
        assert bar["offScreen"] == 0 and bar["overName"] == 0 and bar["overEachOther"] == 0, (where, bar)
        assert bar["nameLines"] <= 2, (where, bar)  # not squeezed into a column of syllables
        assert bar["smallest"] >= 44, (where, bar)
    page.goto(kiosk.url + "/admin?lang=en")
    bar = page.evaluate(BAR)
    assert bar["pageWidth"] <= width and bar["offScreen"] == 0 and bar["overName"] == 0, ("admin, English", bar)
    page.close()
    duty.close()
