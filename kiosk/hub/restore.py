"""What a kiosk gets back of its own events from the hub (after its disk was lost).

GET /api/v1/events?after=SEQ&limit=N with the kiosk's own token (kiosk/hub/api.py) answers

    {"kiosk": NAME, "after": SEQ, "acked": n, "head": n, "verified": n,
     "broken_at": seq or null, "fork_at": seq or null,
     "events": [<rows as the kiosk stored and hashed them, seq > SEQ, seq <= acked>],
     "more": true when events up to `acked` remain after this page}

Only events up to `acked` are given: 1..acked are all stored, so the kiosk can append
them in order without a gap. A token only ever reads its own kiosk's rows: the kiosk is
the token's, never a parameter that could name another one.
"""

from kiosk.core.events import MAX_SEQ

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000
PARAMETERS = ("after", "limit", "kiosk")

_ROW = ("seq", "id", "kiosk", "at", "kind", "payload", "flagged", "flag_reason", "prev_hash", "hash")


class BadRequest(ValueError):
    """A parameter that is not what the endpoint takes: (field, message)."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def _whole_number(args, name, default, lowest, highest):
    values = args.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        raise BadRequest(name, f"{name} is given more than once")
    text = values[0].strip()
    if not text.isascii() or not text.isdigit() or len(text) > 16:
        raise BadRequest(name, f"{name} must be a whole number from {lowest} to {highest} (got {values[0][:40]!r})")
    number = int(text)
    if not lowest <= number <= highest:
        raise BadRequest(name, f"{name} must be a whole number from {lowest} to {highest} (got {number})")
    return number


def parse_query(args):
    """?after=&limit=&kiosk= -> (after, limit, kiosk name or None); raises BadRequest."""
    unknown = sorted(set(args) - set(PARAMETERS))
    if unknown:
        raise BadRequest(
            unknown[0][:40],
            f"unknown parameter {unknown[0][:40]!r}: this address takes after, limit and kiosk "
            "(the token goes in the Authorization header, never in the address)",
        )
    after = _whole_number(args, "after", 0, 0, MAX_SEQ)
    limit = _whole_number(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    names = args.getlist("kiosk")
    if len(names) > 1:
        raise BadRequest("kiosk", "kiosk is given more than once")
    return after, limit, (names[0] if names else None)


def own_events(db, name, after, limit):
    """One page of kiosk `name`'s stored events after seq `after`, up to its `acked`."""
    state = db.execute(
        "SELECT acked, head, verified, broken_at, fork_at FROM hub_kiosks WHERE name = ?", (name,)
    ).fetchone()
    acked, head, verified, broken_at, fork_at = state
    (highest,) = db.execute("SELECT coalesce(max(seq), 0) FROM hub_events WHERE kiosk = ?", (name,)).fetchone()
    rows = db.execute(
        "SELECT seq, id, event_kiosk, at, kind, payload, flagged, flag_reason, prev_hash, hash "
        "FROM hub_events WHERE kiosk = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
        (name, after, acked, limit),
    ).fetchall()
    events = [dict(zip(_ROW, row, strict=True)) for row in rows]
    last = events[-1]["seq"] if events else after
    return {
        "kiosk": name,
        "after": after,
        "acked": acked,
        "head": max(head, highest),
        "verified": verified,
        "broken_at": broken_at,
        "fork_at": fork_at,
        "events": events,
        "more": last < acked,
    }
