"""The rollups give the figures the events give: random logs with repeats, bursts,
amendments, unit changes and late arrivals, on a kiosk and on the hub (batches out of
order, a kiosk weeks offline), compared with event_tallies() for random periods."""

import datetime as dt
import hashlib
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.vocab import ASPECTS, REASONS, UNITS
from kiosk.hub import open_hub_db, overview
from kiosk.hub import store as hub_store
from kiosk.hub.ingest import store_batch
from kiosk.reports.counters import counter_figures, event_counter_figures
from kiosk.reports.tallies import event_tallies, tallies
from kiosk.store import db as kdb
from kiosk.store import migrations, rollups
from kiosk.store.db import write_transaction
from kiosk.store.eventlog import EventLog

START = dt.datetime(2025, 9, 28, 16, 30, tzinfo=dt.UTC).timestamp()  # near a fiscal year's and a month's end
UNIT_CHOICES = (*UNITS, "not_sure")

# Where a tap is made: the hall kiosk, or one of two counter displays (issue 19).
COUNTERS = (None, "traffic", "inquiry")
screen = st.sampled_from(range(len(COUNTERS)))


def made_at(kiosk_id, index):
    """The keyword arguments of a tap on screen `index` of this kiosk (its displays' ids are its own)."""
    if COUNTERS[index] is None:
        return {}
    return {"counter": COUNTERS[index], "display": hashlib.md5(f"{kiosk_id}/{index}".encode()).hexdigest()}


step = st.one_of(
    st.tuples(st.just("rating"), st.integers(1, 5), screen),
    st.tuples(st.just("referral"), st.sampled_from(UNIT_CHOICES), screen),
    st.tuples(
        st.just("amend"),
        st.integers(0, 50),
        st.one_of(st.none(), st.sampled_from(UNIT_CHOICES)),
        st.dictionaries(st.sampled_from(ASPECTS), st.integers(1, 5), max_size=2),
        st.one_of(st.none(), st.lists(st.sampled_from(REASONS), unique=True, max_size=3)),
        st.booleans(),
    ),
)
gap = st.sampled_from([0, 1, 3, 8, 30, 200, 3600, 5 * 3600, 86400, 20 * 86400])  # repeats, bursts, days off
logs = st.lists(st.tuples(gap, step), min_size=1, max_size=60)


def play(log, db, kiosk_id):
    """Write the random log through EventLog (flagging, amend rules and all)."""
    now = [START]
    events = EventLog(db, kiosk_id, clock=lambda: now[0])
    answers = []
    for seconds, action in log:
        now[0] += seconds
        if action[0] == "rating":
            answers.append(events.record_rating(action[1], **made_at(kiosk_id, action[2])).answer_id)
        elif action[0] == "referral":
            events.record_referral(action[1], **made_at(kiosk_id, action[2]))
        elif answers:
            _kind, pick, unit, aspects, reasons, comment = action
            if unit is None and not aspects and reasons is None and not comment:
                continue
            try:
                events.amend(
                    answers[pick % len(answers)],
                    unit=unit,
                    aspects=aspects or None,
                    reasons=reasons,
                    comment="ok" if comment else None,
                )
            except Exception as error:  # too old to amend: the kiosk refuses it too
                assert "too old" in str(error)
    return events


def periods(rng):
    first = dt.date(2025, 9, 20)
    yield None, None
    for _ in range(4):
        a = first + dt.timedelta(days=rng.randrange(0, 120))
        b = a + dt.timedelta(days=rng.randrange(0, 90))
        yield a, b
    yield dt.date(2025, 10, 1), None
    yield None, dt.date(2025, 10, 31)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logs, st.integers(0, 2**16))
def test_a_kiosks_rollups_give_the_figures_of_its_events(log, seed):
    with tempfile.TemporaryDirectory() as tmp:
        db = kdb.connect(Path(tmp) / "kiosk.db")
        migrations.migrate(db)
        play(log, db, "kiosk-1")
        for date_from, date_to in periods(random.Random(seed)):
            assert tallies(db, date_from, date_to) == event_tallies(db, date_from, date_to)
            assert counter_figures(db, date_from, date_to) == event_counter_figures(db, date_from, date_to)
        assert rollups.differences(db.conn, "events") == []
        db.conn.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logs, logs, st.integers(0, 2**16), st.integers(1, 40))
