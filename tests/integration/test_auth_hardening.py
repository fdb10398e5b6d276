"""Issue 15: staff sign-in hardened. Forms only from the site itself (and so sign-in behind
HTTPS), sessions that can be revoked, a lock that is counted atomically and that nobody on
the network can turn against the officer at the counter, sign-in on a read-only database,
and an admin session forgotten at the kiosk's start screen."""

import concurrent.futures
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
import waitress

from kiosk.app import create_app
from kiosk.store import db as kdb
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.forms import ISSUED_FORM_ID, csrf_token
from tests.helpers.paths import ROOT
from tests.helpers.servers import LiveKiosk, station_settings

PIN = TEST_SECRETS["KIOSK_DUTY_PIN"]
PASSWORD = TEST_SECRETS["KIOSK_ADMIN_PASSWORD"]
HUB_SECRETS = {"KIOSK_ADMIN_PASSWORD": "test-hub-admin-password", "KIOSK_API_TOKEN": "hub-api-token-0123456789abcdef"}
IS_ROOT = os.geteuid() == 0
NETWORK = "192.168.1.50"  # a phone or PC on the station network
OTHER_NETWORK = "192.168.1.51"


@pytest.fixture
def app(station_app):
    """A station's kiosk past its first-start setup: these tests use the admin pages."""
    return station_app


def sign_in_admin(client, password=PASSWORD, **kwargs):
    token = csrf_token(client, "/admin/login")
    return client.post("/admin/login", data={"username": "admin", "password": password, "csrf_token": token}, **kwargs)


def enter_pin(client, pin=PIN, **kwargs):
    return client.post("/duty", data={"pin": pin, "csrf_token": csrf_token(client, "/duty")}, **kwargs)


