"""What this kiosk holds from its province's hub: the content package it shows, the
commands it carried out, the results still to report, the duty officer's message.

Kept in `meta` (keys province.*), so that no schema step is needed and every server
thread reads the same. The package is written only after kiosk.sync.province checked it
whole (schema, size, hash, the content models); a refused one never lands here.
"""

import json

from kiosk.core.clock import utc_now_iso
from kiosk.store.db import write_transaction

EMPTY_PACKAGE = {"format": 1, "version": 0, "locked": [], "content": {}, "hash": ""}
DONE_KEEP = 200  # command ids remembered, so that a command repeated by the hub runs once


def _get(db, key, default=None):
    row = db.execute("SELECT value FROM meta WHERE key = ?", [f"province.{key}"]).fetchone()
    return json.loads(row[0]) if row else default


def _put(conn, **values):
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [(f"province.{key}", json.dumps(value, ensure_ascii=False)) for key, value in values.items()],
    )


def _conn(db):
    return db.conn if hasattr(db, "conn") else db


def has_meta(db):
    """False on a database without the meta table yet (read before migrations)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is not None


def version(db):
    """The version of the province package shown (0: none)."""
    if not has_meta(db):
        return 0
    return int(_get(db, "version", 0))


def package(db):
    """The province package shown: {format, version, locked, content, hash}."""
    if not has_meta(db):
        return dict(EMPTY_PACKAGE)
    return _get(db, "package", None) or dict(EMPTY_PACKAGE)


def accept(db, checked_package, audit_detail=""):
    """Store a package already checked whole; the kiosk shows it at its next page."""
    conn = _conn(db)
    with write_transaction(conn):
        _put(conn, package=checked_package, version=checked_package["version"], error=None)
        _audit(conn, "province content", f"version {checked_package['version']} {audit_detail}".strip())


def refuse(db, offered_version, message):
    """Note why a package was refused (shown on the duty panel and reported to the hub)."""
    conn = _conn(db)
    with write_transaction(conn):
        _put(conn, error={"version": offered_version, "message": message, "at": utc_now_iso()})
        _audit(conn, "province content refused", f"version {offered_version}: {message}"[:500])


def error(db):
    """The last refusal ({version, message, at}) or None."""
    return _get(db, "error", None) if has_meta(db) else None


def message(db):
    """The hub's message for the duty officer ({text, at, id}) or None."""
    return _get(db, "message", None) if has_meta(db) else None


def done_result(db, command_id):
    """The result of a command already carried out, or None."""
    return _get(db, "done", {}).get(str(command_id))


def record_done(db, command_id, action, ok, result, apply=None):
    """Carry out a command once, inside one transaction with its audit line and its result.

    `apply(conn)` does the work; the result waits in province.results for the next sync."""
    conn = _conn(db)
    with write_transaction(conn):
        done = _get(conn, "done", {})
        if str(command_id) in done:
            return done[str(command_id)]
        if apply is not None:
            ok, result = apply(conn)
        entry = {"id": command_id, "ok": bool(ok), "result": str(result)[:300]}
        done[str(command_id)] = entry
        if len(done) > DONE_KEEP:
            for key in sorted(done, key=int)[: len(done) - DONE_KEEP]:
                del done[key]
        results = [r for r in _get(conn, "results", []) if r["id"] != command_id] + [entry]
        _put(conn, done=done, results=results)
        _audit(conn, f"hub command {action}", f"#{command_id}: {entry['result']}")
    return entry


def requeue_result(db, entry):
    """Report a result again (the hub sent the command again: its answer was lost)."""
    conn = _conn(db)
    with write_transaction(conn):
        results = [r for r in _get(conn, "results", []) if r["id"] != entry["id"]] + [entry]
        _put(conn, results=results)


def pending_results(db):
    """Results of carried-out commands the hub has not acknowledged yet."""
    return _get(db, "results", []) if has_meta(db) else []


def results_delivered(db, ids):
    """The hub took these results: stop sending them."""
    ids = set(ids)
    if not ids:
        return
    conn = _conn(db)
    with write_transaction(conn):
        _put(conn, results=[r for r in _get(conn, "results", []) if r["id"] not in ids])


def set_message(conn, command_id, text):
    """Inside a transaction: the duty officer's message from the hub."""
    _put(conn, message={"id": command_id, "text": text, "at": utc_now_iso()})


def _audit(conn, action, detail):
    conn.execute(
        "INSERT INTO audit (at, actor, action, detail) VALUES (?, 'hub', ?, ?)", (utc_now_iso(), action, detail)
    )
