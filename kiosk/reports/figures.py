"""tallies() read from the rollups (kiosk.store.rollups): sums over days and months.

A period [from, to] is read as its whole Bangkok months from the month rows and the days
at its edges from the day rows; by_day from the day rows (or, over every kiosk, from the
all-kiosks day rows). The cost grows with the months, days and kiosks a period covers,
never with the events. kiosk.reports.tallies.event_tallies computes the same figures from
the events themselves: the reference the tests and `rollups rebuild --check` compare with.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from kiosk.core.clock import day_start_utc
from kiosk.core.events import KIND_AMEND, KIND_RATING, KIND_REFERRAL
from kiosk.core.vocab import ASPECTS, LEVELS, REASONS, SATISFIED_LEVELS, UNIT_NOT_SURE, UNITS
from kiosk.store.rollups import COLUMNS, SOURCES, STATION_COLUMNS, UNIT_KEYS, tables

_LEVELS = sorted(LEVELS)

BAND_KEYS = ("highest", "high", "moderate", "low", "lowest")
# A mean above the first threshold is "highest", above the second "high", and so on.
# 0.8: equal classes of 0.8; 0.5: the scale points rounded (x.51 and up to the next).
BAND_THRESHOLDS = {
    0.8: (Decimal("4.20"), Decimal("3.40"), Decimal("2.60"), Decimal("1.80")),
    0.5: (Decimal("4.50"), Decimal("3.50"), Decimal("2.50"), Decimal("1.50")),
}
BAND_INTERVALS = tuple(BAND_THRESHOLDS)
_TWO_PLACES = Decimal("0.01")


def round2(value):
    """Half-up rounding to 2 places (as Thai reports round), as a float."""
    return float(Decimal(value).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP))


def mean_score(level_sum, count):
    """The mean of `count` answers whose levels add up to `level_sum`, half-up to 2 places; None for none."""
    if not count:
        return None
    return float((Decimal(level_sum) / Decimal(count)).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP))


def band_for(mean, interval=0.8):
    """The Thai interpretation band of a mean score on the 5-level scale.

    interval 0.8: 4.21-5.00 highest, 3.41-4.20 high, 2.61-3.40 moderate, 1.81-2.60 low,
    1.00-1.80 lowest; interval 0.5: 4.51-5.00, 3.51-4.50, 2.51-3.50, 1.51-2.50, 1.00-1.50.
    The mean is first rounded half-up to 2 places. None for None (no answers)."""
    if mean is None:
        return None
    if interval not in BAND_INTERVALS:
        raise ValueError("interval must be 0.8 or 0.5")
    value = Decimal(str(mean)).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)
    if not Decimal(1) <= value <= Decimal(5):
        raise ValueError("mean must be between 1 and 5")
    for key, threshold in zip(BAND_KEYS, BAND_THRESHOLDS[interval], strict=False):  # the last key has no threshold
        if value > threshold:
            return key
    return BAND_KEYS[-1]


def _in(column, values):
    values = list(values)
    return f" AND {column} IN ({', '.join('?' * len(values)) or 'NULL'})", values


def filter_sql(stations, kiosks):
    """SQL and arguments keeping the given stations and kiosks (None: all)."""
    sql, args = "", []
    for column, values in (("station", stations), ("kiosk", kiosks)):
        if values is not None:
            more, more_args = _in(column, values)
            sql, args = sql + more, args + more_args
    return sql, args


def _month_start(day):
    return day.replace(day=1)


def _next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_parts(date_from, date_to):
    """(month_where, month_args, day_where, day_args): whole months and the edge days."""
    first_full = None if date_from is None else (date_from if date_from.day == 1 else _next_month(date_from))
    after_last = (
        None
        if date_to is None
        else _next_month(date_to)
        if _next_month(date_to) - timedelta(days=1) == date_to
        else _month_start(date_to)
    )
    # Months first_full <= m < after_last are whole; the rest are days.
    if first_full is not None and after_last is not None and first_full >= after_last:
        where, args = " AND 1=1", []
        if date_from is not None:
            where, args = where + " AND day >= ?", [*args, date_from.isoformat()]
        if date_to is not None:
            where, args = where + " AND day <= ?", [*args, date_to.isoformat()]
        return " AND 0=1", [], where, args
    month_where, month_args = "", []
    if first_full is not None:
        month_where, month_args = " AND month >= ?", [first_full.isoformat()[:7]]
    if after_last is not None:
        month_where, month_args = month_where + " AND month < ?", [*month_args, after_last.isoformat()[:7]]
    edges, day_args = [], []
    if date_from is not None and date_from < first_full:
        edges.append("(day >= ? AND day < ?)")
        day_args += [date_from.isoformat(), first_full.isoformat()]
    if date_to is not None and after_last <= date_to:
        edges.append("(day >= ? AND day <= ?)")
        day_args += [after_last.isoformat(), date_to.isoformat()]
    day_where = f" AND ({' OR '.join(edges)})" if edges else " AND 0=1"
    return month_where, month_args, day_where, day_args


def sums(conn, source, date_from, date_to, stations=None, kiosks=None, columns=COLUMNS):
    """{column: n} over the period and filters. Over every kiosk of a hub, the whole months
    come from the all-kiosks month rows and the edge days from the all-kiosks day rows."""
    names = tables(source)
    month_where, month_args, day_where, day_args = period_parts(date_from, date_to)
    where, args = filter_sql(stations, kiosks)
    total = dict.fromkeys(columns, 0)
    select = ", ".join(f"coalesce(sum({col}), 0)" for col in columns)
    every_kiosk = not where and "all_month" in names
    for table, time_where, time_args in (
        (names["all_month" if every_kiosk else "month"], month_where, month_args),
        (names["all_day" if every_kiosk else "day"], day_where, day_args),
    ):
        if "0=1" in time_where:
            continue
        row = conn.execute(f"SELECT {select} FROM {table} WHERE 1=1{time_where}{where}", [*time_args, *args]).fetchone()
        for col, n in zip(columns, row, strict=True):
            total[col] += n
    return total


def grouped(conn, source, date_from, date_to, columns, group_by, stations=None, kiosks=None, only=""):
    """{(group values): {column: n}} over the period and filters, summed by the `group_by`
    dimensions (DIMENSIONS names); `only` is an extra SQL condition on them."""
    names = tables(source)
    month_where, month_args, day_where, day_args = period_parts(date_from, date_to)
    where, args = filter_sql(stations, kiosks)
    keys = ", ".join(group_by)
    select = ", ".join(f"sum({col})" for col in columns)
    result = {}
    # Without kiosks, a hub's station-month rows answer for the months (their key leads
    # with the month: one contiguous range, not a lookup per kiosk-month row).
    by_station = (
        kiosks is None and "station_month" in names and "kiosk" not in group_by and set(columns) <= set(STATION_COLUMNS)
    )
    for table, time_where, time_args in (
        (names["station_month" if by_station else "month"], month_where, month_args),
        (names["day"], day_where, day_args),
    ):
        if "0=1" in time_where:
            continue
        for row in conn.execute(
            f"SELECT {keys}, {select} FROM {table} WHERE 1=1{time_where}{where}{only} GROUP BY {keys}",
            [*time_args, *args],
        ):
            totals = result.setdefault(tuple(row[: len(group_by)]), dict.fromkeys(columns, 0))
            for col, n in zip(columns, row[len(group_by) :], strict=True):
                totals[col] += n or 0
    return result


def by_station(conn, source, date_from, date_to, columns, stations=None, kiosks=None):
    """{station: {column: n}} over the period and filters (the hub's stations table)."""
    return {
        key[0]: row
        for key, row in grouped(conn, source, date_from, date_to, columns, ("station",), stations, kiosks).items()
    }


def days(conn, source, date_from, date_to, stations=None, kiosks=None):
    """{day: (answers counted, their levels' sum)} for the days with counted answers."""
    names = tables(source)
    where, args = filter_sql(stations, kiosks)
    table = names["all_day"] if not where else names["day"]
    if date_from is not None:
        where, args = where + " AND day >= ?", [*args, date_from.isoformat()]
    if date_to is not None:
        where, args = where + " AND day <= ?", [*args, date_to.isoformat()]
    count = " + ".join(f"r{level}" for level in _LEVELS)
    level_sum = " + ".join(f"{level} * r{level}" for level in _LEVELS)
    return {
        day: (n, s)
        for day, n, s in conn.execute(
            f"SELECT day, sum({count}), sum({level_sum}) FROM {table} WHERE 1=1{where} GROUP BY day", args
        )
        if n
    }


def unreadable(conn, source, date_from, date_to, tz, kinds, stations=None, kiosks=None):
    """The rows that do not fit the event schema, counted where tallies() counts them."""
    where, args = filter_sql(stations, kiosks)
    if date_from is not None:
        where, args = where + " AND at >= ?", [*args, day_start_utc(date_from, tz)]
    if date_to is not None:
        where, args = where + " AND at < ?", [*args, day_start_utc(date_to + timedelta(days=1), tz)]
    more, kind_args = _in("kind", kinds)
    (n,) = conn.execute(
        f"SELECT coalesce(sum(n), 0) FROM {tables(source)['unreadable']} WHERE 1=1{where}{more}", [*args, *kind_args]
    ).fetchone()
    return n


def rollup_tallies(conn, source, date_from, date_to, quota, tz, band_interval, stations, kiosks, parts):
    """tallies() from the rollups; the same shape and figures (see kiosk.reports.tallies)."""
    if source not in SOURCES:
        raise ValueError(f"unknown table {source!r}")
    with_satisfaction = "satisfaction" in parts
    cols = COLUMNS if with_satisfaction else [c for c in COLUMNS if c.startswith("e")]
    total_sums = sums(conn, source, date_from, date_to, stations, kiosks, cols)
    kinds = [KIND_REFERRAL] + ([KIND_RATING, KIND_AMEND] if with_satisfaction else [])
    result = {
        "period": {
            "from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
            "tz": getattr(tz, "key", None) or tz.tzname(None),
        },
    }
    if with_satisfaction:
        c = total_sums

        def levels(prefix):
            return {str(level): c[f"{prefix}{level}"] for level in _LEVELS}

        counts, flagged = levels("r"), levels("f")
        raw_counts = {key: counts[key] + flagged[key] for key in counts}
        total = sum(counts.values())
        raw_total = sum(raw_counts.values())
        level_sum = sum(int(k) * n for k, n in counts.items())
        raw_sum = sum(int(k) * n for k, n in raw_counts.items())
        mean = mean_score(level_sum, total)
        satisfied = sum(counts[str(level)] for level in SATISFIED_LEVELS)
        per_day = days(conn, source, date_from, date_to, stations, kiosks)
        first_day = date_from or (date.fromisoformat(min(per_day)) if per_day else None)
        last_day = date_to or (date.fromisoformat(max(per_day)) if per_day else None)
        by_day = {}
        if first_day and last_day:
            day = first_day
            while day <= last_day:
                n, s = per_day.get(day.isoformat(), (0, 0))
                by_day[day.isoformat()] = {"total": n, "mean": mean_score(s, n)}
                day += timedelta(days=1)
        aspects = {}
        for aspect in ASPECTS:
            aspect_counts = levels(f"a_{aspect}_")
            n = sum(aspect_counts.values())
            aspects[aspect] = {
                "total": n,
                "counts": aspect_counts,
                "mean": mean_score(sum(int(k) * m for k, m in aspect_counts.items()), n),
            }
        by_unit = {}
        for unit in UNIT_KEYS:
            unit_counts = levels(f"u_{unit}_")
            n = sum(unit_counts.values())
            by_unit[unit] = {"total": n, "mean": mean_score(sum(int(k) * m for k, m in unit_counts.items()), n)}
        result["satisfaction"] = {
            "total": total,
            "counts": counts,
            "mean": mean,
            "percent_satisfied": round2(Decimal(satisfied * 100) / total) if total else None,
            "band": band_for(mean, band_interval),
            "raw": {"total": raw_total, "counts": raw_counts, "mean": mean_score(raw_sum, raw_total)},
            "flagged": sum(flagged.values()),
            "aspects": aspects,
            "by_unit": by_unit,
            "reasons": {key: c[f"s_{key}"] for key in REASONS},
            "by_day": by_day,
            "by_hour": {str(hour): c[f"h{hour}"] for hour in range(24)},
            "comments": c["comments"],
        }
    counted = {unit: total_sums[f"e_{unit}"] for unit in UNIT_KEYS}
    raw = {unit: counted[unit] + total_sums[f"ef_{unit}"] for unit in UNIT_KEYS}
    result["eit"] = {
        "total": sum(counted.values()),
        "by_unit": {unit: counted[unit] for unit in UNITS},
        "not_sure": counted[UNIT_NOT_SURE],
        "quota": quota,
        "raw": {
            "total": sum(raw.values()),
            "by_unit": {unit: raw[unit] for unit in UNITS},
            "not_sure": raw[UNIT_NOT_SURE],
        },
        "flagged": sum(raw.values()) - sum(counted.values()),
    }
    result["unreadable"] = unreadable(conn, source, date_from, date_to, tz, kinds, stations, kiosks)
    return result


def unreadable_by_station(conn, source, period, eit_window, stations=None, kiosks=None):
    """{station: n}: unreadable ratings in the period and referrals in the EIT window."""
    where, args = filter_sql(stations, kiosks)
    result = {}
    for kind, (first, last) in ((KIND_RATING, (period.start, period.end)), (KIND_REFERRAL, eit_window)):
        for station, n in conn.execute(
            f"SELECT station, sum(n) FROM {tables(source)['unreadable']} WHERE kind = ? AND at >= ? AND at < ?"
            f"{where} GROUP BY station",
            [kind, day_start_utc(first), day_start_utc(last + timedelta(days=1)), *args],
        ):
            result[station] = result.get(station, 0) + n
    return result
