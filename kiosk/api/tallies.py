"""The JSON API: tallies for the admin's spreadsheets and the hub, behind a bearer token."""
import datetime as dt
import functools

from flask import Blueprint, current_app, jsonify, request

from kiosk.reports.tallies import tallies
from kiosk.store import credentials
from kiosk.web.database import get_db
from kiosk.web.errors import error_response
from kiosk.web.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated, never cookie-authenticated


def require_token(view):
    """Only a request with `Authorization: Bearer <API token>` gets through."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credentials.verify(get_db(), "api_token", token.strip()):
            response, status = error_response(401, "A valid API token is needed: Authorization: Bearer <token>")
            response.headers["WWW-Authenticate"] = 'Bearer realm="kiosk"'
            return response, status
        return view(*args, **kwargs)

    return wrapped


def parse_period(args):
    """The optional `from` and `to` dates of a query; raises ValueError naming the bad one."""
    bounds = {}
    for name in ("from", "to"):
        value = args.get(name)
        try:
            bounds[name] = dt.date.fromisoformat(value) if value else None
        except ValueError:
            raise ValueError(name, f"'{name}' must be a date written YYYY-MM-DD (Gregorian)") from None
    if bounds["from"] and bounds["to"] and bounds["from"] > bounds["to"]:
        raise ValueError("from", "'from' must not be after 'to'")
    return bounds["from"], bounds["to"]


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
        quota=settings["eit"]["quota"],
        band_interval=settings["feedback"]["mean_band_interval"],
    )
    figures["kiosk"] = settings["kiosk"]["id"]
    figures["station"] = settings["station"]["code"]
    return jsonify(figures)
