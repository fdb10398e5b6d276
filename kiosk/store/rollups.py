"""Rollups: the figures' sums, kept in the same write transaction as the events.

Every figure (kiosk.reports.tallies) is a sum over answers and referrals. Rather than
reading every event on every request, each event adds its share to a few summary rows,
in the transaction that stores it; a figure then costs in proportion to the days and
kiosks it covers, not the events.

Grains (one table each, the same COLUMNS in all but the narrow station-month; `P` is "rollup" on a kiosk, whose
source is `events`, and "hub_rollup" on the hub, whose source is `hub_events`):
- P_day:     DIMENSIONS and the Bangkok day ('YYYY-MM-DD'): the truth, any filter.
- P_month:   DIMENSIONS and the Bangkok month ('YYYY-MM'): whole months of a period.
- P_all_day: counter, display and the day, every kiosk together: by_day without a filter.
- P_all_month (hub only): the month, counter and display, every kiosk together: a figure
  over every kiosk reads a dozen rows a year, however many kiosks there are.
- P_station_month (hub only): the month, station, counter and display, with only the
  ratings' and referrals' columns (STATION_COLUMNS): the stations table groups a year's
  18,000 narrow station-month rows, not the 24,000 wide kiosk-month rows behind them.
- P_unreadable: rows that do not fit the event schema (older hubs stored some), by
  station, kiosk, kind and their stored time text, counted as tallies() counts them.

An answer's share (kiosk.store.rollup_shares) comes from its rating and its amendments.
When an event of an answer arrives, its share is computed from the answer's stored
events before and after, and the difference applied: an amendment that changes the unit
moves the answer's counts, an amendment that arrives before its rating (a gap on the
hub) counts once the rating comes, and an event of a kiosk weeks offline lands in the day
of its own time. A batch's shares are summed in memory first, and each grain gets one
executemany upsert. `rebuild` and `check` compute every share again from the events.

The dimensions are declared (DIMENSIONS): "counter" and "display" are read from the
rating's or referral's payload when it has them ('' when not); amendments inherit them.
"""

from collections import Counter

from kiosk.core.events import latest_at
from kiosk.core.vocab import ASPECTS, LEVELS, REASONS, UNIT_NOT_SURE, UNITS
from kiosk.store.rollup_shares import Decoder, share

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
# The station-month grain keeps only these: what the stations table and counters read.
STATION_COLUMNS = [col for col in COLUMNS if col[:1] in ("r", "f") or col.startswith(("e_", "ef_"))]
# What a row is kept by besides its day or month; '' when an event does not say.
DIMENSIONS = ("station", "kiosk", "counter", "display")
SOURCES = {"events": ("rollup", False), "hub_events": ("hub_rollup", True)}  # table -> (prefix, has station)
# The grains every source keeps, and those only the hub keeps (a kiosk's month table is
# already a dozen rows a year).
BASE_GRAINS = ("day", "month", "all_day")
HUB_GRAINS = ("all_month", "station_month")


def grains(source):
    """The summed grains `source` keeps (see the module's docstring)."""
    return BASE_GRAINS + (HUB_GRAINS if SOURCES[source][1] else ())


def tables(source):
    """The rollup tables of a source table: {grain, ..., 'unreadable'} -> name."""
    prefix, _ = SOURCES[source]
    return {grain: f"{prefix}_{grain}" for grain in (*grains(source), "unreadable")}


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
    if SOURCES[source][1]:
        create_hub_grains(conn, source)


def create_hub_grains(conn, source="hub_events"):
    """The hub's coarser grains (all_month, station_month): made if missing. Their keys
    lead with the month, so a period is one contiguous range of the table."""
    names = tables(source)
    for grain in HUB_GRAINS:
        keys = GRAIN_KEYS[grain]
        cols = ", ".join(f"{col} INTEGER NOT NULL DEFAULT 0" for col in grain_columns(grain))
        dims = ", ".join(f"{key} TEXT NOT NULL" for key in keys)
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {names[grain]} ({dims}, {cols}, PRIMARY KEY ({', '.join(keys)})) WITHOUT ROWID"
        )


