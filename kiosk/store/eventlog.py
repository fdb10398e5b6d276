"""The append-only, hash-chained event log: every rating, amendment and EIT referral.

Each event is one row of `events`, written in its own transaction (BEGIN IMMEDIATE ...
COMMIT) under `kiosk.store.db.write_lock`; the connection runs with synchronous=FULL, so when
an append returns, the event is on disk and the screen may thank the citizen.

Chain: `hash` is the SHA-256 (hex) of the canonical JSON array

    [seq, id, kiosk, at, kind, payload, flagged, flag_reason, prev_hash]

(`json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)`, UTF-8;
`payload` is the stored payload text itself, `flagged` the integer 0 or 1, `flag_reason`
a string or null). The first event's prev_hash is 64 zeros; every other event's
prev_hash is the hash of the event before it. The hub can recompute all of it from the
rows that `events_since` hands out.

Free-text comments may carry personal data (PDPA), so they never enter the chain: they
live in `comments`, masked, and the amendment event only says `"has_comment": true`.
Deleting a comment after the retention period leaves the chain intact.

Honest figures: a rating that follows another rating on this kiosk by less than
`repeat_window_seconds`, or that arrives when `burst_max_per_minute` ratings were already
recorded in the trailing 60 s, is stored with flagged=1 and a flag_reason. Referrals are
flagged the same way (a repeat is the same unit within the window). Official tallies
leave flagged events out; raw tallies count them.
"""

import hashlib
import json
import math
import re
import time
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from kiosk.core.vocab import ASPECTS, LEVELS, REASONS, UNIT_NOT_SURE, UNITS
from kiosk.store import db as kdb

GENESIS_HASH = "0" * 64

KIND_RATING = "rating"
KIND_AMEND = "amend"
KIND_REFERRAL = "referral"
# Kinds with their own validating method; append() refuses them.
VALIDATED_KINDS = (KIND_RATING, KIND_AMEND, KIND_REFERRAL)


UNIT_CHOICES = UNITS + (UNIT_NOT_SURE,)

FLAG_REPEAT = "repeat"  # another one less than repeat_window_seconds before
FLAG_BURST = "burst"  # burst_max_per_minute already reached in the trailing 60 s

DEFAULT_REPEAT_WINDOW_SECONDS = 10
DEFAULT_BURST_MAX_PER_MINUTE = 6
DEFAULT_AMEND_MAX_AGE_SECONDS = 30 * 60
DEFAULT_COMMENT_MAX_CHARS = 500
BURST_WINDOW_SECONDS = 60
MAX_PAYLOAD_BYTES = 8192

MASK_CHAR = "\u2022"  # •

_HEX32 = re.compile(r"[0-9a-f]{32}")
_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}")
# Personal numbers in comments. A "digit run" is digits joined by at most three
# separators (space, dash, dot, no-break space, brackets), with an optional leading "+";
# a run of MASK_MIN_DIGITS or more digits is masked. That covers 13-digit ID numbers
# (1234567890123, 1-2345-67890-12-3, 1 2345 67890 12 3), phone numbers (081-234-5678,
# 0812345678, 02-205-1315, (02) 205 1315, +66 81 234 5678) and several phone numbers
# written in a row, and also bank account numbers; prices, times, counts and hotlines
# (1599) are shorter and stay. \d also matches Thai digits.
MASK_MIN_DIGITS = 9
_DIGIT_RUN = re.compile(r"\+?\d(?:[ \-.\u00a0()]{0,3}\d)*")


