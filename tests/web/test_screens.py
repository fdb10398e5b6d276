import re

import pytest

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.pages import page_text

TILE_PATHS = ["/manual", "/policy", "/eservices", "/eit", "/satisfaction", "/about", "/case-progress"]


def test_healthz_reports_version_and_a_writable_database(client, app):

    response = client.get("/healthz", headers={"Authorization": "Bearer " + TEST_SECRETS["KIOSK_API_TOKEN"]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["writable"] is True
    assert body["database"].endswith("kiosk.db")
    assert body["version"]


def test_start_screen_shows_the_station_and_the_buddhist_era(client):
    page = page_text(client.get("/"))
    assert "สถานีตำรวจภูธรจังหาร" in page and "Chang Han Provincial Police Station" in page
    assert re.search(r"25[6-9]\d", page)  # a B.E. year
    assert "แตะเพื่อเริ่ม" in page and "Touch to start" in page


def test_home_links_every_tile_and_the_five_faces(client):
    page = page_text(client.get("/home?lang=en"))
    for path in TILE_PATHS:
        assert f'href="{path}"' in page
    for name in ["Very satisfied", "Satisfied", "Neutral", "Dissatisfied", "Very dissatisfied"]:
        assert f'aria-label="{name}"' in page


@pytest.mark.parametrize("path", TILE_PATHS)
def test_every_tile_opens_a_screen(client, path):
    assert client.get(path).status_code == 200


def test_htmx_gets_the_fragment_and_a_direct_load_the_page(client):
    full = page_text(client.get("/home"))
    fragment = page_text(client.get("/home", headers={"HX-Request": "true"}))
    assert full.startswith("<!doctype html>")
    assert "<html" not in fragment and 'class="app' in fragment


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-screen")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in page_text(response)


def test_pages_are_not_cached(client):
    assert client.get("/home").headers["Cache-Control"] == "no-store"


def test_large_text_is_a_visit_choice(client):
    assert "text-large" in page_text(client.get("/home?text=large"))
    assert "text-large" in page_text(client.get("/home"))
    client.get("/")
    assert "text-large" not in page_text(client.get("/home"))


def test_no_page_loads_anything_from_another_host(client):
    for path in ["/", "/home"] + TILE_PATHS:
        page = page_text(client.get(path))
        assert not re.search(r'(src|href)="(https?:)?//', page), path
