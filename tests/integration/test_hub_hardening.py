"""Issue 15, items 1, 7 and 9: what a bad kiosk token can send the hub.

One event schema on both sides (kiosk.core.events): the hub refuses a batch with one event
the kiosk could never have written (400 naming its seq and field, nothing stored); figures
never crash on rows older hubs stored unchecked (counted "unreadable"); a per-kiosk budget
answers 429 with Retry-After, which the kiosk's sync waits out and its duty panel explains;
deep JSON, huge numbers and a protocol of true or 1.0 are a 400, never a 500."""

import json
import os
import re
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.app import create_app
from kiosk.core.events import EVENT_KEYS, MAX_SEQ, ValidationError, canonical_json, check_at, event_hash
from kiosk.hub import open_hub_db, store
from kiosk.hub.budget import Budget
from kiosk.store import db as kdb
from kiosk.store import rollups
from kiosk.store.db import write_transaction
from kiosk.store.eventlog import EventLog
from kiosk.sync.client import SLOW_DOWN, SyncClient, SyncError, read_state
from kiosk.sync.worker import SyncWorker
from kiosk.web.database import database_path
from tests.helpers.clock import FakeClock
from tests.helpers.credentials import HUB_SECRETS, TEST_SECRETS
from tests.helpers.fake_log import fill_log
from tests.helpers.forms import post_form

ADMIN_TOKEN = HUB_SECRETS["KIOSK_API_TOKEN"]
START = datetime(2025, 3, 1, 1, 0, tzinfo=timezone.utc).timestamp()
ANSWER = "ab" * 16


def make_hub(tmp_path, overrides=None):
    app = create_app(
        "hub", data_dir=tmp_path / "hub", overrides=overrides, environ=HUB_SECRETS, announce=lambda _text: None
    )
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def hub(tmp_path):
    return make_hub(tmp_path)


@pytest.fixture
def token(hub_db):
    return store.add_kiosk(hub_db, "k1", "changhan")


@pytest.fixture(scope="module")
def kiosk_rows(tmp_path_factory):
    """The rows of a real kiosk log: 60 ratings, follow-ups and referrals."""
    path = tmp_path_factory.mktemp("kiosk") / "k1.db"
    head = fill_log(path, "kiosk-1", 60, START, 5 * 86400, seed=1)
    db = kdb.connect(path)
    rows = [event.as_row() for event in EventLog(db, "kiosk-1").events_since(0, 1000)]
    db.conn.close()
    assert len(rows) == head
    return rows


def body(rows, **meta):
    return {"protocol": 1, "kiosk": {"id": "kiosk-1", "station": "changhan", "head": len(rows), **meta}, "events": rows}


def push(client, token, data):
    data = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return client.post(
        "/api/v1/sync", data=data, headers={"Authorization": f"Bearer {token}"}, content_type="application/json"
    )


def stored(hub_db):
    return hub_db.execute("SELECT count(*) FROM hub_events").fetchone()[0]


def rehashed(row, **changes):
    """The row with `changes` (a payload as an object), its hash recomputed: valid but for the change."""
    row = dict(row)
    if isinstance(changes.get("payload"), dict):
        changes["payload"] = canonical_json(changes["payload"])
    row.update(changes)
    row["hash"] = event_hash(*(row[key] for key in EVENT_KEYS[:-1]))
    return row


def first(rows, kind):
    return next(i for i, row in enumerate(rows) if row["kind"] == kind)


# -- item 1: one schema; a hostile event refuses the batch, naming it -----------------------

