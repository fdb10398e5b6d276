"""The kiosk's side of the sync: settings, back-off, the duty panel, `python -m kiosk sync`,
and the new user's path (feedback with the hub stopped arrives once when it starts)."""

import os
import random
import re
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from kiosk.config.settings import SettingsError, load_settings
from kiosk.store import db as kdb
from kiosk.sync.client import REFUSED_DIR, SyncClient, SyncError, backoff, read_state
from kiosk.web.database import database_path
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.fake_log import fill_log
from tests.helpers.forms import post_form
from tests.helpers.hub import Citizen, hub_config, kiosk_api, kiosk_head, register, register_cli, same_figures
from tests.helpers.paths import ROOT
from tests.helpers.servers import free_port, wait_until


def settings_with(tmp_path, text, environ=None):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, environ=environ or {})


@pytest.mark.parametrize("url", ["http://hub.example.go.th/", "http://10.1.2.3:8090/"])
def test_plain_http_to_another_machine_is_refused_naming_the_key(tmp_path, url):
    with pytest.raises(SettingsError) as error:
        settings_with(tmp_path, f'[hub]\nurl = "{url}"\ntoken = "t"\n')
    assert "hub.url" in str(error.value) and "hub.allow_plain_http" in str(error.value)
    assert str(tmp_path / "kiosk.toml") in str(error.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8090/",
        "http://127.3.4.5/",
        "http://localhost:8090",
        "http://[::1]:8090/",
        "https://hub.example.go.th/kiosk-hub/",
    ],
)
def test_https_or_loopback_is_accepted(tmp_path, url):
    assert settings_with(tmp_path, f'[hub]\nurl = "{url}"\ntoken = "t"\n').hub.url == url


def test_plain_http_elsewhere_only_when_allowed(tmp_path):
    settings = settings_with(tmp_path, '[hub]\nurl = "http://10.1.2.3/"\ntoken = "t"\nallow_plain_http = true\n')
    assert settings.hub.allow_plain_http is True


@pytest.mark.parametrize(
    "text, message",
    [
        ('[hub]\nurl = "https://hub.example/"\n', "hub.token: needed when hub.url is set"),
        ('[hub]\nurl = "ftp://hub.example/"\ntoken = "t"\n', "hub.url: must be an https:// address"),
        ('[hub]\nurl = "https://hub.example/?token=abc"\ntoken = "t"\n', "hub.url: must not carry a query"),
        ("[hub]\nbatch_size = 5000\n", "hub.batch_size: must be from 1 to 1000"),
        ("[hub]\ninterval_seconds = 0\n", "hub.interval_seconds: must be more than 0"),
    ],
)
def test_bad_hub_settings_name_the_key(tmp_path, text, message):
    with pytest.raises(SettingsError) as error:
        settings_with(tmp_path, text)
    assert message in str(error.value)


def test_the_hub_address_and_token_may_come_from_the_environment():
    settings = load_settings(environ={"KIOSK_HUB_URL": "https://hub.example/", "KIOSK_HUB_TOKEN": "secret"})
    assert settings.hub.url == "https://hub.example/" and settings.hub.token == "secret"
    with pytest.raises(SettingsError) as error:
        load_settings(environ={"KIOSK_HUB_URL": "http://hub.example/", "KIOSK_HUB_TOKEN": "secret"})
    assert "hub.allow_plain_http" in str(error.value)
    assert load_settings(environ={}).hub.url == ""


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    rng = random.Random(7)
    for failures in range(1, 12):
        delay = min(300, 30 * 2**failures)
        waits = [backoff(failures, 30, 300, rng) for _ in range(200)]
        assert all(delay / 2 <= w <= delay for w in waits)
        assert len({round(w, 3) for w in waits}) > 150  # jittered: kiosks do not retry in step
    assert backoff(1000, 30, 300, rng) <= 300


def _hub_settings(url, token="t", **hub):
    settings = load_settings(environ={})
    return settings.model_copy(update={"hub": settings.hub.model_copy(update={"url": url, "token": token, **hub})})


def test_an_unreachable_hub_is_recorded_and_the_events_stay(tmp_path):
    path = tmp_path / "kiosk.db"
    head = fill_log(path, "kiosk-1", 20, datetime(2025, 3, 1, tzinfo=timezone.utc).timestamp(), 3600)
    db = kdb.connect(path)
    client = SyncClient(db, _hub_settings(f"http://127.0.0.1:{free_port()}/", timeout_seconds=2.0), tmp_path)
    with pytest.raises(SyncError) as error:
        client.push()
    assert error.value.kind == "network"
    state = read_state(db)
    assert state["failures"] == 1 and state["last_error_kind"] == "network" and "acked" not in state
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == head
    db.conn.close()


@pytest.mark.slow
def test_the_duty_panel_shows_the_last_sync_and_the_events_waiting(make_app, tmp_path):
    client = make_app().test_client()
    client.get("/home?lang=en")
    assert "not configured" in post_form(client, "/duty", {"pin": TEST_SECRETS["KIOSK_DUTY_PIN"]}).get_data(
        as_text=True
    )
    dead = f"http://127.0.0.1:{free_port()}/"
    app = make_app(overrides={"hub": {"url": dead, "token": "t", "timeout_seconds": 2.0}})
    client = app.test_client()
    post_form(client, "/satisfaction", {"level": "5", "form_id": "first"})
    post_form(client, "/satisfaction", {"level": "4", "form_id": "second"})
    client.get("/?lang=en")
    client.get("/home?lang=en")
    page = post_form(client, "/duty", {"pin": TEST_SECRETS["KIOSK_DUTY_PIN"]}).get_data(as_text=True)
    assert "2 events waiting" in page and "not synced yet" in page
    db = kdb.connect(database_path(app))
    with pytest.raises(SyncError):
        SyncClient(db, app.config["KIOSK"], app.config["DATA_DIR"]).push()
    db.conn.close()
    page = client.get("/duty").get_data(as_text=True)
    assert "The hub cannot be reached" in page and "2 events waiting" in page


