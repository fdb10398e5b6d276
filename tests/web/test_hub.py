"""The hub in process: ingest (once, idempotent, any order, gaps and breaks kept visible,
whole-batch refusals), the registry, the admin API with filters, the dashboard."""

import json
import re
from datetime import date, datetime, timezone

import pytest

from kiosk.app import create_app
from kiosk.core.events import event_hash
from kiosk.hub import ingest, store
from kiosk.reports.periods import period_from_args
from kiosk.reports.tallies import tallies
from kiosk.store import db as kdb
from kiosk.store.eventlog import EventLog
from tests.helpers.credentials import HUB_SECRETS
from tests.helpers.fake_log import fill_log
from tests.helpers.forms import hub_signed_in_page as signed_in_page

ADMIN_TOKEN = HUB_SECRETS["KIOSK_API_TOKEN"]
START = datetime(2025, 3, 1, 1, 0, tzinfo=timezone.utc).timestamp()


@pytest.fixture
def client(hub):
    return hub.test_client()


class Kiosk:
    """A kiosk's log in a temporary file, and the batches it would send."""

    def __init__(self, path, kiosk_id="kiosk-1", n_events=60, seed=1, start=START):
        self.path = path
        self.head = fill_log(path, kiosk_id, n_events, start, 5 * 86400, seed=seed, comments=True)
        self.db = kdb.connect(path)
        self.log = EventLog(self.db, kiosk_id)

    def rows(self, first=1, last=None):
        last = last or self.head
        return [e.as_row() for e in self.log.events_since(first - 1, 10000) if e.seq <= last]

    def body(self, rows, **meta):
        return {
            "protocol": 1,
            "kiosk": {"id": "kiosk-1", "station": "changhan", "head": self.head, **meta},
            "events": rows,
        }

    def tallies(self, **kwargs):
        return tallies(self.db, **kwargs)


@pytest.fixture
def kiosk(tmp_path):
    k = Kiosk(tmp_path / "k1.db")
    yield k
    k.db.conn.close()


@pytest.fixture
def token(hub_db):
    return store.add_kiosk(hub_db, "k1", "changhan")


def push(client, token, body, **kwargs):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        "/api/v1/sync",
        data=data,
        headers=headers,
        content_type=kwargs.pop("content_type", "application/json"),
        **kwargs,
    )


def admin_get(client, path, token=ADMIN_TOKEN):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def hub_events(hub_db, name="k1"):
    return hub_db.execute("SELECT count(*) FROM hub_events WHERE kiosk = ?", [name]).fetchone()[0]


def test_a_batch_is_stored_once_and_a_repeat_changes_nothing(client, token, kiosk, hub_db):
    body = kiosk.body(kiosk.rows(1, 30))
    first = push(client, token, body)
    assert first.status_code == 200, first.json
    assert first.json["acked"] == 30 and first.json["stored"] == 30 and first.json["duplicates"] == 0
    again = push(client, token, body)
    assert again.json["acked"] == 30 and again.json["stored"] == 0 and again.json["duplicates"] == 30
    assert hub_events(hub_db) == 30
    assert again.json["chain"] == {"verified": 30, "broken_at": None}


def test_reordered_batches_leave_a_visible_gap_until_it_is_filled(client, token, kiosk, hub_db):
    later = push(client, token, kiosk.body(kiosk.rows(21, 40)))
    assert later.json["acked"] == 0 and later.json["missing"] == 20
    state = admin_get(client, "/api/v1/tallies").json["kiosks"][0]
    assert state["missing"] == 20 and state["acked"] == 0 and state["waiting"] == kiosk.head
    middle = push(client, token, kiosk.body(kiosk.rows(1, 20)))
    assert middle.json["acked"] == 40 and middle.json["missing"] == 0
    assert middle.json["chain"]["verified"] == 40
    rest = push(client, token, kiosk.body(kiosk.rows(41)))
    assert rest.json["acked"] == kiosk.head
    hub = admin_get(client, "/api/v1/tallies?kiosk=k1").json
    mine = kiosk.tallies(quota=hub["eit"]["quota"])
    assert hub["satisfaction"] == mine["satisfaction"] and hub["eit"] == mine["eit"]
    ok, bad, last = store.verify_kiosk_chain(hub_db, "k1")
    assert ok and bad is None and last == kiosk.head


