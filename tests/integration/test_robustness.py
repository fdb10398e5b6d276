"""What a counter throws at the kiosk: crowds, crashes, a full disk, a read-only database."""

import concurrent.futures
import http.client
import http.cookiejar
import json
import os
import random
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from kiosk.store import db as kdb
from kiosk.store.eventlog import EventLog
from tests.helpers.citizen import Browser
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.servers import LiveKiosk

FAST = "[feedback]\nrepeat_window_seconds = 0\nburst_max_per_minute = 100000\n"
IS_ROOT = os.geteuid() == 0


def tallies(base):
    request = urllib.request.Request(
        base + "/api/v1/tallies", headers={"Authorization": "Bearer " + TEST_SECRETS["KIOSK_API_TOKEN"]}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def config_file(tmp_path, text=FAST):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.serial
def test_fifty_concurrent_clients_lose_nothing(tmp_path):
    """Fifty phones tapping at once for a few seconds: every acknowledged tap is counted.
    (How fast they are served is a figure of `make bench`: tests/bench/bench_crowd.py.)"""
    kiosk = LiveKiosk(tmp_path / "data", config_file(tmp_path))
    try:
        browsers = [Browser(kiosk.url) for _ in range(50)]
        deadline = time.monotonic() + 8

        def client(browser):
            acknowledged = 0
            while time.monotonic() < deadline:
                status, _ = browser.tap(random.randint(1, 5))
                assert status == 200, status
                acknowledged += 1
            return acknowledged

        with concurrent.futures.ThreadPoolExecutor(50) as pool:
            acknowledged = sum(pool.map(client, browsers))
        assert acknowledged > 100
        assert tallies(kiosk.url)["satisfaction"]["raw"]["total"] == acknowledged
    finally:
        kiosk.stop()


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_answer(tmp_path):
    data = tmp_path / "data"
    config = config_file(tmp_path)
    acknowledged = 0
    rng = random.Random(20)
    for _ in range(20):
        kiosk = LiveKiosk(data, config)
        browser = Browser(kiosk.url)
        stop_at = time.monotonic() + rng.uniform(0.05, 0.4)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:

            def tapping(browser):
                count = 0
                while True:
                    try:
                        status, _ = browser.tap()
                    except (OSError, http.client.HTTPException):
                        return count  # the server died under this tap: not acknowledged
                    if status != 200:
                        return count
                    count += 1

            future = pool.submit(tapping, browser)
            time.sleep(max(0, stop_at - time.monotonic()))
            kiosk.process.send_signal(signal.SIGKILL)
            kiosk.process.wait()
            acknowledged += future.result()
    database = kdb.connect(data / "kiosk.db")
    log = EventLog(database, "kiosk-1")
    stored = database.execute("SELECT count(*) FROM events WHERE kind = 'rating'").fetchone()[0]
    assert log.verify_chain() == (True, None)
    assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Every acknowledged answer is there; at most one tap per kill was stored but never acknowledged.
    assert acknowledged <= stored <= acknowledged + 20
    assert acknowledged > 20


@pytest.fixture
def small_disk(tmp_path):
    if not IS_ROOT:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(directory):
    """Fill the filesystem to the last byte; returns the filler file."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def test_disk_full_says_so_and_recovers_without_a_restart(tmp_path, small_disk):
    kiosk = LiveKiosk(small_disk / "data", config_file(tmp_path))
    try:
        browser = Browser(kiosk.url)
        assert browser.tap()[0] == 200
        filler = fill(small_disk)
        status, page = browser.tap()
        assert status == 503
        assert "บันทึกคำตอบไม่ได้" in page and "cannot save answers" in page
        assert "บันทึกความพึงพอใจของท่านแล้ว" not in page
        filler.unlink()
        assert browser.tap()[0] == 200
        assert tallies(kiosk.url)["satisfaction"]["raw"]["total"] == 2
    finally:
        kiosk.stop()


@pytest.mark.slow
def test_read_only_database_says_so_and_recovers_without_a_restart(tmp_path):
    # Under /tmp, not tmp_path: the unprivileged server must be able to reach it.
    shared = Path(f"/tmp/kiosk-ro-{uuid.uuid4().hex[:8]}")
    shared.mkdir(mode=0o777)
    try:
        data = shared / "data"
        # Made by an earlier run, then left read-only (a restore done by hand as root, say).
        kiosk = LiveKiosk(data, config_file(tmp_path))
        kiosk.stop()
        for path in [data, *data.rglob("*")]:
            os.chmod(path, 0o777 if path.is_dir() else 0o666)
        database = data / "kiosk.db"
        os.chmod(database, 0o444)
        as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if IS_ROOT else []
        kiosk = LiveKiosk(data, config_file(shared), wrap=as_user)
        try:
            browser = Browser(kiosk.url)
            status, page = browser.tap()
            assert status == 503 and "cannot save answers" in page
            os.chmod(database, 0o666)
            assert browser.tap()[0] == 200
            assert tallies(kiosk.url)["satisfaction"]["raw"]["total"] == 1
        finally:
            kiosk.stop()
    finally:
        shutil.rmtree(shared, ignore_errors=True)
