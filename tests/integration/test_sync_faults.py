"""A real kiosk and a real hub on loopback with a fault-injecting proxy between them:
drops, delays, duplicates, reordering, cuts mid-body and mid-answer, a hub restart, a kiosk
SIGKILLed mid-sync. When the faults stop, the hub's figures equal the kiosk's, exactly.

Each test takes a few seconds; run them several times (README shows the loop)."""

import random
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.helpers.fake_log import fill_log
from tests.helpers.fault_proxy import FaultProxy, random_plan
from tests.helpers.hub import Citizen, hub_config, kiosk_api, kiosk_config, kiosk_head, register, same_figures
from tests.helpers.servers import wait_until

pytestmark = pytest.mark.slow


def _converged(hub, kiosk, name):
    state = hub.kiosk_state(name)
    return state["acked"] == kiosk_head(kiosk.data_dir) and state["waiting"] == 0 and state


def _compare(hub, kiosk, name, day):
    same_figures(kiosk_api(kiosk, "/api/v1/tallies"), hub.api(f"/api/v1/tallies?kiosk={name}"))
    window = f"?from={(day - timedelta(days=2)).isoformat()}&to={day.isoformat()}"
    same_figures(kiosk_api(kiosk, "/api/v1/tallies" + window), hub.api(f"/api/v1/tallies{window}&kiosk={name}"))


@pytest.mark.parametrize("seed", [1, 2])
def test_message_faults_and_a_hub_restart_leave_the_figures_equal(tmp_path, start_kiosk, hub_factory, seed):
    hub = hub_factory(config_file=hub_config(tmp_path))
    token = register(hub.data_dir, "k1", "changhan")
    proxy = FaultProxy(hub.port, plan=random_plan(seed, 18), delay=1.0)
    # A backlog from the last three days, written before the kiosk starts.
    now = datetime.now(timezone.utc)
    data = tmp_path / "kiosk-backlog"
    data.mkdir()
    fill_log(data / "kiosk.db", "k1", 250, (now - timedelta(days=3)).timestamp(), 3 * 86400 - 600, seed=seed)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        kiosk_config(proxy.url, "k1", "changhan", batch_size=7, interval=0.05, retry_max=0.15, timeout=0.8),
        encoding="utf-8",
    )
    kiosk = start_kiosk.restart(
        type("K", (), {"data_dir": data, "config_file": config, "env": {"KIOSK_HUB_TOKEN": token}})()
    )
    try:
        citizen = Citizen(kiosk.url)
        rnd = random.Random(seed)
        taps = []
        for i in range(12):
            taps.append(
                citizen.rate(rnd.choice((5, 4, 3, 2, 1)))
                if i % 3
                else citizen.refer(rnd.choice(("traffic", "administration")))
            )
            if i == 6:
                hub.restart(hard=True)  # SIGKILL and start again, mid-stream
            time.sleep(0.05)
        assert max(taps) < 1.0, taps  # a tap never waits for the hub or the proxy
        wait_until(lambda: proxy.faults_left == 0, 30, message="the faults to be played")
        wait_until(lambda: _converged(hub, kiosk, "k1"), 30, message="the hub to catch up")
        proxy.flush()  # late copies of old batches arrive after everything: nothing changes
        wait_until(lambda: proxy.idle, 10, message="the late copies to arrive")
        state = _converged(hub, kiosk, "k1")
        assert state and state["chain_ok"] and state["verified"] == state["acked"] and state["missing"] == 0
        _compare(hub, kiosk, "k1", now.date())
        played = {fault for fault, _outcome in proxy.seen}
        assert {"drop", "duplicate", "reorder", "cut_body"} & played
    finally:
        proxy.close()


def test_a_kiosk_killed_mid_sync_catches_up_exactly(tmp_path, start_kiosk, hub_factory):
    hub = hub_factory(config_file=hub_config(tmp_path))
    token = register(hub.data_dir, "k1", "changhan")
    now = datetime.now(timezone.utc)
    data = tmp_path / "kiosk-killed"
    data.mkdir()
    fill_log(data / "kiosk.db", "k1", 200, (now - timedelta(days=2)).timestamp(), 2 * 86400 - 600, seed=5)
    config = tmp_path / "kiosk.toml"
    holder = {}
    killed = threading.Event()

    def kill_kiosk():
        wait_until(lambda: "kiosk" in holder, 20, message="the kiosk to start")
        holder["kiosk"].process.kill()  # SIGKILL while its batch is on the hub, unanswered
        holder["kiosk"].process.wait()
        killed.set()

    proxy = FaultProxy(hub.port, plan=["pass", "pass", "kill_kiosk", "duplicate", "drop_response"], on_kill=kill_kiosk)
    config.write_text(kiosk_config(proxy.url, "k1", "changhan", batch_size=9), encoding="utf-8")
    spec = type("K", (), {"data_dir": data, "config_file": config, "env": {"KIOSK_HUB_TOKEN": token}})()
    try:
        holder["kiosk"] = start_kiosk.restart(spec)
        assert killed.wait(20), "the kiosk was not killed mid-sync"
        before = hub.kiosk_state("k1")
        assert 0 < before["acked"] < kiosk_head(data)
        kiosk = start_kiosk.restart(spec)  # the same data directory, a new process
        Citizen(kiosk.url).rate(5)
        wait_until(lambda: _converged(hub, kiosk, "k1"), 30, message="the hub to catch up")
        state = _converged(hub, kiosk, "k1")
        assert state["chain_ok"] and state["verified"] == state["acked"]
        _compare(hub, kiosk, "k1", now.date())
    finally:
        proxy.close()
