"""When the public pages were last published, and from what: kept in the `meta` table.

The admin page compares the stored hash with the hash of today's content and settings,
so that it can say "the content has changed since: publish again".
"""

from __future__ import annotations

import hashlib
import json

from kiosk import __version__
from kiosk.store.db import write_transaction

META_KEY = "publish.last"
# Settings that never show on a public page (and must never be hashed into one).
PRIVATE_SECTIONS = {"secrets", "hub"}


def inputs_hash(settings, content) -> str:
    """SHA-256 of what the pages are made from: the content, the settings they show, the version."""
    shown = settings.model_dump(exclude=PRIVATE_SECTIONS)
    text = json.dumps(shown, sort_keys=True, ensure_ascii=False) + "\n" + repr(content) + "\n" + __version__
    return hashlib.sha256(text.encode()).hexdigest()


def record_published(db, digest: str, at_utc: str, pages: int) -> None:
    """Remember that the pages were published now from inputs with this hash."""
    value = json.dumps({"hash": digest, "at": at_utc, "pages": pages})
    with write_transaction(db):
        db["meta"].upsert({"key": META_KEY, "value": value}, pk="key")


def last_published(db) -> dict | None:
    """{"hash", "at" (UTC), "pages"} of the last publication, or None."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [META_KEY]).fetchone()
    return json.loads(row[0]) if row else None


def publish_status(db, settings, content) -> dict:
    """{"last": last_published() or None, "changed": True when the content or settings differ since}."""
    last = last_published(db)
    return {"last": last, "changed": last is None or last["hash"] != inputs_hash(settings, content)}
