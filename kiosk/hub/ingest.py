"""One batch from a kiosk: validated whole, then stored once per (kiosk, seq).

The batch (JSON, at most MAX_BODY_BYTES, at most MAX_EVENTS events):

    {"protocol": 1,
     "kiosk": {"id": "kiosk-1", "station": "changhan", "head": 1234, "version": "0.1.0",
               "quota": {"administration": 15, ...}},
     "events": [{"seq", "id", "kiosk", "at", "kind", "payload", "flagged", "flag_reason",
                 "prev_hash", "hash"}, ...]}   (kiosk.store.eventlog.Event.as_row())

Every field of every event is checked and each hash recomputed (kiosk.store.eventlog.event_hash)
before anything is written; one bad event refuses the whole batch (BatchRefused: 400 with
the field named, 409 when a seq already stored comes again with other content: a fork).
Then, under the one writer lock, in one transaction: new (kiosk, seq) rows are inserted,
repeats of stored rows are counted as duplicates and ignored, `acked` moves to the
highest contiguous seq, the links from the last verified event on are checked, and the
kiosk's registry row is updated. The answer:

    {"acked": n, "stored": n, "duplicates": n, "missing": n, "head": n,
     "chain": {"verified": n, "broken_at": seq or null}, "fork_at": seq or null}
"""

import json
import re

from kiosk.core.vocab import UNITS
from kiosk.hub import store
from kiosk.store.eventlog import GENESIS_HASH, MAX_PAYLOAD_BYTES, canonical_json, event_hash

PROTOCOL = 1
MAX_EVENTS = 1000
MAX_BODY_BYTES = 4 * 1024 * 1024

EVENT_KEYS = ("seq", "id", "kiosk", "at", "kind", "payload", "flagged", "flag_reason", "prev_hash", "hash")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}")
_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_TEXT_MAX = 64


