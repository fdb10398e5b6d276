"""Satisfaction: one tap records an answer; optional follow-ups amend that same answer."""

from flask import abort, current_app, request, session
from flask_babel import lazy_gettext as _l

from kiosk.citizen import bp
from kiosk.core.events import ValidationError
from kiosk.core.vocab import (
    ASPECTS,
)
from kiosk.store import alerts, hold
from kiosk.store.state import is_paused
from kiosk.web.database import get_db, get_event_log, purge_expired_comments
from kiosk.web.errors import error_response, wants_json
from kiosk.web.followups import step_context
from kiosk.web.form_ids import FormIdRefused, check_form_id, used_form_id
from kiosk.web.rendering import both_languages as bi
from kiosk.web.rendering import render_screen

STEPS = ("unit", "aspects", "reasons", "comment")


def refused(error):
    """422 for a form the server did not draw for this visit (see kiosk.web.form_ids)."""
    if wants_json():
        return error_response(422, f"form_id: {error.reason}", field="form_id")
    message = bi("This screen is out of date. Please go back to home and tap again.", plain=True)
    return error_response(422, message, field="form_id")


def rejected(error):
    """A clear 4xx for bad input; nothing was written. Only a replay is a 409."""
    status = 409 if error.field == "id" and "already recorded" in error.message else 422
    message = _l("This was already recorded.") if status == 409 else None
    return error_response(status, message, field=error.field)


def held_screen():
    """423: the kiosk takes no answers until the duty officer restores its log or confirms
    (kiosk.store.hold); the faces say why, in Thai and English."""
    if wants_json():
        return error_response(423, "the kiosk takes no answers until the duty officer restores its log from the hub")
    return render_screen("citizen/satisfaction.html", held=hold.current(get_db())), 423


@bp.get("/satisfaction")
def satisfaction():
    """The five faces, large."""
    return render_screen("citizen/satisfaction.html")


@bp.post("/satisfaction")
def rate():
    """One tap on a face: a complete answer, on disk before we say thank you."""
    if hold.current(get_db()):
        return held_screen()
    if is_paused(get_db()):
        return render_screen("citizen/satisfaction.html", paused=True), 423
    try:
        form_id = check_form_id(request.form.get("form_id"))
        event = get_event_log().record_rating(_int(request.form.get("level")), event_id=form_id)
    except FormIdRefused as error:
        return refused(error)
    except ValidationError as error:
        return rejected(error)
    used_form_id(form_id)
    session["answer_id"] = event.answer_id
    alerts.evaluate(get_db(), current_app.config["KIOSK"].duty)
    return _render_step(event.answer_id, STEPS[0], just_rated=True)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value  # the event log says what is wrong with it


def _open_answer(answer_id):
    """Only the citizen who gave an answer may add to it, during their visit."""
    if answer_id != session.get("answer_id"):
        abort(409)


@bp.get("/satisfaction/<answer_id>/<step>")
def follow_up(answer_id, step):
    """A follow-up question (skipping the one before it)."""
    if step not in STEPS:
        abort(404)
    _open_answer(answer_id)
    return _render_step(answer_id, step)


@bp.post("/satisfaction/<answer_id>/<step>")
def save_follow_up(answer_id, step):
    """Amend the answer with one follow-up, then ask the next one; "Done" saves and finishes."""
    if step not in STEPS:
        abort(404)
    _open_answer(answer_id)
    form = request.form
    amendment = {
        "unit": lambda: {"unit": form.get("unit")},
        "aspects": lambda: {"aspects": {a: _int(form[a]) for a in ASPECTS if form.get(a)} or None},
        "reasons": lambda: {"reasons": form.getlist("reason")},
        "comment": lambda: {"comment": form.get("comment", "")},
    }[step]()
    done = bool(form.get("done"))
    if all(value in (None, "", []) for value in amendment.values()):
        return _render_next(answer_id, step, done)  # nothing chosen: same as skipping
    if hold.current(get_db()):
        return held_screen()
    try:
        form_id = check_form_id(form.get("form_id"))
        get_event_log().amend(answer_id, event_id=form_id, **amendment)
    except FormIdRefused as error:
        return refused(error)
    except ValidationError as error:
        return rejected(error)
    used_form_id(form_id)
    if step == "comment":
        purge_expired_comments()
    comment_saved = bool(amendment.get("comment", "").strip())
    return _render_next(answer_id, step, done, comment_saved)


def _render_next(answer_id, step, done=False, comment_saved=False):
    index = STEPS.index(step) + 1
    if done or index == len(STEPS):
        return _render_thanks(comment_saved)
    return _render_step(answer_id, STEPS[index])


def _render_step(answer_id, step, just_rated=False):
    return render_screen(f"citizen/feedback_{step}.html", **step_context(STEPS, answer_id, step, just_rated))


@bp.get("/satisfaction/thanks")
def thanks():
    """Thank you; the start screen again in a few seconds. The answer is closed."""
    return _render_thanks(comment_saved=False)


def _render_thanks(comment_saved):
    # Thanks for a comment only when one was written and saved just now.
    session.pop("answer_id", None)
    return render_screen("citizen/feedback_thanks.html", comment_saved=comment_saved)