def test_a_gap_is_shown_to_the_admin_never_papered_over(client, token, kiosk, hub):
    push(client, token, kiosk.body(kiosk.rows(1, 10)))
    push(client, token, kiosk.body(kiosk.rows(14, 20)))
    state = admin_get(client, "/api/v1/tallies").json["kiosks"][0]
    assert state["acked"] == 10 and state["missing"] == 3
    page = signed_in_page(client, "/hub?lang=en")
    assert "3 missing" in page


def _rechained(rows, bad_seq):
    """The same rows with event `bad_seq` no longer linked to the one before it, each hash
    recomputed so that every row is valid on its own (as after a removal on the kiosk)."""
    out, prev = [], None
    for row in rows:
        row = dict(row)
        if prev is not None:
            row["prev_hash"] = prev
        if row["seq"] == bad_seq:
            row["prev_hash"] = "f" * 64
        row["hash"] = event_hash(*(row[k] for k in ingest.EVENT_KEYS[:-1]))
        prev = row["hash"]
        out.append(row)
    return out


def test_a_broken_chain_is_stored_and_shown_never_hidden(client, token, kiosk, hub_db):
    rows = _rechained(kiosk.rows(1, 20), bad_seq=8)
    answer = push(client, token, kiosk.body(rows))
    assert answer.status_code == 200
    assert answer.json["acked"] == 20 and answer.json["chain"] == {"verified": 7, "broken_at": 8}
    state = admin_get(client, "/api/v1/tallies").json["kiosks"][0]
    assert state["chain_ok"] is False and state["broken_at"] == 8
    assert [p["kind"] for p in store.problems(hub_db)] == ["chain"]
    assert store.verify_kiosk_chain(hub_db, "k1")[:2] == (False, 8)
    page = signed_in_page(client, "/hub?lang=en")
    assert "Broken at seq 8" in page


def test_other_content_for_a_stored_seq_is_a_fork_refused_whole(client, token, kiosk, hub_db):
    push(client, token, kiosk.body(kiosk.rows(1, 10)))
    rows = kiosk.rows(9, 15)
    forged = dict(rows[1])  # seq 10, other content
    forged["payload"] = json.dumps({"answer_id": "0" * 32, "level": 1}, separators=(",", ":"), sort_keys=True)
    forged["kind"] = "rating"
    forged["hash"] = event_hash(*(forged[k] for k in ingest.EVENT_KEYS[:-1]))
    answer = push(client, token, kiosk.body([rows[0], forged, *rows[2:]]))
    assert answer.status_code == 409
    assert "seq 10" in answer.json["error"] and "fork" in answer.json["error"]
    assert hub_events(hub_db) == 10  # nothing of the batch: not even 11-15
    state = admin_get(client, "/api/v1/tallies").json["kiosks"][0]
    assert state["fork_at"] == 10 and state["chain_ok"] is False
    assert store.problems(hub_db)[0]["kind"] == "fork"


