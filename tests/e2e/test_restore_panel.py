"""A kiosk whose disk died, brought back from the duty panel in Chromium: a real hub, a
real kiosk, the counter screen and the duty officer's phone."""

import os

import pytest
from playwright.sync_api import expect

from kiosk.store import db as kdb
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.hub import Citizen, hub_config, kiosk_config, kiosk_head, register
from tests.helpers.servers import wait_until
from tests.helpers.staff import enter_pin

pytestmark = pytest.mark.e2e
PIN = TEST_SECRETS["KIOSK_DUTY_PIN"]
SHOTS = "/tmp/restore"


def test_the_duty_officer_restores_a_wiped_kiosk_from_the_hub(browser, tmp_path, hub_factory, start_kiosk):
    os.makedirs(SHOTS, exist_ok=True)
    hub = hub_factory(config_file=hub_config(tmp_path))
    token = register(hub.data_dir, "changhan-1", "changhan")
    kiosk = start_kiosk(kiosk_config(hub.url, "changhan-1", "changhan"), env={"KIOSK_HUB_TOKEN": token})
    citizen = Citizen(kiosk.url)
    for level in (5, 4, 2):
        citizen.rate(level)
    citizen.refer("traffic")
    wait_until(lambda: hub.kiosk_state("changhan-1")["acked"] == 4, 15, message="the taps on the hub")

    kiosk.stop()
    for suffix in ("", "-wal", "-shm"):
        (kiosk.data_dir / f"{kdb.DB_FILENAME}{suffix}").unlink(missing_ok=True)
    kiosk = start_kiosk.restart(kiosk)

    counter = browser.new_page(viewport={"width": 1920, "height": 1080}, has_touch=True)
    counter.goto(kiosk.url + "/home?lang=en")
    note = counter.locator(".held-note")
    expect(note).to_contain_text("ขณะนี้ตู้บริการยังรับคำตอบไม่ได้")
    expect(note).to_contain_text("its records must first be brought back from the hub")
    expect(counter.get_by_role("button", name="Very satisfied")).to_have_count(0)
    counter.screenshot(path=f"{SHOTS}/counter-held.png")

    phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    phone.goto(kiosk.url + "/duty?lang=en")
    enter_pin(phone, PIN)
    held = phone.locator("#held")
    expect(held).to_contain_text("The hub holds this kiosk's records up to number 4")
    expect(held).to_contain_text("ends at number 0")
    expect(held).to_contain_text("Comments typed on the kiosk are never sent to the hub")
    restore = phone.get_by_role("button", name="Restore from the hub")
    assert restore.bounding_box()["height"] >= 44
    assert phone.get_by_role("button", name="Confirm and continue").bounding_box()["height"] >= 44
    phone.screenshot(path=f"{SHOTS}/panel-held-top.png")
    restore.scroll_into_view_if_needed()
    phone.screenshot(path=f"{SHOTS}/panel-held-buttons.png")
    restore.tap()
    expect(phone.locator(".form-ok")).to_contain_text("4 records were brought back from the hub")
    expect(phone.locator("#held")).to_have_count(0)
    phone.screenshot(path=f"{SHOTS}/panel-restored.png", full_page=True)
    assert kiosk_head(kiosk.data_dir) == 4

    # The counter takes answers again, and the hub gets them after seq 4: no fork.
    counter.goto(kiosk.url + "/home?lang=en")
    counter.get_by_role("button", name="Very satisfied").tap()
    expect(counter.get_by_role("heading", name="Which unit served you today?")).to_be_visible()
    wait_until(lambda: hub.kiosk_state("changhan-1")["acked"] == 5, 15, message="the new tap on the hub")
    state = hub.kiosk_state("changhan-1")
    assert state["chain_ok"] and state["verified"] == 5 and state["fork_at"] is None
    counter.close()
    phone.close()
