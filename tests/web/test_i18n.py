from babel.messages.pofile import read_po

from kiosk.web.i18n import TRANSLATIONS, compile_catalogs
from tests.helpers.pages import page_text


def test_every_message_has_a_thai_translation():
    with open(TRANSLATIONS / "th" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_catalogues_compile_once_into_the_target(tmp_path):
    mo_paths = {tmp_path / lang / "LC_MESSAGES" / "messages.mo" for lang in ("th", "my", "km", "lo", "zh")}
    assert set(compile_catalogs(tmp_path)) == mo_paths
    assert all(mo_path.stat().st_size > 1000 for mo_path in mo_paths)
    assert compile_catalogs(tmp_path) == []


def test_home_is_thai_by_default_and_english_on_request(client):
    thai = page_text(client.get("/home"))
    assert "คู่มือการให้บริการ" in thai and 'lang="th"' in thai
    english = page_text(client.get("/home?lang=en"))
    assert "Service manual" in english and "คู่มือการให้บริการ" not in english
    # The choice holds for the rest of the visit ...
    assert "Service manual" in page_text(client.get("/home"))
    # ... and the start screen forgets it for the next citizen.
    client.get("/")
    assert "คู่มือการให้บริการ" in page_text(client.get("/home"))


def test_unknown_language_is_ignored(client):
    assert "คู่มือการให้บริการ" in page_text(client.get("/home?lang=xx"))


def test_core_translates_without_flask():
    from kiosk.core.i18n import Label, translate, translate_plural

    assert translate("Mean score", "th") == "คะแนนเฉลี่ย" and translate("Mean score", "en") == "Mean score"
    assert translate("Satisfaction", "th") != translate("Satisfaction", "th", context="the level an answer gave")
    assert translate_plural("%(n)s service", "%(n)s services", 2, "en") == "2 services"
    assert translate_plural("%(n)s service", "%(n)s services", 1, "th") == "1 งาน"
    label = Label("Unit")
    assert str(label) == "หน่วยงาน" and label.in_language("en") == "Unit"  # Thai outside a request


def test_every_label_of_vocabulary_exports_and_posters_is_in_the_catalogue():
    from kiosk.core import vocab
    from kiosk.reports.exports import LABELS
    from kiosk.signage.definitions import POSTER_WORDS

    labels = [*LABELS.values(), *POSTER_WORDS.values()]
    for name in dir(vocab):
        if name.endswith("_LABELS"):
            labels += getattr(vocab, name).values()
    untranslated = [label for label in labels if label.in_language("th") == label.msgid]
    assert untranslated == []


def test_a_vocabulary_label_follows_the_visit_language(app):
    from flask import session

    from kiosk.core.vocab import UNIT_LABELS

    with app.test_request_context("/home"):
        assert str(UNIT_LABELS["traffic"]) == "งานจราจร"
    with app.test_request_context("/home"):
        session["lang"] = "en"
        assert str(UNIT_LABELS["traffic"]) == "Traffic"
