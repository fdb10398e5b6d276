"""Make the databases of tests/test_upgrade.py with the code of commit 92edd46.

Run ONCE against a checkout of that commit, never against today's code:

    mkdir /tmp/oldcode && git archive 92edd46 | tar -x -C /tmp/oldcode
    cd /tmp/oldcode && /work/main/.venv/bin/python <this file> <tests/data>

It writes old_kiosk.sql and old_hub.sql (sqlite3 iterdump, then the PRAGMA user_version
the old code kept) and old_figures.json (the tallies the old code computed from them).
"""

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from kiosk.hub import open_hub_db
from kiosk.hub import store as hub_store
from kiosk.hub.ingest import BatchRefused, parse, record_refusal, store_batch
from kiosk.reports.tallies import tallies
from kiosk.store import alerts, credentials, migrations
from kiosk.store import db as kdb
from kiosk.store.eventlog import EventLog

START = dt.datetime(2026, 3, 9, 1, 30, tzinfo=dt.timezone.utc).timestamp()  # 08:30 in Bangkok


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def fill(db, kiosk_id, offset):
    """Ratings, follow-ups with comments, referrals over three days; one flagged repeat."""
    clock = Clock(START + offset)
    log = EventLog(db, kiosk_id, clock=clock)
    units = ("administration", "investigation", "traffic", "crime_prevention", "not_sure")
    for n in range(18):
        clock.now = START + offset + (n // 6) * 86400 + (n % 6) * 1800
        rating = log.record_rating(1 + (n * 7) % 5)
        if n == 7:
            clock.now += 4
            log.record_rating(5)  # a repeat within the window: flagged
        clock.now += 20
        comment = f"ok {n}, call me 081-234-5678" if n % 4 == 0 else (f"note {n}" if n % 5 == 0 else None)
        log.amend(
            rating.answer_id,
            unit=units[n % 4],
            aspects={"staff": 1 + n % 5, "process": 1 + (n + 2) % 5},
            reasons=["waited_too_long", "unclear_steps"] if n % 2 else ["polite_staff"] if n % 3 == 0 else None,
            comment=comment,
        )
        clock.now += 20
        log.record_referral(units[n % 5])
    clock.now += 60
    log.append("reset", {"by": "duty"})
    return log


def audit_row(db, actor, action, detail=""):
    """As kiosk/web/auth.py wrote it at 92edd46."""
    with kdb.write_lock:
        db["audit"].insert({"at": credentials.now_iso(), "actor": actor, "action": action, "detail": detail})
    with kdb.write_lock:
        db["auth_attempts"].insert({"at": credentials.now_iso(), "role": actor, "ok": 1, "client": "127.0.0.1"})


def dump(db, path):
    conn = db.conn
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    lines = list(conn.iterdump())
    lines.append(f"PRAGMA user_version={version};")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(out_dir):
    out = Path(out_dir)
    work = Path(tempfile.mkdtemp(prefix="old-databases-"))
    kiosk = kdb.connect(work / "kiosk.db")
    migrations.migrate(kiosk)
    credentials.ensure_secrets(kiosk, {}, announce=lambda _text: None)
    fill(kiosk, "kiosk-1", 0)
    audit_row(kiosk, "admin", "sign-in")
    audit_row(kiosk, "duty", "reset")
    settings = {"alert_window_minutes": 15, "alert_min_answers": 4, "alert_bad_share": 0.5}
    alerts.evaluate(kiosk, settings, now=dt.datetime(2026, 3, 9, 3, 0, tzinfo=dt.timezone.utc))

    hub = open_hub_db(work / "hub")
    credentials.ensure_secrets(hub, {}, announce=lambda _text: None, names=credentials.HUB_SECRETS)
    audit_row(hub, "admin", "sign-in")
    for name, station, offset in (("kiosk-a", "changhan", 0), ("kiosk-b", "muang", 7200)):
        hub_store.add_kiosk(hub, name, station)
        source = kdb.connect(work / f"{name}.db")
        migrations.migrate(source)
        log = fill(source, name, offset)
        events = [event.as_row() for event in log.events_since(0, limit=1000)]
        meta = {"id": name, "station": station, "head": events[-1]["seq"], "version": "0.1.0"}
        for part in (events[:20], events[10:40], events[40:]):  # one overlap: duplicates
            batch = parse(json.dumps({"protocol": 1, "kiosk": meta, "events": part}).encode())
            store_batch(hub, {"name": name, "station": station}, batch)
    record_refusal(hub, "kiosk-b", BatchRefused(400, "events[0].hash: does not match"))

    figures = {
        "kiosk": tallies(kiosk, dt.date(2026, 3, 9), dt.date(2026, 3, 11)),
        "kiosk_all": tallies(kiosk),
        "hub": tallies(hub, table="hub_events"),
        "hub_changhan": tallies(
            hub, dt.date(2026, 3, 10), dt.date(2026, 3, 10), table="hub_events", stations=["changhan"]
        ),
    }
    dump(kiosk, out / "old_kiosk.sql")
    dump(hub, out / "old_hub.sql")
    (out / "old_figures.json").write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
