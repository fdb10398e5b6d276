"""The station's own settings and content, as versions in the kiosk's database.

A document is JSON: {"settings": {section: {key: value}}, "content": {"<file>.toml":
{table}}}, the station's values only (what it changed from the shipped defaults, file by
file). Edits collect in the one draft; publishing copies the draft into a new version
(who, when, a note, the SHA-256 of the canonical document); restoring an old version
publishes a copy of it as a new version. Every change is one line of the audit table.
The versions live in kiosk.db, so the backup carries them.
"""

import hashlib
import json
from dataclasses import dataclass

from kiosk.core.clock import utc_now_iso
from kiosk.store.db import write_transaction

EMPTY = {"settings": {}, "content": {}}
DRAFT_ID = 1


@dataclass(frozen=True)
class Version:
    """One published version of the station's settings and content."""

    id: int
    created_at: str
    actor: str
    note: str
    document: dict
    hash: str


def canonical(document):
    """The document as canonical JSON text (sorted keys, no spaces, UTF-8 kept)."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def document_hash(document):
    """SHA-256 of the canonical JSON of a document."""
    return hashlib.sha256(canonical(document).encode("utf-8")).hexdigest()


def _has_tables(db):
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'station_versions'").fetchone() is not None


def latest_id(db):
    """The id of the newest version, 0 when none (or an old schema)."""
    if not _has_tables(db):
        return 0
    return db.execute("SELECT coalesce(max(id), 0) FROM station_versions").fetchone()[0]


def _version(row):
    return Version(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5])


def get_version(db, version_id):
    """The version with this id, or None."""
    row = db.execute(
        "SELECT id, created_at, actor, note, document, hash FROM station_versions WHERE id = ?", [version_id]
    ).fetchone()
    return _version(row) if row else None


def published(db):
    """The newest version's document, or the empty document."""
    if not _has_tables(db):
        return json.loads(json.dumps(EMPTY))
    row = db.execute("SELECT document FROM station_versions ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(row[0]) if row else json.loads(json.dumps(EMPTY))


def versions(db, limit=100):
    """The newest versions first."""
    rows = db.execute(
        "SELECT id, created_at, actor, note, document, hash FROM station_versions ORDER BY id DESC LIMIT ?", [limit]
    ).fetchall()
    return [_version(row) for row in rows]


def draft(db):
    """The draft's document: the one being edited, else a copy of the published one."""
    row = db.execute("SELECT document FROM station_draft WHERE id = ?", [DRAFT_ID]).fetchone()
    return json.loads(row[0]) if row else published(db)


def has_draft(db):
    """True when there are unpublished edits."""
    row = db.execute("SELECT document FROM station_draft WHERE id = ?", [DRAFT_ID]).fetchone()
    return row is not None and json.loads(row[0]) != published(db)


def _audit(db, actor, action, detail):
    db["audit"].insert({"at": utc_now_iso(), "actor": actor, "action": action, "detail": detail})


def save_draft(db, document, actor, detail):
    """Store the draft (already validated by the caller) and audit what changed."""
    with write_transaction(db):
        db["station_draft"].upsert(
            {"id": DRAFT_ID, "updated_at": utc_now_iso(), "actor": actor, "document": canonical(document)}, pk="id"
        )
        _audit(db, actor, "station-draft", detail)


def discard_draft(db, actor):
    """Forget the unpublished edits."""
    with write_transaction(db):
        db.execute("DELETE FROM station_draft WHERE id = ?", [DRAFT_ID])
        _audit(db, actor, "station-draft-discarded", "")


def publish(db, document, actor, note):
    """A new version holding `document`; the draft is cleared. Returns the version id."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO station_versions (created_at, actor, note, document, hash) VALUES (?, ?, ?, ?, ?)",
            [utc_now_iso(), actor, note, canonical(document), document_hash(document)],
        )
        version_id = cursor.lastrowid
        db.execute("DELETE FROM station_draft WHERE id = ?", [DRAFT_ID])
        _audit(db, actor, "station-publish", f"version {version_id}: {note}")
    return version_id
