"""The public pages in Chromium: axe-core finds no violation on any published page; a phone
screenshot of a Thai service page for the README; the kiosk's small "open this page on your
phone" code, read by zxing-cpp from the screen's own pixels, in landscape and portrait."""

import functools
import http.server
import io
import threading

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image

from kiosk.cli import main
from kiosk.publish import classify
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.paths import ROOT, screenshot_path

pytestmark = pytest.mark.e2e

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
BASE = "https://changhan.roiet.police.go.th/onestop/"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("public")
    out = root / "site"
    result = CliRunner().invoke(
        main, ["publish", "--out", str(out), "--data-dir", str(root / "data")], env=TEST_SECRETS
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def site_url(site):
    """The folder served over HTTP, as a station's web host would."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the published folder as a plain web host would, without a line per request."""

    def log_message(self, *args):
        pass


def test_axe_finds_no_violation_on_any_published_page(browser, site, site_url):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    script = AXE.read_text(encoding="utf-8")
    failures = {}
    paths = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(paths) == 80
    for path in paths:
        page.goto(site_url + path)
        page.add_script_tag(content=script)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        if violations:
            failures[path] = violations
    context.close()
    assert failures == {}


def test_a_thai_service_page_on_a_phone(browser, site_url, tmp_path):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site_url + "manual/lost-documents.html")
    assert page.evaluate("document.documentElement.lang") == "th"
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ก')")
    # nothing wider than the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_path("public-service-th.png", tmp_path)))
    # the checklist ticks without any script
    box = page.locator(".checklist input").first
    box.click()
    assert box.is_checked()
    box.click()
    page.get_by_role("link", name="English").click()
    assert page.url.endswith("/en/manual/lost-documents.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    context.close()


@pytest.mark.parametrize("viewport", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_the_phone_code_on_each_screen_reads_and_leaves_the_layout_alone(browser, live_kiosk, site, viewport):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, has_touch=True)
    page = context.new_page()
    screens = {
        "/": "index.html",
        "/home": "index.html",
        "/manual": "manual.html",
        "/manual/situation/lost": "situations/lost.html",
        "/policy": "policy.html",
        "/eservices": "eservices.html",
        "/about": "about.html",
        "/case-progress": "case-progress.html",
        "/eit": "eit.html",
        "/home?lang=en": "en/index.html",
        "/about?lang=en": "en/about.html",
    }
    for screen, expected in screens.items():
        page.goto(live_kiosk.url + screen)
        code = page.locator(".phone-qr").first
        code.scroll_into_view_if_needed()
        shot = Image.open(io.BytesIO(code.screenshot()))
        results = zxingcpp.read_barcodes(shot, formats=zxingcpp.BarcodeFormat.QRCode)
        assert [r.text for r in results] == [BASE + expected], screen
        assert (site / classify(results[0].text, BASE)).is_file()
        # it sits after the screen's content, never over a target, and is not one itself
        box = code.bounding_box()
        assert box["width"] <= 600 and box["height"] <= 200, screen
        assert code.locator("a, button").count() == 0
        # (the start screen's touch-to-start link lies over the whole screen: every code is on it)
        for target in page.locator("main a:not(.attract-link), main button").all():
            other = target.bounding_box()
            if not other or not target.is_visible():
                continue
            overlaps = not (
                other["x"] + other["width"] <= box["x"]
                or box["x"] + box["width"] <= other["x"]
                or other["y"] + other["height"] <= box["y"]
                or box["y"] + box["height"] <= other["y"]
            )
            assert not overlaps, (screen, target.inner_text())
    # the EIT code screen and the satisfaction flow show no second code
    page.goto(live_kiosk.url + "/eit/qr/traffic")
    assert page.locator(".phone-qr").count() == 0
    context.close()
