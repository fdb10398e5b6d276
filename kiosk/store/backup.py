"""Online backups of the kiosk's SQLite database, their retention, and restore.

A backup is taken with sqlite3's backup API in a single step: it reads one consistent
snapshot of the database (WAL included) while the kiosk goes on writing, because a reader
in WAL mode never blocks the writer. Every event acknowledged to a citizen before the
backup started is in it. The copy is written next to its final name, checked with
`PRAGMA integrity_check`, switched to a self-contained file (journal_mode=DELETE, no -wal
or -shm beside it), synced to disk and only then renamed into place, so a power cut never
leaves a half backup under a backup's name.

File names carry the UTC time: `kiosk-20261124-031500.db`, with a label for the special
ones (`kiosk-20261124-031500-before-migration-v3.db`, `...-before-restore.db`).
Retention goes by the time in the name, not by mtime (a copied file keeps its date), and
always keeps the newest `MIN_KEEP` backups whatever their age: a Raspberry Pi without a
clock battery can wake up in the wrong year, and that must not delete every backup.

Restore (`restore()`) refuses while the kiosk is running (its /healthz answers for this
database, or another connection holds the database open): stop it first
(`systemctl stop kiosk`). It checks the backup (integrity, schema not newer than this
code, the event hash chain), keeps a copy of the current database as a `before-restore`
backup, removes the old -wal/-shm and swaps the file in atomically, owned like the old one.
"""

import json
import os
import re
import sqlite3
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils

from kiosk.core.clock import utc_now
from kiosk.store.db import database_id

DB_FILENAME = "kiosk.db"
BACKUP_DIRNAME = "backups"
DEFAULT_KEEP_DAYS = 14
MIN_KEEP = 3
DEFAULT_KIOSK_URL = "http://127.0.0.1:8080"

_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^kiosk-(\d{8}-\d{6})(?:-(\d+))?(?:-([a-z0-9-]+?))?\.db$")


class BackupError(RuntimeError):
    """A backup that cannot be taken, or a file that must not be restored."""


class KioskRunning(BackupError):
    """The kiosk still has the database open: stop it before a restore."""


def default_backup_dir(db_path):
    return Path(db_path).parent / BACKUP_DIRNAME


def backup_time(path):
    """The UTC time in a backup's file name, or None for a file that is not a backup."""
    match = _NAME.match(Path(path).name)
    if not match:
        return None
    return datetime.strptime(match.group(1), _STAMP).replace(tzinfo=timezone.utc)


def list_backups(backup_dir):
    """Backups in `backup_dir`, oldest first, as (Path, UTC datetime)."""
    backup_dir = Path(backup_dir)
    if not backup_dir.is_dir():
        return []
    found = [(p, backup_time(p)) for p in backup_dir.iterdir() if p.is_file()]
    return sorted(((p, t) for p, t in found if t is not None), key=lambda item: (item[1], item[0].name))


