"""Default content, station overrides and validation errors."""

import dataclasses
import re
import shutil

import pytest

from kiosk.content.loader import (
    DEFAULT_DIR,
    ContentError,
    Text,
    load_content,
    public_url,
)
from kiosk.core.vocab import MANUAL_SECTIONS

THAI = re.compile(r"[\u0E00-\u0E7F]")


@pytest.fixture(scope="module")
def content():
    return load_content()


def all_texts(obj, path="content"):
    """Every Text inside the content, with where it is."""
    if isinstance(obj, Text):
        yield path, obj
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from all_texts(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from all_texts(item, f"{path}[{i}]")


def test_defaults_load(content):
    assert content.notice.points and content.policy.channels and content.eservices
    assert content.about.pledges and content.case_progress.steps


def test_services_cover_all_sections(content):
    assert len(content.services) >= 12
    assert {s.section for s in content.services} == set(MANUAL_SECTIONS)
    grouped = content.by_section()
    assert [section for section, _ in grouped] == list(MANUAL_SECTIONS)
    assert sum(len(group) for _, group in grouped) == len(content.services)
    assert len({s.slug for s in content.services}) == len(content.services)


def test_every_service_has_documents_and_fee(content):
    for s in content.services:
        assert s.documents, s.slug
        for d in s.documents:
            assert d.name.th.strip() and d.name.en.strip(), s.slug
        assert s.fee.th.strip() and s.fee.en.strip(), s.slug
        assert s.fee_baht >= 0
        assert s.steps and s.time_standard.th and s.legal_basis and s.complaint.th
        if s.fee_baht == 0:
            assert "ไม่" in s.fee.th and "no fee" in s.fee.en.lower(), s.slug
        if s.station_standard:
            assert "สถานีกำหนด" in s.time_standard.th and "station" in s.time_standard.en, s.slug


def test_texts_are_bilingual(content):
    texts = list(all_texts(content))
    assert len(texts) > 300
    for where, text in texts:
        assert THAI.search(text.th), f"{where}: no Thai in th"
        assert not THAI.search(text.en), f"{where}: Thai in en"


def test_every_situation_has_a_service(content):
    assert 6 <= len(content.situations) <= 8
    for sit in content.situations:
        assert sit.label.th and sit.label.en and sit.icon
        assert content.services_for_situation(sit.key), sit.key
    assert content.services_for_situation("scam")[0].slug == "online-fraud"
    assert content.services_for_situation("bail")[0].slug == "bail"
    assert content.services_for_situation("no-such-key") == ()


def test_lost_id_card_redirects_to_district_office(content):
    s = content.service("lost-id-card")
    assert s.redirect is True
    assert "อำเภอ" in s.redirect_to.th and "district" in s.redirect_to.en.lower()
    assert "ไม่ต้องแจ้งความ" in s.name.th + s.summary.th
    assert "60 วัน" in s.summary.th and "60 days" in s.summary.en
    assert s.fee_baht == 20 and "20 บาท" in s.fee.th
    assert s in content.services_for_situation("lost")


def test_known_facts(content):
    assert content.service("lost-documents").total_minutes == 20
    assert content.service("detainee-visit").total_minutes == 10
    assert content.service("criminal-record-check").fee_baht == 100
    assert content.service("online-fraud").online_url == "https://www.thaipoliceonline.go.th"
    assert content.service("traffic-fine-online").online_url == "https://ptm.police.go.th"
    loud = content.service("loudspeaker-opinion")
    assert all(fee in loud.fee.th for fee in ("10", "60", "75"))
    points = " ".join(p.th for p in content.notice.points)
    assert "ครั้งเดียว" in points and "7 วัน" in points and "ทุก 7 วัน" in points
    aoc = next(e for e in content.eservices if e.phone == "1441")
    assert "ไม่ใช่" in aoc.what.th and "not by the police" in aoc.what.en
    assert {"1599", "1205", "1206", "1111", "1567"} <= {c.phone for c in content.policy.channels}


def test_station_placeholders_are_marked_demo(content):
    contact = content.about.contact
    assert contact.demo
    head = next(c for c in content.policy.channels if c.key == "station_head")
    assert head.phone == contact.phone and head.demo
    station = next(c for c in content.case_progress.channels if c.key == "station")
    assert station.phone == contact.phone and station.demo
    assert all(f.demo for f in content.about.figures)


def test_text_get_falls_back_to_thai():
    t = Text("ไทย", "English")
    assert t.get("en") == "English" and t.get("en-GB") == "English" and t.t("en") == "English"
    assert t.get("th") == "ไทย" and t.get("fr") == "ไทย" and t.get(None) == "ไทย"
    assert Text("ไทย", "").get("en") == "ไทย"


def test_public_url(content):
    s = content.service("bail")
    assert public_url(s, "https://kiosk.example/site/") == "https://kiosk.example/site/manual/bail.html"
    assert content.public_url(s, "https://kiosk.example/site") == "https://kiosk.example/site/manual/bail.html"
    assert public_url(s, "https://kiosk.example/site", "en") == "https://kiosk.example/site/en/manual/bail.html"
    own = dataclasses.replace(s, public_url="https://changhan.roiet.police.go.th/bail")
    assert public_url(own, "https://kiosk.example") == "https://changhan.roiet.police.go.th/bail"


def test_service_lookup(content):
    assert content.service("bail").section == "inquiry"
    assert content.service("bail").unit == "investigation"
    assert content.service("nope") is None
    assert all(s.section == "traffic" for s in content.services_in("traffic"))


# --------------------------------------------------------------------------
# Station overrides.


def default_text(rel):
    return (DEFAULT_DIR / rel).read_text(encoding="utf-8")


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_override_replaces_a_file_and_adds_a_service(tmp_path):
    write(
        tmp_path,
        "services/bail.toml",
        default_text("services/bail.toml").replace("ขอประกันตัวผู้ต้องหา (ขอปล่อยชั่วคราว)", "ขอประกันตัว (ฉบับสถานี)"),
    )
    new = default_text("services/tip-off.toml").replace('slug = "tip-off"', 'slug = "drug-tip-off"')
    new = new.replace("แจ้งเบาะแสการกระทำความผิด", "แจ้งเบาะแสยาเสพติด", 1)
    write(tmp_path, "services/drug-tip-off.toml", new)
    write(tmp_path, "services/house-watch.toml", "disabled = true\n")
    about = default_text("about.toml").replace('phone = "043-000-000"', 'phone = "043-123-456"')
    write(tmp_path, "about.toml", about.replace("demo = true\nname", "demo = false\nname", 1))
    write(tmp_path, "README.md", "ignored\n")

    defaults = load_content()
    c = load_content(tmp_path)
    assert c.service("bail").name.th == "ขอประกันตัว (ฉบับสถานี)"
    assert c.service("drug-tip-off").name.th == "แจ้งเบาะแสยาเสพติด"
    assert c.service("house-watch") is None
    assert len(c.services) == len(defaults.services)  # one added, one removed
    assert c.about.contact.phone == "043-123-456" and not c.about.contact.demo
    head = next(ch for ch in c.policy.channels if ch.key == "station_head")
    assert head.phone == "043-123-456" and not head.demo
    # files not overridden are the defaults
    assert c.notice == defaults.notice and c.situations == defaults.situations
    assert c.service("lost-id-card") == defaults.service("lost-id-card")


def test_missing_override_dir_is_an_error(tmp_path):
    with pytest.raises(ContentError, match="not found"):
        load_content(tmp_path / "nope")


# --------------------------------------------------------------------------
# Validation errors: each case breaks one copy of a default file (in an
# override directory) and expects the message to name file, entry and field.


def replace_nth(text, old, new, n=0):
    idx = -1
    for _ in range(n + 1):
        idx = text.index(old, idx + 1)
    return text[:idx] + new + text[idx + len(old) :]


def drop_documents(text):
    head = text[: text.index("[[documents]]")]
    return head.replace("\nsection =", "\ndocuments = []\nsection =", 1)


CASES = [
    pytest.param(
        "services/bail.toml",
        lambda t: replace_nth(t, 'kind = "original"\n', 'kind = "photocopy"\n', 0),
        "services/bail.toml: documents[2].kind: must be one of original, copy, original_and_copy, none",
        id="bad-document-kind",
    ),
    pytest.param(
        "services/lost-documents.toml",
        lambda t: t.replace("fee_baht = 0\n", ""),
        "services/lost-documents.toml: fee_baht: missing",
        id="missing-field",
    ),
    pytest.param(
        "services/lost-documents.toml",
        lambda t: t.replace("order = 20", 'order = "20"'),
        "services/lost-documents.toml: order: must be an integer",
        id="wrong-type",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace('section = "inquiry"', 'section = "detectives"'),
        "services/bail.toml: section: must be one of administration",
        id="unknown-section",
    ),
    pytest.param(
        "services/lost-documents.toml",
        lambda t: t.replace('keywords = ["lost"]', 'keywords = ["lost", "fire"]'),
        "services/lost-documents.toml: keywords[1]: unknown situation 'fire'",
        id="unknown-situation",
    ),
    pytest.param(
        "services/house-watch.toml",
        drop_documents,
        "services/house-watch.toml: documents: must not be empty",
        id="empty-documents",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace('fee = { th = "ไม่เสียค่าธรรมเนียม"', 'fee = { th = "  "'),
        "services/bail.toml: fee.th: must not be blank",
        id="blank-fee",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace('fee = { th = "ไม่เสียค่าธรรมเนียม", en = "No fee" }', 'fee = { th = "ไม่เสียค่าธรรมเนียม" }'),
        "services/bail.toml: fee.en: missing",
        id="missing-en",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace('name = { th = "ขอประกันตัวผู้ต้องหา (ขอปล่อยชั่วคราว)", ', "name = { "),
        "services/bail.toml: name.th: missing",
        id="missing-th",
    ),
    pytest.param(
        "services/traffic-fine-online.toml",
        lambda t: t.replace('https://ptm.police.go.th"', 'http://ptm.police.go.th"'),
        "services/traffic-fine-online.toml: online_url: must be an https URL",
        id="http-url",
    ),
    pytest.param(
        "eservices.toml",
        lambda t: t.replace('phone = "191"', 'phone = "call 191"'),
        "eservices.toml: cards[2].phone: must be a phone number",
        id="bad-phone",
    ),
    pytest.param(
        "policy.toml",
        lambda t: t.replace('url = "https://wbs.nacc.go.th"', 'url = "wbs.nacc.go.th"'),
        "policy.toml: channels[3].url: must be an https URL",
        id="url-without-scheme",
    ),
    pytest.param(
        "about.toml",
        lambda t: t.replace('website = "https://changhan.roiet.police.go.th/"', 'website = "https://"'),
        "about.toml: contact.website: must be an https URL",
        id="url-without-host",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace("minutes = 15\n", "", 1),
        "services/bail.toml: steps[0].note: missing",
        id="step-without-minutes-or-note",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace("total_minutes = 60", "total_minutes = 61"),
        "services/bail.toml: total_minutes: is 61 but the steps add up to 60",
        id="total-mismatch",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace('slug = "bail"', 'slug = "bail-2"'),
        "services/bail.toml: slug: must equal the file name 'bail'",
        id="slug-mismatch",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace("fee_baht = 0", "fee_baht = 0\nfee_bath = 0"),
        "services/bail.toml: fee_bath: unknown field",
        id="unknown-field",
    ),
    pytest.param(
        "services/house-watch.toml",
        lambda t: t.replace('kind = "none"', 'kind = "none"\ncopies = 2'),
        "services/house-watch.toml: documents[0].copies: must be 0",
        id="none-with-copies",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace('kind = "original_and_copy"', 'kind = "none"', 1),
        'services/bail.toml: documents[0].kind: "none" must be the only document',
        id="none-among-others",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace("copies = 1", "copies = 0", 1),
        "services/bail.toml: documents[0].copies: must be at least 1",
        id="zero-copies",
    ),
    pytest.param(
        "manual.toml",
        lambda t: t + '\n[[situations]]\nkey = "fire"\nlabel = { th = "ไฟไหม้", en = "Fire" }\nicon = "fire"\n',
        "manual.toml: situations[8].key: no service lists 'fire'",
        id="situation-without-service",
    ),
    pytest.param(
        "services/lost-id-card.toml",
        lambda t: t.replace("redirect_to = ", "redirect_where = "),
        "services/lost-id-card.toml: redirect_to: missing",
        id="redirect-without-target",
    ),
    pytest.param(
        "case_progress.toml",
        lambda t: t.replace('phone = "1599"', "phone = 1599"),
        "case_progress.toml: channels[2].phone: must be a string",
        id="phone-not-string",
    ),
    pytest.param(
        "about.toml",
        lambda t: t.replace('time = "16:00-24:00"', 'time = "4pm to midnight"'),
        "about.toml: shifts.shifts[1].time: invalid value",
        id="bad-shift-time",
    ),
    pytest.param(
        "services/bail.toml",
        lambda t: t.replace("[[steps]]", "[[steps]", 1),
        "services/bail.toml: (file): invalid TOML",
        id="invalid-toml",
    ),
]


@pytest.mark.parametrize("rel, breaker, message", CASES)
def test_validation_error_names_file_entry_and_field(tmp_path, rel, breaker, message):
    text = default_text(rel) if (DEFAULT_DIR / rel).exists() else ""
    broken = breaker(text)
    assert broken != text, "the breaker changed nothing"
    write(tmp_path, rel, broken)
    with pytest.raises(ContentError) as err:
        load_content(tmp_path)
    assert message in str(err.value)


def test_new_service_file_is_validated_too(tmp_path):
    write(tmp_path, "services/Bad_Name.toml", default_text("services/bail.toml"))
    with pytest.raises(ContentError, match=r"services/Bad_Name.toml: slug: must equal the file name"):
        load_content(tmp_path)


def test_default_dir_copy_loads_as_override(tmp_path):
    shutil.copytree(DEFAULT_DIR, tmp_path / "c")
    assert load_content(tmp_path / "c") == load_content()
