"""The citizen's screens on the kiosk."""

from flask import Blueprint

bp = Blueprint("citizen", __name__)

from kiosk.citizen import eit, feedback, info, phone, routes  # noqa: E402,F401  (registers the views)