def _fsync_path(path, directory=False):
    fd = os.open(path, (os.O_RDONLY | os.O_DIRECTORY) if directory else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_database(source_conn, dest_path):
    """Copy the open database into a new file at `dest_path`, self-contained and checked."""
    dest = sqlite3.connect(str(dest_path), isolation_level=None)
    try:
        # pages=-1: one step, one read transaction, one consistent snapshot.
        source_conn.backup(dest, pages=-1)
        dest.execute("PRAGMA journal_mode=DELETE")
        result = dest.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BackupError(f"the copy failed its integrity check: {result[:3]}")
    finally:
        dest.close()
    _fsync_path(dest_path)


def _unique_name(backup_dir, when, label):
    stamp = when.astimezone(timezone.utc).strftime(_STAMP)
    suffix = f"-{label}" if label else ""
    candidate = backup_dir / f"kiosk-{stamp}{suffix}.db"
    number = 1
    while candidate.exists():
        number += 1
        candidate = backup_dir / f"kiosk-{stamp}-{number}{suffix}.db"
    return candidate


def backup(db_path, backup_dir=None, keep_days=DEFAULT_KEEP_DAYS, *, label=None, now=None, prune_old=True):
    """Take an online backup of the database at `db_path`; returns the backup's path.

    Safe while the kiosk writes. Backups older than `keep_days` are then deleted (the newest
    MIN_KEEP are always kept)."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise BackupError(f"{db_path}: no database to back up")
    if label is not None and not re.fullmatch(r"[a-z][a-z0-9-]*", label):
        raise ValueError("label must be lowercase letters, digits and dashes")
    if type(keep_days) is not int or keep_days < 1:
        raise ValueError("keep_days must be a whole number of days, 1 or more")
    now = now or utc_now()
    backup_dir = Path(backup_dir) if backup_dir else default_backup_dir(db_path)
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = _unique_name(backup_dir, now, label)
    fd, part = tempfile.mkstemp(prefix=".part-", suffix=".db", dir=backup_dir)
    os.close(fd)
    part = Path(part)
    try:
        # Open read-write (a WAL reader needs the -shm), but never write: no journal_mode
        # change, no checkpoint. busy_timeout covers a writer's brief exclusive moments.
        source = sqlite3.connect(str(db_path), timeout=30, isolation_level=None)
        try:
            _copy_database(source, part)
        finally:
            source.close()
        part.chmod(0o600)
        # Stamped after the source is closed (closing may touch its files), so that a
        # database whose files are not newer than a backup is known to be in it.
        os.utime(part)
        os.replace(part, target)
        _fsync_path(backup_dir, directory=True)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    if prune_old:
        prune(backup_dir, keep_days, now=now)
    return target


def prune(backup_dir, keep_days=DEFAULT_KEEP_DAYS, *, now=None, min_keep=MIN_KEEP):
    """Delete backups older than `keep_days`, keeping the newest `min_keep`; returns the deleted."""
    now = now or utc_now()
    cutoff = now - timedelta(days=keep_days)
    backups = list_backups(backup_dir)
    keep_newest = {p for p, _t in backups[-min_keep:]} if min_keep else set()
    deleted = []
    for path, when in backups:
        if when < cutoff and path not in keep_newest:
            path.unlink(missing_ok=True)
            deleted.append(path)
    return deleted


def _read_schema(path):
    """(schema version, names of the kiosk steps still to apply) of the database at `path`."""
    from kiosk.store import migrations  # here: migrations imports the event log

    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        db = sqlite_utils.Database(conn)
        return migrations.schema_version(db), migrations.pending_steps(db)
    finally:
        conn.close()


def backup_before_migration(db_path, backup_dir=None, keep_days=DEFAULT_KEEP_DAYS):
    """Back up the database when it exists and its schema is behind this code.

    Returns the backup's path, or None when there was nothing to do (no database yet, or
    already up to date). Call it before `kiosk.store.migrations.migrate`."""
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    # Called twice before one migration (the installer, then the app's start): a backup
    # of this very state is there already when the database has not changed since.
    changed = max(
        Path(f"{db_path}{suffix}").stat().st_mtime_ns for suffix in ("", "-wal") if Path(f"{db_path}{suffix}").exists()
    )
    version, pending = _read_schema(db_path)
    if not pending:
        return None
    label = f"before-migration-v{version}"
    backup_dir = Path(backup_dir) if backup_dir else default_backup_dir(db_path)
    recent = time.time_ns() - 3600 * 10**9
    for path, _when in reversed(list_backups(backup_dir)):
        if path.name.endswith(f"-{label}.db") and path.stat().st_mtime_ns >= max(changed, recent):
            return path
    return backup(db_path, backup_dir, keep_days, label=label)


def check_backup(backup_file):
    """Check a backup before it is restored; returns a summary dict or raises BackupError."""
    from kiosk.store import migrations
    from kiosk.store.eventlog import EventLog

    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise BackupError(f"{backup_file}: no such backup file")
    try:
        conn = sqlite3.connect(f"{backup_file.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{backup_file}: cannot be opened: {exc}") from None
    try:
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{backup_file}: not a database: {exc}") from None
        if result != [("ok",)]:
            raise BackupError(f"{backup_file}: failed the integrity check: {result[:3]}")
        db = sqlite_utils.Database(conn)
        version = migrations.schema_version(db)
        known = len(migrations.MIGRATIONS)
        unknown = migrations.unknown_steps(db)
        if unknown or migrations.legacy_user_version(db) > known:
            steps = f"; steps {', '.join(unknown)}" if unknown else ""
            raise BackupError(
                f"{backup_file}: made by a newer kiosk (schema {version}, this one knows {known}{steps}); "
                "upgrade the kiosk first"
            )
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        events = 0
        if "events" in tables:
            events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            ok, bad_seq = EventLog(conn, "restore-check").verify_chain()
            if not ok:
                raise BackupError(f"{backup_file}: the event hash chain breaks at seq {bad_seq}")
        return {"path": backup_file, "schema_version": version, "events": events}
    finally:
        conn.close()


def kiosk_answers(db_path, url=DEFAULT_KIOSK_URL, timeout=2):
    """True when a kiosk at `url` answers /healthz and serves the database at `db_path`."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/healthz", timeout=timeout) as response:
            body = json.load(response)
    except (OSError, ValueError):
        return False
    return body.get("database_id") == database_id(db_path)


def database_in_use(db_path):
    """True when another connection has the database open (a WAL reader holds a lock)."""
    db_path = Path(db_path)
    if not db_path.exists():
        return False
    conn = sqlite3.connect(str(db_path), timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def restore(backup_file, db_path, *, backup_dir=None, kiosk_url=DEFAULT_KIOSK_URL):
    """Replace the database at `db_path` with `backup_file`; the kiosk must be stopped.

    Returns (summary of the restored backup, path of the safety copy of the old database
    or None). The old database, if any, is first saved as a `before-restore` backup."""
    db_path = Path(db_path)
    summary = check_backup(backup_file)
    if kiosk_url and kiosk_answers(db_path, kiosk_url):
        raise KioskRunning(f"the kiosk at {kiosk_url} is running on {db_path}: stop it first (systemctl stop kiosk)")
    if database_in_use(db_path):
        raise KioskRunning(f"{db_path} is open in another program (the kiosk?): stop it first (systemctl stop kiosk)")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    safety = None
    if db_path.is_file():
        safety = backup(db_path, backup_dir, label="before-restore", prune_old=False)
    owner = db_path if db_path.exists() else db_path.parent
    stat = owner.stat()
    fd, part = tempfile.mkstemp(prefix=".restore-", suffix=".db", dir=db_path.parent)
    os.close(fd)
    part = Path(part)
    try:
        source = sqlite3.connect(f"{Path(backup_file).resolve().as_uri()}?mode=ro", uri=True)
        try:
            _copy_database(source, part)
        finally:
            source.close()
        # The kiosk runs its connections in WAL mode; it switches the file back on open.
        part.chmod(0o600)
        if os.geteuid() == 0:
            os.chown(part, stat.st_uid, stat.st_gid)
        # A stale -wal beside the new file would be replayed into it: remove it first.
        for extra in ("-wal", "-shm", "-journal"):
            Path(f"{db_path}{extra}").unlink(missing_ok=True)
        os.replace(part, db_path)
        _fsync_path(db_path.parent, directory=True)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return summary, safety