def _run(*args, env=None, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **TEST_SECRETS, **(env or {})},
    )


def test_kiosk_sync_needs_a_hub(tmp_path):
    result = _run("sync", "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "No hub is set" in result.stderr


@pytest.mark.slow
def test_kiosk_sync_prints_what_it_sent_and_keeps_a_refused_batch(tmp_path, hub_factory):
    hub = hub_factory(config_file=hub_config(tmp_path))
    token = register(hub.data_dir, "k1", "changhan")
    env = {"KIOSK_HUB_URL": hub.url, "KIOSK_HUB_TOKEN": token}
    data = tmp_path / "kiosk"
    data.mkdir()
    head = fill_log(data / "kiosk.db", "kiosk-1", 120, datetime(2025, 3, 1, tzinfo=timezone.utc).timestamp(), 86400)
    first = _run("sync", "--data-dir", str(data), env={**env, "KIOSK_HUB_URL": hub.url})
    assert first.returncode == 0, first.stderr
    assert f"the hub holds up to seq {head}" in first.stdout
    assert re.search(rf"Sent {head} events in \d+ requests? \(amend \d+, rating \d+, referral \d+\)", first.stdout)
    again = _run("sync", "--data-dir", str(data), env=env)
    assert "nothing new to send" in again.stdout and "Sent 0 events" in again.stdout
    # The kiosk's log is replaced by another one (restored from a wrong copy): the hub
    # refuses it whole (a fork), the kiosk keeps the batch and says so.
    (data / "kiosk.db").unlink()
    for suffix in ("-wal", "-shm"):
        (data / f"kiosk.db{suffix}").unlink(missing_ok=True)
    fill_log(
        data / "kiosk.db", "kiosk-1", head + 10, datetime(2025, 3, 5, tzinfo=timezone.utc).timestamp(), 86400, seed=9
    )
    refused = _run("sync", "--data-dir", str(data), env=env)
    assert refused.returncode == 1
    assert "fork" in refused.stderr and REFUSED_DIR in refused.stderr
    kept = list((data / REFUSED_DIR).glob("*.json"))
    assert kept and b'"events"' in kept[0].read_bytes()
    assert hub.kiosk_state("k1")["fork_at"] == 1


def sync_state(kiosk):
    """The sync state a live kiosk keeps in its database."""
    database = kdb.connect(kiosk.data_dir / kdb.DB_FILENAME)
    try:
        return read_state(database)
    finally:
        database.conn.close()


@pytest.mark.slow
def test_feedback_given_while_the_hub_is_stopped_arrives_once(tmp_path, start_kiosk, hub_factory):
    """The new user's path: register a kiosk, set the two settings, give feedback with the
    hub stopped, start the hub, see the figures arrive, once."""
    hub_dir = tmp_path / "hub"
    token, output = register_cli(hub_dir, "changhan-1", "changhan")
    assert "shown only now" in output
    port = free_port()
    kiosk = start_kiosk(
        '[station]\ncode = "changhan"\ndemo = false\n[kiosk]\nid = "changhan-1"\n'
        "[hub]\ninterval_seconds = 0.2\nretry_max_seconds = 0.5\ntimeout_seconds = 1.0\n",
        env={"KIOSK_HUB_URL": f"http://127.0.0.1:{port}/", "KIOSK_HUB_TOKEN": token},
    )
    citizen = Citizen(kiosk.url)
    taps = [citizen.rate(level) for level in (5, 4, 5, 3, 1)] + [
        citizen.refer("traffic"),
        citizen.refer("investigation"),
    ]
    assert max(taps) < 1.0, taps  # never waits for the hub
    wait_until(lambda: sync_state(kiosk).get("failures"), 10, message="the kiosk to try the stopped hub")
    hub = hub_factory("hub", port=port)
    wait_until(lambda: hub.kiosk_state("changhan-1")["acked"] == kiosk_head(kiosk.data_dir), 15, message="the figures")
    same_figures(kiosk_api(kiosk, "/api/v1/tallies"), hub.api("/api/v1/tallies?kiosk=changhan-1"))
    caught_up_at = wait_until(lambda: sync_state(kiosk).get("last_ok_at"), 10, message="the kiosk to record the sync")
    # More rounds of the background sync (a heartbeat at least): nothing counted twice.
    wait_until(lambda: sync_state(kiosk)["last_ok_at"] != caught_up_at, 15, message="another round of the sync")
    hub_figures = hub.api("/api/v1/tallies?station=changhan")
    assert hub_figures["satisfaction"]["raw"]["total"] == 5 and hub_figures["eit"]["raw"]["total"] == 2
    state = hub.kiosk_state("changhan-1")
    assert state["chain_ok"] and state["verified"] == state["acked"] == kiosk_head(kiosk.data_dir)
