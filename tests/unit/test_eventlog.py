"""The hash-chained event log: durability, chain, validation, flagging, comments."""

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import datetime, timezone

import pytest

from kiosk.core.comments import mask_personal_numbers
from kiosk.core.events import GENESIS_HASH, ValidationError
from kiosk.core.vocab import REASONS
from kiosk.store import db as kdb
from kiosk.store import migrations
from kiosk.store.eventlog import EventLog
from tests.helpers.clock import FakeClock
from tests.helpers.paths import ROOT

T0 = datetime(2025, 1, 1, 3, 0, 0, tzinfo=timezone.utc).timestamp()


def open_db(path):
    database = kdb.connect(path)
    migrations.migrate(database)
    return database


@pytest.fixture
def clock():
    return FakeClock(T0)


@pytest.fixture
def log(db, clock):
    return EventLog(db, "kiosk-1", clock=clock)


def count(db, table="events"):
    return db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def spaced_ratings(log, clock, n, gap=60):
    events = []
    for i in range(n):
        events.append(log.record_rating(1 + i % 5))
        clock.advance(gap)
    return events


def unguard(db):
    """What someone editing the file by hand would do first."""
    db.conn.execute("DROP TRIGGER events_no_update")
    db.conn.execute("DROP TRIGGER events_no_delete")


# -- schema and the stored event ----------------------------------------------------


