"""Fixtures: a real SQLite file in a temporary data directory, the app, a client, a live server."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kiosk.app import create_app
from kiosk.store import migrations

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
TEST_SECRETS = {
    "KIOSK_ADMIN_PASSWORD": "test-admin-password",
    "KIOSK_DUTY_PIN": "246810",
    "KIOSK_API_TOKEN": "test-api-token-0123456789abcdef",
}


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def db(tmp_path):
    """A real SQLite file with the kiosk's schema, for tests below the web layer."""
    from kiosk.store import db as kdb

    database = kdb.connect(tmp_path / "kiosk.db")
    migrations.migrate(database)
    yield database
    database.conn.close()


@pytest.fixture
def make_app(data_dir):
    """Build an app with settings overrides, on the temporary data directory."""

    def make(overrides=None, config_file=None):
        app = create_app(
            config_file=config_file,
            data_dir=data_dir,
            overrides=overrides,
            environ=TEST_SECRETS,
            announce=lambda _text: None,
        )
        app.config.update(TESTING=True)
        return app

    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url, process, log_path, timeout=15):
    """Wait until a server process answers /healthz; its log tells why if it dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(Path(log_path).read_text())
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer /healthz in time")


class LiveKiosk:
    """`python -m kiosk serve` in a subprocess, as a station runs it."""

    def __init__(self, data_dir, config_file=None, env=None, wrap=()):
        self.data_dir, self.config_file, self.env = data_dir, config_file, env
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [*wrap, sys.executable, "-m", "kiosk", "serve", "--port", str(self.port), "--data-dir", str(data_dir)]
        if config_file:
            command += ["--config", str(config_file)]
        self.log = open(Path(data_dir).parent / f"server-{Path(data_dir).name}.log", "a")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **TEST_SECRETS, **(env or {})},
        )
        self.wait_ready()

    def wait_ready(self, timeout=15):
        wait_healthy(self.url, self.process, self.log.name, timeout)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def start_kiosk(tmp_path):
    """Start real kiosk servers; each is stopped at the end of the test."""
    started = []

    def start(config_text=None, env=None):
        data = tmp_path / f"kiosk-data-{len(started)}"
        data.mkdir()
        config_file = None
        if config_text is not None:
            config_file = tmp_path / f"kiosk-{len(started)}.toml"
            config_file.write_text(config_text, encoding="utf-8")
        kiosk = LiveKiosk(data, config_file, env)
        started.append(kiosk)
        return kiosk

    def restart(kiosk):
        """The same data directory and settings, a new process (after a crash, say)."""
        again = LiveKiosk(kiosk.data_dir, kiosk.config_file, kiosk.env)
        started.append(again)
        return again

    start.restart = restart
    yield start
    for kiosk in started:
        kiosk.stop()


@pytest.fixture(scope="session")
def live_kiosk(tmp_path_factory):
    """One demo kiosk shared by the browser tests that do not change its settings."""
    kiosk = LiveKiosk(tmp_path_factory.mktemp("live"))
    yield kiosk
    kiosk.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1920, "height": 1080}, "has_touch": True}


def csrf_token(client, page="/home"):
    """The CSRF token a citizen's page carries, as the browser would send it."""
    import re

    html = client.get(page).get_data(as_text=True)
    return re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def post_form(client, url, data):
    """POST a kiosk form with its CSRF token, as the page would.

    A `form_id` the test names stands for a one-time id the server issued: its first use
    takes a fresh id from a page, and a repeat of the name sends that same id again."""
    import re

    page = client.get("/home").get_data(as_text=True)
    data = {**data, "csrf_token": re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)}
    issued = re.search(r'name="form_id" value="([0-9a-f]{32})"', page)
    if "form_id" in data and issued:  # none while feedback is paused
        names = client.__dict__.setdefault("issued_form_ids", {})
        data["form_id"] = names.setdefault(data["form_id"], issued.group(1))
    return client.post(url, data=data)


def utc_timestamp(text):
    """Seconds since the epoch for an ISO time such as 2026-11-24T03:37:42Z."""
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class FakeClock:
    """A clock the tests move by hand, for the event log's `clock`."""

    def __init__(self, t=0.0):
        self.t = t

    def __call__(self):
        return self.t

    def advance(self, seconds):
        self.t += seconds

    def at(self, text):
        self.t = utc_timestamp(text)
