"""A national deployment against one hub, on this machine, bounded in time.

Run: .venv/bin/python -m tests.bench.bench_hub_load            (about 1,500 stations, ~2,000 kiosks)
     .venv/bin/python -m tests.bench.bench_hub_load --help     (sizes, concurrency, time limits)

1. Registers the kiosks (70% of stations have one, 25% two, 5% three) in a fresh hub and
   starts `python -m kiosk hub` as a station would run it (waitress, 4 threads).
2. Catch-up: every kiosk pushes a backlog of --days of events (the morning after a
   nation-wide outage) as fast as the hub takes it, --clients kiosks at a time, in
   batches of --batch (the kiosk's default is 500). Stops at --seconds.
3. Steady state: kiosks push the few events of their last --interval seconds, spread at
   random, at the national rate for --steady seconds: what a sync costs in normal times.
4. The admin's reads over everything the hub then holds: the tallies API for the month
   (all stations, one station) and the dashboard page with the stations table (the EIT
   collection window is set to the last 182 days, so the quota pace reads all the data).

Printed: events/s ingested, latency of a sync request (p50/p95/p99/max), the hub's CPU (in
% of one core; this machine has 2, shared with this load generator) and memory (RSS),
the database size, and the read times. The event rows are made beforehand (valid hashes
and chains; kiosk.store.eventlog's format), so that the load generator costs little while timed.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kiosk.core.events import GENESIS_HASH, canonical_json, event_hash
from kiosk.core.vocab import ASPECTS, REASONS, UNIT_CHOICES
from tests.helpers.credentials import HUB_SECRETS
from tests.helpers.hub import HubProcess

CLK_TCK = os.sysconf("SC_CLK_TCK")


def make_events(kiosk, first_seq, prev_hash, start, end, n, rnd):
    """n event rows of one kiosk between two UTC epochs, chained from (first_seq, prev_hash)."""
    rows, seq, t = [], first_seq, start
    step = (end - start) / max(n, 1)
    answers = []
    while len(rows) < n:
        t += rnd.uniform(0.2, 1.8) * step
        at = datetime.fromtimestamp(int(t), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        roll = rnd.random()
        if roll < 0.2:
            kind, payload = "referral", {"unit": rnd.choice(UNIT_CHOICES)}
        elif roll < 0.45 and answers:
            kind = "amend"
            payload = {
                "answer_id": answers[-1],
                "unit": rnd.choice(UNIT_CHOICES),
                # never empty: the event schema refuses an amendment with no aspects
                "aspects": {a: rnd.randint(3, 5) for a in ASPECTS if rnd.random() < 0.6} or {"process": 4},
                "reasons": sorted(rnd.sample(REASONS, rnd.randint(0, 2))),
            }
        else:
            answer = uuid.UUID(int=rnd.getrandbits(128)).hex
            answers.append(answer)
            kind, payload = "rating", {"answer_id": answer, "level": rnd.choice((5, 5, 5, 4, 4, 3, 2, 1))}
        payload_json = canonical_json(payload)
        flagged, reason = (1, "repeat") if rnd.random() < 0.03 else (0, None)
        event_id = uuid.UUID(int=rnd.getrandbits(128)).hex
        hash_ = event_hash(seq, event_id, kiosk, at, kind, payload_json, flagged, reason, prev_hash)
        rows.append(
            {
                "seq": seq,
                "id": event_id,
                "kiosk": kiosk,
                "at": at,
                "kind": kind,
                "payload": payload_json,
                "flagged": flagged,
                "flag_reason": reason,
                "prev_hash": prev_hash,
                "hash": hash_,
            }
        )
        prev_hash, seq = hash_, seq + 1
    return rows


def body(rows, station, head):
    return json.dumps(
        {
            "protocol": 1,
            "kiosk": {"id": rows[0]["kiosk"] if rows else "k", "station": station, "head": head},
            "events": rows,
        },
        separators=(",", ":"),
    ).encode()


def build_kiosk(args):
    """(name, station, catch-up bodies, steady bodies) for one kiosk."""
    name, station, seed, backlog, steady_n, batch, start, end, steady_end = args
    rnd = random.Random(seed)
    rows = make_events(name, 1, GENESIS_HASH, start, end, backlog, rnd)
    head = len(rows) + steady_n
    catch_up = [body(rows[i : i + batch], station, head) for i in range(0, len(rows), batch)]
    steady_rows = make_events(name, len(rows) + 1, rows[-1]["hash"], end, steady_end, steady_n, rnd) if steady_n else []
    # In steady state a kiosk sends what came since its last sync: one to three events.
    steady, i = [], 0
    while i < len(steady_rows):
        k = rnd.randint(1, 3)
        steady.append(body(steady_rows[i : i + k], station, head))
        i += k
    return name, station, catch_up, steady


class Sampler(threading.Thread):
    """The hub's CPU time and RSS, sampled while the load runs."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_rss, self.stopping = pid, 0, threading.Event()

    def cpu_seconds(self):
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def rss_mb(self, key="VmRSS"):
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
        return 0.0

    def run(self):
        while not self.stopping.wait(0.2):
            self.peak_rss = max(self.peak_rss, self.rss_mb())


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q / 100 * len(values)))] if values else float("nan")


