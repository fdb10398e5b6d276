"""The staff pages on the station network: only where `network.staff_pages` allows them.

"this_machine": the duty panel and the admin pages answer only the kiosk's own screen;
"https": from the network too, but only over HTTPS (a TLS proxy, --trusted-proxy);
"anywhere": also over plain HTTP (`serve` allows that only on 127.0.0.1, see
kiosk.config.network). Anyone else gets 403 saying where to sign in.
"""

from flask import current_app, request

from kiosk.core.i18n import N_
from kiosk.web.auth import on_kiosk_screen
from kiosk.web.errors import error_response
from kiosk.web.rendering import both_languages

STAFF_BLUEPRINTS = ("duty", "admin")
ONLY_HERE = N_("The staff pages open only on the kiosk's own screen.")
ONLY_HTTPS = N_("The staff pages open from the network only over HTTPS.")


def staff_pages_allowed():
    """before_request: 403 for a staff page asked from where the settings do not allow it."""
    if request.blueprint not in STAFF_BLUEPRINTS or on_kiosk_screen():
        return None
    where = current_app.config["KIOSK"].network.staff_pages
    if where == "this_machine":
        return error_response(403, both_languages(ONLY_HERE, plain=True))
    if where == "https" and not request.is_secure:
        return error_response(403, both_languages(ONLY_HTTPS, plain=True))
    return None


def init_app(app):
    app.before_request(staff_pages_allowed)
