"""The bad-answers alert: opens when recent answers turn bad, closes when they recover.

With the defaults: at least 4 counted answers in the last 15 minutes, half or more of them
at levels 1 or 2. The duty officer acknowledges an open alert with a note of what was done.
"""

import datetime as dt

from kiosk.core.clock import utc_iso, utc_now, utc_now_iso
from kiosk.core.events import KIND_RATING
from kiosk.store.db import write_transaction


def recent_answers(db, since):
    """(answers, bad answers) counted since `since`: flagged repeats do not count."""
    row = db.execute(
        "SELECT count(*), coalesce(sum(json_extract(payload, '$.level') <= 2), 0) FROM events "
        "WHERE kind = ? AND flagged = 0 AND at >= ?",
        [KIND_RATING, utc_iso(since)],
    ).fetchone()
    return row[0], row[1]


def evaluate(db, settings, now=None):
    """Open or close the alert from the figures now; returns the open alert or None.

    `settings` is the [duty] section of the settings (kiosk.config.model.Duty)."""
    now = now or utc_now()
    answers, bad = recent_answers(db, now - dt.timedelta(minutes=settings.alert_window_minutes))
    bad_now = answers >= settings.alert_min_answers and bad >= settings.alert_bad_share * answers
    current = open_alert(db)
    with write_transaction(db):
        if bad_now and current is None:
            db["alerts"].insert({"opened_at": utc_iso(now), "answers": answers, "bad": bad})
        elif bad_now:
            db["alerts"].update(current["id"], {"answers": answers, "bad": bad})
        elif current is not None:
            db["alerts"].update(current["id"], {"closed_at": utc_iso(now)})
    return open_alert(db)


def open_alert(db):
    rows = list(db["alerts"].rows_where("closed_at IS NULL", order_by="id DESC", limit=1))
    return rows[0] if rows else None


def acknowledge(db, alert_id, note):
    """The duty officer saw the alert and says what was done."""
    with write_transaction(db):
        db["alerts"].update(alert_id, {"acked_at": utc_now_iso(), "ack_note": note})


def alerts_between(db, start_iso, end_iso):
    """Alerts opened in [start, end), for the monthly report."""
    return list(db["alerts"].rows_where("opened_at >= ? AND opened_at < ?", [start_iso, end_iso], order_by="id"))
