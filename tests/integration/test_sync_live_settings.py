"""A hub set in the browser is used by the running kiosk's background sync, without a restart:
a kiosk started with no hub gets one through the setup's hub step, its taps arrive at the
hub; a revoked token set the same way shows on the duty panel; the good one heals it."""

import re
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from kiosk.hub import open_hub_db
from kiosk.hub import store as hub_store
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.hub import Citizen, kiosk_head, register
from tests.helpers.servers import wait_until

INTERVAL = 0.2
# A few sync intervals, with room for two cores shared by several test processes.
ROUNDS = 15


class Staff:
    """A browser on the station PC: the admin's and the duty officer's pages over HTTP."""

    def __init__(self, base_url):
        self.base = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.get("/home?lang=en")

    def get(self, path):
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path, data, token_page):
        """POST a form with the CSRF token of `token_page`, as the browser sends it; (url, page)."""
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.get(token_page)).group(1)
        body = urllib.parse.urlencode({**data, "csrf_token": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Origin": self.base})
        with self.opener.open(request, timeout=20) as response:
            return response.url, response.read().decode()

    def sign_in(self):
        data = {"username": "admin", "password": TEST_SECRETS["KIOSK_ADMIN_PASSWORD"], "next": ""}
        url, _ = self.post("/admin/login", data, "/admin/login")
        assert "/admin/login" not in url

    def set_hub(self, url, token):
        """The setup's hub step, saved and published ("Save and publish")."""
        data = {"hub.url": url, "hub.token": token, "go": "finish"}
        landed, page = self.post("/admin/setup/hub", data, "/admin/setup/hub")
        assert landed.endswith("/admin/setup/done"), page

    def duty_panel(self):
        if 'name="pin"' in (page := self.get("/duty")):
            _, page = self.post("/duty", {"pin": TEST_SECRETS["KIOSK_DUTY_PIN"]}, "/duty")
        return page


def revoked_token(hub_dir, name, station):
    """A token the hub knows but has revoked."""
    token = register(hub_dir, name, station)
    db = open_hub_db(hub_dir)
    try:
        hub_store.revoke_kiosk(db, name)
    finally:
        db.conn.close()
    return token


def panel_with(staff, text):
    """The duty panel when it shows `text`, else None."""
    page = staff.duty_panel()
    return page if text in page else None


def acked(hub, name):
    return hub.kiosk_state(name)["acked"]


@pytest.mark.slow
def test_a_hub_set_in_the_browser_is_used_without_a_restart(start_kiosk, hub_factory):
    hub = hub_factory("hub")
    token = register(hub.data_dir, "nongphok-1", "nongphok")
    revoked = revoked_token(hub.data_dir, "nongphok-old", "nongphok")
    kiosk = start_kiosk(
        '[station]\ncode = "nongphok"\ndemo = false\n[kiosk]\nid = "nongphok-1"\n'
        f"[hub]\ninterval_seconds = {INTERVAL}\nretry_max_seconds = 0.5\ntimeout_seconds = 2.0\n"
    )
    citizen, staff = Citizen(kiosk.url), Staff(kiosk.url)
    citizen.rate(5)
    citizen.refer("traffic")
    assert "not configured" in staff.duty_panel()
    assert acked(hub, "nongphok-1") == 0

    staff.sign_in()
    staff.set_hub(hub.url + "/", token)
    head = kiosk_head(kiosk.data_dir)
    assert head >= 2
    wait_until(lambda: acked(hub, "nongphok-1") == head, ROUNDS * INTERVAL * 2, message="the taps at the hub")
    citizen.rate(4)
    head = kiosk_head(kiosk.data_dir)
    wait_until(lambda: acked(hub, "nongphok-1") == head, ROUNDS * INTERVAL * 2, message="a new tap at the hub")
    assert hub.api("/api/v1/tallies?kiosk=nongphok-1")["satisfaction"]["raw"]["total"] == 2
    page = wait_until(lambda: panel_with(staff, "0 events waiting"), ROUNDS * INTERVAL, message="the synced panel")
    assert "last sync" in page and "refused" not in page

    # The token changed to a revoked one: the next round uses it, and the duty officer sees why.
    staff.set_hub(hub.url + "/", revoked)
    wait_until(
        lambda: panel_with(staff, "The hub refused this kiosk"),
        ROUNDS * INTERVAL * 2,
        message="the duty panel to show the refused token",
    )
    citizen.rate(3)
    assert acked(hub, "nongphok-1") == head  # nothing arrives with the revoked token

    # The good token again: the waiting tap arrives and the error is gone.
    staff.set_hub(hub.url + "/", token)
    head = kiosk_head(kiosk.data_dir)
    wait_until(lambda: acked(hub, "nongphok-1") == head, ROUNDS * INTERVAL * 2, message="the tap after the fix")
    page = wait_until(lambda: panel_with(staff, "0 events waiting"), ROUNDS * INTERVAL, message="the panel healed")
    assert "refused this kiosk" not in page

    # The hub removed: the panel says so (the worker idles until one is set again).
    staff.set_hub("", "")
    assert "not configured" in staff.duty_panel()
