"""Issue 15, what hostile input found: edge dates, masking that missed, ratings without a
form the server drew, a read-only database at start, /healthz saying too much, and large
bodies written to disk before the limit applied."""

import json
import os
import re
import select
import socket
import sqlite3
import urllib.request
import uuid
from pathlib import Path

import pytest

from kiosk.app import create_app
from tests.helpers.citizen import Browser
from tests.helpers.credentials import HUB_SECRETS, TEST_SECRETS
from tests.helpers.forms import csrf_token, post_form
from tests.helpers.forms import hub_signed_in_page as signed_in_page
from tests.helpers.hub import HubProcess
from tests.helpers.servers import LiveKiosk

API = {"Authorization": "Bearer " + TEST_SECRETS["KIOSK_API_TOKEN"]}
HUB_API = {"Authorization": "Bearer " + HUB_SECRETS["KIOSK_API_TOKEN"]}
FORM_ID = re.compile(r'name="form_id" value="([0-9a-f]{32})"')


@pytest.fixture
def app(station_app):
    """A station's kiosk past its first-start setup: these tests use the admin pages."""
    return station_app


def events(app):
    from kiosk.store.db import connect
    from kiosk.web.database import database_path

    database = connect(database_path(app))
    try:
        return database.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        database.conn.close()


def admin(client):
    token = csrf_token(client, "/admin/login")
    password = TEST_SECRETS["KIOSK_ADMIN_PASSWORD"]
    response = client.post("/admin/login", data={"username": "admin", "password": password, "csrf_token": token})
    assert response.status_code == 302
    return client


# -- item 8: edge dates answer 400 with the reason, never 500 --------------------------


@pytest.mark.parametrize(
    "query, field",
    [("to=9999-12-31", "to"), ("from=0001-01-01", "from"), ("from=2025-01-01&to=9999-12-31", "to")],
)
def test_the_kiosk_api_refuses_dates_outside_the_years_it_counts(client, query, field):
    response = client.get("/api/v1/tallies?" + query, headers=API)
    assert response.status_code == 400
    assert response.get_json() == {"error": f"{field}: must be between 2000-01-01 and 2100-12-31", "field": field}


def test_the_widest_period_allowed_is_counted(client):
    response = client.get("/api/v1/tallies?from=2000-01-01&to=2100-12-31", headers=API)
    assert response.status_code == 200
    assert response.get_json()["satisfaction"]["total"] == 0


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/admin?month=0001-01", "2000-01-01"),
        ("/admin?from=0001-01-01&to=0001-01-31", "2000-01-01"),
        ("/admin?month=9999-12", "2100-12-31"),
        ("/admin/export/report.csv?month=2024-13", "YYYY-MM"),
        ("/admin/export/report.xlsx?from=2024-02-01&to=2024-01-01", "from"),
        ("/admin/export/public.json?month=0001-01", "2000-01-01"),
        ("/admin/export/report.csv?from=2024-01-01", "to"),
    ],
)
def test_admin_pages_and_exports_answer_400_with_the_reason(client, path, reason):
    admin(client)
    response = client.get(path + "&lang=en")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and reason in page


def test_the_hub_refuses_edge_dates_on_its_page_and_its_api(tmp_path):
    hub = create_app("hub", data_dir=tmp_path / "hub", environ=HUB_SECRETS, announce=lambda _t: None)
    client = hub.test_client()
    for query in ("to=9999-12-31", "from=0001-01-01"):
        response = client.get("/api/v1/tallies?" + query, headers=HUB_API)
        assert response.status_code == 400 and "2000-01-01" in response.get_json()["error"]
    page = signed_in_page(client, "/hub?month=0001-01&lang=en")
    assert "must be between 2000-01-01 and 2100-12-31" in page
    assert client.get("/hub?month=0001-01").status_code == 400


# -- item 10: numbers written any way are masked; invisible characters go --------------


