"""The request's database and event log: one connection per server thread.

The store layer knows nothing of Flask; this binds it to the app's data directory."""

import threading
from pathlib import Path

from flask import current_app, g

from kiosk.store.backup import backup_before_migration
from kiosk.store.db import DB_FILENAME, connect
from kiosk.store.eventlog import EventLog
from kiosk.store.migrations import migrate


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


def get_event_log():
    """The event log of this kiosk, on the request's database connection."""
    if "event_log" not in g:
        settings = current_app.config["KIOSK"]
        feedback = settings.feedback
        g.event_log = EventLog(
            get_db(),
            settings.kiosk.id,
            repeat_window_seconds=feedback.repeat_window_seconds,
            burst_max_per_minute=feedback.burst_max_per_minute,
            amend_max_age_seconds=feedback.amend_max_age_minutes * 60,
            comment_max_chars=feedback.comment_max_chars,
        )
    return g.event_log


def purge_expired_comments():
    """Delete for good the comments older than the retention setting; returns how many.

    Called at start, whenever a comment is written and before comments are read, so
    that no expired comment is ever shown or exported."""
    days = current_app.config["KIOSK"].feedback.comment_retention_days
    return get_event_log().delete_comments_older_than(days)


def init_kiosk_database(app):
    """Create the data directory and bring the kiosk's schema up to date."""
    Path(app.config["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    backup_before_migration(database_path(app))
    db = connect(database_path(app))
    try:
        migrate(db)
    finally:
        db.conn.close()
