"""Remote care: commands for kiosks, their results, and what each kiosk reports of itself.

The hub never calls a kiosk (it sits behind the station's router). A command waits in
`hub_commands` and rides on every sync answer of its kiosk until the kiosk reports its
result; the kiosk carries each command id out once (kiosk.sync.province). Both sides
write an audit line: the hub when the command is made and when its result arrives, the
kiosk when it carries it out.

The kiosk's report (`care` in its sync batch; the hub says it takes one with `province`
in its answer, so that a newer kiosk still syncs with an older hub):

    {"content_version": n, "content_hash": "...", "disk_free_mb": n, "database_mb": x,
     "paused": bool, "open_alerts": n, "last_error": "..." or null,
     "results": [{"id": n, "ok": bool, "result": "..."}]}
"""

from kiosk.core.clock import utc_now_iso
from kiosk.hub import content
from kiosk.hub.ingest import BatchRefused
from kiosk.store.db import write_transaction

ACTIONS = ("reset", "pause", "resume", "message")
MESSAGE_MAX = 300
MAX_RESULTS = 50


class CommandRefused(ValueError):
    """A command that cannot be made (unknown kiosk or action, a bad message)."""


def _audit(conn, actor, action, detail):
    conn.execute(
        "INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)", (utc_now_iso(), actor, action, detail)
    )


def create(db, actor, action, kiosks, text=""):
    """One command per kiosk named; returns their ids. Raises CommandRefused."""
    if action not in ACTIONS:
        raise CommandRefused(f"action must be one of {', '.join(ACTIONS)} (got {action!r})")
    text = " ".join(str(text).split())
    if action == "message" and not (0 < len(text) <= MESSAGE_MAX and text.isprintable()):
        raise CommandRefused(f"message: write 1 to {MESSAGE_MAX} characters")
    conn = db.conn if hasattr(db, "conn") else db
    ids = []
    with write_transaction(conn):
        for name in kiosks:
            row = conn.execute("SELECT revoked_at FROM hub_kiosks WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise CommandRefused(f"KIOSK: {name!r} is not registered on this hub")
            if row[0]:
                raise CommandRefused(f"KIOSK: {name!r} was revoked")
            cursor = conn.execute(
                "INSERT INTO hub_commands (created_at, actor, kiosk, action, text) VALUES (?, ?, ?, ?, ?)",
                (utc_now_iso(), actor, name, action, text if action == "message" else ""),
            )
            ids.append(cursor.lastrowid)
            _audit(conn, actor, f"command {action}", f"#{cursor.lastrowid} {name} {text}".strip())
    return ids


def kiosks_of_station(db, station):
    """The active kiosks of a station."""
    rows = db.execute(
        "SELECT name FROM hub_kiosks WHERE station = ? AND revoked_at IS NULL ORDER BY name", (station,)
    ).fetchall()
    return [row[0] for row in rows]


def commands(db, kiosk=None, limit=50):
    """The newest commands first, as dicts."""
    keys = ("id", "created_at", "actor", "kiosk", "action", "text", "sent_at", "done_at", "ok", "result")
    sql = f"SELECT {', '.join(keys)} FROM hub_commands"
    args = []
    if kiosk:
        sql += " WHERE kiosk = ?"
        args.append(kiosk)
    rows = db.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, limit]).fetchall()
    return [dict(zip(keys, row, strict=True)) for row in rows]


def check_care(care):
    """A kiosk's report against its schema; raises BatchRefused naming the field."""
    if care is None:
        return None
    if not isinstance(care, dict):
        raise BatchRefused(400, "care must be an object", field="care")
    kinds = {
        "content_version": int,
        "content_hash": str,
        "disk_free_mb": int,
        "database_mb": (int, float),
        "paused": bool,
        "open_alerts": int,
        "last_error": (str, type(None)),
        "results": list,
    }
    for key, value in care.items():
        if key not in kinds:
            raise BatchRefused(400, f"unknown field care.{key}", field=f"care.{key}")
        if not isinstance(value, kinds[key]) or (isinstance(value, bool) and kinds[key] is int):
            raise BatchRefused(400, f"care.{key} has the wrong type", field=f"care.{key}")
        if isinstance(value, str) and len(value) > 500:
            raise BatchRefused(400, f"care.{key} is longer than 500 characters", field=f"care.{key}")
    results = care.get("results", [])
    if len(results) > MAX_RESULTS:
        raise BatchRefused(400, f"care.results: at most {MAX_RESULTS}", field="care.results")
    for index, result in enumerate(results):
        if not (
            isinstance(result, dict)
            and set(result) == {"id", "ok", "result"}
            and type(result["id"]) is int
            and isinstance(result["ok"], bool)
            and isinstance(result["result"], str)
            and len(result["result"]) <= 300
        ):
            raise BatchRefused(400, f"care.results[{index}] must be {{id, ok, result}}", field=f"care.results[{index}]")
    return care


def answer_for(db, kiosk, care, software=None):
    """Inside the sync request, after the batch is stored: note the kiosk's report and the
    results it sends; return what rides on the answer: the content offer and the commands."""
    conn = db.conn if hasattr(db, "conn") else db
    now = utc_now_iso()
    name = kiosk["name"]
    with write_transaction(conn):
        if care is not None:
            conn.execute(
                "INSERT INTO hub_kiosk_care (kiosk, reported_at, software, content_version, content_hash, "
                "disk_free_mb, database_mb, paused, open_alerts, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (kiosk) DO UPDATE SET reported_at = excluded.reported_at, software = excluded.software, "
                "content_version = excluded.content_version, content_hash = excluded.content_hash, "
                "disk_free_mb = excluded.disk_free_mb, database_mb = excluded.database_mb, "
                "paused = excluded.paused, open_alerts = excluded.open_alerts, last_error = excluded.last_error",
                (
                    name,
                    now,
                    software,
                    care.get("content_version"),
                    care.get("content_hash"),
                    care.get("disk_free_mb"),
                    care.get("database_mb"),
                    int(care["paused"]) if "paused" in care else None,
                    care.get("open_alerts"),
                    care.get("last_error"),
                ),
            )
            for result in care.get("results", []):
                updated = conn.execute(
                    "UPDATE hub_commands SET done_at = ?, ok = ?, result = ? "
                    "WHERE id = ? AND kiosk = ? AND done_at IS NULL",
                    (now, int(result["ok"]), result["result"], result["id"], name),
                ).rowcount
                if updated:
                    _audit(conn, f"kiosk {name}", "command result", f"#{result['id']} {result['result']}")
        pending = conn.execute(
            "SELECT id, action, text FROM hub_commands WHERE kiosk = ? AND done_at IS NULL ORDER BY id LIMIT 20",
            (name,),
        ).fetchall()
        if pending:
            conn.execute(
                f"UPDATE hub_commands SET sent_at = coalesce(sent_at, ?) WHERE id IN ({', '.join('?' * len(pending))})",
                (now, *[row[0] for row in pending]),
            )
    return {
        "content": content.offer_for(conn, kiosk["station"]),
        "commands": [{"id": row[0], "action": row[1], "text": row[2]} for row in pending],
        "received": [result["id"] for result in (care or {}).get("results", [])],
    }
