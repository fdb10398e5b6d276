"""The kiosk's side of the province's care, carried by the normal sync (the hub never
calls a kiosk): the report it sends, the commands it carries out, the content it takes.

Each batch carries `care` (kiosk.hub.commands: content and software version, disk,
database, paused, open alerts, last error, results of commands) once the hub said it
takes one (`province` in its answer). After a push, the last answer's `province` part
is acted on:
- `commands`: each id carried out once (kiosk.store.province.record_done, one
  transaction with its audit line): reset (the page's /kiosk/poll sends every open
  screen to the start), pause and resume feedback, a message for the duty panel. The
  result goes back on the next sync.
- `content`: {version, hash} of the package for this station. When it is not the one
  shown, the kiosk fetches GET <hub>/api/v1/content with its token (no redirects, at most
  MAX_PACKAGE_BYTES) and checks it whole: the schema, the version and hash offered, the
  recomputed hash, the file names, and that the content builds with the station's own
  edits and the locks. Only then is it stored; a refused package leaves what the kiosk
  shows untouched, and the reason goes to the duty panel and the hub.
"""

import json
import logging
import os
import secrets
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from kiosk import __version__
from kiosk.content.loader import FILE_MODELS, ContentError
from kiosk.store import province as store
from kiosk.store import station as station_store
from kiosk.store.db import DB_FILENAME

FORMAT = 1
MAX_PACKAGE_BYTES = 1024 * 1024
MAX_FILES = 200
PACKAGE_KEYS = {"format", "version", "locked", "content", "hash"}

logger = logging.getLogger("kiosk.sync.province")


class PackageRefused(ValueError):
    """A content package this kiosk will not show; the message says why, in words."""


# -- the report ---------------------------------------------------------------------------


def care_report(db, data_dir):
    """What this kiosk tells its hub of itself on each sync."""
    package = store.package(db)
    refused = store.error(db)
    error = _meta(db, "sync.last_error", None)
    if refused and refused.get("version", 0) > package["version"]:
        error = f"content version {refused['version']} refused: {refused['message']}"
    report = {
        "content_version": package["version"],
        "content_hash": package["hash"],
        "paused": bool(_state(db, "paused", False)),
        "open_alerts": db.execute("SELECT count(*) FROM alerts WHERE closed_at IS NULL").fetchone()[0],
        "last_error": (error or None) and str(error)[:500],
        "results": store.pending_results(db)[-50:],
    }
    if data_dir:
        path = Path(data_dir) / DB_FILENAME
        size = sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if p.exists())
        report["database_mb"] = round(size / 1e6, 1)
        report["disk_free_mb"] = shutil.disk_usage(data_dir).free // 2**20
    return report


def _meta(db, key, default):
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def _state(db, key, default):
    return _meta(db, f"state.{key}", default)


# -- commands -----------------------------------------------------------------------------


def _put_state(conn, key, value):
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (f"state.{key}", json.dumps(value)),
    )


def _work(command):
    action, command_id = command.get("action"), command.get("id")

    def apply(conn):
        if action == "reset":
            _put_state(conn, "reset_token", secrets.token_hex(8))
            return True, "every screen of the kiosk goes back to the start screen"
        if action in ("pause", "resume"):
            _put_state(conn, "paused", action == "pause")
            return True, "feedback paused" if action == "pause" else "feedback open again"
        if action == "message":
            text = " ".join(str(command.get("text", "")).split())[:300]
            store.set_message(conn, command_id, text)
            return True, "message shown on the duty panel"
        return False, f"unknown command {action!r}: this kiosk (software {__version__}) does not know it"

    return apply


def carry_out(db, commands):
    """Carry out each command once (by id); returns their results."""
    results = []
    for command in commands if isinstance(commands, list) else []:
        if not (isinstance(command, dict) and type(command.get("id")) is int):
            continue
        done = store.done_result(db, command["id"])
        if done is not None:  # the hub did not get the result yet: report it again, never redo
            store.requeue_result(db, done)
            results.append(done)
            continue
        results.append(store.record_done(db, command["id"], str(command.get("action"))[:20], False, "", _work(command)))
    return results


# -- content ------------------------------------------------------------------------------


def canonical_hash(value):
    """SHA-256 of the canonical JSON (as kiosk.store.station.document_hash)."""
    return station_store.document_hash(value)


