"""The citizen information screens render the content, in Thai and English."""

import pytest
from markupsafe import escape

from kiosk.content.loader import DEFAULT_DIR as CONTENT_DIR
from kiosk.content.loader import load_content
from tests.helpers.pages import page_text

CONTENT = load_content()
SLUGS = [service.slug for service in CONTENT.services]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_manual_shows_documents_fee_time_and_its_qr(client, slug):
    service = CONTENT.service(slug)
    for lang in ("th", "en"):
        page = page_text(client.get(f"/manual/{slug}?lang={lang}"))
        for text in (service.name, service.fee, service.time_standard, *(d.name for d in service.documents)):
            assert str(escape(text.get(lang))) in page
        prefix = "en/" if lang == "en" else ""
        assert f"https://changhan.roiet.police.go.th/onestop/{prefix}manual/{slug}.html" in page
        assert page.count("<svg") >= 2  # icons sprite + at least the take-home QR


def test_manual_lists_every_service_by_unit_and_every_situation(client):
    page = client.get("/manual").get_data(as_text=True)
    for service in CONTENT.services:
        assert f'href="/manual/{service.slug}"' in page
    for situation in CONTENT.situations:
        assert f'href="/manual/situation/{situation.key}"' in page
    for unit in ("งานอำนวยการ", "งานป้องกันปราบปราม", "งานจราจร", "งานสืบสวน", "งานสอบสวน"):
        assert unit in page


def test_situation_lists_its_services(client):
    page = client.get("/manual/situation/lost").get_data(as_text=True)
    for service in CONTENT.services_for_situation("lost"):
        # each link says which situation it came from, for the service's back control
        assert f'href="/manual/{service.slug}?from=lost"' in page
    assert client.get("/manual/situation/nothing").status_code == 404


def test_lost_id_card_sends_the_citizen_to_the_district_office(client):
    page = page_text(client.get("/manual/lost-id-card"))
    assert "เรื่องนี้ไม่ต้องติดต่อสถานีตำรวจ" in page
    assert "20 บาท" in page and "60 วัน" in page


def test_unknown_manual_is_a_404(client):
    assert client.get("/manual/flying-licence").status_code == 404


def test_printable_page_is_a_whole_page_even_for_htmx(client):
    response = client.get("/manual/bail/print", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert page.startswith("<!doctype html>") and "print.css" in page
    assert "topbar" not in page and "htmx.min.js" not in page
    assert CONTENT.service("bail").name.th in page


@pytest.mark.parametrize("path", ["/policy", "/eservices", "/about", "/case-progress"])
def test_information_screens_render_in_both_languages(client, path):
    assert client.get(path).status_code == 200
    english = client.get(path + "?lang=en").get_data(as_text=True)
    assert 'data-lang="en"' in english


def test_policy_lists_every_reporting_channel_with_number_or_qr(client):
    page = page_text(client.get("/policy"))
    for channel in CONTENT.policy.channels:
        assert channel.name.th in page
        if channel.phone:
            assert channel.phone in page
        if channel.url:
            assert channel.url in page
    assert "1205" in page and "1599" in page


def test_eservices_show_the_official_addresses(client):
    page = client.get("/eservices").get_data(as_text=True)
    for address in ("https://www.thaipoliceonline.go.th", "https://ptm.police.go.th"):
        assert address in page
    assert "1441" in page


def test_case_progress_never_asks_for_a_case_number_or_name(client):
    page = client.get("/case-progress").get_data(as_text=True)
    assert "<input" not in page.split('id="screen"')[1]
    assert "<textarea" not in page


def test_station_content_overrides_the_defaults(make_app, tmp_path):
    station = tmp_path / "station-content" / "services"
    station.mkdir(parents=True)
    source = (CONTENT_DIR / "services" / "bail.toml").read_text(encoding="utf-8")
    (station / "bail.toml").write_text(source.replace("ขอประกันตัว", "ขอปล่อยตัวชั่วคราว (ฉบับสถานี)", 1), encoding="utf-8")
    app = make_app({"kiosk": {"content_dir": str(station.parent)}})
    page = page_text(app.test_client().get("/manual/bail"))
    assert "ฉบับสถานี" in page
