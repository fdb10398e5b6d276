"""The hub's tables: the registry of kiosks, every kiosk's events, and the problems seen.

`hub_kiosks`: one row per registered kiosk (NAME, its station, the SHA-256 of its token,
revoked or not) and what the hub knows of its log: `acked` (the highest seq such that
1..acked are all stored), `head` (the kiosk's last seq, as it last reported it),
`verified` (1..verified are stored and their links checked), `broken_at` (the first seq
whose prev_hash is not the hash of the event before it), `fork_at` (a seq the kiosk sent
again with different content: refused), `missing` (seqs after `acked` not yet received
while later ones were), last contact and the kiosk's station quota.

`hub_events`: a copy of each kiosk's rows, keyed by (kiosk NAME, seq): stored once,
append-only (triggers refuse UPDATE and DELETE). `event_kiosk` keeps the kiosk id inside
the event (part of its hash); `kiosk` is the registry NAME; `station` the registry's
station at the time of receipt. kiosk.reports.tallies reads this table with table="hub_events".

`hub_problems`: what an admin must see and nobody may paper over: chain breaks, forks,
refused batches. Rows are only added.

The hub's schema steps (the set "hub" of sqlite-utils' Migrations) come after the
kiosk's own (kiosk.store.migrations, which give the hub its meta, credentials, audit and
sign-in tables). Older hubs counted their steps in meta 'hub.schema_version': `migrate`
records that many as applied first, and keeps that row up to date for older code.
"""

import hashlib
import json
import secrets

from kiosk.core import provinces
from kiosk.core.clock import utc_now_iso
from kiosk.core.events import GENESIS_HASH, event_hash
from kiosk.core.vocab import DEFAULT_EIT_QUOTA, UNITS
from kiosk.hub.province_schema import create_province_tables
from kiosk.hub.stations import create_station_provinces, set_province
from kiosk.store import migrations, rollups
from kiosk.store.db import write_transaction

NAME_MAX = 64
HUB_SET = "hub"


