"""A kiosk offline for four weeks catches up in one `python -m kiosk sync`, in bounded memory.

Four weeks of a busy counter: 40,000 events (about 1,400 a day), written fast with
synchronous=OFF while filling. One `kiosk sync` sends them all in batches of 500; its peak
RSS (os.wait4) must not grow with the backlog: it is compared with the same command run
again with nothing to send."""

import os
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.fake_log import fill_log
from tests.helpers.hub import hub_config, register, same_figures
from tests.helpers.paths import ROOT

N_EVENTS = 40_000
MAX_GROWTH_MB = 25


def run_sync(data_dir, env):
    """`python -m kiosk sync`; returns (exit code, output, peak RSS in MB, seconds)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--data-dir", str(data_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **TEST_SECRETS, **env},
    )
    output = process.stdout.read().decode()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    return process.returncode, output, usage.ru_maxrss / 1024, time.perf_counter() - started


@pytest.mark.slow
def test_four_weeks_offline_catch_up_in_one_sync_in_bounded_memory(tmp_path, hub_factory):
    hub = hub_factory(config_file=hub_config(tmp_path))
    token = register(hub.data_dir, "k1", "changhan")
    data = tmp_path / "kiosk"
    data.mkdir()
    start = datetime.now(timezone.utc) - timedelta(days=28)
    head = fill_log(data / "kiosk.db", "kiosk-1", N_EVENTS, start.timestamp(), 28 * 86400 - 3600, seed=28)
    env = {"KIOSK_HUB_URL": hub.url, "KIOSK_HUB_TOKEN": token}

    code, output, peak_mb, seconds = run_sync(data, env)
    assert code == 0, output
    assert f"Sent {head} events in " in output and f"up to seq {head} of {head}" in output
    batches = len(re.findall(r"^  sent seq ", output, re.M))
    assert batches == -(-head // 500)
    idle_code, idle_output, idle_mb, _ = run_sync(data, env)
    assert idle_code == 0 and "nothing new to send" in idle_output
    print(
        f"\n4 weeks offline: {head} events in {batches} batches, {seconds:.1f} s "
        f"({head / seconds:.0f} events/s); peak RSS {peak_mb:.0f} MB, with nothing to send {idle_mb:.0f} MB"
    )
    assert peak_mb - idle_mb < MAX_GROWTH_MB, (peak_mb, idle_mb)

    from kiosk.reports.tallies import tallies
    from kiosk.store import db as kdb

    database = kdb.connect(data / "kiosk.db")
    try:
        hub_figures = hub.api("/api/v1/tallies?kiosk=k1")
        same_figures(tallies(database, quota=hub_figures["eit"]["quota"]), hub_figures)
    finally:
        database.conn.close()
    state = hub.kiosk_state("k1")
    assert state["acked"] == state["verified"] == head and state["chain_ok"]
