"""The kiosk's schema, step by step, on sqlite-utils' `Migrations`.

Each step runs once, in order, in the one write transaction of `migrate`; the table
`_sqlite_migrations` records it under its set name and its function name. Append new
steps at the end; never rename, edit or reorder a released step.

Databases made before the migrations table (up to commit 92edd46) counted their steps in
PRAGMA user_version: `migrate` first records that many of the first steps as applied,
so nothing runs twice. PRAGMA user_version still follows the number of kiosk steps
applied, so that an older kiosk knows a newer database when it sees one.

The hub (kiosk.hub.store) applies this set, then its own.
"""

from sqlite_utils.migrations import Migrations

from kiosk.core.clock import utc_now_iso
from kiosk.store import rollups
from kiosk.store.counters import create_tables as create_counter_tables
from kiosk.store.db import write_transaction
from kiosk.store.eventlog import create_tables as create_event_tables

KIOSK_SET = "kiosk"


def create_meta(db):
    """Key-value settings and state (duty state, sync state, the hub's counters)."""
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)


def create_credentials(db):
    """The hashed secrets."""
    db["credentials"].create({"name": str, "hash": str, "created_at": str}, pk="name", if_not_exists=True)


def create_event_log(db):
    """The events and comments (kiosk.store.eventlog)."""
    create_event_tables(db)


def create_duty_tables(db):
    """The audit log, the sign-in attempts and the bad-answers alerts."""
    db["audit"].create({"id": int, "at": str, "actor": str, "action": str, "detail": str}, pk="id", if_not_exists=True)
    db["auth_attempts"].create(
        {"id": int, "at": str, "role": str, "ok": int, "client": str}, pk="id", if_not_exists=True
    )
    db["alerts"].create(
        {"id": int, "opened_at": str, "closed_at": str, "acked_at": str, "ack_note": str, "answers": int, "bad": int},
        pk="id",
        if_not_exists=True,
    )
    db.execute("CREATE INDEX IF NOT EXISTS auth_attempts_role ON auth_attempts (role, id)")


# Columns that older code wrote as 'YYYY-MM-DDTHH:MM:SS+00:00'. Never events.at: it is
# inside the hash chain (and always was in the Z form).
OLD_FORM_COLUMNS = (("credentials", "created_at"), ("audit", "at"), ("auth_attempts", "at"))


def timestamps_in_z_form(db):
    """Rewrite '...+00:00' times as '...Z', the one stored form (kiosk.core.clock)."""
    for table, column in OLD_FORM_COLUMNS:
        db.execute(
            f"UPDATE {table} SET {column} = substr({column}, 1, 19) || 'Z' "
            f"WHERE length({column}) = 25 AND {column} LIKE '____-__-__T__:__:__+00:00'"
        )


def create_station_versions(db):
    """The station's own settings and content: published versions and the one draft."""
    db["station_versions"].create(
        {"id": int, "created_at": str, "actor": str, "note": str, "document": str, "hash": str},
        pk="id",
        if_not_exists=True,
    )
    db["station_draft"].create(
        {"id": int, "updated_at": str, "actor": str, "document": str}, pk="id", if_not_exists=True
    )


def create_counters(db):
    """Counters, the displays paired to them, pairing codes (kiosk.store.counters)."""
    create_counter_tables(db)


def create_rollups(db):
    """The figures' sums (kiosk.store.rollups), built from the events already stored."""
    conn = db.conn if hasattr(db, "conn") else db
    rollups.create_tables(conn, "events")
    rollups.apply(conn, "events", rollups.from_events(conn, "events"))


# The first LEGACY_STEPS were counted in PRAGMA user_version before the migrations table.
MIGRATIONS = [
    create_meta,
    create_credentials,
    create_event_log,
    create_duty_tables,
    timestamps_in_z_form,
    create_station_versions,
    create_counters,
    create_rollups,
]
LEGACY_STEPS = 4


class StampedMigrations(Migrations):
    """sqlite-utils' Migrations, recording `applied_at` in the one stored time format."""

    def _record_applied(self, db, name):
        self.record_applied(db, name)

    def record_applied(self, db, name):
        """Record the step `name` as applied now."""
        db[self.migrations_table].insert({"migration_set": self.name, "name": name, "applied_at": utc_now_iso()})


def migration_set(name, steps):
    """A Migrations set of these step functions, in order, named by function."""
    migrations = StampedMigrations(name)
    for step in steps:
        migrations()(step)
    return migrations


def kiosk_migrations():
    """The kiosk's set (built from MIGRATIONS as it is now)."""
    return migration_set(KIOSK_SET, MIGRATIONS)


def record_legacy(db, migrations, steps, legacy_count):
    """Record the first `legacy_count` steps as applied when the set has no record yet.

    For a database whose older code counted its steps elsewhere (PRAGMA user_version,
    meta 'hub.schema_version'). Call it inside the write transaction."""
    if legacy_count <= 0 or migrations.applied(db):
        return
    migrations.ensure_migrations_table(db)
    for step in steps[:legacy_count]:
        migrations.record_applied(db, step.__name__)


def legacy_user_version(db):
    """The step count older code kept in PRAGMA user_version (0 for a new database)."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def schema_version(db):
    """How many kiosk steps this database has: applied ones, or the legacy count."""
    applied = kiosk_migrations().applied(db)
    return len(applied) if applied else legacy_user_version(db)


def unknown_steps(db):
    """Names of kiosk steps applied to this database that this code does not know (newer)."""
    known = {step.__name__ for step in MIGRATIONS}
    return [m.name for m in kiosk_migrations().applied(db) if m.name not in known]


def pending_steps(db):
    """Names of the kiosk steps `migrate` would run on this database (read-only)."""
    migrations = kiosk_migrations()
    if migrations.applied(db):
        return [m.name for m in migrations.pending(db)]
    return [step.__name__ for step in MIGRATIONS[legacy_user_version(db) :]]


def apply_kiosk_steps(db):
    """Inside a write transaction: bridge the legacy count, apply the pending kiosk steps."""
    migrations = kiosk_migrations()
    record_legacy(db, migrations, MIGRATIONS, min(legacy_user_version(db), LEGACY_STEPS))
    migrations.apply(db)
    applied = len(migrations.applied(db))
    if legacy_user_version(db) != applied:
        db.execute(f"PRAGMA user_version = {applied}")


def migrate(db):
    """Bring the schema forward to the latest version; returns the schema version.

    All pending steps run in one transaction: a failing step leaves the database as it was.
    An up-to-date database is only read (it may be read-only)."""
    if pending_steps(db) or not kiosk_migrations().applied(db):
        with write_transaction(db):
            apply_kiosk_steps(db)
    return schema_version(db)
