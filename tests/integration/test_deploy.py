"""Deployment: deploy/install.sh in a throwaway root, the systemd units, the watchdog, the browser.

install.sh runs for real with ROOT (every file under a temporary directory) and DRY=1 (the
commands that need a real box, apt-get, useradd, chown, systemctl, runuser, are recorded
instead of run). The venv is one made here that sees this test run's packages, so pip finds
everything installed and needs no network; the app itself runs to migrate the database.

Units are checked with `systemd-analyze verify`, which works without systemd as PID 1:
the system units with --root on the laid-out tree (it then needs the distribution's units,
copied in, and every ExecStart program to exist inside the root: symlinks are followed
inside it too); the user units, which --root does not take together with --user, from
copies whose /opt/kiosk paths point into the tree.
"""

import http.server
import importlib.util
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import sysconfig
import threading

import pytest

from kiosk.config.settings import load_settings
from kiosk.store import db as kdb
from kiosk.store import migrations
from kiosk.store.eventlog import EventLog
from tests.helpers.paths import ROOT

DEPLOY = ROOT / "deploy"
INSTALL = DEPLOY / "install.sh"
SYSTEM_UNITS = [
    "kiosk.service",
    "kiosk-hub.service",
    "kiosk-watchdog.service",
    "kiosk-watchdog.timer",
    "kiosk-backup.service",
    "kiosk-backup.timer",
]
USER_UNITS = [
    "kiosk-browser.service",
    "kiosk-browser-check.service",
    "kiosk-browser-check.timer",
    "kiosk-browser-refresh.service",
    "kiosk-browser-refresh.timer",
]
CHROMIUM_FLAGS = [
    "--kiosk",
    "--noerrdialogs",
    "--disable-translate",
    "--disable-features=Translate,TouchpadOverscrollHistoryNavigation",
    "--overscroll-history-navigation=0",
    "--disable-pinch",
    "--no-first-run",
    "--disable-session-crashed-bubble",
    "--disable-infobars",
    "--check-for-update-interval=31536000",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def systemd_analyze():
    path = shutil.which("systemd-analyze")
    if path is None:
        pytest.fail(
            "systemd-analyze not found: these tests need Debian's systemd package (make test-system-deps installs it)"
        )
    return path


def seed_venv(venv):
    """A venv whose python is a real file (systemd-analyze looks for it inside the root)
    and which sees this test run's packages, so that install.sh's pip needs no network."""
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", "--copies", str(venv)], check=True)
    site = next(venv.glob("lib/python3*/site-packages"))
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_kiosk_test_seed.pth").write_text("\n".join(sorted(paths)) + "\n")


def install(root, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    environ.update(ROOT=str(root), DRY="1", PIP_DISABLE_PIP_VERSION_CHECK="1", **env)
    log = root / "install-commands.log"
    log.unlink(missing_ok=True)
    result = subprocess.run(
        ["bash", str(INSTALL)],
        env=environ,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 0, f"install.sh failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout, log.read_text().splitlines()


def user_version(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def event_count(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    """One box installed three times: fresh, again (nothing to migrate), and again with the
    schema one step behind."""
    root = tmp_path_factory.mktemp("box")
    seed_venv(root / "opt/kiosk/.venv")
    runs = {}
    runs["first"] = install(root)
    data = root / "var/lib/kiosk"
    # The station uses the kiosk and edits its settings between the runs.
    db = kdb.connect(data / "kiosk.db")
    log = EventLog(db, "kiosk-1")
    for level in (5, 4, 3):
        log.record_rating(level)
    db.conn.close()
    with open(root / "etc/kiosk/kiosk.toml", "a", encoding="utf-8") as f:
        f.write("\n[feedback]\nrepeat_window_seconds = 5\n")
    with open(root / "etc/kiosk/env", "a") as f:
        f.write("KIOSK_DUTY_PIN=135790\n")
    secret_key = (data / "secret_key").read_text()
    runs["again"] = install(root)
    runs["after_again"] = {
        "secret_key": (data / "secret_key").read_text(),
        "backups": sorted(p.name for p in (data / "backups").iterdir()),
        "events": event_count(data / "kiosk.db"),
    }
    conn = sqlite3.connect(data / "kiosk.db")
    # As if the last step had not run yet.
    conn.execute(
        "DELETE FROM _sqlite_migrations WHERE migration_set = 'kiosk' AND name = ?",
        [migrations.MIGRATIONS[-1].__name__],
    )
    conn.execute(f"PRAGMA user_version = {len(migrations.MIGRATIONS) - 1}")
    conn.commit()
    conn.close()
    runs["upgrade"] = install(root)
    return {"root": root, "runs": runs, "secret_key": secret_key}


@pytest.mark.slow
def test_first_run_installs_users_packages_units_and_prints_the_secrets(box):
    root = box["root"]
    out, commands = box["runs"]["first"]
    assert "Admin password (user: admin):" in out and "Duty officer PIN:" in out and "API token:" in out
    assert "never shown again" in out

    apt = next(c for c in commands if " apt-get install " in f" {c} ")
    for package in ("python3-venv", "libfribidi0", "chromium", "unclutter", "xinit", "matchbox-window-manager"):
        assert f" {package}" in apt
    assert any(re.match(r"useradd --system .*--shell /usr/sbin/nologin .* kiosk$", c) for c in commands)
    assert any(re.match(r"useradd --create-home --home-dir /home/kiosk-ui .* kiosk-ui$", c) for c in commands)
    assert "chown kiosk:kiosk /var/lib/kiosk /var/lib/kiosk/backups" in commands
    assert "systemctl daemon-reload" in commands
    assert "systemctl enable kiosk.service kiosk-watchdog.timer kiosk-backup.timer" in commands
    assert "systemctl restart kiosk.service" in commands
    assert not any("kiosk-hub" in c for c in commands)  # only with HUB=1
    # The database step ran as the kiosk user, with the box's own paths.
    assert any(c.startswith("runuser -u kiosk -- /opt/kiosk/.venv/bin/python -c") for c in commands)
    assert commands.index("systemctl daemon-reload") < commands.index("systemctl restart kiosk.service")

    def mode(path):
        return stat.S_IMODE((root / path).stat().st_mode)

    assert mode("etc/kiosk/env") == 0o600
    assert mode("etc/kiosk/kiosk.toml") == 0o640
    assert mode("var/lib/kiosk") == 0o750
    assert mode("var/lib/kiosk/backups") == 0o700
    assert mode("usr/local/sbin/kioskctl") & 0o111
    assert mode("opt/kiosk/deploy/kiosk-browser") & 0o111
    for unit in SYSTEM_UNITS:
        assert (root / "etc/systemd/system" / unit).is_file()
    for unit in USER_UNITS:
        assert (root / "etc/systemd/user" / unit).is_file()
    # The app tree is a clean copy: no git, no caches, no instance data.
    app = root / "opt/kiosk"
    assert (app / "kiosk/__init__.py").is_file() and (app / "templates").is_dir()
    assert not (app / ".git").exists() and not (app / "instance").exists()
    assert not (root / "opt/kiosk.new").exists() and not (root / "opt/kiosk.old").exists()
    # The sample settings are valid settings.
    load_settings(root / "etc/kiosk/kiosk.toml", environ={})
    # The kiosk screen: autologin on tty1, X without cursor, the browser as a user unit.
    autologin = (root / "etc/systemd/system/getty@tty1.service.d/kiosk-autologin.conf").read_text()
    assert "--autologin kiosk-ui" in autologin
    profile = (root / "home/kiosk-ui/.bash_profile").read_text()
    assert "exec startx -- -nocursor" in profile
    assert profile.count("# kiosk: start the kiosk screen") == 1  # after three runs
    xinitrc = (root / "home/kiosk-ui/.xinitrc").read_text()
    for line in ("xset s off", "xset -dpms", "systemctl --user start kiosk-browser.service"):
        assert line in xinitrc
    policy = json.loads((root / "etc/chromium/policies/managed/kiosk.json").read_text())
    assert policy["TranslateEnabled"] is False


@pytest.mark.slow
def test_second_run_keeps_data_settings_and_secrets(box):
    root = box["root"]
    out, commands = box["runs"]["again"]
    after = box["runs"]["after_again"]
    assert "Admin password" not in out  # printed once, on the first run only
    assert "keeping /etc/kiosk/kiosk.toml" in out and "keeping /etc/kiosk/env" in out
    assert after["secret_key"] == box["secret_key"]
    assert after["events"] == 3
    assert after["backups"] == []  # nothing to migrate, no backup
    assert "repeat_window_seconds = 5" in (root / "etc/kiosk/kiosk.toml").read_text()
    assert "KIOSK_DUTY_PIN=135790" in (root / "etc/kiosk/env").read_text()
    assert "systemctl restart kiosk.service" in commands


@pytest.mark.slow
def test_upgrade_with_the_schema_behind_backs_up_then_migrates(box):
    root = box["root"]
    out, _commands = box["runs"]["upgrade"]
    data = root / "var/lib/kiosk"
    behind = len(migrations.MIGRATIONS) - 1
    backups = sorted((data / "backups").iterdir())
    assert [p.name.endswith(f"-before-migration-v{behind}.db") for p in backups] == [True]
    assert "backup taken before the migration" in out
    assert user_version(backups[0]) == behind and event_count(backups[0]) == 3
    assert user_version(data / "kiosk.db") == len(migrations.MIGRATIONS)
    assert event_count(data / "kiosk.db") == 3
    assert (data / "secret_key").read_text() == box["secret_key"]
    db = kdb.connect(data / "kiosk.db")
    assert EventLog(db, "kiosk-1").verify_chain() == (True, None)
    db.conn.close()


def stub_programs(root, units):
    """Programs the units run from the system (not from /opt/kiosk): empty stand-ins in root."""
    for unit in units:
        for line in unit.read_text().splitlines():
            match = re.match(r"Exec\w*=[-@:+!]*(/\S+)", line)
            if match and not match.group(1).startswith("/opt/kiosk/"):
                stub = root / match.group(1).lstrip("/")
                if not stub.exists():
                    stub.parent.mkdir(parents=True, exist_ok=True)
                    stub.write_text("#!/bin/sh\n")
                    stub.chmod(0o755)


def prepare_verify_root(root):
    distribution_units = root / "usr/lib/systemd/system"
    if not distribution_units.exists():
        shutil.copytree("/usr/lib/systemd/system", distribution_units, symlinks=True)
    system = root / "etc/systemd/system"
    stub_programs(root, [*system.glob("*.service"), *system.glob("*.d/*.conf")])


def verify(*args, env=None):
    result = subprocess.run([systemd_analyze(), "verify", *args], capture_output=True, text=True, env=env, timeout=60)
    return result.returncode, (result.stdout + result.stderr).strip()


def verify_user_units(root, unit_dir, tmp_path):
    """User units from copies whose /opt/kiosk paths point into the root."""
    copies = tmp_path / "user-units"
    copies.mkdir()
    for unit in USER_UNITS:
        text = (unit_dir / unit).read_text().replace("/opt/kiosk/", f"{root}/opt/kiosk/")
        (copies / unit).write_text(text)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    return verify("--user", *sorted(map(str, copies.iterdir())), env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})


@pytest.mark.slow
def test_systemd_analyze_verify_accepts_every_unit(box, tmp_path):
    root = box["root"]
    prepare_verify_root(root)
    for unit in [*SYSTEM_UNITS, "getty@tty1.service"]:  # the last with our autologin drop-in
        assert verify(f"--root={root}", unit) == (0, ""), unit
    assert verify_user_units(root, root / "etc/systemd/user", tmp_path) == (0, "")
    # The check is not vacuous: it sees a bad key, and a program that is not there.
    bad = root / "etc/systemd/system/kiosk-bad.service"
    bad.write_text(
        (root / "etc/systemd/system/kiosk.service")
        .read_text()
        .replace("ProtectHome=yes", "ProtectHome=yes\nProtectEverything=yes")
    )
    code, output = verify(f"--root={root}", "kiosk-bad.service")
    assert "Unknown key name 'ProtectEverything'" in output or "Unknown key 'ProtectEverything'" in output
    bad.write_text("[Service]\nExecStart=/opt/kiosk/nothing-here\n")
    code, output = verify(f"--root={root}", "kiosk-bad.service")
    assert code != 0 and "not executable" in output
    bad.unlink()


@pytest.mark.slow
def test_units_are_hardened(box):
    root = box["root"]
    prepare_verify_root(root)
    text = (root / "etc/systemd/system/kiosk.service").read_text()
    for line in (
        "User=kiosk",
        "Restart=always",
        "After=network.target",
        "StateDirectory=kiosk",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
        "ProtectHome=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectKernelLogs=yes",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "MemoryDenyWriteExecute=yes",
        "SystemCallFilter=@system-service",
        "CapabilityBoundingSet=",
        "ExecStart=/opt/kiosk/.venv/bin/python -m kiosk serve --host ${KIOSK_HOST} --port ${KIOSK_PORT} "
        "--data-dir /var/lib/kiosk --config /etc/kiosk/kiosk.toml",
    ):
        assert line in text.splitlines(), line
    assert "network-online" not in text  # the kiosk never waits for a network
    hub = (root / "etc/systemd/system/kiosk-hub.service").read_text()
    assert "-m kiosk hub --host ${KIOSK_HUB_HOST} --port ${KIOSK_HUB_PORT}" in hub
    assert "KIOSK_HUB_PORT=8090" in hub
    limits = {
        "kiosk.service": 2.0,
        "kiosk-hub.service": 2.0,
        "kiosk-backup.service": 2.0,
        "kiosk-watchdog.service": 3.0,
    }
    for unit, limit in limits.items():
        result = subprocess.run(
            [systemd_analyze(), "security", "--offline=yes", f"--root={root}", "--no-pager", unit],
            capture_output=True,
            text=True,
            timeout=60,
        )
        match = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout)
        assert match, result.stdout + result.stderr
        assert float(match.group(1)) <= limit, f"{unit}: exposure {match.group(1)}"


@pytest.mark.slow
def test_paths_users_and_session_can_be_chosen(tmp_path):
    root = tmp_path / "root"
    seed_venv(root / "srv/oss/.venv")
    out, commands = install(
        root,
        PREFIX="/srv/oss",
        DATA_DIR="/var/lib/oss-kiosk",
        ETC_DIR="/etc/oss",
        SESSION="desktop",
        HUB="1",
        APT="0",
        UI_USER="screen",
        KIOSK_USER="oss",
    )
    unit = (root / "etc/systemd/system/kiosk.service").read_text()
    assert (
        "ExecStart=/srv/oss/.venv/bin/python -m kiosk serve --host ${KIOSK_HOST} --port ${KIOSK_PORT} "
        "--data-dir /var/lib/oss-kiosk --config /etc/oss/kiosk.toml"
    ) in unit
    assert "\nStateDirectory=oss-kiosk\n" in unit and "\nUser=oss\n" in unit
    assert "EnvironmentFile=-/etc/oss/env" in unit
    hub = (root / "etc/systemd/system/kiosk-hub.service").read_text()
    assert "--data-dir /var/lib/kiosk-hub --config /etc/oss/hub.toml" in hub
    assert (root / "etc/oss/hub.toml").is_file()
    assert "systemctl enable kiosk-hub.service" in commands
    # The hub's first start ran here, so its secrets were printed here, not into the journal.
    assert "chown oss:oss /var/lib/kiosk-hub" in commands
    assert any((root / "var/lib/kiosk-hub").iterdir())
    assert out.count("never shown again") == 2  # the kiosk's secrets and the hub's
    assert "ConditionUser=screen" in (root / "etc/systemd/user/kiosk-browser.service").read_text()
    assert "ExecStart=/srv/oss/deploy/kiosk-browser" in (root / "etc/systemd/user/kiosk-browser.service").read_text()
    assert "DATA_DIR=/var/lib/oss-kiosk" in (root / "usr/local/sbin/kioskctl").read_text()
    autostart = (root / "home/screen/.config/autostart/kiosk-browser.desktop").read_text()
    assert "systemctl --user start kiosk-browser.service" in autostart
    assert not (root / "etc/systemd/system/getty@tty1.service.d").exists()
    assert not any(c.startswith("apt-get") for c in commands)
    assert (root / "var/lib/oss-kiosk/kiosk.db").is_file()
    prepare_verify_root(root)
    for name in SYSTEM_UNITS:
        assert verify(f"--root={root}", name) == (0, ""), name


def test_install_refuses_a_data_dir_systemd_cannot_manage(tmp_path):
    result = subprocess.run(
        ["bash", str(INSTALL)],
        env={**os.environ, "ROOT": str(tmp_path), "DRY": "1", "DATA_DIR": "/srv/data"},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1 and "DATA_DIR must be under /var/lib" in result.stderr
    assert not any(tmp_path.iterdir())


def test_scripts_parse():
    for script in ("install.sh",):
        subprocess.run(["bash", "-n", str(DEPLOY / script)], check=True)
    for script in ("kiosk-browser", "kioskctl", "session/xinitrc", "session/bash_profile"):
        subprocess.run(["sh", "-n", str(DEPLOY / script)], check=True)


# -- the browser launcher ---------------------------------------------------------------


def test_kiosk_browser_starts_chromium_with_the_kiosk_flags_on_an_empty_profile(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done > "$FAKE_ARGS"\n')
    fake.chmod(0o755)
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "Last Session").write_text("a crashed session")
    env = {
        "PATH": os.environ["PATH"],
        "KIOSK_BROWSER": str(fake),
        "FAKE_ARGS": str(tmp_path / "args"),
        "KIOSK_BROWSER_PROFILE": str(profile),
        "KIOSK_BROWSER_FLAGS": "--force-device-scale-factor=1.25",
    }
    subprocess.run([str(DEPLOY / "kiosk-browser")], env=env, check=True, timeout=30)
    args = (tmp_path / "args").read_text().splitlines()
    for flag in CHROMIUM_FLAGS:
        assert flag in args
    assert f"--user-data-dir={profile}" in args and "--force-device-scale-factor=1.25" in args
    assert args[-1] == "http://127.0.0.1:8080/"
    assert list(profile.iterdir()) == []  # a fresh profile: no "restore pages?" bubble
    assert len([a for a in args if a.startswith("--disable-features")]) == 1  # the last one wins

    env.pop("KIOSK_BROWSER")
    env["PATH"] = str(tmp_path / "nothing")
    result = subprocess.run(["/bin/sh", str(DEPLOY / "kiosk-browser")], env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "chromium" in result.stderr


# -- the watchdog -------------------------------------------------------------------------


@pytest.fixture
def watchdog():
    spec = importlib.util.spec_from_file_location("kiosk_watchdog", DEPLOY / "kiosk_watchdog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def health_server():
    """A /healthz that answers ok, or 500 when told; .url; .stop() closes the port."""

    class Handler(http.server.BaseHTTPRequestHandler):
        healthy = True

        def do_GET(self):
            body = json.dumps({"status": "ok"}).encode()
            self.send_response(200 if Handler.healthy else 500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.handler = Handler
    server.url = f"http://127.0.0.1:{server.server_address[1]}/healthz"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_systemctl(tmp_path, monkeypatch):
    """A systemctl that answers from a JSON state and records what it was asked."""
    state_file, log_file = tmp_path / "systemd.json", tmp_path / "systemctl.log"
    script = tmp_path / "systemctl.py"
    script.write_text(
        "import json, sys\n"
        f"state = json.load(open({str(state_file)!r}))\n"
        "args = sys.argv[1:]\n"
        f"open({str(log_file)!r}, 'a').write(' '.join(args) + '\\n')\n"
        "args = [a for a in args if a != '--user']\n"
        "if args[0] == 'is-active':\n"
        "    print(state['active'][args[1]])\n"
        "elif args[0] == 'show':\n"
        "    for a in args[2:]:\n"
        "        name = a.split('=', 1)[1]\n"
        "        print(f\"{name}={state['props'][args[1]].get(name, '')}\")\n"
    )
    monkeypatch.setenv("KIOSK_SYSTEMCTL", f"{sys.executable} {script}")

    class Fake:
        def set(self, **state):
            state_file.write_text(json.dumps(state))

        def calls(self):
            return log_file.read_text().splitlines() if log_file.exists() else []

    return Fake()


def test_watchdog_restarts_the_kiosk_after_three_failed_checks(watchdog, health_server, fake_systemctl, tmp_path):
    state = tmp_path / "run/failures"
    fake_systemctl.set(active={"kiosk.service": "active"})

    def check(url=health_server.url):
        args = watchdog.parse_args(["server", "--url", url, "--failures", "3", "--timeout", "2", "--state", str(state)])
        return args.run(args)

    assert check() == "ok"
    health_server.handler.healthy = False
    assert [check(), check()] == ["failed", "failed"]
    health_server.handler.healthy = True
    assert check() == "ok"  # an answer resets the count
    health_server.handler.healthy = False
    assert [check(), check(), check()] == ["failed", "failed", "restarted"]
    assert [c for c in fake_systemctl.calls() if c.startswith("restart")] == ["restart kiosk.service"]
    assert json.loads(state.read_text()) == {"failures": 0}
    # A kiosk stopped on purpose, or starting, is left alone.
    for unit_state in ("inactive", "activating"):
        fake_systemctl.set(active={"kiosk.service": unit_state})
        assert [check("http://127.0.0.1:9/healthz") for _ in range(4)] == ["left-alone"] * 4
    assert len([c for c in fake_systemctl.calls() if c.startswith("restart")]) == 1
    # A unit that systemd gave up on is started again at once.
    fake_systemctl.set(active={"kiosk.service": "failed"})
    assert check("http://127.0.0.1:9/healthz") == "restarted"
    assert watchdog.main(["server", "--url", health_server.url, "--state", str(state)]) == 0


def test_browser_check_gives_a_fresh_page_after_a_server_outage(watchdog, health_server, fake_systemctl, tmp_path):
    state = tmp_path / "browser.json"

    def systemd(browser_at=100, server_at=50, invocation="a", active="active"):
        fake_systemctl.set(
            props={
                "kiosk-browser.service": {
                    "ActiveState": active,
                    "InvocationID": invocation,
                    "ActiveEnterTimestampMonotonic": browser_at,
                },
                "kiosk.service": {"ActiveEnterTimestampMonotonic": server_at},
            }
        )

    def check():
        args = watchdog.parse_args(["browser", "--url", health_server.url, "--timeout", "2", "--state", str(state)])
        return args.run(args)

    def restarts():
        return [c for c in fake_systemctl.calls() if c.startswith("--user restart")]

    systemd()
    assert [check(), check()] == ["ok", "ok"]
    health_server.handler.healthy = False
    assert check() == "server-down"
    assert restarts() == []  # nothing to show yet: the browser stays
    health_server.handler.healthy = True
    assert check() == "restarted"
    assert restarts() == ["--user restart kiosk-browser.service"]
    systemd(browser_at=200, server_at=50, invocation="b")
    assert check() == "ok"
    systemd(browser_at=200, server_at=300, invocation="b")  # the server restarted between checks
    assert check() == "restarted"
    systemd(browser_at=400, server_at=300, invocation="c")
    assert check() == "ok"
    systemd(active="activating", invocation="d")  # still waiting for the server
    assert check() == "left-alone"
    assert len(restarts()) == 2


def test_wait_returns_when_the_server_answers_or_after_the_timeout(watchdog, health_server):
    args = watchdog.parse_args(["wait", "--url", health_server.url, "--timeout", "5"])
    assert args.run(args) == "ok"
    args = watchdog.parse_args(["wait", "--url", "http://127.0.0.1:9/healthz", "--timeout", "0.3", "--interval", "0.1"])
    assert args.run(args) == "timeout"
