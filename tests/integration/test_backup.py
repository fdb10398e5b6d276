"""Online backups, retention, restore, and the backup before a migration (kiosk/backup.py)."""

import os
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from kiosk.cli.backup import backup_command, restore_command
from kiosk.store import backup as kbackup
from kiosk.store import db as kdb
from kiosk.store import migrations
from kiosk.store.eventlog import EventLog

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)


def make_db(path, events=0):
    db = kdb.connect(path)
    migrations.migrate(db)
    log = EventLog(db, "kiosk-1")
    for _ in range(events):
        log.record_referral("traffic")
    return db, log


def event_ids(path):
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT id FROM events ORDER BY seq")]
    finally:
        conn.close()


@pytest.mark.slow
def test_backup_while_the_kiosk_writes_restores_every_acknowledged_event(tmp_path):
    live = tmp_path / "data" / "kiosk.db"
    live.parent.mkdir()
    db, log = make_db(live)
    # Some bulk, so that the copy takes a while and the writer really runs beside it.
    with kdb.write_lock:
        db.conn.execute("CREATE TABLE filler (b BLOB)")
        db.conn.executemany("INSERT INTO filler VALUES (?)", [(os.urandom(4096),) for _ in range(1500)])

    acked, errors, stop = [], [], threading.Event()

    def writer():
        conn = kdb.connect(live)  # a connection of its own, as a waitress thread has
        writer_log = EventLog(conn, "kiosk-1")
        n = 0
        try:
            while not stop.is_set():
                acked.append(writer_log.record_referral("traffic").id)  # returned: on disk
                n += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            conn.conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while len(acked) < 30 and time.monotonic() < deadline:
            time.sleep(0.01)
        acked_before = list(acked)  # every event acknowledged before the backup starts
        path = kbackup.backup(live, tmp_path / "backups", now=NOW)
        during = len(acked)
        deadline = time.monotonic() + 10
        while len(acked) < during + 20 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert not errors, errors
    assert len(acked_before) >= 30 and len(acked) >= during + 20, "the writer did not keep writing"
    assert path.name == "kiosk-20261124-030000.db"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert not list(path.parent.glob(".part-*")), "a temporary file was left behind"
    # Self-contained: no -wal or -shm beside it, journal mode DELETE.
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]

    target = tmp_path / "restored" / "kiosk.db"
    summary, safety = kbackup.restore(path, target, kiosk_url=None)
    assert safety is None  # nothing was there to keep
    restored = event_ids(target)
    assert set(acked_before) <= set(restored)
    assert restored == acked[: len(restored)], "the restore is not a prefix of the acknowledged events"
    assert summary["events"] == len(restored)
    conn = kdb.connect(target)
    try:
        assert EventLog(conn, "kiosk-1").verify_chain() == (True, None)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert migrations.schema_version(conn) == len(migrations.MIGRATIONS)
        # The kiosk can go on where the backup ends: the chain continues.
        EventLog(conn, "kiosk-1").record_referral("traffic")
        assert EventLog(conn, "kiosk-1").verify_chain() == (True, None)
    finally:
        conn.conn.close()


def test_retention_by_the_date_in_the_name_keeps_the_newest_three(tmp_path):
    live = tmp_path / "kiosk.db"
    make_db(live, events=3)[0].conn.close()
    backups = tmp_path / "backups"
    for days in (30, 20, 15, 13, 1):
        kbackup.backup(live, backups, keep_days=14, now=NOW - timedelta(days=days), prune_old=False)
    (backups / "notes.txt").write_text("not a backup, never deleted")
    newest = kbackup.backup(live, backups, keep_days=14, now=NOW)
    names = sorted(p.name for p in backups.iterdir())
    assert names == [
        "kiosk-20261111-030000.db",  # 13 days old
        "kiosk-20261123-030000.db",
        newest.name,
        "notes.txt",
    ]
    # A clock that jumps years ahead (a Raspberry Pi without a clock battery) keeps 3.
    kbackup.backup(live, backups, keep_days=14, now=NOW + timedelta(days=3650))
    assert len(kbackup.list_backups(backups)) == 3
    # Two backups in the same second get different names.
    again = kbackup.backup(live, backups, now=NOW + timedelta(days=3650))
    assert again.name.endswith("-2.db") and kbackup.backup_time(again) is not None


def test_backup_before_migration_only_when_the_schema_is_behind(tmp_path):
    live = tmp_path / "kiosk.db"
    backups = tmp_path / "backups"
    assert kbackup.backup_before_migration(live, backups) is None  # no database yet
    db, _log = make_db(live, events=5)
    assert kbackup.backup_before_migration(live, backups) is None  # up to date
    behind = len(migrations.MIGRATIONS) - 1
    # As if the last step had not run yet.
    db.conn.execute(
        "DELETE FROM _sqlite_migrations WHERE migration_set = 'kiosk' AND name = ?",
        [migrations.MIGRATIONS[-1].__name__],
    )
    db.conn.execute(f"PRAGMA user_version = {behind}")
    db.conn.close()
    taken = kbackup.backup_before_migration(live, backups)
    assert taken.name.endswith(f"-before-migration-v{behind}.db")
    conn = sqlite3.connect(taken)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == behind
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 5
    conn.close()
    # Asked again for the same state (the installer, then the app's start): the same file.
    assert kbackup.backup_before_migration(live, backups) == taken
    assert len(kbackup.list_backups(backups)) == 1
    # Once the database changed, a new one.
    db = kdb.connect(live)
    EventLog(db, "kiosk-1").record_referral("traffic")
    db.conn.close()
    again = kbackup.backup_before_migration(live, backups)
    assert again != taken and again.name.endswith(f"-before-migration-v{behind}.db")
    assert sqlite3.connect(again).execute("SELECT count(*) FROM events").fetchone()[0] == 6
    # Then the migration brings it forward; the next call has nothing to do.
    db = kdb.connect(live)
    assert migrations.migrate(db) == len(migrations.MIGRATIONS)
    db.conn.close()
    assert kbackup.backup_before_migration(live, backups) is None
    assert len(kbackup.list_backups(backups)) == 2


