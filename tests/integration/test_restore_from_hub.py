"""A kiosk that lost its disk gets its events back from the hub: a real hub process and
real kiosk processes (`serve`), `python -m kiosk restore --from-hub`.

After a restore from an old backup, or from nothing, every event the hub acknowledged is
back in the kiosk's log, the kiosk takes new taps, and the hub sees no fork, no gap, and
the same figures it had."""

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone

import pytest

from kiosk.store import backup as kbackup
from kiosk.store import db as kdb
from kiosk.store import hold
from kiosk.store.eventlog import EventLog
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.fake_log import fill_log
from tests.helpers.hub import Citizen, hub_config, kiosk_api, kiosk_config, kiosk_head, register, same_figures
from tests.helpers.pages import page_text
from tests.helpers.paths import ROOT
from tests.helpers.servers import wait_until

pytestmark = pytest.mark.slow


def restore_from_hub(kiosk, token):
    """`python -m kiosk restore --from-hub` on a kiosk's data directory and settings."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "restore",
            "--from-hub",
            "--data-dir",
            str(kiosk.data_dir),
            "--config",
            str(kiosk.config_file),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **TEST_SECRETS, "KIOSK_HUB_TOKEN": token},
    )


def chain_rows(data_dir):
    """Every (seq, hash) of a kiosk's log, and whether its chain verifies."""
    database = kdb.connect(data_dir / kdb.DB_FILENAME)
    try:
        log = EventLog(database, "any")
        return [(e.seq, e.hash) for e in log.events_since(0, 10000)], log.verify_chain()
    finally:
        database.conn.close()


def tap_status(kiosk, level=5):
    """The HTTP status and page of a tap on a face (a refused tap is not a 200), as from a
    screen drawn before the kiosk was held (a held kiosk draws no faces)."""
    citizen = Citizen(kiosk.url)
    html = citizen.opener.open(kiosk.url + "/eit", timeout=10).read().decode()
    form_id = re.search(r'name="form_id" value="([0-9a-f]{32})"', html).group(1)
    body = urllib.parse.urlencode({"level": str(level), "form_id": form_id}).encode()
    request = urllib.request.Request(
        kiosk.url + "/satisfaction", data=body, headers={"X-CSRFToken": citizen.csrf, "HX-Request": "true"}
    )
    try:
        with citizen.opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:  # an HTTPError holds the connection open until closed
            return error.code, error.read().decode()


def wipe(data_dir):
    """The disk died: the kiosk's database is gone (settings and secrets come back from /etc)."""
    for suffix in ("", "-wal", "-shm"):
        (data_dir / f"{kdb.DB_FILENAME}{suffix}").unlink(missing_ok=True)


def the_hub_saw_no_fork(hub, name, head):
    state = hub.kiosk_state(name)
    assert state["acked"] == state["verified"] == head, state
    assert state["fork_at"] is None and state["broken_at"] is None and state["missing"] == 0, state
    assert state["chain_ok"], state


