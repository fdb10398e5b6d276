"""The SQLite database: one file per data directory, WAL, forward migrations.

No Flask here: kiosk.web.database binds it to requests (a connection per server thread)."""

import contextlib
import hashlib
import hmac
import os
import sqlite3
import threading
from pathlib import Path

import sqlite_utils

DB_FILENAME = "kiosk.db"

# One writer at a time: waitress serves on several threads, SQLite allows one writer.
write_lock = threading.Lock()


def connect(path):
    """Open the database at `path` with the kiosk's durability settings."""
    _give_side_files_the_database_mode(path)
    conn = sqlite3.connect(str(path), timeout=10, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk before we acknowledge a citizen's tap.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    return sqlite_utils.Database(conn)


def _give_side_files_the_database_mode(path):
    """SQLite makes the -wal and -shm files with the database file's permissions of the
    moment: made while the database was read-only, they stay read-only after it is given
    its write permission back, and every connection stays read-only with them. Our own
    side files get the database file's permissions again."""
    try:
        database = os.stat(path)
    except OSError:
        return
    if not os.access(path, os.W_OK):
        return
    for suffix in ("-wal", "-shm"):
        side = f"{path}{suffix}"
        try:
            if os.stat(side).st_uid == os.geteuid() and not os.access(side, os.W_OK):
                os.chmod(side, database.st_mode & 0o777)
        except OSError:
            continue


def can_write(db):
    """True when this connection can write the database now: a write is begun and rolled
    back (BEGIN IMMEDIATE alone succeeds on a read-only file). Nothing reaches the disk."""
    conn = db.conn if hasattr(db, "conn") else db
    with write_lock:
        try:
            conn.execute("BEGIN IMMEDIATE")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            conn.execute(f"PRAGMA user_version = {version}")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")


def database_id(path):
    """A name for the database at `path` that does not show the path: a keyed digest with
    the data directory's secret key, so that `kiosk restore` can tell whether the server
    answering /healthz serves this database."""
    path = Path(path).resolve()
    try:
        key = (path.parent / "secret_key").read_bytes().strip()
    except OSError:
        key = b""
    return hmac.new(key, str(path).encode(), hashlib.sha256).hexdigest()[:16]


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
