"""Satisfaction and EIT tallies: tallies() reads the rollups, event_tallies() the events.

tallies() sums the rollups (kiosk.store.rollups, kept in the events' own transactions;
kiosk.reports.figures reads them), so a figure costs in proportion to the days and kiosks
it covers. event_tallies() computes the same figures from the events on each call: the
reference that the property tests and `rollups rebuild --check` compare with. It relies
on two indexes made by kiosk.store.eventlog.create_tables: events (kind, at) and
events (json_extract(payload, '$.answer_id')).

Official figures leave flagged events out; "raw" figures count them. An answer is a
rating event; its unit, aspects, reasons and comment come from its amendment events in
log order (unit: latest wins; aspects: latest wins per aspect; reasons: the latest set;
a comment once given stays counted even after the comment text is deleted). A flagged
rating's amendments count only in raw, which only reports total, counts and mean.

Dates are local calendar dates (default Asia/Bangkok, UTC+7, no DST), inclusive; the log
stores UTC. An answer belongs to the day and hour of its rating.

The same figures on the admin hub: `table="hub_events"` reads the events every kiosk
synced (kiosk.hub.store), optionally only some `stations` and `kiosks`; an answer's
follow-ups are then taken from its own kiosk only.

What is stored is read defensively: a row that does not fit the event schema
(kiosk.core.events: a time that is no real instant or is outside the schema's window,
a level that is not an integer 1-5, an unknown unit, reasons that are not reason keys...)
is left out of every figure and counted in "unreadable", never a crash. Older hubs
stored such rows before ingest checked the schema, and hub events cannot be deleted.
"""

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from kiosk.core.clock import BANGKOK, day_start_utc
from kiosk.core.events import (
    EARLIEST_AT,
    KIND_AMEND,
    KIND_RATING,
    KIND_REFERRAL,
    ValidationError,
    latest_at,
    validate_payload,
)
from kiosk.core.vocab import ASPECTS, DEFAULT_EIT_QUOTA, LEVELS, REASONS, SATISFIED_LEVELS, UNIT_NOT_SURE, UNITS
from kiosk.reports.figures import (  # noqa: F401  (their home was here)
    BAND_INTERVALS,
    BAND_KEYS,
    BAND_THRESHOLDS,
    band_for,
    mean_score,
    rollup_tallies,
    round2,
)

_LEVEL_KEYS = tuple(str(level) for level in sorted(LEVELS))  # "1".."5"


def _check_date(name, value):
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date or None")
    return value


def _time_filter(date_from, date_to, tz, column="at"):
    sql, args = "", []
    if date_from is not None:
        sql += f" AND {column} >= ?"
        args.append(day_start_utc(date_from, tz))
    if date_to is not None:
        sql += f" AND {column} < ?"
        args.append(day_start_utc(date_to + timedelta(days=1), tz))
    return sql, args


# Tables tallies() may read: a kiosk's own log, or the hub's copy of every kiosk's log.
SOURCES = {"events": False, "hub_events": True}  # table -> has a station column


def _source_filter(table, stations, kiosks, alias=""):
    """SQL and arguments keeping only the given stations and kiosks (None: all)."""
    if table not in SOURCES:
        raise ValueError(f"unknown table {table!r}")
    sql, args = "", []
    prefix = f"{alias}." if alias else ""
    if stations is not None:
        if not SOURCES[table]:
            raise ValueError("only the hub's table has stations")
        stations = list(stations)
        sql += f" AND {prefix}station IN ({', '.join('?' * len(stations)) or 'NULL'})"
        args += stations
    if kiosks is not None:
        kiosks = list(kiosks)
        sql += f" AND {prefix}kiosk IN ({', '.join('?' * len(kiosks)) or 'NULL'})"
        args += kiosks
    return sql, args


def _level_counts():
    return dict.fromkeys(_LEVEL_KEYS, 0)


def readable_at_sql(column="at"):
    """SQL true when `column` is a time as the event schema wants it (kiosk.core.events.check_at):
    the one format, a real date (SQLite's date() moves 30 February on), hours below 24,
    from EARLIEST_AT to a latest time. Takes two arguments: readable_at_args()."""
    return (
        f"({column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'"
        f" AND substr({column}, 12, 2) < '24'"
        f" AND date(substr({column}, 1, 10), '+0 days') IS substr({column}, 1, 10)"
        f" AND {column} >= ? AND {column} <= ?)"
    )


def readable_at_args(latest=None):
    """The two arguments of readable_at_sql: EARLIEST_AT and the latest time (see latest_at)."""
    return [EARLIEST_AT, latest or latest_at()]


