"""The province's API on the hub: a kiosk fetches its content package; the admin publishes
content and sends commands.

GET  /api/v1/content   the package for the calling kiosk's station (its kiosk token)
POST /api/v1/content   publish {"content": {file: table}, "stations": [..] | null,
                       "locked": [..], "note": ".."} (the hub's admin API token)
POST /api/v1/commands  {"action": "reset|pause|resume|message", "kiosk": NAME | "station": CODE,
                       "text": ".."} (the hub's admin API token)

A kiosk's token is refused on the admin's two with 403: it may fetch, never publish or command.
"""

from flask import Blueprint, current_app, jsonify, request

from kiosk.hub import commands, content, store
from kiosk.store import credentials
from kiosk.web.database import get_db
from kiosk.web.errors import error_response
from kiosk.web.extensions import csrf

bp = Blueprint("hub_province_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated, never cookie-authenticated


def _bearer():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _admin_or_refusal(what):
    """None for the hub's admin token; else the refusal (403 for a kiosk's token, 401 otherwise)."""
    token = _bearer()
    db = get_db()
    if token and credentials.verify(db, "api_token", token):
        return None
    kiosk, _reason = store.kiosk_for_token(db, token)
    if kiosk is not None:
        return error_response(403, f"a kiosk's token cannot {what}: use the hub's admin API token")
    response, status = error_response(401, "the hub's admin API token is needed: Authorization: Bearer <token>")
    response.headers["WWW-Authenticate"] = 'Bearer realm="hub"'
    return response, status


@bp.get("/content")
def kiosk_content():
    """The newest content package for the calling kiosk's station (404 when none)."""
    if request.args:
        return error_response(400, "this address takes no query parameters")
    kiosk, reason = store.kiosk_for_token(get_db(), _bearer())
    if kiosk is None:
        response, status = error_response(401, f"a registered kiosk's token is needed ({reason})")
        response.headers["WWW-Authenticate"] = 'Bearer realm="hub"'
        return response, status
    package = content.package_for(get_db(), kiosk["station"])
    if package is None:
        return error_response(404, "no content package for this station")
    return jsonify(content.wire(package))


@bp.post("/content")
def publish_content():
    """Publish a content package (validated whole by the content models)."""
    refused = _admin_or_refusal("publish content")
    if refused:
        return refused
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("content"), dict):
        return error_response(400, "send JSON with content: {file: table}", field="content")
    from kiosk.hub.province import PackageInvalid, validate_content

    try:
        validate_content(current_app, body["content"])
        package_id = content.publish_package(
            get_db(),
            body["content"],
            "api",
            str(body.get("note", "")),
            stations=body.get("stations"),
            locked=body.get("locked") or (),
            known_stations={row["station"] for row in store.kiosks(get_db())},
        )
    except (PackageInvalid, content.PublishRefused, TypeError) as error:
        return error_response(400, str(error))
    return jsonify({"version": package_id}), 201


@bp.post("/commands")
def send_command():
    """A command for one kiosk or every kiosk of a station."""
    refused = _admin_or_refusal("send commands")
    if refused:
        return refused
    body = request.get_json(silent=True) or {}
    names = [body["kiosk"]] if body.get("kiosk") else commands.kiosks_of_station(get_db(), body.get("station", ""))
    if not names:
        return error_response(400, "name a registered kiosk or a station with kiosks", field="kiosk")
    try:
        ids = commands.create(get_db(), "api", body.get("action", ""), names, body.get("text", ""))
    except commands.CommandRefused as error:
        return error_response(400, str(error))
    return jsonify({"commands": ids}), 201