def push_all(port, tokens, work, clients, deadline, pace=None):
    """Send bodies (kiosk name, bytes) from `clients` threads; returns (latencies, events, errors)."""
    lock = threading.Lock()
    queue = list(work)
    latencies, errors, events = [], [], [0]
    started = time.monotonic()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    break
                index = len(work) - len(queue)
                name, data, n = queue.pop(0)
            if pace:  # steady state: each request at its planned time
                wait = started + index / pace - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            t = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    "/api/v1/sync",
                    body=data,
                    headers={"Authorization": f"Bearer {tokens[name]}", "Content-Type": "application/json"},
                )
                response = conn.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    errors.append(str(error))
                continue
            elapsed = time.perf_counter() - t
            with lock:
                if response.status == 200:
                    latencies.append(elapsed)
                    events[0] += n
                else:
                    errors.append(f"{response.status} {answer[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, events[0], errors, len(queue)


def timed_get(url, path, headers=None, opener=None, repeat=3):
    import urllib.request

    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        request = urllib.request.Request(url + path, headers=headers or {})
        with opener.open(request, timeout=300) if opener else urllib.request.urlopen(request, timeout=300) as response:
            data = response.read()
        times.append(time.perf_counter() - t)
    return statistics.median(times), data


def admin_opener(url):
    import re
    import urllib.parse
    import urllib.request
    from http.cookiejar import CookieJar

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(url + "/hub/login", timeout=600).read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": "admin", "password": HUB_SECRETS["KIOSK_ADMIN_PASSWORD"], "csrf_token": csrf}
    )
    opener.open(url + "/hub/login", data=form.encode(), timeout=600).read()
    return opener


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=1500)
    parser.add_argument("--days", type=float, default=2.0, help="backlog per kiosk, in days of a busy counter")
    parser.add_argument("--per-day", type=int, default=40, help="events a kiosk records in a day")
    parser.add_argument("--batch", type=int, default=500, help="events per request while catching up")
    parser.add_argument("--clients", type=int, default=16, help="kiosks pushing at the same time")
    parser.add_argument("--seconds", type=float, default=90, help="time limit of the catch-up phase")
    parser.add_argument("--interval", type=float, default=30, help="the kiosks' hub.interval_seconds")
    parser.add_argument("--steady", type=float, default=15, help="seconds of steady state")
    parser.add_argument("--threads", type=int, default=4, help="the hub's waitress threads")
    parser.add_argument("--seed", type=int, default=2568)
    args = parser.parse_args()
    rnd = random.Random(args.seed)

    with tempfile.TemporaryDirectory() as tmp:
        hub_dir = Path(tmp) / "hub"
        from kiosk.hub import open_hub_db, store

        db = open_hub_db(hub_dir)
        db.execute("PRAGMA synchronous=OFF")  # registering only
        tokens, plan = {}, []
        for number in range(args.stations):
            station = f"st{number:04d}"
            kiosks = rnd.choices((1, 2, 3), weights=(70, 25, 5))[0]
            for k in range(kiosks):
                name = f"{station}-{k + 1}"
                tokens[name] = store.add_kiosk(db, name, station)
                plan.append((name, station))
        db.conn.close()

        now = datetime.now(timezone.utc).timestamp()
        start, end = now - args.days * 86400, now - 600
        backlog = max(1, int(args.days * args.per_day))
        rate = len(plan) / args.interval  # steady-state requests per second, nationally
        steady_requests = int(rate * args.steady)
        steady_per_kiosk = 3  # events after the backlog; a steady request sends the first 1 to 3
        t = time.perf_counter()
        jobs = [
            (name, station, rnd.getrandbits(32), backlog, steady_per_kiosk, args.batch, start, end, now)
            for name, station in plan
        ]
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            built = list(pool.map(build_kiosk, jobs, chunksize=64))
        prepare = time.perf_counter() - t
        catch_up = [
            (name, data, json.loads(data)["events"].__len__()) for name, _s, bodies, _st in built for data in bodies
        ]
        rnd.shuffle(catch_up)
        steady = [
            (name, data, len(json.loads(data)["events"])) for name, _s, _c, bodies in built for data in bodies[:1]
        ]
        rnd.shuffle(steady)
        steady = steady[:steady_requests] or steady
        total_events = sum(n for _name, _d, n in catch_up)
        stations = len({station for _n, station in plan})
        print(
            f"load: {stations} stations, {len(plan)} kiosks; backlog {backlog} events per kiosk "
            f"({total_events} events, {len(catch_up)} requests of up to {args.batch}); made in {prepare:.1f} s"
        )

        # The EIT collection window over the data, so that the dashboard's quota pace reads it all.
        today = (datetime.fromtimestamp(now, timezone.utc) + timedelta(hours=7)).date()
        config = Path(tmp) / "hub.toml"
        config.write_text(f'[eit]\nperiod_start = "{today - timedelta(days=181)}"\nperiod_end = "{today}"\n')
        hub = HubProcess(hub_dir, threads=args.threads, config_file=config)
        sampler = Sampler(hub.process.pid)
        try:
            sampler.start()
            rss_idle = sampler.rss_mb()
            cpu0, t0 = sampler.cpu_seconds(), time.monotonic()
            latencies, events, errors, left = push_all(hub.port, tokens, catch_up, args.clients, t0 + args.seconds)
            wall = time.monotonic() - t0
            cpu = sampler.cpu_seconds() - cpu0
            print(
                f"catch-up: {events} events in {wall:.1f} s = {events / wall:,.0f} events/s, "
                f"{len(latencies) / wall:.1f} requests/s with {args.clients} kiosks at a time"
                + (f"; STOPPED at the time limit with {left} requests left" if left else "")
            )
            print(
                f"  sync request ({total_events / len(catch_up):.0f} events on average): p50 {pct(latencies, 50) * 1000:.0f} ms, "
                f"p95 {pct(latencies, 95) * 1000:.0f} ms, p99 {pct(latencies, 99) * 1000:.0f} ms, "
                f"max {max(latencies) * 1000:.0f} ms; errors {len(errors)}"
                + (f" (first: {errors[0]})" if errors else "")
            )
            print(
                f"  hub CPU {100 * cpu / wall:.0f}% of one core; RSS {rss_idle:.0f} MB idle, "
                f"peak {sampler.peak_rss:.0f} MB"
            )

            cpu0, t0 = sampler.cpu_seconds(), time.monotonic()
            latencies, events, errors, left = push_all(
                hub.port, tokens, steady, max(args.clients, 32), t0 + args.steady * 3, pace=rate
            )
            wall = time.monotonic() - t0
            cpu = sampler.cpu_seconds() - cpu0
            print(
                f"steady state: {len(plan)} kiosks syncing every {args.interval:g} s = {rate:.0f} requests/s "
                f"(1-3 events each); {len(latencies)} requests, {events} events in {wall:.1f} s"
            )
            print(
                f"  sync request: p50 {pct(latencies, 50) * 1000:.0f} ms, p95 {pct(latencies, 95) * 1000:.0f} ms, "
                f"p99 {pct(latencies, 99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; errors {len(errors)}"
            )
            print(f"  hub CPU {100 * cpu / wall:.0f}% of one core; RSS peak {sampler.peak_rss:.0f} MB")

            size = sum(p.stat().st_size for p in hub_dir.glob("kiosk.db*")) / 1e6
            token_headers = {"Authorization": f"Bearer {HUB_SECRETS['KIOSK_API_TOKEN']}"}
            month = datetime.fromtimestamp(now, timezone.utc) + timedelta(hours=7)
            first = month.replace(day=1).date().isoformat()
            print(f"reads over {size:.0f} MB of database:")
            for label, path in (
                (
                    "tallies API, all stations, this month",
                    f"/api/v1/tallies?from={first}&to={month.date().isoformat()}",
                ),
                ("tallies API, all stations, no dates", "/api/v1/tallies"),
                (
                    "tallies API, one station, this month",
                    f"/api/v1/tallies?station=st0001&from={first}&to={month.date().isoformat()}",
                ),
            ):
                seconds, _data = timed_get(hub.url, path, token_headers)
                print(f"  {label:40s} {seconds * 1000:8.0f} ms")
            opener = admin_opener(hub.url)
            for label, path in (
                ("dashboard, all stations (table of all)", "/hub"),
                ("dashboard, one station", "/hub?station=st0001"),
            ):
                seconds, data = timed_get(hub.url, path, opener=opener, repeat=2)
                print(f"  {label:40s} {seconds * 1000:8.0f} ms  ({len(data) / 1e3:.0f} kB)")
            print(f"  hub RSS after the reads: {sampler.rss_mb():.0f} MB (peak {sampler.rss_mb('VmHWM'):.0f} MB)")
        finally:
            sampler.stopping.set()
            hub.stop()


if __name__ == "__main__":
    main()
