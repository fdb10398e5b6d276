"""A kiosk held because the hub holds more of its log (kiosk.store.hold): what the citizen
and the duty officer see, in process."""

import pytest

from kiosk.store import db as kdb
from kiosk.store import hold
from kiosk.web.database import database_path
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.forms import post_form
from tests.helpers.pages import page_text
from tests.helpers.servers import free_port

PIN = TEST_SECRETS["KIOSK_DUTY_PIN"]


@pytest.fixture
def held_app(make_app):
    """A kiosk with a hub set (nobody listening) that found the hub holds its log up to seq 7."""
    app = make_app(overrides={"hub": {"url": f"http://127.0.0.1:{free_port()}/", "token": "t", "timeout_seconds": 2.0}})
    db = kdb.connect(database_path(app))
    assert hold.hold(db, 0, 7)
    db.conn.close()
    return app


def events(app):
    db = kdb.connect(database_path(app))
    try:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        db.conn.close()


def test_the_citizen_sees_why_in_thai_and_english_and_no_tap_is_taken(held_app):
    client = held_app.test_client()
    home = page_text(client.get("/home?lang=en"))
    assert "ขณะนี้ตู้บริการยังรับคำตอบไม่ได้ ต้องกู้ข้อมูลคืนจากศูนย์กลางก่อน" in home
    assert "This kiosk cannot take answers right now" in home and 'name="level"' not in home
    assert "brought back from the hub" in page_text(client.get("/satisfaction"))
    refused = post_form(client, "/satisfaction", {"level": "5", "form_id": "a"})
    assert refused.status_code == 423 and "กรุณาแจ้งเจ้าหน้าที่เวร" in page_text(refused)
    # The EIT survey is still given (the citizen needs it); the referral is not counted.
    qr = post_form(client, "/eit", {"unit": "traffic", "form_id": "b"})
    assert qr.status_code == 200 and "itas.nacc.go.th" in page_text(qr)
    assert events(held_app) == 0


def _signed_in(app):
    client = app.test_client()
    client.get("/home?lang=en")
    page = page_text(post_form(client, "/duty", {"pin": PIN}))
    return client, page


def test_the_duty_panel_says_why_and_confirming_needs_the_box_ticked(held_app):
    client, page = _signed_in(held_app)
    assert "The kiosk refuses new answers: the hub holds more of its records" in page
    assert "up to number 7" in page and "ends at number 0" in page
    assert "Restore from the hub" in page and "Confirm and continue" in page
    # Without the CSRF token: refused, still held.
    assert client.post("/duty/continue-without-restore", data={"confirm": "1"}).status_code == 400
    unticked = post_form(client, "/duty/continue-without-restore", {})
    assert unticked.status_code == 422 and "Tick the box" in page_text(unticked)
    assert post_form(client, "/satisfaction", {"level": "5", "form_id": "a"}).status_code == 423

    confirmed = post_form(client, "/duty/continue-without-restore", {"confirm": "1"})
    assert confirmed.status_code == 200 and "Confirmed: the kiosk takes answers again" in confirmed.get_data(
        as_text=True
    )
    assert post_form(client, "/satisfaction", {"level": "5", "form_id": "c"}).status_code == 200
    assert events(held_app) == 1
    # The same finding at the next sync does not hold it again: the officer decided.
    db = kdb.connect(database_path(held_app))
    assert not hold.hold(db, 1, 7) and hold.current(db) is None
    db.conn.close()


def test_a_restore_with_the_hub_out_of_reach_says_so_and_keeps_the_kiosk_held(held_app):
    client, _page = _signed_in(held_app)
    answer = post_form(client, "/duty/restore-from-hub", {})
    assert answer.status_code == 502
    assert "The hub cannot be reached. Nothing was changed" in page_text(answer)
    assert "The kiosk refuses new answers" in page_text(answer)
    assert events(held_app) == 0


def test_the_restore_buttons_are_for_the_duty_officer_only(held_app):
    client = held_app.test_client()
    for path in ("/duty/restore-from-hub", "/duty/continue-without-restore"):
        answer = post_form(client, path, {"confirm": "1"})
        assert answer.status_code in (302, 401, 403), path
    db = kdb.connect(database_path(held_app))
    assert hold.current(db)["hub_acked"] == 7
    db.conn.close()
