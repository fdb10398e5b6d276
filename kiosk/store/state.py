"""What the duty officer sets on this kiosk: reset requests, pause, the officer on PR duty.

Kept in the `meta` table so that every server thread, and a phone on the station network,
sees the same state.
"""

import json
import secrets

from kiosk.store.db import write_transaction

# `held`: set and cleared by kiosk.store.hold (the hub holds more of this kiosk's events).
DEFAULTS = {"reset_token": "initial", "paused": False, "pr_duty": None, "held": None}


def get_state(db, key):
    row = db.execute("SELECT value FROM meta WHERE key = ?", [f"state.{key}"]).fetchone()
    return json.loads(row[0]) if row else DEFAULTS[key]


def all_states(db):
    """Every state value in one query (each page shows several)."""
    rows = db.execute("SELECT key, value FROM meta WHERE key LIKE 'state.%'").fetchall()
    stored = {key.removeprefix("state."): json.loads(value) for key, value in rows}
    return {**DEFAULTS, **stored}


def set_state(db, key, value):
    """Store one state value (JSON) for every thread and page to see."""
    with write_transaction(db):
        db["meta"].upsert({"key": f"state.{key}", "value": json.dumps(value, ensure_ascii=False)}, pk="key")


def request_reset(db):
    """Every kiosk page showing this kiosk goes back to the start screen at its next check."""
    token = secrets.token_hex(8)
    set_state(db, "reset_token", token)
    return token


def is_paused(db):
    return bool(get_state(db, "paused"))
