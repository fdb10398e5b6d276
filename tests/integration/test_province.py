"""The province looks after its kiosks from the hub: shared content and remote care,
with a real hub and two real kiosks of two stations syncing over loopback."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.store import db as kdb
from kiosk.store import station as station_store
from kiosk.store.station import document_hash
from tests.helpers.paths import ROOT
from tests.helpers.province import (
    POLICE_CARE,
    Province,
    call,
    page,
    publish,
    query,
    renamed_service,
    start_kiosk,
    with_police_care,
)
from tests.helpers.servers import free_port, wait_until

pytestmark = pytest.mark.slow
WITHIN = 30  # seconds: many sync intervals, for a loaded 2-core machine (this is a wait, not a timing)


@pytest.fixture
def province(tmp_path, hub_factory):
    found = Province(tmp_path, hub_factory)
    yield found
    found.stop()


def own_edit(kiosk, rel, data):
    """The station's admin publishes its own version of one file (as the editor does)."""
    database = kdb.connect(kiosk.data_dir / kdb.DB_FILENAME)
    try:
        station_store.publish(database, {"settings": {}, "content": {rel: data}}, "admin", "own edit")
    finally:
        database.conn.close()


def test_a_package_reaches_both_stations_an_own_edit_stays_and_a_locked_item_changes_on_both(province):
    hub, a, b = province.hub, province.kiosks["k-a1"], province.kiosks["k-b1"]
    own_edit(a, "services/lost-documents.toml", renamed_service("ของสถานีเอง", "The station's own lost documents"))
    wait_until(lambda: "The station" in page(a, "/manual/lost-documents?lang=en"), 5, message="station's own edit")

    content = {
        "eservices.toml": with_police_care(),
        "services/lost-documents.toml": renamed_service("ของจังหวัด", "The province's lost documents"),
    }
    status, answer = publish(hub, content, note="Police Care")
    assert status == 201, answer
    for kiosk in (a, b):
        wait_until(lambda k=kiosk: "Police Care app" in page(k, "/eservices?lang=en"), WITHIN, message="Police Care")
    assert "The station&#39;s own lost documents" in page(a, "/manual/lost-documents?lang=en")
    assert "The province&#39;s lost documents" in page(b, "/manual/lost-documents?lang=en")

    status, second = publish(hub, content, locked=["services/lost-documents.toml"], note="locked")
    assert status == 201
    for kiosk in (a, b):
        wait_until(
            lambda k=kiosk: "The province&#39;s lost documents" in page(k, "/manual/lost-documents?lang=en"),
            WITHIN,
            message="the locked item on both",
        )

    def versions():
        rows = query(hub.data_dir, "SELECT kiosk, content_version, software FROM hub_kiosk_care ORDER BY kiosk")
        return rows if [r[1] for r in rows] == [second["version"]] * 2 else None

    rows = wait_until(versions, WITHIN, message="both kiosks report the new version")
    assert all(r[2] for r in rows)  # their software versions
    audit = query(a.data_dir, "SELECT action, detail FROM audit WHERE actor = 'hub' AND action = 'province content'")
    assert any(f"version {second['version']}" in detail for _, detail in audit)


def test_a_kiosk_token_can_neither_publish_nor_command(province):
    hub, token = province.hub, province.tokens["k-a1"]
    status, answer = publish(hub, {"eservices.toml": with_police_care()}, token=token)
    assert status == 403 and "cannot publish" in answer["error"]
    status, answer = call(hub.url + "/api/v1/commands", {"action": "reset", "kiosk": "k-b1"}, token=token)
    assert status == 403 and "cannot send commands" in answer["error"]
    assert call(hub.url + "/api/v1/commands", {"action": "reset", "kiosk": "k-b1"}, token="")[0] == 401
    assert query(hub.data_dir, "SELECT count(*) FROM hub_content_packages")[0][0] == 0
    assert query(hub.data_dir, "SELECT count(*) FROM hub_commands")[0][0] == 0


def test_bad_content_is_refused_at_the_hub_naming_the_file_and_field(province):
    eservices = with_police_care()
    del eservices["cards"][0]["name"]
    status, answer = publish(province.hub, {"eservices.toml": eservices})
    assert status == 400 and answer["error"].startswith("eservices.toml: cards[0].name")
    status, answer = publish(province.hub, {"../etc/passwd": {}})
    assert status == 400 and "not a content file" in answer["error"]


def test_a_kiosk_offline_during_a_publish_catches_up_when_it_returns(province, tmp_path):
    b = province.kiosks["k-b1"]
    b.stop()
    status, answer = publish(province.hub, {"eservices.toml": with_police_care()})
    assert status == 201, answer
    wait_until(lambda: "Police Care app" in page(province.kiosks["k-a1"], "/eservices?lang=en"), WITHIN, message="a")
    back = start_kiosk(tmp_path, "k-b1", "station-b", province.hub.url, province.tokens["k-b1"])
    province.kiosks["k-b1"] = back
    wait_until(lambda: "Police Care app" in page(back, "/eservices?lang=en"), WITHIN, message="b catches up")


