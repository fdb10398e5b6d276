"""Counter displays through Flask's test client: pairing, recording for the counter's
unit, refusal for unpaired browsers on the network, revocation, the admin page."""

import json
import re

import pytest

from kiosk.reports.counters import counter_figures
from kiosk.reports.tallies import tallies
from kiosk.store import counters, hold
from kiosk.web.database import get_db
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.pages import page_text

NETWORK = "192.168.1.50"
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
FORM_ID = re.compile(r'action="/display/(rate|eit)".*?name="form_id" value="([0-9a-f]{32})"', re.S)


def browser(app, address=NETWORK):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def pairing_code(client):
    html = client.get("/display").get_data(as_text=True)
    return re.search(r'class="pairing-code"[^>]*>(\d{3})&thinsp;(\d{3})<', html).group(0) and "".join(
        re.search(r'class="pairing-code"[^>]*>(\d{3})&thinsp;(\d{3})<', html).groups()
    )


def paired_display(app, counter):
    client = browser(app)
    code = pairing_code(client)
    assert client.get("/display/claim").status_code == 204  # not paired yet
    with app.app_context():
        counters.pair(get_db(), code, counter, "test")
    response = client.get("/display/claim")
    assert response.headers["HX-Redirect"] == "/display"
    cookie = response.headers["Set-Cookie"]
    assert "kiosk_display=" in cookie and "HttpOnly" in cookie
    return client


def forms(client):
    html = client.get("/display").get_data(as_text=True)
    return CSRF.search(html).group(1), dict(FORM_ID.findall(html))


@pytest.fixture
def station(station_app):
    with station_app.app_context():
        counters.add_counter(get_db(), "ฝ่ายจราจร ชั้น 1", "traffic", "traffic")
        counters.add_counter(get_db(), "งานสอบสวน", "investigation", "investigation")
    return station_app


def figures(app):
    with app.app_context():
        db = get_db()
        return tallies(db), counter_figures(db)


def test_a_paired_display_rates_and_refers_for_its_counters_unit(station):
    traffic, investigation = paired_display(station, "traffic"), paired_display(station, "investigation")
    for client, level in ((traffic, 5), (investigation, 4)):
        token, ids = forms(client)
        page = client.post("/display/rate", data={"level": level, "form_id": ids["rate"], "csrf_token": token})
        assert page.status_code == 200
        assert "Which unit" not in page.get_data(as_text=True)  # no question asked
        token, ids = forms(client)
        qr = client.post("/display/eit", data={"form_id": ids["eit"], "csrf_token": token})
        assert qr.status_code == 200 and "itas.nacc.go.th" in qr.get_data(as_text=True)
    totals, by_counter = figures(station)
    assert totals["satisfaction"]["by_unit"]["traffic"] == {"total": 1, "mean": 5.0}
    assert totals["satisfaction"]["by_unit"]["investigation"] == {"total": 1, "mean": 4.0}
    assert totals["eit"]["by_unit"] == {"administration": 0, "crime_prevention": 0, "traffic": 1, "investigation": 1}
    assert totals["satisfaction"]["flagged"] == 0 and totals["unreadable"] == 0
    assert by_counter["by_counter"]["traffic"]["satisfaction"]["counts"]["5"] == 1
    assert by_counter["by_counter"]["investigation"]["eit"]["by_unit"] == {"investigation": 1}
    assert len(by_counter["by_display"]) == 2


def test_an_unpaired_browser_on_the_network_may_look_but_not_record(station):
    stranger = browser(station)
    assert stranger.get("/home").status_code == 200
    html = stranger.get("/satisfaction").get_data(as_text=True)
    token = CSRF.search(html).group(1)
    form_id = re.search(r'name="form_id" value="([0-9a-f]{32})"', html).group(1)
    for path, data in (("/satisfaction", {"level": 5}), ("/eit", {"unit": "traffic"}), ("/display/rate", {"level": 5})):
        response = stranger.post(path, data={**data, "form_id": form_id, "csrf_token": token})
        assert response.status_code == 403, path
        text = response.get_data(as_text=True)
        assert "not paired" in text and "จับคู่" in text, path
    assert figures(station)[0]["satisfaction"]["raw"]["total"] == 0
    assert figures(station)[0]["eit"]["raw"]["total"] == 0


