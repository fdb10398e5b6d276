"""Translations of the content (translations/<lang>.toml): laid over their texts with the
reviewed flag, stale when the English changes, refused when malformed, one place only."""

import copy

import pytest

from kiosk.content.loader import ContentError, load_files, raw_files
from kiosk.content.translations import status

FILES = raw_files()


def with_entry(lang, file, path, **entry):
    files = copy.deepcopy(FILES)
    files.setdefault(f"translations/{lang}.toml", {"language": lang}).setdefault(file, {})[path] = entry
    return files


def test_shipped_drafts_cover_the_policy_and_lost_documents_manual_unreviewed():
    content = load_files(FILES)
    lost = content.service("lost-documents")
    for lang in ("my", "km", "lo", "zh"):
        assert content.policy.title.has(lang) and not content.policy.title.reviewed(lang)
        assert all(step.text.has(lang) for step in lost.steps)
        assert all(channel.name.has(lang) for channel in content.policy.channels)
        assert content.about.contact.address.has(lang)
    assert content.policy.title.get("zh") == "拒收礼品政策"


def test_a_reviewed_translation_carries_its_flag():
    files = with_entry("my", "policy.toml", "title", en="No Gift Policy", text="စမ်းသပ်", reviewed=True)
    title = load_files(files).policy.title
    assert title.get("my") == "စမ်းသပ်" and title.reviewed("my")


def test_a_translation_whose_english_changed_is_stale_and_not_shown():
    files = with_entry("km", "policy.toml", "title", en="An older English title", text="ចាស់", reviewed=True)
    assert not load_files(files).policy.title.has("km")
    assert status(files)["km"]["stale"] == 1


def test_a_keyed_list_entry_is_found_by_its_key():
    files = with_entry(
        "lo",
        "policy.toml",
        "channels[nacc].note",
        en=FILES["policy.toml"]["channels"][3]["note"]["en"],
        text="ທົດສອບ",
        reviewed=False,
    )
    nacc = next(c for c in load_files(files).policy.channels if c.key == "nacc")
    assert nacc.note.get("lo") == "ທົດສອບ"


@pytest.mark.parametrize(
    "lang, entry, message",
    [
        ("xx", {"en": "a", "text": "b", "reviewed": False}, "translations/xx.toml: (file): unknown language 'xx'"),
        (
            "my",
            {"en": "a", "text": " ", "reviewed": False},
            "translations/my.toml: policy.toml: title: en and text must be text",
        ),
        (
            "my",
            {"en": "a", "text": "b"},
            "translations/my.toml: policy.toml: title: must be a table with en, text and reviewed",
        ),
        ("my", {"en": "a", "text": "b", "reviewed": "yes"}, "reviewed must be true or false"),
    ],
)
def test_a_malformed_translation_stops_the_load_naming_the_file(lang, entry, message):
    with pytest.raises(ContentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_files(with_entry(lang, "policy.toml", "title", **entry))


def test_a_translation_typed_in_a_content_file_is_refused():
    files = copy.deepcopy(FILES)
    files["policy.toml"]["title"]["my"] = "မူဝါဒ"
    with pytest.raises(
        ContentError, match=r"policy.toml: title.my: unknown field; a translation goes in translations/my.toml"
    ):
        load_files(files)


def test_the_share_translated_is_counted_per_language():
    shares = status(FILES)
    assert set(shares) == {"my", "km", "lo", "zh"}
    for counts in shares.values():
        assert 0 < counts["translated"] <= counts["texts"] and counts["reviewed"] == 0 and counts["stale"] == 0
