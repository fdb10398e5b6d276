"""Comments for the admin's exports: read with their rating, cut to the hour (PDPA)."""

from datetime import timedelta

from kiosk.core.clock import BANGKOK, day_start_utc
from kiosk.core.thaidate import format_date
from kiosk.core.vocab import LEVEL_LABELS
from kiosk.reports.exports.common import hour_label, local_hour


def load_comments(log, date_from=None, date_to=None, tz=BANGKOK):
    """The comments written in [date_from, date_to] (local dates, inclusive), with their rating.

    `log` is a kiosk.store.eventlog.EventLog. Each item: {"at" (UTC ISO, as stored), "text",
    "masked", "level" (the answer's rating, None if not found), "flagged"}. The answer id
    is dropped: exports do not need it. The time is cut to the hour by the exports."""
    start = day_start_utc(date_from, tz) if date_from else None
    end = day_start_utc(date_to + timedelta(days=1), tz) if date_to else None
    items = log.comments(start, end)
    ratings = {}
    ids = [item["answer_id"] for item in items]
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for answer_id, level, flagged in log.conn.execute(
            "SELECT json_extract(payload, '$.answer_id'), json_extract(payload, '$.level'), flagged"
            f" FROM events WHERE kind = 'rating' AND json_extract(payload, '$.answer_id') IN ({marks})",
            chunk,
        ):
            ratings[answer_id] = (level, bool(flagged))
    result = []
    for item in items:
        level, flagged = ratings.get(item["answer_id"], (None, False))
        result.append(
            {"at": item["at"], "text": item["text"], "masked": item["masked"], "level": level, "flagged": flagged}
        )
    return result


def comment_rows(comments, lang, tz):
    """Table rows of load_comments() items: date, hour range, level, its label, the text."""
    rows = []
    for item in comments or ():
        day, hour = local_hour(item["at"], tz)
        level = item.get("level")
        level_label = LEVEL_LABELS[level].in_language(lang) if level in LEVEL_LABELS else None
        rows.append(
            (format_date(day, lang, abbreviated=True), hour_label(hour, lang), level, level_label, item["text"])
        )
    return tuple(rows)


def comments_json(comments, tz):
    """load_comments() items for JSON: local date and hour only."""
    out = []
    for item in comments or ():
        day, hour = local_hour(item["at"], tz)
        out.append({"date": day.isoformat(), "hour": hour, "level": item.get("level"), "text": item["text"]})
    return out
