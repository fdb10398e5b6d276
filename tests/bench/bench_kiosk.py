"""Kiosk benchmarks: server time per page and tap against a bare Flask floor, tap-to-paint in
Chromium, page weight, memory and cold start. Prints a table; asserts nothing.

Run: make bench   (or .venv/bin/python -m tests.bench.bench_kiosk [--quick])
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

from tests.helpers.paths import CHROMIUM, CHROMIUM_ARGS, ROOT
from tests.helpers.servers import free_port

SECRETS = {"KIOSK_ADMIN_PASSWORD": "bench-admin-password", "KIOSK_DUTY_PIN": "135790", "KIOSK_API_TOKEN": "bench-token"}
PAGES = ["/", "/home", "/manual", "/manual/bail", "/policy", "/eservices", "/about", "/eit", "/satisfaction"]

FLOOR_APP = textwrap.dedent(
    """
    import sys, waitress
    from flask import Flask
    app = Flask("floor")
    @app.get("/")
    def hello():
        return "hello"
    waitress.serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=4, ident="", _quiet=True)
    """
)


def wait_for(url, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"{url} did not answer")


def start_kiosk(data_dir, config=None):
    port = free_port()
    command = [sys.executable, "-m", "kiosk", "serve", "--port", str(port), "--data-dir", str(data_dir)]
    if config:
        command += ["--config", str(config)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **SECRETS}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for(f"http://127.0.0.1:{port}/healthz")
    return process, port, time.perf_counter() - started


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Client:
    """One keep-alive connection with a cookie, like one kiosk browser."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port)
        self.cookie = ""

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data, elapsed


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def server_times(port, floor_port, rounds):
    rows = []
    floor = Client(floor_port)
    for _ in range(50):
        floor.request("GET", "/")
    floor_samples = [floor.request("GET", "/")[2] for _ in range(rounds)]
    floor_p50, floor_p99 = percentiles(floor_samples)
    rows.append(("floor: bare Flask hello", floor_p50, floor_p99, 1.0))
    kiosk = Client(port)
    for path in PAGES:
        for _ in range(20):
            kiosk.request("GET", path, headers={"HX-Request": "true"})
        samples = [kiosk.request("GET", path, headers={"HX-Request": "true"})[2] for _ in range(rounds)]
        p50, p99 = percentiles(samples)
        rows.append((f"GET {path} (htmx swap)", p50, p99, p50 / floor_p50))
    status, page, _ = kiosk.request("GET", "/home")
    token = re.search(rb'"X-CSRFToken": "([^"]+)"', page).group(1).decode()
    samples = []
    for _ in range(rounds):
        # Each answer's screen carries the next one-time form id, as the page would use it.
        form_id = re.search(rb'name="form_id" value="([0-9a-f]{32})"', page).group(1).decode()
        body = f"level=5&form_id={form_id}&csrf_token={token}"
        status, page, elapsed = kiosk.request("POST", "/satisfaction", body=body, headers={"HX-Request": "true"})
        assert status == 200, status
        samples.append(elapsed)
    p50, p99 = percentiles(samples)
    rows.append(("POST /satisfaction (a tap, fsync)", p50, p99, p50 / floor_p50))
    return rows


def browser_figures(url, rounds):
    from playwright.sync_api import sync_playwright

    figures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        sizes = []
        page.on(
            "requestfinished",
            lambda request: sizes.append(request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]),
        )
        page.goto(url + "/")
        page.wait_for_load_state("networkidle")
        figures["first_load_kb"] = sum(sizes) / 1024
        figures["first_load_requests"] = len(sizes)

        def measure(prepare, target, ready):
            """From the pointer going down (in the page) to the frame after htmx settled the swap."""
            samples, weights, counts = [], [], []
            for _ in range(rounds):
                prepare()
                page.wait_for_load_state("networkidle")
                sizes.clear()
                page.evaluate("""() => {
                    window.__tapped = null; window.__painted = null;
                    document.addEventListener('pointerdown', () => { window.__tapped = performance.now(); }, {capture: true, once: true});
                    document.body.addEventListener('htmx:afterSettle', () => {
                        requestAnimationFrame(() => { window.__painted = performance.now(); });
                    }, {once: true});
                }""")
                page.locator(target).first.click()
                page.wait_for_function("() => window.__painted !== null")
                page.wait_for_selector(ready)
                samples.append(page.evaluate("() => window.__painted - window.__tapped"))
                page.wait_for_load_state("networkidle")
                weights.append(sum(sizes) / 1024)
                counts.append(len(sizes))
            ordered = sorted(samples)
            return (
                statistics.median(ordered),
                ordered[max(0, int(len(ordered) * 0.95) - 1)],
                statistics.median(weights),
                statistics.median(counts),
            )

        figures["open a manual"] = measure(
            lambda: page.goto(url + "/manual"), "a[href='/manual/bail']", "[data-screen=service]"
        )
        figures["tap a face"] = measure(
            lambda: page.goto(url + "/home"), ".faces button[value='4']", "[data-screen=feedback-unit]"
        )
        figures["open the EIT QR"] = measure(lambda: page.goto(url + "/eit"), "button[value='traffic']", ".qr-box")
        browser.close()
    return figures


