"""Errors answered as JSON to API clients and as a kiosk screen to people."""
from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .screens import render_screen

MESSAGES = {
    400: _l("The request could not be understood. Please try again."),
    401: _l("Please sign in first."),
    403: _l("You are not allowed to do that."),
    404: _l("This page does not exist. Please go back to home."),
    405: _l("That action is not possible here."),
    409: _l("This was already recorded."),
    413: _l("What was sent is too large."),
    422: _l("Some of what was sent is not valid."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Sorry, something went wrong. Please ask the officer at the counter."),
}


def wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status, message=None, field=None):
    """The same error, shaped for whoever asked."""
    message = str(message or MESSAGES.get(status, MESSAGES[500]))
    if wants_json():
        body = {"error": message}
        if field:
            body["field"] = field
        return jsonify(body), status
    return render_screen("error.html", status=status, message=message), status


def init_app(app):
    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return error_response(400, _l("This form has expired. Please go back to home and try again."))

    @app.errorhandler(HTTPException)
    def _http(error):
        return error_response(error.code, MESSAGES.get(error.code, error.description))

    @app.errorhandler(Exception)
    def _unexpected(error):
        app.logger.exception("unexpected error: %s", error)
        return error_response(500)