def form_token(client, page, base_url):
    """The CSRF token of a staff form loaded from `base_url` (its cookie is for that host)."""
    html = client.get(page, base_url=base_url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def client_from(app, address):
    """A browser at `address` (the Flask test client is 127.0.0.1, the kiosk's own screen)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def copy_cookie(source, target, name="session"):
    target.set_cookie(name, source.get_cookie(name).value)


def audit_actions(data_dir):
    db = kdb.connect(Path(data_dir) / kdb.DB_FILENAME)
    try:
        return [row[0] for row in db.execute("SELECT action FROM audit ORDER BY id")]
    finally:
        db.conn.close()


# -- item 2: forms come from this site; sign-in works behind HTTPS ---------------------------


def test_pages_let_the_browser_name_their_own_origin_and_nothing_else(client):
    # With no-referrer a browser sends `Origin: null` and no Referer on every form.
    assert client.get("/admin/login").headers["Referrer-Policy"] == "same-origin"


def test_admin_signs_in_over_https_with_what_chromium_sends(client):
    # Behind the proxy: HTTPS, Origin of the page, no Referer (as Chromium did with no-referrer).
    https = {"base_url": "https://kiosk.example", "headers": {"Origin": "https://kiosk.example"}}
    token = form_token(client, "/admin/login", "https://kiosk.example")
    response = client.post(
        "/admin/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token}, **https
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin"
    assert client.get("/admin", base_url="https://kiosk.example").status_code == 200


@pytest.mark.parametrize(
    ("base_url", "headers", "named"),
    [
        ("http://kiosk.example", {"Origin": "https://evil.example"}, "evil.example"),
        ("http://kiosk.example", {"Referer": "http://evil.example/page"}, "evil.example"),
        ("https://kiosk.example", {"Origin": "http://kiosk.example"}, "HTTPS"),
        ("https://kiosk.example", {}, "HTTPS"),
    ],
)
def test_a_form_from_elsewhere_is_refused_saying_why(client, base_url, headers, named):
    client.get("/home?lang=en", base_url=base_url)
    token = form_token(client, "/admin/login", base_url)
    response = client.post(
        "/admin/login",
        data={"username": "admin", "password": PASSWORD, "csrf_token": token},
        base_url=base_url,
        headers=headers,
    )
    assert response.status_code == 403
    assert named in response.get_data(as_text=True)
    assert client.get("/admin", base_url=base_url).status_code == 302


def test_a_kiosk_page_without_origin_over_plain_http_still_records_a_tap(client):
    # A counter page loaded before the upgrade sends `Origin: null`: its token still counts.
    page = client.get("/home").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    form_id = ISSUED_FORM_ID.search(page).group(1)
    response = client.post(
        "/satisfaction",
        data={"level": 5, "form_id": form_id},
        headers={"X-CSRFToken": token, "Origin": "null"},
    )
    assert response.status_code == 200


# -- item 5: sessions can be revoked, and have a longest life --------------------------------


def test_sign_out_ends_a_copied_cookie_and_every_other_session(app):
    desk, copied, phone = app.test_client(), app.test_client(), app.test_client()
    assert sign_in_admin(desk).status_code == 302
    assert sign_in_admin(phone).status_code == 302
    copy_cookie(desk, copied)
    assert copied.get("/admin").status_code == 200
    desk.post("/admin/logout", data={"csrf_token": csrf_token(desk, "/admin")})
    for client in (desk, copied, phone):
        assert client.get("/admin").status_code == 302
        assert client.get("/admin/export/report.csv").status_code == 302
    assert sign_in_admin(desk).status_code == 302  # signing in again works
    assert desk.get("/admin").status_code == 200 and copied.get("/admin").status_code == 302


def test_duty_sign_out_on_a_phone_ends_the_duty_session_on_the_kiosk(app):
    kiosk, phone = app.test_client(), client_from(app, NETWORK)
    assert 'name="pin"' not in enter_pin(kiosk).get_data(as_text=True)
    enter_pin(phone)
    phone.post("/duty/sign-out", data={"csrf_token": csrf_token(phone, "/duty")})
    assert 'name="pin"' in kiosk.get("/duty").get_data(as_text=True)


def test_set_password_on_the_command_line_ends_every_admin_session(app, data_dir):
    desk = app.test_client()
    sign_in_admin(desk)
    assert desk.get("/admin").status_code == 200
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "admin", "set-password", "--stdin", "--data-dir", str(data_dir)],
        input="a-new-password-2569\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **TEST_SECRETS, "KIOSK_ADMIN_PASSWORD": ""},
    )
    assert result.returncode == 0, result.stderr
    assert desk.get("/admin").status_code == 302
    assert sign_in_admin(desk, "a-new-password-2569").status_code == 302
    assert desk.get("/admin").status_code == 200


def test_a_session_ends_after_its_longest_life_even_in_use(make_app):
    app = make_app({"admin": {"session_minutes": 30, "session_max_hours": 12}})
    client = app.test_client()
    sign_in_admin(client)
    with client.session_transaction() as session:
        session["admin"] = {**session["admin"], "since": time.time() - 11 * 3600}
    assert client.get("/admin").status_code == 200  # used a minute ago, signed in 11 hours ago
    with client.session_transaction() as session:
        session["admin"] = {**session["admin"], "since": time.time() - 12 * 3600 - 60}
    assert client.get("/admin").status_code == 302


def test_the_hub_sign_out_ends_a_copied_cookie(tmp_path):
    hub = create_app("hub", data_dir=tmp_path / "hub", environ=HUB_SECRETS, announce=lambda _text: None)
    hub.config.update(TESTING=True)
    desk, copied = hub.test_client(), hub.test_client()
    token = csrf_token(desk, "/hub/login")
    desk.post(
        "/hub/login", data={"username": "admin", "password": HUB_SECRETS["KIOSK_ADMIN_PASSWORD"], "csrf_token": token}
    )
    copy_cookie(desk, copied, "hub_session")
    assert copied.get("/hub").status_code == 200
    desk.post("/hub/logout", data={"csrf_token": csrf_token(desk, "/hub/login")})
    assert copied.get("/hub").status_code == 302


# -- item 6: the lock is atomic, and the network cannot lock out the counter -----------------


@pytest.fixture
def waitress_server(make_app):
    """The app on a real waitress server with many threads, in this process."""
    servers = []

    def serve(server, stop):
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    def start(overrides=None, threads=24):
        server = waitress.create_server(make_app(overrides), host="127.0.0.1", port=0, threads=threads, ident="")
        stop = threading.Event()
        thread = threading.Thread(target=serve, args=(server, stop), daemon=True)
        thread.start()
        servers.append((server, stop, thread))
        return f"http://127.0.0.1:{server.effective_port}"

    yield start
    # In this order: a worker finishing its request still wakes the loop through the trigger,
    # so the workers end first, then the loop, and only then are the sockets closed.
    for server, stop, thread in servers:
        server.task_dispatcher.shutdown()
        stop.set()
        thread.join(timeout=5)
        for dispatcher in list(server._map.values()):
            dispatcher.close()


class Browser:
    """One browser's cookies and CSRF token, over real HTTP."""

    def __init__(self, base, page="/duty"):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        html = self.opener.open(base + page, timeout=20).read().decode()
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def post(self, path, data):
        body = urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, path):
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.status, response.read().decode()


def test_twenty_parallel_wrong_pins_evaluate_at_most_the_limit(waitress_server, data_dir):
    base = waitress_server()
    browsers = [Browser(base) for _ in range(20)]
    start = threading.Barrier(len(browsers))

    def guess(browser):
        start.wait()
        return browser.post("/duty", {"pin": "000000"})[0]

    with concurrent.futures.ThreadPoolExecutor(len(browsers)) as pool:
        statuses = list(pool.map(guess, browsers))
    assert statuses.count(401) == 5, statuses  # evaluated: exactly the limit
    assert statuses.count(429) == 15, statuses  # the rest waited, unevaluated
    assert audit_actions(data_dir).count("sign-in refused") == 5


