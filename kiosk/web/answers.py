"""Recording what a citizen taps, the same on the hall kiosk and the counter displays.

Every tap that writes an event (a rating, a follow-up, an EIT referral) goes through
`record`: the kiosk's hold is asked first (kiosk.store.hold: a kiosk whose log is behind
the hub's must not write, or its chain forks), then the form's one-time id
(kiosk.web.form_ids) becomes the event's id. A refusal is a clear 4xx and writes nothing.
"""

from flask import request
from flask_babel import lazy_gettext as _l

from kiosk.core.events import ValidationError
from kiosk.core.i18n import N_
from kiosk.core.vocab import ASPECTS
from kiosk.store import hold
from kiosk.store.state import is_paused
from kiosk.web.database import get_db, get_event_log, purge_expired_comments
from kiosk.web.errors import error_response, wants_json
from kiosk.web.form_ids import FormIdRefused, check_form_id, used_form_id
from kiosk.web.rendering import both_languages

OUT_OF_DATE = N_("This screen is out of date. Please go back to home and tap again.")
HELD = "the kiosk takes no answers until the duty officer restores its log from the hub"


def refused(error):
    """422 for a form the server did not draw for this screen (see kiosk.web.form_ids)."""
    if wants_json():
        return error_response(422, f"form_id: {error.reason}", field="form_id")
    return error_response(422, both_languages(OUT_OF_DATE, plain=True), field="form_id")


def rejected(error):
    """A clear 4xx for bad input; nothing was written. Only a replay is a 409."""
    status = 409 if error.field == "id" and "already recorded" in error.message else 422
    message = _l("This was already recorded.") if status == 409 else None
    return error_response(status, message, field=error.field)


def record(write, held_screen, paused_screen=None):
    """Write one event with `write(form_id)`, unless the kiosk is held (or paused, for a
    rating: `paused_screen` given).

    Returns (event, None) when it was written, or (None, response) when it was not:
    `held_screen(hold)` for a held kiosk, `paused_screen()` for a paused one, 422 for a
    form the server did not draw, 409 for a replay, 422 naming the field for a bad value."""
    held = hold.current(get_db())
    if held:
        if wants_json():
            return None, error_response(423, HELD)
        return None, held_screen(held)
    if paused_screen and is_paused(get_db()):
        return None, paused_screen()
    try:
        form_id = check_form_id(request.form.get("form_id"))
        event = write(form_id)
    except FormIdRefused as error:
        return None, refused(error)
    except ValidationError as error:
        return None, rejected(error)
    used_form_id(form_id)
    return event, None


def as_int(value):
    """A posted number as an int; anything else as it came (the event log names the problem)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def follow_up_amendment(step, form):
    """What one follow-up screen's form adds to the answer; empty values mean nothing chosen."""
    if step == "unit":
        return {"unit": form.get("unit")}
    if step == "aspects":
        return {"aspects": {a: as_int(form[a]) for a in ASPECTS if form.get(a)} or None}
    if step == "reasons":
        return {"reasons": form.getlist("reason")}
    return {"comment": form.get("comment", "")}


def save_follow_up(answer_id, step, held_screen):
    """Amend the answer with what the follow-up `step` posted ("Next" and "Done" alike).

    Returns (saved, refusal): `saved` is the amendment written, or None when nothing was
    chosen (the same as skipping, nothing written); `refusal` is the response when the
    kiosk is held or the form is refused (see `record`)."""
    amendment = follow_up_amendment(step, request.form)
    if all(value in (None, "", []) for value in amendment.values()):
        return None, None
    _event, refusal = record(
        lambda form_id: get_event_log().amend(answer_id, event_id=form_id, **amendment), held_screen
    )
    if refusal:
        return None, refusal
    if step == "comment":
        purge_expired_comments()
    return amendment, None