@pytest.mark.parametrize(
    "change, status, field",
    [
        (lambda rows: rows[3].update(hash="0" * 64), 400, "events[3].hash"),
        (lambda rows: rows[2].update(payload=rows[2]["payload"] + " "), 400, "events[2].payload"),
        (lambda rows: rows[1].update(seq="2"), 400, "events[1].seq"),
        (lambda rows: rows[0].update(comment="hello"), 400, "events[0].comment"),
        (lambda rows: rows[4].pop("prev_hash"), 400, "events[4].prev_hash"),
        (lambda rows: rows[5].update(at="2025-03-01 10:00"), 400, "events[5].at"),
        (lambda rows: rows.append(dict(rows[0])), 400, "events[10].seq"),
    ],
)
def test_a_bad_event_refuses_the_whole_batch_with_a_clear_error(client, token, kiosk, hub_db, change, status, field):
    rows = kiosk.rows(1, 10)
    change(rows)
    answer = push(client, token, kiosk.body(rows))
    assert answer.status_code == status
    assert answer.json["field"] == field and answer.json["error"]
    assert hub_events(hub_db) == 0
    assert store.problems(hub_db)[0]["kind"] == "refused"


def test_limits_schema_and_tokens(client, token, kiosk, hub_db):
    rows = kiosk.rows(1, 5)
    too_many = push(client, token, kiosk.body(rows * 201))
    assert too_many.status_code == 413 and "at most 1000 events" in too_many.json["error"]
    huge = push(client, token, b"{" + b" " * (ingest.MAX_BODY_BYTES + 10) + b"}")
    assert huge.status_code == 413 and huge.json["error"]
    assert push(client, token, "not json").status_code == 400
    assert push(client, token, {"protocol": 2, "events": []}).json["field"] == "protocol"
    assert push(client, token, kiosk.body(rows), content_type="text/plain").status_code == 415
    missing = push(client, None, kiosk.body(rows))
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert push(client, "wrong-token", kiosk.body(rows)).status_code == 401
    in_url = client.post(
        f"/api/v1/sync?token={token}", data=json.dumps(kiosk.body(rows)), content_type="application/json"
    )
    assert in_url.status_code == 400 and "never in the address" in in_url.json["error"]
    # The admin token is not a kiosk token, and a kiosk token is not the admin token.
    assert push(client, ADMIN_TOKEN, kiosk.body(rows)).status_code == 401
    assert admin_get(client, "/api/v1/tallies", token=token).status_code == 401
    assert client.get("/api/v1/tallies").status_code == 401
    assert hub_events(hub_db) == 0


def test_a_revoked_kiosk_is_refused_and_what_it_sent_stays(client, token, kiosk, hub_db):
    push(client, token, kiosk.body(kiosk.rows(1, 10)))
    store.revoke_kiosk(hub_db, "k1")
    refused = push(client, token, kiosk.body(kiosk.rows(11, 20)))
    assert refused.status_code == 401 and "revoked" in refused.json["error"]
    assert hub_events(hub_db) == 10
    assert admin_get(client, "/api/v1/tallies").json["kiosks"][0]["revoked"] is True
    new_token = store.add_kiosk(hub_db, "k1", "changhan", new_token=True)
    assert push(client, new_token, kiosk.body(kiosk.rows(11, 20))).json["acked"] == 20
    assert push(client, token, kiosk.body(kiosk.rows(11, 20))).status_code == 401


def test_comments_never_leave_the_kiosk(kiosk):
    assert kiosk.db.execute("SELECT count(*) FROM comments").fetchone()[0] > 0
    sent = json.dumps(kiosk.body(kiosk.rows()), ensure_ascii=False)
    assert "private words" not in sent and "234-5678" not in sent
    assert '\\"has_comment\\":true' in sent