def check_package(raw, offer, source, document):
    """Bytes fetched from the hub -> the package, checked whole; raises PackageRefused."""
    if len(raw) > MAX_PACKAGE_BYTES:
        raise PackageRefused(f"the package is larger than {MAX_PACKAGE_BYTES // 1024} KiB")
    try:
        package = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PackageRefused("the package is not JSON") from None
    if not isinstance(package, dict) or set(package) != PACKAGE_KEYS:
        raise PackageRefused(f"the package must have exactly the fields {', '.join(sorted(PACKAGE_KEYS))}")
    if package["format"] != FORMAT:
        raise PackageRefused(f"format must be {FORMAT} (got {package['format']!r})")
    if type(package["version"]) is not int or package["version"] != offer.get("version"):
        raise PackageRefused(
            f"version {package['version']!r} is not the version {offer.get('version')} the hub offered"
        )
    content, locked = package["content"], package["locked"]
    if not isinstance(content, dict) or len(content) > MAX_FILES:
        raise PackageRefused(f"content must be a table of at most {MAX_FILES} files")
    for rel, data in content.items():
        valid_name = rel in FILE_MODELS or (
            rel.startswith("services/") and rel.count("/") == 1 and rel.endswith(".toml")
        )
        if not valid_name or not isinstance(data, dict):
            raise PackageRefused(f"content: {rel!r} is not a content file")
    if not (isinstance(locked, list) and all(isinstance(rel, str) and rel in content for rel in locked)):
        raise PackageRefused("locked must list files of the package")
    expected = canonical_hash(
        {"format": FORMAT, "version": package["version"], "locked": sorted(locked), "content": content}
    )
    if package["hash"] != expected or offer.get("hash") != expected:
        raise PackageRefused("the content hash does not match: the package was changed on the way")
    try:
        source.with_province(package).content(document)
    except ContentError as error:
        raise PackageRefused(f"the content does not fit the kiosk's models: {error}") from None
    return package


def fetch(client, offer):
    """GET the package offered, with this kiosk's token; the raw bytes (at most one too many)."""
    url = client.url.rsplit("/", 1)[0] + "/content"
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {client.token}", "User-Agent": f"kiosk/{__version__}"}
    )
    try:
        with client.opener.open(request, timeout=client.timeout) as response:
            return response.read(MAX_PACKAGE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise PackageRefused(f"the hub did not give the package ({error.code})") from None
    except (urllib.error.URLError, OSError) as error:
        raise ConnectionError(str(error)) from None


def take_content(client, offer, source):
    """Fetch, check and store the package offered when it is not the one shown. Returns
    the version now shown."""
    db = client.db
    if not isinstance(offer, dict) or type(offer.get("version")) is not int:
        return store.version(db)
    shown = store.version(db)
    refused = store.error(db)
    if offer["version"] == shown or (
        refused and refused.get("version") == offer["version"] and refused.get("hash") == offer.get("hash")
    ):
        return shown
    try:
        package = check_package(fetch(client, offer), offer, source, station_store.published(db))
    except ConnectionError as error:
        logger.warning("province content: the hub cannot be reached now (%s); trying at the next sync", error)
        return shown
    except PackageRefused as error:
        logger.error("province content version %s refused: %s", offer["version"], error)
        store.refuse(db, offer["version"], str(error))
        _remember_refused_hash(db, offer)
        return shown
    store.accept(db, package, f"({len(package['content'])} files, locked {package['locked']})")
    logger.info("province content version %s taken", package["version"])
    return package["version"]


def _remember_refused_hash(db, offer):
    # The same offer is not fetched again and again; a new version or hash is.
    from kiosk.store.db import write_transaction

    error = store.error(db) or {}
    with write_transaction(db.conn if hasattr(db, "conn") else db):
        db.execute(
            "UPDATE meta SET value = ? WHERE key = 'province.error'",
            [json.dumps({**error, "hash": offer.get("hash")}, ensure_ascii=False)],
        )


def after_answer(client, answer):
    """Act on the `province` part of the hub's last answer (nothing when it has none)."""
    part = (answer or {}).get("province")
    if not isinstance(part, dict):
        return
    if not _meta(client.db, "sync.hub_province", False):
        from kiosk.store.db import write_transaction

        conn = client.db.conn if hasattr(client.db, "conn") else client.db
        with write_transaction(conn):
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('sync.hub_province', 'true')")
    store.results_delivered(client.db, [i for i in part.get("received", []) if type(i) is int])
    carry_out(client.db, part.get("commands", []))
    source = getattr(client, "source", None)
    if source is not None:
        take_content(client, part.get("content"), source)