class BatchRefused(Exception):
    """The whole batch is refused; nothing of it was stored."""

    def __init__(self, status, message, field=None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def _is_int(value):
    return type(value) is int


def _short_text(value, optional=False):
    if value is None and optional:
        return True
    return isinstance(value, str) and 0 < len(value) <= _TEXT_MAX and value.isprintable()


def parse(body):
    """Bytes of a request body -> a checked batch dict; raises BatchRefused."""
    if len(body) > MAX_BODY_BYTES:
        raise BatchRefused(413, f"the batch is larger than {MAX_BODY_BYTES} bytes; send fewer events")
    try:
        batch = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BatchRefused(400, "the body must be a JSON object (UTF-8)") from None
    if not isinstance(batch, dict):
        raise BatchRefused(400, "the body must be a JSON object")
    unknown = sorted(set(batch) - {"protocol", "kiosk", "events"})
    if unknown:
        raise BatchRefused(400, f"unknown field {unknown[0]!r}", field=unknown[0])
    if batch.get("protocol") != PROTOCOL:
        raise BatchRefused(400, f"protocol must be {PROTOCOL}", field="protocol")
    meta = batch.get("kiosk", {})
    if not isinstance(meta, dict):
        raise BatchRefused(400, "kiosk must be an object", field="kiosk")
    _check_meta(meta)
    events = batch.get("events")
    if not isinstance(events, list):
        raise BatchRefused(400, "events must be a list", field="events")
    if len(events) > MAX_EVENTS:
        raise BatchRefused(413, f"at most {MAX_EVENTS} events per batch (got {len(events)})", field="events")
    seen = set()
    for index, event in enumerate(events):
        _check_event(index, event)
        if event["seq"] in seen:
            raise BatchRefused(400, f"seq {event['seq']} comes twice in the batch", field=f"events[{index}].seq")
        seen.add(event["seq"])
    head = meta.get("head")
    if head is not None and seen and head < max(seen):
        raise BatchRefused(400, "kiosk.head is lower than a seq in the batch", field="kiosk.head")
    return {"meta": meta, "events": events}


def _check_meta(meta):
    allowed = {"id", "station", "head", "version", "quota"}
    unknown = sorted(set(meta) - allowed)
    if unknown:
        raise BatchRefused(400, f"unknown field kiosk.{unknown[0]}", field=f"kiosk.{unknown[0]}")
    for key in ("id", "station", "version"):
        if key in meta and not _short_text(meta[key]):
            raise BatchRefused(400, f"kiosk.{key} must be a short text", field=f"kiosk.{key}")
    if "head" in meta and not (_is_int(meta["head"]) and meta["head"] >= 0):
        raise BatchRefused(400, "kiosk.head must be a whole number, 0 or more", field="kiosk.head")
    quota = meta.get("quota")
    if quota is not None and (
        not isinstance(quota, dict)
        or set(quota) - set(UNITS)
        or not all(_is_int(n) and 0 <= n <= 1_000_000 for n in quota.values())
    ):
        raise BatchRefused(400, "kiosk.quota must map unit keys to whole numbers", field="kiosk.quota")


def _check_event(index, event):
    where = f"events[{index}]"

    def bad(key, message):
        raise BatchRefused(400, f"{where}.{key}: {message}", field=f"{where}.{key}")

    if not isinstance(event, dict):
        raise BatchRefused(400, f"{where} must be an object", field=where)
    if set(event) != set(EVENT_KEYS):
        extra = sorted(set(event) - set(EVENT_KEYS))
        missing = sorted(set(EVENT_KEYS) - set(event))
        key = (extra or missing)[0]
        bad(key, "unknown field" if extra else "missing")
    if not _is_int(event["seq"]) or event["seq"] < 1:
        bad("seq", "must be a whole number, 1 or more")
    if not isinstance(event["id"], str) or not _HEX32.fullmatch(event["id"]):
        bad("id", "must be 32 lowercase hexadecimal characters")
    if not _short_text(event["kiosk"]):
        bad("kiosk", "must be a short text")
    if not isinstance(event["at"], str) or not _AT.fullmatch(event["at"]):
        bad("at", "must be a UTC time written YYYY-MM-DDTHH:MM:SSZ")
    if not isinstance(event["kind"], str) or not _KIND.fullmatch(event["kind"]):
        bad("kind", "must be lowercase letters, digits and _")
    payload = event["payload"]
    if not isinstance(payload, str) or len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        bad("payload", f"must be the stored JSON text, at most {MAX_PAYLOAD_BYTES} bytes")
    try:
        decoded = json.loads(payload)
    except ValueError:
        bad("payload", "is not JSON")
    if not isinstance(decoded, dict) or canonical_json(decoded) != payload:
        bad("payload", "must be a JSON object in canonical form")
    if event["flagged"] not in (0, 1) or not _is_int(event["flagged"]):
        bad("flagged", "must be 0 or 1")
    if not _short_text(event["flag_reason"], optional=True):
        bad("flag_reason", "must be null or a short text")
    for key in ("prev_hash", "hash"):
        if not isinstance(event[key], str) or not _HEX64.fullmatch(event[key]):
            bad(key, "must be 64 lowercase hexadecimal characters")
    recomputed = event_hash(*(event[key] for key in EVENT_KEYS[:-1]))
    if recomputed != event["hash"]:
        bad("hash", f"does not match the event's content (seq {event['seq']}): changed on the way?")


def store_batch(db, kiosk, batch, now=None):
    """Store a parsed batch for the registry row `kiosk`; returns the answer dict."""
    now = now or store.utc_now()
    name, station = kiosk["name"], kiosk["station"]
    events = batch["events"]
    meta = batch["meta"]
    conn = db.conn
    fork = None
    with store.transaction(conn) as tx:
        state = tx.execute(
            "SELECT acked, head, verified, broken_at, fork_at, revoked_at FROM hub_kiosks WHERE name = ?", (name,)
        ).fetchone()
        if state is None or state[5]:
            raise BatchRefused(401, "this kiosk's token was revoked")
        acked, head, verified, broken_at, fork_at, _revoked = state
        stored_hashes = {}
        if events:
            seqs = [e["seq"] for e in events]
            stored_hashes = dict(
                tx.execute(
                    "SELECT seq, hash FROM hub_events WHERE kiosk = ? AND seq BETWEEN ? AND ?",
                    (name, min(seqs), max(seqs)),
                ).fetchall()
            )
        new, duplicates = [], 0
        for event in events:
            known = stored_hashes.get(event["seq"])
            if known is None:
                new.append(event)
            elif known == event["hash"]:
                duplicates += 1
            elif fork is None:
                fork = event["seq"]
        if fork is not None:
            # Refused whole, and kept visible: the kiosk's log is not the one the hub holds.
            detail = (
                f"seq {fork} came again with other content: the kiosk's log was replaced "
                "(restored from an older copy?) or changed; nothing of the batch was stored"
            )
            store.record_problem(tx, name, "fork", fork, detail)
            tx.execute(
                "UPDATE hub_kiosks SET fork_at = coalesce(fork_at, ?), last_error = ?, last_sync_at = ? WHERE name = ?",
                (fork, detail, now, name),
            )
        else:
            tx.executemany(
                "INSERT INTO hub_events (kiosk, seq, station, id, event_kiosk, at, kind, payload, flagged,"
                " flag_reason, prev_hash, hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        name,
                        e["seq"],
                        station,
                        e["id"],
                        e["kiosk"],
                        e["at"],
                        e["kind"],
                        e["payload"],
                        e["flagged"],
                        e["flag_reason"],
                        e["prev_hash"],
                        e["hash"],
                        now,
                    )
                    for e in new
                ],
            )
            acked, verified, broken_at = _advance(tx, name, acked, verified, broken_at)
            (highest,) = tx.execute("SELECT coalesce(max(seq), 0) FROM hub_events WHERE kiosk = ?", (name,)).fetchone()
            (beyond,) = tx.execute(
                "SELECT count(*) FROM hub_events WHERE kiosk = ? AND seq > ?", (name, acked)
            ).fetchone()
            missing = (highest - acked) - beyond
            reported = meta.get("head")
            head = max(head if reported is None else reported, highest)
            tx.execute(
                "UPDATE hub_kiosks SET acked = ?, head = ?, verified = ?, broken_at = ?, missing = ?,"
                " last_sync_at = ?, last_error = NULL, reported_id = coalesce(?, reported_id),"
                " reported_station = coalesce(?, reported_station), quota = coalesce(?, quota),"
                " version = coalesce(?, version) WHERE name = ?",
                (
                    acked,
                    head,
                    verified,
                    broken_at,
                    missing,
                    now,
                    meta.get("id"),
                    meta.get("station"),
                    json.dumps(meta["quota"], sort_keys=True) if meta.get("quota") is not None else None,
                    meta.get("version"),
                    name,
                ),
            )
    if fork is not None:
        raise BatchRefused(
            409,
            f"seq {fork} is already stored on the hub with other content (a fork of the log); "
            "the batch was refused whole and the admin sees it",
            field="events",
        )
    return {
        "acked": acked,
        "stored": len(new),
        "duplicates": duplicates,
        "missing": missing,
        "head": head,
        "chain": {"verified": verified, "broken_at": broken_at},
        "fork_at": fork_at,
    }


