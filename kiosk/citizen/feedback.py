"""Satisfaction: one tap records an answer; optional follow-ups amend that same answer."""

from flask import abort, current_app, request, session

from kiosk.citizen import bp
from kiosk.store import alerts
from kiosk.web import answers
from kiosk.web.database import get_db, get_event_log
from kiosk.web.followups import step_context
from kiosk.web.rendering import render_screen

STEPS = ("unit", "aspects", "reasons", "comment")


def held_screen(held):
    """423: the kiosk takes no answers until the duty officer restores its log or confirms
    (kiosk.store.hold); the faces say why, in Thai and English."""
    return render_screen("citizen/satisfaction.html", held=held), 423


@bp.get("/satisfaction")
def satisfaction():
    """The five faces, large."""
    return render_screen("citizen/satisfaction.html")


@bp.post("/satisfaction")
def rate():
    """One tap on a face: a complete answer, on disk before we say thank you."""
    event, refusal = answers.record(
        lambda form_id: get_event_log().record_rating(answers.as_int(request.form.get("level")), event_id=form_id),
        held_screen,
        paused_screen=lambda: (render_screen("citizen/satisfaction.html", paused=True), 423),
    )
    if refusal:
        return refusal
    session["answer_id"] = event.answer_id
    alerts.evaluate(get_db(), current_app.config["KIOSK"].duty)
    return _render_step(event.answer_id, STEPS[0], just_rated=True)


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
    saved, refusal = answers.save_follow_up(answer_id, step, held_screen)
    if refusal:
        return refusal
    comment_saved = bool(saved and saved.get("comment", "").strip())
    return _render_next(answer_id, step, bool(request.form.get("done")), comment_saved)


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