IN_TWO_DAYS = (datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
HOSTILE = [
    # (kind of the event changed, changes, field named)
    ("rating", {"at": "2026-12-31T25:61:61Z"}, "at"),
    ("rating", {"at": "2024-02-30T10:00:00Z"}, "at"),
    ("rating", {"at": "9999-12-31T23:00:00Z"}, "at"),
    ("rating", {"at": "0001-01-01T00:00:00Z"}, "at"),
    ("rating", {"at": "2023-12-31T23:59:59Z"}, "at"),
    ("rating", {"at": IN_TWO_DAYS}, "at"),
    ("rating", {"at": "２０２５-03-01T10:00:00Z"}, "at"),
    ("rating", {"kind": "junk", "payload": {"x": "y" * 4000}}, "kind"),
    ("amend", {"payload": {"answer_id": ANSWER, "reasons": [["x"]]}}, "payload.reasons"),
    ("amend", {"payload": {"answer_id": ANSWER, "aspects": {"staff": [5]}}}, "payload.aspects.staff"),
    ("amend", {"payload": {"answer_id": ANSWER, "aspects": {"bribe": 5}}}, "payload.aspects"),
    ("amend", {"payload": {"answer_id": ANSWER, "unit": ["traffic"]}}, "payload.unit"),
    ("amend", {"payload": {"answer_id": ANSWER, "has_comment": "yes"}}, "payload.has_comment"),
    ("amend", {"payload": {"answer_id": ANSWER}}, "payload"),
    ("rating", {"payload": {"answer_id": ANSWER, "level": True}}, "payload.level"),
    ("rating", {"payload": {"answer_id": ANSWER, "level": 5.0}}, "payload.level"),
    ("rating", {"payload": {"answer_id": ANSWER, "level": "5"}}, "payload.level"),
    ("rating", {"payload": {"answer_id": ANSWER, "level": 6}}, "payload.level"),
    ("rating", {"payload": {"answer_id": "x", "level": 5}}, "payload.answer_id"),
    ("rating", {"payload": {"answer_id": ANSWER, "level": 5, "comment": "081-234-5678"}}, "payload.comment"),
    ("referral", {"payload": {"unit": "nowhere"}}, "payload.unit"),
    ("referral", {"flagged": 1, "flag_reason": "because"}, "flag_reason"),
]


@pytest.mark.parametrize("kind, changes, field", HOSTILE, ids=[f"{h[0]}-{h[2]}-{i}" for i, h in enumerate(HOSTILE)])
def test_an_event_the_kiosk_could_not_write_refuses_the_batch_naming_it(
    hub, hub_db, token, kiosk_rows, kind, changes, field
):
    rows = [dict(row) for row in kiosk_rows[:20]]
    index = first(rows, kind)
    rows[index] = rehashed(rows[index], **changes)
    answer = push(hub.test_client(), token, body(rows))
    assert answer.status_code == 400, answer.json
    assert answer.json["seq"] == rows[index]["seq"]
    assert answer.json["field"] == f"events[{index}].{field}"
    assert f"seq {rows[index]['seq']}" in answer.json["error"]
    assert stored(hub_db) == 0
    assert push(hub.test_client(), token, body(kiosk_rows[:20])).status_code == 200


def test_the_kiosk_writes_by_the_same_schema(tmp_path):
    db = kdb.connect(tmp_path / "k.db")
    from kiosk.store import migrations

    migrations.migrate(db)
    clock = FakeClock(datetime(2023, 12, 31, 23, 0, tzinfo=timezone.utc).timestamp())  # a clock gone back
    log = EventLog(db, "kiosk-1", clock=clock)
    with pytest.raises(ValidationError) as error:
        log.record_rating(5)
    assert error.value.field == "at" and "clock" in error.value.message
    clock.at("2025-01-01T03:00:00Z")
    answer = log.record_rating(5).answer_id
    assert log.amend(answer, unit="traffic", reasons=[]).kind == "amend"
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 2
    with pytest.raises(ValueError):
        EventLog(db, "k" * 65)
    db.conn.close()


def test_check_at_and_the_sql_check_agree(tmp_path):
    from kiosk.reports.tallies import readable_at_args, readable_at_sql

    db = kdb.connect(tmp_path / "x.db")
    latest = "2026-12-02T00:00:00Z"
    for text in [
        "2025-03-01T10:00:00Z",
        "2024-02-29T23:59:59Z",
        "2024-01-01T00:00:00Z",
        "2026-12-02T00:00:00Z",
        "2026-12-02T00:00:01Z",
        "2026-12-31T25:61:61Z",
        "2024-02-30T10:00:00Z",
        "2025-04-31T10:00:00Z",
        "2025-13-01T10:00:00Z",
        "2025-01-01T24:00:00Z",
        "2025-01-01T10:00:60Z",
        "9999-12-31T23:00:00Z",
        "0001-01-01T00:00:00Z",
        "2025-03-01 10:00:00Z",
        "2025-03-01T10:00:00+00:00",
    ]:
        try:
            check_at(text, latest)
            python = True
        except ValidationError:
            python = False
        sql = db.execute(
            "SELECT " + readable_at_sql("t.at") + " FROM (SELECT ? AS at) AS t", [*readable_at_args(latest), text]
        ).fetchone()[0]
        assert bool(sql) == python, text
    db.conn.close()


# -- item 1, defence in depth: what older hubs stored is read, never a crash ----------------


def insert_raw(hub_db, seq, kind, payload, at, kiosk="k1", flagged=0):
    """A row as older code stored it: straight into hub_events, no schema."""
    payload = payload if isinstance(payload, str) else json.dumps(payload, sort_keys=True, separators=(",", ":"))
    with kdb.write_transaction(hub_db.conn) as tx:
        tx.execute(
            "INSERT INTO hub_events (kiosk, seq, station, id, event_kiosk, at, kind, payload, flagged,"
            " flag_reason, prev_hash, hash, received_at) VALUES (?, ?, 'changhan', ?, 'kiosk-1', ?, ?, ?, ?, NULL,"
            " ?, ?, '2026-12-01T00:00:00Z')",
            (kiosk, seq, f"{seq:032x}", at, kind, payload, flagged, "0" * 64, "0" * 64),
        )


def signed_in(client, path):
    page = client.get("/hub/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(
        "/hub/login", data={"username": "admin", "password": HUB_SECRETS["KIOSK_ADMIN_PASSWORD"], "csrf_token": csrf}
    )
    return client.get(path)


def test_hostile_rows_stored_by_older_code_are_counted_unreadable_never_a_500(hub, hub_db, token, kiosk_rows):
    client = hub.test_client()
    assert push(client, token, body(kiosk_rows)).status_code == 200
    api = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    before = client.get("/api/v1/tallies", headers=api).json
    assert before["unreadable"] == 0
    answer = hub_db.execute(
        "SELECT json_extract(payload, '$.answer_id') FROM hub_events WHERE kind = 'rating' AND flagged = 0"
    ).fetchone()[0]
    this_month = datetime.now(timezone.utc).strftime("%Y-%m")
    hostile = [
        ("rating", {"answer_id": "c" * 32, "level": 5}, "2026-12-31T25:61:61Z"),
        ("rating", {"answer_id": "d" * 32, "level": 5}, "2024-02-30T10:00:00Z"),
        ("rating", {"answer_id": "e" * 32, "level": 1}, "9999-12-31T23:00:00Z"),
        ("rating", {"answer_id": "f" * 32, "level": 1}, "0001-01-01T00:00:00Z"),
        ("rating", {"answer_id": "1" * 32, "level": 4}, f"{this_month}-02T25:00:00Z"),
        ("rating", {"answer_id": "2" * 32, "level": True}, "2025-03-02T03:00:00Z"),
        ("rating", {"answer_id": "3" * 32, "level": [5]}, "2025-03-02T03:00:00Z"),
        ("amend", {"answer_id": answer, "reasons": [["x"]]}, "2025-03-02T03:00:00Z"),
        ("amend", {"answer_id": answer, "aspects": {"staff": [5]}, "unit": ["traffic"]}, "2025-03-02T03:00:00Z"),
        ("referral", {"unit": ["traffic"]}, "2025-03-02T03:00:00Z"),
        ("referral", {"unit": "traffic"}, "2024-02-30T10:00:00Z"),
        ("referral", {"unit": "traffic"}, "9999-12-31T23:00:00Z"),
        ("junk", {"x": "y"}, "2025-03-02T03:00:00Z"),
    ]
    for offset, (kind, payload, at) in enumerate(hostile):
        insert_raw(hub_db, 1000 + offset, kind, payload, at)
    # Older code stored them before the rollups: the upgrade builds the rollups from them.
    with write_transaction(hub_db.conn) as conn:
        rollups.rebuild(conn, "hub_events")

    after = client.get("/api/v1/tallies", headers=api)
    assert after.status_code == 200
    figures = after.json
    assert figures["unreadable"] == 12  # every hostile row but the junk kind, which no figure reads
    assert figures["satisfaction"] == before["satisfaction"] and figures["eit"] == before["eit"]
    assert len(figures["satisfaction"]["by_day"]) < 10  # not every day from year 1 to 9999
    dated = client.get("/api/v1/tallies?from=2024-01-01&to=2026-12-31", headers=api)
    assert dated.status_code == 200 and dated.json["unreadable"] >= 8

    page = signed_in(client, "/hub?from=2024-01-01&to=2026-12-31&lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "stored events cannot be read" in text and "unreadable" in text
    assert signed_in(client, "/hub").status_code == 200
    assert signed_in(client, "/hub?lang=th").status_code == 200


# -- item 9: deep JSON, huge numbers, a protocol that is not the integer 1 ------------------


def test_deep_json_and_huge_numbers_are_a_400_never_a_500(hub, hub_db, token, kiosk_rows):
    client = hub.test_client()
    deep = "[" * 50_000 + "]" * 50_000
    for data in (
        deep,
        '{"protocol": 1, "events": ' + deep + "}",
        '{"protocol": 1, "kiosk": {"quota": ' + "{" * 50_000 + "}" * 50_000 + "}}",
    ):
        answer = push(client, token, data)
        assert answer.status_code == 400 and answer.json["error"], answer.json
    deep_payload = rehashed(kiosk_rows[0], payload="[" * 4000 + "]" * 4000)
    answer = push(client, token, body([deep_payload, *kiosk_rows[1:5]]))
    assert answer.status_code == 400 and answer.json["field"] == "events[0].payload"

    for seq in (2**63, 2**62, MAX_SEQ + 1, 1.0, True, 0):
        rows = [dict(row) for row in kiosk_rows[:5]]
        rows[2] = rehashed(rows[2], seq=seq)
        answer = push(client, token, body(rows, head=5))
        assert answer.status_code == 400 and answer.json["field"] == "events[2].seq", (seq, answer.json)
    for head in (2**63, 2**62, MAX_SEQ + 1, -1, 5.0, True):
        answer = push(client, token, body(kiosk_rows[:5], head=head))
        assert answer.status_code == 400 and answer.json["field"] == "kiosk.head", (head, answer.json)
    for protocol in (True, 1.0, "1", None):
        answer = push(client, token, {**body(kiosk_rows[:5]), "protocol": protocol})
        assert answer.status_code == 400 and answer.json["field"] == "protocol", (protocol, answer.json)
    assert stored(hub_db) == 0
    ok = push(client, token, body(kiosk_rows[:5], head=MAX_SEQ))
    assert ok.status_code == 200 and ok.json["head"] == MAX_SEQ


# -- item 7: a per-kiosk budget, 429 with Retry-After ----------------------------------------


def test_a_kiosk_over_its_budget_gets_429_with_retry_after_and_nothing_is_stored(tmp_path, kiosk_rows):
    hub = make_hub(tmp_path, overrides={"hub_limits": {"events_per_minute": 30}})
    db = open_hub_db(hub.config["DATA_DIR"])
    token = store.add_kiosk(db, "k1", "changhan")
    other = store.add_kiosk(db, "k2", "changhan")
    client = hub.test_client()
    clock = FakeClock(datetime(2026, 12, 1, 3, 0, 10, tzinfo=timezone.utc).timestamp())
    assert push(client, token, body([])).json["stored"] == 0  # a heartbeat costs nothing
    hub.extensions["hub_budget"].clock = clock
    assert push(client, token, body(kiosk_rows[:20])).status_code == 200
    assert push(client, token, body(kiosk_rows[:40])).json["acked"] == 40  # 20 spent: the batch is taken whole
    over = push(client, token, body(kiosk_rows[:60]))
    assert over.status_code == 429
    assert over.headers["Retry-After"] == "50"  # the minute ends in 50 s
    assert "(30, setting hub_limits.events_per_minute)" in over.json["error"]
    assert "nothing of this batch was stored" in over.json["error"]
    assert stored(db) == 40
    # Another kiosk has its own budget; the admin sees why this one waits.
    assert push(client, other, body(kiosk_rows[:10])).status_code == 200
    assert store.kiosks(db, names=["k1"])[0]["last_error"].startswith("429: ")
    clock.advance(50)
    assert push(client, token, body(kiosk_rows[:60])).json["acked"] == 60
    db.conn.close()


def test_the_day_budget_counts_what_is_stored_and_ends_at_midnight_in_bangkok():
    clock = FakeClock(datetime(2026, 12, 1, 16, 0, 0, tzinfo=timezone.utc).timestamp())  # 23:00 in Bangkok
    budget = Budget(events_per_minute=10**6, bytes_per_day=10_000, clock=clock)
    budget.charge("k1", events=20, nbytes=9_999)
    assert budget.spent("k1") is None
    budget.charge("k1", nbytes=1)
    retry_after, message, noted = budget.spent("k1")
    assert retry_after == 3600 and "megabytes_per_day" in message and noted
    assert budget.spent("k1")[2] is False  # noted once per window
    assert budget.spent("k2") is None
    clock.advance(3600)
    assert budget.spent("k1") is None


def test_the_defaults_let_a_long_catch_up_through(hub, hub_db, token, tmp_path):
    path = tmp_path / "busy.db"
    head = fill_log(path, "kiosk-1", 3000, START, 75 * 86400, seed=3)  # 75 days at 40 a day
    db = kdb.connect(path)
    log = EventLog(db, "kiosk-1")
    client = hub.test_client()
    acked = 0
    while acked < head:
        rows = [event.as_row() for event in log.events_since(acked, 500)]
        answer = push(client, token, body(rows, head=head))
        assert answer.status_code == 200, answer.json
        acked = answer.json["acked"]
    db.conn.close()
    budget = hub.extensions["hub_budget"]
    (_day, used) = next(iter(budget._day.values()))
    limits = hub.config["KIOSK"].hub_limits
    # Four weeks of a busy counter (40,000 events, tests/test_sync_catchup.py) fit in a
    # day and in a minute; so do several years of an ordinary kiosk (40 a day).
    assert used / head * 40_000 < limits.megabytes_per_day * 1_000_000 / 2
    assert limits.events_per_minute > 40_000


class _Busy(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        data = json.dumps({"error": "this kiosk has sent the most events the hub stores in a minute"}).encode()
        self.send_response(429)
        self.send_header("Retry-After", "120")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def busy_hub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Busy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_the_kiosk_waits_out_a_429_and_the_duty_panel_says_so(make_app, busy_hub, monkeypatch):
    app = make_app(overrides={"hub": {"url": busy_hub, "token": "t", "timeout_seconds": 5.0}})
    client = app.test_client()
    post_form(client, "/satisfaction", {"level": "5", "form_id": os.urandom(16).hex()})
    db = kdb.connect(database_path(app))
    with pytest.raises(SyncError) as error:
        SyncClient(db, app.config["KIOSK"], app.config["DATA_DIR"]).push()
    assert error.value.kind == SLOW_DOWN and error.value.retry_after == 120 and error.value.status == 429
    state = read_state(db)
    assert state["last_error_kind"] == SLOW_DOWN and "acked" not in state and not state.get("refused")
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    db.conn.close()

    # The background worker waits at least what the hub asked, not its short back-off.
    waits = []
    worker = SyncWorker(database_path(app), app.config["KIOSK"], app.config["DATA_DIR"])
    worker.interval = 0.01

    def wait(delay):
        waits.append(delay)
        return len(waits) > 2

    monkeypatch.setattr(worker.stopping, "wait", wait)
    worker.run()
    assert waits[1] >= 120 and waits[2] >= 120

    client.get("/home?lang=en")
    page = post_form(client, "/duty", {"pin": TEST_SECRETS["KIOSK_DUTY_PIN"]}).get_data(as_text=True)
    assert "The hub asked the kiosk to wait" in page and "1 events waiting" in page
    client.get("/home?lang=th")
    assert "ศูนย์รวมข้อมูลขอให้ตู้บริการรอก่อน" in client.get("/duty").get_data(as_text=True)