@pytest.mark.parametrize(
    "text",
    [
        "081\u2013234\u20135678",  # en dash
        "081\u2212234\u22125678",  # minus sign
        "081\uff0d234\uff0d5678",  # full-width hyphen
        "081/234/5678",
        "081_234_5678",
        "081,234,5678",
        "081\u3000234\u30005678",  # ideographic space
        "081    234    5678",
        "081\n234\n5678",
        "0\u200b8\u200b1\u200b2\u200b3\u200b4\u200b5\u200b6\u200b7\u200b8",  # zero-width spaces
        "\u2070\u2078\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078",  # superscript digits
    ],
)
def test_a_phone_number_written_any_way_is_masked_in_the_stored_comment(db, text):
    from kiosk.store.eventlog import EventLog

    log = EventLog(db, "kiosk-1")
    answer = log.record_rating(3).answer_id
    log.amend(answer, comment=f"call me {text} please")
    (stored,) = log.comments()
    assert stored["masked"] is True
    assert not any(
        ch.isdigit() or ch in "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078" for ch in stored["text"]
    )
    assert stored["text"].startswith("call me \u2022") and stored["text"].endswith("\u2022 please")


@pytest.mark.parametrize(
    "text",
    [
        "waited 45 min, paid 1,000 baht, 1599, 10:30, 2025-01-15",
        "paid 1,000,000,000 baht",
        "fee 1,500.00 baht, open 08.30\u201316.30",
        "hotline 1599 or 191",
    ],
)
def test_prices_times_and_hotlines_stay(text):
    from kiosk.core.comments import mask_personal_numbers

    assert mask_personal_numbers(text) == (text, False)


def test_invisible_format_characters_are_stripped_before_storing(db):
    from kiosk.store.eventlog import EventLog

    log = EventLog(db, "kiosk-1")
    answer = log.record_rating(2).answer_id
    log.amend(answer, comment="\u202egood\u200b service\u2066\ufeff\u00ad")
    assert log.comments()[0]["text"] == "good service"


# -- items 11 and 13: a rating needs a fresh one-time form id the server issued ----------


def home(client):
    page = client.get("/home").get_data(as_text=True)
    return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1), FORM_ID.search(page).group(1)


