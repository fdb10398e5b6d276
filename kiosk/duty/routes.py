"""Views of the duty panel."""

import re

from flask import current_app, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from kiosk.duty import bp
from kiosk.duty.status import kiosk_status
from kiosk.store import alerts, hold
from kiosk.store.state import get_state, is_paused, request_reset, set_state
from kiosk.web import auth
from kiosk.web.database import get_db
from kiosk.web.rendering import render_screen

STAFF_IDLE_SECONDS = 300
NAME_MAX = 80
SHIFT = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
duty_required = auth.required("duty", "duty.pin_pad")


def _panel(message=None, error=None, status=200):
    return (
        render_screen(
            "duty/panel.html",
            status=kiosk_status(),
            alert=alerts.evaluate(get_db(), current_app.config["KIOSK"].duty),
            paused=is_paused(get_db()),
            held=hold.current(get_db()),
            pr_duty=get_state(get_db(), "pr_duty"),
            message=message,
            error=error,
            unwritten=auth.unwritten(),
            idle_seconds=STAFF_IDLE_SECONDS,
        ),
        status,
    )


@bp.get("")
def pin_pad():
    """The PIN pad, or the panel when already signed in."""
    if auth.signed_in("duty"):
        return _panel()
    return _pin_pad()


def _pin_pad(error=None, locked=0, status=200):
    return (
        render_screen("duty/pin.html", error=error, locked=locked, idle_seconds=STAFF_IDLE_SECONDS),
        status,
    )


@bp.post("")
def sign_in():
    """Check the PIN; five wrong in a row lock the pad for a growing delay."""
    result = auth.attempt("duty", request.form.get("pin", ""))
    if result is True:
        return _panel()
    if result is False:
        locked = auth.seconds_locked("duty")
        return _pin_pad(error=_l("Wrong PIN."), locked=locked, status=401)
    return _pin_pad(locked=result, status=429)


@bp.post("/sign-out")
@duty_required
def sign_out():
    """Leave the panel."""
    auth.audit("duty", "sign-out")
    auth.sign_out("duty")
    return redirect(url_for("citizen.attract"))


@bp.post("/reset")
@duty_required
def reset():
    """Send every screen of this kiosk back to the start screen."""
    request_reset(get_db())
    auth.audit("duty", "reset kiosk")
    return _panel(message=_l("Reset sent. The kiosk screen returns to the start within a few seconds."))


@bp.post("/pause")
@duty_required
def pause():
    """Pause or resume satisfaction feedback (cleaning, a drill)."""
    paused = request.form.get("paused") == "1"
    set_state(get_db(), "paused", paused)
    auth.audit("duty", "pause feedback" if paused else "resume feedback")
    return _panel(message=_l("Feedback is paused.") if paused else _l("Feedback is open again."))


@bp.post("/pr-duty")
@duty_required
def pr_duty():
    """Set who is on PR duty now, and the shift."""
    name = " ".join(request.form.get("name", "").split())
    shift = request.form.get("shift", "").replace(" ", "")
    if not name or len(name) > NAME_MAX or not name.isprintable():
        return _panel(error=_l("Please enter the rank and name (at most 80 characters)."), status=422)
    if shift and not SHIFT.match(shift):
        return _panel(error=_l("Write the shift as 08:00-16:00."), status=422)
    set_state(get_db(), "pr_duty", {"name": name, "shift": shift})
    auth.audit("duty", "set PR duty", f"{name} {shift}".strip())
    return _panel(message=_l("The officer on duty is shown on the kiosk."))


@bp.post("/alerts/<int:alert_id>/ack")
@duty_required
def acknowledge(alert_id):
    """Acknowledge the open alert with a short note of what was done."""
    note = " ".join(request.form.get("note", "").split())
    current = alerts.open_alert(get_db())
    if current is None or current["id"] != alert_id:
        return _panel(error=_l("This alert is already closed."), status=409)
    if not note or len(note) > 300:
        return _panel(error=_l("Please write what was done (at most 300 characters)."), status=422)
    alerts.acknowledge(get_db(), alert_id, note)
    auth.audit("duty", "acknowledge alert", note)
    return _panel(message=_l("Alert acknowledged."))


RESTORE_FAILED = {
    "network": _l("The hub cannot be reached. Nothing was changed; please try again later."),
    "auth": _l("The hub refused this kiosk's token. Please tell the station admin."),
    "fork": _l(
        "This kiosk's records and the hub's differ: the kiosk wrote answers the hub does not have. "
        "Nothing was restored; please tell the station admin."
    ),
    "chain": _l("The hub sent records that do not follow this kiosk's. Please tell the station admin."),
    "setup": _l("No hub is set on this kiosk."),
}


@bp.post("/restore-from-hub")
@duty_required
def restore_from_hub():
    """Bring back this kiosk's events that the hub holds past the end of its log."""
    from kiosk.sync.recovery import RestoreError
    from kiosk.sync.recovery import restore_from_hub as recover

    try:
        summary = recover(get_db(), current_app.config["KIOSK"])
    except RestoreError as error:
        current_app.logger.warning("restore from the hub failed: %s", error.message)
        auth.audit("duty", "restore from hub failed", error.message[:200])
        message = RESTORE_FAILED.get(error.kind, _l("The restore failed. Please tell the station admin."))
        return _panel(error=message, status=502 if error.kind == "network" else 409)
    auth.audit("duty", "restore from hub", f"{summary['restored']} events, up to seq {summary['head']}")
    message = _l("%(n)s records were brought back from the hub; the kiosk takes answers again.", n=summary["restored"])
    if summary["comments_lost"]:
        lost = _l(
            "%(comments)s comments written with them were never sent to the hub and are lost.",
            comments=summary["comments_lost"],
        )
        message = f"{message} {lost}"
    return _panel(message=message)


@bp.post("/continue-without-restore")
@duty_required
def continue_without_restore():
    """Take answers again without the hub's records, once the officer confirms it in words."""
    if not hold.current(get_db()):
        return _panel(message=_l("The kiosk already takes answers."))
    if request.form.get("confirm") != "1":
        return _panel(error=_l("Tick the box to confirm that the kiosk goes on without those records."), status=422)
    state = hold.release(get_db(), confirmed=True)
    auth.audit("duty", "continue without restore", f"hub up to seq {state['hub_acked']}, log {state['local_head']}")
    return _panel(message=_l("Confirmed: the kiosk takes answers again. Please tell the station admin."))
