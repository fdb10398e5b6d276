"""The counter display's screens: pairing, the counter layout, a tap, the EIT QR code.

An unpaired browser sees the six-digit pairing code (and may read, never record). A
paired display shows its counter's layout; its ratings and referrals carry the counter
and the display (kiosk.core.events, version 2) and count for the counter's unit with no
question asked: the rating is written with an amendment naming that unit.
"""

from flask import Response, abort, current_app, request, session

from kiosk.core.i18n import N_
from kiosk.core.vocab import UNIT_LABELS
from kiosk.display import bp
from kiosk.store import alerts, counters
from kiosk.store.state import get_state
from kiosk.web import answers
from kiosk.web.database import get_db, get_event_log
from kiosk.web.displays import current_display, not_paired, set_display_cookie
from kiosk.web.errors import error_response
from kiosk.web.extensions import htmx
from kiosk.web.followups import step_context
from kiosk.web.rendering import apply_visit_choices, both_languages, forget_visit, qr_markup, render_screen

PAIRING_KEY = "display_pairing"  # (code, nonce) of this browser's pairing, in its session
STEPS = ("aspects", "reasons", "comment")


def held_screen(held):
    """423: the kiosk this display belongs to takes no answers until the duty officer
    restores its log or confirms (kiosk.store.hold); the faces say why."""
    return _render("display/counter.html", held=held), 423


def _render(template, **context):
    layout = "display/_fragment.html" if htmx else "display/base.html"
    display = current_display()
    return render_screen(
        template,
        layout=layout,
        display=display,
        unit_label=UNIT_LABELS[display["unit"]] if display else None,
        **context,
    )


def _paired_or_403():
    display = current_display()
    if display is None:
        return None, not_paired()
    return display, None


@bp.get("")
def screen():
    """The counter layout on a paired display; the pairing code on any other browser."""
    forget_visit()
    apply_visit_choices()  # a language asked for right here holds for this visit
    if current_display() is not None:
        session.pop(PAIRING_KEY, None)
        return _render("display/counter.html")
    try:
        code, nonce, expires_at = counters.issue_code(get_db(), request.remote_addr or "")
    except counters.CounterError as error:
        return error_response(error.status, both_languages(TOO_MANY_CODES, plain=True))
    session[PAIRING_KEY] = [code, nonce]
    return _render("display/pairing.html", code=code, expires_at=expires_at)


TOO_MANY_CODES = N_("Too many pairing codes were asked for from this address. Please wait an hour and try again.")


@bp.get("/claim")
def claim():
    """The pairing screen asks every few seconds whether the admin entered its code."""
    code, nonce = (session.get(PAIRING_KEY) or [None, None])[:2]
    try:
        claimed = counters.claim(get_db(), code, nonce)
    except counters.CounterError:
        return _redirect_home()  # expired or lost: a new code
    if claimed is None:
        return Response(status=204)
    session.pop(PAIRING_KEY, None)
    return set_display_cookie(_redirect_home(), claimed[1])


@bp.get("/poll")
def poll():
    """The counter layout checks in: a remote reset, or a revoked display, sends it home."""
    response = Response(status=204)
    if request.args.get("since") != get_state(get_db(), "reset_token") or current_display() is None:
        response.headers["HX-Redirect"] = "/display"
    return response


def _redirect_home():
    response = Response(status=204)
    response.headers["HX-Redirect"] = "/display"
    return response


@bp.post("/rate")
def rate():
    """One tap on a face: a rating for this counter, counted for its unit."""
    display, refusal = _paired_or_403()
    if refusal:
        return refusal
    log = get_event_log()

    def write(form_id):
        level = answers.as_int(request.form.get("level"))
        event = log.record_rating(level, event_id=form_id, counter=display["counter"], display=display["id"])
        log.amend(event.answer_id, unit=display["unit"])
        return event

    event, refusal = answers.record(
        write, held_screen, paused_screen=lambda: (_render("display/counter.html", paused=True), 423)
    )
    if refusal:
        return refusal
    session["answer_id"] = event.answer_id
    alerts.evaluate(get_db(), current_app.config["KIOSK"].duty)
    return _render_step(event.answer_id, STEPS[0], just_rated=True)


def _open_answer(answer_id, step):
    if step not in STEPS:
        abort(404)
    if answer_id != session.get("answer_id"):
        abort(409)


@bp.get("/answer/<answer_id>/<step>")
def follow_up(answer_id, step):
    """An optional follow-up question."""
    display, refusal = _paired_or_403()
    if refusal:
        return refusal
    _open_answer(answer_id, step)
    return _render_step(answer_id, step)


@bp.post("/answer/<answer_id>/<step>")
def save_follow_up(answer_id, step):
    """Amend the answer with one follow-up, then ask the next one."""
    display, refusal = _paired_or_403()
    if refusal:
        return refusal
    _open_answer(answer_id, step)
    _saved, refusal = answers.save_follow_up(answer_id, step, held_screen)
    if refusal:
        return refusal
    if request.form.get("done"):
        return thanks()
    return _render_next(answer_id, step)


def _render_next(answer_id, step):
    index = STEPS.index(step) + 1
    if index == len(STEPS):
        return thanks()
    return _render_step(answer_id, STEPS[index])


def _render_step(answer_id, step, just_rated=False):
    return _render("display/followup.html", **step_context(STEPS, answer_id, step, just_rated))


@bp.get("/thanks")
def thanks():
    """Thank you; the counter layout again in a few seconds."""
    display, refusal = _paired_or_403()
    if refusal:
        return refusal
    session.pop("answer_id", None)
    return _render("display/thanks.html")


@bp.post("/eit")
def eit():
    """Count a referral for the counter's unit and show the EIT QR code, large: scan now."""
    display, refusal = _paired_or_403()
    if refusal:
        return refusal
    _event, refusal = answers.record(
        lambda form_id: get_event_log().record_referral(
            display["unit"], event_id=form_id, counter=display["counter"], display=display["id"]
        ),
        # Held (kiosk.store.hold): the citizen still gets the survey; the referral is not counted.
        held_screen=lambda _hold: _render_eit_qr(),
    )
    return refusal or _render_eit_qr()


def _render_eit_qr():
    url = current_app.config["KIOSK"].eit.url
    return _render("display/eit.html", eit_url=url, qr=qr_markup(url))