def test_migration_step_creates_tables_and_durable_settings(db):
    assert migrations.schema_version(db) == len(migrations.MIGRATIONS)
    tables = set(db.table_names())
    assert {"events", "comments"} <= tables
    indexes = {row[0] for row in db.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"events_kind_at", "events_answer_id", "comments_at"} <= indexes
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_rating_event_is_stored_with_documented_hash(db, log):
    event = log.record_rating(5)
    assert event.seq == 1
    assert event.prev_hash == GENESIS_HASH == "0" * 64
    assert event.at == "2025-01-01T03:00:00Z"
    assert event.kind == "rating" and event.kiosk == "kiosk-1"
    assert len(event.id) == 32 and len(event.answer_id) == 32 and event.id != event.answer_id
    assert event.payload == {"answer_id": event.answer_id, "level": 5}
    assert event.payload_json == f'{{"answer_id":"{event.answer_id}","level":5}}'
    assert event.flagged is False and event.flag_reason is None
    body = json.dumps(
        [1, event.id, "kiosk-1", event.at, "rating", event.payload_json, 0, None, "0" * 64],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert event.hash == hashlib.sha256(body.encode("utf-8")).hexdigest()
    row = db.conn.execute("SELECT seq, id, payload, hash FROM events").fetchone()
    assert row == (1, event.id, event.payload_json, event.hash)
    assert log.last_event() == event


def test_commit_is_visible_to_a_new_connection(db, log, tmp_path):
    event = log.record_rating(4)
    other = sqlite3.connect(tmp_path / "kiosk.db")
    try:
        assert other.execute("SELECT id FROM events").fetchall() == [(event.id,)]
    finally:
        other.close()


def test_event_survives_sigkill_right_after_append(tmp_path, monkeypatch):
    path = tmp_path / "kiosk.db"
    open_db(path).conn.close()
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from kiosk.store import db as kdb
        from kiosk.store.eventlog import EventLog
        log = EventLog(kdb.connect({str(path)!r}), "kiosk-1")
        event = log.record_rating(5)
        print(event.id, flush=True)
        time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        event_id = proc.stdout.readline().strip()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    database = kdb.connect(path)
    try:
        assert len(event_id) == 32
        assert database.conn.execute("SELECT id, kind FROM events").fetchall() == [(event_id, "rating")]
        assert EventLog(database, "kiosk-1").verify_chain() == (True, None)
    finally:
        database.conn.close()


def test_events_since_and_last_event(db, log, clock):
    assert log.last_event() is None
    assert log.events_since(0) == []
    events = spaced_ratings(log, clock, 5)
    assert [e.seq for e in log.events_since(0)] == [1, 2, 3, 4, 5]
    assert [e.id for e in log.events_since(2, limit=2)] == [events[2].id, events[3].id]
    assert log.events_since(5) == []
    assert log.last_event().seq == 5
    assert log.events_since(3)[0].as_row()["payload"] == events[3].payload_json
    with pytest.raises(ValidationError):
        log.events_since(-1)
    with pytest.raises(ValidationError):
        log.events_since(0, limit=0)


# -- the chain ----------------------------------------------------------------------


def test_chain_links_and_verifies(db, log, clock):
    events = spaced_ratings(log, clock, 4)
    events.append(log.record_referral("traffic"))
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1
    assert log.verify_chain() == (True, None)
    assert log.verify_chain(from_seq=3) == (True, None)


def test_empty_log_verifies(log):
    assert log.verify_chain() == (True, None)


def test_application_cannot_update_or_delete_events(db, log):
    log.record_rating(3)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.conn.execute("UPDATE events SET payload = '{}' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.conn.execute("DELETE FROM events WHERE seq = 1")
    assert count(db) == 1


def test_tampered_payload_is_detected_at_its_seq(db, log, clock):
    events = spaced_ratings(log, clock, 10)
    unguard(db)
    forged = events[4].payload_json.replace('"level":5', '"level":1')
    assert forged != events[4].payload_json
    db.conn.execute("UPDATE events SET payload = ? WHERE seq = 5", (forged,))
    assert log.verify_chain() == (False, 5)
    assert log.verify_chain(from_seq=6) == (True, None)


def test_tampered_flag_is_detected(db, log, clock):
    log.record_rating(5)
    clock.advance(1)
    log.record_rating(5)  # flagged repeat
    unguard(db)
    db.conn.execute("UPDATE events SET flagged = 0, flag_reason = NULL WHERE seq = 2")
    assert log.verify_chain() == (False, 2)


def test_tampered_row_with_recomputed_hash_breaks_the_next_link(db, log, clock):
    from kiosk.core.events import event_hash

    spaced_ratings(log, clock, 10)
    unguard(db)
    seq, id_, kiosk, at, kind, payload, flagged, reason, prev = db.conn.execute(
        "SELECT seq, id, kiosk, at, kind, payload, flagged, flag_reason, prev_hash FROM events WHERE seq = 5"
    ).fetchone()
    payload = payload.replace('"level":5', '"level":1')
    new_hash = event_hash(seq, id_, kiosk, at, kind, payload, flagged, reason, prev)
    db.conn.execute("UPDATE events SET payload = ?, hash = ? WHERE seq = 5", (payload, new_hash))
    assert log.verify_chain() == (False, 6)


def test_deleted_row_is_detected_at_the_missing_seq(db, log, clock):
    spaced_ratings(log, clock, 10)
    unguard(db)
    db.conn.execute("DELETE FROM events WHERE seq = 5")
    assert log.verify_chain() == (False, 5)
    assert log.verify_chain(from_seq=6) == (False, 5)
    assert log.verify_chain(from_seq=7) == (True, None)


def test_first_row_with_a_wrong_genesis_is_detected(db, log, clock):
    spaced_ratings(log, clock, 3)
    unguard(db)
    db.conn.execute("DELETE FROM events WHERE seq = 1")
    assert log.verify_chain() == (False, 1)


# -- validation: nothing is written on a rejected call --------------------------------


@pytest.mark.parametrize("level", [0, 6, -1, "5", None, True, 4.0, 5.5])
def test_bad_levels_are_rejected(db, log, level):
    with pytest.raises(ValidationError) as info:
        log.record_rating(level)
    assert info.value.field == "level"
    assert count(db) == 0


@pytest.mark.parametrize("unit", ["police", "", None, "Traffic", 3, "not sure"])
def test_bad_referral_units_are_rejected(db, log, unit):
    with pytest.raises(ValidationError) as info:
        log.record_referral(unit)
    assert info.value.field == "unit"
    assert count(db) == 0


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"unit": "police"}, "unit"),
        ({"unit": 1}, "unit"),
        ({"aspects": {"speed": 5}}, "aspects"),
        ({"aspects": {"staff": 6}}, "aspects"),
        ({"aspects": {"staff": "5"}}, "aspects"),
        ({"aspects": [("staff", 5)]}, "aspects"),
        ({"reasons": ["free_coffee"]}, "reasons"),
        ({"reasons": "polite_staff"}, "reasons"),
        ({"reasons": ["polite_staff", 3]}, "reasons"),
        ({"comment": "x" * 501}, "comment"),
        ({"comment": "fine\x00"}, "comment"),
        ({"comment": "bell\x07"}, "comment"),
        ({"comment": "tab\there"}, "comment"),
        ({"comment": b"bytes"}, "comment"),
        ({"comment": 42}, "comment"),
        ({"comment": "half \ud800 surrogate"}, "comment"),
        ({}, "amend"),
        ({"aspects": {}, "reasons": None}, "amend"),
        ({"comment": "   "}, "amend"),
        ({"unit": "traffic", "reasons": ["nope"]}, "reasons"),
    ],
)
def test_bad_amendments_are_rejected(db, log, kwargs, field):
    answer = log.record_rating(4).answer_id
    with pytest.raises(ValidationError) as info:
        log.amend(answer, **kwargs)
    assert info.value.field == field
    assert info.value.message
    assert count(db) == 1
    assert count(db, "comments") == 0