def test_a_kiosk_restored_from_an_old_backup_gets_every_acknowledged_event_back(tmp_path, hub_factory, start_kiosk):
    hub = hub_factory(config_file=hub_config(tmp_path))
    token = register(hub.data_dir, "changhan-1", "changhan")
    kiosk = start_kiosk(kiosk_config(hub.url, "changhan-1", "changhan"), env={"KIOSK_HUB_TOKEN": token})
    citizen = Citizen(kiosk.url)
    for level in (5, 4, 5):
        citizen.rate(level)
    citizen.refer("traffic")
    wait_until(lambda: hub.kiosk_state("changhan-1")["acked"] == 4, 45, message="the first taps on the hub")
    old_backup = kbackup.backup(kiosk.data_dir / kdb.DB_FILENAME, tmp_path / "backups")
    for level in (1, 3, 5, 2):
        citizen.rate(level)
    citizen.refer("investigation")
    wait_until(lambda: hub.kiosk_state("changhan-1")["acked"] == 9, 45, message="the later taps on the hub")
    before_rows, _ok = chain_rows(kiosk.data_dir)
    hub_figures = hub.api("/api/v1/tallies?kiosk=changhan-1")

    # The kiosk's disk is restored from the backup taken before the last five taps.
    kiosk.stop()
    kbackup.restore(old_backup, kiosk.data_dir / kdb.DB_FILENAME, kiosk_url=None)
    assert kiosk_head(kiosk.data_dir) == 4
    kiosk = start_kiosk.restart(kiosk)
    # At start it notices the hub holds more of its log, and takes no tap that would fork it.
    with urllib.request.urlopen(kiosk.url + "/home", timeout=10) as response:
        home = page_text(response.read().decode())
    assert "ขณะนี้ตู้บริการยังรับคำตอบไม่ได้ ต้องกู้ข้อมูลคืนจากศูนย์กลางก่อน" in home
    assert "This kiosk cannot take answers right now: its records must first be brought back from the hub." in home
    assert 'name="level"' not in home
    status, page = tap_status(kiosk)
    assert status == 423 and "ต้องกู้ข้อมูลคืนจากศูนย์กลางก่อน" in page_text(page) and "brought back from the hub" in page
    assert kiosk_head(kiosk.data_dir) == 4

    result = restore_from_hub(kiosk, token)
    assert result.returncode == 0, result.stderr
    assert "this log ends at seq 4" in result.stdout
    assert "Restored 5 events (seq 5 to 9)" in result.stdout
    assert "comment texts are never sent to the hub, so they are lost" in result.stdout
    rows, verified = chain_rows(kiosk.data_dir)
    assert rows == before_rows and verified == (True, None)  # every event, byte for byte
    same_figures(kiosk_api(kiosk, "/api/v1/tallies"), hub_figures)

    # Taps again; the sync goes on from seq 9: nothing sent twice, no fork, no gap.
    assert tap_status(kiosk, 4)[0] == 200
    citizen = Citizen(kiosk.url)
    citizen.rate(5)
    citizen.refer("administration")
    wait_until(lambda: hub.kiosk_state("changhan-1")["acked"] == 12, 45, message="the new taps on the hub")
    the_hub_saw_no_fork(hub, "changhan-1", 12)
    same_figures(kiosk_api(kiosk, "/api/v1/tallies"), hub.api("/api/v1/tallies?kiosk=changhan-1"))


def test_a_kiosk_whose_disk_died_gets_everything_back_from_nothing(tmp_path, hub_factory, start_kiosk):
    hub = hub_factory(config_file=hub_config(tmp_path))
    token = register(hub.data_dir, "changhan-2", "changhan")
    config = kiosk_config(hub.url, "changhan-2", "changhan", batch_size=500)
    kiosk = start_kiosk(config, env={"KIOSK_HUB_TOKEN": token})
    kiosk.stop()
    # Months of answers (more than two pages of the hub's answer), comments among them.
    head = fill_log(
        kiosk.data_dir / kdb.DB_FILENAME,
        "changhan-2",
        1234,
        datetime(2025, 3, 1, tzinfo=timezone.utc).timestamp(),
        60 * 86400,
        comments=True,
    )
    kiosk = start_kiosk.restart(kiosk)
    wait_until(lambda: hub.kiosk_state("changhan-2")["acked"] == head, 30, message="the log on the hub")
    before_rows, _ok = chain_rows(kiosk.data_dir)
    database = kdb.connect(kiosk.data_dir / kdb.DB_FILENAME)
    (with_comments,) = database.execute(
        "SELECT count(*) FROM events WHERE kind = 'amend' AND json_extract(payload, '$.has_comment')"
    ).fetchone()
    database.conn.close()
    assert with_comments > 0
    hub_figures = hub.api("/api/v1/tallies?kiosk=changhan-2")

    kiosk.stop()
    wipe(kiosk.data_dir)
    kiosk = start_kiosk.restart(kiosk)
    assert kiosk_head(kiosk.data_dir) == 0
    assert tap_status(kiosk)[0] == 423
    # The sync does not make it worse meanwhile: nothing is stored or forked on the hub.
    the_hub_saw_no_fork(hub, "changhan-2", head)

    result = restore_from_hub(kiosk, token)
    assert result.returncode == 0, result.stderr
    assert f"Restored {head} events (seq 1 to {head})" in result.stdout
    assert result.stdout.count("appended seq") == 3  # 500 + 500 + 234: paged
    assert f"Comments: {with_comments} of the restored answers had a comment" in result.stdout
    rows, verified = chain_rows(kiosk.data_dir)
    assert rows == before_rows and verified == (True, None)
    same_figures(kiosk_api(kiosk, "/api/v1/tallies"), hub_figures)

    # A second restore finds nothing more to do.
    again = restore_from_hub(kiosk, token)
    assert again.returncode == 0 and "Nothing to restore" in again.stdout

    citizen = Citizen(kiosk.url)
    citizen.rate(5)
    citizen.refer("traffic")
    wait_until(lambda: hub.kiosk_state("changhan-2")["acked"] == head + 2, 45, message="the new taps on the hub")
    the_hub_saw_no_fork(hub, "changhan-2", head + 2)
    same_figures(kiosk_api(kiosk, "/api/v1/tallies"), hub.api("/api/v1/tallies?kiosk=changhan-2"))


