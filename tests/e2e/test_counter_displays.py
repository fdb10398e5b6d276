"""Counter displays in Chromium against a kiosk listening on the station network.

The kiosk serves on 0.0.0.0 with staff pages on its own screen only; two browser
contexts open it through the machine's network address as the displays of the traffic
and investigation counters, a third stays unpaired; the admin works on 127.0.0.1."""

import io
import os
import re
import socket
import subprocess
import sys
import urllib.request

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image
from playwright.sync_api import expect

from kiosk.cli import main
from tests.helpers.axe import axe_violations
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.paths import ROOT
from tests.helpers.servers import free_port, stop_process, wait_healthy
from tests.helpers.staff import sign_in_admin

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ITAS = "https://itas.nacc.go.th/go/eit/changhan-test"
SETTINGS = f'[eit]\nurl = "{ITAS}"\n\n[network]\nstaff_pages = "this_machine"\n'
COUNTERS = {"traffic": ("ฝ่ายจราจร ชั้น 1", "traffic"), "investigation": ("งานสอบสวน ชั้น 2", "investigation")}


def network_address():
    """This machine's address on its network (not loopback), as a display would reach it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
        address = sock.getsockname()[0]
    if address.startswith("127."):
        pytest.skip("no network address on this machine")
    return address


def cli(data_dir, config, *args):
    result = CliRunner().invoke(main, [*args, "--data-dir", str(data_dir), "--config", str(config)], env=TEST_SECRETS)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    """`kiosk serve --host 0.0.0.0` with two counters; yields (local url, network url, data dir, config)."""
    base = tmp_path_factory.mktemp("counters")
    data_dir, config = base / "data", base / "station.toml"
    config.write_text(SETTINGS, encoding="utf-8")
    for slug, (name, unit) in COUNTERS.items():
        cli(data_dir, config, "counters", "add", name, "--unit", unit, "--slug", slug)
    port = free_port()
    log_path = base / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "serve", "--host", "0.0.0.0", "--port", str(port)]
            + ["--data-dir", str(data_dir), "--config", str(config)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **TEST_SECRETS},
        )
    local = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(local, process, log_path)
        yield local, f"http://{network_address()}:{port}", data_dir, config
    finally:
        stop_process(process)


def api_tallies(local):
    request = urllib.request.Request(
        local + "/api/v1/tallies", headers={"Authorization": f"Bearer {TEST_SECRETS['KIOSK_API_TOKEN']}"}
    )
    with urllib.request.urlopen(request) as response:
        import json

        return json.load(response)


def pairing_code(page):
    return re.sub(r"\D", "", page.locator(".pairing-code").inner_text())


def post_from_page(page, path, data):
    """What a script in the page could send: a form POST with the page's CSRF token."""
    return page.evaluate(
        """async ([path, data]) => {
            const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
            const body = new URLSearchParams({...data, csrf_token: token});
            const response = await fetch(path, {method: 'POST', body});
            return [response.status, await response.text()];
        }""",
        [path, data],
    )