@pytest.mark.parametrize(
    "form_id",
    [None, "", uuid.uuid4().hex, "not-a-form-id", "A" * 32, "'; DROP TABLE events; --"],
    ids=["missing", "empty", "unknown", "malformed", "upper-case", "sql"],
)
@pytest.mark.parametrize("path, field", [("/satisfaction", "level"), ("/eit", "unit")])
def test_a_tap_without_a_form_the_server_drew_is_refused_422(app, client, form_id, path, field):
    token, _issued = home(client)
    data = {field: "5" if field == "level" else "traffic", "csrf_token": token}
    if form_id is not None:
        data["form_id"] = form_id
    response = client.post(path, data=data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "หน้าจอนี้หมดอายุแล้ว" in page and "This screen is out of date" in page
    assert "already recorded" not in page and "บันทึกไว้แล้ว" not in page
    assert events(app) == 0


def test_api_clients_get_the_reason_as_json(client):
    token, _issued = home(client)
    response = client.post(
        "/satisfaction",
        data={"level": "5", "form_id": "x" * 31, "csrf_token": token},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    assert response.get_json()["field"] == "form_id" and "malformed" in response.get_json()["error"]


def test_an_issued_id_counts_once_and_its_replay_is_409(app, client):
    token, issued = home(client)
    first = client.post("/satisfaction", data={"level": "5", "form_id": issued, "csrf_token": token})
    assert first.status_code == 200
    replay = client.post("/satisfaction", data={"level": "5", "form_id": issued, "csrf_token": token})
    assert replay.status_code == 409 and "รายการนี้บันทึกไว้แล้ว" in replay.get_data(as_text=True)
    assert events(app) == 1


def test_an_id_issued_to_another_visit_is_refused(app, client):
    _token, theirs = home(app.test_client())
    token, _mine = home(client)
    response = client.post("/satisfaction", data={"level": "5", "form_id": theirs, "csrf_token": token})
    assert response.status_code == 422 and events(app) == 0


def test_every_screen_with_a_form_draws_a_fresh_id_and_each_step_works(app, client):
    token, on_home = home(client)
    satisfaction = FORM_ID.search(client.get("/satisfaction").get_data(as_text=True)).group(1)
    eit = FORM_ID.search(client.get("/eit").get_data(as_text=True)).group(1)
    assert len({on_home, satisfaction, eit}) == 3
    rated = client.post("/satisfaction", data={"level": "4", "form_id": satisfaction, "csrf_token": token})
    step = rated.get_data(as_text=True)
    answer = re.search(r"/satisfaction/([0-9a-f]{32})/unit", step).group(1)
    follow_up = FORM_ID.search(step).group(1)
    unit = client.post(
        f"/satisfaction/{answer}/unit", data={"unit": "traffic", "form_id": follow_up, "csrf_token": token}
    )
    assert unit.status_code == 200
    assert client.post("/eit", data={"unit": "traffic", "form_id": eit, "csrf_token": token}).status_code == 200
    # An id the home screen drew long before still works: the kiosk sits on home for hours.
    assert client.post("/satisfaction", data={"level": "5", "form_id": on_home, "csrf_token": token}).status_code == 200
    assert events(app) == 4


def test_a_refused_tap_keeps_its_id_for_the_next_tap(app, client):
    token, issued = home(client)
    assert client.post("/satisfaction", data={"level": "9", "form_id": issued, "csrf_token": token}).status_code == 422
    assert client.post("/satisfaction", data={"level": "5", "form_id": issued, "csrf_token": token}).status_code == 200
    assert events(app) == 1


def test_the_helper_tests_use_names_a_server_issued_id(app, client):
    assert post_form(client, "/satisfaction", {"level": 5, "form_id": "one"}).status_code == 200
    assert post_form(client, "/satisfaction", {"level": 5, "form_id": "one"}).status_code == 409
    assert events(app) == 1


def test_a_database_error_is_not_a_form_error(app, client, monkeypatch):
    from kiosk.store.eventlog import EventLog

    def broken(self, event_id):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    token, _issued = home(client)
    monkeypatch.setattr(EventLog, "recorded", broken)
    response = client.post("/satisfaction", data={"level": "5", "form_id": uuid.uuid4().hex, "csrf_token": token})
    assert response.status_code == 503


# -- item 3: a large body is refused before it is read, on kiosk and hub ----------------

MB = 1024 * 1024


def spooled_bytes(pid, temp_dir):
    """Bytes the server holds in files under temp_dir, deleted ones included (waitress
    unlinks its spool files at once, so only its open descriptors show them)."""
    total = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd).startswith(str(temp_dir)):
                total += os.stat(fd).st_size
        except OSError:
            continue
    return total


def post_large_body(server, path, temp_dir, chunked, total=300 * MB, headers=""):
    """Send a `total`-byte POST 1 MB at a time until the server answers or hangs up.

    Returns (status, bytes of body sent, most bytes the server spooled to temp_dir)."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{headers}{framing}\r\n\r\n".encode()
    )
    chunk, sent, spooled, answer = b"x" * MB, 0, 0, b""
    try:
        while sent < total and not answer:
            if select.select([sock], [], [], 0.05 if sent == 0 else 0)[0]:
                answer = sock.recv(65536)
                break
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk)
            sent += len(chunk)
            spooled = max(spooled, spooled_bytes(server.process.pid, temp_dir))
            assert spooled < 8 * MB, f"the server spooled {spooled} bytes of a body it refuses"
        if not answer:
            sock.settimeout(30)
            answer = sock.recv(65536)
    except (BrokenPipeError, ConnectionResetError):
        try:  # it hung up on the rest of the body; its answer may be waiting still
            answer = answer or sock.recv(65536)
        except OSError:
            pass
    finally:
        sock.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else None
    return status, sent, spooled


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_300_mb_tap_is_refused_before_it_is_read(tmp_path, start_kiosk, chunked):
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    kiosk = start_kiosk(env={"TMPDIR": str(temp_dir)})
    status, sent, spooled = post_large_body(kiosk, "/satisfaction", temp_dir, chunked)
    assert status == 413
    assert sent <= 64 * MB and spooled == 0
    assert urllib.request.urlopen(kiosk.url + "/healthz", timeout=5).status == 200


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_300_mb_sync_batch_is_refused_before_it_is_read(tmp_path, chunked):
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    hub = HubProcess(tmp_path / "hub", env={"TMPDIR": str(temp_dir)})
    try:
        status, sent, spooled = post_large_body(hub, "/api/v1/sync", temp_dir, chunked)
    finally:
        hub.stop()
    assert status == 413
    # The hub takes batches up to 4 MiB, so a chunked body may be spooled up to that.
    assert sent <= 64 * MB and spooled <= 5 * MB


# -- item 13: /healthz tells anyone it is up, and staff the rest ------------------------

PUBLIC_HEALTH = {"status", "version", "schema_version", "database_id"}


def test_healthz_shows_no_path_or_disk_to_anyone(client, app):
    body = client.get("/healthz").get_json()
    assert set(body) == PUBLIC_HEALTH and body["status"] == "ok"
    assert app.config["DATA_DIR"] not in str(body)
    wrong = client.get("/healthz", headers={"Authorization": "Bearer not-the-token"}).get_json()
    assert set(wrong) == PUBLIC_HEALTH


def test_healthz_details_for_the_api_token_and_the_duty_officer(client, app):
    detail = client.get("/healthz", headers=API).get_json()
    assert detail["database"].endswith("kiosk.db") and detail["writable"] is True and detail["disk_free_mb"] > 0
    token = csrf_token(client, "/duty")
    assert client.post("/duty", data={"pin": TEST_SECRETS["KIOSK_DUTY_PIN"], "csrf_token": token}).status_code < 400
    assert client.get("/healthz").get_json()["writable"] is True


def test_the_hub_s_healthz_keeps_its_detail_for_its_admin(tmp_path):
    hub = create_app("hub", data_dir=tmp_path / "hub", environ=HUB_SECRETS, announce=lambda _t: None)
    client = hub.test_client()
    assert set(client.get("/healthz").get_json()) == PUBLIC_HEALTH
    assert client.get("/healthz", headers=HUB_API).get_json()["writable"] is True


def test_restore_still_recognises_the_server_of_its_database(tmp_path, start_kiosk):
    from kiosk.store import backup

    kiosk = start_kiosk()
    live = kiosk.data_dir / "kiosk.db"
    assert backup.kiosk_answers(live, kiosk.url)
    assert not backup.kiosk_answers(tmp_path / "elsewhere" / "kiosk.db", kiosk.url)


# -- item 4: a database read-only at start recovers by itself ---------------------------

IS_ROOT = os.geteuid() == 0


@pytest.mark.skipif(not IS_ROOT, reason="runs the server as nobody, which needs root")
def test_a_database_read_only_at_start_recovers_once_writable(tmp_path):
    import shutil

    shared = Path(f"/tmp/kiosk-ro-start-{uuid.uuid4().hex[:8]}")  # nobody must reach it
    shared.mkdir(mode=0o777)
    try:
        data = shared / "data"
        LiveKiosk(data).stop()
        database = sqlite3.connect(data / "kiosk.db")
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        database.close()  # a clean stop: no -wal or -shm left
        for path in [data, *data.rglob("*")]:
            os.chmod(path, 0o777 if path.is_dir() else 0o666)
        os.chmod(data / "kiosk.db", 0o444)  # left read-only, by a restore done as root, say
        kiosk = LiveKiosk(data, wrap=["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
        try:

            def health():
                request = urllib.request.Request(kiosk.url + "/healthz", headers=API)
                return json.load(urllib.request.urlopen(request, timeout=10))

            browser = Browser(kiosk.url)
            assert browser.tap()[0] == 503
            assert health()["writable"] is False
            os.chmod(data / "kiosk.db", 0o666)  # what whoever looks after it does
            assert health()["writable"] is True
            assert [Browser(kiosk.url).tap()[0] for _ in range(8)] == [200] * 8
        finally:
            kiosk.stop()
    finally:
        shutil.rmtree(shared, ignore_errors=True)
