"""The duty officer's panel: PIN, lock, reset, pause, PR duty, alerts, audit log."""

import datetime as dt
import uuid

import pytest

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.forms import csrf_token, post_form
from tests.helpers.pages import page_text

PIN = TEST_SECRETS["KIOSK_DUTY_PIN"]


def sign_in(client, pin=PIN):
    return client.post("/duty", data={"pin": pin, "csrf_token": csrf_token(client, "/duty")})


def audit_actions(app):
    from kiosk.store.db import connect
    from kiosk.web.database import database_path

    db = connect(database_path(app))
    return [row[0] for row in db.execute("SELECT action FROM audit ORDER BY id")]


def test_the_panel_needs_the_pin(client):
    page = client.get("/duty").get_data(as_text=True)
    assert 'name="pin"' in page and "แผงเจ้าหน้าที่เวร" not in page
    assert client.post("/duty/reset", data={"csrf_token": csrf_token(client, "/duty")}).status_code == 302


def test_right_pin_opens_the_panel(client):
    response = sign_in(client)
    assert response.status_code == 200
    assert "รีเซ็ตหน้าจอตู้บริการ" in response.get_data(as_text=True)


def test_five_wrong_pins_lock_the_pad_even_for_the_right_pin(app, client):
    for _ in range(5):
        assert sign_in(client, "000000").status_code == 401
    locked = sign_in(client, PIN)
    assert locked.status_code == 429
    assert "ล็อก" in locked.get_data(as_text=True)
    # Another browser is locked out too: the count is the kiosk's, not the cookie's.
    assert sign_in(app.test_client(), PIN).status_code == 429
    assert audit_actions(app).count("sign-in refused") == 5


def test_lock_grows_with_each_further_failure(app, client):
    from kiosk.web import auth

    for _ in range(5):
        sign_in(client, "111111")
    now = dt.datetime.now(dt.timezone.utc)
    # The count is per address: the test client's.
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        first = auth.seconds_locked("duty", now)
    assert 28 <= first <= 31
    from kiosk.store.db import connect
    from kiosk.web.database import database_path

    db = connect(database_path(app))
    db["auth_attempts"].insert(
        {"at": now.isoformat(timespec="seconds"), "role": "duty", "ok": 0, "client": "127.0.0.1"}
    )
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        assert 58 <= auth.seconds_locked("duty", now) <= 61


def test_reset_changes_what_kiosk_pages_poll_for(client):
    page = client.get("/home").get_data(as_text=True)
    token = page.split("/kiosk/poll?since=")[1].split('"')[0]
    assert client.get(f"/kiosk/poll?since={token}").headers.get("HX-Redirect") is None
    sign_in(client)
    post_form(client, "/duty/reset", {})
    assert client.get(f"/kiosk/poll?since={token}").headers["HX-Redirect"] == "/"


def test_pause_stops_recording_and_says_so(app, client):
    sign_in(client)
    post_form(client, "/duty/pause", {"paused": "1"})
    home = page_text(client.get("/home"))
    assert "งดรับการประเมิน" in home and 'name="level"' not in home
    kiosk = app.test_client()
    response = post_form(kiosk, "/satisfaction", {"level": 5, "form_id": uuid.uuid4().hex})
    assert response.status_code == 423
    post_form(client, "/duty/pause", {"paused": "0"})
    assert post_form(kiosk, "/satisfaction", {"level": 5, "form_id": uuid.uuid4().hex}).status_code == 200
    assert "pause feedback" in audit_actions(app) and "resume feedback" in audit_actions(app)


def test_pr_duty_is_shown_on_about_and_the_start_screen(client):
    sign_in(client)
    assert post_form(client, "/duty/pr-duty", {"name": "ส.ต.อ. สมชาย ใจดี", "shift": "08:00-16:00"}).status_code == 200
    assert "ส.ต.อ. สมชาย ใจดี" in page_text(client.get("/about"))
    assert "ส.ต.อ. สมชาย ใจดี" in page_text(client.get("/"))


@pytest.mark.parametrize("data", [{"name": ""}, {"name": "x" * 81}, {"name": "ส.ต.อ. ก", "shift": "8-4"}])
def test_bad_pr_duty_is_refused(client, data):
    sign_in(client)
    assert post_form(client, "/duty/pr-duty", data).status_code == 422


def test_bad_answers_open_an_alert_that_is_acknowledged_and_closes(make_app):
    app = make_app({"feedback": {"repeat_window_seconds": 0, "burst_max_per_minute": 1000}})
    kiosk, officer = app.test_client(), app.test_client()
    for level in (1, 2, 1, 5):
        post_form(kiosk, "/satisfaction", {"level": level, "form_id": uuid.uuid4().hex})
    panel = sign_in(officer).get_data(as_text=True)
    assert "ผลการประเมินล่าสุดไม่ดี" in panel
    alert_id = panel.split("/duty/alerts/")[1].split("/")[0]
    assert post_form(officer, f"/duty/alerts/{alert_id}/ack", {"note": ""}).status_code == 422
    acked = post_form(officer, f"/duty/alerts/{alert_id}/ack", {"note": "หัวหน้าเวรเข้าดูแลเคาน์เตอร์แล้ว"})
    assert acked.status_code == 200
    for _ in range(6):
        post_form(kiosk, "/satisfaction", {"level": 5, "form_id": uuid.uuid4().hex})
    assert "ผลการประเมินล่าสุดไม่ดี" not in officer.get("/duty").get_data(as_text=True)
    assert "acknowledge alert" in audit_actions(app)


def test_going_to_the_start_screen_signs_the_officer_out(client):
    sign_in(client)
    client.get("/")
    assert 'name="pin"' in client.get("/duty").get_data(as_text=True)
