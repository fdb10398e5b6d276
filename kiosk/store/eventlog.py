"""The append-only, hash-chained event log: every rating, amendment and EIT referral.

Each event is one row of `events`, written in its own transaction
(kiosk.store.db.write_transaction: BEGIN IMMEDIATE ... COMMIT under the one writer lock);
the connection runs with synchronous=FULL, so when an append returns, the event is on
disk and the screen may thank the citizen. What an event is, its hash and its payloads
are in kiosk.core.events; this module holds the SQL.

Free-text comments may carry personal data (PDPA), so they never enter the chain: they
live in `comments`, masked (kiosk.core.comments), and the amendment event only says
`"has_comment": true`. Deleting a comment after the retention period leaves the chain
intact.

Honest figures: a rating that follows another rating on this kiosk by less than
`repeat_window_seconds`, or that arrives when `burst_max_per_minute` ratings were already
recorded in the trailing 60 s, is stored with flagged=1 and a flag_reason. Referrals are
flagged the same way (a repeat is the same unit within the window). Official tallies
leave flagged events out; raw tallies count them.
"""

import time
import uuid

from kiosk.core.clock import parse_utc_iso, utc_iso
from kiosk.core.events import (
    DEFAULT_COMMENT_MAX_CHARS,
    FLAG_BURST,
    FLAG_REPEAT,
    GENESIS_HASH,
    KIND_AMEND,
    KIND_RATING,
    KIND_REFERRAL,
    KIOSK_ID_MAX,
    Event,
    ValidationError,
    amend_payload,
    check_answer_id,
    check_event_id,
    check_level,
    check_unit,
    event_hash,
    is_kiosk_id,
    latest_at,
    origin_fields,
    payload_text,
    validate_event_row,
)
from kiosk.store import rollups
from kiosk.store.db import write_transaction

DEFAULT_REPEAT_WINDOW_SECONDS = 10
DEFAULT_BURST_MAX_PER_MINUTE = 6
DEFAULT_AMEND_MAX_AGE_SECONDS = 30 * 60
BURST_WINDOW_SECONDS = 60

_COLUMNS = "seq, id, kiosk, at, kind, payload, flagged, flag_reason, prev_hash, hash"


def _event_from_row(row):
    seq, id_, kiosk, at, kind, payload, flagged, flag_reason, prev_hash, hash_ = row
    return Event(seq, id_, kiosk, at, kind, payload, bool(flagged), flag_reason, prev_hash, hash_)


def create_tables(db):
    """Migration step: the events and comments tables and their indexes.

    Runs inside the migration's transaction (plain execute, no executescript)."""
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


def _store(conn, event):
    """The one INSERT of an event into the log, inside the caller's write transaction
    (new taps and events recovered from the hub both come through here), with the figures'
    sums kept in the same transaction (kiosk.store.rollups)."""
    share_row = (event.seq, "", event.kiosk, event.at, event.kind, event.payload_json, int(event.flagged))
    before = rollups.before_insert(conn, "events", [share_row])
    conn.execute(
        f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event.seq,
            event.id,
            event.kiosk,
            event.at,
            event.kind,
            event.payload_json,
            int(event.flagged),
            event.flag_reason,
            event.prev_hash,
            event.hash,
        ),
    )
    rollups.after_insert(conn, "events", [share_row], before)


def _conn(db):
    """Accept a sqlite_utils.Database or a sqlite3.Connection."""
    return getattr(db, "conn", db)


