"""What the sync and hub tests share: a real hub process, registered kiosks, taps on a live
kiosk over HTTP, the settings files that join them."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from kiosk.store import db as kdb
from tests.helpers.credentials import HUB_SECRETS, TEST_SECRETS
from tests.helpers.paths import ROOT
from tests.helpers.servers import free_port, stop_process, wait_healthy


class HubProcess:
    """`python -m kiosk hub` in a subprocess; restart() keeps its port and data."""

    def __init__(self, data_dir, port=None, config_file=None, env=None, threads=4, extra_args=()):
        self.data_dir, self.config_file, self.threads = Path(data_dir), config_file, threads
        self.extra_args = list(extra_args)
        self.env = {**os.environ, **HUB_SECRETS, **(env or {})}
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.start()

    def command(self):
        """The command line that starts this hub."""
        command = [
            sys.executable,
            "-m",
            "kiosk",
            "hub",
            "--port",
            str(self.port),
            "--threads",
            str(self.threads),
            "--data-dir",
            str(self.data_dir),
        ]
        if self.config_file:
            command += ["--config", str(self.config_file)]
        return command + self.extra_args

    def start(self, timeout=20):
        """Start the hub and wait until it answers /healthz."""
        # The hub writes its own copy of the file descriptor; this process needs none.
        with open(self.data_dir / "hub.log", "a") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=self.env
            )
        wait_healthy(self.url, self.process, self.data_dir / "hub.log", timeout)

    def kill(self):
        """SIGKILL: no goodbye, as a power cut."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self):
        """SIGTERM, then SIGKILL if it has not stopped within 5 s."""
        stop_process(self.process)

    def restart(self, hard=True):
        """Kill (or stop, when not `hard`) and start again on the same port and data."""
        self.kill() if hard else self.stop()
        self.start()

    def api(self, path, token=HUB_SECRETS["KIOSK_API_TOKEN"]):
        """GET a hub API path with the admin token; the decoded JSON."""
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def kiosk_state(self, name):
        """What the hub's tallies API says about one kiosk."""
        return next(k for k in self.api(f"/api/v1/tallies?kiosk={name}")["kiosks"] if k["name"] == name)


def register(hub_dir, name, station):
    """Register a kiosk straight in the hub's database (the CLI is tested on its own)."""
    from kiosk.hub import open_hub_db, store

    db = open_hub_db(hub_dir)
    try:
        return store.add_kiosk(db, name, station)
    finally:
        db.conn.close()


def register_cli(hub_dir, name, station):
    """`python -m kiosk hub add-kiosk`, as an admin does it; returns (token, output)."""
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "hub", "add-kiosk", name, "--station", station, "--data-dir", str(hub_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return re.search(r"KIOSK_HUB_TOKEN=(\S+)", result.stdout).group(1), result.stdout


def kiosk_head(data_dir):
    """The last sequence number in a kiosk's event log (0 when empty)."""
    database = kdb.connect(Path(data_dir) / kdb.DB_FILENAME)
    try:
        return database.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
    finally:
        database.conn.close()


class Citizen:
    """Taps on a live kiosk over HTTP, with its session and CSRF token, as the page does."""

    def __init__(self, base_url):
        self.base = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        html = self.opener.open(self.base + "/home", timeout=10).read().decode()
        self.csrf = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)

    def form_id(self):
        """A one-time form id the kiosk issues with the home screen, as a tap would carry."""
        html = self.opener.open(self.base + "/home", timeout=10).read().decode()
        return re.search(r'name="form_id" value="([0-9a-f]{32})"', html).group(1)

    def post(self, path, data):
        """POST a form as htmx does; the seconds the answer took."""
        body = urllib.parse.urlencode({**data, "form_id": self.form_id()}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"X-CSRFToken": self.csrf, "HX-Request": "true"}
        )
        started = time.perf_counter()
        with self.opener.open(request, timeout=10) as response:
            response.read()
            assert response.status == 200
        return time.perf_counter() - started

    def rate(self, level):
        """Tap a satisfaction level."""
        return self.post("/satisfaction", {"level": str(level)})

    def refer(self, unit):
        """Tap a unit on the referral screen."""
        return self.post("/eit", {"unit": unit})


def kiosk_api(kiosk, path, token=TEST_SECRETS["KIOSK_API_TOKEN"]):
    """GET a live kiosk's API path with its token; the decoded JSON."""
    request = urllib.request.Request(kiosk.url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def same_figures(kiosk_figures, hub_figures):
    """The contract's figures and everything else tallies() computes, minus who asked."""
    for key in ("satisfaction", "eit", "period"):
        assert hub_figures[key] == kiosk_figures[key], key


def hub_config(tmp_path, name="hub.toml"):
    """A hub settings file naming its station; its path."""
    path = tmp_path / name
    path.write_text(
        '[station]\nname_en = "Roi Et Provincial Police"\nname_th = "ตำรวจภูธรจังหวัดร้อยเอ็ด"\n', encoding="utf-8"
    )
    return path


def kiosk_config(proxy_url, kiosk_id, station, batch_size=10, interval=0.1, retry_max=0.4, timeout=1.0):
    """The settings text of a kiosk that syncs to `proxy_url` quickly."""
    return (
        f'[station]\ncode = "{station}"\ndemo = false\n'
        f'[kiosk]\nid = "{kiosk_id}"\n'
        f'[hub]\nurl = "{proxy_url}"\nbatch_size = {batch_size}\ninterval_seconds = {interval}\n'
        f"retry_max_seconds = {retry_max}\ntimeout_seconds = {timeout}\n"
    )
