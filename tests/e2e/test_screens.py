"""Every citizen screen and follow-up, in portrait (800x1280) and landscape (1280x800), Thai and
English, normal and large text, in one Chromium: axe-core finds no violation of any impact, no
screen is wider than the viewport, and no button is cut (off the screen, under another element,
or too small for its own label). The duty panel and the admin pages get the same axe audit."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.paths import ROOT, screenshot_path
from tests.helpers.servers import LiveKiosk, station_settings

pytestmark = pytest.mark.e2e

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
ORIENTATIONS = {"portrait": {"width": 800, "height": 1280}, "landscape": {"width": 1280, "height": 800}}
CITIZEN_SCREENS = [
    ("home", "/home"),
    ("manual", "/manual"),
    ("situation", "/manual/situation/lost"),
    ("service", "/manual/lost-documents"),
    ("service with an online code", "/manual/online-fraud"),
    ("redirect service", "/manual/lost-id-card"),
    ("policy", "/policy"),
    ("e-services", "/eservices"),
    ("about", "/about"),
    ("EIT", "/eit"),
    ("EIT QR", "/eit/qr/traffic"),
    ("case progress", "/case-progress"),
    ("satisfaction", "/satisfaction"),
    ("error 404", "/manual/no-such-service"),
]
FOLLOW_UPS = ["aspects", "reasons", "comment"]
STAFF_SCREENS = [
    ("admin login", "/admin/login"),
    ("dashboard", "/admin"),
    ("comments", "/admin/comments"),
    ("posters", "/admin/posters"),
    ("content editor", "/admin/content"),
    ("content edit", "/admin/content/edit/services/bail.toml"),
    ("content history", "/admin/content/history"),
    ("setup", "/admin/setup"),
    ("duty PIN pad", "/duty"),
    ("duty panel", "/duty"),
]

AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""

# What a user would notice: the page scrolls sideways, or a target is cut. Each target is
# brought to the middle of its scroller, as a finger would, then must lie inside the window,
# be what a tap at its corners reaches, and be large enough for its own label.
GEOMETRY = """() => {
    const problems = [];
    const width = window.innerWidth, height = window.innerHeight;
    if (document.documentElement.scrollWidth > width + 1) {
        problems.push('page ' + document.documentElement.scrollWidth + ' px wide in ' + width);
    }
    for (const el of document.querySelectorAll('#app *')) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > width + 1 && !el.closest('.slide')) {
            problems.push('wider than the screen: ' + el.tagName.toLowerCase() + '.' + el.classList[0]);
            break;
        }
    }
    const targets = document.querySelectorAll(
        'button, .button, .control, .choice, .tile, .aspect-face, .chip > span, .situation, .service-link, .attract-cta');
    for (const el of targets) {
        const style = getComputedStyle(el);
        if (!el.getClientRects().length || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
        if (el.closest('details:not([open]) > :not(summary)')) continue;  // folded away: not on screen
        const name = (el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' "' +
                      (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 24) + '"');
        el.scrollIntoView({block: 'center', inline: 'center'});
        const box = el.getBoundingClientRect();
        if (box.left < -1 || box.top < -1 || box.right > width + 1 || box.bottom > height + 1) {
            problems.push('cut by the screen edge: ' + name);
            continue;
        }
        // Sampled on the middle line, a half-height in from each end: inside a pill's round ends too.
        const inset = Math.min(box.width, box.height) / 2, middle = box.top + box.height / 2;
        for (const [x, y] of [[box.left + inset, middle], [box.right - inset, middle]]) {
            const hit = document.elementFromPoint(x, y);
            // "More below" floats over the screen until its end, then goes (on the scroll event,
            // after this synchronous check): what it covers is one scroll away, not lost.
            if (hit && hit.closest('[data-more-below]')) continue;
            if (hit && hit !== el && !el.contains(hit) && !hit.contains(el)) {
                problems.push('covered by ' + hit.tagName.toLowerCase() + '.' + hit.classList[0] + ': ' + name);
                break;
            }
        }
        if (el.scrollWidth > el.clientWidth + 2 || el.scrollHeight > el.clientHeight + 2) {
            problems.push('label larger than its button: ' + name);
        }
    }
    const screen = document.querySelector('#screen');
    if (screen) screen.scrollTop = 0;
    return problems;
}"""


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    """A station past its setup, so that the dashboard shows its figures."""
    root = tmp_path_factory.mktemp("screens")
    kiosk = LiveKiosk(root / "data", station_settings(root))
    yield kiosk
    kiosk.stop()


@pytest.fixture(scope="module")
def axe_script():
    return AXE.read_text(encoding="utf-8")


def audit(page, script, checks_geometry=True):
    """axe-core's violations on the page as shown, then what a user would see cut."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(content=script)
    found = page.evaluate(AXE_RUN)
    if checks_geometry:
        found += page.evaluate(GEOMETRY)
    return found


