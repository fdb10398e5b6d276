"""The duty officer's panel (สิบเวร): reset, pause, PR duty, status and alerts, behind a PIN."""

from flask import Blueprint

bp = Blueprint("duty", __name__, url_prefix="/duty")

from kiosk.duty import routes  # noqa: E402,F401  (registers the views)
