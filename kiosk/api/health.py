"""Health check for the watchdog and the duty officer.

Anyone gets `status`, `version`, `schema_version` and `database_id` (a keyed digest that
lets `kiosk restore` recognise the server of its database without learning its path).
The database's path, whether it can be written and the free disk are for the duty
officer or the admin signed in, or a client with the API token."""

import shutil

from flask import Blueprint, Response, jsonify, request

from kiosk import __version__
from kiosk.store import credentials
from kiosk.store.db import database_id
from kiosk.store.migrations import schema_version
from kiosk.store.state import get_state
from kiosk.web import auth
from kiosk.web.database import database_path, database_writable, get_db

bp = Blueprint("health", __name__)


def _may_see_details():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return credentials.verify(get_db(), "api_token", token.strip())
    return auth.signed_in("duty") or auth.signed_in("admin")


@bp.get("/healthz")
def healthz():
    """Answers 200 while the server serves; details for staff and API clients."""
    path = database_path()
    body = {
        "status": "ok",
        "version": __version__,
        "schema_version": schema_version(get_db()),
        "database_id": database_id(path),
    }
    if _may_see_details():
        body.update(
            database=str(path),
            writable=database_writable(),
            disk_free_mb=shutil.disk_usage(path.parent).free // 2**20,
        )
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/kiosk/poll")
def poll():
    """The kiosk page checks in every few seconds; after a duty reset it is sent to the start screen."""
    response = Response(status=204)
    if request.args.get("since") != get_state(get_db(), "reset_token"):
        response.headers["HX-Redirect"] = "/"
    return response
