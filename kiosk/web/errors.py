"""Errors answered as JSON to API clients and as a kiosk screen to people."""

import sqlite3

from flask import current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from kiosk.web.database import forget_all_connections
from kiosk.web.rendering import render_screen
from kiosk.web.security import OriginRefused

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
    if "citizen.home" not in current_app.view_functions:  # the hub has no kiosk screens
        return render_template("plain_error.html", status=status, message=message), status
    return render_screen("error.html", status=status, message=message), status


STORAGE_FAILURES = ("database or disk is full", "readonly database", "disk i/o error", "unable to open database")


# When even reading fails, a page that needs nothing from the database.
STORAGE_FAILURE_PAGE = (
    '<!doctype html><html lang="th"><meta charset="utf-8"><title>ขออภัย / Sorry</title>'
    "<h1>ขออภัย ขณะนี้ตู้บริการบันทึกคำตอบไม่ได้ / Sorry, the kiosk cannot save answers right now</h1>"
    "<p>กรุณาแจ้งเจ้าหน้าที่ที่เคาน์เตอร์ / Please tell the officer at the counter.</p>"
    '<p><a href="/">กลับหน้าแรก / Start again</a></p></html>'
)


def storage_failure(error):
    return any(text in str(error).lower() for text in STORAGE_FAILURES)


def init_app(app):
    @app.errorhandler(sqlite3.OperationalError)
    def _storage(error):
        if not storage_failure(error):
            return _unexpected(error)
        app.logger.error("cannot write the database: %s", error)
        forget_all_connections()
        if wants_json():
            return jsonify(error="storage unavailable: " + str(error)), 503
        try:
            return render_screen("storage_error.html"), 503
        except sqlite3.Error:
            return STORAGE_FAILURE_PAGE, 503, {"Content-Type": "text/html; charset=utf-8"}

    @app.errorhandler(OriginRefused)
    def _foreign_origin(error):
        return error_response(403, error.description)

    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return error_response(400, _l("This form has expired. Please go back to home and try again."))

    @app.errorhandler(HTTPException)
    def _http(error):
        return error_response(error.code, MESSAGES.get(error.code, error.description))

    def _unexpected(error):
        app.logger.exception("unexpected error: %s", error)
        return error_response(500)

    app.register_error_handler(Exception, _unexpected)
