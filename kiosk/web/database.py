"""The request's database and event log: one connection per server thread.

The store layer knows nothing of Flask; this binds it to the app's data directory."""

import threading
from pathlib import Path

from flask import current_app, g

from kiosk.store.backup import backup_before_migration
from kiosk.store.db import DB_FILENAME, can_write, connect
from kiosk.store.eventlog import EventLog
from kiosk.store.migrations import migrate


def database_path(app=None):
    app = app or current_app
    return Path(app.config["DATA_DIR"]) / DB_FILENAME


# Opening a connection costs more than serving a page (about 0.7 ms), so each server
# thread keeps one open; a thread that moves to another database closes the old one.
#
# A database that could not be written stays unwritable to this process while any of its
# connections that saw it so is open: SQLite shares file descriptors and the WAL index
# between the connections of one process. So a connection that found the database
# unwritable serves one request only, and then every idle connection is closed; a
# storage failure does the same (`forget_all_connections`), and busy ones close when
# their request ends. Once the file can be written, the next request writes.
_lock = threading.Lock()
_slots = {}  # thread id -> _Slot
_generation = 0


class _Slot:
    __slots__ = ("db", "path", "generation", "writable", "busy")

    def __init__(self):
        self.db = self.path = self.generation = None
        self.writable = self.busy = False

    def close(self):
        db, self.db, self.path = self.db, None, None
        if db is not None:
            db.conn.close()


def get_db():
    """This thread's connection to the app's database, opened on first use."""
    path = str(database_path())
    with _lock:
        slot = _slots.setdefault(threading.get_ident(), _Slot())
        opened_in_request = g.get("database_opened", False)
        if slot.db is not None and not slot.writable and not opened_in_request:
            _close_idle(exclude=slot)
        stale = slot.db is None or slot.path != path or slot.generation != _generation
        if stale or not (slot.writable or opened_in_request):
            slot.close()
            slot.db, slot.path, slot.generation = connect(path), path, _generation
            slot.writable = can_write(slot.db)
            g.database_opened = True  # once per request: the event log holds this connection
        slot.busy = True
        return slot.db


def _close_idle(exclude=None):
    for slot in _slots.values():
        if slot is not exclude and not slot.busy:
            slot.close()


def database_writable():
    """True when the database can be written now, asked of a fresh connection if this
    thread's cannot (the truth for /healthz, not the file's permission bits)."""
    if can_write(get_db()):
        return True
    forget_all_connections()
    return can_write(get_db())


def forget_thread_connection():
    """Drop this thread's connection, so that the next request opens the file again."""
    with _lock:
        slot = _slots.get(threading.get_ident())
        if slot is not None:
            slot.close()


def forget_all_connections():
    """Close this thread's connection and every idle one; busy ones close when their
    request ends. After a storage failure: the next request opens the file again."""
    global _generation
    with _lock:
        _generation += 1
        _close_idle()
        slot = _slots.get(threading.get_ident())
        if slot is not None:
            slot.close()
    g.pop("database_opened", None)


def close_db(_exc=None):
    """End a transaction a failed request may have left open; the connection stays,
    unless a storage failure elsewhere asked every connection to close."""
    with _lock:
        slot = _slots.get(threading.get_ident())
        if slot is None or slot.db is None:
            return
        slot.busy = False
        if slot.generation != _generation:
            slot.close()
        elif slot.db.conn.in_transaction:
            slot.db.conn.rollback()


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