def test_hub_tallies_by_station_kiosk_and_dates_equal_each_kiosk_s_own(client, hub_db, tmp_path):
    kiosks = {
        ("k1", "changhan"): Kiosk(tmp_path / "a.db", "kiosk-1", 80, seed=1),
        ("k2", "changhan"): Kiosk(tmp_path / "b.db", "kiosk-2", 50, seed=2),
        ("k3", "selaphum"): Kiosk(tmp_path / "c.db", "kiosk-1", 70, seed=3),
    }
    for (name, station), k in kiosks.items():
        t = store.add_kiosk(hub_db, name, station)
        quota = (
            {"administration": 10, "crime_prevention": 20, "traffic": 30, "investigation": 40}
            if station == "selaphum"
            else None
        )
        meta = {"quota": quota} if quota else {}
        assert push(client, t, k.body(k.rows(), **meta)).json["acked"] == k.head
    default_quota = {"administration": 15, "crime_prevention": 120, "traffic": 60, "investigation": 105}
    for (name, _station), k in kiosks.items():
        hub = admin_get(client, f"/api/v1/tallies?kiosk={name}&from=2025-03-02&to=2025-03-04").json
        mine = k.tallies(date_from=date(2025, 3, 2), date_to=date(2025, 3, 4), quota=hub["eit"]["quota"])
        assert hub["satisfaction"] == mine["satisfaction"] and hub["eit"] == mine["eit"]
    both = admin_get(client, "/api/v1/tallies?station=changhan").json
    k1, k2 = kiosks[("k1", "changhan")].tallies(), kiosks[("k2", "changhan")].tallies()
    assert both["satisfaction"]["total"] == k1["satisfaction"]["total"] + k2["satisfaction"]["total"]
    assert both["eit"]["raw"]["total"] == k1["eit"]["raw"]["total"] + k2["eit"]["raw"]["total"]
    assert both["eit"]["quota"] == default_quota
    assert [k["name"] for k in both["kiosks"]] == ["k1", "k2"]
    everything = admin_get(client, "/api/v1/tallies").json
    assert everything["satisfaction"]["raw"]["total"] == sum(
        k.tallies()["satisfaction"]["raw"]["total"] for k in kiosks.values()
    )
    assert everything["eit"]["quota"]["traffic"] == 60 + 30  # the stations' quotas add up
    listed = admin_get(client, "/api/v1/tallies?station=changhan,selaphum&kiosk=k1&kiosk=k3").json
    assert listed["filters"] == {"station": ["changhan", "selaphum"], "kiosk": ["k1", "k3"]}
    assert admin_get(client, "/api/v1/tallies?station=nowhere").status_code == 400
    assert admin_get(client, "/api/v1/tallies?from=2025-13-01").json["field"] == "from"
    # Times in what the hub exports are to the hour.
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:00\+07:00", k["last_sync"]) for k in everything["kiosks"])
    for k in kiosks.values():
        k.db.conn.close()


def test_the_dashboard_needs_a_sign_in_and_filters_by_station_and_kiosk(client, hub_db, tmp_path):
    assert client.get("/hub").status_code == 302
    recently = datetime.now(timezone.utc).timestamp() - 5 * 86400 - 3600
    a = Kiosk(tmp_path / "a.db", "kiosk-1", 40, seed=4, start=recently)
    b = Kiosk(tmp_path / "b.db", "kiosk-1", 30, seed=5, start=recently)
    push(client, store.add_kiosk(hub_db, "changhan-1", "changhan"), a.body(a.rows()))
    push(client, store.add_kiosk(hub_db, "selaphum-1", "selaphum"), b.body(b.rows()))
    store.add_kiosk(hub_db, "phonthong-1", "phonthong")  # never synced
    page = signed_in_page(client, "/hub?lang=en")
    stations = page[page.index('class="data stations"') : page.index("</table>", page.index('class="data stations"'))]
    for code in ("changhan", "selaphum", "phonthong"):
        assert code in stations
    assert "never" in stations and "Verified" in stations
    # Times to the hour only: no minutes other than :00 anywhere on the page.
    assert not re.search(r"\b\d{1,2}:(?!00)\d\d\b", page)
    one = client.get("/hub?station=selaphum&lang=en").get_data(as_text=True)
    one_stations = one[one.index('class="data stations"') : one.index("</table>", one.index('class="data stations"'))]
    assert "selaphum" in one_stations and "changhan" not in one_stations
    kpi = re.search(r'Answers counted</span><span class="kpi-value">(\d+)', one)
    assert kpi, one[one.index("kpis") :][:800]
    kpi = kpi.group(1)
    month = period_from_args({})
    assert int(kpi) == b.tallies(date_from=month.start, date_to=month.end)["satisfaction"]["total"]
    k = client.get("/hub?kiosk=changhan-1&lang=en").get_data(as_text=True)
    assert "changhan-1" in k and 'class="data kiosks"' in k
    assert client.get("/hub?station=nowhere&lang=en").status_code == 400
    thai = client.get("/hub?lang=th").get_data(as_text=True)
    assert "สถานี" in thai
    a.db.conn.close()
    b.db.conn.close()