# A payload of exactly these keys (answer_id then level, as canonical JSON sorts them).
# Version 2 (kiosk.core.events: made on a paired display) adds counter, display and v.
_ORIGIN_SQL = "'counter', json_extract(payload, '$.counter'), 'display', json_extract(payload, '$.display')"
RATING_SHAPE = (
    "payload IN (json_object('answer_id', json_extract(payload, '$.answer_id'), 'level', json_extract(payload, '$.level')),"
    f" json_object('answer_id', json_extract(payload, '$.answer_id'), {_ORIGIN_SQL},"
    " 'level', json_extract(payload, '$.level'), 'v', 2))"
)
REFERRAL_SHAPE = (
    "payload IN (json_object('unit', json_extract(payload, '$.unit')),"
    f" json_object({_ORIGIN_SQL}, 'unit', json_extract(payload, '$.unit'), 'v', 2))"
)


def tallies(
    db,
    date_from=None,
    date_to=None,
    quota=DEFAULT_EIT_QUOTA,
    tz=BANGKOK,
    band_interval=0.8,
    *,
    table="events",
    stations=None,
    kiosks=None,
    parts=("satisfaction", "eit"),
):
    """All figures for [date_from, date_to] (local dates, inclusive; None = unbounded),
    read from the rollups; the shape and figures of event_tallies() (see there).

    The rollups keep Bangkok days: another `tz` is computed from the events."""
    if tz is not BANGKOK:
        return event_tallies(
            db, date_from, date_to, quota, tz, band_interval, table=table, stations=stations, kiosks=kiosks, parts=parts
        )
    date_from = _check_date("date_from", date_from)
    date_to = _check_date("date_to", date_to)
    if date_from and date_to and date_from > date_to:
        raise ValueError("date_from is after date_to")
    _source_filter(table, stations, kiosks)  # the same refusals
    quota = {unit: int(quota.get(unit, 0)) for unit in UNITS}
    conn = getattr(db, "conn", db)
    return rollup_tallies(conn, table, date_from, date_to, quota, tz, band_interval, stations, kiosks, parts)


