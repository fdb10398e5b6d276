"""Rollups: the figures' sums, kept in the same write transaction as the events.

Every figure (kiosk.reports.tallies) is a sum over answers and referrals. Rather than
reading every event on every request, each event adds its share to a few summary rows,
in the transaction that stores it; a figure then costs in proportion to the days and
kiosks it covers, not the events.

Grains (one table each, the same COLUMNS in all; `P` is "rollup" on a kiosk, whose
source is `events`, and "hub_rollup" on the hub, whose source is `hub_events`):
- P_day:     DIMENSIONS and the Bangkok day ('YYYY-MM-DD'): the truth, any filter.
- P_month:   DIMENSIONS and the Bangkok month ('YYYY-MM'): whole months of a period.
- P_all_day: counter, display and the day, every kiosk together: by_day without a filter.
- P_unreadable: rows that do not fit the event schema (older hubs stored some), by
  station, kiosk, kind and their stored time text, counted as tallies() counts them.

An answer's share comes from its rating (day, hour, level, flagged, counter, display)
and its amendments in log order (unit: latest wins; aspects: latest per aspect; reasons:
the latest set; a comment once given stays counted); a flagged answer counts in raw only.
When an event of an answer arrives, its share is computed from the answer's stored
events before and after, and the difference applied: an amendment that changes the unit
moves the answer's counts, an amendment that arrives before its rating (a gap on the
hub) counts once the rating comes, and an event of a kiosk weeks offline lands in the day
of its own time. `rebuild` and `check` compute every share again from the events.

The dimensions are declared (DIMENSIONS): "counter" and "display" are read from the
rating's or referral's payload when it has them ('' when not); amendments inherit them.
"""

import json
import re
from collections import Counter
from datetime import datetime, timedelta

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
from kiosk.core.vocab import ASPECTS, LEVELS, REASONS, UNIT_NOT_SURE, UNITS

UNIT_KEYS = UNITS + (UNIT_NOT_SURE,)
_LEVELS = sorted(LEVELS)
# The summed columns: counted ratings by level (r), flagged ones (f), counted answers by
# unit and level (u), aspects by level (a), reasons (s), comments, counted and flagged
# referrals by unit (e, ef), counted answers by Bangkok hour (h).
COLUMNS = (
    [f"r{level}" for level in _LEVELS]
    + [f"f{level}" for level in _LEVELS]
    + [f"u_{unit}_{level}" for unit in UNIT_KEYS for level in _LEVELS]
    + [f"a_{aspect}_{level}" for aspect in ASPECTS for level in _LEVELS]
    + [f"s_{reason}" for reason in REASONS]
    + ["comments"]
    + [f"e_{unit}" for unit in UNIT_KEYS]
    + [f"ef_{unit}" for unit in UNIT_KEYS]
    + [f"h{hour}" for hour in range(24)]
)
# What a row is kept by besides its day or month; '' when an event does not say.
DIMENSIONS = ("station", "kiosk", "counter", "display")
# Payload keys read for the dimensions an event may carry (issue 19: counters, displays).
PAYLOAD_DIMENSIONS = ("counter", "display")
SOURCES = {"events": ("rollup", False), "hub_events": ("hub_rollup", True)}  # table -> (prefix, has station)
_BANGKOK = timedelta(hours=7)
_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def tables(source):
    """The rollup tables of a source table: {'day', 'month', 'all_day', 'unreadable'} -> name."""
    prefix, _ = SOURCES[source]
    return {grain: f"{prefix}_{grain}" for grain in ("day", "month", "all_day", "unreadable")}


