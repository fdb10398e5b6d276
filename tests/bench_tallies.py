"""Is computing tallies from the log fast enough? Run: .venv/bin/python tests/bench_tallies.py

Builds a log of 100,000 events (ratings, amendments, referrals) over a year in a temporary
file, through EventLog itself (synchronous=OFF only while filling, to save time), then
times tallies() for a day, a month and the whole year, verify_chain(), and appends with
synchronous=FULL as a real tap would be.
"""
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kiosk import db as kdb  # noqa: E402
from kiosk.eventlog import ASPECTS, REASONS, UNIT_CHOICES, EventLog, create_tables  # noqa: E402
from kiosk.tallies import tallies  # noqa: E402

N_EVENTS = 100_000
START = datetime(2025, 1, 1, 1, 0, tzinfo=timezone.utc).timestamp()
SPAN = 365 * 86400


class Clock:
    t = START

    def __call__(self):
        return self.t


def build(path):
    kdb.MIGRATIONS.append(create_tables)
    database = kdb.connect(path)
    kdb.migrate(database)
    database.conn.execute("PRAGMA synchronous=OFF")
    rnd = random.Random(4)
    clock = Clock()
    log = EventLog(database, "bench", clock=clock)
    step = SPAN / N_EVENTS
    n = 0
    started = time.perf_counter()
    while n < N_EVENTS:
        clock.t += rnd.expovariate(1 / step)
        kind = rnd.random()
        if kind < 0.15:
            log.record_referral(rnd.choice(UNIT_CHOICES))
            n += 1
            continue
        answer = log.record_rating(rnd.choice((5, 5, 5, 4, 4, 3, 2, 1))).answer_id
        n += 1
        if kind < 0.45 and n < N_EVENTS:  # about a third of the answers get follow-ups
            clock.t += 20
            log.amend(
                answer,
                unit=rnd.choice(UNIT_CHOICES),
                aspects={a: rnd.randint(3, 5) for a in ASPECTS if rnd.random() < 0.7},
                reasons=rnd.sample(REASONS, rnd.randint(0, 2)),
                comment="ok" if rnd.random() < 0.1 else None,
            )
            n += 1
    fill = time.perf_counter() - started
    database.conn.execute("PRAGMA synchronous=FULL")
    return database, log, clock, fill


def timed(fn, repeat=7):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def main():
    with tempfile.TemporaryDirectory() as tmp:
        database, log, clock, fill = build(Path(tmp) / "kiosk.db")
        kinds = dict(database.conn.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
        print(f"log: {sum(kinds.values())} events {kinds}, filled in {fill:.1f} s "
              f"({fill / N_EVENTS * 1e6:.0f} us per append, synchronous=OFF)")
        cases = [
            ("one day (2025-03-15)", date(2025, 3, 15), date(2025, 3, 15)),
            ("one month (2025-03)", date(2025, 3, 1), date(2025, 3, 31)),
            ("whole year (unbounded)", None, None),
        ]
        for label, start, end in cases:
            ms, t = timed(lambda: tallies(database, start, end))
            print(f"tallies {label:24s} {ms:7.1f} ms median  "
                  f"(answers {t['satisfaction']['total']}, raw {t['satisfaction']['raw']['total']}, "
                  f"referrals {t['eit']['raw']['total']})")
        ms, ok = timed(log.verify_chain, repeat=3)
        print(f"verify_chain (all)             {ms:7.1f} ms median  -> {ok}")
        latencies = []
        for _ in range(100):
            clock.t += 30
            t = time.perf_counter()
            log.record_rating(5)
            latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()
        print(f"record_rating, synchronous=FULL: median {statistics.median(latencies):.1f} ms, "
              f"p95 {latencies[94]:.1f} ms")
        database.conn.close()


if __name__ == "__main__":
    main()
