"""Who may use the duty panel and the admin pages: a PIN, a password, sessions that end.

Sessions: the signed cookie holds when the session began, when it was last used and the
session generation of its secret (kiosk.store.credentials). It is good while unused for
less than `admin.session_minutes`, younger than `admin.session_max_hours`, and of the
current generation. A sign-out or a new secret moves the generation on, which ends every
session of that user at once, copied cookies included.

The lock (kiosk.store.signin_lock) counts wrong PINs and passwords per address, with a cap
over the whole network from which the kiosk's own screen is exempt; the count is taken in
the same write transaction that records the attempt.

A full disk or a read-only database never keeps staff out: an attempt or an audit line
that cannot be written is kept in memory, counted by the lock all the same, written as
soon as the database takes writes again, and listed on the staff pages meanwhile.
"""

import functools
import ipaddress
import sqlite3
import threading
import time
from urllib.parse import urlparse

from flask import current_app, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l

from kiosk.core.clock import utc_iso, utc_now, utc_now_iso
from kiosk.store import credentials, signin_lock
from kiosk.store.db import write_transaction
from kiosk.web.database import forget_thread_connection, get_db
from kiosk.web.errors import error_response, storage_failure

ROLES = {"duty": "duty_pin", "admin": "admin_password"}
# A staff page left on the kiosk's own screen returns to the start screen, which forgets it.
KIOSK_SCREEN_IDLE_SECONDS = 300
BACKLOG_MAX = 500
# Attempts kept in memory sort after every stored one of the same second.
MEMORY_ORDER = 2**62


class Unwritten:
    """What the database refused while read-only or full, kept until it takes writes again."""

    def __init__(self):
        self.lock = threading.Lock()
        self.audit = []  # rows for the audit table
        self.attempts = []  # (role, signin_lock.Attempt)
        self.ended = set()  # secrets whose sessions a sign-out could not end everywhere

    def __bool__(self):
        return bool(self.audit or self.attempts or self.ended)


def _unwritten():
    return current_app.extensions.setdefault("kiosk_unwritten", Unwritten())


def _soft(error):
    """A storage failure is survived (and the connection reopened later); anything else is raised."""
    if not storage_failure(error):
        raise error
    current_app.logger.warning("not written (storage): %s", error)
    forget_thread_connection()


def _flush(backlog):
    """Write what was kept in memory, in one transaction; False when the database still refuses."""
    if not backlog:
        return True
    db = get_db()
    with backlog.lock:
        try:
            with write_transaction(db):
                for role, attempt in backlog.attempts:
                    db["auth_attempts"].insert(
                        {"at": utc_iso(attempt.at), "role": role, "ok": int(attempt.ok), "client": attempt.client}
                    )
                for row in backlog.audit:
                    db["audit"].insert(row)
                for name in backlog.ended:
                    credentials.advance_generation(db, name)
        except sqlite3.OperationalError as error:
            _soft(error)
            return False
        backlog.attempts, backlog.audit, backlog.ended = [], [], set()
    return True


def unwritten():
    """What could not be written yet, for the staff pages: audit lines (oldest first), and
    whether a sign-out could not end the sessions on other devices."""
    backlog = _unwritten()
    with backlog.lock:
        return {"audit": list(backlog.audit), "sessions_not_ended": bool(backlog.ended)}


def audit(actor, action, detail=""):
    """Write one line of the audit log (kept in memory while the database refuses writes)."""
    row = {"at": utc_now_iso(), "actor": actor, "action": action, "detail": detail}
    backlog = _unwritten()
    if _flush(backlog):
        db = get_db()
        try:
            with write_transaction(db):
                db["audit"].insert(row)
            return
        except sqlite3.OperationalError as error:
            _soft(error)
    with backlog.lock:
        backlog.audit = (backlog.audit + [row])[-BACKLOG_MAX:]


def on_kiosk_screen():
    """True for the kiosk's own browser: a kiosk (not the hub) asked from the loopback address."""
    return not current_app.config["HUB"] and _is_loopback(request.remote_addr or "")


