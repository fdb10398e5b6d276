"""The citizen languages through Flask's test client: the setting that offers them, the
visit's choice, the English fallback of a manual not translated, the notes, the admin's review."""

import re

import pytest

from kiosk.content.loader import raw_files
from tests.helpers.forms import admin_signed_in, csrf_token
from tests.helpers.pages import page_text

ALL_LANGUAGES = '[station]\nlanguages = ["th", "en", "my", "km", "lo", "zh"]\n'


@pytest.fixture
def client(make_app, tmp_path):
    """The demo kiosk set to offer all six languages."""
    settings = tmp_path / "languages.toml"
    settings.write_text(ALL_LANGUAGES, encoding="utf-8")
    return make_app(config_file=settings).test_client()


def test_a_station_may_offer_every_language_named_in_its_own_script(client):
    page = page_text(client.get("/home"))
    for name in ("ไทย", "English", "မြန်မာ", "ខ្មែរ", "ລາວ", "中文"):
        assert f">{name}</a>" in page
    assert 'lang="zh-Hans"' in page


def test_a_station_offers_only_the_languages_it_chose(make_app, tmp_path):
    settings = tmp_path / "station.toml"
    settings.write_text('[station]\ndemo = false\nlanguages = ["th", "en", "my"]\n', encoding="utf-8")
    client = make_app(config_file=settings).test_client()
    page = page_text(client.get("/home"))
    assert "မြန်မာ" in page and "ខ្មែរ" not in page
    # A language not offered is ignored: the screen stays in Thai.
    assert '<html lang="th">' in page_text(client.get("/home?lang=km"))


def test_a_station_without_a_choice_offers_thai_and_english_only(make_app, tmp_path):
    settings = tmp_path / "station.toml"
    settings.write_text("[station]\ndemo = false\n", encoding="utf-8")
    page = page_text(make_app(config_file=settings).test_client().get("/home"))
    assert ">English</a>" in page and "မြန်မာ" not in page


def test_the_choice_holds_for_the_visit_and_the_start_screen_forgets_it(client):
    client.get("/home?lang=lo")
    assert '<html lang="lo">' in page_text(client.get("/policy"))
    client.get("/")
    assert '<html lang="th">' in page_text(client.get("/home"))


def test_a_manual_not_translated_shows_in_english_and_says_so(client):
    page = page_text(client.get("/manual/bail?lang=km"))
    assert "សៀវភៅណែនាំនេះមិនទាន់បានបកប្រែជាភាសារបស់អ្នក" in page
    assert '<span lang="en">Bail for a suspect (temporary release)</span>' not in page  # its name is translated
    assert '<span lang="en">ID card of the person standing bail</span>' in page
    assert "ការបកប្រែនេះមិនទាន់ត្រូវបានពិនិត្យ" in page


def test_a_translated_manual_has_no_english_fallback(client):
    page = page_text(client.get("/manual/lost-documents?lang=zh"))
    assert "本指南尚未译成" not in page and '<span lang="en">' not in page
    assert "本译文尚未经警察局审核" in page


def test_thai_and_english_carry_no_translation_note(client):
    for lang in ("th", "en"):
        assert "translation-note" not in page_text(client.get(f"/policy?lang={lang}"))


def test_the_admin_sees_what_is_unreviewed_and_marks_it_reviewed(station_app):
    client = admin_signed_in(station_app.test_client())
    index = page_text(client.get("/admin/content?lang=en"))
    assert "/admin/content/translations/my" in index and "not reviewed" in index
    page = page_text(client.get("/admin/content/translations/my"))
    assert "No Gift Policy" in page and "လက်ဆောင် လက်မခံရေး မူဝါဒ" in page
    count = sum(len(table) for table in raw_files()["translations/my.toml"].values() if isinstance(table, dict))
    form = {"csrf_token": csrf_token(client, "/admin/content/translations/my")}
    for i in range(count):
        form[f"reviewed.{i}"] = "on"
    response = client.post("/admin/content/translations/my", data=form)
    assert response.status_code == 302
    index = page_text(client.get("/admin/content?lang=en"))
    assert re.search(r"translations/my.*?· \d+ translated, 0 not reviewed", index, re.S)
    assert re.search(r"translations/km.*?· \d+ translated, [1-9]\d* not reviewed", index, re.S)
