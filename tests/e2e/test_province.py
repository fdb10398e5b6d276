"""End to end: the hub's admin looks after two kiosks of two stations from the hub's
pages; a reset sent from the hub brings a kiosk's open Chromium page back to the start."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.credentials import HUB_SECRETS, TEST_SECRETS
from tests.helpers.province import INTERVAL, POLL, Province, page, publish, renamed_service, with_police_care
from tests.helpers.servers import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SHOTS = "/tmp/province"
WITHIN = 30  # seconds to wait on a loaded 2-core machine: a wait, not a timing


@pytest.fixture
def province(tmp_path, hub_factory):
    found = Province(tmp_path, hub_factory)
    yield found
    found.stop()


def sign_in_hub(page_, hub):
    page_.goto(hub.url + "/hub/kiosks")
    page_.fill("#password", HUB_SECRETS["KIOSK_ADMIN_PASSWORD"])
    page_.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_the_hub_shows_versions_and_its_reset_reaches_an_open_kiosk_page(province, browser):
    hub, a, b = province.hub, province.kiosks["k-a1"], province.kiosks["k-b1"]
    content = {
        "eservices.toml": with_police_care(),
        "services/lost-documents.toml": renamed_service("ของจังหวัด", "The province's lost documents"),
    }
    status, package = publish(hub, content, locked=["services/lost-documents.toml"], note="Police Care")
    assert status == 201

    wait_until(lambda: "Police Care app" in page(a, "/eservices?lang=en"), WITHIN, message="station-a shows it")
    citizen = browser.new_page(viewport={"width": 1920, "height": 1080}, has_touch=True)
    citizen.goto(a.url + "/eservices")
    expect(citizen.get_by_text("แอปพลิเคชัน Police Care")).to_be_visible(timeout=WITHIN * 1000)
    wait_until(lambda: "Police Care app" in page(b, "/eservices?lang=en"), WITHIN, message="station-b shows it")

    staff = browser.new_page(viewport={"width": 1600, "height": 1000})
    sign_in_hub(staff, hub)
    expect(staff).to_have_url(re.compile(r"/hub/kiosks$"))

    def both_current():
        staff.reload()
        cells = staff.locator("table.care td.content-version").all_inner_texts()
        return cells if cells == [str(package["version"])] * 2 else None

    wait_until(both_current, WITHIN, interval=0.5, message="both kiosks' content versions on the hub")
    expect(staff.locator("table.care td.software").first).not_to_have_text("–")
    expect(staff.locator("#behind")).to_contain_text("ทุกตู้")  # no kiosk is behind
    staff.screenshot(path=f"{SHOTS}/hub-kiosks.png", full_page=True)

    staff.locator("tr[data-kiosk='k-a1']").get_by_role("button", name="กลับหน้าเริ่มต้น").click()
    expect(staff.get_by_role("status")).to_contain_text("k-a1")
    # Within one sync interval the kiosk takes the command; the page's poll (every POLL s) obeys it.
    citizen.wait_for_url(re.compile(r"/$|/attract"), timeout=(INTERVAL + POLL) * 1000 + WITHIN * 1000)
    expect(citizen.locator("[data-screen='attract']")).to_be_visible()

    def reset_answered():
        staff.reload()
        return "✓" in staff.locator("table.commands-sent").inner_text()

    wait_until(reset_answered, WITHIN, interval=0.5, message="the reset's result on the hub")
    staff.screenshot(path=f"{SHOTS}/hub-kiosks-after-reset.png", full_page=True)

    staff.goto(hub.url + "/hub/content")
    expect(staff.get_by_role("button", name="เผยแพร่ทันที")).to_be_visible()
    staff.screenshot(path=f"{SHOTS}/hub-content.png", full_page=True)

    admin = browser.new_page(viewport={"width": 1600, "height": 1000})
    admin.goto(a.url + "/admin/content")
    admin.fill("#password", TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    admin.get_by_role("button", name="เข้าสู่ระบบ").click()
    admin.goto(a.url + "/admin/content")
    expect(admin.locator("#province")).to_be_visible()
    expect(admin.locator(".tag-locked")).to_have_count(1)
    admin.screenshot(path=f"{SHOTS}/station-content.png", full_page=True)
    refused = admin.request.get(a.url + "/admin/content/edit/services/lost-documents.toml")
    assert refused.status == 403
