"""Counters, displays and pairing in the store; version-2 events; the listen check."""

import json

import pytest

from kiosk.config.network import check_listen
from kiosk.config.settings import SettingsError, load_settings
from kiosk.core.events import ValidationError, validate_payload
from kiosk.reports.counters import counter_figures
from kiosk.reports.tallies import tallies
from kiosk.store import counters
from kiosk.store.eventlog import EventLog
from kiosk.store.migrations import migrate

DISPLAY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def store(db):
    migrate(db)
    counters.add_counter(db, "ฝ่ายจราจร ชั้น 1", "traffic", "traffic")
    return db


def paired(db, counter="traffic", client="10.0.0.9"):
    code, nonce, _ = counters.issue_code(db, client)
    counters.pair(db, code, counter, "test")
    return counters.claim(db, code, nonce)


def test_a_display_is_paired_by_its_code_and_only_its_browser_gets_the_credential(store):
    code, nonce, _ = counters.issue_code(store, "10.0.0.9")
    assert counters.claim(store, code, nonce) is None  # waiting for the admin
    display = counters.pair(store, code, "ฝ่ายจราจร ชั้น 1", "admin")
    with pytest.raises(counters.CounterError):
        counters.claim(store, code, "someone else's nonce")
    display_id, token = counters.claim(store, code, nonce)
    assert display_id == display
    stored = store.execute("SELECT token_hash FROM displays").fetchone()[0]
    assert token not in stored and len(stored) == 64  # only a hash at rest
    assert counters.display_for_token(store, token)["unit"] == "traffic"
    with pytest.raises(counters.CounterError):  # a code is claimed once
        counters.claim(store, code, nonce)
    with pytest.raises(counters.CounterError) as used:
        counters.pair(store, code, "traffic", "admin")
    assert used.value.status == 404


def test_revoking_a_display_or_removing_its_counter_ends_its_credential(store):
    counters.add_counter(store, "งานสอบสวน", "investigation", "investigation")
    first, token = paired(store)
    _, other = paired(store, "investigation")
    counters.revoke(store, first)
    assert counters.display_for_token(store, token) is None
    assert counters.display_for_token(store, other) is not None
    counters.remove_counter(store, "investigation")
    assert counters.display_for_token(store, other) is None
    assert [c["slug"] for c in counters.counters(store)] == ["traffic"]


@pytest.mark.parametrize(
    ("name", "unit", "slug", "problem"),
    [
        ("", "traffic", "x", "name"),
        ("Counter", "parking", "x", "unknown unit"),
        ("ฝ่ายจราจร", "traffic", None, "slug"),
        ("Counter", "traffic", "Not A Slug", "slug"),
    ],
)
def test_a_counter_needs_a_name_a_unit_and_a_slug(store, name, unit, slug, problem):
    with pytest.raises(counters.CounterError) as error:
        counters.add_counter(store, name, unit, slug)
    assert problem in error.value.message


def test_the_slug_comes_from_an_ascii_name_and_a_live_counter_is_not_doubled(store):
    assert counters.add_counter(store, "Traffic desk 2", "traffic") == "traffic-desk-2"
    with pytest.raises(counters.CounterError) as twice:
        counters.add_counter(store, "Another", "traffic", "traffic")
    assert twice.value.status == 409


def test_version_2_payloads_carry_counter_display_and_v_together():
    good = {"answer_id": "a" * 32, "level": 5, "counter": "traffic", "display": DISPLAY, "v": 2}
    assert validate_payload("rating", good) == good
    assert validate_payload("referral", {"unit": "traffic", "counter": "traffic", "display": DISPLAY, "v": 2})
    for change, field in (
        ({"v": 1}, "payload.v"),
        ({"v": True}, "payload.v"),
        ({"counter": "Traffic!"}, "payload.counter"),
        ({"display": "xyz"}, "payload.display"),
    ):
        with pytest.raises(ValidationError) as error:
            validate_payload("rating", {**good, **change})
        assert error.value.field == field
    partial = {key: value for key, value in good.items() if key != "display"}
    with pytest.raises(ValidationError) as error:
        validate_payload("rating", partial)
    assert error.value.field == "payload.display"
    with pytest.raises(ValidationError):  # an amend inherits them, never repeats them
        validate_payload("amend", {"answer_id": "a" * 32, "unit": "traffic", "counter": "traffic"})


def test_each_screen_is_flagged_on_its_own_and_figures_split_by_counter(store):
    clock = [1_767_225_600.0]  # 2026-01-01
    log = EventLog(store, "kiosk-1", clock=lambda: clock[0])
    hall = log.record_rating(3)
    desk = log.record_rating(5, counter="traffic", display=DISPLAY)
    log.amend(desk.answer_id, unit="traffic")
    again = log.record_rating(4, counter="traffic", display=DISPLAY)  # same display, same second
    log.record_referral("traffic", counter="traffic", display=DISPLAY)
    assert not hall.flagged and not desk.flagged and again.flagged
    assert json.loads(desk.payload_json) == {
        "answer_id": desk.answer_id,
        "counter": "traffic",
        "display": DISPLAY,
        "level": 5,
        "v": 2,
    }
    assert log.verify_chain() == (True, None)
    figures = tallies(store)
    assert figures["unreadable"] == 0
    assert figures["satisfaction"]["total"] == 2 and figures["satisfaction"]["by_unit"]["traffic"]["total"] == 1
    assert figures["eit"]["by_unit"]["traffic"] == 1
    split = counter_figures(store, counters=counters.counters(store))
    traffic = split["by_counter"]["traffic"]
    assert traffic["name"] == "ฝ่ายจราจร ชั้น 1"
    assert traffic["satisfaction"]["total"] == 1 and traffic["satisfaction"]["raw"] == 2
    assert traffic["eit"] == {"total": 1, "by_unit": {"traffic": 1}, "raw": 1}
    assert split["by_display"][DISPLAY]["counter"] == "traffic"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::"])
def test_listening_on_the_network_with_staff_pages_over_plain_http_is_refused(host):
    with pytest.raises(SettingsError) as refused:
        check_listen(load_settings(), host)
    assert "staff_pages" in str(refused.value) and "plain HTTP" in str(refused.value)
    https = load_settings(overrides={"network": {"staff_pages": "https"}})
    with pytest.raises(SettingsError, match="--trusted-proxy"):
        check_listen(https, host)
    check_listen(https, host, trusted_proxy="127.0.0.1")
    check_listen(load_settings(overrides={"network": {"staff_pages": "this_machine"}}), host)


def test_loopback_takes_any_staff_pages_setting_and_a_wrong_value_is_named():
    for host in ("127.0.0.1", "localhost", "::1"):
        check_listen(load_settings(), host)
    with pytest.raises(SettingsError, match="network.staff_pages"):
        load_settings(overrides={"network": {"staff_pages": "everywhere"}})
