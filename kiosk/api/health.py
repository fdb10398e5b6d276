"""Health check for the watchdog and the duty officer."""

import os
import shutil

from flask import Blueprint, Response, jsonify, request

from kiosk import __version__
from kiosk.store.migrations import schema_version
from kiosk.store.state import get_state
from kiosk.web.database import database_path, get_db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answers 200 with the version and whether the database can be written."""
    path = database_path()
    version = schema_version(get_db())
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    return jsonify(
        status="ok",
        version=__version__,
        schema_version=version,
        database=str(path),
        writable=writable,
        disk_free_mb=shutil.disk_usage(path.parent).free // 2**20,
    )


@bp.get("/kiosk/poll")
def poll():
    """The kiosk page checks in every few seconds; after a duty reset it is sent to the start screen."""
    response = Response(status=204)
    if request.args.get("since") != get_state(get_db(), "reset_token"):
        response.headers["HX-Redirect"] = "/"
    return response