def create_hub_tables(conn):
    """The registry, the hub's copy of every kiosk's events, the problems seen."""
    conn.execute(
        """CREATE TABLE IF NOT EXISTS hub_kiosks (
            name TEXT PRIMARY KEY,
            station TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            acked INTEGER NOT NULL DEFAULT 0,
            head INTEGER NOT NULL DEFAULT 0,
            verified INTEGER NOT NULL DEFAULT 0,
            broken_at INTEGER,
            fork_at INTEGER,
            missing INTEGER NOT NULL DEFAULT 0,
            last_sync_at TEXT,
            last_error TEXT,
            reported_id TEXT,
            reported_station TEXT,
            quota TEXT,
            version TEXT
        )"""
    )
    conn.execute("CREATE INDEX IF NOT EXISTS hub_kiosks_station ON hub_kiosks (station)")
    conn.execute(
        """CREATE TABLE IF NOT EXISTS hub_events (
            kiosk TEXT NOT NULL,
            seq INTEGER NOT NULL,
            station TEXT NOT NULL,
            id TEXT NOT NULL,
            event_kiosk TEXT NOT NULL,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            flagged INTEGER NOT NULL CHECK (flagged IN (0, 1)),
            flag_reason TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (kiosk, seq)
        )"""
    )
    # The same indexes as a kiosk's log (tallies by kind and time, follow-ups by answer),
    # and the hub's filters by station and by kiosk.
    conn.execute("CREATE INDEX IF NOT EXISTS hub_events_kind_at ON hub_events (kind, at)")
    conn.execute("CREATE INDEX IF NOT EXISTS hub_events_station ON hub_events (station, kind, at)")
    conn.execute("CREATE INDEX IF NOT EXISTS hub_events_kiosk ON hub_events (kiosk, kind, at)")
    conn.execute("CREATE INDEX IF NOT EXISTS hub_events_answer_id ON hub_events (json_extract(payload, '$.answer_id'))")
    conn.execute(
        "CREATE TRIGGER IF NOT EXISTS hub_events_no_update BEFORE UPDATE ON hub_events "
        "BEGIN SELECT RAISE(ABORT, 'hub events are append-only'); END"
    )
    conn.execute(
        "CREATE TRIGGER IF NOT EXISTS hub_events_no_delete BEFORE DELETE ON hub_events "
        "BEGIN SELECT RAISE(ABORT, 'hub events are append-only'); END"
    )
    conn.execute(
        """CREATE TABLE IF NOT EXISTS hub_problems (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kiosk TEXT NOT NULL,
            kind TEXT NOT NULL,
            seq INTEGER,
            detail TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX IF NOT EXISTS hub_problems_kiosk ON hub_problems (kiosk, id)")


def create_hub_rollups(db):
    """The figures' sums over every kiosk (kiosk.store.rollups), built from the stored events."""
    conn = db.conn if hasattr(db, "conn") else db
    rollups.create_tables(conn, "hub_events")
    rollups.apply(conn, "hub_events", rollups.from_events(conn, "hub_events"))


def create_hub_coarse_rollups(db):
    """The all-kiosks and station month grains (kiosk.store.rollups), summed from the month rows."""
    rollups.fill_hub_grains(db.conn if hasattr(db, "conn") else db)


def index_events_for_ingest(db):
    """hub_events' indexes for what reads them since the rollups. The figures come from the
    rollups: the indexes by kind, station and kiosk and time had no reader left but the
    events' reference tallies, and a catch-up's rows landed all over them. Ingest reads an
    answer's stored rows by kiosk and answer id: one index on both keeps a batch's new
    entries within its kiosk's part of the index, where the answer-id index alone put
    each of them on a page of its own. (kiosk, seq) is the primary key."""
    conn = db.conn if hasattr(db, "conn") else db
    conn.execute(
        "CREATE INDEX IF NOT EXISTS hub_events_kiosk_answer ON hub_events (kiosk, json_extract(payload, '$.answer_id'))"
    )
    for name in ("hub_events_kind_at", "hub_events_station", "hub_events_kiosk", "hub_events_answer_id"):
        conn.execute(f"DROP INDEX IF EXISTS {name}")


# Append new steps at the end; never rename, edit or reorder a released step.
HUB_MIGRATIONS = [
    create_hub_tables,
    create_province_tables,
    create_hub_rollups,
    create_hub_coarse_rollups,
    create_station_provinces,
    index_events_for_ingest,
]


def _legacy_hub_version(db):
    """The hub step count older code kept in meta 'hub.schema_version' (0 for none)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'hub.schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(db):
    """The kiosk's schema (meta, credentials, audit, sign-in attempts), then the hub's.

    One transaction for both; returns the number of hub steps applied. An up-to-date
    database is only read."""
    hub_migrations = migrations.migration_set(HUB_SET, HUB_MIGRATIONS)
    if not migrations.pending_steps(db) and hub_migrations.applied(db) and not hub_migrations.pending(db):
        return len(hub_migrations.applied(db))
    with write_transaction(db):
        migrations.apply_kiosk_steps(db)
        migrations.record_legacy(db, hub_migrations, HUB_MIGRATIONS, _legacy_hub_version(db))
        hub_migrations.apply(db)
        applied = len(hub_migrations.applied(db))
        if _legacy_hub_version(db) != applied:
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('hub.schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(applied),),
            )
    return applied


# -- the registry --------------------------------------------------------------------


class RegistryError(ValueError):
    """A registry command that cannot be done (unknown kiosk, name taken, bad name)."""


def token_hash(token):
    return "sha256$" + hashlib.sha256(token.encode()).hexdigest()


def _check_name(label, value):
    if (
        not isinstance(value, str)
        or not value
        or len(value) > NAME_MAX
        or not all(ch.isalnum() or ch in "-_." for ch in value)
    ):
        raise RegistryError(f"{label} must be 1 to {NAME_MAX} letters, digits, '-', '_' or '.' (got {value!r})")
    return value


def add_kiosk(db, name, station, new_token=False, province=None):
    """Register a kiosk (or, with new_token, give a registered one a new token); with
    `province` (a name in Thai or English, or its key) its station's province is set too.

    Returns the token: it is shown once and only its hash is kept."""
    _check_name("NAME", name)
    _check_name("--station", station)
    province_key = _check_province(province) if province is not None else None
    token = secrets.token_urlsafe(32)
    conn = db.conn
    with write_transaction(conn):
        if province_key is not None:
            set_province(conn, station, province_key, "admin")
        row = conn.execute("SELECT station FROM hub_kiosks WHERE name = ?", (name,)).fetchone()
        if row and not new_token:
            raise RegistryError(
                f"kiosk {name!r} is already registered (station {row[0]}); use --new-token to replace a lost token"
            )
        if not row and new_token:
            raise RegistryError(f"kiosk {name!r} is not registered")
        if row:
            if row[0] != station:
                raise RegistryError(f"kiosk {name!r} belongs to station {row[0]}, not {station}")
            conn.execute(
                "UPDATE hub_kiosks SET token_hash = ?, revoked_at = NULL WHERE name = ?",
                (token_hash(token), name),
            )
        else:
            conn.execute(
                "INSERT INTO hub_kiosks (name, station, token_hash, created_at) VALUES (?, ?, ?, ?)",
                (name, station, token_hash(token), utc_now_iso()),
            )
        _audit(conn, "kiosk token issued" if row else "kiosk registered", f"{name} {station}")
    return token


def _check_province(text):
    key = provinces.province_key(text)
    if key is None:
        raise RegistryError(
            f"--province: {text!r} is not one of Thailand's 77 provinces (write it in Thai or English, e.g. ร้อยเอ็ด or Roi Et)"
        )
    return key


def set_station_province(db, station, province):
    """The admin sets (or corrects) a registered station's province."""
    _check_name("STATION", station)
    key = _check_province(province)
    conn = db.conn
    with write_transaction(conn):
        if not conn.execute("SELECT 1 FROM hub_kiosks WHERE station = ? LIMIT 1", (station,)).fetchone():
            raise RegistryError(f"no kiosk is registered for station {station!r}")
        set_province(conn, station, key, "admin")
        _audit(conn, "station province set", f"{station} {key}")
    return key


def revoke_kiosk(db, name):
    """The kiosk's token stops working; what it sent stays counted."""
    conn = db.conn
    with write_transaction(conn):
        if not conn.execute("SELECT 1 FROM hub_kiosks WHERE name = ?", (name,)).fetchone():
            raise RegistryError(f"kiosk {name!r} is not registered")
        conn.execute(
            "UPDATE hub_kiosks SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (utc_now_iso(), name)
        )
        _audit(conn, "kiosk revoked", name)


def _audit(conn, action, detail):
    conn.execute(
        "INSERT INTO audit (at, actor, action, detail) VALUES (?, 'cli', ?, ?)", (utc_now_iso(), action, detail)
    )


def kiosk_for_token(db, token):
    """The registry row (a dict) of an active kiosk with this token, or a reason it is refused."""
    if not token:
        return None, "missing"
    row = db.execute(
        "SELECT name, station, revoked_at FROM hub_kiosks WHERE token_hash = ?", (token_hash(token),)
    ).fetchone()
    if row is None:
        return None, "unknown"
    if row[2]:
        return None, "revoked"
    return {"name": row[0], "station": row[1]}, None


# -- what the hub knows of each kiosk ----------------------------------------------------

KIOSK_COLUMNS = (
    "name",
    "station",
    "created_at",
    "revoked_at",
    "acked",
    "head",
    "verified",
    "broken_at",
    "fork_at",
    "missing",
    "last_sync_at",
    "last_error",
    "reported_id",
    "reported_station",
    "quota",
    "version",
)


def kiosks(db, stations=None, names=None):
    """Registry rows as dicts (quota decoded, `waiting` added), by station and name."""
    sql = f"SELECT {', '.join(KIOSK_COLUMNS)} FROM hub_kiosks WHERE 1=1"
    args = []
    if stations is not None:
        sql += f" AND station IN ({', '.join('?' * len(stations)) or 'NULL'})"
        args += list(stations)
    if names is not None:
        sql += f" AND name IN ({', '.join('?' * len(names)) or 'NULL'})"
        args += list(names)
    rows = []
    for values in db.execute(sql + " ORDER BY station, name", args).fetchall():
        row = dict(zip(KIOSK_COLUMNS, values, strict=True))
        row["quota"] = json.loads(row["quota"]) if row["quota"] else None
        row["waiting"] = max(0, row["head"] - row["acked"])
        row["chain_ok"] = row["broken_at"] is None and row["fork_at"] is None
        rows.append(row)
    return rows


def station_codes(db):
    """Every station the registry knows, sorted."""
    return [row[0] for row in db.execute("SELECT DISTINCT station FROM hub_kiosks ORDER BY station")]


def station_quota(kiosk_rows, default=DEFAULT_EIT_QUOTA):
    """A station's EIT quota: as its most recently synced kiosk reported it, else the hub's."""
    reported = [k for k in kiosk_rows if k["quota"] and k["last_sync_at"]]
    if not reported:
        return {unit: int(default.get(unit, 0)) for unit in UNITS}
    latest = max(reported, key=lambda k: k["last_sync_at"])
    return {unit: int(latest["quota"].get(unit, 0)) for unit in UNITS}


def quota_for(kiosk_rows, default=DEFAULT_EIT_QUOTA):
    """The summed quota of the stations these kiosks belong to."""
    by_station = {}
    for row in kiosk_rows:
        by_station.setdefault(row["station"], []).append(row)
    total = dict.fromkeys(UNITS, 0)
    for rows in by_station.values():
        for unit, n in station_quota(rows, default).items():
            total[unit] += n
    if not by_station:
        return {unit: int(default.get(unit, 0)) for unit in UNITS}
    return total


def problems(db, names=None, limit=100):
    """The latest problems (newest first), as dicts."""
    sql = "SELECT id, at, kiosk, kind, seq, detail FROM hub_problems"
    args = []
    if names is not None:
        sql += f" WHERE kiosk IN ({', '.join('?' * len(names)) or 'NULL'})"
        args += list(names)
    rows = db.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, limit]).fetchall()
    return [dict(zip(("id", "at", "kiosk", "kind", "seq", "detail"), r, strict=True)) for r in rows]


