"""GET /api/v1/events on the hub, in process: a kiosk reads back its OWN events, a page at a
time, with its own token; never another kiosk's; hostile parameters get a clear 4xx."""

from datetime import datetime, timezone

import pytest

from kiosk.hub import open_hub_db, store
from kiosk.store import db as kdb
from kiosk.store.eventlog import EventLog
from tests.helpers.credentials import HUB_SECRETS
from tests.helpers.fake_log import fill_log

START = datetime(2025, 3, 1, 1, 0, tzinfo=timezone.utc).timestamp()


@pytest.fixture
def client(hub):
    return hub.test_client()


def _rows(path, kiosk_id, n, seed):
    fill_log(path, kiosk_id, n, START, 5 * 86400, seed=seed, comments=True)
    db = kdb.connect(path)
    try:
        return [e.as_row() for e in EventLog(db, kiosk_id).events_since(0, 10000)]
    finally:
        db.conn.close()


@pytest.fixture
def two_kiosks(hub, client, tmp_path):
    """Kiosks k1 and k2 registered, each with its own events on the hub: (tokens, rows)."""
    db = open_hub_db(hub.config["DATA_DIR"])
    tokens = {name: store.add_kiosk(db, name, "changhan") for name in ("k1", "k2")}
    db.conn.close()
    rows = {"k1": _rows(tmp_path / "k1.db", "kiosk-1", 70, 1), "k2": _rows(tmp_path / "k2.db", "kiosk-2", 40, 2)}
    for name in ("k1", "k2"):
        body = {"protocol": 1, "kiosk": {"id": name, "head": len(rows[name])}, "events": rows[name]}
        answer = client.post("/api/v1/sync", json=body, headers={"Authorization": f"Bearer {tokens[name]}"})
        assert answer.status_code == 200 and answer.json["acked"] == len(rows[name])
    return tokens, rows


def get(client, token, query=""):
    return client.get(f"/api/v1/events{query}", headers={"Authorization": f"Bearer {token}"} if token else {})


def test_a_kiosk_reads_back_its_own_events_exactly_a_page_at_a_time(client, two_kiosks):
    tokens, rows = two_kiosks
    first = get(client, tokens["k1"], "?after=0&limit=30")
    assert first.status_code == 200
    assert first.json["kiosk"] == "k1" and first.json["acked"] == len(rows["k1"]) and first.json["more"] is True
    assert first.json["events"] == rows["k1"][:30]
    rest = get(client, tokens["k1"], "?after=30&limit=1000").json
    assert rest["events"] == rows["k1"][30:] and rest["more"] is False
    assert get(client, tokens["k1"], f"?after={len(rows['k1'])}").json["events"] == []
    # The other kiosk's token reads its own, and nothing of k1's.
    other = get(client, tokens["k2"]).json
    assert other["kiosk"] == "k2" and other["events"] == rows["k2"]
    assert not {r["id"] for r in other["events"]} & {r["id"] for r in rows["k1"]}


def test_a_kiosk_token_cannot_fetch_another_kiosks_events(client, two_kiosks, hub):
    tokens, _rows = two_kiosks
    answer = get(client, tokens["k1"], "?kiosk=k2&after=0")
    assert answer.status_code == 403
    assert "only its own events" in answer.json["error"] and answer.json["field"] == "kiosk"
    assert "events" not in answer.json
    # A name that does not exist answers the same: nothing says which names exist.
    assert get(client, tokens["k1"], "?kiosk=nobody").status_code == 403
    # Naming itself is fine.
    assert get(client, tokens["k1"], "?kiosk=k1").status_code == 200
    # The hub's admin API token is not a kiosk's: it gets no kiosk's events here.
    admin = get(client, HUB_SECRETS["KIOSK_API_TOKEN"])
    assert admin.status_code == 401 and "not registered" in admin.json["error"]
    # A revoked kiosk reads nothing any more.
    db = open_hub_db(hub.config["DATA_DIR"])
    store.revoke_kiosk(db, "k2")
    db.conn.close()
    revoked = get(client, tokens["k2"])
    assert revoked.status_code == 401 and "revoked" in revoked.json["error"]


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("?after=-1", "after", "whole number from 0"),
        ("?after=abc", "after", "whole number from 0"),
        ("?after=1.5", "after", "whole number from 0"),
        ("?after=99999999999999999999999", "after", "whole number from 0"),
        ("?after=%00", "after", "whole number from 0"),
        ("?after=1&after=2", "after", "more than once"),
        ("?limit=0", "limit", "from 1 to 1000"),
        ("?limit=1000000", "limit", "from 1 to 1000"),
        ("?limit=-5", "limit", "from 1 to 1000"),
        ("?limit=", "limit", "from 1 to 1000"),
        ("?token=abc", "token", "Authorization header"),
        ("?seq=3", "seq", "unknown parameter"),
        ("?kiosk=k1&kiosk=k2", "kiosk", "more than once"),
    ],
)
def test_hostile_parameters_get_a_clear_400_naming_the_field(client, two_kiosks, query, field, words):
    tokens, _rows = two_kiosks
    answer = get(client, tokens["k1"], query)
    assert answer.status_code == 400, answer.data
    assert answer.json["field"] == field and words in answer.json["error"]


def test_no_token_or_a_wrong_one_is_a_401_in_json(client, two_kiosks):
    for token in (None, "not-a-token"):
        answer = get(client, token)
        assert answer.status_code == 401 and answer.is_json and "token" in answer.json["error"]
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
