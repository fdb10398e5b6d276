"""A small display at a counter: paired once, then it counts for its counter's unit."""

from flask import Blueprint

bp = Blueprint("display", __name__, url_prefix="/display")

from kiosk.display import routes  # noqa: E402,F401  (registers the views)
