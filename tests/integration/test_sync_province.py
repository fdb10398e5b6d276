"""A kiosk tells the hub its station's province (from the station settings) once the hub
has said it takes it; a hub that does not (older) never receives the field it would refuse."""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.hub import open_hub_db
from kiosk.hub import stations as hub_stations
from kiosk.store import db as kdb
from kiosk.sync.client import SyncClient, read_state
from kiosk.web.database import database_path
from tests.helpers.forms import post_form
from tests.helpers.hub import register


def tap(app):
    post_form(app.test_client(), "/satisfaction", {"level": "5", "form_id": os.urandom(16).hex()})


def push(app):
    db = kdb.connect(database_path(app))
    try:
        return SyncClient(db, app.config["KIOSK"], app.config["DATA_DIR"]).push()
    finally:
        db.conn.close()


def test_the_kiosk_sends_its_province_once_the_hub_takes_it(make_app, hub_factory):
    hub = hub_factory()
    token = register(hub.data_dir, "kiosk-1", "changhan")
    app = make_app(overrides={"hub": {"url": hub.url + "/", "token": token}, "station": {"province_th": "ร้อยเอ็ด"}})
    tap(app)
    first = push(app)
    assert first["answer"]["station_province"] is None  # not sent yet: the hub had not said it takes it
    tap(app)
    second = push(app)
    assert second["answer"]["station_province"] == "roi_et"
    db = open_hub_db(hub.data_dir)
    assert hub_stations.station_provinces(db) == {"changhan": "roi_et"}
    db.conn.close()


class _OldHub(BaseHTTPRequestHandler):
    """Answers as a hub before provinces: refuses kiosk.province, never says station_province."""

    bodies = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.bodies.append(body)
        seqs = [event["seq"] for event in body["events"]]
        if "province" in body["kiosk"]:
            answer, status = {"error": "unknown field kiosk.province", "field": "kiosk.province"}, 400
        else:
            acked = max(seqs, default=0)
            answer = {"acked": acked, "stored": len(seqs), "duplicates": 0, "missing": 0, "head": acked}
            answer, status = {**answer, "chain": {"verified": acked, "broken_at": None}, "fork_at": None}, 200
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def old_hub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OldHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_an_older_hub_never_gets_the_province(make_app, old_hub):
    app = make_app(overrides={"hub": {"url": old_hub, "token": "t", "timeout_seconds": 5.0}})
    for _ in range(3):
        tap(app)
        assert push(app)["stored"] == 1
    assert _OldHub.bodies and all("province" not in body["kiosk"] for body in _OldHub.bodies)
    db = kdb.connect(database_path(app))
    assert not read_state(db).get("hub_takes_province")
    db.conn.close()