def record_problem(conn, kiosk, kind, seq, detail):
    """Inside a transaction."""
    conn.execute(
        "INSERT INTO hub_problems (at, kiosk, kind, seq, detail) VALUES (?, ?, ?, ?, ?)",
        (utc_now_iso(), kiosk, kind, seq, detail),
    )


def verify_kiosk_chain(db, name):
    """Recheck every stored link of one kiosk from seq 1 (the incremental check's witness).

    Returns (ok, first_bad_seq or None, last_seq_checked)."""
    expected_seq, expected_prev = 1, GENESIS_HASH
    cursor = db.execute(
        "SELECT seq, id, event_kiosk, at, kind, payload, flagged, flag_reason, prev_hash, hash "
        "FROM hub_events WHERE kiosk = ? ORDER BY seq",
        (name,),
    )
    for seq, id_, ev_kiosk, at, kind, payload, flagged, reason, prev, hash_ in cursor:
        if seq != expected_seq or prev != expected_prev:
            return False, expected_seq if seq != expected_seq else seq, expected_seq - 1
        if event_hash(seq, id_, ev_kiosk, at, kind, payload, flagged, reason, prev) != hash_:
            return False, seq, seq
        expected_seq, expected_prev = seq + 1, hash_
    return True, None, expected_seq - 1