def create_tables(conn, source):
    """Migration step: the rollup tables of `source` (inside the migration's transaction)."""
    names = tables(source)
    cols = ", ".join(f"{col} INTEGER NOT NULL DEFAULT 0" for col in COLUMNS)
    dims = ", ".join(f"{dim} TEXT NOT NULL" for dim in DIMENSIONS)
    for grain, time_col in (("day", "day"), ("month", "month")):
        keys = ", ".join((*DIMENSIONS, time_col))
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {names[grain]} ({dims}, {time_col} TEXT NOT NULL, {cols},"
            f" PRIMARY KEY ({keys})) WITHOUT ROWID"
        )
        conn.execute(f"CREATE INDEX IF NOT EXISTS {names[grain]}_{time_col} ON {names[grain]} ({time_col})")
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {names['all_day']} (counter TEXT NOT NULL, display TEXT NOT NULL,"
        f" day TEXT NOT NULL, {cols}, PRIMARY KEY (day, counter, display)) WITHOUT ROWID"
    )
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {names['unreadable']} (station TEXT NOT NULL, kiosk TEXT NOT NULL,"
        " kind TEXT NOT NULL, at TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (station, kiosk, kind, at))"
        " WITHOUT ROWID"
    )


# -- one answer's share ------------------------------------------------------------------


def _local(at, latest):
    """A stored time as the schema wants it -> (Bangkok day, hour), else None."""
    if type(at) is not str or not EARLIEST_AT <= at <= latest or not _AT.fullmatch(at):
        return None
    try:
        moment = datetime.fromisoformat(at) + _BANGKOK
    except ValueError:
        return None
    return moment.date().isoformat(), moment.hour


def _dims(payload):
    return tuple(str(payload.get(key) or "") for key in PAYLOAD_DIMENSIONS)


def _decoded(kind, text):
    try:
        return decode_payload(kind, text)
    except ValidationError:
        return None


def _amend(text):
    try:
        return validate_payload(KIND_AMEND, json.loads(text))
    except (ValueError, TypeError, RecursionError, ValidationError):
        return None


def share(rows, latest=None):
    """The share of one group of rows (an answer's rating and amendments, or one other row)
    in the rollups: a Counter of ("c", station, kiosk, counter, display, day, column) and
    ("u", station, kiosk, kind, at) keys. Rows: (seq, station, kiosk, at, kind, payload,
    flagged), any order."""
    latest = latest or latest_at()
    out = Counter()
    rows = sorted(rows, key=lambda row: row[0])
    ratings = [row for row in rows if row[4] == KIND_RATING]
    for _seq, station, kiosk, at, kind, payload, flagged in rows:
        if kind == KIND_REFERRAL:
            data = _decoded(KIND_REFERRAL, payload)
            when = _local(at, latest)
            if data is None or when is None:
                out["u", station, kiosk, kind, at] += 1
            else:
                column = f"ef_{data['unit']}" if flagged else f"e_{data['unit']}"
                out["c", station, kiosk, *_dims(data), when[0], column] += 1
        elif kind not in (KIND_RATING, KIND_AMEND):
            continue
        elif kind == KIND_AMEND and _amend(payload) is None:
            # tallies() counts it once per counted rating of its answer, in that rating's time.
            for rating in ratings:
                if not rating[6]:
                    out["u", rating[1], rating[2], KIND_AMEND, rating[3]] += 1
    if not ratings:
        return out
    _seq, station, kiosk, at, _kind, payload, flagged = ratings[-1]
    for rating in ratings:  # each unreadable rating row counts
        if _decoded(KIND_RATING, rating[5]) is None or _local(rating[3], latest) is None:
            out["u", rating[1], rating[2], KIND_RATING, rating[3]] += 1
    data, when = _decoded(KIND_RATING, payload), _local(at, latest)
    if data is None or when is None:
        return out
    day, hour = when
    level = data["level"]
    key = ("c", station, kiosk, *_dims(data), day)
    if flagged:
        out[(*key, f"f{level}")] += 1
        return out
    out[(*key, f"r{level}")] += 1
    out[(*key, f"h{hour}")] += 1
    unit, aspects, reasons, comment = None, {}, (), False
    for row in rows:
        if row[4] != KIND_AMEND:
            continue
        amend = _amend(row[5])
        if amend is None:
            continue
        unit = amend.get("unit", unit)
        aspects.update(amend.get("aspects", {}))
        reasons = amend.get("reasons", reasons)
        comment = comment or amend.get("has_comment") is True
    if unit is not None:
        out[(*key, f"u_{unit}_{level}")] += 1
    for aspect, aspect_level in aspects.items():
        out[(*key, f"a_{aspect}_{aspect_level}")] += 1
    for reason in reasons:
        out[(*key, f"s_{reason}")] += 1
    if comment:
        out[(*key, "comments")] += 1
    return out


