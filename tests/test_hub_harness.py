"""What the sync and hub tests share: a real hub process, a fault-injecting proxy, a kiosk
log filled fast, taps over HTTP. (And the proxy's own tests, at the end.)

FaultProxy sits between a kiosk and the hub on loopback. It reads one HTTP request per
connection and, following its plan (one fault per request, then clean), does one of:
  pass           forward, relay the answer
  drop           close the kiosk's connection; the hub never sees the request
  delay          wait `delay` seconds, then forward and relay (longer than the kiosk's
                 timeout: the kiosk gives up and retries, the hub gets the old one late)
  duplicate      forward twice, relay the second answer
  reorder        hold the request, close the kiosk's connection; the held request is
                 delivered after the next ones (old batches arrive after newer ones)
  cut_body       forward the headers and half of the body, then close both sides
  cut_response   forward, relay half of the answer, close
  drop_response  forward (the hub stores it), close the kiosk's connection unanswered
  kill_kiosk     forward, then call `on_kill` (the test SIGKILLs the kiosk) before answering
"""

import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from conftest import ROOT, wait_healthy

from kiosk.store import db as kdb

HUB_SECRETS = {
    "KIOSK_ADMIN_PASSWORD": "test-hub-admin-password",
    "KIOSK_API_TOKEN": "test-hub-admin-api-token-0123456789",
}
FAULTS = ("pass", "drop", "delay", "duplicate", "reorder", "cut_body", "cut_response", "drop_response")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


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
        self.log = open(self.data_dir / "hub.log", "a")
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=self.env
        )
        wait_healthy(self.url, self.process, self.data_dir / "hub.log", timeout)

    def kill(self):
        """SIGKILL: no goodbye, as a power cut."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()

    def restart(self, hard=True):
        self.kill() if hard else self.stop()
        self.start()

    def api(self, path, token=HUB_SECRETS["KIOSK_API_TOKEN"]):
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def kiosk_state(self, name):
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
        return self.post("/satisfaction", {"level": str(level)})

    def refer(self, unit):
        return self.post("/eit", {"unit": unit})


def kiosk_api(kiosk, path, token="test-api-token-0123456789abcdef"):
    request = urllib.request.Request(kiosk.url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def same_figures(kiosk_figures, hub_figures):
    """The contract's figures and everything else tallies() computes, minus who asked."""
    for key in ("satisfaction", "eit", "period"):
        assert hub_figures[key] == kiosk_figures[key], key


def hub_config(tmp_path, name="hub.toml"):
    path = tmp_path / name
    path.write_text(
        '[station]\nname_en = "Roi Et Provincial Police"\nname_th = "ตำรวจภูธรจังหวัดร้อยเอ็ด"\n', encoding="utf-8"
    )
    return path


def kiosk_config(proxy_url, kiosk_id, station, batch_size=10, interval=0.1, retry_max=0.4, timeout=1.0):
    return (
        f'[station]\ncode = "{station}"\ndemo = false\n'
        f'[kiosk]\nid = "{kiosk_id}"\n'
        f'[hub]\nurl = "{proxy_url}"\nbatch_size = {batch_size}\ninterval_seconds = {interval}\n'
        f"retry_max_seconds = {retry_max}\ntimeout_seconds = {timeout}\n"
    )


# -- the fault-injecting proxy ----------------------------------------------------------------