def _is_loopback(client):
    try:
        return ipaddress.ip_address(client).is_loopback
    except ValueError:
        return False


def _is_local(client):
    """The kiosk's own screen, which the network cap never holds (none on the hub)."""
    return not current_app.config["HUB"] and _is_loopback(client)


def _policy():
    duty = current_app.config["KIOSK"].duty
    return signin_lock.Policy(duty.pin_max_failures, duty.pin_lock_seconds, duty.network_max_failures_per_hour)


def _attempts_known(role, client, now):
    """Stored attempts (when the database can be read) and those kept in memory."""
    try:
        stored = signin_lock.recent_attempts(get_db(), role, client, now)
    except sqlite3.OperationalError as error:
        _soft(error)
        stored = []
    backlog = _unwritten()
    return stored + [attempt for kept_role, attempt in backlog.attempts if kept_role == role]


def seconds_locked(role, now=None):
    """How long this client waits before its next attempt is evaluated: 0, or seconds."""
    now = now or utc_now()
    client = request.remote_addr or ""
    return signin_lock.seconds_locked(_attempts_known(role, client, now), client, _is_local, _policy(), now)


def _reserve(role, client):
    """Check the lock and record the attempt; returns (settle, seconds locked)."""
    db, now = get_db(), utc_now()
    if _flush(_unwritten()):
        try:
            attempt_id, locked = signin_lock.reserve(db, role, client, _is_local, _policy(), now)
            return (lambda: signin_lock.settle(get_db(), attempt_id)), locked
        except sqlite3.OperationalError as error:
            _soft(error)
    backlog = _unwritten()
    with backlog.lock:
        known = _attempts_known(role, client, now)
        locked = signin_lock.seconds_locked(known, client, _is_local, _policy(), now)
        if locked:
            return None, locked
        entry = (role, signin_lock.Attempt(now, False, client, MEMORY_ORDER + len(backlog.attempts)))
        backlog.attempts.append(entry)

    def settle():
        with backlog.lock:
            if entry in backlog.attempts:
                index = backlog.attempts.index(entry)
                role_, kept = entry
                backlog.attempts[index] = (role_, signin_lock.Attempt(kept.at, True, kept.client, kept.order))

    return settle, 0


def attempt(role, secret):
    """Check a PIN or password; logs the attempt. Returns True, False, or the seconds locked."""
    client = request.remote_addr or ""
    settle, locked = _reserve(role, client)
    if locked:
        return locked
    ok = credentials.verify(get_db(), ROLES[role], secret or "")
    if ok:
        try:
            settle()
        except sqlite3.OperationalError as error:
            _soft(error)  # counted as a failure: the safe side
    audit(role, "sign-in" if ok else "sign-in refused", client)
    if ok:
        now = time.time()
        generation = credentials.session_generation(get_db(), ROLES[role])
        session[role] = {"since": now, "seen": now, "generation": generation}
    return ok


def _fresh(role, state):
    if not isinstance(state, dict):
        return False  # none, or a cookie from before sessions could be revoked
    since, seen = state.get("since"), state.get("seen")
    if not all(isinstance(value, (int, float)) for value in (since, seen)):
        return False
    limits, now = current_app.config["KIOSK"].admin, time.time()
    if now - seen > limits.session_minutes * 60 or now - since > limits.session_max_hours * 3600:
        return False
    return state.get("generation") == credentials.session_generation(get_db(), ROLES[role])


def signed_in(role):
    """True while the role's session is good; each use keeps it alive, up to its longest life."""
    state = session.get(role)
    if not _fresh(role, state):
        session.pop(role, None)
        return False
    session[role] = {**state, "seen": time.time()}
    return True


def sign_out(role):
    """Sign out here and everywhere: every session of this user ends, copied cookies included."""
    session.pop(role, None)
    try:
        credentials.end_sessions(get_db(), ROLES[role])
    except sqlite3.OperationalError as error:
        _soft(error)
        backlog = _unwritten()
        with backlog.lock:
            backlog.ended.add(ROLES[role])


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
