"""The province's content packages: written with the station's editor on the hub (or
imported from files), published for all stations or some, fetched by the kiosks.

A package as a kiosk receives it (GET /api/v1/content, with its own token):

    {"format": 1, "version": <package id>, "locked": ["policy.toml", ...],
     "content": {"<file>.toml": {table}, ...}, "hash": "<sha256>"}

`hash` is the SHA-256 of the canonical JSON (kiosk.store.station.canonical) of the same
object without `hash`; the sync answer names the version and the hash beforehand, so a
kiosk checks that what it fetched is what its hub offered. `content` holds the files the
province changed from the shipped defaults (the same minimal document a station keeps);
the province's files never carry station settings.
"""

import json

from kiosk.core.clock import utc_now_iso
from kiosk.store.db import write_transaction
from kiosk.store.station import canonical, document_hash

FORMAT = 1
MAX_PACKAGE_BYTES = 1024 * 1024  # a kiosk refuses a larger one


class PublishRefused(ValueError):
    """A package that cannot be published; the message names what is wrong."""


def package_hash(version, locked, content):
    """The SHA-256 a kiosk recomputes over a package."""
    return document_hash({"format": FORMAT, "version": version, "locked": sorted(locked), "content": content})


def _audit(conn, actor, action, detail):
    conn.execute(
        "INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)", (utc_now_iso(), actor, action, detail)
    )


def publish_package(db, content, actor, note="", stations=None, locked=(), known_stations=None):
    """A new package of `content` ({file: table}, already validated) for `stations` (None: all).

    `locked` names files of `content` that a station's own edit cannot override. Returns
    the package id (its version)."""
    locked = sorted(set(locked))
    missing = [rel for rel in locked if rel not in content]
    if missing:
        raise PublishRefused(f"--lock: {missing[0]} is not in the package")
    if stations is not None:
        stations = sorted(set(stations))
        if not stations:
            raise PublishRefused("--station: choose at least one station, or none for all")
        if known_stations is not None:
            unknown = sorted(set(stations) - set(known_stations))
            if unknown:
                raise PublishRefused(f"--station: no kiosk of station {unknown[0]!r} is registered on this hub")
    conn = db.conn if hasattr(db, "conn") else db
    with write_transaction(conn):
        cursor = conn.execute(
            "INSERT INTO hub_content_packages (created_at, actor, note, stations, locked, document, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, '')",
            (
                utc_now_iso(),
                actor,
                note[:200],
                json.dumps(stations) if stations is not None else None,
                json.dumps(locked),
                canonical(content),
            ),
        )
        package_id = cursor.lastrowid
        conn.execute(
            "UPDATE hub_content_packages SET hash = ? WHERE id = ?",
            (package_hash(package_id, locked, content), package_id),
        )
        whom = ", ".join(stations) if stations else "all stations"
        _audit(conn, actor, "province content published", f"version {package_id} for {whom}; locked {locked}")
    return package_id


def _row(row):
    keys = ("id", "created_at", "actor", "note", "stations", "locked", "document", "hash")
    found = dict(zip(keys, row, strict=True))
    found["stations"] = json.loads(found["stations"]) if found["stations"] else None
    found["locked"] = json.loads(found["locked"])
    found["content"] = json.loads(found.pop("document"))
    return found


def packages(db, limit=50):
    """The newest packages first."""
    rows = db.execute(
        "SELECT id, created_at, actor, note, stations, locked, document, hash FROM hub_content_packages "
        "ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [_row(row) for row in rows]


def package_for(db, station):
    """The newest package addressed to `station` (or to all), or None."""
    rows = db.execute(
        "SELECT id, created_at, actor, note, stations, locked, document, hash FROM hub_content_packages "
        "WHERE stations IS NULL OR EXISTS (SELECT 1 FROM json_each(stations) WHERE value = ?) "
        "ORDER BY id DESC LIMIT 1",
        (station,),
    ).fetchall()
    return _row(rows[0]) if rows else None


def offer_for(db, station):
    """What the sync answer says of the package for this station: {version, hash} or None."""
    row = db.execute(
        "SELECT id, hash FROM hub_content_packages "
        "WHERE stations IS NULL OR EXISTS (SELECT 1 FROM json_each(stations) WHERE value = ?) "
        "ORDER BY id DESC LIMIT 1",
        (station,),
    ).fetchone()
    return {"version": row[0], "hash": row[1]} if row else None


def wire(package):
    """The package as a kiosk receives it."""
    return {
        "format": FORMAT,
        "version": package["id"],
        "locked": package["locked"],
        "content": package["content"],
        "hash": package["hash"],
    }


def content_of_document(document):
    """The content files of an editor document or an imported directory (settings dropped:
    they stay each station's own)."""
    return dict(document.get("content", {}))