def test_registry_cli_prints_the_token_once_and_keeps_a_hash(tmp_path):
    from click.testing import CliRunner

    from kiosk.cli import main

    runner = CliRunner()
    hub_dir = tmp_path / "hub"
    added = runner.invoke(main, ["hub", "add-kiosk", "k9", "--station", "changhan", "--data-dir", str(hub_dir)])
    assert added.exit_code == 0, added.output
    token = re.search(r"KIOSK_HUB_TOKEN=(\S+)", added.output).group(1)
    assert token.encode() not in (hub_dir / "kiosk.db").read_bytes()
    again = runner.invoke(main, ["hub", "--data-dir", str(hub_dir), "add-kiosk", "k9", "--station", "changhan"])
    assert again.exit_code != 0 and "already registered" in again.output
    listed = runner.invoke(main, ["hub", "kiosks", "--data-dir", str(hub_dir)])
    assert "k9" in listed.output and token not in listed.output
    revoked = runner.invoke(main, ["hub", "revoke-kiosk", "k9", "--data-dir", str(hub_dir)])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    unknown = runner.invoke(main, ["hub", "revoke-kiosk", "nobody", "--data-dir", str(hub_dir)])
    assert unknown.exit_code != 0 and "not registered" in unknown.output
    bad = runner.invoke(main, ["hub", "add-kiosk", "bad name", "--station", "x", "--data-dir", str(hub_dir)])
    assert bad.exit_code != 0 and "NAME" in bad.output


def test_tallies_reads_the_hub_table_without_changing_a_kiosk_s_figures(tmp_path, kiosk, hub_db):
    with pytest.raises(ValueError):
        tallies(kiosk.db, stations=["changhan"])  # a kiosk's own log has no stations
    with pytest.raises(ValueError):
        tallies(kiosk.db, table="comments")
    assert tallies(kiosk.db, kiosks=["kiosk-1"]) == tallies(kiosk.db)
    assert tallies(hub_db, table="hub_events")["satisfaction"]["total"] == 0


def test_tallies_can_leave_satisfaction_out_for_the_quota_pace(kiosk):
    full = tallies(kiosk.db)
    eit_only = tallies(kiosk.db, parts=("eit",))
    assert "satisfaction" not in eit_only and eit_only["eit"] == full["eit"] and eit_only["period"] == full["period"]


def test_hub_unknown_page_is_a_plain_404(tmp_path):

    app = create_app(
        "hub",
        data_dir=tmp_path,
        environ={"KIOSK_ADMIN_PASSWORD": "hub-admin-password", "KIOSK_API_TOKEN": "t"},
        announce=lambda _t: None,
    )
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404
    assert "ไม่มีหน้านี้ในระบบ" in response.get_data(as_text=True)


def test_the_provinces_content_editor_opens_on_the_hub(hub):
    """The hub's editor shares the station's templates; the station-only parts stay out."""
    page = signed_in_page(hub.test_client(), "/hub/content")
    assert "เผยแพร่ทันที" in page and "admin/content/translations" not in page


def test_the_hubs_tables_write_large_counts_with_thousands_separators(hub):
    """A province's year is hundreds of thousands of answers: 239,040 reads at a glance, 239040 does not."""
    with hub.app_context():
        page = hub.jinja_env.from_string("{{ 239040|thousands }} / {{ 6000|thousands }} / {{ 7|thousands }}").render()
    assert page == "239,040 / 6,000 / 7"
