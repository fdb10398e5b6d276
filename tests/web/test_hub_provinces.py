"""Stations say their province (at registration, or through their kiosks' sync); the hub
groups and filters its stations by province on the dashboard and in the tallies API."""

import json
import re
from datetime import date, datetime, timezone

import pytest
from click.testing import CliRunner

from kiosk.cli import main as cli
from kiosk.hub import open_hub_db, store
from kiosk.hub import stations as hub_stations
from kiosk.reports.tallies import tallies
from kiosk.store import db as kdb
from kiosk.store.eventlog import EventLog
from tests.helpers.credentials import HUB_SECRETS
from tests.helpers.fake_log import fill_log
from tests.helpers.forms import hub_signed_in_page

ADMIN = {"Authorization": f"Bearer {HUB_SECRETS['KIOSK_API_TOKEN']}"}
START = datetime(2025, 3, 1, 1, 0, tzinfo=timezone.utc).timestamp()
FY2025 = (date(2024, 10, 1), date(2025, 9, 30))


def rows_of(path, kiosk_id, n, seed):
    fill_log(path, kiosk_id, n, START, 5 * 86400, seed=seed)
    db = kdb.connect(path)
    rows = [e.as_row() for e in EventLog(db, kiosk_id).events_since(0, 10000)]
    db.conn.close()
    return rows


def push(client, token, rows, station, **meta):
    body = {"protocol": 1, "kiosk": {"id": rows[0]["kiosk"], "station": station, **meta}, "events": rows}
    return client.post(
        "/api/v1/sync",
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {token}"},
        content_type="application/json",
    )


@pytest.fixture
def three_stations(tmp_path, hub, hub_db):
    """changhan and selaphum in Roi Et (set by the admin), chonburi-1 in Chon Buri (said by
    its kiosk), nowhere-1 says nothing; each kiosk has sent its log."""
    client = hub.test_client()
    plan = (
        ("k1", "changhan", {"province": "Roi Et"}, {}),
        ("k2", "selaphum", {"province": "ร้อยเอ็ด"}, {}),
        ("k3", "chonburi-1", {}, {"province": "chon_buri"}),
        ("k4", "nowhere-1", {}, {}),
    )
    for seed, (name, station, at_registration, in_sync) in enumerate(plan, start=1):
        token = store.add_kiosk(hub_db, name, station, **at_registration)
        rows = rows_of(tmp_path / f"{name}.db", name, 40, seed)
        answer = push(client, token, rows, station, **in_sync)
        assert answer.status_code == 200, answer.json
    return client


def test_a_station_says_its_province_at_registration_or_through_its_kiosks(three_stations, hub_db):
    assert hub_stations.station_provinces(hub_db) == {
        "changhan": "roi_et",
        "selaphum": "roi_et",
        "chonburi-1": "chon_buri",
    }
    assert hub_stations.stations_in(hub_db, ["roi_et"]) == ["changhan", "selaphum"]


def test_the_admins_province_wins_over_what_a_kiosk_says(tmp_path, hub, hub_db):
    client = hub.test_client()
    token = store.add_kiosk(hub_db, "k1", "changhan", province="Roi Et")
    answer = push(client, token, rows_of(tmp_path / "k1.db", "k1", 10, 1), "changhan", province="phuket")
    assert answer.status_code == 200 and answer.json["station_province"] == "roi_et"
    assert hub_stations.station_provinces(hub_db) == {"changhan": "roi_et"}
    store.set_station_province(hub_db, "changhan", "Phuket")
    assert hub_stations.station_provinces(hub_db) == {"changhan": "phuket"}


def test_an_unknown_province_is_refused_whole_and_named(tmp_path, hub, hub_db):
    with pytest.raises(store.RegistryError, match="--province.*77 provinces"):
        store.add_kiosk(hub_db, "k1", "changhan", province="Atlantis")
    assert store.kiosks(hub_db) == []  # nothing half-registered
    token = store.add_kiosk(hub_db, "k1", "changhan")
    answer = push(hub.test_client(), token, rows_of(tmp_path / "k1.db", "k1", 10, 1), "changhan", province="Atlantis")
    assert answer.status_code == 400 and answer.json["field"] == "kiosk.province"
    assert hub_db.execute("SELECT count(*) FROM hub_events").fetchone()[0] == 0
    assert hub_stations.station_provinces(hub_db) == {}


