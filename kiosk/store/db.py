"""The SQLite database: one file per data directory, WAL, forward migrations.

No Flask here: kiosk.web.database binds it to requests (a connection per server thread)."""

import contextlib
import sqlite3
import threading

import sqlite_utils

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


@contextlib.contextmanager
def write_transaction(db):
    """BEGIN IMMEDIATE ... COMMIT under the one writer lock; ROLLBACK on any error.

    The one way the program writes: a tap, a sync batch and a migration all go through it.
    `db` is a sqlite_utils.Database or a sqlite3.Connection; it is what the block gets.
    A failed COMMIT (a full disk) is rolled back too, so the connection stays usable; an
    error that already ended the transaction propagates as it is."""
    conn = db.conn if hasattr(db, "conn") else db
    with write_lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
