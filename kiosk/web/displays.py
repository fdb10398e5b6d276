"""Which screen is asking: the kiosk's own, a paired counter display, or another browser.

A paired display holds its credential in an HttpOnly cookie (kiosk.store.counters keeps
only its hash); every request looks it up again, so a revoked display is stopped on its
very next request. Only the kiosk's own screen (loopback) and paired displays may record
ratings and referrals: any other browser on the network gets the read-only screens and a
403 saying so, in Thai and English.
"""

from flask import current_app, g, request

from kiosk.core.i18n import N_
from kiosk.store import counters
from kiosk.web.auth import on_kiosk_screen
from kiosk.web.database import get_db
from kiosk.web.errors import error_response, wants_json
from kiosk.web.rendering import both_languages

COOKIE = "kiosk_display"
# A display stays paired until revoked; the cookie outlives a year of power cuts.
COOKIE_MAX_AGE = 5 * 365 * 86400

NOT_PAIRED = N_("This screen is not paired with a counter, so it cannot record ratings or EIT referrals.")


def current_display():
    """The paired display making this request (a dict, see kiosk.store.counters), or None."""
    if "kiosk_display" not in g:
        token = request.cookies.get(COOKIE)
        g.kiosk_display = counters.display_for_token(get_db(), token) if token else None
    return g.kiosk_display


def set_display_cookie(response, token):
    """Hand a newly paired display its credential: HttpOnly, SameSite=Lax, Secure over HTTPS."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
        path="/",
    )
    return response


def may_record():
    """True for the kiosk's own screen and for a paired display."""
    return on_kiosk_screen() or current_display() is not None


def not_paired():
    """403: this browser may look but not record (JSON for API clients)."""
    if wants_json():
        return error_response(403, "this browser is not a paired display: it cannot record events")
    return error_response(403, both_languages(NOT_PAIRED, plain=True))


def refuse_unless_recording_allowed():
    """before_request for the hall kiosk's recording routes: 403 from an unpaired browser
    on the network (a paired display records through its own routes, for its counter)."""
    if request.method == "POST" and not on_kiosk_screen() and not current_app.config.get("HUB"):
        return not_paired()
    return None