# -- reading the events ------------------------------------------------------------------


def _answer_of(kind, payload):
    if kind not in (KIND_RATING, KIND_AMEND):
        return None
    try:
        value = json.loads(payload)
    except (ValueError, TypeError, RecursionError):
        return None
    answer_id = value.get("answer_id") if isinstance(value, dict) else None
    return answer_id if isinstance(answer_id, str) else None


def _select(source):
    station = "station" if SOURCES[source][1] else "''"
    return f"SELECT seq, {station}, kiosk, at, kind, payload, flagged FROM {source}"


def answer_rows(conn, source, answer_ids, kiosk=None):
    """The stored rows of these answers (on the hub: of one kiosk), grouped by answer id."""
    grouped = {answer_id: [] for answer_id in answer_ids}
    ids = list(grouped)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        sql = (
            _select(source) + " WHERE json_extract(payload, '$.answer_id') IN"
            f" ({', '.join('?' * len(chunk))}) AND kind IN ('rating', 'amend')"
        )
        args = list(chunk)
        if kiosk is not None:
            sql += " AND kiosk = ?"
            args.append(kiosk)
        for row in conn.execute(sql, args):
            answer_id = _answer_of(row[4], row[5])
            if answer_id in grouped:
                grouped[answer_id].append(row)
    return grouped


def shares_of(conn, source, answer_ids, kiosk=None):
    """The summed share of these answers as the stored events give it now."""
    total, latest = Counter(), latest_at()
    for rows in answer_rows(conn, source, answer_ids, kiosk).values():
        total.update(share(rows, latest))
    return total


def before_insert(conn, source, rows, kiosk=None):
    """Call in the write transaction before inserting `rows` (tuples as share takes them):
    their answers' stored rows. Pass the result to after_insert."""
    answer_ids = {_answer_of(row[4], row[5]) for row in rows} - {None}
    return answer_rows(conn, source, answer_ids, kiosk) if answer_ids else {}


def after_insert(conn, source, rows, before, kiosk=None):
    """Call in the same transaction after inserting `rows`: adds their share to the rollups
    (each touched answer's share with the new rows, less its share without them)."""
    latest = latest_at()
    delta = Counter()
    grouped = {answer_id: list(stored) for answer_id, stored in before.items()}
    for row in rows:
        answer_id = _answer_of(row[4], row[5])
        if answer_id is None:
            delta.update(share([row], latest))
        else:
            grouped[answer_id].append(row)
    for answer_id, stored in before.items():
        if stored:
            delta.subtract(share(stored, latest))
        delta.update(share(grouped[answer_id], latest))
    apply(conn, source, delta)


# -- writing the rollups -----------------------------------------------------------------


def _by_grain(delta):
    grains = {"day": {}, "month": {}, "all_day": {}}
    unreadable = {}
    for key, n in delta.items():
        if not n:
            continue
        if key[0] == "u":
            unreadable[key[1:]] = unreadable.get(key[1:], 0) + n
            continue
        _c, station, kiosk, counter, display, day, column = key
        for grain, dims in (
            ("day", (station, kiosk, counter, display, day)),
            ("month", (station, kiosk, counter, display, day[:7])),
            ("all_day", (counter, display, day)),
        ):
            row = grains[grain].setdefault(dims, {})
            row[column] = row.get(column, 0) + n
    return grains, unreadable