def test_two_paired_displays_count_for_their_units_and_an_unpaired_one_cannot(browser, kiosk, tmp_path):
    local, network, data_dir, config = kiosk
    shots = tmp_path
    traffic_ctx = browser.new_context(viewport={"width": 800, "height": 1280}, has_touch=True)
    investigation_ctx = browser.new_context(viewport={"width": 1280, "height": 800}, has_touch=True)
    stranger_ctx = browser.new_context(viewport={"width": 800, "height": 1280}, has_touch=True)
    admin_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    traffic, investigation = traffic_ctx.new_page(), investigation_ctx.new_page()
    stranger, admin = stranger_ctx.new_page(), admin_ctx.new_page()

    # Pairing: one display at the box's command line, the other on the admin's page.
    traffic.goto(network + "/display")
    investigation.goto(network + "/display")
    stranger.goto(network + "/display")
    expect(traffic.get_by_role("heading", name=re.compile("จับคู่จอนี้กับเคาน์เตอร์"))).to_be_visible()
    cli(data_dir, config, "display", "pair", pairing_code(traffic), "--counter", "traffic")
    sign_in_admin(admin, local)
    admin.goto(local + "/admin/counters")
    admin.locator("#pair-code").fill(pairing_code(investigation))
    admin.locator("#pair-counter").select_option("investigation")
    admin.get_by_role("button", name="จับคู่", exact=True).click()
    expect(admin.locator("table.displays tbody tr")).to_have_count(2)
    for page, name in ((traffic, "ฝ่ายจราจร ชั้น 1"), (investigation, "งานสอบสวน ชั้น 2")):
        expect(page.locator(".display-place strong")).to_have_text(name, timeout=10_000)
        assert "kiosk_display" in {c["name"] for c in page.context.cookies() if c["httpOnly"]}

    # A face on each: recorded for the counter's unit, no "which unit" question.
    traffic.get_by_role("button", name="พึงพอใจมากที่สุด").tap()
    expect(traffic.get_by_role("status")).to_contain_text("ระบบบันทึกความพึงพอใจของท่านแล้ว")
    traffic.screenshot(path=str(shots / "followup-800.png"))
    expect(traffic.get_by_text(re.compile("งานใดให้บริการ"))).to_have_count(0)
    # "Done" saves what is chosen (here one aspect), as on the hall kiosk.
    traffic.get_by_role("radio", name="ด้านเจ้าหน้าที่ผู้ให้บริการ: พึงพอใจมาก", exact=True).tap()
    traffic.get_by_role("button", name="เสร็จสิ้น").tap()
    expect(traffic.locator('[data-screen="display-thanks"]')).to_be_visible()
    investigation.get_by_role("link", name="English").tap()
    investigation.get_by_role("button", name="Satisfied", exact=True).tap()
    expect(investigation.get_by_text("Thank you. Your rating is recorded.")).to_be_visible()
    investigation.get_by_role("button", name="Done").tap()

    # The EIT QR on each: the station's ITAS link, a referral for the counter's unit.
    for page, width in ((traffic, 800), (investigation, 1280)):
        page.goto(network + "/display")
        page.locator(".eit-button").tap()
        code = page.locator(".qr-box")
        expect(code).to_be_visible()
        page.screenshot(path=str(shots / f"eit-{width}.png"))
        decoded = zxingcpp.read_barcodes(
            Image.open(io.BytesIO(code.screenshot())), formats=zxingcpp.BarcodeFormat.QRCode
        )
        assert [result.text for result in decoded] == [ITAS]
        expect(page.get_by_role("heading", name=re.compile("สแกนเลย"))).to_be_visible()

    figures = api_tallies(local)
    satisfaction, eit = figures["satisfaction"], figures["eit"]
    assert satisfaction["by_unit"]["traffic"] == {"total": 1, "mean": 5.0}
    assert satisfaction["by_unit"]["investigation"] == {"total": 1, "mean": 4.0}
    assert satisfaction["flagged"] == 0
    assert eit["by_unit"] == {"administration": 0, "crime_prevention": 0, "traffic": 1, "investigation": 1}
    by_counter = figures["counters"]["by_counter"]
    assert by_counter["traffic"]["satisfaction"]["counts"]["5"] == 1
    assert by_counter["investigation"]["eit"]["by_unit"] == {"investigation": 1}

    # The unpaired page: read-only. It shows a code and no faces; posting is refused.
    expect(stranger.locator(".pairing-code")).to_be_visible()
    expect(stranger.locator(".face-button")).to_have_count(0)
    stranger.screenshot(path=str(shots / "pairing-800.png"))
    stranger.goto(network + "/satisfaction")
    form_id = stranger.locator("input[name=form_id]").first.get_attribute("value")
    for path, data in (
        ("/display/rate", {"level": "5", "form_id": form_id}),
        ("/satisfaction", {"level": "5", "form_id": form_id}),
        ("/eit", {"unit": "traffic", "form_id": form_id}),
    ):
        status, body = post_from_page(stranger, path, data)
        assert status == 403, path
        assert "ยังไม่ได้จับคู่" in body and "not paired with a counter" in body, path
    stranger.goto(network + "/admin/login")
    expect(stranger.get_by_text(re.compile("The staff pages open only on the kiosk's own screen"))).to_be_visible()
    assert api_tallies(local)["satisfaction"]["raw"]["total"] == 2

    # The dashboard shows the figures by counter.
    admin.goto(local + "/admin")
    table = admin.locator("table.by-counter")
    expect(table.locator("tr", has_text="ฝ่ายจราจร ชั้น 1")).to_contain_text("5.00")
    expect(table.locator("tr", has_text="งานสอบสวน ชั้น 2")).to_contain_text("4.00")
    admin.locator("section.counters-figures").screenshot(path=str(shots / "dashboard-by-counter.png"))

    # Revoking the traffic display stops it at once: its next tap is refused.
    traffic.goto(network + "/display")
    form_id = traffic.locator(".faces-form input[name=form_id]").get_attribute("value")
    admin.goto(local + "/admin/counters")
    admin.locator("table.displays tr", has_text="ฝ่ายจราจร ชั้น 1").get_by_role("button").click()
    expect(admin.locator("table.displays tbody tr")).to_have_count(1)
    status, body = post_from_page(traffic, "/display/rate", {"level": "1", "form_id": form_id})
    assert status == 403 and "not paired" in body
    expect(traffic.locator(".pairing-code")).to_be_visible(timeout=10_000)  # its check-in takes it back
    assert api_tallies(local)["satisfaction"]["raw"]["total"] == 2
    for context in (traffic_ctx, investigation_ctx, stranger_ctx, admin_ctx):
        context.close()


