"""The citizen's flows on the server: Done saves, the thank-you, reading idle time, contextual
back, the most used services first, the No Gift Policy's numbers first."""

import re
import uuid

import pytest

from kiosk.content.loader import load_content
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.forms import post_form
from tests.helpers.pages import page_text

AUTH = {"Authorization": "Bearer " + TEST_SECRETS["KIOSK_API_TOKEN"]}
CONTENT = load_content()


@pytest.fixture
def app(make_app):
    return make_app(
        {
            "feedback": {"repeat_window_seconds": 0, "burst_max_per_minute": 1000},
            "kiosk": {"idle_seconds": 45, "reading_idle_seconds": 240},
        }
    )


def satisfaction(client):
    response = client.get("/api/v1/tallies", headers=AUTH)
    assert response.status_code == 200
    return response.get_json()["satisfaction"]


def rate(client, level=4):
    response = post_form(client, "/satisfaction", {"level": level, "form_id": uuid.uuid4().hex})
    return re.search(r"/satisfaction/([0-9a-f]{32})/", page_text(response)).group(1)


def done(client, answer, step, data):
    return post_form(client, f"/satisfaction/{answer}/{step}", {**data, "done": "1", "form_id": uuid.uuid4().hex})


def test_done_is_the_primary_button_and_submits(client):
    answer = rate(client)
    page = page_text(client.get(f"/satisfaction/{answer}/aspects"))
    button = re.search(r"<button[^>]*name=\"done\"[^>]*>", page).group(0)
    assert 'type="submit"' in button and "button-primary" in button
    assert 'href="/satisfaction/thanks"' not in page  # no longer a link that drops the answers


def test_done_on_the_aspects_saves_them_and_finishes(client):
    answer = rate(client)
    response = done(client, answer, "aspects", {"staff": "5", "facilities": "2"})
    assert response.status_code == 200
    page = page_text(response)
    assert 'data-screen="feedback-thanks"' in page
    assert "data-comment-saved" not in page  # no comment was written: no thanks for one
    figures = satisfaction(client)
    assert figures["aspects"]["staff"]["mean"] == 5.0 and figures["aspects"]["facilities"]["mean"] == 2.0
    # the answer is closed: nothing more can be added to it
    assert done(client, answer, "reasons", {"reason": "polite_staff"}).status_code == 409


def test_done_on_the_unit_and_reasons_saves_them(client):
    answer = rate(client)
    post_form(client, f"/satisfaction/{answer}/unit", {"unit": "traffic", "form_id": uuid.uuid4().hex})
    assert done(client, answer, "reasons", {"reason": ["polite_staff", "clear_explanation"]}).status_code == 200
    figures = satisfaction(client)
    assert figures["by_unit"]["traffic"]["total"] == 1
    assert figures["reasons"]["polite_staff"] == 1 and figures["reasons"]["clear_explanation"] == 1


def test_done_with_a_comment_saves_it_and_thanks_for_it(client):
    answer = rate(client)
    page = page_text(done(client, answer, "comment", {"comment": "ห้องน้ำสะอาด"}))
    assert "ขอบคุณสำหรับความคิดเห็นของท่าน" in page and "data-comment-saved" in page
    assert satisfaction(client)["comments"] == 1


def test_done_with_nothing_chosen_thanks_without_a_comment(client):
    answer = rate(client)
    page = page_text(done(client, answer, "comment", {"comment": ""}))
    assert 'data-screen="feedback-thanks"' in page
    assert "ขอบคุณสำหรับความคิดเห็นของท่าน" not in page
    assert satisfaction(client)["comments"] == 0


def test_done_with_a_bad_value_is_refused_and_saves_nothing(client):
    answer = rate(client)
    response = done(client, answer, "aspects", {"staff": "9"})
    assert response.status_code == 422
    assert satisfaction(client)["aspects"]["staff"]["mean"] is None


def test_the_thank_you_goes_to_the_start_screen_which_forgets_the_visit(client):
    client.get("/home?lang=en&text=large")
    answer = rate(client)
    page = page_text(done(client, answer, "unit", {}))
    assert 'hx-get="/"' in page  # untouched, the start screen comes back
    client.get("/")
    home = page_text(client.get("/home"))
    assert '<html lang="th">' in home and "text-large" not in home


def test_reading_screens_have_the_longer_idle_time(client):
    for path in ("/manual", "/manual/situation/lost", "/manual/bail", "/policy", "/about", "/case-progress"):
        assert 'data-idle-seconds="240"' in page_text(client.get(path)), path
    for path in ("/home", "/satisfaction", "/eit"):
        assert 'data-idle-seconds="45"' in page_text(client.get(path)), path


def test_every_citizen_screen_carries_the_still_there_prompt_and_the_scroll_cue(client):
    for path in ("/home", "/manual", "/manual/bail", "/policy", "/eservices"):
        page = page_text(client.get(path))
        assert "ยังใช้งานอยู่หรือไม่?" in page and "Still there?" in page, path
        assert "ยังมีต่อด้านล่าง" in page, path


def test_a_service_from_a_situation_goes_back_to_that_situation(client):
    page = page_text(client.get("/manual/online-fraud?from=scam"))
    back = re.search(r'<a class="button" href="([^"]+)" data-back>', page).group(1)
    assert back == "/manual/situation/scam"
    assert "กลับไปที่: " + CONTENT.situation("scam").label.th in page


@pytest.mark.parametrize("origin", ["", "?from=nothing", "?from=accident", "?from=%3Cscript%3E"])
def test_a_service_from_elsewhere_goes_back_to_the_whole_manual(client, origin):
    response = client.get("/manual/online-fraud" + origin)
    assert response.status_code == 200
    page = page_text(response)
    assert re.search(r'<a class="button" href="/manual" data-back>', page)
    assert "<script>" not in page


def test_the_most_used_services_come_first_in_the_manual(client):
    page = page_text(client.get("/manual"))
    first_links = re.findall(r'href="/manual/([a-z0-9-]+)"', page)[:2]
    assert first_links == ["lost-documents", "online-fraud"]
    assert page.index("บริการที่ใช้บ่อย") < page.index("เกิดอะไรขึ้นกับท่าน")


def test_the_no_gift_policy_shows_the_numbers_to_call_first(client):
    page = page_text(client.get("/policy"))
    assert page.index("1599") < page.index(CONTENT.policy.for_citizens[0].th)
