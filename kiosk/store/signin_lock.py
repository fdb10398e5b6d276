"""The sign-in lock: how many wrong PINs or passwords may be tried, by whom, and when.

Two limits, so that guessing is slow and nobody on the network can lock out the officer
at the counter:

- per client (one address): after `max_failures` failures in a row, that client waits
  `lock_seconds`, doubled with each further failure (up to 2^10 times). A success from
  the same client clears its count. Other clients are not affected.
- over the whole network: at most `network_max_failures` failures per hour over every
  client that is not the kiosk's own screen; beyond that, network sign-ins wait until the
  hour's count falls below it. The kiosk's own screen (its browser on the loopback
  address) is exempt from this cap, so an attacker on the network who spends it still
  cannot keep the duty officer at the counter out.

Counting is atomic: `reserve` checks the lock and records the attempt as a failure in one
write transaction, before the slow hash is checked; `settle` turns it into a success.
So 20 parallel guesses evaluate at most the limit, not 20.
"""

import dataclasses
import datetime as dt

from kiosk.core.clock import parse_utc_iso, utc_iso, utc_now
from kiosk.store.db import write_transaction

NETWORK_WINDOW = dt.timedelta(hours=1)
MAX_DOUBLINGS = 10
# The rows a client's streak is read from: its last failures until a success.
STREAK_ROWS = 64


@dataclasses.dataclass(frozen=True)
class Policy:
    """The limits, from the [duty] settings."""

    max_failures: int
    lock_seconds: int
    network_max_failures: int


@dataclasses.dataclass(frozen=True)
class Attempt:
    """One recorded sign-in attempt."""

    at: dt.datetime
    ok: bool
    client: str
    order: int = 0  # ties within a second: the row id (attempts kept in memory come last)


def client_streak_seconds(attempts, client, policy, now):
    """Seconds this client still waits: failures in a row beyond the limit, doubling."""
    failures = []
    for attempt in sorted((a for a in attempts if a.client == client), key=lambda a: (a.at, a.order), reverse=True):
        if attempt.ok:
            break
        failures.append(attempt.at)
    extra = len(failures) - policy.max_failures
    if extra < 0:
        return 0
    delay = policy.lock_seconds * (2 ** min(extra, MAX_DOUBLINGS))
    return _remaining(failures[0] + dt.timedelta(seconds=delay), now)


def network_cap_seconds(attempts, is_local, policy, now):
    """Seconds every network client waits because the network spent the hour's failures."""
    since = now - NETWORK_WINDOW
    failures = sorted(a.at for a in attempts if not a.ok and a.at > since and not is_local(a.client))
    if len(failures) < policy.network_max_failures:
        return 0
    # The cap lifts when enough of the oldest failures have left the window.
    return _remaining(failures[len(failures) - policy.network_max_failures] + NETWORK_WINDOW, now)


def seconds_locked(attempts, client, is_local, policy, now):
    """How long `client` waits before its next attempt is evaluated (0: not locked)."""
    locked = client_streak_seconds(attempts, client, policy, now)
    if not is_local(client):
        locked = max(locked, network_cap_seconds(attempts, is_local, policy, now))
    return locked


def _remaining(until, now):
    return max(0, int((until - now).total_seconds() + 0.999))


def recent_attempts(db, role, client, now=None):
    """The attempts the lock depends on: this client's latest, every failure of the last hour."""
    since = utc_iso((now or utc_now()) - NETWORK_WINDOW)
    rows = db.execute(
        "SELECT id, at, ok, client FROM auth_attempts WHERE role = ? AND client = ? ORDER BY id DESC LIMIT ?",
        [role, client, STREAK_ROWS],
    ).fetchall()
    rows += db.execute(
        "SELECT id, at, ok, client FROM auth_attempts WHERE role = ? AND ok = 0 AND at > ? AND client != ?",
        [role, since, client],
    ).fetchall()
    return [Attempt(parse_utc_iso(at), bool(ok), who, row_id) for row_id, at, ok, who in rows]


def reserve(db, role, client, is_local, policy, now=None):
    """Check the lock and record this attempt as a failure, in one write transaction.

    Returns (attempt id, 0) when the attempt may be evaluated, or (None, seconds locked).
    Raises sqlite3.OperationalError when the database cannot be written."""
    now = now or utc_now()
    with write_transaction(db):
        locked = seconds_locked(recent_attempts(db, role, client, now), client, is_local, policy, now)
        if locked:
            return None, locked
        cursor = db.execute(
            "INSERT INTO auth_attempts (at, role, ok, client) VALUES (?, ?, 0, ?)", [utc_iso(now), role, client]
        )
        return cursor.lastrowid, 0


def settle(db, attempt_id):
    """The reserved attempt succeeded: it clears its client's count."""
    with write_transaction(db):
        db.execute("UPDATE auth_attempts SET ok = 1 WHERE id = ?", [attempt_id])