def test_revoking_a_display_stops_it_on_its_next_request(station):
    client = paired_display(station, "traffic")
    token, ids = forms(client)
    with station.app_context():
        (display,) = counters.displays(get_db())
        counters.revoke(get_db(), display["id"])
    response = client.post("/display/rate", data={"level": 5, "form_id": ids["rate"], "csrf_token": token})
    assert response.status_code == 403
    assert client.get("/display/poll").headers["HX-Redirect"] == "/display"
    assert "pairing-code" in client.get("/display").get_data(as_text=True)
    assert figures(station)[0]["satisfaction"]["raw"]["total"] == 0


def test_wrong_pairing_codes_are_limited(station):
    with station.app_context():
        db = get_db()
        for _ in range(counters.WRONG_CODES_PER_HOUR):
            with pytest.raises(counters.CounterError) as wrong:
                counters.pair(db, "000000", "traffic", "test")
            assert wrong.value.status == 404
        code = pairing_code(browser(station))
        with pytest.raises(counters.CounterError) as held:
            counters.pair(db, code, "traffic", "test")  # even the right one waits now
        assert held.value.status == 429


def test_pairing_codes_per_address_are_limited(station):
    client = browser(station, "192.168.1.77")
    for _ in range(counters.CODES_PER_CLIENT_PER_HOUR):
        assert client.get("/display").status_code == 200
    response = client.get("/display")
    assert response.status_code == 429
    assert "Too many pairing codes" in response.get_data(as_text=True)


def test_the_admin_pairs_lists_and_revokes_on_the_counters_page(station):
    admin = station.test_client()
    page = admin.get("/admin/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    admin.post(
        "/admin/login",
        data={"username": "admin", "password": TEST_SECRETS["KIOSK_ADMIN_PASSWORD"], "csrf_token": token},
    )
    display = browser(station)
    code = pairing_code(display)
    page = admin.get("/admin/counters").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    wrong = admin.post("/admin/displays/pair", data={"code": "12345x", "counter": "traffic", "csrf_token": token})
    assert wrong.status_code == 404 and "no display shows this code" in wrong.get_data(as_text=True)
    assert (
        admin.post("/admin/displays/pair", data={"code": code, "counter": "traffic", "csrf_token": token}).status_code
        == 302
    )
    assert display.get("/display/claim").headers["HX-Redirect"] == "/display"
    page = admin.get("/admin/counters").get_data(as_text=True)
    assert "ฝ่ายจราจร ชั้น 1" in page
    display_id = re.search(r"/admin/displays/([0-9a-f]{32})/revoke", page).group(1)
    assert admin.post(f"/admin/displays/{display_id}/revoke", data={"csrf_token": token}).status_code == 302
    assert display.get("/display/poll").headers["HX-Redirect"] == "/display"


@pytest.mark.parametrize(
    ("where", "network_status", "https_status"),
    [("this_machine", 403, 403), ("https", 403, 200), ("anywhere", 200, 200)],
)
def test_staff_pages_open_from_the_network_only_where_the_settings_say(make_app, where, network_status, https_status):
    app = make_app(overrides={"network": {"staff_pages": where}})
    assert browser(app, "127.0.0.1").get("/duty").status_code == 200  # the kiosk's own screen, always
    plain = browser(app).get("/duty")
    assert plain.status_code == network_status
    if network_status == 403:
        assert "The staff pages open" in plain.get_data(as_text=True)
    assert browser(app).get("/duty", base_url="https://kiosk.example").status_code == https_status
    assert browser(app).get("/home").status_code == 200  # the citizen's screens stay open