def open_screen(page, path):
    """As a tap does on the kiosk: htmx swaps the screen in (and axe stays loaded)."""
    page.evaluate(
        "path => htmx.ajax('GET', path, {target: '#app', swap: 'innerHTML'})"
        ".then(() => new Promise(requestAnimationFrame))",
        path,
    )


@pytest.mark.parametrize("text", ["normal", "large"])
@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_every_citizen_screen_passes_axe_and_fits(browser, kiosk, axe_script, orientation, lang, text):
    context = browser.new_context(viewport=ORIENTATIONS[orientation], has_touch=True, bypass_csp=True)
    page = context.new_page()
    failures = {}
    if lang == "th" and text == "normal":  # the start screen is bilingual, at one size
        page.goto(kiosk.url + "/")
        failures["attract"] = audit(page, axe_script)
    page.goto(f"{kiosk.url}/home?lang={lang}&text={text}")
    for name, path in CITIZEN_SCREENS:
        open_screen(page, path)
        failures[name] = audit(page, axe_script)
    open_screen(page, "/home")
    page.locator(".faces button[value='4']").click()
    page.wait_for_selector("[data-screen=feedback-unit]")
    failures["unit"] = audit(page, axe_script)
    answer_id = page.locator("form.followup-form").get_attribute("action").split("/")[2]
    for step in FOLLOW_UPS:
        open_screen(page, f"/satisfaction/{answer_id}/{step}")
        failures[step] = audit(page, axe_script)
    open_screen(page, "/satisfaction/thanks")
    failures["thanks"] = audit(page, axe_script)
    context.close()
    report = "\n".join(f"{name}: {problem}" for name, found in failures.items() for problem in found)
    if report:
        pytest.fail(report, pytrace=False)


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_duty_and_admin_pages_pass_axe(browser, kiosk, axe_script, orientation, lang):
    context = browser.new_context(viewport=ORIENTATIONS[orientation], has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{kiosk.url}/home?lang={lang}")
    failures = {}
    for name, path in STAFF_SCREENS:
        if name == "dashboard":
            page.fill("#password", TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
            page.locator("form button[type=submit]").first.click()
            page.wait_for_url(re.compile("/admin$"))
        if name == "duty panel":
            page.fill("#pin", TEST_SECRETS["KIOSK_DUTY_PIN"])
            page.locator(".pin-ok").click()
            page.wait_for_selector("[data-screen=duty-panel], .duty-actions")
        else:
            page.goto(kiosk.url + path)
        failures[name] = audit(page, axe_script, checks_geometry=False)
    context.close()
    report = "\n".join(f"{name}: {problem}" for name, found in failures.items() for problem in found)
    if report:
        pytest.fail(report, pytrace=False)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_home_faces_in_reach_and_the_readme_pictures(browser, kiosk, orientation, tmp_path):
    """Home's faces are on the first screen at both text sizes, in the lower third in portrait;
    the README's pictures of home and the follow-ups are taken on the way (UPDATE_DOCS=1)."""
    size = ORIENTATIONS[orientation]
    context = browser.new_context(viewport=size, has_touch=True)
    page = context.new_page()
    for text in ("large", "normal"):
        page.goto(f"{kiosk.url}/home?text={text}")
        for face in page.locator(".faces .face-button").all():
            box = face.bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], (text, box)
            assert box["height"] >= 80, (text, box)
            if orientation == "portrait":
                assert box["y"] + box["height"] / 2 >= size["height"] * 2 / 3, (text, box)
        # Home is one screen: nothing below the faces, so no "more below" cue floats over them;
        # the take-home code sits in the tiles' free cell.
        assert page.locator("#screen").evaluate("el => el.scrollHeight <= el.clientHeight"), text
        expect(page.locator(".tiles .phone-qr-code")).to_be_visible()
        expect(page.locator("[data-more-below]")).to_have_count(0)
    page.screenshot(path=screenshot_path(f"kiosk-{orientation}-home.png", tmp_path))
    page.locator(".faces button[value='4']").click()
    page.wait_for_selector("[data-screen=feedback-unit]")
    page.screenshot(path=screenshot_path(f"kiosk-{orientation}-unit.png", tmp_path))
    answer_id = page.locator("form.followup-form").get_attribute("action").split("/")[2]
    for step in ("aspects", "comment"):
        page.goto(f"{kiosk.url}/satisfaction/{answer_id}/{step}")
        page.screenshot(path=screenshot_path(f"kiosk-{orientation}-{step}.png", tmp_path))
    # The question stays in view after a tap on the last aspect's last face.
    page.goto(f"{kiosk.url}/satisfaction/{answer_id}/aspects")
    page.locator(".aspect").last.locator(".aspect-face").last.tap()
    title = page.locator(".followup-head .screen-title").bounding_box()
    assert title["y"] >= 0 and title["y"] + title["height"] <= size["height"]
    context.close()