def event_tallies(
    db,
    date_from=None,
    date_to=None,
    quota=DEFAULT_EIT_QUOTA,
    tz=BANGKOK,
    band_interval=0.8,
    *,
    table="events",
    stations=None,
    kiosks=None,
    parts=("satisfaction", "eit"),
):
    """All figures for [date_from, date_to] (local dates, inclusive; None = unbounded).

    By default from this kiosk's `events`; on the hub from `hub_events`, where `stations`
    and `kiosks` (lists of codes and names; None = all) narrow what is counted.
    `parts=("eit",)` leaves the satisfaction section out (and its queries: the hub's EIT
    quota pace over a six-month window needs only the referrals).

    Shape (the contract's keys plus more):
    {"period": {"from", "to", "tz"},
     "satisfaction": {"total", "counts": {"1".."5"}, "mean", "percent_satisfied", "band",
                      "raw": {"total", "counts", "mean"}, "flagged",
                      "aspects": {aspect: {"total", "counts", "mean"}},
                      "by_unit": {unit or "not_sure": {"total", "mean"}},
                      "reasons": {key: n}, "by_day": {"YYYY-MM-DD": {"total", "mean"}},
                      "by_hour": {"0".."23": n}, "comments": n},
     "eit": {"total", "by_unit": {unit: n}, "not_sure", "quota": {unit: n},
             "raw": {"total", "by_unit", "not_sure"}, "flagged"}}
    eit.total counts every referral, "not sure" included: sum(by_unit) + not_sure.
    Means are rounded half-up to 2 places; mean and percent are None with no answers.
    by_day lists every day from date_from (or the first answer) to date_to (or the last).
    """
    date_from = _check_date("date_from", date_from)
    date_to = _check_date("date_to", date_to)
    if date_from and date_to and date_from > date_to:
        raise ValueError("date_from is after date_to")
    quota = {unit: int(quota.get(unit, 0)) for unit in UNITS}
    conn = getattr(db, "conn", db)
    time_sql, time_args = _time_filter(date_from, date_to, tz)
    source_sql, source_args = _source_filter(table, stations, kiosks)
    time_sql, time_args = time_sql + source_sql, time_args + source_args

    # -- satisfaction ---------------------------------------------------------------
    answers = {}  # answer_id -> (at, level, flagged)
    unreadable = 0
    at_ok = readable_at_sql()
    at_args = readable_at_args()
    with_satisfaction = "satisfaction" in parts
    for at, answer_id, level, flagged, readable in (
        conn.execute(
            "SELECT at, json_extract(payload, '$.answer_id'), json_extract(payload, '$.level'), flagged,"
            f" {RATING_SHAPE} AND json_type(payload, '$.level') = 'integer'"
            f" FROM {table} WHERE kind = ?" + time_sql,
            [KIND_RATING, *time_args],
        )
        if with_satisfaction
        else ()
    ):
        moment = _moment(at, at_args[1]) if readable else None
        if moment is not None and type(level) is int and level in LEVELS and _is_answer_id(answer_id):
            answers[answer_id] = (moment, level, bool(flagged))
        else:
            unreadable += 1

    # Follow-ups of the counted answers in range, whenever they were made (found through
    # the answer_id index), applied in log order. Flagged answers' follow-ups are raw only.
    follow = {}  # answer_id -> {"unit", "aspects", "reasons", "has_comment"}
    r_time_sql, _ = _time_filter(date_from, date_to, tz, column="r.at")
    r_source_sql, _ = _source_filter(table, stations, kiosks, alias="r")
    # On the hub, each kiosk numbers its own events: follow-ups come from the rating's kiosk.
    same_kiosk = " AND a.kiosk = r.kiosk" if table != "events" else ""
    # (An amendment's own time counts for nothing: the answer belongs to its rating's time.)
    for (payload,) in (
        conn.execute(
            f"SELECT a.payload FROM {table} AS r CROSS JOIN {table} AS a"
            " ON json_extract(a.payload, '$.answer_id') = json_extract(r.payload, '$.answer_id')"
            " WHERE r.kind = ? AND r.flagged = 0"
            + r_time_sql
            + r_source_sql
            + " AND a.kind = ?"
            + same_kiosk
            + " ORDER BY a.seq",
            [KIND_RATING, *time_args, KIND_AMEND],
        )
        if with_satisfaction
        else ()
    ):
        data = _amend_payload(payload)
        if data is None:
            unreadable += 1
            continue
        answer_id = data["answer_id"]
        if answer_id not in answers:
            continue  # its rating was written after the first read
        state = follow.setdefault(answer_id, {"aspects": {}})
        if "unit" in data:
            state["unit"] = data["unit"]
        state["aspects"].update(data.get("aspects", {}))
        if "reasons" in data:
            state["reasons"] = data["reasons"]
        if data.get("has_comment") is True:
            state["has_comment"] = True

    counts, raw_counts = _level_counts(), _level_counts()
    level_sum = raw_sum = flagged_n = 0
    unit_keys = UNITS + (UNIT_NOT_SURE,)
    by_unit = {unit: [0, 0] for unit in unit_keys}
    aspects = {aspect: _level_counts() for aspect in ASPECTS}
    reasons = dict.fromkeys(REASONS, 0)
    by_day = {}
    by_hour = {str(hour): 0 for hour in range(24)}
    comments = 0
    for answer_id, (at, level, flagged) in answers.items():
        raw_counts[str(level)] += 1
        raw_sum += level
        if flagged:
            flagged_n += 1
            continue
        counts[str(level)] += 1
        level_sum += level
        local = at.astimezone(tz)
        day = by_day.setdefault(local.date().isoformat(), [0, 0])
        day[0] += 1
        day[1] += level
        by_hour[str(local.hour)] += 1
        state = follow.get(answer_id)
        if state is None:
            continue
        if "unit" in state:
            by_unit[state["unit"]][0] += 1
            by_unit[state["unit"]][1] += level
        for aspect, aspect_level in state["aspects"].items():
            if aspect in aspects and type(aspect_level) is int and aspect_level in LEVELS:
                aspects[aspect][str(aspect_level)] += 1
        for key in state.get("reasons", ()):
            if key in reasons:
                reasons[key] += 1
        if state.get("has_comment"):
            comments += 1

    total = sum(counts.values())
    raw_total = sum(raw_counts.values())
    mean = mean_score(level_sum, total)
    satisfied = sum(counts[str(level)] for level in SATISFIED_LEVELS)

    first_day = date_from or (date.fromisoformat(min(by_day)) if by_day else None)
    last_day = date_to or (date.fromisoformat(max(by_day)) if by_day else None)
    days = {}
    if first_day and last_day:
        day = first_day
        while day <= last_day:
            total_sum = by_day.get(day.isoformat(), (0, 0))
            days[day.isoformat()] = {"total": total_sum[0], "mean": mean_score(total_sum[1], total_sum[0])}
            day += timedelta(days=1)

    satisfaction = {
        "total": total,
        "counts": counts,
        "mean": mean,
        "percent_satisfied": round2(Decimal(satisfied * 100) / total) if total else None,
        "band": band_for(mean, band_interval),
        "raw": {"total": raw_total, "counts": raw_counts, "mean": mean_score(raw_sum, raw_total)},
        "flagged": flagged_n,
        "aspects": {
            aspect: {
                "total": sum(c.values()),
                "counts": c,
                "mean": mean_score(sum(int(k) * n for k, n in c.items()), sum(c.values())),
            }
            for aspect, c in aspects.items()
        },
        "by_unit": {unit: {"total": n, "mean": mean_score(s, n)} for unit, (n, s) in by_unit.items()},
        "reasons": reasons,
        "by_day": days,
        "by_hour": by_hour,
        "comments": comments,
    }

    # -- EIT referrals ----------------------------------------------------------------
    eit_counts = {unit: [0, 0] for unit in unit_keys}  # unit -> [counted, raw]
    for unit, flagged, readable, n in conn.execute(
        f"SELECT json_extract(payload, '$.unit'), flagged, {at_ok} AND {REFERRAL_SHAPE}, count(*)"
        f" FROM {table} WHERE kind = ?" + time_sql + " GROUP BY 1, 2, 3",
        [*at_args, KIND_REFERRAL, *time_args],
    ):
        if readable and isinstance(unit, str) and unit in eit_counts:
            eit_counts[unit][1] += n
            if not flagged:
                eit_counts[unit][0] += n
        else:
            unreadable += n
    eit = {
        "total": sum(c[0] for c in eit_counts.values()),
        "by_unit": {unit: eit_counts[unit][0] for unit in UNITS},
        "not_sure": eit_counts[UNIT_NOT_SURE][0],
        "quota": quota,
        "raw": {
            "total": sum(c[1] for c in eit_counts.values()),
            "by_unit": {unit: eit_counts[unit][1] for unit in UNITS},
            "not_sure": eit_counts[UNIT_NOT_SURE][1],
        },
        "flagged": sum(c[1] - c[0] for c in eit_counts.values()),
    }
    result = {
        "period": {
            "from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
            "tz": getattr(tz, "key", None) or tz.tzname(None),
        },
        "satisfaction": satisfaction,
        "eit": eit,
        "unreadable": unreadable,
    }
    for part in ("satisfaction", "eit"):
        if part not in parts:
            del result[part]
    return result


