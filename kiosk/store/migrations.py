"""The kiosk's schema, step by step."""

from kiosk.store.db import schema_version, write_lock
from kiosk.store.eventlog import create_tables as create_event_tables


def _create_meta(db):
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)


def _create_credentials(db):
    db["credentials"].create({"name": str, "hash": str, "created_at": str}, pk="name", if_not_exists=True)


def _create_event_log(db):
    create_event_tables(db)


def _create_duty_tables(db):
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


# Each step runs once, in order; PRAGMA user_version records how many ran.
# Append new steps at the end; never edit or reorder a released step.
MIGRATIONS = [
    _create_meta,
    _create_credentials,
    _create_event_log,
    _create_duty_tables,
]


def migrate(db):
    """Bring the schema forward to the latest version; returns the version."""
    with write_lock:
        current = schema_version(db)
        for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
            with db.conn:
                db.conn.execute("BEGIN IMMEDIATE")
                step(db)
                db.conn.execute(f"PRAGMA user_version = {number}")
        return schema_version(db)