def _read_request(sock):
    """One HTTP request (headers and Content-Length body) as bytes, or None."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    length = int(match.group(1)) if match else 0
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    # One request per connection, so that each fault hits one request.
    head = re.sub(rb"(?im)^connection:.*$", b"Connection: close", head)
    return head + b"\r\n\r\n" + body


class FaultProxy:
    def __init__(self, target_port, plan=(), delay=1.5, on_kill=None):
        self.target = ("127.0.0.1", target_port)
        self.plan = list(plan)
        self.delay = delay
        self.on_kill = on_kill
        self.lock = threading.Lock()
        self.held = []
        self.seen = []  # (fault, outcome)
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def faults_left(self):
        with self.lock:
            return len(self.plan)

    def _next(self):
        with self.lock:
            return self.plan.pop(0) if self.plan else "pass"

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _upstream(self, data, cut_at=None):
        """Send `data` to the hub; the whole answer as bytes (b"" when the hub is down)."""
        try:
            with socket.create_connection(self.target, timeout=10) as up:
                if cut_at is not None:
                    up.sendall(data[:cut_at])
                    return b""
                up.sendall(data)
                chunks = []
                while True:
                    chunk = up.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                return b"".join(chunks)
        except OSError:
            return b""

    def _handle(self, conn):
        with conn:
            conn.settimeout(10)
            try:
                request = _read_request(conn)
            except OSError:
                return
            if request is None:
                return
            fault = self._next()
            outcome = self._apply(fault, conn, request)
            with self.lock:
                self.seen.append((fault, outcome))
            if fault == "pass":
                self.flush()

    def _apply(self, fault, conn, request):
        if fault == "drop":
            return "dropped"
        if fault == "reorder":
            with self.lock:
                self.held.append(request)
            return "held"
        if fault == "cut_body":
            body_at = request.index(b"\r\n\r\n") + 4
            self._upstream(request, cut_at=body_at + max(1, (len(request) - body_at) // 2))
            return "cut"
        if fault == "delay":
            time.sleep(self.delay)
        if fault == "duplicate":
            self._upstream(request)
        answer = self._upstream(request)
        if not answer:
            return "hub down"
        if fault == "drop_response":
            return "answer dropped"
        if fault == "kill_kiosk" and self.on_kill:
            self.on_kill()
            return "kiosk killed"
        try:
            if fault == "cut_response":
                conn.sendall(answer[: len(answer) // 2])
                return "answer cut"
            conn.sendall(answer)
        except OSError:
            return "kiosk gone"
        return "relayed"

    def flush(self):
        """Deliver the held (reordered) requests now, after the newer ones."""
        with self.lock:
            held, self.held = self.held, []
        for request in held:
            self._upstream(request)

    def close(self):
        self.closed = True
        self.server.close()


def random_plan(seed, length, faults=FAULTS[1:]):
    rnd = random.Random(seed)
    plan = []
    for _ in range(length):
        plan.append(rnd.choice(faults))
        if rnd.random() < 0.4:
            plan.append("pass")
    return plan


@pytest.fixture
def hub_factory(tmp_path):
    """Start real hubs; each is stopped at the end of the test."""
    started = []

    def start(name="hub", **kwargs):
        hub = HubProcess(tmp_path / name, **kwargs)
        started.append(hub)
        return hub

    yield start
    for hub in started:
        hub.stop()


# -- the proxy's own tests ------------------------------------------------------------------


class _Echo:
    """A tiny HTTP server that counts what it receives."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                body = self.rfile.read(length)
                if len(body) < length:
                    return  # cut on the way: never complete, never handled
                received.append(body)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _post(url, body, timeout=2):
    request = urllib.request.Request(url, data=body, headers={"Connection": "close"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def test_the_proxy_does_what_its_plan_says():
    echo = _Echo()
    proxy = FaultProxy(
        echo.port, plan=["pass", "drop", "duplicate", "reorder", "pass", "cut_body", "drop_response"], delay=0.1
    )
    try:
        assert _post(proxy.url, b"one") == b"one"
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
            _post(proxy.url, b"dropped")
        assert _post(proxy.url, b"twice") == b"twice"
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
            _post(proxy.url, b"held")
        assert _post(proxy.url, b"after") == b"after"
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
            _post(proxy.url, b"cut in the middle")
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
            _post(proxy.url, b"stored, unanswered")
        wait_until(lambda: len(echo.received) >= 6, 3, message="echo")
        assert echo.received == [b"one", b"twice", b"twice", b"after", b"held", b"stored, unanswered"]
    finally:
        proxy.close()
        echo.server.shutdown()
        echo.server.server_close()
