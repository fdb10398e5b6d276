from babel.messages.pofile import read_po

from kiosk.web.i18n import TRANSLATIONS, compile_catalogs


def test_every_message_has_a_thai_translation():
    with open(TRANSLATIONS / "th" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_catalogues_compile_once_into_the_target(tmp_path):
    mo_path = tmp_path / "th" / "LC_MESSAGES" / "messages.mo"
    assert compile_catalogs(tmp_path) == [mo_path]
    assert mo_path.stat().st_size > 1000
    assert compile_catalogs(tmp_path) == []


def test_home_is_thai_by_default_and_english_on_request(client):
    thai = client.get("/home").get_data(as_text=True)
    assert "คู่มือการให้บริการ" in thai and 'lang="th"' in thai
    english = client.get("/home?lang=en").get_data(as_text=True)
    assert "Service manual" in english and "คู่มือการให้บริการ" not in english
    # The choice holds for the rest of the visit ...
    assert "Service manual" in client.get("/home").get_data(as_text=True)
    # ... and the start screen forgets it for the next citizen.
    client.get("/")
    assert "คู่มือการให้บริการ" in client.get("/home").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    assert "คู่มือการให้บริการ" in client.get("/home?lang=xx").get_data(as_text=True)
