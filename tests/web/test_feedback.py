"""Satisfaction answers and EIT referrals through the kiosk's forms, read back from the API."""

import re
import uuid

import pytest

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.forms import post_form
from tests.helpers.pages import page_text

AUTH = {"Authorization": "Bearer " + TEST_SECRETS["KIOSK_API_TOKEN"]}


@pytest.fixture
def app(make_app):
    # No repeat window: these tests tap faster than a citizen would.
    return make_app({"feedback": {"repeat_window_seconds": 0, "burst_max_per_minute": 1000}})


def tallies(client, query=""):
    response = client.get("/api/v1/tallies" + query, headers=AUTH)
    assert response.status_code == 200
    return response.get_json()


def rate(client, level, form_id=None):
    return post_form(client, "/satisfaction", {"level": level, "form_id": form_id or uuid.uuid4().hex})


def answer_id(response):
    return re.search(r"/satisfaction/([0-9a-f]{32})/", response.get_data(as_text=True)).group(1)


def test_one_tap_is_a_complete_answer(client):
    response = rate(client, 5)
    assert response.status_code == 200
    assert "บันทึกความพึงพอใจของท่านแล้ว" in page_text(response)
    figures = tallies(client)["satisfaction"]
    assert figures["total"] == 1
    assert figures["counts"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}
    assert figures["mean"] == 5.0


def test_follow_ups_amend_the_same_answer(client):
    answer = answer_id(rate(client, 4))
    base = f"/satisfaction/{answer}"
    assert post_form(client, f"{base}/unit", {"unit": "traffic", "form_id": uuid.uuid4().hex}).status_code == 200
    assert (
        post_form(client, f"{base}/aspects", {"staff": "5", "process": "3", "form_id": uuid.uuid4().hex}).status_code
        == 200
    )
    assert (
        post_form(
            client, f"{base}/reasons", {"reason": ["polite_staff", "waited_too_long"], "form_id": uuid.uuid4().hex}
        ).status_code
        == 200
    )
    done = post_form(client, f"{base}/comment", {"comment": "บริการดีมาก โทร 081-234-5678", "form_id": uuid.uuid4().hex})
    assert "ขอบคุณสำหรับความคิดเห็นของท่าน" in page_text(done)
    figures = tallies(client)["satisfaction"]
    assert figures["total"] == 1
    assert figures["by_unit"]["traffic"]["total"] == 1
    assert figures["aspects"]["staff"]["mean"] == 5.0
    assert figures["reasons"]["polite_staff"] == 1 and figures["reasons"]["waited_too_long"] == 1
    assert figures["comments"] == 1


def test_skipping_every_follow_up_keeps_the_rating(client):
    answer = answer_id(rate(client, 2))
    assert client.get(f"/satisfaction/{answer}/aspects").status_code == 200
    assert post_form(client, f"/satisfaction/{answer}/reasons", {"form_id": uuid.uuid4().hex}).status_code == 200
    assert client.get("/satisfaction/thanks").status_code == 200
    assert tallies(client)["satisfaction"]["counts"]["2"] == 1


def test_a_closed_answer_cannot_be_amended(client):
    answer = answer_id(rate(client, 3))
    client.get("/satisfaction/thanks")
    response = post_form(client, f"/satisfaction/{answer}/unit", {"unit": "traffic", "form_id": uuid.uuid4().hex})
    assert response.status_code == 409
    assert tallies(client)["satisfaction"]["by_unit"]["traffic"]["total"] == 0


def test_another_visit_cannot_amend_my_answer(app, client):
    answer = answer_id(rate(client, 3))
    other = app.test_client()
    other.get("/home")
    response = post_form(other, f"/satisfaction/{answer}/unit", {"unit": "traffic", "form_id": uuid.uuid4().hex})
    assert response.status_code == 409


@pytest.mark.parametrize("level", ["0", "6", "five", "", "3.5"])
def test_a_rating_outside_one_to_five_is_refused(client, level):
    response = rate(client, level)
    assert response.status_code == 422
    assert tallies(client)["satisfaction"]["raw"]["total"] == 0