def test_restore_refuses_while_the_database_is_open(tmp_path):
    live = tmp_path / "kiosk.db"
    db, _log = make_db(live, events=2)
    path = kbackup.backup(live, tmp_path / "backups")
    with pytest.raises(kbackup.KioskRunning, match="stop it first"):
        kbackup.restore(path, live, kiosk_url=None)
    db.conn.close()
    kbackup.restore(path, live, kiosk_url=None)


@pytest.mark.slow
def test_restore_refuses_while_the_kiosk_answers_for_this_database(start_kiosk):
    kiosk = start_kiosk()
    live = kiosk.data_dir / "kiosk.db"
    path = kbackup.backup(live)
    # The server has no connection open between requests; /healthz tells it is there.
    with pytest.raises(kbackup.KioskRunning, match="is running"):
        kbackup.restore(path, live, kiosk_url=kiosk.url)
    # Another kiosk's database: not this server's business.
    other = kiosk.data_dir.parent / "elsewhere" / "kiosk.db"
    kbackup.restore(path, other, kiosk_url=kiosk.url)
    assert event_ids(other) == event_ids(path)


def test_restore_checks_the_backup_first(tmp_path):
    live = tmp_path / "kiosk.db"
    db, _log = make_db(live, events=4)
    db.conn.close()
    backups = tmp_path / "backups"
    good = kbackup.backup(live, backups)

    garbage = backups / "kiosk-20260101-000000.db"
    garbage.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    with pytest.raises(kbackup.BackupError):
        kbackup.restore(garbage, live, kiosk_url=None)

    newer = tmp_path / "newer.db"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {len(migrations.MIGRATIONS) + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(kbackup.BackupError, match="newer kiosk"):
        kbackup.restore(newer, live, kiosk_url=None)

    tampered = tmp_path / "tampered.db"
    tampered.write_bytes(good.read_bytes())
    conn = sqlite3.connect(tampered)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("""UPDATE events SET payload = '{"n":99}' WHERE seq = 2""")
    conn.commit()
    conn.close()
    with pytest.raises(kbackup.BackupError, match="chain breaks at seq 2"):
        kbackup.restore(tampered, live, kiosk_url=None)

    assert event_ids(live) == event_ids(good)  # nothing was touched


def test_restore_replaces_the_file_and_drops_the_old_wal(tmp_path):
    live = tmp_path / "kiosk.db"
    db, log = make_db(live, events=3)
    db.conn.close()
    backups = tmp_path / "backups"
    path = kbackup.backup(live, backups)
    # Later events, some of them still only in the -wal when the kiosk stopped.
    db = kdb.connect(live)
    db.conn.execute("PRAGMA wal_autocheckpoint = 0")
    for _ in range(5):
        EventLog(db, "kiosk-1").record_referral("traffic")
    stale_wal = live.read_bytes(), (tmp_path / "kiosk.db-wal").read_bytes()
    db.conn.close()
    live.write_bytes(stale_wal[0])
    (tmp_path / "kiosk.db-wal").write_bytes(stale_wal[1])
    assert len(event_ids(live)) == 8

    summary, safety = kbackup.restore(path, live, backup_dir=backups, kiosk_url=None)
    assert summary["events"] == 3
    assert len(event_ids(live)) == 3  # the old -wal was not replayed into the backup
    assert len(event_ids(safety)) == 8  # and what was there is kept aside
    assert safety.name.endswith("-before-restore.db")
    assert oct(live.stat().st_mode & 0o777) == "0o600"


def test_cli_backup_list_and_restore(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    make_db(data / "kiosk.db", events=2)[0].conn.close()
    runner = CliRunner()

    result = runner.invoke(backup_command, ["--data-dir", str(data), "--keep-days", "7"])
    assert result.exit_code == 0, result.output
    assert "Backup written:" in result.output and "backups/kiosk-" in result.output

    result = runner.invoke(backup_command, ["--data-dir", str(data), "--list"])
    assert result.exit_code == 0 and result.output.startswith("kiosk-")

    result = runner.invoke(restore_command, ["--data-dir", str(data)])
    assert "Restore one with" in result.output and result.exit_code == 0

    db, _log = make_db(data / "kiosk.db", events=1)  # a third event after the backup
    db.conn.close()
    result = runner.invoke(restore_command, ["--data-dir", str(data), "latest"], input="n\n")
    assert result.exit_code == 1 and "Nothing changed" in result.output
    assert len(event_ids(data / "kiosk.db")) == 3

    result = runner.invoke(restore_command, ["--data-dir", str(data), "latest", "--kiosk-url", ""], input="y\n")
    assert result.exit_code == 0, result.output
    assert "2 events, checks passed" in result.output and "kept as" in result.output
    assert len(event_ids(data / "kiosk.db")) == 2

    result = runner.invoke(restore_command, ["--data-dir", str(data), "no-such-backup.db", "--yes"])
    assert result.exit_code == 1 and "no such backup file" in result.output

    result = runner.invoke(backup_command, ["--data-dir", str(tmp_path / "empty")])
    assert result.exit_code == 1 and "no database to back up" in result.output
