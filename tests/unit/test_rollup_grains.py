"""The hub's coarser rollup grains (every kiosk by month, station by month) give what the
events give: batches through ingest's parse (its checked payloads reused) in any order;
the per-station sums of the stations table equal each station's own figures; an older hub
gets the grains made from its month rows by a migration step."""

import datetime as dt
import json
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.vocab import ASPECTS, REASONS, UNITS
from kiosk.hub import ingest, open_hub_db
from kiosk.hub import store as hub_store
from kiosk.reports import figures
from kiosk.reports.tallies import event_tallies, tallies
from kiosk.store import db as kdb
from kiosk.store import migrations, rollups
from kiosk.store.db import write_transaction
from kiosk.store.eventlog import EventLog

START = dt.datetime(2025, 9, 28, 16, 30, tzinfo=dt.UTC).timestamp()  # near a fiscal year's and a month's end
LAST = START + 400 * 86400  # a log stops moving here: ingest refuses times ahead of the hub's clock
UNIT_CHOICES = (*UNITS, "not_sure")
step = st.one_of(
    st.tuples(st.just("rating"), st.integers(1, 5)),
    st.tuples(st.just("referral"), st.sampled_from(UNIT_CHOICES)),
    st.tuples(
        st.just("amend"),
        st.integers(0, 50),
        st.sampled_from(UNIT_CHOICES),
        st.dictionaries(st.sampled_from(ASPECTS), st.integers(1, 5), max_size=2),
        st.lists(st.sampled_from(REASONS), unique=True, max_size=2),
    ),
)
gap = st.sampled_from([0, 2, 30, 3600, 86400, 12 * 86400, 40 * 86400])  # bursts, days and months off
logs = st.lists(st.tuples(gap, step), min_size=1, max_size=40)
STATIONS = ("north", "north", "south")  # two kiosks of one station, one of another


def play(log, path, kiosk_id):
    db = kdb.connect(path)
    migrations.migrate(db)
    now = [START]
    events = EventLog(db, kiosk_id, clock=lambda: now[0])
    answers = []
    for seconds, action in log:
        now[0] = min(now[0] + seconds, LAST)
        if action[0] == "rating":
            answers.append(events.record_rating(action[1]).answer_id)
        elif action[0] == "referral":
            events.record_referral(action[1])
        elif answers:
            _kind, pick, unit, aspects, reasons = action
            try:
                events.amend(answers[pick % len(answers)], unit=unit, aspects=aspects or None, reasons=reasons)
            except Exception as error:  # too old to amend: the kiosk refuses it too
                assert "too old" in str(error)
    rows = [e.as_row() for e in events.events_since(0, limit=10000)]
    db.conn.close()
    return rows


def body(rows, kiosk_id, station):
    return json.dumps({"protocol": 1, "kiosk": {"id": kiosk_id, "station": station}, "events": rows}).encode()


def periods(rng):
    yield None, None
    yield dt.date(2025, 10, 1), dt.date(2026, 9, 30)  # a fiscal year: whole months only
    for _ in range(3):
        a = dt.date(2025, 9, 15) + dt.timedelta(days=rng.randrange(0, 200))
        yield a, a + dt.timedelta(days=rng.randrange(0, 120))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(logs, min_size=3, max_size=3), st.integers(0, 2**16), st.integers(1, 30))
def test_the_coarser_grains_give_the_figures_of_the_events(kiosk_logs, seed, size):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        hub = open_hub_db(Path(tmp) / "hub")
        batches = []
        for index, (log, station) in enumerate(zip(kiosk_logs, STATIONS, strict=True)):
            name = f"kiosk-{index}"
            hub_store.add_kiosk(hub, name, station)
            rows = play(log, Path(tmp) / f"{name}.db", name)
            batches += [
                ({"name": name, "station": station}, body(rows[i : i + size], name, station))
                for i in range(0, len(rows), size)
            ]
        rng.shuffle(batches)  # gaps, amendments before their rating, late arrivals
        for kiosk, raw in batches + batches[:2]:  # and repeats
            ingest.store_batch(hub, kiosk, ingest.parse(raw))
        assert rollups.differences(hub.conn, "hub_events") == []  # every grain, the new ones too
        rating_cols = [f"r{level}" for level in range(1, 6)]
        for date_from, date_to in periods(rng):
            assert tallies(hub, date_from, date_to, table="hub_events") == event_tallies(
                hub, date_from, date_to, table="hub_events"
            )
            per_station = figures.by_station(hub.conn, "hub_events", date_from, date_to, rating_cols)
            for station in set(STATIONS):
                own = event_tallies(hub, date_from, date_to, table="hub_events", stations=[station])
                counts = per_station.get(station, dict.fromkeys(rating_cols, 0))
                assert {str(level): counts[f"r{level}"] for level in range(1, 6)} == own["satisfaction"]["counts"]
        hub.conn.close()


def test_an_older_hub_gets_the_coarser_grains_from_its_month_rows(tmp_path):
    kiosk_db = kdb.connect(tmp_path / "kiosk.db")
    migrations.migrate(kiosk_db)
    events = EventLog(kiosk_db, "k1", clock=lambda: START)
    events.amend(events.record_rating(4).answer_id, unit="traffic")
    events.record_referral("traffic")
    hub = open_hub_db(tmp_path / "hub")
    hub_store.add_kiosk(hub, "k1", "north")
    ingest.store_batch(
        hub,
        {"name": "k1", "station": "north"},
        ingest.parse(body([e.as_row() for e in events.events_since(0)], "k1", "north")),
    )
    expected = tallies(hub, table="hub_events")
    # As a hub was before the step: the grains missing, the step not applied.
    with write_transaction(hub.conn) as conn:
        for grain in rollups.HUB_GRAINS:
            conn.execute(f"DROP TABLE {rollups.tables('hub_events')[grain]}")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'create_hub_coarse_rollups'")
    hub.conn.close()
    again = open_hub_db(tmp_path / "hub")
    assert rollups.differences(again.conn, "hub_events") == []
    assert tallies(again, table="hub_events") == expected
    (months,) = again.execute("SELECT count(*) FROM hub_rollup_all_month").fetchone()
    assert months == 1 and expected["satisfaction"]["total"] == 1
    again.conn.close()
