"""The station admin's pages: sign-in, the dashboard, comments, exports, setup, content."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from kiosk.admin import counters, editor, routes, setup, translations  # noqa: E402,F401  (registers the views)