def _advance(tx, name, acked, verified, broken_at):
    """Move `acked` over the contiguous seqs and check their links; record a first break."""
    if acked == 0:
        expected_prev = GENESIS_HASH
    else:
        expected_prev = tx.execute("SELECT hash FROM hub_events WHERE kiosk = ? AND seq = ?", (name, acked)).fetchone()[
            0
        ]
    for seq, prev_hash, hash_ in tx.execute(
        "SELECT seq, prev_hash, hash FROM hub_events WHERE kiosk = ? AND seq > ? ORDER BY seq", (name, acked)
    ):
        if seq != acked + 1:
            break
        if broken_at is None and prev_hash != expected_prev:
            broken_at = seq
            store.record_problem(
                tx,
                name,
                "chain",
                seq,
                f"seq {seq} does not follow seq {seq - 1}: its prev_hash is not the hash of the "
                "event before it (an event was changed or removed on the kiosk)",
            )
        expected_prev, acked = hash_, seq
    verified = acked if broken_at is None else broken_at - 1
    return acked, verified, broken_at


def record_refusal(db, name, error):
    """A refused batch from a known kiosk stays visible to the admin."""
    with store.transaction(db.conn) as tx:
        store.record_problem(tx, name, "refused", None, f"{error.status}: {error.message}")
        tx.execute(
            "UPDATE hub_kiosks SET last_error = ?, last_sync_at = ? WHERE name = ?",
            (f"{error.status}: {error.message}", store.utc_now(), name),
        )
