"""Stations side by side, and each kiosk's sync state, for the hub's pages and API.

The per-station figures come from two grouped queries over the rollups (not one tallies()
call per station: a province or the country has hundreds of stations). They count as
tallies() does: official figures leave flagged events out; quota progress counts EIT
referrals to the four units (not "not sure") in the EIT collection window; a row that does
not fit the event schema is left out and counted in the station's "unreadable".
Times are given to the hour (PDPA: exports and the hub show no finer time).
"""

from decimal import Decimal

from kiosk.core.clock import to_local
from kiosk.core.vocab import LEVELS, SATISFIED_LEVELS, UNITS
from kiosk.hub import store
from kiosk.reports import figures
from kiosk.reports.tallies import mean_score, round2


def hour_of(at_utc):
    """'YYYY-MM-DDTHH:MM:SSZ' -> local time to the hour, ISO ('2025-03-10T14:00+07:00')."""
    if not at_utc:
        return None
    moment = to_local(at_utc)
    return moment.replace(minute=0, second=0).isoformat(timespec="minutes")


def kiosk_summary(row):
    """What the API tells of one kiosk (no token hash; times to the hour)."""
    return {
        "name": row["name"],
        "station": row["station"],
        "revoked": bool(row["revoked_at"]),
        "acked": row["acked"],
        "head": row["head"],
        "waiting": row["waiting"],
        "missing": row["missing"],
        "verified": row["verified"],
        "chain_ok": row["chain_ok"],
        "broken_at": row["broken_at"],
        "fork_at": row["fork_at"],
        "last_sync": hour_of(row["last_sync_at"]),
        "last_error": row["last_error"],
    }


def stations_table(db, period, eit_window, kiosk_rows, default_quota, stations=None, kiosks=None, provinces=None):
    """One row per station of `kiosk_rows`: its province (key, from `provinces`, else None),
    satisfaction in the period, EIT quota progress in the window, last sync, events waiting
    and missing, chain verified or not."""
    conn = getattr(db, "conn", db)
    provinces = provinces or {}
    rating_cols = [f"r{level}" for level in sorted(LEVELS)]
    levels = {
        station: {level: row[f"r{level}"] for level in LEVELS if row[f"r{level}"]}
        for station, row in figures.by_station(
            conn, "hub_events", period.start, period.end, rating_cols, stations, kiosks
        ).items()
    }
    referrals = {
        station: sum(row.values())
        for station, row in figures.by_station(
            conn, "hub_events", eit_window[0], eit_window[1], [f"e_{unit}" for unit in UNITS], stations, kiosks
        ).items()
    }
    unreadable = figures.unreadable_by_station(conn, "hub_events", period, eit_window, stations, kiosks)
    by_station = {}
    for row in kiosk_rows:
        by_station.setdefault(row["station"], []).append(row)
    table = []
    for station, rows in sorted(by_station.items()):
        counts = levels.get(station, {})
        total = sum(counts.values())
        satisfied = sum(counts.get(level, 0) for level in SATISFIED_LEVELS)
        quota = sum(store.station_quota(rows, default_quota).values())
        done = referrals.get(station, 0)
        syncs = [r["last_sync_at"] for r in rows if r["last_sync_at"]]
        problems = [r for r in rows if not r["chain_ok"]]
        table.append(
            {
                "station": station,
                "province": provinces.get(station),
                "kiosks": len(rows),
                "answers": total,
                "level_sum": sum(level * n for level, n in counts.items()),
                "satisfied": satisfied,
                "mean": mean_score(sum(level * n for level, n in counts.items()), total),
                "percent_satisfied": round2(Decimal(satisfied * 100) / total) if total else None,
                "referrals": done,
                "quota": quota,
                "quota_percent": round2(Decimal(done * 100) / quota) if quota else None,
                "last_sync_at": max(syncs) if syncs else None,
                "waiting": sum(r["waiting"] for r in rows),
                "missing": sum(r["missing"] for r in rows),
                "chain_ok": not problems,
                "chain_problem": problems[0] if problems else None,
                "never_synced": not syncs,
                "unreadable": unreadable.get(station, 0),
            }
        )
    return table


def provinces_table(station_rows):
    """One row per province of the stations table (stations that say none: province None),
    its figures summed over its stations as the stations table counts them. Unsorted: the
    page orders them by the names its reader sees."""
    by_province = {}
    for row in station_rows:
        by_province.setdefault(row["province"], []).append(row)
    table = []
    for province, rows in by_province.items():
        total = sum(r["answers"] for r in rows)
        done, quota = sum(r["referrals"] for r in rows), sum(r["quota"] for r in rows)
        table.append(
            {
                "province": province,
                "stations": len(rows),
                "kiosks": sum(r["kiosks"] for r in rows),
                "answers": total,
                "mean": mean_score(sum(r["level_sum"] for r in rows), total),
                "percent_satisfied": round2(Decimal(sum(r["satisfied"] for r in rows) * 100) / total)
                if total
                else None,
                "referrals": done,
                "quota": quota,
                "quota_percent": round2(Decimal(done * 100) / quota) if quota else None,
                "behind": sum(1 for r in rows if not r["chain_ok"] or r["missing"]),
            }
        )
    return table
