"""Figures by counter and by display: the ratings and EIT referrals made on paired displays.

Read from the rollups, which keep the counter and display of version 2 payloads (see
kiosk.core.events) as dimensions; event_counter_figures computes the same from the events
(the reference), with the same rules as kiosk.reports.tallies: official figures leave
flagged events out, raw figures count them, a row that does not fit the schema is left
out. An answer's unit comes from its amendment (a display writes it with the rating), so
"by unit" and the EIT pace in tallies() already count every display; this module only
splits the same events by where they were made.

On the hub (`table="hub_events"`) a counter is named by station and slug, "STATION/slug",
since two stations may both have a "traffic" counter.
"""

import json

from kiosk.core.clock import BANGKOK
from kiosk.core.events import KIND_RATING, KIND_REFERRAL, ValidationError, validate_payload
from kiosk.core.i18n import Label
from kiosk.core.vocab import LEVELS, UNIT_LABELS
from kiosk.reports import figures
from kiosk.reports.exports.common import Table, mean_value
from kiosk.reports.tallies import _source_filter, _time_filter, mean_score, readable_at_args, readable_at_sql
from kiosk.store import counters as counter_store
from kiosk.store.rollups import UNIT_KEYS

_LEVEL_KEYS = tuple(str(level) for level in sorted(LEVELS))


def _empty():
    return {
        "satisfaction": {"total": 0, "counts": dict.fromkeys(_LEVEL_KEYS, 0), "mean": None, "raw": 0},
        "eit": {"total": 0, "by_unit": {}, "raw": 0},
    }


def _add(group, kind, payload, flagged):
    if kind == KIND_RATING:
        part = group["satisfaction"]
        part["raw"] += 1
        if not flagged:
            part["total"] += 1
            part["counts"][str(payload["level"])] += 1
    else:
        part = group["eit"]
        part["raw"] += 1
        if not flagged:
            part["total"] += 1
            part["by_unit"][payload["unit"]] = part["by_unit"].get(payload["unit"], 0) + 1


def _finish(group):
    part = group["satisfaction"]
    part["mean"] = mean_score(sum(int(k) * n for k, n in part["counts"].items()), part["total"])
    return group


def counter_figures(
    db,
    date_from=None,
    date_to=None,
    tz=BANGKOK,
    *,
    table="events",
    stations=None,
    kiosks=None,
    counters=(),
    displays=(),
):
    """{"by_counter": {slug: {"name", "unit", "satisfaction", "eit"}},
        "by_display": {id: {"counter", "satisfaction", "eit"}}}, read from the rollups
    (kiosk.store.rollups keeps counter and display as dimensions).

    satisfaction is {"total", "counts" "1".."5", "mean", "raw"}, eit {"total", "by_unit",
    "raw"}. `counters` and `displays` (kiosk.store.counters rows) name the counters and
    list the paired displays even before their first event; counters seen only in the
    events (removed since, or on the hub) are named by their slug."""
    if tz is not BANGKOK:
        return event_counter_figures(
            db,
            date_from,
            date_to,
            tz,
            table=table,
            stations=stations,
            kiosks=kiosks,
            counters=counters,
            displays=displays,
        )
    conn = getattr(db, "conn", db)
    by_counter = {c["slug"]: {"name": c["name"], "unit": c["unit"], **_empty()} for c in counters}
    by_display = {d["id"]: {"counter": d["counter"], **_empty()} for d in displays}
    columns = _ROLLUP_COLUMNS
    rows = figures.grouped(
        conn,
        table,
        date_from,
        date_to,
        columns,
        ("station", "counter", "display"),
        stations,
        kiosks,
        " AND counter != ''",
    )
    for (station, counter_slug, display_id), sums in sorted(rows.items()):
        slug = counter_slug if table == "events" else f"{station}/{counter_slug}"
        counter = by_counter.setdefault(slug, {"name": slug, "unit": None, **_empty()})
        _add_sums(counter, sums)
        display = by_display.setdefault(display_id, {"counter": slug, **_empty()})
        _add_sums(display, sums)
    return {
        "by_counter": {slug: _finish(group) for slug, group in by_counter.items()},
        "by_display": {key: _finish(group) for key, group in by_display.items()},
    }


_ROLLUP_COLUMNS = (
    [f"r{level}" for level in _LEVEL_KEYS]
    + [f"f{level}" for level in _LEVEL_KEYS]
    + [f"e_{unit}" for unit in UNIT_KEYS]
    + [f"ef_{unit}" for unit in UNIT_KEYS]
)


