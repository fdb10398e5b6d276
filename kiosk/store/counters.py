"""The station's counters, the displays paired to them and the short pairing codes.

A counter is a service point (ฝ่ายจราจร ชั้น 1) with a short slug that events carry and
the unit it serves. A display is a browser at a counter: it proved itself by showing a
six-digit pairing code that the admin entered, and from then on holds a credential of its
own (256 bits, an HttpOnly cookie; only its SHA-256 is stored). Revoking a display, or
removing its counter, ends that credential at once: every request checks it here.

Pairing, step by step:
1. the browser opens /display: `issue_code` gives it a code (good for CODE_TTL_SECONDS)
   and a nonce that only that browser holds (in its session); at most
   CODES_PER_CLIENT_PER_HOUR codes a network address may ask for;
2. the admin (or `python -m kiosk display pair`) calls `pair(code, counter)`: a display
   row is made for that counter, without a credential yet; wrong codes are counted, and
   after WRONG_CODES_PER_HOUR in an hour pairing waits (against guessing);
3. the browser, polling, calls `claim(code, nonce)`: the credential is made, its hash
   stored, and it is handed to that browser once (as its cookie).
"""

import hashlib
import re
import secrets
import sqlite3
import unicodedata
import uuid

from kiosk.core.clock import utc_iso, utc_now
from kiosk.core.events import check_counter_slug
from kiosk.core.vocab import UNITS
from kiosk.store.db import write_transaction

CODE_TTL_SECONDS = 10 * 60
CODES_PER_CLIENT_PER_HOUR = 20
WRONG_CODES_PER_HOUR = 10
# A display's last_seen is written at most this often (not on every poll).
SEEN_EVERY_SECONDS = 60
NAME_MAX = 80


