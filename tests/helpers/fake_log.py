"""A kiosk's event log filled with plausible answers, fast, for tests and benchmarks."""

import random

from kiosk.core.vocab import ASPECTS, REASONS, UNIT_CHOICES
from kiosk.store import db as kdb
from kiosk.store import migrations
from kiosk.store.eventlog import EventLog
from tests.helpers.clock import FakeClock


def fill_log(db_path, kiosk_id, n_events, start, span_seconds, seed=1, comments=False):
    """A kiosk's log of about n_events ratings, follow-ups and referrals between `start`
    and start + span (UTC epoch), written through EventLog with synchronous=OFF (fast;
    only while filling). Some ratings come in bursts, so some are flagged."""
    database = kdb.connect(db_path)
    migrations.migrate(database)
    database.conn.execute("PRAGMA synchronous=OFF")
    rnd = random.Random(seed)
    clock = FakeClock(start)
    log = EventLog(database, kiosk_id, clock=clock)
    step = span_seconds / max(n_events, 1)
    written = 0
    while written < n_events:
        clock.t += rnd.expovariate(1 / step) if rnd.random() > 0.05 else 2  # a few quick repeats
        roll = rnd.random()
        if roll < 0.2:
            log.record_referral(rnd.choice(UNIT_CHOICES))
            written += 1
            continue
        answer = log.record_rating(rnd.choice((5, 5, 5, 4, 4, 3, 2, 1))).answer_id
        written += 1
        if roll < 0.5 and written < n_events:
            clock.t += 15
            log.amend(
                answer,
                unit=rnd.choice(UNIT_CHOICES),
                aspects={a: rnd.randint(2, 5) for a in ASPECTS if rnd.random() < 0.7},
                reasons=rnd.sample(REASONS, rnd.randint(0, 2)),
                comment=("call me 081-234-5678, private words" if comments and rnd.random() < 0.3 else None),
            )
            written += 1
    database.conn.execute("PRAGMA synchronous=FULL")
    head = log.last_event().seq
    database.conn.close()
    return head