def test_amendment_of_unknown_or_non_rating_answer_is_rejected(db, log):
    referral = log.record_referral("traffic")
    for answer_id in ["0" * 32, referral.id, "not-an-id", None, 5]:
        with pytest.raises(ValidationError) as info:
            log.amend(answer_id, unit="traffic")
        assert info.value.field == "answer_id"
    rating = log.record_rating(5)
    with pytest.raises(ValidationError):
        log.amend(rating.id, unit="traffic")  # the event id is not the answer id
    assert count(db) == 2


def test_amendment_too_old_is_rejected_and_writes_nothing(db, log, clock):
    answer = log.record_rating(5).answer_id
    clock.advance(30 * 60)
    log.amend(answer, unit="traffic")  # exactly at the limit: accepted
    clock.advance(1)
    with pytest.raises(ValidationError) as info:
        log.amend(answer, unit="investigation", comment="late comment")
    assert info.value.field == "answer_id" and "too old" in info.value.message
    assert count(db) == 2
    assert count(db, "comments") == 0


def test_max_age_is_a_setting(db, clock):
    log = EventLog(db, "k", clock=clock, amend_max_age_seconds=60)
    answer = log.record_rating(5).answer_id
    clock.advance(61)
    with pytest.raises(ValidationError):
        log.amend(answer, unit="traffic")


def test_replayed_event_id_is_rejected(db, log):
    token = "ab" * 16
    log.record_rating(5, event_id=token)
    with pytest.raises(ValidationError) as info:
        log.record_rating(5, event_id=token)
    assert info.value.field == "id"
    for bad in ["XYZ", "ab" * 16 + "\n", "AB" * 16, 12]:
        with pytest.raises(ValidationError):
            log.record_referral("traffic", event_id=bad)
    assert count(db) == 1


def test_the_log_holds_ratings_amends_and_referrals_only(db, log):
    # One schema with the hub (kiosk.core.events): a kind the hub would refuse is never written.
    assert not hasattr(log, "append")
    assert count(db) == 0


def test_valid_amendment_payload(db, log, clock):
    answer = log.record_rating(2).answer_id
    clock.advance(5)
    event = log.amend(
        answer,
        unit="not_sure",
        aspects={"staff": 1, "process": 3},
        reasons=["waited_too_long", "unclear_steps", "waited_too_long"],
        comment="ช้ามาก\nรอนาน",
    )
    assert event.kind == "amend" and event.seq == 2 and event.flagged is False
    assert event.payload == {
        "answer_id": answer,
        "unit": "not_sure",
        "aspects": {"process": 3, "staff": 1},
        "reasons": ["unclear_steps", "waited_too_long"],
        "has_comment": True,
    }
    assert "ช้ามาก" not in event.payload_json
    assert log.amend(answer, comment="x" * 500).seq == 3


