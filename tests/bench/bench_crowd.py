"""A crowd at the counter: fifty clients tapping a real waitress kiosk at once for a few
seconds. Prints taps acknowledged and the latency percentiles against the 2 s p99 target;
asserts nothing (the test in tests/integration/test_robustness.py checks nothing is lost).

Run: make bench   (or .venv/bin/python -m tests.bench.bench_crowd [--clients N] [--seconds S])
"""

import argparse
import concurrent.futures
import random
import tempfile
import time
from pathlib import Path

from tests.helpers.citizen import Browser
from tests.helpers.servers import LiveKiosk

TARGET_P99_SECONDS = 2.0
FAST = "[feedback]\nrepeat_window_seconds = 0\nburst_max_per_minute = 100000\n"


def run(clients, seconds):
    """Tap from `clients` threads for `seconds`; return (acknowledged, sorted latencies)."""
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "kiosk.toml"
        config.write_text(FAST, encoding="utf-8")
        kiosk = LiveKiosk(Path(scratch) / "data", config)
        try:
            browsers = [Browser(kiosk.url) for _ in range(clients)]
            deadline = time.monotonic() + seconds

            def client(browser):
                latencies = []
                while time.monotonic() < deadline:
                    started = time.perf_counter()
                    status, _ = browser.tap(random.randint(1, 5))
                    if status == 200:
                        latencies.append(time.perf_counter() - started)
                return latencies

            with concurrent.futures.ThreadPoolExecutor(clients) as pool:
                latencies = sorted(value for values in pool.map(client, browsers) for value in values)
        finally:
            kiosk.stop()
    return len(latencies), latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()
    acknowledged, latencies = run(args.clients, args.seconds)

    def percentile(fraction):
        return latencies[min(len(latencies) - 1, int(len(latencies) * fraction))] * 1000

    print(f"\nCrowd: {args.clients} clients for {args.seconds:g} s on a real waitress kiosk")
    print(f"  taps acknowledged   {acknowledged:>8}   ({acknowledged / args.seconds:.0f}/s)")
    print(f"  latency p50         {percentile(0.50):>8.0f} ms")
    print(f"  latency p99         {percentile(0.99):>8.0f} ms   target < {TARGET_P99_SECONDS * 1000:.0f} ms")


if __name__ == "__main__":
    main()