class EventLog:
    """One kiosk's log in the database `db`: appends (validated, flagged, chained), comments, reads."""

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
        if not is_kiosk_id(kiosk_id) or not kiosk_id.strip():
            raise ValueError(f"kiosk_id must be 1 to {KIOSK_ID_MAX} printable characters")
        self.db = db
        self.conn = _conn(db)
        self.kiosk_id = kiosk_id
        self.clock = clock
        self.repeat_window_seconds = repeat_window_seconds
        self.burst_max_per_minute = burst_max_per_minute
        self.amend_max_age_seconds = amend_max_age_seconds
        self.comment_max_chars = comment_max_chars

    # -- writing -----------------------------------------------------------------

    def record_rating(self, level, *, event_id=None, counter=None, display=None):
        """One tap on a face: a complete answer. Returns the Event (see .answer_id).

        On a paired display, `counter` (slug) and `display` (id) go into the payload."""
        level = check_level("level", level)
        event_id = check_event_id(event_id)
        payload = {"answer_id": uuid.uuid4().hex, "level": level, **origin_fields(counter, display)}

        def flag(now):
            return self._flag_reason(now, KIND_RATING, display=display)

        return self._append(KIND_RATING, payload, event_id, flag=flag)

    def amend(self, answer_id, unit=None, aspects=None, reasons=None, comment=None, *, event_id=None):
        """Follow-ups for an answer: unit, aspects {aspect: level}, reason keys, comment.

        Later amendments win per field (aspects per aspect; reasons as a whole set)."""
        check_answer_id(answer_id)
        event_id = check_event_id(event_id)
        payload, masked_comment = amend_payload(answer_id, unit, aspects, reasons, comment, self.comment_max_chars)

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

    def record_referral(self, unit, *, event_id=None, counter=None, display=None):
        """The EIT QR code was shown for `unit` (a unit key or 'not_sure'), on the hall
        kiosk or on the paired `display` at `counter`."""
        payload = {"unit": check_unit(unit), **origin_fields(counter, display)}
        event_id = check_event_id(event_id)

        def flag(now):
            return self._flag_reason(now, KIND_REFERRAL, unit=unit, display=display)

        return self._append(KIND_REFERRAL, payload, event_id, flag=flag)

    def _flag_reason(self, now, kind, unit=None, display=None):
        """Called inside the write transaction, before the event is inserted.

        Each screen is watched on its own: the hall kiosk, and each paired display (two
        citizens at two counters may well rate in the same ten seconds)."""
        now_at = utc_iso(now)
        since = utc_iso(now - self.repeat_window_seconds)
        if display is None:
            screen_sql, screen_args = " AND json_extract(payload, '$.display') IS NULL", []
        else:
            screen_sql, screen_args = " AND json_extract(payload, '$.display') = ?", [display]
        sql = "SELECT 1 FROM events WHERE kind = ? AND at > ? AND at <= ?" + screen_sql
        args = [kind, since, now_at, *screen_args]
        if unit is not None:
            sql += " AND json_extract(payload, '$.unit') = ?"
            args.append(unit)
        if self.conn.execute(sql + " LIMIT 1", args).fetchone():
            return FLAG_REPEAT
        (recent,) = self.conn.execute(
            "SELECT count(*) FROM events WHERE kind = ? AND at > ? AND at <= ?" + screen_sql,
            (kind, utc_iso(now - BURST_WINDOW_SECONDS), now_at, *screen_args),
        ).fetchone()
        if recent >= self.burst_max_per_minute:
            return FLAG_BURST
        return None

    def _append(self, kind, payload, event_id, flag=None, before_insert=None, after_insert=None):
        payload_json = payload_text(payload)
        conn = self.conn
        with write_transaction(conn):
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
            hash_ = event_hash(seq, event_id, self.kiosk_id, at, kind, payload_json, flagged, flag_reason, prev_hash)
            event = Event(
                seq, event_id, self.kiosk_id, at, kind, payload_json, bool(flagged), flag_reason, prev_hash, hash_
            )
            # The same schema the hub checks on receipt: what the log holds can always be sent.
            validate_event_row(event.as_row(), latest=latest_at(now))
            _store(conn, event)
            if after_insert is not None:
                after_insert(at)
        return event

    def append_recovered(self, rows):
        """Append events this kiosk wrote before and the hub gave back (Event.as_row() dicts,
        in seq order), already hashed: nothing is re-dated, re-flagged or re-hashed.

        One transaction: each row must pass the event schema (hash recomputed), come right
        after the log's head (seq = head + 1, prev_hash = the head's hash) and carry an id
        not in the log; else ValidationError and nothing of `rows` is written. Returns the
        Events appended. Comments are never in events, so none come back."""
        conn = self.conn
        appended = []
        with write_transaction(conn):
            latest = latest_at(self.clock())
            last = conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
            head, head_hash = last if last else (0, GENESIS_HASH)
            for row in rows:
                validate_event_row(row, latest=latest)
                if row["seq"] != head + 1:
                    raise ValidationError("seq", f"seq {row['seq']} does not follow this log's last seq {head}")
                if row["prev_hash"] != head_hash:
                    raise ValidationError(
                        "prev_hash",
                        f"seq {row['seq']} does not follow this log's seq {head}: the two logs differ (a fork)",
                    )
                if conn.execute("SELECT 1 FROM events WHERE id = ?", (row["id"],)).fetchone():
                    raise ValidationError("id", f"seq {row['seq']}: its id is already in this log")
                event = Event(
                    row["seq"],
                    row["id"],
                    row["kiosk"],
                    row["at"],
                    row["kind"],
                    row["payload"],
                    bool(row["flagged"]),
                    row["flag_reason"],
                    row["prev_hash"],
                    row["hash"],
                )
                _store(conn, event)
                appended.append(event)
                head, head_hash = event.seq, event.hash
        return appended

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
        with write_transaction(self.conn) as conn:
            return conn.execute(sql, args).rowcount

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

    def recorded(self, event_id):
        """True when an event with this id is in the log."""
        return self.conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None

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