_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _moment(at, latest):
    """A stored time as the schema wants it (kiosk.core.events.check_at, without its
    messages: this runs once per rating) as an aware datetime, or None."""
    if type(at) is not str or not EARLIEST_AT <= at <= latest or not _AT.fullmatch(at):
        return None
    try:
        return datetime.fromisoformat(at)
    except ValueError:
        return None


_HEX32 = re.compile(r"[0-9a-f]{32}")


def _is_answer_id(value):
    return type(value) is str and _HEX32.fullmatch(value) is not None


def _amend_payload(text):
    """A stored amend payload as the schema wants it, or None."""
    try:
        return validate_payload(KIND_AMEND, json.loads(text))
    except (ValueError, RecursionError, ValidationError):
        return None


def eit_pace(referrals_by_unit, quota, period_start, period_end, today):
    """Progress of EIT referrals against the quota, per unit and in total.

    The period is [period_start, period_end], inclusive dates. Days before `today` have
    elapsed; today and the days after it are left. Per key (each unit and "total"):
    done, quota, percent (of quota, None if the quota is 0), remaining, days_left,
    needed_per_day (remaining / days_left, None once no day is left), expected (the
    straight-line share of the quota for the elapsed days) and behind (done < expected).
    Figures are rounded half-up to 2 places."""
    for name, value in (("period_start", period_start), ("period_end", period_end), ("today", today)):
        _check_date(name, value)
    if period_end < period_start:
        raise ValueError("period_end is before period_start")
    total_days = (period_end - period_start).days + 1
    elapsed = min(max((today - period_start).days, 0), total_days)
    days_left = total_days - elapsed

    def pace(done, target):
        remaining = max(target - done, 0)
        return {
            "done": done,
            "quota": target,
            "percent": round2(Decimal(done * 100) / target) if target else None,
            "remaining": remaining,
            "days_left": days_left,
            "needed_per_day": round2(Decimal(remaining) / days_left) if days_left else None,
            "expected": round2(Decimal(target * elapsed) / total_days),
            "behind": done * total_days < target * elapsed,
        }

    result = {}
    for unit in UNITS:
        result[unit] = pace(int(referrals_by_unit.get(unit, 0)), int(quota.get(unit, 0)))
    result["total"] = pace(sum(result[unit]["done"] for unit in UNITS), sum(result[unit]["quota"] for unit in UNITS))
    return result
