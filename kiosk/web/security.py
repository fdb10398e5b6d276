"""Response headers that keep the kiosk to its own origin, cookies that stay private, and
forms accepted only from the site itself.

Forms carry Flask-WTF's CSRF token, and the session cookie is SameSite=Lax. On top of that
every form that needs the token must come from this site, as its `Origin` header says
(or, where a browser sends no Origin, its `Referer`): Django's check since 4.0. Over HTTPS
an origin is required and must be https: a network attacker who plants a cookie over plain
http still cannot post from a page of their own. Flask-WTF's own HTTPS check
(WTF_CSRF_SSL_STRICT) is off: it wants a Referer with the port that the proxy passes in
`Host`, which a browser or a privacy setting may drop and which nginx's `$host` lacks, so
it refused every sign-in behind the documented nginx set-up.

`Referrer-Policy: same-origin` lets the browser tell the site its own origin (with
`no-referrer` it sends `Origin: null` on every form) while no address of the kiosk ever
leaves for another site.
"""

from urllib.parse import urlparse

import flask_wtf.csrf
from flask import g, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l

# Only the kiosk's own origin: no CDN, no inline script, no eval, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SessionInterface(SecureCookieSessionInterface):
    """Session cookies marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def _hostname(netloc):
    return urlparse("//" + netloc).hostname


def origin_problem():
    """Why this form does not come from this site, or None when it does."""
    origin = request.headers.get("Origin")
    source = origin if origin and origin != "null" else request.referrer
    if not source:
        # Only over HTTPS: a kiosk page loaded before this check came with `no-referrer`.
        return _l("This form came without its origin; over HTTPS it is refused.") if request.is_secure else None
    parts = urlparse(source)
    # The host name, not the port: a proxy's `Host` may drop it, and cookies ignore ports anyway.
    if parts.hostname != _hostname(request.host) or parts.scheme not in ("http", "https"):
        return _l("This form was sent from another site (%(origin)s) and is refused.", origin=source[:100])
    if request.is_secure and parts.scheme != "https":
        return _l("This form was sent from a page without HTTPS and is refused.")
    return None


class OriginRefused(flask_wtf.csrf.CSRFError):
    """A form from another site (or, over HTTPS, from nowhere said): 403 with the reason."""

    code = 403


class CSRFProtect(flask_wtf.csrf.CSRFProtect):
    """Flask-WTF's token check, then the origin check on the same requests (not the token APIs)."""

    def protect(self, apply_exemptions=False):
        super().protect(apply_exemptions)
        if g.get("csrf_valid"):
            problem = origin_problem()
            if problem:
                raise OriginRefused(problem)


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.pop("Server", None)
    return response


def init_app(app):
    app.config["WTF_CSRF_SSL_STRICT"] = False  # the origin check above does it better
    app.session_interface = SessionInterface()
    app.after_request(add_headers)
