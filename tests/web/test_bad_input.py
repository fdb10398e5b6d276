"""Property-based tests: whatever arrives at a form or the API, nothing answers 500 and
nothing is stored from a rejected request."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.forms import csrf_token, post_form

ANY_TEXT = st.one_of(
    st.text(max_size=40), st.sampled_from(["5", "0", "-1", "traffic", "not_sure", "x" * 600, "\x00", "<b>"])
)
FORM = st.dictionaries(
    st.sampled_from(
        ["level", "unit", "reason", "comment", "staff", "form_id", "pin", "note", "name", "shift", "paused"]
    ),
    ANY_TEXT,
    max_size=5,
)
HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def event_count(app):
    from kiosk.store.db import connect
    from kiosk.web.database import database_path

    return connect(database_path(app)).execute("SELECT count(*) FROM events").fetchone()[0]


@pytest.fixture
def signed_in(app):
    client = app.test_client()
    client.post("/duty", data={"pin": TEST_SECRETS["KIOSK_DUTY_PIN"], "csrf_token": csrf_token(client, "/duty")})
    return client


@HYPOTHESIS
@given(path=st.sampled_from(["/satisfaction", "/eit", "/duty", "/admin/login"]), form=FORM)
def test_forms_never_fail_and_store_nothing_when_they_refuse(app, path, form):
    client = app.test_client()
    before = event_count(app)
    response = client.post(path, data={**form, "csrf_token": csrf_token(client)})
    assert response.status_code < 500
    if response.status_code >= 400:
        assert event_count(app) == before


@HYPOTHESIS
@given(
    step=st.sampled_from(["unit", "aspects", "reasons", "comment", "nope"]),
    form=FORM,
    answer=st.one_of(st.just(None), st.text(max_size=40)),
)
def test_follow_ups_never_fail(app, step, form, answer):
    client = app.test_client()
    token = csrf_token(client)
    page = post_form(client, "/satisfaction", {"level": "4", "form_id": "the home screen's"}).get_data(as_text=True)
    answer_id = answer if answer is not None else page.split("/satisfaction/")[1].split("/")[0]
    before = event_count(app)
    response = client.post(f"/satisfaction/{answer_id}/{step}", data={**form, "csrf_token": token})
    assert response.status_code < 500
    if response.status_code >= 400:
        assert event_count(app) == before


@HYPOTHESIS
@given(path=st.sampled_from(["/duty/reset", "/duty/pause", "/duty/pr-duty", "/duty/alerts/1/ack"]), form=FORM)
def test_duty_actions_never_fail(app, signed_in, path, form):
    response = signed_in.post(path, data={**form, "csrf_token": csrf_token(signed_in, "/duty")})
    assert response.status_code < 500


@HYPOTHESIS
@given(query=st.dictionaries(st.sampled_from(["from", "to", "month", "station"]), ANY_TEXT, max_size=3))
def test_api_and_dashboard_queries_never_fail(app, query):
    client = app.test_client()
    response = client.get(
        "/api/v1/tallies", query_string=query, headers={"Authorization": "Bearer " + TEST_SECRETS["KIOSK_API_TOKEN"]}
    )
    assert response.status_code in (200, 400)
    assert response.is_json


@HYPOTHESIS
@given(path=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30))
def test_any_path_answers_without_a_server_error(app, path):
    response = app.test_client().get("/" + path.lstrip("/"))
    assert response.status_code < 500


def test_an_oversized_body_is_refused_before_it_is_read(app):
    client = app.test_client()
    response = client.post("/satisfaction", data={"comment": "x" * 200_000, "csrf_token": csrf_token(client)})
    assert response.status_code == 413
    assert event_count(app) == 0
