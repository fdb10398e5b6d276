"""The hub's kiosk list (remote care) and its commands; the content editor's blueprint.

/hub/kiosks shows per kiosk: last seen, software and content version (and whether it is
behind), disk free, database size, paused, open bad-answer alerts, last error in words;
and sends reset, pause, resume or a message to one kiosk or every kiosk of a station.
"""

from flask import Blueprint, flash, get_flashed_messages, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from kiosk import __version__
from kiosk.hub import commands, content, store
from kiosk.hub.views import hub_admin_required, render_hub
from kiosk.web.database import get_db

bp = Blueprint("hub_care", __name__)


def make_content_blueprint():
    """A fresh blueprint for the station's editor on the hub (kiosk.admin.editor.add_editor)."""
    return Blueprint("hub_content", __name__, url_prefix="/hub")


def render_editor(template, status=200, **context):
    """The editor's pages on the hub: the hub's bar and title."""
    return render_hub(template, status, editor_bar="hub/_hubbar.html", editor_title=_l("Admin hub"), **context)


def care_rows(db):
    """Every kiosk with what it last reported, and whether it is behind."""
    care = {
        row[0]: dict(
            zip(
                ("reported_at", "software", "content_version", "content_hash", "disk_free_mb", "database_mb")
                + ("paused", "open_alerts", "last_error"),
                row[1:],
                strict=True,
            )
        )
        for row in db.execute(
            "SELECT kiosk, reported_at, software, content_version, content_hash, disk_free_mb, database_mb, "
            "paused, open_alerts, last_error FROM hub_kiosk_care"
        )
    }
    rows = []
    for kiosk in store.kiosks(db):
        offer = content.offer_for(db, kiosk["station"])
        report = care.get(kiosk["name"], {})
        shown = report.get("content_version")
        row = {**kiosk, **{f"care_{k}": v for k, v in report.items()}}
        row["software"] = report.get("software") or kiosk["version"]
        row["content_wanted"] = offer["version"] if offer else 0
        row["content_behind"] = bool(offer) and shown != offer["version"]
        row["software_behind"] = bool(row["software"]) and row["software"] != __version__
        row["last_seen"] = kiosk["last_sync_at"]
        row["error_words"] = report.get("last_error") or kiosk["last_error"]
        rows.append(row)
    return rows


@bp.get("/hub/kiosks")
@hub_admin_required
def kiosk_list():
    """Every kiosk's health and versions; the ones not yet updated first in their own list."""
    db = get_db()
    rows = care_rows(db)
    return render_hub(
        "hub/kiosks.html",
        rows=rows,
        behind=[row for row in rows if (row["content_behind"] or row["software_behind"]) and not row["revoked_at"]],
        stations=sorted({row["station"] for row in rows}),
        recent=commands.commands(db, limit=20),
        packages=content.packages(db, limit=5),
        hub_version=__version__,
        notes=get_flashed_messages(),
    )


@bp.post("/hub/kiosks/command")
@hub_admin_required
def send_command():
    """Reset, pause, resume or a message, for one kiosk or every kiosk of a station."""
    db = get_db()
    action = request.form.get("action", "")
    kiosk, station = request.form.get("kiosk", ""), request.form.get("station", "")
    names = [kiosk] if kiosk else commands.kiosks_of_station(db, station)
    if not names:
        return render_hub("hub/message.html", 400, message=_l("Choose a kiosk or a station."))
    try:
        commands.create(db, "admin", action, names, request.form.get("text", ""))
    except commands.CommandRefused as error:
        return render_hub("hub/message.html", 400, message=str(error))
    flash(str(_l("Sent to %(names)s: it is carried out at the kiosk's next sync.", names=", ".join(names))))
    return redirect(url_for("hub_care.kiosk_list"))