def test_a_locked_out_network_client_does_not_lock_the_pin_pad_on_the_kiosk(app):
    attacker = client_from(app, NETWORK)
    for _ in range(5):
        assert enter_pin(attacker, "000000").status_code == 401
    assert enter_pin(attacker, PIN).status_code == 429  # locked, even with the right PIN
    counter = app.test_client()  # the kiosk's own browser, on the loopback address
    panel = enter_pin(counter)
    assert panel.status_code == 200 and 'name="pin"' not in panel.get_data(as_text=True)
    assert enter_pin(client_from(app, OTHER_NETWORK)).status_code == 200  # another phone is not held either


def test_the_network_cap_holds_every_network_client_but_never_the_kiosk_screen(make_app):
    app = make_app({"duty": {"pin_max_failures": 5, "network_max_failures_per_hour": 6}})
    for number in range(3):  # a few addresses, each below its own limit
        for _ in range(2):
            assert enter_pin(client_from(app, f"10.0.0.{number + 1}"), "000000").status_code == 401
    held = enter_pin(client_from(app, OTHER_NETWORK))
    assert held.status_code == 429 and "ล็อก" in held.get_data(as_text=True)
    assert sign_in_admin(client_from(app, OTHER_NETWORK), "wrong").status_code == 401  # the admin's count is apart
    assert enter_pin(app.test_client()).status_code == 200  # the pad on the kiosk's screen


def test_on_the_hub_loopback_is_just_another_address(tmp_path):
    # Behind nginx without --trusted-proxy every request is from 127.0.0.1: no exemption there.
    hub = create_app(
        "hub",
        data_dir=tmp_path / "hub",
        environ=HUB_SECRETS,
        overrides={"duty": {"network_max_failures_per_hour": 2}},
        announce=lambda _text: None,
    )
    hub.config.update(TESTING=True)

    def sign_in(address, password):
        client = hub.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        token = csrf_token(client, "/hub/login")
        return client.post("/hub/login", data={"username": "admin", "password": password, "csrf_token": token})

    assert sign_in("10.0.0.1", "wrong").status_code == 401
    assert sign_in("10.0.0.2", "wrong").status_code == 401
    assert sign_in("127.0.0.1", HUB_SECRETS["KIOSK_ADMIN_PASSWORD"]).status_code == 429


# -- item 12: a read-only database (or a full disk) does not keep staff out ------------------


def test_staff_sign_in_on_a_read_only_database_and_the_panel_says_what_was_not_written(tmp_path):
    shared = Path(f"/tmp/kiosk-auth-ro-{uuid.uuid4().hex[:8]}")
    shared.mkdir(mode=0o777)
    try:
        data = shared / "data"
        settings = station_settings(shared)
        LiveKiosk(data, settings).stop()  # made by an earlier run
        for path in [data, *data.rglob("*")]:
            os.chmod(path, 0o777 if path.is_dir() else 0o666)
        database = data / kdb.DB_FILENAME
        os.chmod(database, 0o444)
        as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if IS_ROOT else []
        kiosk = LiveKiosk(data, settings, wrap=as_user)
        try:
            officer = Browser(kiosk.url)
            officer.get("/home?lang=en")
            status, panel = officer.post("/duty", {"pin": PIN})
            assert status == 200 and "Reset the kiosk screen" in panel
            assert "Not written: the database is read-only or the disk is full" in panel
            assert "duty, sign-in (127.0.0.1)" in panel

            admin = Browser(kiosk.url, "/admin/login")
            admin.get("/home?lang=en")
            status, dashboard = admin.post("/admin/login", {"username": "admin", "password": PASSWORD})
            assert status == 200 and "Satisfaction and EIT" in dashboard
            assert "admin, sign-in (127.0.0.1)" in dashboard

            os.chmod(database, 0o666)  # writable again: what was kept is written, and said no more
            status, panel = officer.post("/duty", {"pin": PIN})
            assert status == 200 and "Not written" not in panel
            assert audit_actions(data).count("sign-in") == 3
        finally:
            kiosk.stop()
    finally:
        shutil.rmtree(shared, ignore_errors=True)


# -- item 13: an admin session on the kiosk's own screen ends at the start screen ------------


def test_an_admin_session_is_forgotten_at_the_start_screen(client):
    sign_in_admin(client)
    assert client.get("/admin").status_code == 200
    client.get("/")
    assert client.get("/admin").status_code == 302


def test_admin_pages_on_the_kiosk_screen_go_back_to_the_start_when_left(app):
    idle = re.compile(r'data-idle-seconds="(\d+)"')
    counter, desk = app.test_client(), client_from(app, NETWORK)
    sign_in_admin(counter)
    sign_in_admin(desk)
    assert int(idle.search(counter.get("/admin").get_data(as_text=True)).group(1)) > 0
    assert idle.search(desk.get("/admin").get_data(as_text=True)).group(1) == "0"  # a desk is left alone
