"""The admin's pages: sign-in, the month's figures, comments and their retention."""

import datetime as dt
import time
import uuid
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.forms import csrf_token, post_form

PASSWORD = TEST_SECRETS["KIOSK_ADMIN_PASSWORD"]


def buddhist_era_year_in_bangkok():
    """This year in the Buddhist Era, by today's date in Bangkok (what the dashboard shows)."""
    return dt.datetime.now(ZoneInfo("Asia/Bangkok")).year + 543


@pytest.fixture
def app(make_app):
    return make_app({"feedback": {"repeat_window_seconds": 0, "burst_max_per_minute": 1000}})


def sign_in(client, password=PASSWORD, username="admin", next_path=""):
    token = csrf_token(client, "/admin/login")
    return client.post(
        "/admin/login", data={"username": username, "password": password, "next": next_path, "csrf_token": token}
    )


def answer(client, level, unit=None, comment=None):
    page = post_form(client, "/satisfaction", {"level": level, "form_id": uuid.uuid4().hex}).get_data(as_text=True)
    answer_id = page.split("/satisfaction/")[1].split("/")[0]
    if unit:
        post_form(client, f"/satisfaction/{answer_id}/unit", {"unit": unit, "form_id": uuid.uuid4().hex})
    if comment:
        post_form(client, f"/satisfaction/{answer_id}/comment", {"comment": comment, "form_id": uuid.uuid4().hex})
    client.get("/satisfaction/thanks")
    return answer_id


@pytest.mark.parametrize("path", ["/admin", "/admin/comments"])
def test_admin_pages_need_a_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_wrong_password_is_refused(client):
    assert sign_in(client, "nope").status_code == 401
    assert sign_in(client, PASSWORD, username="root").status_code == 401
    assert client.get("/admin").status_code == 302


def test_sign_in_form_needs_its_csrf_token(client):
    response = client.post("/admin/login", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin").status_code == 302


def test_sign_in_never_redirects_off_site(client):
    response = sign_in(client, next_path="https://evil.example/")
    assert response.status_code == 302 and response.headers["Location"] == "/admin"


def test_session_expires(make_app):
    app = make_app({"admin": {"session_minutes": 1}})
    client = app.test_client()
    sign_in(client)
    assert client.get("/admin").status_code == 200
    with client.session_transaction() as session:
        session["admin"] = time.time() - 120
    assert client.get("/admin").status_code == 302


def test_dashboard_shows_the_months_figures(app, client):
    kiosk = app.test_client()
    for level, unit in ((5, "traffic"), (4, "traffic"), (2, "administration")):
        answer(kiosk, level, unit)
    post_form(kiosk, "/eit", {"unit": "crime_prevention", "form_id": uuid.uuid4().hex})
    sign_in(client)
    year_before = buddhist_era_year_in_bangkok()
    page = client.get("/admin").get_data(as_text=True)
    # The month is named in the Buddhist Era (the year may turn during the request).
    assert str(year_before) in page or str(buddhist_era_year_in_bangkok()) in page
    assert '<span class="kpi-value">3</span>' in page  # answers counted
    assert "66.67%" in page  # satisfied: 2 of 3
    assert "3.67" in page  # mean
    assert '<span class="kpi-value">1</span>' in page  # EIT referrals
    assert "<svg" in page


def test_a_bad_period_is_a_clear_error(client):
    sign_in(client)
    response = client.get("/admin?month=2026-13")
    assert response.status_code == 400
    assert "month" in response.get_data(as_text=True)


def test_comments_are_listed_masked_and_deleted_on_request(app, client):
    answer(app.test_client(), 1, comment="ช้ามาก โทร 0812345678 <script>alert(1)</script>")
    sign_in(client)
    page = client.get("/admin/comments").get_data(as_text=True)
    assert "ช้ามาก" in page and "0812345678" not in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    answer_id = page.split("/admin/comments/")[1].split("/")[0]
    post_form(client, f"/admin/comments/{answer_id}/delete", {})
    assert "ช้ามาก" not in client.get("/admin/comments").get_data(as_text=True)


def test_comments_older_than_the_retention_are_deleted(app, client):
    from kiosk.store.db import connect
    from kiosk.web.database import database_path

    answer(app.test_client(), 3, comment="ที่จอดรถเต็ม")
    db = connect(database_path(app))
    db.execute("UPDATE comments SET at = '2020-01-01T00:00:00Z'")
    db.conn.commit()
    sign_in(client)
    assert "ที่จอดรถเต็ม" not in client.get("/admin/comments").get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM comments").fetchone()[0] == 0


def test_exports_open_with_correct_thai_and_match_the_figures(app, client):
    import io
    import json

    import openpyxl

    kiosk = app.test_client()
    answer(kiosk, 5, "traffic", comment="เจ้าหน้าที่ใจดีมาก")
    answer(kiosk, 3, "administration")
    sign_in(client)
    csv_body = client.get("/admin/export/report.csv").data
    assert csv_body.startswith(b"\xef\xbb\xbf")
    text = csv_body.decode("utf-8-sig")
    assert "พึงพอใจมากที่สุด" in text and "เจ้าหน้าที่ใจดีมาก" in text
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/admin/export/report.xlsx").data))
    assert "ความคิดเห็น" in workbook.sheetnames
    levels = workbook["ระดับความพึงพอใจ"]
    cells = [cell for row in levels.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "พึงพอใจมากที่สุด" in cells
    report = json.loads(client.get("/admin/export/report.json").data)
    assert report["tallies"]["satisfaction"]["total"] == 2
    assert report["comment_texts"][0]["text"] == "เจ้าหน้าที่ใจดีมาก"


def test_public_export_has_no_comments(app, client):
    answer(app.test_client(), 4, comment="ความลับ 1234")
    sign_in(client)
    for fmt in ("csv", "json", "xlsx"):
        response = client.get(f"/admin/export/public.{fmt}")
        assert response.status_code == 200
        assert "ความลับ".encode() not in response.data


def test_exports_need_a_sign_in(client):
    assert client.get("/admin/export/report.csv").status_code == 302


def test_posters_are_offered_as_pdf(client):
    sign_in(client)
    page = client.get("/admin/posters").get_data(as_text=True)
    assert "/admin/posters/no-gift.A4.pdf" in page and "/admin/posters/eit-traffic.A3.pdf" in page
    response = client.get("/admin/posters/eit-traffic.A4.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert client.get("/admin/posters/nothing.A4.pdf").status_code == 404
    assert client.get("/admin/posters/no-gift.A5.pdf").status_code == 404


def test_staff_pages_switch_language_too(client):
    assert "Admin sign-in" in client.get("/admin/login?lang=en").get_data(as_text=True)
    assert "Duty officer: enter your PIN" in client.get("/duty").get_data(as_text=True)


def test_expired_comments_never_reach_an_export(app, client):
    from kiosk.store.db import connect
    from kiosk.web.database import database_path

    answer(app.test_client(), 2, comment="ความเห็นเก่ามาก")
    db = connect(database_path(app))
    db.execute("UPDATE comments SET at = '2020-01-01T00:00:00Z'")
    db.conn.commit()
    sign_in(client)
    body = client.get("/admin/export/report.csv?from=2019-01-01&to=2030-12-31").data.decode("utf-8-sig")
    assert "ความเห็นเก่ามาก" not in body
    assert db.execute("SELECT count(*) FROM comments").fetchone()[0] == 0
