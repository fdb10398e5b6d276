"""The duty officer and the admin, in headless Chromium on the real server."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.staff import enter_pin

pytestmark = pytest.mark.e2e
PIN = TEST_SECRETS["KIOSK_DUTY_PIN"]


def test_duty_officer_resets_a_kiosk_left_on_a_follow_up_from_a_phone(browser, start_kiosk):
    kiosk = start_kiosk("[kiosk]\nidle_seconds = 0\n")
    counter = browser.new_page(viewport={"width": 1920, "height": 1080}, has_touch=True)
    counter.goto(kiosk.url + "/home?lang=en")
    counter.get_by_role("button", name="Neutral", exact=True).tap()
    expect(counter.get_by_role("heading", name="Which unit served you today?")).to_be_visible()

    phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    phone.goto(kiosk.url + "/duty")
    enter_pin(phone, PIN)
    phone.get_by_role("button", name="รีเซ็ตหน้าจอตู้บริการ").tap()
    expect(phone.get_by_role("status")).to_contain_text("ส่งคำสั่งรีเซ็ตแล้ว")

    # The counter screen goes back to the start screen by itself, in Thai.
    expect(counter.locator(".app[data-screen=attract]")).to_be_visible(timeout=8000)
    expect(counter.locator("html")).to_have_attribute("lang", "th")
    counter.close()
    phone.close()


def test_five_wrong_pins_lock_the_pad(page, start_kiosk):
    kiosk = start_kiosk()
    page.goto(kiosk.url + "/duty")
    for _ in range(5):
        enter_pin(page, "9999")
    expect(page.get_by_role("alert")).to_contain_text("ล็อก")
    expect(page.locator(".pin-ok")).to_be_disabled()


def test_long_press_on_the_logo_opens_the_pin_pad(page, live_kiosk):
    page.goto(live_kiosk.url + "/home")
    logo = page.locator(".brand-logo")
    box = logo.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.down()
    page.wait_for_timeout(2300)
    page.mouse.up()
    expect(page.locator("input[name=pin]")).to_be_visible()


def test_admin_signs_in_and_sees_the_month(page, start_kiosk):
    kiosk = start_kiosk(config_text="")  # a settings file: no first-start setup in the way
    page.goto(kiosk.url + "/home")
    page.locator(".faces button[value='5']").tap()
    page.goto(kiosk.url + "/admin")
    page.fill("#password", TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name=re.compile("ความพึงพอใจและแบบวัด EIT"))).to_be_visible()
    expect(page.locator(".kpi").first).to_contain_text("1")


@pytest.mark.parametrize("path", ["/admin", "/admin/comments", "/admin/posters", "/duty"])
def test_staff_pages_fit_a_phone(browser, live_kiosk, path):
    phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    phone.goto(live_kiosk.url + "/admin/login")
    phone.fill("#password", TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    phone.get_by_role("button", name="เข้าสู่ระบบ").click()
    phone.wait_for_url(re.compile("/admin(/setup)?$"))
    phone.goto(live_kiosk.url + path)
    overflow = phone.evaluate("""() => [...document.querySelectorAll('#screen *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map(el => el.tagName + '.' + el.className).slice(0, 5)""")
    assert overflow == []
    phone.close()
