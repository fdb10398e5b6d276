"""One answer's share in the rollups (kiosk.store.rollups), and the payloads read once.

An answer's share comes from its rating (day, hour, level, flagged, counter, display) and
its amendments in log order (unit: latest wins; aspects: latest per aspect; reasons: the
latest set; a comment once given stays counted); a flagged answer counts in raw only. A
row that does not fit the event schema counts as tallies() counts it ("u" keys).
"""

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from operator import itemgetter

from kiosk.core.events import (
    EARLIEST_AT,
    KIND_AMEND,
    KIND_RATING,
    KIND_REFERRAL,
    ValidationError,
    decode_payload,
    latest_at,
    validate_payload,
)

# Payload keys read for the dimensions an event may carry (issue 19: counters, displays).
PAYLOAD_DIMENSIONS = ("counter", "display")
_BANGKOK = timedelta(hours=7)
_SEQ = itemgetter(0)
_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _local(at, latest):
    """A stored time as the schema wants it -> (Bangkok day, hour), else None."""
    if type(at) is not str or not EARLIEST_AT <= at <= latest or not _AT.fullmatch(at):
        return None
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return None
    if moment.hour < 17:  # still the same day in Bangkok (UTC+7): most taps
        return at[:10], moment.hour + 7
    moment += _BANGKOK
    return moment.date().isoformat(), moment.hour


def _dims(payload):
    counter, display = PAYLOAD_DIMENSIONS
    return str(payload.get(counter) or ""), str(payload.get(display) or "")


class Decoder:
    """Payloads read once per text while a batch's shares are worked out: an answer's
    stored rows count in its share before and after the batch, and ingest has already
    checked the new rows (seed). None where a payload does not fit the schema."""

    def __init__(self):
        self._strict, self._amend, self._answer = {}, {}, {}

    def seed(self, kind, text, payload):
        """`payload` is decode_payload(kind, text), already done by the caller."""
        self._strict[kind, text] = payload
        if kind == KIND_AMEND:
            self._amend[text] = payload
        if kind in (KIND_RATING, KIND_AMEND):
            answer_id = payload.get("answer_id")
            self._answer[kind, text] = answer_id if isinstance(answer_id, str) else None

    def decoded(self, kind, text):
        """decode_payload(kind, text), or None when it does not fit."""
        key = (kind, text)
        try:
            return self._strict[key]
        except KeyError:
            pass
        try:
            found = decode_payload(kind, text)
        except ValidationError:
            found = None
        self._strict[key] = found
        return found

    def amend(self, text):
        """An amendment's payload as tallies() reads it (its JSON checked, not its form)."""
        try:
            return self._amend[text]
        except KeyError:
            pass
        try:
            found = validate_payload(KIND_AMEND, json.loads(text))
        except (ValueError, TypeError, RecursionError, ValidationError):
            found = None
        self._amend[text] = found
        return found

    def answer_of(self, kind, text):
        """The answer id a rating's or amendment's payload names, else None."""
        if kind not in (KIND_RATING, KIND_AMEND):
            return None
        key = (kind, text)
        try:
            return self._answer[key]
        except KeyError:
            pass
        try:
            value = json.loads(text)
        except (ValueError, TypeError, RecursionError):
            value = None
        answer_id = value.get("answer_id") if isinstance(value, dict) else None
        self._answer[key] = found = answer_id if isinstance(answer_id, str) else None
        return found


def share(rows, latest=None, decoder=None, into=None, sign=1):
    """The share of one group of rows (an answer's rating and amendments, or one other row)
    in the rollups: a Counter of ("c", station, kiosk, counter, display, day, column) and
    ("u", station, kiosk, kind, at) keys. Rows: (seq, station, kiosk, at, kind, payload,
    flagged), any order. With `into`, the share is added there (times `sign`: -1 takes it
    away) rather than to a new Counter; either is returned."""
    latest = latest or latest_at()
    decoder = decoder or Decoder()
    out = Counter() if into is None else into
    rows = sorted(rows, key=_SEQ) if len(rows) > 1 else rows
    ratings = [row for row in rows if row[4] == KIND_RATING]
    for _seq, station, kiosk, at, kind, payload, flagged in rows:
        if kind == KIND_REFERRAL:
            data = decoder.decoded(KIND_REFERRAL, payload)
            when = _local(at, latest)
            if data is None or when is None:
                out["u", station, kiosk, kind, at] += sign
            else:
                column = f"ef_{data['unit']}" if flagged else f"e_{data['unit']}"
                out["c", station, kiosk, *_dims(data), when[0], column] += sign
        elif kind == KIND_AMEND and decoder.amend(payload) is None:
            # tallies() counts it once per counted rating of its answer, in that rating's time.
            for rating in ratings:
                if not rating[6]:
                    out["u", rating[1], rating[2], KIND_AMEND, rating[3]] += sign
    if not ratings:
        return out
    _seq, station, kiosk, at, _kind, payload, flagged = ratings[-1]
    data, when = decoder.decoded(KIND_RATING, payload), _local(at, latest)
    for rating in ratings[:-1]:  # each unreadable rating row counts
        if decoder.decoded(KIND_RATING, rating[5]) is None or _local(rating[3], latest) is None:
            out["u", rating[1], rating[2], KIND_RATING, rating[3]] += sign
    if data is None or when is None:
        out["u", station, kiosk, KIND_RATING, at] += sign
        return out
    day, hour = when
    level = data["level"]
    key = ("c", station, kiosk, *_dims(data), day)
    if flagged:
        out[(*key, f"f{level}")] += sign
        return out
    out[(*key, f"r{level}")] += sign
    out[(*key, f"h{hour}")] += sign
    unit, aspects, reasons, comment = None, {}, (), False
    for row in rows:
        if row[4] != KIND_AMEND:
            continue
        amend = decoder.amend(row[5])
        if amend is None:
            continue
        unit = amend.get("unit", unit)
        aspects.update(amend.get("aspects", {}))
        reasons = amend.get("reasons", reasons)
        comment = comment or amend.get("has_comment") is True
    if unit is not None:
        out[(*key, f"u_{unit}_{level}")] += sign
    for aspect, aspect_level in aspects.items():
        out[(*key, f"a_{aspect}_{aspect_level}")] += sign
    for reason in reasons:
        out[(*key, f"s_{reason}")] += sign
    if comment:
        out[(*key, "comments")] += sign
    return out