class CounterError(ValueError):
    """A counter or display operation that cannot be done; `message` says why."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def create_tables(db):
    """Migration step: counters, displays and pairing codes."""
    db.execute(
        """CREATE TABLE IF NOT EXISTS counters (
            slug TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            unit TEXT NOT NULL,
            created_at TEXT NOT NULL,
            removed_at TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE IF NOT EXISTS displays (
            id TEXT PRIMARY KEY,
            counter TEXT NOT NULL REFERENCES counters (slug),
            token_hash TEXT UNIQUE,
            paired_at TEXT NOT NULL,
            paired_by TEXT NOT NULL,
            last_seen_at TEXT,
            revoked_at TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE IF NOT EXISTS pairing_codes (
            code TEXT PRIMARY KEY,
            nonce_hash TEXT NOT NULL,
            client TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            display TEXT,
            claimed_at TEXT
        )"""
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS pairing_failures (id INTEGER PRIMARY KEY, at TEXT NOT NULL, code TEXT NOT NULL)"
    )


def _conn(db):
    return getattr(db, "conn", db)


def _sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now():
    return utc_now().timestamp()


# -- counters ------------------------------------------------------------------------


def slug_for(name):
    """A slug from a counter's name: ASCII letters and digits kept, the rest '-'; '' when
    nothing is left (a Thai name: give --slug)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:32]


def add_counter(db, name, unit, slug=None):
    """Name a counter and the unit it serves; returns its slug. A removed counter's slug
    may be used again (its old figures keep the slug)."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise CounterError(f"the counter's name must be 1 to {NAME_MAX} printable characters")
    if unit not in UNITS:
        raise CounterError(f"unknown unit {unit!r}: one of {', '.join(UNITS)}")
    slug = (slug or slug_for(name)).strip()
    if not slug:
        raise CounterError("give the counter a short slug (a-z, 0-9, '-'), e.g. traffic-1")
    try:
        check_counter_slug(slug)
    except ValueError:
        raise CounterError("the slug must be 1 to 32 of a-z, 0-9 and '-'") from None
    with write_transaction(_conn(db)) as conn:
        row = conn.execute("SELECT removed_at FROM counters WHERE slug = ?", (slug,)).fetchone()
        if row is not None and row[0] is None:
            raise CounterError(f"a counter {slug!r} already exists", status=409)
        if conn.execute("SELECT 1 FROM counters WHERE name = ? AND removed_at IS NULL", (name,)).fetchone():
            raise CounterError(f"a counter named {name!r} already exists", status=409)
        conn.execute(
            "INSERT INTO counters (slug, name, unit, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, unit = excluded.unit, "
            "created_at = excluded.created_at, removed_at = NULL",
            (slug, name, unit, utc_iso(_now())),
        )
    return slug


def counters(db, include_removed=False):
    """The counters as dicts {slug, name, unit, created_at, removed_at}, by name."""
    sql = "SELECT slug, name, unit, created_at, removed_at FROM counters"
    if not include_removed:
        sql += " WHERE removed_at IS NULL"
    rows = _conn(db).execute(sql + " ORDER BY name").fetchall()
    return [dict(zip(("slug", "name", "unit", "created_at", "removed_at"), row, strict=True)) for row in rows]


def find_counter(db, name_or_slug):
    """The live counter with this slug or name, or None."""
    for counter in counters(db):
        if name_or_slug in (counter["slug"], counter["name"]):
            return counter
    return None


def remove_counter(db, name_or_slug):
    """Remove a counter; its displays are revoked with it. Returns its slug."""
    counter = find_counter(db, name_or_slug)
    if counter is None:
        raise CounterError(f"no counter {name_or_slug!r}", status=404)
    now = utc_iso(_now())
    with write_transaction(_conn(db)) as conn:
        conn.execute("UPDATE counters SET removed_at = ? WHERE slug = ?", (now, counter["slug"]))
        conn.execute(
            "UPDATE displays SET revoked_at = ? WHERE counter = ? AND revoked_at IS NULL", (now, counter["slug"])
        )
    return counter["slug"]


# -- pairing -------------------------------------------------------------------------


def issue_code(db, client):
    """A new six-digit code for the browser at `client`: (code, nonce, expires_at)."""
    now = _now()
    nonce = secrets.token_hex(16)
    with write_transaction(_conn(db)) as conn:
        conn.execute("DELETE FROM pairing_codes WHERE expires_at < ?", (utc_iso(now - 3600),))
        (recent,) = conn.execute(
            "SELECT count(*) FROM pairing_codes WHERE client = ? AND created_at > ?", (client, utc_iso(now - 3600))
        ).fetchone()
        if recent >= CODES_PER_CLIENT_PER_HOUR:
            raise CounterError("too many pairing codes from this address; try again in an hour", status=429)
        for _ in range(20):
            code = f"{secrets.randbelow(10**6):06d}"
            if not conn.execute("SELECT 1 FROM pairing_codes WHERE code = ?", (code,)).fetchone():
                break
        else:  # a million codes in an hour: the limits above make this unreachable
            raise CounterError("no free pairing code; try again later", status=503)
        expires_at = utc_iso(now + CODE_TTL_SECONDS)
        conn.execute(
            "INSERT INTO pairing_codes (code, nonce_hash, client, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (code, _sha256(nonce), client, utc_iso(now), expires_at),
        )
    return code, nonce, expires_at


def pair(db, code, counter_name, actor):
    """The admin entered `code` for the counter `counter_name`: returns the new display's id.

    Wrong or expired codes are counted; after WRONG_CODES_PER_HOUR in an hour every
    attempt is refused (429) until the hour has passed."""
    counter = find_counter(db, counter_name)
    if counter is None:
        raise CounterError(f"no counter {counter_name!r}", status=404)
    code = (code or "").strip().replace(" ", "")
    now = _now()
    with write_transaction(_conn(db)) as conn:
        (wrong,) = conn.execute("SELECT count(*) FROM pairing_failures WHERE at > ?", (utc_iso(now - 3600),)).fetchone()
        if wrong >= WRONG_CODES_PER_HOUR:
            raise CounterError("too many wrong pairing codes in the last hour; try again later", status=429)
        row = None
        if re.fullmatch(r"[0-9]{6}", code):
            row = conn.execute(
                "SELECT display FROM pairing_codes WHERE code = ? AND expires_at >= ?", (code, utc_iso(now))
            ).fetchone()
        if row is None or row[0] is not None:
            conn.execute("INSERT INTO pairing_failures (at, code) VALUES (?, ?)", (utc_iso(now), code[:12]))
            failure = CounterError("no display shows this code (wrong, used or expired): check the screen", 404)
        else:
            display = uuid.uuid4().hex
            conn.execute(
                "INSERT INTO displays (id, counter, paired_at, paired_by) VALUES (?, ?, ?, ?)",
                (display, counter["slug"], utc_iso(now), actor),
            )
            conn.execute("UPDATE pairing_codes SET display = ? WHERE code = ?", (display, code))
            return display
    raise failure  # after the commit: the failure stays counted


def claim(db, code, nonce):
    """The browser that showed `code` collects its credential once the code is paired:
    (display id, token), or None while the code waits. Raises CounterError when the code
    is unknown, expired or not this browser's."""
    if not code or not nonce:
        raise CounterError("no pairing code", status=404)
    now = _now()
    with write_transaction(_conn(db)) as conn:
        row = conn.execute(
            "SELECT nonce_hash, expires_at, display, claimed_at FROM pairing_codes WHERE code = ?", (code,)
        ).fetchone()
        if row is None or not secrets.compare_digest(row[0], _sha256(nonce)) or row[3] is not None:
            raise CounterError("this pairing code is not this browser's", status=404)
        if row[2] is None:
            if row[1] < utc_iso(now):
                raise CounterError("the pairing code expired", status=410)
            return None
        token = secrets.token_urlsafe(32)
        conn.execute(
            "UPDATE displays SET token_hash = ?, last_seen_at = ? WHERE id = ? AND revoked_at IS NULL",
            (_sha256(token), utc_iso(now), row[2]),
        )
        conn.execute("UPDATE pairing_codes SET claimed_at = ? WHERE code = ?", (utc_iso(now), code))
    return row[2], token


# -- displays ------------------------------------------------------------------------

_DISPLAY_COLUMNS = "d.id, d.counter, c.name, c.unit, d.paired_at, d.paired_by, d.last_seen_at, d.revoked_at"
_DISPLAY_KEYS = ("id", "counter", "counter_name", "unit", "paired_at", "paired_by", "last_seen_at", "revoked_at")


def display_for_token(db, token):
    """The live display holding `token` (a dict), or None: unknown, revoked, or its counter
    removed. Notes it as seen (at most every SEEN_EVERY_SECONDS)."""
    if not token or not isinstance(token, str) or len(token) > 100:
        return None
    conn = _conn(db)
    row = conn.execute(
        f"SELECT {_DISPLAY_COLUMNS} FROM displays AS d JOIN counters AS c ON c.slug = d.counter"
        " WHERE d.token_hash = ? AND d.revoked_at IS NULL AND c.removed_at IS NULL",
        (_sha256(token),),
    ).fetchone()
    if row is None:
        return None
    display = dict(zip(_DISPLAY_KEYS, row, strict=True))
    now = _now()
    if display["last_seen_at"] is None or display["last_seen_at"] < utc_iso(now - SEEN_EVERY_SECONDS):
        try:
            with write_transaction(conn):
                conn.execute("UPDATE displays SET last_seen_at = ? WHERE id = ?", (utc_iso(now), display["id"]))
        except sqlite3.OperationalError:  # a read-only database still shows the screen
            pass
    return display


def displays(db, include_revoked=False):
    """The displays as dicts (id, counter, counter_name, unit, paired_at, paired_by,
    last_seen_at, revoked_at), newest first."""
    sql = f"SELECT {_DISPLAY_COLUMNS} FROM displays AS d JOIN counters AS c ON c.slug = d.counter"
    if not include_revoked:
        sql += " WHERE d.revoked_at IS NULL"
    rows = _conn(db).execute(sql + " ORDER BY d.paired_at DESC, d.id").fetchall()
    return [dict(zip(_DISPLAY_KEYS, row, strict=True)) for row in rows]


def revoke(db, display_id):
    """Revoke a display: its credential stops working on its next request."""
    with write_transaction(_conn(db)) as conn:
        changed = conn.execute(
            "UPDATE displays SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (utc_iso(_now()), display_id)
        ).rowcount
    if not changed:
        raise CounterError(f"no paired display {display_id!r}", status=404)
