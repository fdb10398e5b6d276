"""The station makes the kiosk its own, in Chromium on a real server with a fresh data
directory and no settings file: setup, a wrong value of each kind refused, publish,
restore, restart, backup restored elsewhere, posters; screenshots of the setup and editor."""

import io
import re
import shutil
import subprocess
import sys

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.paths import ROOT, screenshot_path
from tests.helpers.servers import LiveKiosk

pytestmark = pytest.mark.e2e

NAME = "สถานีตำรวจภูธรหนองพอก"
PHONE = "043-579-111"
ITAS = "https://itas.nacc.go.th/go/eit/np2568"
FEE_OLD, FEE_NEW = "ไม่เสียค่าธรรมเนียม", "ค่าธรรมเนียม 40 บาท"


def decode_qr(locator):
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(locator.screenshot())))]


def field_error(page, name):
    return page.locator(f'[id="f-{name}"] .field-error')


def test_the_admin_makes_the_kiosk_the_stations_own(browser, start_kiosk, tmp_path):
    kiosk = start_kiosk()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    citizen = browser.new_page(viewport={"width": 1920, "height": 1080}, has_touch=True)
    citizen.goto(kiosk.url + "/home?lang=th")
    expect(citizen.locator("[data-demo-station]")).to_be_visible()

    page.goto(kiosk.url + "/admin")
    page.fill("#password", TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(re.compile("/admin/setup"))

    page.screenshot(path=str(screenshot_path("admin-setup-th.png", tmp_path)), full_page=False)
    # Step 1: a 10,000-character name is refused, the phone typed is kept.
    page.fill('[name="contact.phone"]', PHONE)
    page.fill('[name="station.name_th"]', "ก" * 10_000)
    page.get_by_role("button", name=re.compile("Save and continue|บันทึกและดำเนินการต่อ")).click()
    expect(field_error(page, "station.name_th")).to_contain_text("200")
    expect(page.locator('[name="contact.phone"]')).to_have_value(PHONE)
    page.fill('[name="station.name_th"]', NAME)
    page.get_by_role("button", name=re.compile("Save and continue|บันทึกและดำเนินการต่อ")).click()
    page.wait_for_url(re.compile("/admin/setup/eit"))

    # Step 2: another site as the ITAS link, then a quota that does not add up.
    page.fill('[name="eit.url"]', "https://evil.example/go/eit/np2568")
    page.fill('[name="eit.quota.traffic"]', "61")
    page.get_by_role("button", name=re.compile("Save and continue|บันทึกและดำเนินการต่อ")).click()
    expect(field_error(page, "eit.url")).to_contain_text("itas.nacc.go.th")
    expect(page.locator('[name="eit.quota.traffic"]')).to_have_value("61")
    page.fill('[name="eit.url"]', ITAS)
    page.get_by_role("button", name=re.compile("Save and continue|บันทึกและดำเนินการต่อ")).click()
    expect(field_error(page, "eit.quota_total")).to_contain_text("301")
    expect(page.locator('[name="eit.url"]')).to_have_value(ITAS)
    page.fill('[name="eit.quota.traffic"]', "60")
    page.get_by_role("button", name=re.compile("Save and continue|บันทึกและดำเนินการต่อ")).click()
    page.wait_for_url(re.compile("/admin/setup/services"))

    # Step 3: a negative fee is refused; then the fee of bail changes.
    page.fill('[name="fee_baht.bail"]', "-40")
    page.fill('[name="fee.bail.th"]', FEE_NEW)
    page.get_by_role("button", name=re.compile("Save and continue|บันทึกและดำเนินการต่อ")).click()
    expect(page.locator(".form-error")).to_contain_text("services/bail.toml: fee_baht")
    expect(field_error(page, "fee_baht.bail")).to_contain_text("at least 0")
    expect(page.locator('[name="fee.bail.th"]')).to_have_value(FEE_NEW)
    page.fill('[name="fee_baht.bail"]', "40")
    page.get_by_role("button", name=re.compile("Save and publish|บันทึกและเผยแพร่")).click()
    page.wait_for_url(re.compile("/admin/setup/done"))

    # The citizen's screens at once: the name, the fee, the EIT link; no demo mark.
    citizen.goto(kiosk.url + "/home?lang=th")
    expect(citizen.locator(".topbar")).to_contain_text(NAME)
    expect(citizen.locator("[data-demo-station]")).to_have_count(0)
    citizen.goto(kiosk.url + "/manual/bail?lang=th")
    expect(citizen.locator("#screen")).to_contain_text(FEE_NEW)
    citizen.goto(kiosk.url + "/eit?lang=en")
    citizen.get_by_role("button", name="Traffic", exact=True).tap()
    expect(citizen.locator(".qr-box")).to_be_visible()
    assert decode_qr(citizen.locator(".qr-box")) == [ITAS]

    # The editor: a service with no documents line is refused, the rest kept.
    page.goto(kiosk.url + "/admin/content/edit/services/bail.toml")
    page.locator('[id="f-name"]').scroll_into_view_if_needed()
    page.evaluate("document.getElementById('f-name').scrollIntoView()")
    page.screenshot(path=str(screenshot_path("admin-editor-th.png", tmp_path)), full_page=False)
    page.fill('[name="summary.th"]', "สรุปที่พิมพ์ไว้")
    removes = page.locator('button[value^="remove:documents."]')
    documents = removes.count()
    for left in range(documents - 1, -1, -1):
        removes.first.click()
        expect(removes).to_have_count(left)  # each removal is a round trip that keeps the form
    expect(page.locator('[name="summary.th"]')).to_have_value("สรุปที่พิมพ์ไว้")
    page.get_by_role("button", name=re.compile("Save in the draft|บันทึกในฉบับร่าง")).click()
    expect(page.locator(".form-error")).to_contain_text("documents")
    expect(page.locator('[name="summary.th"]')).to_have_value("สรุปที่พิมพ์ไว้")

    # A second version, then restoring the first brings the old fee back.
    page.goto(kiosk.url + "/admin/setup/services")
    page.fill('[name="fee.bail.th"]', FEE_OLD)
    page.fill('[name="fee_baht.bail"]', "0")
    page.get_by_role("button", name=re.compile("Save and publish|บันทึกและเผยแพร่")).click()
    citizen.goto(kiosk.url + "/manual/bail?lang=th")
    expect(citizen.locator("#screen")).to_contain_text(FEE_OLD)
    page.goto(kiosk.url + "/admin/content/history")
    page.locator("#v1 button").click()
    citizen.goto(kiosk.url + "/manual/bail?lang=th")
    expect(citizen.locator("#screen")).to_contain_text(FEE_NEW)

    # After a restart, as published.
    kiosk.stop()
    again = start_kiosk.restart(kiosk)
    citizen.goto(again.url + "/manual/bail?lang=th")
    expect(citizen.locator("#screen")).to_contain_text(FEE_NEW)
    expect(citizen.locator(".topbar")).to_contain_text(NAME)

    # A backup restored into another data directory shows it too.
    env = {"PATH": "/usr/bin:/bin", **TEST_SECRETS}
    subprocess.run(
        [sys.executable, "-m", "kiosk", "backup", "--data-dir", str(again.data_dir)], cwd=ROOT, env=env, check=True
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    backups = sorted((again.data_dir / "backups").glob("*"))
    shutil.copy(backups[-1], elsewhere / "from-backup")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "restore",
            str(elsewhere / "from-backup"),
            "--data-dir",
            str(elsewhere),
            "--yes",
            "--kiosk-url",
            "http://127.0.0.1:9/",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    other = LiveKiosk(elsewhere)
    try:
        citizen.goto(other.url + "/manual/bail?lang=th")
        expect(citizen.locator("#screen")).to_contain_text(FEE_NEW)
        expect(citizen.locator(".topbar")).to_contain_text(NAME)
    finally:
        other.stop()

    # The posters made after the edit carry the new phone number.
    from kiosk.signage import load_job

    job = load_job(data_dir=again.data_dir)
    rendered = job.render(job.names[0], "A4", 100)
    texts = " ".join(item.value for p in rendered.pages for item in p.items if item.kind == "text")
    assert PHONE in texts


@pytest.mark.parametrize(
    "path",
    [
        "/admin/setup",
        "/admin/setup/eit",
        "/admin/setup/services",
        "/admin/content",
        "/admin/content/edit/services/bail.toml",
        "/admin/content/history",
    ],
)
def test_setup_and_editor_fit_a_phone(browser, live_kiosk, path):
    phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    phone.goto(live_kiosk.url + "/admin/login")
    phone.fill("#password", TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    phone.get_by_role("button", name="เข้าสู่ระบบ").click()
    phone.wait_for_url(re.compile("/admin"))
    phone.goto(live_kiosk.url + path)
    overflow = phone.evaluate("""() => [...document.querySelectorAll('#screen *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map(el => el.tagName + '.' + el.className).slice(0, 5)""")
    assert overflow == []
    small = phone.evaluate("""() => [...document.querySelectorAll('#screen button, #screen input:not([type=checkbox]):not([type=hidden]), #screen select')]
        .filter(el => el.getBoundingClientRect().height > 0 && el.getBoundingClientRect().height < 44)
        .map(el => el.tagName + ' ' + (el.name || el.textContent)).slice(0, 5)""")
    assert small == []
    phone.close()