def test_reason_keys():
    assert REASONS == (
        "polite_staff",
        "clear_explanation",
        "fast_service",
        "clean_place",
        "fair_treatment",
        "waited_too_long",
        "unclear_steps",
        "impolite_staff",
        "crowded_place",
    )


# -- comments: masked, kept apart, deleted after retention ---------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ID 1-2345-67890-12-3 thanks", "ID •-••••-•••••-••-• thanks"),
        ("บัตร 1234567890123", "บัตร •••••••••••••"),
        ("1 2345 67890 12 3", "• •••• ••••• •• •"),
        ("โทร 081-234-5678", "โทร •••-•••-••••"),
        ("call 0812345678.", "call ••••••••••."),
        ("+66 81 234 5678", "+•• •• ••• ••••"),
        ("+66812345678", "+•••••••••••"),
        ("office 02-205-1315", "office ••-•••-••••"),
        ("081 234 5678 089 876 5432", "••• ••• •••• ••• ••• ••••"),
        ("๐๘๑๒๓๔๕๖๗๘", "••••••••••"),
        ("waited 45 min, paid 1,000 baht, 1599, 10:30, 2025-01-15", None),
    ],
)
def test_masking(text, expected):
    masked, changed = mask_personal_numbers(text)
    if expected is None:
        assert (masked, changed) == (text, False)
    else:
        assert (masked, changed) == (expected, True)


def test_comment_is_masked_and_stored_apart(db, log, clock):
    answer = log.record_rating(1).answer_id
    event = log.amend(answer, comment="  call me 081-234-5678, ID 1-2345-67890-12-3\r\nplease  ")
    stored = db.conn.execute("SELECT answer_id, at, text, masked FROM comments").fetchall()
    assert stored == [(answer, "2025-01-01T03:00:00Z", "call me •••-•••-••••, ID •-••••-•••••-••-•\nplease", 1)]
    assert event.payload == {"answer_id": answer, "has_comment": True}
    all_payloads = " ".join(row[0] for row in db.conn.execute("SELECT payload FROM events"))
    assert "081" not in all_payloads and "call me" not in all_payloads
    log.amend(answer, comment="ok now")  # a later comment replaces the first
    assert log.comments() == [{"answer_id": answer, "at": "2025-01-01T03:00:00Z", "text": "ok now", "masked": False}]


def test_comment_deletion_keeps_the_chain(db, log, clock):
    old = log.record_rating(5).answer_id
    log.amend(old, comment="old comment")
    clock.advance(40 * 86400)
    new = log.record_rating(4).answer_id
    log.amend(new, comment="new comment")
    clock.advance(1)
    other = log.record_rating(3).answer_id  # repeat, flagged: comments are kept all the same
    log.amend(other, comment="third")
    assert log.delete_comments_older_than(30) == 1
    assert [c["answer_id"] for c in log.comments()] == [new, other]
    assert log.delete_comment(other) is True
    assert log.delete_comment(other) is False
    assert [c["text"] for c in log.comments()] == ["new comment"]
    assert count(db) == 6
    assert log.verify_chain() == (True, None)
    assert log.delete_comments_older_than(0) == 1  # "new comment", written 1 s ago
    assert count(db, "comments") == 0
    with pytest.raises(ValidationError):
        log.delete_comments_older_than(-1)


# -- honest figures: flagging ------------------------------------------------------


def test_twenty_rapid_ratings_flag_all_but_the_first(db, log, clock):
    events = []
    for _ in range(20):
        events.append(log.record_rating(5))
        clock.advance(1)
    assert [e.flagged for e in events] == [False] + [True] * 19
    assert {e.flag_reason for e in events[1:]} == {"repeat"}
    assert db.conn.execute("SELECT count(*) FROM events WHERE flagged = 1").fetchone()[0] == 19
    assert log.verify_chain() == (True, None)