def test_the_cli_registers_with_a_province_and_sets_one_later(tmp_path):
    runner = CliRunner()
    data = str(tmp_path / "hub")
    result = runner.invoke(
        cli, ["hub", "add-kiosk", "k1", "--station", "changhan", "--province", "Roi Et", "--data-dir", data]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["hub", "set-province", "changhan", "ขอนแก่น", "--data-dir", data])
    assert result.exit_code == 0 and "Khon Kaen" in result.output and "ขอนแก่น" in result.output
    result = runner.invoke(cli, ["hub", "set-province", "changhan", "Narnia", "--data-dir", data])
    assert result.exit_code == 1 and "77 provinces" in result.output
    result = runner.invoke(cli, ["hub", "set-province", "nosuch", "Roi Et", "--data-dir", data])
    assert result.exit_code == 1 and "no kiosk is registered for station 'nosuch'" in result.output
    db = open_hub_db(tmp_path / "hub")
    assert hub_stations.station_provinces(db) == {"changhan": "khon_kaen"}
    db.conn.close()


def test_the_tallies_api_filters_by_province(three_stations, hub_db):
    client = three_stations
    by_province = client.get("/api/v1/tallies?province=Roi Et", headers=ADMIN)
    assert by_province.status_code == 200
    assert by_province.json["filters"]["station"] == ["changhan", "selaphum"]
    expected = tallies(hub_db, table="hub_events", stations=["changhan", "selaphum"])
    assert by_province.json["satisfaction"] == expected["satisfaction"]
    assert by_province.json["satisfaction"]["total"] > 0
    assert [k["name"] for k in by_province.json["kiosks"]] == ["k1", "k2"]
    both = client.get("/api/v1/tallies?province=roi_et,ชลบุรี", headers=ADMIN).json
    assert both["filters"]["province"] == ["roi_et", "chon_buri"]
    assert [k["name"] for k in both["kiosks"]] == ["k1", "k3", "k2"]  # by station, then name
    narrowed = client.get("/api/v1/tallies?province=roi_et&station=selaphum", headers=ADMIN).json
    assert [k["name"] for k in narrowed["kiosks"]] == ["k2"]
    unknown = client.get("/api/v1/tallies?province=Gondor", headers=ADMIN)
    assert unknown.status_code == 400
    assert unknown.json["field"] == "province" and "Gondor" in unknown.json["error"]


def cells(page, table_class):
    table = re.search(rf'<table class="data {table_class}">(.*?)</table>', page, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


def test_the_dashboard_groups_stations_by_province_and_filters_by_one(three_stations, hub_db):
    client = three_stations
    page = hub_signed_in_page(client, "/hub?period=fy-2025")
    provinces = cells(page, "provinces")
    assert [row[:3] for row in provinces[1:]] == [
        ["ชลบุรี", "1", "1"],
        ["ร้อยเอ็ด", "2", "2"],
        ["ไม่ระบุจังหวัด", "1", "1"],
    ]
    roi_et = tallies(hub_db, FY2025[0], FY2025[1], table="hub_events", stations=["changhan", "selaphum"])
    assert roi_et["satisfaction"]["total"] > 0
    assert provinces[2][3] == str(roi_et["satisfaction"]["total"])
    stations = cells(page, "stations")
    assert [row[:2] for row in stations[1:]] == [
        ["changhan", "ร้อยเอ็ด"],
        ["chonburi-1", "ชลบุรี"],
        ["nowhere-1", "–"],
        ["selaphum", "ร้อยเอ็ด"],
    ]
    by_province = client.get("/hub?period=fy-2025&sort=province&dir=asc")
    assert [row[0] for row in cells(by_province.get_data(as_text=True), "stations")[1:]] == [
        "chonburi-1",
        "changhan",
        "selaphum",
        "nowhere-1",  # says none: last either way
    ]
    one = client.get("/hub?period=fy-2025&province=roi_et").get_data(as_text=True)
    assert "จังหวัดร้อยเอ็ด:" in one
    assert [row[0] for row in cells(one, "stations")[1:]] == ["changhan", "selaphum"]
    answers = [row[3] for row in cells(one, "stations")[1:]]
    assert sum(int(n.split()[0]) for n in answers) == roi_et["satisfaction"]["total"]
    unknown = client.get("/hub?province=Mordor")
    assert unknown.status_code == 400
    assert "Mordor" in unknown.get_data(as_text=True)


def test_bangkok_is_named_as_itself_not_as_a_province(three_stations, hub_db):
    """Bangkok is a special administrative area, not a จังหวัด: "กรุงเทพมหานคร:", never
    "จังหวัดกรุงเทพมหานคร:"."""
    store.set_station_province(hub_db, "nowhere-1", "Bangkok")
    page = hub_signed_in_page(three_stations, "/hub?period=fy-2025&province=bangkok")
    assert "กรุงเทพมหานคร:" in page and "จังหวัดกรุงเทพมหานคร" not in page
    assert [row[0] for row in cells(page, "stations")[1:]] == ["nowhere-1"]
