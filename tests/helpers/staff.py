"""The staff's ways in, in Chromium: the duty officer's PIN pad and the admin's sign-in."""

from playwright.sync_api import expect

from tests.helpers.credentials import TEST_SECRETS


def enter_pin(page, pin=TEST_SECRETS["KIOSK_DUTY_PIN"]):
    """Tap a PIN on the pad (the page needs touch) and wait for the answer and its new pad,
    so that a next try starts on a fresh pad."""
    for digit in pin:
        page.locator(f"[data-pinpad] [data-digit='{digit}']").tap()
    with page.expect_response(lambda response: response.request.method == "POST" and response.url.endswith("/duty")):
        page.locator(".pin-ok").tap()


def sign_in_admin(page, url):
    """Sign in through the admin's form and wait for the dashboard."""
    page.goto(url + "/admin/login")
    page.locator("#password").fill(TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    page.locator("#password").press("Enter")
    expect(page.locator("[data-screen=admin-dashboard]")).to_be_visible()
