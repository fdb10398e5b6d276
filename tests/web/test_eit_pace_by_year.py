"""The EIT quota on the dashboard follows the period's fiscal year: an admin who looks back at
last year sees last year's referrals in last year's collection window, as the months below it
do, not today's window (empty before 1 January). The hub's stations table likewise."""

import json
import re
from pathlib import Path

from kiosk.store import db as kdb
from kiosk.store import migrations
from kiosk.store.eventlog import EventLog
from kiosk.web.database import DB_FILENAME
from tests.helpers.clock import FakeClock, utc_timestamp
from tests.helpers.forms import admin_signed_in, hub_signed_in_page


def referrals_at(app, when, units):
    """EIT referrals written into the kiosk's own log from a past time."""
    write_referrals(Path(app.config["DATA_DIR"]) / DB_FILENAME, app.config["KIOSK"].kiosk.id, when, units)


def write_referrals(db_path, kiosk_id, when, units):
    """EIT referrals an hour apart (no repeat to leave out) from `when`; the log's rows."""
    database = kdb.connect(db_path)
    migrations.migrate(database)
    clock = FakeClock(utc_timestamp(when))
    log = EventLog(database, kiosk_id, clock=clock)
    for unit in units:
        log.record_referral(unit)
        clock.advance(3600)
    rows = [event.as_row() for event in log.events_since(0, 1000)]
    database.conn.close()
    return rows


def quota_row(page, unit_label):
    """The EIT quota table's cells for the unit whose label starts so: (referrals, quota)."""
    table = page.split("<h2>EIT quota", 1)[1].split("</table>", 1)[0]
    row = table.split(f'<th scope="row">{unit_label}', 1)[1].split("</tr>", 1)[0]
    cells = [cell.split("</td>", 1)[0] for cell in row.split("<td>")[1:]]
    return cells[0], cells[1]


def test_a_past_fiscal_years_quota_counts_that_years_window(station_app):
    # Fiscal year 2025 (BE 2568): its EIT window is 1 January to 30 June 2025.
    referrals_at(station_app, "2024-12-20T03:00:00Z", ["traffic"])  # same fiscal year, before the window
    referrals_at(station_app, "2025-03-10T03:00:00Z", ["traffic", "traffic", "investigation"])
    client = admin_signed_in(station_app.test_client())

    page = client.get("/admin?period=fy-2025&lang=en").get_data(as_text=True)

    assert "1 Jan 2025 (B.E. 2568)" in page.split("<h2>EIT quota", 1)[1].split("</small>", 1)[0]
    assert quota_row(page, "Traffic")[0] == "2"
    assert quota_row(page, "Investigation")[0] == "1"
    # A month of that year reads the same window.
    month = client.get("/admin?month=2025-03&lang=en").get_data(as_text=True)
    assert quota_row(month, "Traffic")[0] == "2"


def test_the_hubs_stations_table_counts_a_past_years_window(tmp_path, hub, hub_db):
    from kiosk.hub import store

    token = store.add_kiosk(hub_db, "k1", "changhan")
    write_referrals(tmp_path / "k1.db", "k1", "2024-12-20T03:00:00Z", ["traffic"])
    rows = write_referrals(tmp_path / "k1.db", "k1", "2025-03-10T03:00:00Z", ["traffic", "investigation"])
    client = hub.test_client()
    body = {"protocol": 1, "kiosk": {"id": "k1", "station": "changhan"}, "events": rows}
    pushed = client.post(
        "/api/v1/sync",
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {token}"},
        content_type="application/json",
    )
    assert pushed.status_code == 200, pushed.json

    page = hub_signed_in_page(client, "/hub?period=fy-2025")

    table = re.search(r'<table class="data stations">(.*?)</table>', page, re.S).group(1)
    row = re.search(r"<tr[^>]*>\s*<th scope=\"row\"><a[^>]*>changhan</a></th>(.*?)</tr>", table, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells[5].startswith("2 / 300")  # the referrals of 1 Jan-30 Jun 2025, not December's
