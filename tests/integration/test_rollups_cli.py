"""`python -m kiosk rollups rebuild [--check]` says whether the rollups match the events,
and mends them; the same under `hub`."""

import subprocess
import sys

from kiosk.store import db as kdb
from kiosk.store import migrations
from kiosk.store.db import write_transaction
from kiosk.store.eventlog import EventLog
from tests.helpers.paths import ROOT


def kiosk_cli(*args, data_dir):
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_the_check_finds_drifted_rollups_and_the_rebuild_mends_them(tmp_path):
    db = kdb.connect(tmp_path / "kiosk.db")
    migrations.migrate(db)
    log = EventLog(db, "kiosk-1")
    log.record_rating(4)
    log.record_referral("traffic")
    assert "match the 2 events" in kiosk_cli("rollups", "rebuild", "--check", data_dir=tmp_path).stdout
    with write_transaction(db.conn) as conn:
        conn.execute("UPDATE rollup_month SET r4 = 9")
    db.conn.close()
    drifted = kiosk_cli("rollups", "rebuild", "--check", data_dir=tmp_path)
    assert drifted.returncode == 1 and "did NOT match the 2 events" in drifted.stderr and "'r4': 9" in drifted.stderr
    mended = kiosk_cli("rollups", "rebuild", data_dir=tmp_path)
    assert mended.returncode == 0 and "rebuilt from the events now" in mended.stderr
    assert kiosk_cli("rollups", "rebuild", "--check", data_dir=tmp_path).returncode == 0


def test_the_hub_has_the_same_command(tmp_path):
    result = kiosk_cli("hub", "rollups", "rebuild", "--check", data_dir=tmp_path / "hub")
    assert result.returncode == 0 and "match the 0 events" in result.stdout
