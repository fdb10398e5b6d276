"""What the province tests share: a hub and two kiosks of two stations syncing quickly,
content files changed as a province or a station would, JSON calls to the hub."""

import copy
import json
import urllib.error
import urllib.request
from pathlib import Path

from kiosk.content.loader import raw_files
from kiosk.store import db as kdb
from tests.helpers.credentials import HUB_SECRETS
from tests.helpers.hub import hub_config, kiosk_config, register
from tests.helpers.servers import LiveKiosk

INTERVAL = 0.5  # the kiosks' sync interval in these tests (seconds)
POLL = 3.0  # the citizen page checks /kiosk/poll this often (POLL_MS in static/js/kiosk.js)
ADMIN_TOKEN = HUB_SECRETS["KIOSK_API_TOKEN"]
POLICE_CARE = {
    "key": "police_care",
    "name": {"th": "แอปพลิเคชัน Police Care", "en": "Police Care app"},
    "what": {"th": "แจ้งเหตุ ร้องเรียน ฝากบ้าน และขออายัดบัญชี", "en": "Report, complain, house watch, freeze an account."},
    "url": "https://policecare.example.go.th",
}


def defaults():
    """The shipped content files, parsed ({file: table})."""
    return raw_files()


def with_police_care():
    """eservices.toml with the new Police Care card first."""
    eservices = copy.deepcopy(defaults()["eservices.toml"])
    eservices["cards"].insert(0, copy.deepcopy(POLICE_CARE))  # a test may break its copy
    return eservices


def renamed_service(th, en):
    """services/lost-documents.toml under another name."""
    service = copy.deepcopy(defaults()["services/lost-documents.toml"])
    service["name"] = {"th": th, "en": en}
    return service


def start_kiosk(root, name, station, hub_url, token, interval=INTERVAL):
    """A live kiosk of `station` syncing to the hub every `interval` seconds."""
    directory = Path(root) / name
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "kiosk.toml"
    config.write_text(
        kiosk_config(hub_url, name, station, interval=interval, retry_max=1.0, timeout=2.0), encoding="utf-8"
    )
    return LiveKiosk(directory / "data", config, env={"KIOSK_HUB_TOKEN": token})


class Province:
    """A hub with kiosk k-a1 of station-a and k-b1 of station-b."""

    def __init__(self, tmp_path, hub_factory):
        self.hub = hub_factory(config_file=hub_config(tmp_path))
        self.tokens = {
            "k-a1": register(self.hub.data_dir, "k-a1", "station-a"),
            "k-b1": register(self.hub.data_dir, "k-b1", "station-b"),
        }
        self.root = tmp_path
        self.kiosks = {
            "k-a1": start_kiosk(tmp_path, "k-a1", "station-a", self.hub.url, self.tokens["k-a1"]),
            "k-b1": start_kiosk(tmp_path, "k-b1", "station-b", self.hub.url, self.tokens["k-b1"]),
        }

    def stop(self):
        """Stop both kiosks (the hub_factory stops the hub)."""
        for kiosk in self.kiosks.values():
            kiosk.stop()


def call(url, body=None, token=ADMIN_TOKEN, method=None):
    """(status, JSON) of a call to the hub's API."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:  # an HTTPError holds the connection open until closed
            return error.code, json.load(error)


def publish(hub, content, locked=(), stations=None, note="", token=ADMIN_TOKEN):
    """Publish a package through the hub's admin API; (status, JSON)."""
    body = {"content": content, "locked": list(locked), "stations": stations, "note": note}
    return call(hub.url + "/api/v1/content", body, token=token)


def page(kiosk, path):
    """The text of a citizen page."""
    with urllib.request.urlopen(kiosk.url + path, timeout=10) as response:
        return response.read().decode()


def query(data_dir, sql, args=()):
    """Rows of a query on a kiosk's or hub's database."""
    database = kdb.connect(Path(data_dir) / kdb.DB_FILENAME)
    try:
        return database.execute(sql, args).fetchall()
    finally:
        database.conn.close()
