"""Is computing tallies from the log fast enough? Run: .venv/bin/python -m tests.bench.bench_tallies

Builds a log of 100,000 events (ratings, amendments, referrals) over a year in a temporary
file, through EventLog itself (synchronous=OFF only while filling, to save time), then
times tallies() for a day, a month and the whole year, verify_chain(), and appends with
synchronous=FULL as a real tap would be.
"""

import statistics
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

from kiosk.reports.tallies import tallies
from kiosk.store import db as kdb
from kiosk.store.eventlog import EventLog
from tests.helpers.clock import FakeClock
from tests.helpers.fake_log import fill_log

N_EVENTS = 100_000
START = datetime(2025, 1, 1, 1, 0, tzinfo=timezone.utc).timestamp()
SPAN = 365 * 86400


def build(path):
    started = time.perf_counter()
    head = fill_log(path, "bench", N_EVENTS, START, SPAN, seed=4)
    fill = time.perf_counter() - started
    database = kdb.connect(path)
    clock = FakeClock(START + SPAN)
    return database, EventLog(database, "bench", clock=clock), clock, fill, head


def timed(fn, repeat=7):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def main():
    with tempfile.TemporaryDirectory() as tmp:
        database, log, clock, fill, head = build(Path(tmp) / "kiosk.db")
        kinds = dict(database.conn.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
        print(
            f"log: {sum(kinds.values())} events {kinds}, filled in {fill:.1f} s "
            f"({fill / head * 1e6:.0f} us per append, synchronous=OFF)"
        )
        cases = [
            ("one day (2025-03-15)", date(2025, 3, 15), date(2025, 3, 15)),
            ("one month (2025-03)", date(2025, 3, 1), date(2025, 3, 31)),
            ("whole year (unbounded)", None, None),
        ]
        for label, start, end in cases:
            ms, t = timed(lambda start=start, end=end: tallies(database, start, end))
            print(
                f"tallies {label:24s} {ms:7.1f} ms median  "
                f"(answers {t['satisfaction']['total']}, raw {t['satisfaction']['raw']['total']}, "
                f"referrals {t['eit']['raw']['total']})"
            )
        ms, ok = timed(log.verify_chain, repeat=3)
        print(f"verify_chain (all)             {ms:7.1f} ms median  -> {ok}")
        latencies = []
        for _ in range(100):
            clock.t += 30
            t = time.perf_counter()
            log.record_rating(5)
            latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()
        print(
            f"record_rating, synchronous=FULL: median {statistics.median(latencies):.1f} ms, p95 {latencies[94]:.1f} ms"
        )
        database.conn.close()


if __name__ == "__main__":
    main()
