"""A citizen at the touchscreen, in headless Chromium against the real waitress server."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.touch import tap

pytestmark = pytest.mark.e2e


def record_requests(page):
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def test_start_screen_then_a_tap_opens_home(page, live_kiosk):
    requests = record_requests(page)
    page.goto(live_kiosk.url + "/")
    expect(page.get_by_role("heading", name="สถานีตำรวจภูธรจังหาร")).to_be_visible()
    expect(page.get_by_text("แตะเพื่อเริ่ม")).to_be_visible()
    expect(page.locator("[data-clock]")).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))
    tap(page, ".slides")  # a finger on the slides: the whole screen is the link
    expect(page.get_by_role("heading", name="ต้องการรับบริการเรื่องใด")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("คู่มือการให้บริการ"))).to_be_visible()
    # Home was swapped in by htmx, not loaded as a new page: no history to get lost in.
    assert page.url == live_kiosk.url + "/"
    assert all(url.startswith(live_kiosk.url + "/") for url in requests), requests


def test_english_and_back_to_thai(page, live_kiosk):
    page.goto(live_kiosk.url + "/home")
    page.get_by_role("link", name="English").tap()
    expect(page.get_by_role("heading", name="How can we help you?")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for name in ["Very satisfied", "Satisfied", "Neutral", "Dissatisfied", "Very dissatisfied"]:
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    # The choice holds on the next screen of the same visit.
    page.get_by_role("link", name=re.compile("^Service manual")).tap()
    expect(page.get_by_role("heading", name="Service manual")).to_be_visible()
    page.get_by_role("link", name="ไทย").tap()
    expect(page.get_by_role("heading", name="คู่มือการให้บริการ")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "th")


def test_large_text_control_makes_text_bigger(page, live_kiosk):
    page.goto(live_kiosk.url + "/home")
    title = page.get_by_role("heading", name="ต้องการรับบริการเรื่องใด")
    before = title.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    page.get_by_role("button", name=re.compile("ตัวอักษรใหญ่")).tap()
    expect(page.get_by_role("button", name=re.compile("ตัวอักษรใหญ่"))).to_have_attribute("aria-pressed", "true")
    after = title.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert after >= before * 1.25


def test_every_target_is_at_least_64_px(page, live_kiosk):
    for width, height in [(1920, 1080), (1080, 1920)]:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_kiosk.url + "/home")
        sizes = page.eval_on_selector_all(
            "a, button",
            "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().width, e.getBoundingClientRect().height])",
        )
        small = [s for s in sizes if s[1] < 64 or s[2] < 64]
        assert sizes and not small, small
        # Everything fits across: no horizontal scrolling on either orientation.
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_thai_font_is_served_locally_and_used(page, live_kiosk):
    requests = record_requests(page)
    page.goto(live_kiosk.url + "/home")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('700 24px Sarabun', 'ต้องการ')")
    assert any("/static/fonts/sarabun/sarabun-thai" in url for url in requests)
    assert all(url.startswith(live_kiosk.url + "/") for url in requests), requests


def test_idle_timeout_returns_to_the_start_screen_in_thai(page, start_kiosk):
    kiosk = start_kiosk("[kiosk]\nidle_seconds = 2\n")
    requests = record_requests(page)
    page.goto(kiosk.url + "/home")
    page.get_by_role("link", name="English").tap()
    expect(page.get_by_role("heading", name="How can we help you?")).to_be_visible()
    # Untouched, the kiosk goes back to the start screen by itself ...
    expect(page.locator(".app[data-screen=attract]")).to_be_visible(timeout=6000)
    # ... and the next citizen starts in Thai.
    tap(page, ".slides")  # a finger on the slides: the whole screen is the link
    expect(page.get_by_role("heading", name="ต้องการรับบริการเรื่องใด")).to_be_visible()
    assert all(url.startswith(kiosk.url + "/") for url in requests), requests


def test_idle_timeout_zero_stays_put(page, start_kiosk):
    kiosk = start_kiosk("[kiosk]\nidle_seconds = 0\n")
    page.goto(kiosk.url + "/home")
    page.wait_for_timeout(2500)
    expect(page.get_by_role("heading", name="ต้องการรับบริการเรื่องใด")).to_be_visible()


def test_the_offline_notice_comes_and_goes_with_the_server_untouched(page, live_kiosk):
    # The page checks in every 3 s: no answer shows the notice, an answer takes it away.
    page.goto(live_kiosk.url + "/home")
    banner = page.locator("[data-offline-banner]")
    expect(banner).to_be_hidden()
    page.route("**/kiosk/poll*", lambda route: route.abort())
    expect(banner).to_be_visible(timeout=8000)
    page.unroute("**/kiosk/poll*")
    expect(banner).to_be_hidden(timeout=8000)
    expect(page.locator("[data-screen=home]")).to_be_visible()


def test_a_server_that_never_answers_shows_the_offline_notice(page, live_kiosk):
    # A check-in left hanging (a stuck server) counts as no answer after 10 s.
    page.goto(live_kiosk.url + "/home")
    page.route("**/kiosk/poll*", lambda route: None)  # taken, never answered
    expect(page.locator("[data-offline-banner]")).to_be_visible(timeout=20_000)


def test_no_context_menu_and_no_console_errors(page, live_kiosk):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_kiosk.url + "/")
    prevented = page.evaluate(
        "() => !document.body.dispatchEvent(new MouseEvent('contextmenu', {bubbles: true, cancelable: true}))"
    )
    assert prevented
    tap(page, ".slides")  # a finger on the slides: the whole screen is the link
    expect(page.get_by_role("heading", name="ต้องการรับบริการเรื่องใด")).to_be_visible()
    assert errors == []


def test_every_screen_loads_cleanly_under_the_content_security_policy(page, live_kiosk):
    problems = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    paths = [
        "/",
        "/home",
        "/manual",
        "/manual/bail",
        "/manual/situation/lost",
        "/policy",
        "/eservices",
        "/about",
        "/case-progress",
        "/eit",
        "/satisfaction",
        "/duty",
        "/admin/login",
        "/manual/bail/print",
    ]
    for path in paths:
        page.goto(live_kiosk.url + path)
        page.wait_for_load_state("networkidle")
    assert problems == []


CONTRAST_SCRIPT = """() => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (; el; el = el.parentElement) { const s = getComputedStyle(el);
      if (s.backgroundImage !== 'none') return null; const c = parse(s.backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3); } return [255, 255, 255]; };
  const failures = [];
  for (const el of document.querySelectorAll('#app *')) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
    if (!text || !el.getClientRects().length) continue;
    const s = getComputedStyle(el); if (s.visibility === 'hidden' || s.opacity === '0') continue;
    const bg = background(el); if (!bg) continue;
    const fg = parse(s.color).slice(0, 3); const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05); const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) failures.push(text.slice(0, 30) + ' ' + ratio.toFixed(2));
  }
  return failures;
}"""


@pytest.mark.parametrize(
    "path", ["/home", "/home?lang=en", "/manual", "/manual/bail", "/policy", "/about", "/eit", "/eservices"]
)
def test_text_contrast_passes_wcag_aa(page, live_kiosk, path):
    page.goto(live_kiosk.url + path)
    assert page.evaluate(CONTRAST_SCRIPT) == []


def test_the_contrast_check_catches_pale_text(page, live_kiosk):
    page.goto(live_kiosk.url + "/home")
    page.evaluate("""() => { const p = document.createElement('p'); p.textContent = 'pale';
        p.style.color = '#bbbbbb'; document.querySelector('#screen').append(p); }""")
    assert page.evaluate(CONTRAST_SCRIPT) == ["pale 1.71"]


def test_the_clock_shows_thai_time_whatever_the_box_time_zone(browser, live_kiosk):
    import datetime as dt

    context = browser.new_context(timezone_id="Europe/London")
    page = context.new_page()
    page.goto(live_kiosk.url + "/")
    shown = page.locator("[data-clock]").inner_text()
    bangkok = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
    assert shown[:2] == f"{bangkok:%H}" or shown[:2] == f"{(bangkok - dt.timedelta(minutes=1)):%H}"
    context.close()
