"""One batch from a kiosk: validated whole, then stored once per (kiosk, seq).

The batch (JSON, at most MAX_BODY_BYTES, at most MAX_EVENTS events):

    {"protocol": 1,
     "kiosk": {"id": "kiosk-1", "station": "changhan", "head": 1234, "version": "0.1.0",
               "quota": {"administration": 15, ...}, "province": "roi_et"},
     "events": [{"seq", "id", "kiosk", "at", "kind", "payload", "flagged", "flag_reason",
                 "prev_hash", "hash"}, ...]}   (kiosk.core.events.Event.as_row())

Every event is checked against the one event schema the kiosk writes with
(kiosk.core.events.validate_event_row: known kind, payload fields and types, a real UTC
instant from 2024 to a day ahead of the hub's clock, seq up to 2^53, hash recomputed)
before anything is written; one bad event refuses the whole batch (BatchRefused: 400
naming the event's seq and the field, 409 when a seq already stored comes again with
other content: a fork). `protocol` is the integer 1 and `kiosk.head` an integer up to 2^53;
JSON nested deeper than Python parses is a 400, not a crash.
Then, under the one writer lock, in one transaction: new (kiosk, seq) rows are inserted,
repeats of stored rows are counted as duplicates and ignored, `acked` moves to the
highest contiguous seq, the links from the last verified event on are checked, and the
kiosk's registry row is updated. The answer:

    {"acked": n, "stored": n, "duplicates": n, "missing": n, "head": n,
     "chain": {"verified": n, "broken_at": seq or null}, "fork_at": seq or null}
"""

import json

from kiosk.core.clock import utc_now_iso
from kiosk.core.events import (
    EVENT_KEYS,
    GENESIS_HASH,
    MAX_SEQ,
    ValidationError,
    is_kiosk_id,
    latest_at,
    validate_event_row,
)
from kiosk.core.provinces import province_key
from kiosk.core.vocab import UNITS
from kiosk.hub import budget, stations, store
from kiosk.store import rollups
from kiosk.store.db import write_transaction

PROTOCOL = 1
MAX_EVENTS = 1000
MAX_BODY_BYTES = 4 * 1024 * 1024

__all__ = ["EVENT_KEYS", "BatchRefused", "parse", "store_batch", "record_refusal"]


class BatchRefused(Exception):
    """The whole batch is refused; nothing of it was stored."""

    def __init__(self, status, message, field=None, seq=None):
        super().__init__(message)
        self.status, self.message, self.field, self.seq = status, message, field, seq


def _is_int(value):
    return type(value) is int


def parse(body, now=None):
    """Bytes of a request body -> a checked batch dict; raises BatchRefused.

    `now` (epoch seconds, default the hub's clock) bounds how far ahead an event's time may be."""
    if len(body) > MAX_BODY_BYTES:
        raise BatchRefused(413, f"the batch is larger than {MAX_BODY_BYTES} bytes; send fewer events")
    try:
        batch = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BatchRefused(400, "the body must be a JSON object (UTF-8)") from None
    except RecursionError:
        raise BatchRefused(400, "the body is JSON nested too deep; a batch is a flat object") from None
    if not isinstance(batch, dict):
        raise BatchRefused(400, "the body must be a JSON object")
    unknown = sorted(set(batch) - {"protocol", "kiosk", "events", "care"})
    if unknown:
        raise BatchRefused(400, f"unknown field {unknown[0]!r}", field=unknown[0])
    if not (_is_int(batch.get("protocol")) and batch["protocol"] == PROTOCOL):
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
    latest = latest_at(now)
    payloads = []
    for index, event in enumerate(events):
        payloads.append(_check_event(index, event, latest))
        if event["seq"] in seen:
            raise BatchRefused(400, f"seq {event['seq']} comes twice in the batch", field=f"events[{index}].seq")
        seen.add(event["seq"])
    head = meta.get("head")
    if head is not None and seen and head < max(seen):
        raise BatchRefused(400, "kiosk.head is lower than a seq in the batch", field="kiosk.head")
    # The decoded payloads, checked: the rollups read them rather than decode them again.
    return {"meta": meta, "events": events, "care": batch.get("care"), "payloads": payloads}