def test_the_hubs_rollups_give_the_figures_of_its_events_whatever_order_batches_come_in(log_a, log_b, seed, size):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        kiosk_db = kdb.connect(Path(tmp) / "kiosk.db")
        migrations.migrate(kiosk_db)
        hub = open_hub_db(Path(tmp) / "hub")
        batches = []
        for name, station, log in (("kiosk-a", "north", log_a), ("kiosk-b", "south", log_b)):
            hub_store.add_kiosk(hub, name, station)
            kiosk = play(log, kiosk_db, name) if name == "kiosk-a" else None
            if kiosk is None:  # a second kiosk: its own database
                other = kdb.connect(Path(tmp) / "other.db")
                migrations.migrate(other)
                kiosk = play(log, other, name)
            rows = [e.as_row() for e in kiosk.events_since(0, limit=10000)]
            for start in range(0, len(rows), size):
                batches.append(({"name": name, "station": station}, rows[start : start + size]))
        rng.shuffle(batches)  # gaps, amendments before their rating, a kiosk's weeks offline
        batches += batches[: rng.randrange(0, 3)]  # and repeats
        for kiosk, rows in batches:
            store_batch(hub, kiosk, {"meta": {}, "events": rows}, now="2025-12-31T00:00:00Z")
        for date_from, date_to in periods(rng):
            for filters in ({}, {"stations": ["north"]}, {"kiosks": ["kiosk-b"]}):
                assert tallies(hub, date_from, date_to, table="hub_events", **filters) == event_tallies(
                    hub, date_from, date_to, table="hub_events", **filters
                )
                assert counter_figures(hub, date_from, date_to, table="hub_events", **filters) == (
                    event_counter_figures(hub, date_from, date_to, table="hub_events", **filters)
                )
        assert rollups.differences(hub.conn, "hub_events") == []


def test_an_amendment_that_changes_the_unit_moves_the_answer(db):
    now = [START]
    events = EventLog(db, "kiosk-1", clock=lambda: now[0])
    answer = events.record_rating(2).answer_id
    events.amend(answer, unit="traffic")
    first = tallies(db)["satisfaction"]["by_unit"]
    assert first["traffic"] == {"total": 1, "mean": 2.0}
    now[0] += 60
    events.amend(answer, unit="investigation")
    moved = tallies(db)["satisfaction"]["by_unit"]
    assert moved["traffic"]["total"] == 0 and moved["investigation"] == {"total": 1, "mean": 2.0}


def test_a_rebuild_finds_and_mends_rollups_that_drifted(db):
    events = EventLog(db, "kiosk-1", clock=lambda: START)
    events.record_rating(5)
    with write_transaction(db.conn) as conn:
        conn.execute("UPDATE rollup_day SET r5 = r5 + 3")
    found = rollups.differences(db.conn, "events")
    assert [(grain, have["r5"], want["r5"]) for grain, _key, have, want in found] == [("day", 4, 1)]
    with write_transaction(db.conn) as conn:
        assert rollups.rebuild(conn, "events") == found
    assert rollups.differences(db.conn, "events") == []
    assert tallies(db)["satisfaction"]["total"] == 1


def test_the_hubs_stations_table_counts_from_the_rollups(tmp_path):
    hub = open_hub_db(tmp_path / "hub")
    kiosk_db = kdb.connect(tmp_path / "kiosk.db")
    migrations.migrate(kiosk_db)
    hub_store.add_kiosk(hub, "k1", "north")
    events = EventLog(kiosk_db, "k1", clock=lambda: START)
    events.record_rating(4)
    events.record_referral("traffic")
    store_batch(
        hub, {"name": "k1", "station": "north"}, {"meta": {}, "events": [e.as_row() for e in events.events_since(0)]}
    )

    class Period:
        start, end = dt.date(2025, 9, 1), dt.date(2025, 9, 30)

    rows = overview.stations_table(hub, Period, (dt.date(2025, 9, 1), dt.date(2025, 9, 30)), hub_store.kiosks(hub), {})
    assert [(r["station"], r["answers"], r["mean"], r["referrals"]) for r in rows] == [("north", 1, 4.0, 1)]
