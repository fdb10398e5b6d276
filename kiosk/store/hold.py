"""A kiosk that has fewer of its own events than the hub holds takes no new taps.

When the hub holds events of this kiosk past the end of its log (its disk was replaced,
or an older backup restored), a new tap would reuse a seq the hub already holds with other
content: a fork the hub refuses for good. So the kiosk is *held* (meta `state.held`) until
the duty officer either restores the events from the hub (kiosk.sync.recovery) or
confirms that it goes on without them (`hold.confirmed` keeps what was confirmed, so the
same finding does not hold the kiosk again). The hold is `state.held` in meta, so every
screen reads it with the other states (kiosk.store.state.all_states) at no extra cost.
"""

import json

from kiosk.core.clock import utc_now_iso
from kiosk.store.db import write_transaction

_STATE, _CONFIRMED = "state.held", "hold.confirmed"


def _get(db, key):
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else None


def _put(conn, key, value):
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value)),
    )


def _conn(db):
    return getattr(db, "conn", db)


def current(db):
    """The hold as a dict {local_head, hub_acked, at}, or None when taps are taken."""
    return _get(db, _STATE)


def hold(db, local_head, hub_acked):
    """Hold the kiosk: the hub holds its events up to `hub_acked`, its log ends at `local_head`.

    Nothing happens when the duty officer already confirmed going on past this finding.
    Returns True when the kiosk is held."""
    confirmed = _get(db, _CONFIRMED)
    if confirmed and confirmed.get("hub_acked", 0) >= hub_acked and confirmed.get("local_head", 0) <= local_head:
        return False
    with write_transaction(_conn(db)) as conn:
        # The finding may be stale: a restore can have caught the log up since `local_head`
        # was read (a sync in flight while `restore --from-hub` ran). Hold only on the log as
        # it stands now, inside the write lock the restore also takes.
        (local_head,) = conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()
        if local_head >= hub_acked:
            return False
        _put(conn, _STATE, {"local_head": local_head, "hub_acked": hub_acked, "at": utc_now_iso()})
    return True


def release(db, confirmed=False):
    """Take taps again: after a restore (the log caught up), or `confirmed` by the duty officer."""
    with write_transaction(_conn(db)) as conn:
        state = _get(conn, _STATE)
        if confirmed and state:
            _put(conn, _CONFIRMED, {**state, "confirmed_at": utc_now_iso()})
        conn.execute("DELETE FROM meta WHERE key = ?", (_STATE,))
    return state