@pytest.mark.parametrize("size", [(800, 1280), (1280, 800)], ids=["portrait", "landscape"])
def test_the_counter_layout_fits_and_passes_axe(browser, kiosk, size, tmp_path):
    local, network, data_dir, config = kiosk
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.goto(network + "/display")
    cli(data_dir, config, "display", "pair", pairing_code(page), "--counter", "traffic")
    expect(page.locator(".eit-button")).to_be_visible(timeout=10_000)
    page.screenshot(path=str(tmp_path / f"counter-{width}x{height}.png"))
    for lang in ("th", "en"):
        page.goto(network + f"/display?lang={lang}")
        assert axe_violations(page) == [], lang
        # Everything on one screen: nothing cut off, no scrolling, every target large.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        main = page.locator("main")
        assert main.evaluate("el => el.scrollHeight <= el.clientHeight")
        for part in (".faces", ".eit-button", ".no-gift", ".hotline"):
            box = page.locator(part).bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, part
        small = page.eval_on_selector_all(
            "main button, main a, header a",
            "els => els.filter(e => e.getBoundingClientRect().width < 64 || e.getBoundingClientRect().height < 64)"
            ".map(e => e.textContent.trim())",
        )
        assert small == []
    # The follow-ups (the hall kiosk's questions, minus the unit) pass axe and fit too.
    page.goto(network + "/display?lang=th")
    page.get_by_role("button", name="พึงพอใจมาก", exact=True).tap()
    for step in ("aspects", "reasons"):
        expect(page.locator('[data-screen="display-followup"]')).to_be_visible()
        assert axe_violations(page) == [], step
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(tmp_path / f"followup-{step}-{width}x{height}.png"))
        if step == "aspects":
            page.get_by_role("link", name="ข้าม").tap()
            expect(page.get_by_role("heading", name=re.compile("มีสิ่งใดที่ท่าน"))).to_be_visible()
    context.close()


def test_a_display_left_alone_asks_then_forgets_the_citizen(page, start_kiosk):
    """Idle on a follow-up, a display asks "Still there?"; a tap keeps the page; left alone
    again, it goes back to its counter layout, in Thai, with the last answer closed."""
    kiosk = start_kiosk("[kiosk]\nidle_seconds = 8\n")
    cli(kiosk.data_dir, kiosk.config_file, "counters", "add", "ฝ่ายจราจร ชั้น 1", "--unit", "traffic", "--slug", "traffic")
    page.set_viewport_size({"width": 800, "height": 1280})
    page.goto(kiosk.url + "/display")
    cli(kiosk.data_dir, kiosk.config_file, "display", "pair", pairing_code(page), "--counter", "traffic")
    expect(page.locator(".eit-button")).to_be_visible(timeout=10_000)
    page.get_by_role("link", name="English").click()
    page.get_by_role("button", name="Satisfied", exact=True).click()
    expect(page.locator('[data-screen="display-followup"]')).to_be_visible()
    answer_path = page.locator("form[action^='/display/answer/']").get_attribute("action")

    keep = page.get_by_role("button", name=re.compile("Yes, keep this page"))
    expect(keep).to_be_visible(timeout=8_000)
    keep.click()
    expect(page.locator("[data-still-there]")).to_have_count(0)
    expect(page.locator('[data-screen="display-followup"]')).to_be_visible()

    expect(page.locator('[data-screen="counter"]')).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name="ท่านพึงพอใจการให้บริการของเราในวันนี้เพียงใด")).to_be_visible()
    closed = page.request.get(kiosk.url + answer_path)
    assert closed.status == 409