def fill_events(data_dir, count):
    data_dir.mkdir(parents=True, exist_ok=True)
    code = textwrap.dedent(
        f"""
        import random, time
        from kiosk.store import db as kdb, migrations
        from kiosk.store.eventlog import EventLog
        database = kdb.connect({str(data_dir / "kiosk.db")!r}); migrations.migrate(database)
        database.execute("PRAGMA synchronous=OFF")
        clock = [time.time() - 365 * 86400]
        log = EventLog(database, "kiosk-1", clock=lambda: clock[0], repeat_window_seconds=0, burst_max_per_minute=10**6)
        rng = random.Random(7)
        for _ in range({count}):
            clock[0] += 300
            if rng.random() < 0.8:
                log.record_rating(rng.randint(1, 5))
            else:
                log.record_referral(rng.choice(["administration", "crime_prevention", "traffic", "investigation"]))
        """
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args()
    rounds = 100 if args.quick else 400
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        config = tmp / "bench.toml"
        config.write_text(
            "[feedback]\nrepeat_window_seconds = 0\nburst_max_per_minute = 100000\n[kiosk]\nidle_seconds = 0\n"
        )
        floor_port = free_port()
        floor = subprocess.Popen([sys.executable, "-c", FLOOR_APP, str(floor_port)])
        wait_for(f"http://127.0.0.1:{floor_port}/")
        cold_starts = []
        for index in range(3):
            process, port, seconds = start_kiosk(tmp / f"cold{index}", config)
            cold_starts.append(seconds)
            process.terminate()
            process.wait()
        process, port, _ = start_kiosk(tmp / "main", config)
        idle_rss = rss_mb(process.pid)
        rows = server_times(port, floor_port, rounds)
        browser = browser_figures(f"http://127.0.0.1:{port}", 20 if args.quick else 60)
        after_taps_rss = rss_mb(process.pid)
        process.terminate()
        process.wait()
        floor.terminate()

        fill_events(tmp / "big", 100_000)
        process, port, _ = start_kiosk(tmp / "big", config)
        client = Client(port)
        client.request("GET", "/api/v1/tallies", headers={"Authorization": "Bearer " + SECRETS["KIOSK_API_TOKEN"]})
        for path in PAGES:
            client.request("GET", path)
        big_rss = rss_mb(process.pid)
        process.terminate()
        process.wait()

    print(f"\nKiosk benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}, {rounds} requests per row\n")
    print(f"{'server time':44} {'p50 ms':>8} {'p99 ms':>8} {'x floor':>8}")
    for name, p50, p99, ratio in rows:
        print(f"{name:44} {p50:8.2f} {p99:8.2f} {ratio:8.2f}")
    print(f"\n{'tap to paint (Chromium, loopback)':44} {'p50 ms':>8} {'p95 ms':>8} {'KB':>8} {'requests':>9}")
    for name in ("open a manual", "tap a face", "open the EIT QR"):
        p50, p95, kb, count = browser[name]
        print(f"{name:44} {p50:8.1f} {p95:8.1f} {kb:8.1f} {count:9.0f}")
    print(
        f"\nfirst load of the start screen: {browser['first_load_kb']:.0f} KB in {browser['first_load_requests']} requests"
    )
    print(f"cold start to /healthz: {statistics.median(cold_starts):.2f} s (median of 3)")
    print(f"content load (defaults, validated): {content_load_ms():.1f} ms best of 5 (target under 50 ms)")
    print(
        f"server RSS: idle {idle_rss:.0f} MB, after the runs {after_taps_rss:.0f} MB, with 100,000 events {big_rss:.0f} MB"
    )


def content_load_ms():
    """The best of five loads of the shipped content, validated by its models."""
    from kiosk.content.loader import load_content

    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        load_content()
        best = min(best, time.perf_counter() - started)
    return best * 1000


if __name__ == "__main__":
    main()