def _add_sums(group, sums):
    """Add one rollup group's sums: counted ratings by level, flagged ones, referrals."""
    part = group["satisfaction"]
    for level in _LEVEL_KEYS:
        part["counts"][level] += sums[f"r{level}"]
        part["total"] += sums[f"r{level}"]
        part["raw"] += sums[f"r{level}"] + sums[f"f{level}"]
    part = group["eit"]
    for unit in UNIT_KEYS:
        if sums[f"e_{unit}"]:
            part["by_unit"][unit] = part["by_unit"].get(unit, 0) + sums[f"e_{unit}"]
        part["total"] += sums[f"e_{unit}"]
        part["raw"] += sums[f"e_{unit}"] + sums[f"ef_{unit}"]


def event_counter_figures(
    db,
    date_from=None,
    date_to=None,
    tz=BANGKOK,
    *,
    table="events",
    stations=None,
    kiosks=None,
    counters=(),
    displays=(),
):
    """counter_figures() computed from the events themselves: the reference the tests
    compare the rollups with, and the figures for a time zone other than Bangkok's.

    {"by_counter": {slug: {"name", "unit", "satisfaction", "eit"}},
        "by_display": {id: {"counter", "satisfaction", "eit"}}}

    satisfaction is {"total", "counts" "1".."5", "mean", "raw"}, eit {"total", "by_unit",
    "raw"}. `counters` and `displays` (kiosk.store.counters rows) name the counters and
    list the paired displays even before their first event; counters seen only in the
    events (removed since, or on the hub) are named by their slug."""
    conn = getattr(db, "conn", db)
    time_sql, time_args = _time_filter(date_from, date_to, tz)
    source_sql, source_args = _source_filter(table, stations, kiosks)
    station_column = "station" if table == "hub_events" else "NULL"
    by_counter = {c["slug"]: {"name": c["name"], "unit": c["unit"], **_empty()} for c in counters}
    by_display = {d["id"]: {"counter": d["counter"], **_empty()} for d in displays}
    rows = conn.execute(
        f"SELECT kind, payload, flagged, {station_column} FROM {table}"
        f" WHERE kind IN (?, ?) AND json_extract(payload, '$.v') = 2 AND {readable_at_sql()}" + time_sql + source_sql,
        [KIND_RATING, KIND_REFERRAL, *readable_at_args(), *time_args, *source_args],
    )
    for kind, text, flagged, station in rows:
        try:
            payload = validate_payload(kind, json.loads(text))
        except (ValueError, RecursionError, ValidationError):
            continue  # counted as unreadable by tallies()
        slug = payload["counter"] if station is None else f"{station}/{payload['counter']}"
        counter = by_counter.setdefault(slug, {"name": slug, "unit": None, **_empty()})
        _add(counter, kind, payload, bool(flagged))
        display = by_display.setdefault(payload["display"], {"counter": slug, **_empty()})
        _add(display, kind, payload, bool(flagged))
    return {
        "by_counter": {slug: _finish(group) for slug, group in by_counter.items()},
        "by_display": {key: _finish(group) for key, group in by_display.items()},
    }


def station_counter_figures(db, date_from=None, date_to=None, tz=BANGKOK):
    """counter_figures() of this kiosk, its counters (removed ones too) and live displays named."""
    return counter_figures(
        db,
        date_from,
        date_to,
        tz,
        counters=counter_store.counters(db, include_removed=True),
        displays=counter_store.displays(db),
    )


COUNTER_LABELS = {
    "by_counter": Label("By counter"),
    "by_display": Label("By display"),
    "counter": Label("Counter"),
    "display": Label("Display"),
    "unit": Label("Unit"),
    "answers": Label("Answers"),
    "mean": Label("Mean score"),
    "eit": Label("EIT referrals"),
    "note": Label("Ratings and EIT referrals made on the displays paired with each counter; flagged ones left out."),
}


def counter_tables(figures, lang="th"):
    """The export tables (kiosk.reports.exports.Table) of counter_figures(): by counter, by display."""

    def t(key):
        return COUNTER_LABELS[key].in_language(lang)

    counter_rows = tuple(
        (
            group["name"],
            UNIT_LABELS[group["unit"]].in_language(lang) if group["unit"] in UNIT_LABELS else "",
            group["satisfaction"]["total"],
            mean_value(group["satisfaction"]["mean"]),
            group["eit"]["total"],
        )
        for group in figures["by_counter"].values()
    )
    names = {slug: group["name"] for slug, group in figures["by_counter"].items()}
    display_rows = tuple(
        (
            display_id[:8],
            names.get(group["counter"], group["counter"]),
            group["satisfaction"]["total"],
            mean_value(group["satisfaction"]["mean"]),
            group["eit"]["total"],
        )
        for display_id, group in figures["by_display"].items()
    )
    return [
        Table(
            "counters",
            t("by_counter"),
            (t("counter"), t("unit"), t("answers"), t("mean"), t("eit")),
            counter_rows,
            note=t("note"),
        ),
        Table(
            "displays", t("by_display"), (t("display"), t("counter"), t("answers"), t("mean"), t("eit")), display_rows
        ),
    ]