def _check_meta(meta):
    allowed = {"id", "station", "head", "version", "quota", "province"}
    unknown = sorted(set(meta) - allowed)
    if unknown:
        raise BatchRefused(400, f"unknown field kiosk.{unknown[0]}", field=f"kiosk.{unknown[0]}")
    for key in ("id", "station", "version"):
        if key in meta and not is_kiosk_id(meta[key]):
            raise BatchRefused(400, f"kiosk.{key} must be a short text", field=f"kiosk.{key}")
    if "head" in meta and not (_is_int(meta["head"]) and 0 <= meta["head"] <= MAX_SEQ):
        raise BatchRefused(400, f"kiosk.head must be a whole number from 0 to {MAX_SEQ} (2^53)", field="kiosk.head")
    if "province" in meta and province_key(meta["province"]) is None:
        raise BatchRefused(
            400, "kiosk.province must name one of Thailand's 77 provinces (Thai or English)", field="kiosk.province"
        )
    quota = meta.get("quota")
    if quota is not None and (
        not isinstance(quota, dict)
        or set(quota) - set(UNITS)
        or not all(_is_int(n) and 0 <= n <= 1_000_000 for n in quota.values())
    ):
        raise BatchRefused(400, "kiosk.quota must map unit keys to whole numbers", field="kiosk.quota")


def _check_event(index, event, latest):
    """One event against the schema the kiosk writes with (returns its decoded payload);
    BatchRefused names its seq and field."""
    where = f"events[{index}]"
    if not isinstance(event, dict):
        raise BatchRefused(400, f"{where} must be an object", field=where)
    try:
        return validate_event_row(event, latest)
    except ValidationError as error:
        seq = event.get("seq")
        seq = seq if _is_int(seq) and 1 <= seq <= MAX_SEQ else None
        named = f"{where} (seq {seq})" if seq is not None else where
        raise BatchRefused(
            400, f"{named}.{error.field}: {error.message}", field=f"{where}.{error.field}", seq=seq
        ) from None


def store_batch(db, kiosk, batch, now=None):
    """Store a parsed batch for the registry row `kiosk`; returns the answer dict."""
    now = now or utc_now_iso()
    name, station = kiosk["name"], kiosk["station"]
    events = batch["events"]
    meta = batch["meta"]
    conn = db.conn
    fork = None
    with write_transaction(conn) as tx:
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
            share_rows = [(e["seq"], station, name, e["at"], e["kind"], e["payload"], e["flagged"]) for e in new]
            decoder = rollups.Decoder()
            for event, payload in zip(events, batch.get("payloads") or (), strict=False):
                decoder.seed(event["kind"], event["payload"], payload)
            before = rollups.before_insert(tx, "hub_events", share_rows, kiosk=name, decoder=decoder)
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
            # The figures' sums, in the same transaction (kiosk.store.rollups).
            rollups.after_insert(tx, "hub_events", share_rows, before, kiosk=name, decoder=decoder)
            if meta.get("province"):
                stations.set_province(tx, station, province_key(meta["province"]), "kiosk")
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
        # The province the hub holds for the kiosk's station (its key, or null): also how
        # a kiosk learns that this hub takes kiosk.province.
        "station_province": stations.station_provinces(conn, [station]).get(station),
        "stored": len(new),
        "stored_bytes": sum(budget.event_bytes(e) for e in new),  # for the budget; not sent
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
    """A refused batch from a known kiosk stays visible to the admin; returns the bytes noted."""
    detail = f"{error.status}: {error.message}"
    with write_transaction(db.conn) as tx:
        store.record_problem(tx, name, "refused", error.seq, detail)
        tx.execute(
            "UPDATE hub_kiosks SET last_error = ?, last_sync_at = ? WHERE name = ?",
            (detail, utc_now_iso(), name),
        )
    return budget.problem_bytes(detail)


def record_over_budget(db, name, message):
    """The kiosk's last error says it is over its budget (a row updated, nothing added)."""
    with write_transaction(db.conn) as tx:
        tx.execute("UPDATE hub_kiosks SET last_error = ? WHERE name = ?", (f"429: {message}", name))
