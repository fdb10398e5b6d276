"""The hub's tables for the province's care of its kiosks (a step of the hub's migrations).

`hub_content_packages`: each content package the province published: who, when, a note,
the stations it is for (JSON list; NULL for all), the files it locks, the document
(canonical JSON) and the SHA-256 the kiosks check. A kiosk shows the newest package
addressed to its station.

`hub_commands`: reset, pause, resume or a message for one kiosk: made by the hub's admin
(or the CLI), sent on each sync answer until the kiosk reports its result.

`hub_kiosk_care`: what each kiosk last reported of itself on its sync: software and
content version, disk free, database size, paused, open alerts, its last error.
"""


def create_province_tables(conn):
    """Content packages, commands for kiosks, and what each kiosk reports of itself."""
    conn.execute(
        """CREATE TABLE IF NOT EXISTS hub_content_packages (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            stations TEXT,
            locked TEXT NOT NULL,
            document TEXT NOT NULL,
            hash TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE IF NOT EXISTS hub_commands (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            kiosk TEXT NOT NULL,
            action TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            sent_at TEXT,
            done_at TEXT,
            ok INTEGER,
            result TEXT
        )"""
    )
    conn.execute("CREATE INDEX IF NOT EXISTS hub_commands_kiosk ON hub_commands (kiosk, done_at)")
    conn.execute(
        """CREATE TABLE IF NOT EXISTS hub_kiosk_care (
            kiosk TEXT PRIMARY KEY,
            reported_at TEXT NOT NULL,
            software TEXT,
            content_version INTEGER,
            content_hash TEXT,
            disk_free_mb INTEGER,
            database_mb REAL,
            paused INTEGER,
            open_alerts INTEGER,
            last_error TEXT
        )"""
    )