def fill_hub_grains(conn, source="hub_events"):
    """Migration step's work: the hub's coarser grains made again as sums of the month grain."""
    create_hub_grains(conn, source)
    names = tables(source)
    for grain in HUB_GRAINS:
        keys, cols = ", ".join(GRAIN_KEYS[grain]), grain_columns(grain)
        conn.execute(f"DELETE FROM {names[grain]}")
        conn.execute(
            f"INSERT INTO {names[grain]} ({keys}, {', '.join(cols)})"
            f" SELECT {keys}, {', '.join(f'sum({col})' for col in cols)} FROM {names['month']} GROUP BY {keys}"
        )


# -- reading the events ------------------------------------------------------------------


def _select(source):
    station = "station" if SOURCES[source][1] else "''"
    return f"SELECT seq, {station}, kiosk, at, kind, payload, flagged FROM {source}"


def answer_rows(conn, source, answer_ids, kiosk=None, decoder=None):
    """The stored rows of these answers (on the hub: of one kiosk), grouped by answer id."""
    decoder = decoder or Decoder()
    grouped = {answer_id: [] for answer_id in answer_ids}
    ids = list(grouped)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        # The unary + keeps SQLite off the kiosk's index by kind and time (on a kiosk): it
        # would read every rating and amendment ever made. The hub's index leads with the
        # kiosk, then the answer id (kiosk.hub.store).
        sql = (
            _select(source) + " WHERE json_extract(payload, '$.answer_id') IN"
            f" ({', '.join('?' * len(chunk))}) AND +kind IN ('rating', 'amend')"
        )
        args = list(chunk)
        if kiosk is not None:
            sql += " AND kiosk = ?"
            args.append(kiosk)
        for row in conn.execute(sql, args):
            answer_id = decoder.answer_of(row[4], row[5])
            if answer_id in grouped:
                grouped[answer_id].append(row)
    return grouped


def shares_of(conn, source, answer_ids, kiosk=None):
    """The summed share of these answers as the stored events give it now."""
    total, latest, decoder = Counter(), latest_at(), Decoder()
    for rows in answer_rows(conn, source, answer_ids, kiosk, decoder).values():
        share(rows, latest, decoder, total)
    return total


def before_insert(conn, source, rows, kiosk=None, decoder=None):
    """Call in the write transaction before inserting `rows` (tuples as share takes them):
    their answers' stored rows. Pass the result (and the same decoder) to after_insert."""
    decoder = decoder or Decoder()
    answer_ids = {decoder.answer_of(row[4], row[5]) for row in rows} - {None}
    return answer_rows(conn, source, answer_ids, kiosk, decoder) if answer_ids else {}


def after_insert(conn, source, rows, before, kiosk=None, decoder=None):
    """Call in the same transaction after inserting `rows`: adds their share to the rollups
    (each touched answer's share with the new rows, less its share without them)."""
    latest = latest_at()
    decoder = decoder or Decoder()
    delta = Counter()
    grouped = {answer_id: list(stored) for answer_id, stored in before.items()}
    for row in rows:
        answer_id = decoder.answer_of(row[4], row[5])
        if answer_id is None:
            share([row], latest, decoder, delta)
        else:
            grouped[answer_id].append(row)
    for answer_id, stored in before.items():
        if stored:
            share(stored, latest, decoder, delta, -1)
        share(grouped[answer_id], latest, decoder, delta)
    apply(conn, source, delta)


# -- writing the rollups -----------------------------------------------------------------

GRAIN_KEYS = {
    "day": (*DIMENSIONS, "day"),
    "month": (*DIMENSIONS, "month"),
    "all_day": ("counter", "display", "day"),
    "all_month": ("month", "counter", "display"),
    "station_month": ("month", "station", "counter", "display"),
}
_STATION_SET = frozenset(STATION_COLUMNS)