def hub_cli(hub, *args):
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "hub", *args, "--data-dir", str(hub.data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_commands_from_the_cli_are_carried_out_once_answered_and_audited_on_both_sides(province):
    hub, a = province.hub, province.kiosks["k-a1"]
    result = hub_cli(hub, "command", "pause", "k-a1")
    assert result.returncode == 0, result.stderr
    assert "carried out at its next sync" in result.stdout

    def paused():
        return query(a.data_dir, "SELECT value FROM meta WHERE key = 'state.paused'") == [("true",)]

    wait_until(paused, WITHIN, message="paused by the hub")
    done = wait_until(
        lambda: query(hub.data_dir, "SELECT ok, result FROM hub_commands WHERE done_at IS NOT NULL"),
        WITHIN,
        message="the result on the hub",
    )
    assert done == [(1, "feedback paused")]
    kiosk_audit = query(a.data_dir, "SELECT action FROM audit WHERE actor = 'hub' AND action LIKE 'hub command%'")
    assert kiosk_audit == [("hub command pause",)]  # once, though the hub may send it more than once
    hub_audit = [row[0] for row in query(hub.data_dir, "SELECT action FROM audit")]
    assert "command pause" in hub_audit and "command result" in hub_audit

    assert hub_cli(hub, "command", "resume", "--station", "station-a").returncode == 0
    wait_until(
        lambda: query(a.data_dir, "SELECT value FROM meta WHERE key = 'state.paused'") == [("false",)],
        WITHIN,
        message="resumed",
    )
    refused = hub_cli(hub, "command", "reset", "no-such-kiosk")
    assert refused.returncode == 2 and "not registered" in refused.stderr


def test_content_import_cli_publishes_a_station_export_to_named_stations_locked(province, tmp_path):
    hub, a, b = province.hub, province.kiosks["k-a1"], province.kiosks["k-b1"]
    export = tmp_path / "export"
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "export", str(export), "--data-dir", str(a.data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    only = tmp_path / "only"
    (only / "services").mkdir(parents=True)
    import tomli_w

    (only / "eservices.toml").write_text(tomli_w.dumps(with_police_care()), encoding="utf-8")
    (only / "policy.toml").write_text((export / "policy.toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = hub_cli(hub, "content", "import", str(only), "--station", "station-b", "--lock")
    assert result.returncode == 0, result.stderr
    assert "for station-b: 2 files, 2 locked" in result.stdout
    wait_until(lambda: "Police Care app" in page(b, "/eservices?lang=en"), WITHIN, message="station-b")
    assert "Police Care app" not in page(a, "/eservices?lang=en")
    bad = hub_cli(hub, "content", "import", str(only), "--station", "nowhere")
    assert bad.returncode == 2 and "no kiosk of station 'nowhere'" in bad.stderr


# -- hostile packages: a hub (or something between) sending what a kiosk must not show ----


class FakeHub:
    """A stand-in hub on loopback that offers whatever package the test sets."""

    def __init__(self):
        self.offer, self.body = None, b""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                batch = json.loads(self.rfile.read(length))
                answer = {"acked": batch["kiosk"]["head"], "stored": len(batch["events"]), "duplicates": 0}
                answer["province"] = {"content": fake.offer, "commands": [], "received": []}
                self._send(json.dumps(answer).encode())

            def do_GET(self):
                self._send(fake.body)

            def _send(self, body):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, version, content, locked=(), hash_=None, extra=None, raw=None):
        digest = document_hash({"format": 1, "version": version, "locked": sorted(locked), "content": content})
        package = {"format": 1, "version": version, "locked": list(locked), "content": content, "hash": digest}
        package.update(extra or {})
        self.body = raw if raw is not None else json.dumps(package).encode()
        self.offer = {"version": version, "hash": hash_ or digest}


def test_hostile_packages_are_refused_with_a_reason_and_the_kiosk_keeps_what_it_had(tmp_path):
    fake = FakeHub()
    kiosk = start_kiosk(tmp_path, "k-x", "station-x", fake.url, "any-token")
    try:
        fake.serve(1, {"eservices.toml": with_police_care()})
        wait_until(lambda: "Police Care app" in page(kiosk, "/eservices?lang=en"), WITHIN, message="the good one")

        def refused(version):
            rows = query(kiosk.data_dir, "SELECT value FROM meta WHERE key = 'province.error'")
            found = (json.loads(rows[0][0]) if rows else None) or {}
            return found.get("message") if found.get("version") == version else None

        renamed = with_police_care()
        renamed["cards"][0] = {**POLICE_CARE, "name": {"th": "เปลี่ยน", "en": "Changed on the way"}}
        fake.serve(2, {"eservices.toml": renamed}, hash_="0" * 64)
        assert "hash does not match" in wait_until(lambda: refused(2), WITHIN, message="wrong hash")

        bad_schema = with_police_care()
        bad_schema["cards"][0]["colour"] = "red"
        fake.serve(3, {"eservices.toml": bad_schema})
        assert "eservices.toml: cards[0].colour: unknown field" in wait_until(
            lambda: refused(3), WITHIN, message="schema"
        )

        fake.serve(4, {"eservices.toml": renamed}, extra={"run": "rm -rf /"})
        assert "exactly the fields" in wait_until(lambda: refused(4), WITHIN, message="unknown field")

        fake.serve(5, {"eservices.toml": renamed}, raw=b"{" + b" " * (1024 * 1024 + 10) + b"}")
        assert "larger than 1024 KiB" in wait_until(lambda: refused(5), WITHIN, message="oversized")

        fake.serve(6, {"../../kiosk.db": {}})
        assert "is not a content file" in wait_until(lambda: refused(6), WITHIN, message="a path")

        shown = page(kiosk, "/eservices?lang=en")
        assert "Police Care app" in shown and "Changed on the way" not in shown
        assert query(kiosk.data_dir, "SELECT value FROM meta WHERE key = 'province.version'") == [("1",)]
    finally:
        kiosk.stop()
        fake.server.shutdown()
        fake.server.server_close()
