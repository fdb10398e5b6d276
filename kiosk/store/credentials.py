"""Secrets: the admin password, the duty PIN and the API token, stored only as hashes.

Given in the settings or the environment, they are hashed into the database.
Where none is given and none is stored, one is generated and printed once.

Each secret also has a session generation (in `meta`): a signed-in session carries the
generation it began under, and is good only while that is still the current one. A new
secret, or a sign-out, moves the generation on and so ends every session of that user,
copied cookies included, without the server keeping a row per session.
"""

import hashlib
import hmac
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.core.clock import utc_now_iso
from kiosk.store.db import write_transaction

# Human secrets get a slow hash; the API token is 256 random bits, so a fast one suffices.
SLOW = ("admin_password", "duty_pin")
FAST = ("api_token",)

LABELS = {
    "admin_password": "Admin password (user: admin)",
    "duty_pin": "Duty officer PIN",
    "api_token": "API token",
}


def generate(name):
    if name == "duty_pin":
        return f"{secrets.randbelow(10**6):06d}"
    if name == "api_token":
        return secrets.token_urlsafe(32)
    return secrets.token_urlsafe(12)


def _hash(name, value):
    if name in FAST:
        return "sha256$" + hashlib.sha256(value.encode()).hexdigest()
    return generate_password_hash(value)


def matches(stored_hash, value):
    if stored_hash.startswith("sha256$"):
        digest = "sha256$" + hashlib.sha256(value.encode()).hexdigest()
        return hmac.compare_digest(stored_hash, digest)
    return check_password_hash(stored_hash, value)


def stored_hash(db, name):
    row = db.execute("SELECT hash FROM credentials WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def set_secret(db, name, value):
    """Store the hash of `value` as the secret `name`; every session signed in with the old one ends."""
    with write_transaction(db):
        db["credentials"].upsert({"name": name, "hash": _hash(name, value), "created_at": utc_now_iso()}, pk="name")
        advance_generation(db, name)


def _generation_key(name):
    return f"session_generation.{name}"


def session_generation(db, name):
    """The current session generation of the secret `name` (0 until a session was ended)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [_generation_key(name)]).fetchone()
    return int(row[0]) if row else 0


def advance_generation(db, name):
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [_generation_key(name)],
    )


def end_sessions(db, name):
    """End every session signed in with the secret `name` (a sign-out, a revoked password)."""
    with write_transaction(db):
        advance_generation(db, name)


def verify(db, name, value):
    """True when `value` is the current secret `name`."""
    current = stored_hash(db, name)
    return bool(current and value) and matches(current, value)


KIOSK_SECRETS = SLOW + FAST
# The hub needs an admin password (dashboard) and an admin API token (GET /api/v1/tallies).
HUB_SECRETS = ("admin_password", "api_token")
HUB_LABELS = {
    "admin_password": "Hub admin password (user: admin)",
    "api_token": "Hub admin API token (for GET /api/v1/tallies)",
}


def ensure_secrets(db, given, announce=print, names=KIOSK_SECRETS, labels=LABELS, who="First start"):
    """Store given secrets; generate and announce once those that have never been set."""
    generated = {}
    for name in names:
        value = given.get(name, "")
        current = stored_hash(db, name)
        if value:
            if not (current and matches(current, value)):
                set_secret(db, name, value)
        elif current is None:
            generated[name] = generate(name)
            set_secret(db, name, generated[name])
    if generated:
        lines = [f"{who}: these secrets were generated. They are shown only now; keep them safe."]
        lines += [f"  {labels[name]}: {value}" for name, value in generated.items()]
        announce("\n".join(lines))
    return generated