@pytest.mark.parametrize(
    "step, data",
    [
        ("unit", {"unit": "customs"}),
        ("aspects", {"staff": "9"}),
        ("reasons", {"reason": "free_coffee"}),
        ("comment", {"comment": "x" * 501}),
        ("comment", {"comment": "bad\x00byte"}),
    ],
)
def test_bad_follow_ups_are_refused_and_change_nothing(client, step, data):
    answer = answer_id(rate(client, 4))
    before = tallies(client)
    response = post_form(client, f"/satisfaction/{answer}/{step}", {**data, "form_id": uuid.uuid4().hex})
    assert response.status_code == 422
    after = tallies(client)
    assert after["satisfaction"] == before["satisfaction"]


def test_a_replayed_form_is_refused(client):
    form_id = uuid.uuid4().hex
    assert rate(client, 5, form_id).status_code == 200
    replay = rate(client, 5, form_id)
    assert replay.status_code == 409
    assert "บันทึกไว้แล้ว" in replay.get_data(as_text=True)
    assert tallies(client)["satisfaction"]["raw"]["total"] == 1


def test_a_form_without_csrf_token_is_refused(app):
    client = app.test_client()
    client.get("/home")
    response = client.post("/satisfaction", data={"level": 5, "form_id": uuid.uuid4().hex})
    assert response.status_code == 400
    assert tallies(client)["satisfaction"]["raw"]["total"] == 0


def test_rapid_repeats_are_kept_but_not_counted(make_app):
    app = make_app({"feedback": {"repeat_window_seconds": 10}})
    client = app.test_client()
    for _ in range(20):
        assert rate(client, 5).status_code == 200
    figures = tallies(client)["satisfaction"]
    assert figures["total"] == 1
    assert figures["raw"]["total"] == 20
    assert figures["flagged"] == 19


def test_eit_referral_counts_for_the_chosen_unit(client):
    client.get("/eit")
    response = post_form(client, "/eit", {"unit": "traffic", "form_id": uuid.uuid4().hex})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<svg" in page and "https://itas.nacc.go.th/go/eit/demo" in page
    # Showing it bigger is not a second referral.
    assert client.get("/eit/qr/traffic?size=big").status_code == 200
    eit = tallies(client)["eit"]
    assert eit["by_unit"] == {"administration": 0, "crime_prevention": 0, "traffic": 1, "investigation": 0}
    assert eit["quota"] == {"administration": 15, "crime_prevention": 120, "traffic": 60, "investigation": 105}
    assert eit["total"] == 1


def test_not_sure_is_counted_apart(client):
    client.get("/eit")
    post_form(client, "/eit", {"unit": "not_sure", "form_id": uuid.uuid4().hex})
    eit = tallies(client)["eit"]
    assert eit["not_sure"] == 1 and sum(eit["by_unit"].values()) == 0


def test_unknown_unit_referral_is_refused(client):
    client.get("/eit")
    assert post_form(client, "/eit", {"unit": "navy", "form_id": uuid.uuid4().hex}).status_code == 422
    assert client.get("/eit/qr/navy").status_code == 404
    assert tallies(client)["eit"]["raw"]["total"] == 0


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic " + TEST_SECRETS["KIOSK_API_TOKEN"]}]
)
def test_api_refuses_requests_without_the_token(client, headers):
    response = client.get("/api/v1/tallies", headers=headers)
    assert response.status_code == 401
    assert "error" in response.get_json()


@pytest.mark.parametrize("query", ["?from=2026-13-01", "?to=yesterday", "?from=2026-02-01&to=2026-01-01"])
def test_api_refuses_bad_dates_with_a_clear_error(client, query):
    response = client.get("/api/v1/tallies" + query, headers=AUTH)
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.get_json()["error"] or "after" in response.get_json()["error"]


def test_api_filters_by_date(client):
    rate(client, 5)
    assert tallies(client, "?from=2000-01-01&to=2000-12-31")["satisfaction"]["total"] == 0
    assert tallies(client, "?from=2000-01-01")["satisfaction"]["total"] == 1