def test_repeat_window_edges(db, log, clock):
    assert log.record_rating(5).flagged is False
    clock.advance(10)
    assert log.record_rating(4).flagged is False  # 10 s later: not less than the window
    clock.advance(9)
    assert log.record_rating(4).flag_reason == "repeat"
    clock.advance(9)  # 9 s after a flagged press: still a repeat
    assert log.record_rating(4).flag_reason == "repeat"


def test_burst_is_flagged(db, clock):
    log = EventLog(db, "k", clock=clock, repeat_window_seconds=2, burst_max_per_minute=6)
    reasons = []
    for _ in range(9):
        reasons.append(log.record_rating(5).flag_reason)
        clock.advance(5)
    # at 0, 5, ..., 40 s: six are allowed in the trailing minute, then bursts
    assert reasons == [None] * 6 + ["burst"] * 3
    clock.advance(60)
    assert log.record_rating(5).flagged is False


def test_referral_flagging_is_per_unit(db, log, clock):
    assert log.record_referral("traffic").flagged is False
    clock.advance(3)
    assert log.record_referral("traffic").flag_reason == "repeat"
    assert log.record_referral("investigation").flagged is False
    assert log.record_referral("not_sure").flagged is False
    clock.advance(10)
    assert log.record_referral("traffic").flagged is False
    # referrals and ratings do not flag each other
    assert log.record_rating(5).flagged is False


def test_clock_going_back_does_not_flag(db, log, clock):
    log.record_rating(5)
    clock.advance(-3600)
    assert log.record_rating(5).flagged is False
    assert log.verify_chain() == (True, None)


# -- concurrency -------------------------------------------------------------------


def _hammer(make_log, threads=4, per_thread=50):
    errors = []
    barrier = threading.Barrier(threads)

    def work(n):
        try:
            log = make_log(n)
            barrier.wait()
            for i in range(per_thread):
                if i % 3 == 2:
                    log.record_referral("traffic")
                else:
                    answer = log.record_rating(1 + (n + i) % 5).answer_id
                    if i % 5 == 0:
                        log.amend(answer, unit="administration")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def _events_per_thread(per_thread=50):
    return sum(2 if i % 5 == 0 and i % 3 != 2 else 1 for i in range(per_thread))


def test_concurrent_appends_on_one_shared_connection(db):
    errors = _hammer(lambda n: EventLog(db, "kiosk-1"))
    assert errors == []
    expected = 4 * _events_per_thread()
    seqs = [row[0] for row in db.conn.execute("SELECT seq FROM events ORDER BY seq")]
    assert seqs == list(range(1, expected + 1))
    assert count(db) == len({row[0] for row in db.conn.execute("SELECT id FROM events")})
    assert EventLog(db, "kiosk-1").verify_chain() == (True, None)


def test_concurrent_appends_on_separate_connections(db, tmp_path):
    connections = []
    lock = threading.Lock()

    def make_log(n):
        conn = kdb.connect(tmp_path / "kiosk.db")
        with lock:
            connections.append(conn)
        return EventLog(conn, "kiosk-1")

    try:
        errors = _hammer(make_log)
    finally:
        for conn in connections:
            conn.conn.close()
    assert errors == []
    expected = 4 * _events_per_thread()
    seqs = [row[0] for row in db.conn.execute("SELECT seq FROM events ORDER BY seq")]
    assert seqs == list(range(1, expected + 1))
    assert EventLog(db, "kiosk-1").verify_chain() == (True, None)


def test_four_threads_times_fifty_ratings_give_seq_1_to_200(db, tmp_path):
    connections = []

    def work(shared):
        log = EventLog(shared, "kiosk-1")
        for _ in range(50):
            log.record_rating(5)

    for n in range(4):
        connections.append(db if n % 2 == 0 else kdb.connect(tmp_path / "kiosk.db"))
    workers = [threading.Thread(target=work, args=(c,)) for c in connections]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for conn in connections[1::2]:
        conn.conn.close()
    seqs = [row[0] for row in db.conn.execute("SELECT seq FROM events ORDER BY seq")]
    assert seqs == list(range(1, 201))
    assert EventLog(db, "kiosk-1").verify_chain() == (True, None)