def grain_columns(grain):
    """The summed columns a grain's table keeps."""
    return STATION_COLUMNS if grain == "station_month" else COLUMNS


def _grain_dims(grain, station, kiosk, counter, display, day):
    if grain == "day":
        return station, kiosk, counter, display, day
    if grain == "month":
        return station, kiosk, counter, display, day[:7]
    if grain == "all_day":
        return counter, display, day
    if grain == "all_month":
        return day[:7], counter, display
    return day[:7], station, counter, display


def _by_grain(delta, kept=BASE_GRAINS):
    # The day rows first (a batch touches a few hundred), then each coarser grain from them.
    days, unreadable = {}, {}
    for key, n in delta.items():
        if not n:
            continue
        if key[0] == "u":
            unreadable[key[1:]] = unreadable.get(key[1:], 0) + n
            continue
        row = days.setdefault(key[1:6], {})
        row[key[6]] = row.get(key[6], 0) + n
    by_grain = {grain: {} for grain in kept}
    for (station, kiosk, counter, display, day), sums in days.items():
        for grain in kept:
            target = by_grain[grain].setdefault(_grain_dims(grain, station, kiosk, counter, display, day), {})
            for column, n in sums.items():
                if grain == "station_month" and column not in _STATION_SET:
                    continue
                target[column] = target.get(column, 0) + n
    return by_grain, unreadable


def _upsert_sql(table, keys, columns):
    names = ", ".join((*keys, *columns))
    marks = ", ".join("?" * (len(keys) + len(columns)))
    updates = ", ".join(f"{col} = {col} + excluded.{col}" for col in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"


def apply(conn, source, delta):
    """Add a Counter of share keys (see share) to the rollup tables."""
    names = tables(source)
    by_grain, unreadable = _by_grain(delta, grains(source))
    for grain, rows in by_grain.items():
        if rows:
            columns = grain_columns(grain)
            conn.executemany(
                _upsert_sql(names[grain], GRAIN_KEYS[grain], columns),
                [(*dims, *(values.get(col, 0) for col in columns)) for dims, values in rows.items()],
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
    total, latest, decoder = Counter(), latest_at(), Decoder()
    per_kiosk = SOURCES[source][1]
    groups, current = {}, None
    order = " ORDER BY kiosk, seq" if per_kiosk else " ORDER BY seq"
    for row in conn.execute(_select(source) + order):
        if per_kiosk and row[2] != current:
            for rows in groups.values():
                share(rows, latest, decoder, total)
            groups, current, decoder = {}, row[2], Decoder()
        answer_id = decoder.answer_of(row[4], row[5])
        groups.setdefault(answer_id if answer_id is not None else ("row", row[0], row[2]), []).append(row)
    for rows in groups.values():
        share(rows, latest, decoder, total)
    return total


def stored(conn, source):
    """What the rollup tables hold, as {grain: {dims: {column: n}}} without zeros."""
    names = tables(source)
    result = {}
    for grain in grains(source):
        keys, rows, columns = GRAIN_KEYS[grain], {}, grain_columns(grain)
        for values in conn.execute(f"SELECT {', '.join((*keys, *columns))} FROM {names[grain]}"):
            sums = {col: n for col, n in zip(columns, values[len(keys) :], strict=True) if n}
            if sums:
                rows[tuple(values[: len(keys)])] = sums
        result[grain] = rows
    result["unreadable"] = {
        tuple(row[:4]): row[4]
        for row in conn.execute(f"SELECT station, kiosk, kind, at, n FROM {names['unreadable']} WHERE n != 0")
    }
    return result


def _expected(conn, source):
    by_grain, unreadable = _by_grain(from_events(conn, source), grains(source))
    result = {
        grain: {dims: {c: n for c, n in row.items() if n} for dims, row in rows.items()}
        for grain, rows in by_grain.items()
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
