#!/usr/bin/python3
"""The kiosk's watchdog checks (standard library only: it must work when the app does not).

    kiosk_watchdog.py server   run every minute as root by kiosk-watchdog.timer
    kiosk_watchdog.py browser  run every minute in the kiosk-ui session by kiosk-browser-check.timer
    kiosk_watchdog.py wait     ExecStartPre of kiosk-browser.service: wait until /healthz answers

server: GET /healthz. A failed check (no answer within --timeout, not 200, or status not
"ok") adds one to the count in --state; an answer sets it back to 0. At --failures failed
checks in a row it runs `systemctl restart UNIT`. A unit that is stopped on purpose
(inactive) or starting (activating) is left alone.

browser: the "page stuck" check, without Chromium's remote debugging. The browser shows a
page that the kiosk server sent; the page goes stale or shows Chromium's "can't be
reached" error when the server went away under it. So the browser is restarted (a fresh
page, a fresh profile) when /healthz answers now and, since this browser started, either
the server was seen down by an earlier check or the server process has started again
(kiosk.service's ActiveEnterTimestampMonotonic is later than the browser's). A Chromium
that dies is restarted by systemd itself (Restart=always), and kiosk-browser-refresh.timer
restarts it every night, which also clears any stuck page this check cannot see.

Exit status 0 whatever the kiosk's state (a watchdog that fails is only noise in the
journal); 2 for bad arguments.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

DEFAULT_URL = "http://127.0.0.1:8080/healthz"


def log(message):
    print(message, flush=True)


def healthy(url, timeout=10):
    """True when `url` answers 200 with JSON whose status is "ok"."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            if response.status != 200:
                return False
            return json.load(response).get("status") == "ok"
    except (OSError, ValueError, AttributeError):
        return False


def systemctl_command():
    return os.environ.get("KIOSK_SYSTEMCTL", "systemctl").split()


def systemctl(*args, user=False, check=False):
    command = systemctl_command() + (["--user"] if user else []) + list(args)
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {result.stderr.strip() or result.returncode}")
    return result


def unit_properties(unit, names, user=False):
    result = systemctl("show", unit, *[f"--property={name}" for name in names], user=user)
    props = {}
    for line in result.stdout.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            props[key] = value
    return props


def read_json(path, default):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return default


def write_json(path, value):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value))
    os.replace(tmp, path)


def check_server(args):
    state = systemctl("is-active", args.unit).stdout.strip()
    if state in ("inactive", "activating", "deactivating", "reloading"):
        # Stopped on purpose, or on its way up or down: not the watchdog's business.
        write_json(args.state, {"failures": 0})
        return "left-alone"
    if state == "active" and healthy(args.url, args.timeout):
        write_json(args.state, {"failures": 0})
        return "ok"
    failures = read_json(args.state, {}).get("failures", 0) + 1
    if state != "active":
        log(f"{args.unit} is {state or 'unknown'}")
    else:
        log(f"{args.url} did not answer ({failures} of {args.failures})")
    if failures >= args.failures or state == "failed":
        log(f"restarting {args.unit}")
        systemctl("restart", args.unit)
        write_json(args.state, {"failures": 0})
        return "restarted"
    write_json(args.state, {"failures": failures})
    return "failed"


def check_browser(args):
    browser = unit_properties(
        args.browser_unit, ["ActiveState", "InvocationID", "ActiveEnterTimestampMonotonic"], user=True
    )
    if browser.get("ActiveState") != "active":
        return "left-alone"  # starting (waiting for the server), or systemd restarts it
    state = read_json(args.state, {})
    if state.get("invocation") != browser.get("InvocationID"):
        state = {"invocation": browser.get("InvocationID"), "saw_down": False}
    if not healthy(args.url, args.timeout):
        state["saw_down"] = True
        write_json(args.state, state)
        return "server-down"
    server = unit_properties(args.server_unit, ["ActiveEnterTimestampMonotonic"])
    try:
        server_newer = int(server.get("ActiveEnterTimestampMonotonic", 0)) > int(
            browser.get("ActiveEnterTimestampMonotonic", 0)
        )
    except ValueError:
        server_newer = False
    if state["saw_down"] or server_newer:
        reason = "the server was down" if state["saw_down"] else "the server restarted"
        log(f"{reason} since the browser started: restarting {args.browser_unit} for a fresh page")
        systemctl("restart", args.browser_unit, user=True)
        write_json(args.state, {"invocation": None, "saw_down": False})
        return "restarted"
    write_json(args.state, state)
    return "ok"


def wait_for_server(args):
    deadline = time.monotonic() + args.timeout
    while True:
        if healthy(args.url, timeout=5):
            return "ok"
        if time.monotonic() >= deadline:
            log(f"{args.url} still not answering after {args.timeout:g} s; starting the browser anyway")
            return "timeout"
        time.sleep(args.interval)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    server = sub.add_parser("server", help="check /healthz; restart the kiosk after repeated failures")
    server.add_argument("--url", default=DEFAULT_URL)
    server.add_argument("--failures", type=int, default=3)
    server.add_argument("--timeout", type=float, default=10)
    server.add_argument("--state", default="/run/kiosk-watchdog/failures")
    server.add_argument("--unit", default="kiosk.service")
    server.set_defaults(run=check_server)

    runtime = os.environ.get("XDG_RUNTIME_DIR", "/tmp")
    browser = sub.add_parser("browser", help="restart the browser for a fresh page after a server outage")
    browser.add_argument("--url", default=DEFAULT_URL)
    browser.add_argument("--timeout", type=float, default=10)
    browser.add_argument("--state", default=f"{runtime}/kiosk-browser-check.json")
    browser.add_argument("--server-unit", default="kiosk.service")
    browser.add_argument("--browser-unit", default="kiosk-browser.service")
    browser.set_defaults(run=check_browser)

    wait = sub.add_parser("wait", help="wait until /healthz answers (at most --timeout seconds)")
    wait.add_argument("--url", default=DEFAULT_URL)
    wait.add_argument("--timeout", type=float, default=300)
    wait.add_argument("--interval", type=float, default=2)
    wait.set_defaults(run=wait_for_server)

    args = parser.parse_args(argv)
    if getattr(args, "failures", 1) < 1:
        parser.error("--failures must be 1 or more")
    return args


def main(argv=None):
    args = parse_args(argv)
    outcome = args.run(args)
    if os.environ.get("KIOSK_WATCHDOG_VERBOSE"):
        log(outcome)
    return 0


if __name__ == "__main__":
    sys.exit(main())