def _upsert_sql(table, keys):
    names = ", ".join((*keys, *COLUMNS))
    marks = ", ".join("?" * (len(keys) + len(COLUMNS)))
    updates = ", ".join(f"{col} = {col} + excluded.{col}" for col in COLUMNS)
    return f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"


GRAIN_KEYS = {
    "day": (*DIMENSIONS, "day"),
    "month": (*DIMENSIONS, "month"),
    "all_day": ("counter", "display", "day"),
}


def apply(conn, source, delta):
    """Add a Counter of share keys (see share) to the rollup tables."""
    names = tables(source)
    grains, unreadable = _by_grain(delta)
    for grain, rows in grains.items():
        if rows:
            conn.executemany(
                _upsert_sql(names[grain], GRAIN_KEYS[grain]),
                [(*dims, *(values.get(col, 0) for col in COLUMNS)) for dims, values in rows.items()],
            )
    if unreadable:
        conn.executemany(
            f"INSERT INTO {names['unreadable']} (station, kiosk, kind, at, n) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (station, kiosk, kind, at) DO UPDATE SET n = n + excluded.n",
            [(*key, n) for key, n in unreadable.items()],
        )


# -- from the events again ---------------------------------------------------------------


def from_events(conn, source):
    """Every share, computed again from all the events (per kiosk on the hub)."""
    total, latest = Counter(), latest_at()
    per_kiosk = SOURCES[source][1]
    groups, current = {}, None
    order = " ORDER BY kiosk, seq" if per_kiosk else " ORDER BY seq"
    for row in conn.execute(_select(source) + order):
        if per_kiosk and row[2] != current:
            for rows in groups.values():
                total.update(share(rows, latest))
            groups, current = {}, row[2]
        answer_id = _answer_of(row[4], row[5])
        groups.setdefault(answer_id if answer_id is not None else ("row", row[0], row[2]), []).append(row)
    for rows in groups.values():
        total.update(share(rows, latest))
    return total


def stored(conn, source):
    """What the rollup tables hold, as {grain: {dims: {column: n}}} without zeros."""
    names = tables(source)
    result = {}
    for grain, keys in GRAIN_KEYS.items():
        rows = {}
        for values in conn.execute(f"SELECT {', '.join((*keys, *COLUMNS))} FROM {names[grain]}"):
            sums = {col: n for col, n in zip(COLUMNS, values[len(keys) :], strict=True) if n}
            if sums:
                rows[tuple(values[: len(keys)])] = sums
        result[grain] = rows
    result["unreadable"] = {
        tuple(row[:4]): row[4]
        for row in conn.execute(f"SELECT station, kiosk, kind, at, n FROM {names['unreadable']} WHERE n != 0")
    }
    return result


def _expected(conn, source):
    grains, unreadable = _by_grain(from_events(conn, source))
    result = {
        grain: {dims: {c: n for c, n in row.items() if n} for dims, row in rows.items()}
        for grain, rows in grains.items()
    }
    result = {grain: {dims: row for dims, row in rows.items() if row} for grain, rows in result.items()}
    result["unreadable"] = {key: n for key, n in unreadable.items() if n}
    return result


def differences(conn, source):
    """Where the stored rollups differ from the events: a list of (grain, key, stored, expected)."""
    have, want = stored(conn, source), _expected(conn, source)
    found = []
    for grain in want:
        for key in sorted(set(have[grain]) | set(want[grain]), key=str):
            if have[grain].get(key) != want[grain].get(key):
                found.append((grain, key, have[grain].get(key), want[grain].get(key)))
    return found


def rebuild(conn, source):
    """Inside a write transaction: the rollups made again from the events; returns the
    differences the old ones had (see differences)."""
    found = differences(conn, source)
    for table in tables(source).values():
        conn.execute(f"DELETE FROM {table}")
    apply(conn, source, from_events(conn, source))
    return found