def test_exports_and_the_api_carry_the_figures_by_counter(station):
    client = paired_display(station, "traffic")
    token, ids = forms(client)
    client.post("/display/rate", data={"level": 4, "form_id": ids["rate"], "csrf_token": token})
    admin = station.test_client()
    page = admin.get("/admin/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    admin.post(
        "/admin/login", data={"username": "admin", "password": TEST_SECRETS["KIOSK_ADMIN_PASSWORD"], "csrf_token": csrf}
    )
    document = json.loads(admin.get("/admin/export/report.json").data)
    assert document["tallies"]["counters"]["by_counter"]["traffic"]["satisfaction"]["total"] == 1
    csv_text = admin.get("/admin/export/report.csv").get_data().decode("utf-8-sig")
    assert "แยกตามเคาน์เตอร์" in csv_text and "ฝ่ายจราจร ชั้น 1" in csv_text
    assert "แยกตามเคาน์เตอร์" in admin.get("/admin").get_data(as_text=True)
    api = station.test_client().get(
        "/api/v1/tallies", headers={"Authorization": f"Bearer {TEST_SECRETS['KIOSK_API_TOKEN']}"}
    )
    assert api.json["counters"]["by_counter"]["traffic"]["satisfaction"]["mean"] == 4.0


def stored(app, sql):
    with app.app_context():
        return get_db().execute(sql).fetchall()


def test_a_held_kiosk_takes_nothing_from_its_displays(station):
    """A kiosk held because the hub holds more of its log (kiosk.store.hold) refuses its
    displays' taps as it refuses its own: a new event would fork the chain."""
    traffic = paired_display(station, "traffic")
    token, ids = forms(traffic)
    rated = traffic.post("/display/rate", data={"level": 4, "form_id": ids["rate"], "csrf_token": token})
    answer_id = re.search(r'action="/display/answer/([0-9a-f-]+)/aspects"', rated.get_data(as_text=True)).group(1)
    follow_up_id = FOLLOW_UP_ID.search(rated.get_data(as_text=True)).group(1)
    before = stored(station, "SELECT seq, id FROM events ORDER BY seq")
    with station.app_context():
        hold.hold(get_db(), 0, len(before) + 5)

    answer = {"staff": 5, "form_id": follow_up_id, "csrf_token": token, "done": "1"}
    assert traffic.post(f"/display/answer/{answer_id}/aspects", data=answer).status_code == 423
    token, ids = forms(traffic)
    page = traffic.get("/display").get_data(as_text=True)
    assert "ต้องกู้ข้อมูลคืนจากศูนย์กลางก่อน" in page_text(page) and 'name="level"' not in page
    refused = traffic.post("/display/rate", data={"level": 5, "form_id": FORM_ID_ANY, "csrf_token": token})
    assert refused.status_code == 423 and "กรุณาแจ้งเจ้าหน้าที่เวร" in page_text(refused)
    # The survey is still given (the citizen needs it); the referral is not counted.
    qr = traffic.post("/display/eit", data={"form_id": ids["eit"], "csrf_token": token})
    assert qr.status_code == 200 and "itas.nacc.go.th" in qr.get_data(as_text=True)
    assert stored(station, "SELECT seq, id FROM events ORDER BY seq") == before


def test_done_on_a_display_saves_what_was_chosen(station):
    traffic = paired_display(station, "traffic")
    token, ids = forms(traffic)
    rated = traffic.post("/display/rate", data={"level": 2, "form_id": ids["rate"], "csrf_token": token})
    html = rated.get_data(as_text=True)
    answer_id = re.search(r'action="/display/answer/([0-9a-f-]+)/aspects"', html).group(1)
    answer = {"staff": 1, "form_id": FOLLOW_UP_ID.search(html).group(1), "csrf_token": token, "done": "1"}
    thanks = traffic.post(f"/display/answer/{answer_id}/aspects", data=answer)
    assert thanks.status_code == 200 and 'data-screen="display-thanks"' in thanks.get_data(as_text=True)
    (payload,) = stored(station, "SELECT payload FROM events WHERE kind = 'amend' AND payload LIKE '%aspects%'")
    assert json.loads(payload[0])["aspects"] == {"staff": 1}


FOLLOW_UP_ID = re.compile(r'action="/display/answer/[^"]+".*?name="form_id" value="([0-9a-f]{32})"', re.S)
FORM_ID_ANY = "0" * 32
