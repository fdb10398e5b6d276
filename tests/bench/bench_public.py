"""Lighthouse on the published public pages, on its phone profile (mobile form factor, slow
4G and CPU throttling simulated): prints the accessibility and performance score of each page.
Asserts nothing; the issue asks for accessibility 100 and performance 95 or more.

Lighthouse is not a dependency of the kiosk: install it once, outside the project, e.g.
    npm install --prefix /opt/lighthouse lighthouse
and run (offline is fine: the pages need nothing from another site)
    LIGHTHOUSE=/opt/lighthouse/node_modules/.bin/lighthouse CHROME_PATH=/usr/bin/chromium \\
        .venv/bin/python -m tests.bench.bench_public
"""

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.helpers.paths import ROOT

PAGES = ["index.html", "manual.html", "manual/bail.html", "en/manual/bail.html", "policy.html", "statistics.html"]
SECRETS = {"KIOSK_ADMIN_PASSWORD": "bench-admin-password", "KIOSK_DUTY_PIN": "135790", "KIOSK_API_TOKEN": "bench-token"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the published folder as a plain web host would, without a line per request."""

    def log_message(self, *args):
        pass


def lighthouse_command():
    found = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
    if not found:
        sys.exit("lighthouse not found: set LIGHTHOUSE to its path (see this file's docstring)")
    return found


def main():
    lighthouse = lighthouse_command()
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        subprocess.run(
            [sys.executable, "-m", "kiosk", "publish", "--out", str(site), "--data-dir", str(Path(scratch) / "data")],
            cwd=ROOT,
            env={**os.environ, **SECRETS},
            check=True,
            capture_output=True,
        )
        handler = functools.partial(QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"{'page':<24} {'accessibility':>13} {'performance':>11}  FCP / LCP / CLS")
        try:
            for page in PAGES:
                report = Path(scratch) / "report.json"
                subprocess.run(
                    [
                        lighthouse,
                        base + page,
                        "--only-categories=accessibility,performance",
                        "--form-factor=mobile",
                        "--output=json",
                        f"--output-path={report}",
                        "--quiet",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                    ],
                    env=env,
                    check=True,
                )
                result = json.loads(report.read_text())
                scores = {key: round(value["score"] * 100) for key, value in result["categories"].items()}
                audits = result["audits"]
                timing = " / ".join(
                    audits[key]["displayValue"]
                    for key in ("first-contentful-paint", "largest-contentful-paint", "cumulative-layout-shift")
                )
                print(f"{page:<24} {scores['accessibility']:>13} {scores['performance']:>11}  {timing}")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
