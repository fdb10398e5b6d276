"""The kiosk's health at a glance, for the duty officer."""

import os
import shutil
import time

from flask import current_app

from kiosk import __version__
from kiosk.core.clock import today_in_bangkok
from kiosk.reports.tallies import tallies
from kiosk.web.database import database_path, get_db, get_event_log

STARTED = time.time()


def sync_status():
    """The sync to the hub: None when no hub is set; else the last sync, events waiting, the error."""
    from kiosk.sync.client import last_seq, read_state

    if not current_app.config["KIOSK"].hub.url:
        return None
    db = get_db()
    state = read_state(db)
    return {
        "last_sync_at": state.get("last_ok_at"),
        "waiting": max(0, last_seq(db) - int(state.get("acked", 0))),
        "error": state.get("last_error"),
        "error_kind": state.get("last_error_kind"),
        "refused": state.get("refused"),
    }


def kiosk_status():
    """Today's figures, the last event, disk and database size, uptime and version."""
    path = database_path()
    today = today_in_bangkok()
    figures = tallies(get_db(), today, today)
    last = get_event_log().last_event()
    size = sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p))
    disk = shutil.disk_usage(current_app.config["DATA_DIR"])
    return {
        "answers_today": figures["satisfaction"]["total"],
        "answers_today_raw": figures["satisfaction"]["raw"]["total"],
        "referrals_today": figures["eit"]["total"],
        "last_event_at": last.at if last else None,
        "last_event_kind": last.kind if last else None,
        "database_mb": round(size / 1e6, 1),
        "disk_free_gb": round(disk.free / 1e9, 1),
        "disk_free_percent": round(100 * disk.free / disk.total),
        "uptime_hours": round((time.time() - STARTED) / 3600, 1),
        "version": __version__,
        "sync": sync_status(),
        "province": province_status(),
    }


def province_status():
    """From the province's hub: the content version shown, a refused package, the message."""
    from kiosk.store import province

    db = get_db()
    refused = province.error(db)
    shown = province.version(db)
    return {
        "version": shown,
        "refused": refused if refused and refused.get("version", 0) > shown else None,
        "message": province.message(db),
    }
