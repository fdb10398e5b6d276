"""A tap answers at once: the tapped control is drawn pressed while its screen is on the way,
and the pressed look goes when the screen comes or the kiosk cannot reach its server. (On a
slow kiosk PC the next screen takes a third of a second to draw; before, nothing on the glass
said that the tap had been felt.)"""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.touch import tap

pytestmark = pytest.mark.e2e
PRESSED = re.compile(r"\bis-pressed\b")


class Held:
    """Requests for `path` held (not answered) until the test lets them go."""

    def __init__(self, page, path):
        self.page, self.pattern, self.routes = page, re.compile(re.escape(path) + r"(\?.*)?$"), []
        page.route(self.pattern, self.hold)

    def hold(self, route):
        self.routes.append(route)

    def release(self):
        for _ in range(50):  # the request leaves a frame after the tap: wait up to 1 s for it
            if self.routes:
                break
            self.page.wait_for_timeout(20)
        assert self.routes, "the tap sent no request"
        for route in self.routes:
            route.continue_()
        self.page.unroute(self.pattern, self.hold)
        return self.routes


def test_the_tapped_tile_is_pressed_until_its_screen_comes(page, live_kiosk):
    page.goto(live_kiosk.url + "/home")
    held = Held(page, "/manual")
    tap(page, "a.tile-manual")
    tile = page.locator("a.tile-manual")
    expect(tile).to_have_class(PRESSED)
    assert tile.evaluate("el => getComputedStyle(el).boxShadow").startswith("rgba(0, 0, 0")  # a tint the eye sees
    expect(page.locator("[data-screen=home]")).to_be_visible()  # the request is held: home stays
    held.release()
    expect(page.locator("[data-screen=manual]")).to_be_visible()
    expect(page.locator(".is-pressed")).to_have_count(0)


def test_a_pressed_service_link_lets_go_when_the_server_cannot_be_reached(page, live_kiosk):
    page.goto(live_kiosk.url + "/manual")
    page.route("**/manual/lost-documents*", lambda route: route.abort())
    tap(page, "a[href='/manual/lost-documents']")
    expect(page.locator("[data-offline-banner]")).to_be_visible()
    expect(page.locator(".is-pressed")).to_have_count(0)
    expect(page.locator("[data-screen=manual]")).to_be_visible()


def test_a_rating_tap_is_pressed_and_still_sent(page, live_kiosk):
    page.goto(live_kiosk.url + "/satisfaction")
    held = Held(page, "/satisfaction")
    tap(page, "form button.face-button")
    expect(page.locator("form button.face-button").first).to_have_class(PRESSED)
    assert [route.request.method for route in held.release()] == ["POST"]
    expect(page.locator("[data-screen=satisfaction]")).to_have_count(0)
