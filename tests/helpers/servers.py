"""Real servers for the tests: a free port, waiting for /healthz or any condition, and
`python -m kiosk serve` in a subprocess."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.paths import ROOT


def free_port():
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port):
    """Whether something accepts TCP connections on this loopback port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


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


def wait_until(predicate, timeout, interval=0.05, message="condition"):
    """Call `predicate` until it returns something true (returned) or `timeout` seconds pass
    (AssertionError naming `message`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


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
        self.log_path = Path(data_dir).parent / f"server-{Path(data_dir).name}.log"
        # The server writes its own copy of the file descriptor; this process needs none.
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **TEST_SECRETS, **(env or {})},
            )
        self.wait_ready()

    def wait_ready(self, timeout=15):
        """Wait until the server answers /healthz."""
        wait_healthy(self.url, self.process, self.log_path, timeout)

    def stop(self):
        """SIGTERM, then SIGKILL if it has not stopped within 5 s."""
        stop_process(self.process)


def station_settings(directory):
    """An empty settings file in `directory`: a station's kiosk, past its first-start setup
    (a kiosk started without one is the demo station, and its admin page asks for the setup)."""
    path = Path(directory) / "station.toml"
    path.write_text("", encoding="utf-8")
    path.chmod(0o644)
    return path


def stop_process(process):
    """SIGTERM, then SIGKILL if it has not stopped within 5 s; nothing if it has ended."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
