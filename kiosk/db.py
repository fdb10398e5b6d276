"""The SQLite database: one file per data directory, WAL, forward migrations."""
import sqlite3
import threading
from pathlib import Path

import sqlite_utils
from flask import current_app

DB_FILENAME = "kiosk.db"

# One writer at a time: waitress serves on several threads, SQLite allows one writer.
write_lock = threading.Lock()


def connect(path):
    """Open the database at `path` with the kiosk's durability settings."""
    conn = sqlite3.connect(str(path), timeout=10, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk before we acknowledge a citizen's tap.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    return sqlite_utils.Database(conn)


def _create_meta(db):
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)


def _create_credentials(db):
    db["credentials"].create(
        {"name": str, "hash": str, "created_at": str}, pk="name", if_not_exists=True
    )


def _create_event_log(db):
    from .eventlog import create_tables

    create_tables(db)


def _create_duty_tables(db):
    db["audit"].create({"id": int, "at": str, "actor": str, "action": str, "detail": str}, pk="id", if_not_exists=True)
    db["auth_attempts"].create(
        {"id": int, "at": str, "role": str, "ok": int, "client": str}, pk="id", if_not_exists=True
    )
    db["alerts"].create(
        {"id": int, "opened_at": str, "closed_at": str, "acked_at": str, "ack_note": str, "answers": int, "bad": int},
        pk="id", if_not_exists=True,
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


def schema_version(db):
    return db.execute("PRAGMA user_version").fetchone()[0]


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


def database_path(app=None):
    app = app or current_app
    return Path(app.config["DATA_DIR"]) / DB_FILENAME


# Opening a connection costs more than serving a page (about 0.7 ms), so each server
# thread keeps one open; a thread that moves to another database closes the old one.
_thread_connection = threading.local()


def get_db():
    """This thread's connection to the app's database, opened on first use."""
    path = str(database_path())
    if getattr(_thread_connection, "path", None) != path:
        old = getattr(_thread_connection, "db", None)
        if old is not None:
            old.conn.close()
        _thread_connection.db, _thread_connection.path = connect(path), path
    return _thread_connection.db


def forget_thread_connection():
    """Drop this thread's connection, so that the next request opens the file again
    (after a read-only database was given back its write permission, say)."""
    db = getattr(_thread_connection, "db", None)
    _thread_connection.db = _thread_connection.path = None
    if db is not None:
        db.conn.close()


def close_db(_exc=None):
    """End a transaction a failed request may have left open; the connection stays."""
    db = getattr(_thread_connection, "db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


def init_app(app):
    """Create the data directory and bring the schema up to date."""
    from .backup import backup_before_migration

    Path(app.config["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    backup_before_migration(database_path(app))
    db = connect(database_path(app))
    try:
        migrate(db)
    finally:
        db.conn.close()
    app.teardown_appcontext(close_db)
