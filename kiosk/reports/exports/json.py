"""JSON: the tallies as they are, with the period's metadata (and, for the admin, comments)."""

import json
from datetime import datetime

from kiosk.core.clock import BANGKOK
from kiosk.reports.exports.comments import comments_json
from kiosk.reports.exports.common import FORMAT_VERSION


def to_json(
    figures, *, period_label, station_name, include_comments=False, comments=None, generated_on=None, tz=BANGKOK
):
    """UTF-8 JSON bytes: {"format", "version", "station", "period": {from, to, tz, label},
    "generated_on", "tallies": <the tallies() dict as it is>} and, with include_comments,
    "comment_texts": [{"date", "hour", "level", "text"}] (local date and hour only)."""
    if not period_label or not station_name:
        raise ValueError("period_label and station_name are required")
    generated_on = generated_on or datetime.now(tz).date()
    document = {
        "format": "kiosk-tallies",
        "version": FORMAT_VERSION,
        "station": station_name,
        "period": {**figures["period"], "label": period_label},
        "generated_on": generated_on.isoformat(),
        "tallies": figures,
    }
    if include_comments:
        document["comment_texts"] = comments_json(comments, tz)
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8")
