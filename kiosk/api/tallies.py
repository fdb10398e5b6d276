"""The JSON API: tallies for the admin's spreadsheets and the hub, behind a bearer token."""

from flask import Blueprint, current_app, jsonify, request

from kiosk.reports.counters import station_counter_figures
from kiosk.reports.periods import parse_period
from kiosk.reports.tallies import tallies
from kiosk.web.auth import require_token
from kiosk.web.database import get_db
from kiosk.web.errors import error_response
from kiosk.web.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated, never cookie-authenticated


@bp.get("/tallies")
@require_token
def get_tallies():
    """This kiosk's figures for an optional period: ?from=YYYY-MM-DD&to=YYYY-MM-DD."""
    try:
        date_from, date_to = parse_period(request.args)
    except ValueError as error:
        field, message = error.args
        return error_response(400, message, field=field)
    settings = current_app.config["KIOSK"]
    figures = tallies(
        get_db(),
        date_from,
        date_to,
        quota=settings.eit.quota,
        band_interval=settings.feedback.mean_band_interval,
    )
    figures["counters"] = station_counter_figures(get_db(), date_from, date_to)
    figures["kiosk"] = settings.kiosk.id
    figures["station"] = settings.station.code
    return jsonify(figures)