def held_state(kiosk):
    """The hold a live kiosk keeps in its database (None when it takes taps)."""
    database = kdb.connect(kiosk.data_dir / kdb.DB_FILENAME)
    try:
        return hold.current(database)
    finally:
        database.conn.close()


def test_a_kiosk_started_while_the_hub_was_down_is_held_at_its_first_sync(tmp_path, hub_factory, start_kiosk):
    hub = hub_factory(config_file=hub_config(tmp_path))
    token = register(hub.data_dir, "changhan-3", "changhan")
    kiosk = start_kiosk(kiosk_config(hub.url, "changhan-3", "changhan"), env={"KIOSK_HUB_TOKEN": token})
    citizen = Citizen(kiosk.url)
    for level in (5, 3):
        citizen.rate(level)
    wait_until(lambda: hub.kiosk_state("changhan-3")["acked"] == 2, 45, message="the taps on the hub")
    kiosk.stop()
    hub.stop()
    wipe(kiosk.data_dir)
    kiosk = start_kiosk.restart(kiosk)  # the start check cannot reach the hub: taps are taken
    assert held_state(kiosk) is None
    hub.start()
    held = wait_until(lambda: held_state(kiosk), 45, message="the first sync to hold the kiosk")
    assert held["hub_acked"] == 2 and held["local_head"] == 0
    assert tap_status(kiosk)[0] == 423
    result = restore_from_hub(kiosk, token)
    assert result.returncode == 0 and "Restored 2 events (seq 1 to 2)" in result.stdout, result.stderr
    assert held_state(kiosk) is None
    Citizen(kiosk.url).rate(4)
    wait_until(lambda: hub.kiosk_state("changhan-3")["acked"] == 3, 45, message="the new tap on the hub")
    the_hub_saw_no_fork(hub, "changhan-3", 3)


def test_a_kiosk_token_cannot_fetch_another_kiosks_events_from_the_real_hub(tmp_path, hub_factory):
    hub = hub_factory(config_file=hub_config(tmp_path))
    tokens = {name: register(hub.data_dir, name, "changhan") for name in ("k1", "k2")}
    head = fill_log(tmp_path / "k2.db", "k2", 30, datetime(2025, 3, 1, tzinfo=timezone.utc).timestamp(), 86400)
    database = kdb.connect(tmp_path / "k2.db")
    rows = [e.as_row() for e in EventLog(database, "k2").events_since(0, 100)]
    database.conn.close()
    body = json.dumps({"protocol": 1, "kiosk": {"id": "k2", "head": head}, "events": rows}).encode()
    request = urllib.request.Request(
        hub.url + "/api/v1/sync",
        data=body,
        headers={"Authorization": f"Bearer {tokens['k2']}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.load(answer)["acked"] == head

    def fetch(token, query):
        request = urllib.request.Request(
            hub.url + "/api/v1/events" + query, headers={"Authorization": f"Bearer {token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, json.load(answer)
        except urllib.error.HTTPError as error:
            with error:  # an HTTPError holds the connection open until closed
                return error.code, json.load(error)

    status, own = fetch(tokens["k1"], "?after=0")
    assert status == 200 and own["kiosk"] == "k1" and own["events"] == [] and own["acked"] == 0
    status, refused = fetch(tokens["k1"], "?kiosk=k2&after=0")
    assert status == 403 and "only its own events" in refused["error"] and "events" not in refused
    status, theirs = fetch(tokens["k2"], "?after=0")
    assert status == 200 and theirs["events"] == rows
    status, bad = fetch(tokens["k2"], "?after=-3&limit=99999999")
    assert status == 400 and bad["field"] == "after"


def test_the_command_says_clearly_when_no_hub_is_set(tmp_path):
    data = tmp_path / "kiosk"
    data.mkdir()
    config = tmp_path / "kiosk.toml"
    config.write_text('[station]\ncode = "changhan"\ndemo = false\n', encoding="utf-8")
    result = restore_from_hub(LiveKioskStub(data, config), "")
    assert result.returncode == 2 and "No hub is set" in result.stderr


class LiveKioskStub:
    """The two paths restore_from_hub() reads of a kiosk, without starting one."""

    def __init__(self, data_dir, config_file):
        self.data_dir, self.config_file = data_dir, config_file
