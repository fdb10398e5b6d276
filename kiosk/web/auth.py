"""Who may use the duty panel and the admin pages: a PIN, a password, sessions that expire.

Every attempt is logged. After too many wrong PINs (or passwords) in a row the pad locks
for a delay that doubles with each further failure, whatever browser the attempts come from.
"""

import datetime as dt
import functools
import time
from urllib.parse import urlparse

from flask import current_app, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l

from kiosk.core.clock import parse_utc_iso, utc_now, utc_now_iso
from kiosk.store import credentials
from kiosk.store.db import write_transaction
from kiosk.web.database import get_db
from kiosk.web.errors import error_response

ROLES = {"duty": "duty_pin", "admin": "admin_password"}


def audit(actor, action, detail=""):
    """Write one line of the audit log."""
    db = get_db()
    with write_transaction(db):
        db["audit"].insert({"at": utc_now_iso(), "actor": actor, "action": action, "detail": detail})


def _failures_in_a_row(role):
    rows = (
        get_db().execute("SELECT ok, at FROM auth_attempts WHERE role = ? ORDER BY id DESC LIMIT 50", [role]).fetchall()
    )
    failures = []
    for ok, at in rows:
        if ok:
            break
        failures.append(parse_utc_iso(at))
    return failures


def seconds_locked(role, now=None):
    """How long the pad stays locked: 0, or the remaining seconds of a doubling delay."""
    settings = current_app.config["KIOSK"].duty
    failures = _failures_in_a_row(role)
    extra = len(failures) - settings.pin_max_failures
    if extra < 0:
        return 0
    delay = settings.pin_lock_seconds * (2 ** min(extra, 10))
    now = now or utc_now()
    remaining = (failures[0] + dt.timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def attempt(role, secret):
    """Check a PIN or password; logs the attempt. Returns True, False, or the seconds locked."""
    locked = seconds_locked(role)
    if locked:
        return locked
    ok = credentials.verify(get_db(), ROLES[role], secret or "")
    db = get_db()
    with write_transaction(db):
        db["auth_attempts"].insert(
            {"at": utc_now_iso(), "role": role, "ok": int(ok), "client": request.remote_addr or ""}
        )
    audit(role, "sign-in" if ok else "sign-in refused", request.remote_addr or "")
    if ok:
        session[role] = time.time()
    return ok


def signed_in(role):
    """True while the role's session is fresh; each use keeps it alive."""
    started = session.get(role)
    minutes = current_app.config["KIOSK"].admin.session_minutes
    if not started or time.time() - started > minutes * 60:
        session.pop(role, None)
        return False
    session[role] = time.time()
    return True


def sign_out(role):
    session.pop(role, None)


def required(role, login_endpoint):
    """Views behind a sign-in: others are sent to the sign-in page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not signed_in(role):
                return redirect(url_for(login_endpoint, next=request.path))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target, fallback):
    """Only a path on this site: never an address elsewhere."""
    parts = urlparse(target or "")
    if parts.scheme or parts.netloc or not (target or "").startswith("/") or target.startswith("//"):
        return fallback
    return target


def password_sign_in(render, home):
    """The admin sign-in form's answer, on the kiosk and on the hub alike.

    `render(status, **context)` draws the form again; `home` is where to go by default."""
    next_path = request.form.get("next", "")
    if request.form.get("username", "").strip().lower() != "admin":
        result = attempt("admin", "")  # logged, and counts towards the lock
        result = False if result is True else result
    else:
        result = attempt("admin", request.form.get("password", ""))
    if result is True:
        return redirect(safe_next(next_path, home))
    if result is False:
        return render(401, error=_l("Wrong user name or password."), next=next_path)
    return render(429, locked=result, next=next_path)


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