class ValidationError(ValueError):
    """Bad input from a screen or the API; nothing was written."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Event:
    seq: int
    id: str
    kiosk: str
    at: str
    kind: str
    payload_json: str  # exactly as stored and hashed
    flagged: bool
    flag_reason: str | None
    prev_hash: str
    hash: str

    @property
    def payload(self):
        return json.loads(self.payload_json)

    @property
    def answer_id(self):
        return self.payload.get("answer_id")

    def as_row(self):
        """The stored row (payload as its canonical text), e.g. for the sync to the hub."""
        return {
            "seq": self.seq,
            "id": self.id,
            "kiosk": self.kiosk,
            "at": self.at,
            "kind": self.kind,
            "payload": self.payload_json,
            "flagged": int(self.flagged),
            "flag_reason": self.flag_reason,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


_COLUMNS = "seq, id, kiosk, at, kind, payload, flagged, flag_reason, prev_hash, hash"


def _event_from_row(row):
    seq, id_, kiosk, at, kind, payload, flagged, flag_reason, prev_hash, hash_ = row
    return Event(seq, id_, kiosk, at, kind, payload, bool(flagged), flag_reason, prev_hash, hash_)


def canonical_json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(seq, id, kiosk, at, kind, payload, flagged, flag_reason, prev_hash):
    """SHA-256 hex of the canonical serialization of one event (see module docstring)."""
    body = canonical_json([seq, id, kiosk, at, kind, payload, int(flagged), flag_reason, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def utc_iso(epoch_seconds):
    """'YYYY-MM-DDTHH:MM:SSZ', truncated to the second."""
    return datetime.fromtimestamp(math.floor(epoch_seconds), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc_iso(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def create_tables(db):
    """Migration step: the events and comments tables and their indexes.

    Runs inside kiosk.store.db.migrate's transaction (plain execute, no executescript)."""
    conn = _conn(db)
    conn.execute(
        """CREATE TABLE IF NOT EXISTS events (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kiosk TEXT NOT NULL,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
            flag_reason TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )"""
    )
    # Tallies and the flagging checks select by kind and time range.
    conn.execute("CREATE INDEX IF NOT EXISTS events_kind_at ON events (kind, at)")
    # Amendments find their rating (and tallies their amendments) by answer id.
    conn.execute("CREATE INDEX IF NOT EXISTS events_answer_id ON events (json_extract(payload, '$.answer_id'))")
    # Append-only: the application can never rewrite or remove an event. (Someone with
    # the file can drop these triggers; the hash chain is what detects that.)
    conn.execute(
        "CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )
    conn.execute(
        "CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )
    conn.execute(
        """CREATE TABLE IF NOT EXISTS comments (
            answer_id TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            text TEXT NOT NULL,
            masked INTEGER NOT NULL DEFAULT 0 CHECK (masked IN (0, 1))
        )"""
    )
    conn.execute("CREATE INDEX IF NOT EXISTS comments_at ON comments (at)")


def _conn(db):
    """Accept a sqlite_utils.Database or a sqlite3.Connection."""
    return getattr(db, "conn", db)


def mask_personal_numbers(text):
    """Mask ID, phone and other long numbers (digits become •); returns (text, masked?)."""

    masked = False

    def hide(match):
        nonlocal masked
        run = match.group(0)
        if sum(ch.isdigit() for ch in run) < MASK_MIN_DIGITS:
            return run
        masked = True
        return "".join(MASK_CHAR if ch.isdigit() else ch for ch in run)

    return _DIGIT_RUN.sub(hide, text), masked


def _check_level(field, value):
    if type(value) is not int or value not in LEVELS:
        raise ValidationError(field, "must be an integer from 1 to 5")
    return value


def _check_unit(value):
    if not isinstance(value, str) or value not in UNIT_CHOICES:
        raise ValidationError("unit", "unknown unit")
    return value


def _check_event_id(value):
    if value is None:
        return uuid.uuid4().hex
    if not isinstance(value, str) or not _HEX32.fullmatch(value):
        raise ValidationError("id", "must be 32 lowercase hexadecimal characters")
    return value


def _check_comment(value, max_chars):
    if not isinstance(value, str):
        raise ValidationError("comment", "must be text")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    for ch in value:
        if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cs"):
            raise ValidationError("comment", "contains control or binary characters")
    value = value.strip()
    if len(value) > max_chars:
        raise ValidationError("comment", f"is longer than {max_chars} characters")
    return value


class EventLog:
    def __init__(
        self,
        db,
        kiosk_id,
        clock=time.time,
        *,
        repeat_window_seconds=DEFAULT_REPEAT_WINDOW_SECONDS,
        burst_max_per_minute=DEFAULT_BURST_MAX_PER_MINUTE,
        amend_max_age_seconds=DEFAULT_AMEND_MAX_AGE_SECONDS,
        comment_max_chars=DEFAULT_COMMENT_MAX_CHARS,
    ):
        if not isinstance(kiosk_id, str) or not kiosk_id.strip():
            raise ValueError("kiosk_id must be a non-empty string")
        self.db = db
        self.conn = _conn(db)
        self.kiosk_id = kiosk_id
        self.clock = clock
        self.repeat_window_seconds = repeat_window_seconds
        self.burst_max_per_minute = burst_max_per_minute
        self.amend_max_age_seconds = amend_max_age_seconds
        self.comment_max_chars = comment_max_chars

    # -- writing -----------------------------------------------------------------

    def record_rating(self, level, *, event_id=None):
        """One tap on a face: a complete answer. Returns the Event (see .answer_id)."""
        level = _check_level("level", level)
        event_id = _check_event_id(event_id)
        payload = {"answer_id": uuid.uuid4().hex, "level": level}

        def flag(now):
            return self._flag_reason(now, KIND_RATING)

        return self._append(KIND_RATING, payload, event_id, flag=flag)

    def amend(self, answer_id, unit=None, aspects=None, reasons=None, comment=None, *, event_id=None):
        """Follow-ups for an answer: unit, aspects {aspect: level}, reason keys, comment.

        Later amendments win per field (aspects per aspect; reasons as a whole set)."""
        if not isinstance(answer_id, str) or not _HEX32.fullmatch(answer_id):
            raise ValidationError("answer_id", "unknown answer")
        event_id = _check_event_id(event_id)
        payload = {"answer_id": answer_id}
        if unit is not None:
            payload["unit"] = _check_unit(unit)
        if aspects is not None:
            if not isinstance(aspects, dict):
                raise ValidationError("aspects", "must be a mapping of aspect to level")
            for key, level in aspects.items():
                if key not in ASPECTS:
                    raise ValidationError("aspects", f"unknown aspect {key!r}")
                _check_level("aspects", level)
            if aspects:
                payload["aspects"] = dict(aspects)
        if reasons is not None:
            if isinstance(reasons, (str, bytes)) or not isinstance(reasons, (list, tuple, set, frozenset)):
                raise ValidationError("reasons", "must be a list of reason keys")
            for key in reasons:
                if not isinstance(key, str) or key not in REASONS:
                    raise ValidationError("reasons", f"unknown reason {key!r}")
            payload["reasons"] = sorted(set(reasons))
        masked_comment = None
        if comment is not None:
            text = _check_comment(comment, self.comment_max_chars)
            if text:
                masked_comment = mask_personal_numbers(text)
                payload["has_comment"] = True
        if len(payload) == 1:
            raise ValidationError("amend", "nothing to amend")

        def before_insert(now):
            row = self.conn.execute(
                "SELECT at FROM events WHERE json_extract(payload, '$.answer_id') = ? AND kind = ?",
                (answer_id, KIND_RATING),
            ).fetchone()
            if row is None:
                raise ValidationError("answer_id", "unknown answer")
            age = now - parse_utc_iso(row[0]).timestamp()
            if age > self.amend_max_age_seconds:
                raise ValidationError("answer_id", "answer is too old to amend")

        def after_insert(at):
            if masked_comment is not None:
                text, masked = masked_comment
                self.conn.execute(
                    "INSERT INTO comments (answer_id, at, text, masked) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (answer_id) DO UPDATE SET "
                    "at = excluded.at, text = excluded.text, masked = excluded.masked",
                    (answer_id, at, text, int(masked)),
                )

        return self._append(KIND_AMEND, payload, event_id, before_insert=before_insert, after_insert=after_insert)

    def record_referral(self, unit, *, event_id=None):
        """The EIT QR code was shown for `unit` (a unit key or 'not_sure')."""
        payload = {"unit": _check_unit(unit)}
        event_id = _check_event_id(event_id)

        def flag(now):
            return self._flag_reason(now, KIND_REFERRAL, unit=unit)

        return self._append(KIND_REFERRAL, payload, event_id, flag=flag)

    def append(self, kind, payload=None, *, event_id=None):
        """Any other event (reset, pause, ...): never flagged, never tallied."""
        if not isinstance(kind, str) or not _KIND.fullmatch(kind):
            raise ValidationError("kind", "must be lowercase letters, digits and _")
        if kind in VALIDATED_KINDS:
            raise ValidationError("kind", f"use the {kind} method")
        payload = {} if payload is None else payload
        if not isinstance(payload, dict):
            raise ValidationError("payload", "must be a JSON object")
        event_id = _check_event_id(event_id)
        return self._append(kind, payload, event_id)

    def _flag_reason(self, now, kind, unit=None):
        """Called inside the write transaction, before the event is inserted."""
        now_at = utc_iso(now)
        since = utc_iso(now - self.repeat_window_seconds)
        sql = "SELECT 1 FROM events WHERE kind = ? AND at > ? AND at <= ?"
        args = [kind, since, now_at]
        if unit is not None:
            sql += " AND json_extract(payload, '$.unit') = ?"
            args.append(unit)
        if self.conn.execute(sql + " LIMIT 1", args).fetchone():
            return FLAG_REPEAT
        (recent,) = self.conn.execute(
            "SELECT count(*) FROM events WHERE kind = ? AND at > ? AND at <= ?",
            (kind, utc_iso(now - BURST_WINDOW_SECONDS), now_at),
        ).fetchone()
        if recent >= self.burst_max_per_minute:
            return FLAG_BURST
        return None

    def _append(self, kind, payload, event_id, flag=None, before_insert=None, after_insert=None):
        try:
            payload_json = canonical_json(payload)
        except (TypeError, ValueError) as exc:
            raise ValidationError("payload", f"not serializable as JSON: {exc}") from None
        if len(payload_json.encode("utf-8")) > MAX_PAYLOAD_BYTES:
            raise ValidationError("payload", "too large")
        conn = self.conn
        with kdb.write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                now = self.clock()
                at = utc_iso(now)
                if conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone():
                    raise ValidationError("id", "already recorded (replayed form)")
                if before_insert is not None:
                    before_insert(now)
                flag_reason = flag(now) if flag is not None else None
                last = conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
                flagged = 1 if flag_reason else 0
                hash_ = event_hash(
                    seq, event_id, self.kiosk_id, at, kind, payload_json, flagged, flag_reason, prev_hash
                )
                conn.execute(
                    f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (seq, event_id, self.kiosk_id, at, kind, payload_json, flagged, flag_reason, prev_hash, hash_),
                )
                if after_insert is not None:
                    after_insert(at)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return Event(seq, event_id, self.kiosk_id, at, kind, payload_json, bool(flagged), flag_reason, prev_hash, hash_)

    # -- comments (personal data: kept apart, deleted after the retention period) -------

    def delete_comment(self, answer_id):
        """Delete one answer's comment; returns True if there was one."""
        return self._delete_comments("DELETE FROM comments WHERE answer_id = ?", (answer_id,)) > 0

    def delete_comments_older_than(self, days):
        """Retention: delete comments written more than `days` days ago; returns how many."""
        if type(days) not in (int, float) or not days >= 0:
            raise ValidationError("days", "must be a number of days, 0 or more")
        cutoff = utc_iso(self.clock() - days * 86400)
        return self._delete_comments("DELETE FROM comments WHERE at < ?", (cutoff,))

    def _delete_comments(self, sql, args):
        conn = self.conn
        with kdb.write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                count = conn.execute(sql, args).rowcount
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return count

    def comments(self, date_from_utc=None, date_to_utc=None):
        """Comments as dicts {answer_id, at, text, masked}, oldest first (UTC ISO bounds)."""
        sql = "SELECT answer_id, at, text, masked FROM comments WHERE 1=1"
        args = []
        if date_from_utc:
            sql += " AND at >= ?"
            args.append(date_from_utc)
        if date_to_utc:
            sql += " AND at < ?"
            args.append(date_to_utc)
        rows = self.conn.execute(sql + " ORDER BY at, answer_id", args).fetchall()
        return [{"answer_id": a, "at": at, "text": t, "masked": bool(m)} for a, at, t, m in rows]

    # -- reading -----------------------------------------------------------------

    def last_event(self):
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return _event_from_row(row) if row else None

    def events_since(self, seq, limit=500):
        """Events with seq > `seq`, in order, at most `limit` (for the sync to the hub)."""
        if type(seq) is not int or seq < 0:
            raise ValidationError("seq", "must be an integer, 0 or more")
        if type(limit) is not int or not 1 <= limit <= 10000:
            raise ValidationError("limit", "must be an integer from 1 to 10000")
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
        ).fetchall()
        return [_event_from_row(row) for row in rows]

    def verify_chain(self, from_seq=1):
        """Check hashes and links from `from_seq` on; returns (ok, first_bad_seq or None).

        A changed row is reported at its own seq; a removed row at the missing seq.
        Removing the last events cannot be seen here; the hub sees it on sync."""
        if type(from_seq) is not int or from_seq < 1:
            raise ValueError("from_seq must be an integer, 1 or more")
        conn = self.conn
        if from_seq == 1:
            expected_prev = GENESIS_HASH
        else:
            row = conn.execute("SELECT hash FROM events WHERE seq = ?", (from_seq - 1,)).fetchone()
            if row is None:
                return False, from_seq - 1
            expected_prev = row[0]
        if conn.execute("SELECT 1 FROM events WHERE seq < 1 LIMIT 1").fetchone():
            return False, 0
        expected_seq = from_seq
        cursor = conn.execute(f"SELECT {_COLUMNS} FROM events WHERE seq >= ? ORDER BY seq", (from_seq,))
        for seq, id_, kiosk, at, kind, payload, flagged, flag_reason, prev_hash, hash_ in cursor:
            if seq != expected_seq:
                return False, expected_seq
            if prev_hash != expected_prev:
                return False, seq
            recomputed = event_hash(seq, id_, kiosk, at, kind, payload, flagged, flag_reason, prev_hash)
            if hash_ != recomputed:
                return False, seq
            expected_prev = hash_
            expected_seq += 1
        return True, None
