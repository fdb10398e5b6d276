"""What a sync batch costs the hub does not grow with the kiosk's history: the rollups
find an answer's stored rows by its id, not by reading every rating the kiosk ever sent.

Counted in SQLite's steps (a progress handler), not timed: the same batch size after a
short and after a long history."""

import json
import sqlite3
import time

from kiosk.hub import ingest, open_hub_db
from kiosk.hub import store as hub_store
from kiosk.store import db as kdb
from kiosk.store import rollups
from kiosk.store.eventlog import EventLog
from tests.helpers.fake_log import fill_log

STEP = 100  # SQLite virtual-machine instructions per count


def body(rows):
    return json.dumps({"protocol": 1, "kiosk": {"id": "kiosk-1", "station": "changhan"}, "events": rows}).encode()


def steps_to_store(hub, rows):
    """SQLite's work (in units of STEP instructions) to store one batch of `rows`."""
    count = [0]

    def tick():
        count[0] += 1
        return 0

    batch = ingest.parse(body(rows), now=time.time() + 86400)
    hub.conn.set_progress_handler(tick, STEP)
    try:
        ingest.store_batch(hub, {"name": "kiosk-1", "station": "changhan"}, batch)
    finally:
        hub.conn.set_progress_handler(None, STEP)
    return count[0]


def test_a_batch_costs_the_same_after_a_long_history(tmp_path):
    start = time.time() - 200 * 86400
    fill_log(tmp_path / "kiosk.db", "kiosk-1", 4200, start, 190 * 86400, seed=7)
    log_db = kdb.connect(tmp_path / "kiosk.db")
    rows = [event.as_row() for event in EventLog(log_db, "kiosk-1").events_since(0, limit=10_000)]
    log_db.conn.close()
    hub = open_hub_db(tmp_path / "hub")
    hub_store.add_kiosk(hub, "kiosk-1", "changhan")

    def store(part):
        for start_at in range(0, len(part), 500):
            steps_to_store(hub, part[start_at : start_at + 500])

    store(rows[:300])
    early = steps_to_store(hub, rows[300:500])  # after 300 events
    store(rows[500:4000])
    late = steps_to_store(hub, rows[4000:4200])  # after 4,000: years of a quiet kiosk
    # Before, the second batch read every rating and amendment the kiosk had stored (2.6
    # times the first batch's work, and growing with each year); now 1.1 times.
    assert late < 1.5 * early, (early, late)
    assert rollups.differences(hub.conn, "hub_events") == []
    hub.conn.close()


def test_an_upgraded_hub_keeps_only_the_indexes_ingest_reads(tmp_path):
    hub = open_hub_db(tmp_path / "hub")
    hub.conn.close()
    conn = sqlite3.connect(tmp_path / "hub" / kdb.DB_FILENAME)
    indexes = {
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'hub_events' AND type = 'index'")
    }
    conn.close()
    # (kiosk, seq) is the primary key; the answer id is how ingest finds an answer's rows.
    assert indexes == {"sqlite_autoindex_hub_events_1", "hub_events_kiosk_answer"}
