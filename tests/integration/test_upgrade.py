"""A kiosk and a hub database made by the code of commit 92edd46 open and upgrade in place.

tests/data/old_kiosk.sql and old_hub.sql are SQL dumps of databases that code made, and
old_figures.json the tallies it computed from them (tests/data/make_old_databases.py says
how). Upgrading keeps every event row, hash and chain, keeps the figures, rewrites the
older '+00:00' times in the one 'Z' form, and a second opening changes nothing.
"""

import datetime as dt
import json
import re
import sqlite3

import pytest

from kiosk.core.events import GENESIS_HASH, event_hash
from kiosk.hub import store as hub_store
from kiosk.reports.tallies import tallies
from kiosk.store import db as kdb
from kiosk.store import migrations
from kiosk.store.eventlog import EventLog
from tests.helpers.paths import ROOT

DATA = ROOT / "tests" / "data"
EVENT_COLUMNS = "seq, id, kiosk, at, kind, payload, flagged, flag_reason, prev_hash, hash"
HUB_EVENT_COLUMNS = "kiosk, seq, station, id, event_kiosk, at, kind, payload, flagged, flag_reason, prev_hash, hash"
TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")
Z_FORM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def load_dump(name, path):
    conn = sqlite3.connect(path)
    conn.executescript((DATA / name).read_text(encoding="utf-8"))
    conn.close()


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def snapshot(path):
    """Everything in the file: its SQL dump and its user_version."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump()), conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def times_in(path):
    """Every (table, column, value) that holds a time, in every table."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = []
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(names, row, strict=True):
                    if isinstance(value, str) and TIME.fullmatch(value[:19]):
                        found.append((table, column, value))
        return found
    finally:
        conn.close()


def as_json(figures):
    """The figures as the old code computed them: it had no count of unreadable rows (none here)."""
    figures = json.loads(json.dumps(figures))
    assert figures.pop("unreadable") == 0
    return figures


@pytest.fixture(scope="module")
def expected():
    return json.loads((DATA / "old_figures.json").read_text(encoding="utf-8"))


def test_an_old_kiosk_database_upgrades_in_place(tmp_path, expected):
    path = tmp_path / "kiosk.db"
    load_dump("old_kiosk.sql", path)
    events_before = rows(path, f"SELECT {EVENT_COLUMNS} FROM events ORDER BY seq")
    old_times = times_in(path)
    assert events_before and all(Z_FORM.fullmatch(row[3]) for row in events_before)
    assert {(t, c) for t, c, v in old_times if v.endswith("+00:00")} == {
        ("credentials", "created_at"),
        ("audit", "at"),
        ("auth_attempts", "at"),
    }
    assert rows(path, "PRAGMA user_version") == [(migrations.LEGACY_STEPS,)]

    db = kdb.connect(path)
    assert migrations.pending_steps(db) == [
        "timestamps_in_z_form",
        "create_station_versions",
        "create_counters",
        "create_rollups",
    ]
    assert migrations.migrate(db) == len(migrations.MIGRATIONS)
    assert [m.name for m in migrations.kiosk_migrations().applied(db)] == [s.__name__ for s in migrations.MIGRATIONS]
    assert migrations.pending_steps(db) == []

    assert rows(path, f"SELECT {EVENT_COLUMNS} FROM events ORDER BY seq") == events_before
    prev = GENESIS_HASH
    for seq, id_, kiosk, at, kind, payload, flagged, reason, prev_hash, hash_ in events_before:
        assert prev_hash == prev and event_hash(seq, id_, kiosk, at, kind, payload, flagged, reason, prev_hash) == hash_
        prev = hash_
    assert EventLog(db, "kiosk-1").verify_chain() == (True, None)

    assert as_json(tallies(db, dt.date(2026, 3, 9), dt.date(2026, 3, 11))) == expected["kiosk"]
    assert as_json(tallies(db)) == expected["kiosk_all"]

    new_times = times_in(path)
    assert [v for _t, _c, v in new_times if not Z_FORM.fullmatch(v)] == []
    # The same moments, only written the one way.
    old_by_place = sorted((t, c, v[:19]) for t, c, v in old_times)
    assert old_by_place == sorted((t, c, v[:19]) for t, c, v in new_times if t != "_sqlite_migrations")
    db.conn.close()

    before = snapshot(path)
    again = kdb.connect(path)
    assert migrations.migrate(again) == len(migrations.MIGRATIONS)
    again.conn.close()
    assert snapshot(path) == before
    # The kiosk goes on where the old code stopped.
    db = kdb.connect(path)
    EventLog(db, "kiosk-1").record_referral("traffic")
    assert EventLog(db, "kiosk-1").verify_chain() == (True, None)
    db.conn.close()


def test_an_old_hub_database_upgrades_in_place(tmp_path, expected):
    path = tmp_path / "hub.db"
    load_dump("old_hub.sql", path)
    events_before = rows(path, f"SELECT {HUB_EVENT_COLUMNS} FROM hub_events ORDER BY kiosk, seq")
    kiosks_before = rows(path, "SELECT * FROM hub_kiosks ORDER BY name")
    problems_before = rows(path, "SELECT * FROM hub_problems ORDER BY id")
    assert events_before and all(Z_FORM.fullmatch(row[5]) for row in events_before)
    assert rows(path, "SELECT value FROM meta WHERE key = 'hub.schema_version'") == [("1",)]

    db = kdb.connect(path)
    assert hub_store.migrate(db) == len(hub_store.HUB_MIGRATIONS)
    hub_set = migrations.migration_set(hub_store.HUB_SET, hub_store.HUB_MIGRATIONS)
    assert [m.name for m in hub_set.applied(db)] == [
        "create_hub_tables",
        "create_province_tables",
        "create_hub_rollups",
        "create_hub_coarse_rollups",
        "create_station_provinces",
        "index_events_for_ingest",
    ]
    assert migrations.schema_version(db) == len(migrations.MIGRATIONS)

    assert rows(path, f"SELECT {HUB_EVENT_COLUMNS} FROM hub_events ORDER BY kiosk, seq") == events_before
    assert rows(path, "SELECT * FROM hub_kiosks ORDER BY name") == kiosks_before
    assert rows(path, "SELECT * FROM hub_problems ORDER BY id") == problems_before
    for name in ("kiosk-a", "kiosk-b"):
        ok, bad, last = hub_store.verify_kiosk_chain(db, name)
        assert (ok, bad) == (True, None) and last > 0
    assert as_json(tallies(db, table="hub_events")) == expected["hub"]
    figures = tallies(db, dt.date(2026, 3, 10), dt.date(2026, 3, 10), table="hub_events", stations=["changhan"])
    assert as_json(figures) == expected["hub_changhan"]
    assert [v for _t, _c, v in times_in(path) if not Z_FORM.fullmatch(v)] == []
    db.conn.close()

    before = snapshot(path)
    again = kdb.connect(path)
    hub_store.migrate(again)
    again.conn.close()
    assert snapshot(path) == before
