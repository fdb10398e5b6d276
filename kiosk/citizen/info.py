"""The citizen's information screens: service manual, No Gift Policy, e-services, about, case progress."""

from flask import abort, current_app, request

from kiosk.citizen import bp
from kiosk.content.loader import public_url
from kiosk.core.vocab import DOCUMENT_KIND_LABELS, SECTION_LABELS
from kiosk.web.i18n import current_language
from kiosk.web.rendering import get_content, in_language, render_screen


def _public_base_url():
    return current_app.config["KIOSK"].public.base_url


def render_reading(template, **context):
    """A screen that takes time to read: the longer idle time (kiosk.reading_idle_seconds)."""
    return render_screen(template, idle_seconds=current_app.config["KIOSK"].kiosk.reading_idle_seconds, **context)


@bp.get("/manual")
def manual():
    """Situation chips first, then every service grouped by unit."""
    content = get_content()
    return render_reading(
        "citizen/manual.html",
        situations=content.situations,
        popular=content.most_used(),
        sections=content.by_section(),
        section_labels=SECTION_LABELS,
    )


@bp.get("/manual/situation/<key>")
def manual_situation(key):
    """The services that answer one situation ("I lost something")."""
    content = get_content()
    situation = content.situation(key)
    if situation is None:
        abort(404)
    return render_reading(
        "citizen/manual_situation.html",
        situation=situation,
        services=content.services_for_situation(key),
        section_labels=SECTION_LABELS,
    )


def _service_or_404(slug):
    service = get_content().service(slug)
    if service is None:
        abort(404)
    return service


def _render_service(template, slug, **extra):
    service = _service_or_404(slug)
    return render_reading(
        template,
        service=service,
        notice=get_content().notice,
        # A service done elsewhere names the office that gives it, not a police section.
        section_label=in_language(service.redirect_to) if service.redirect else SECTION_LABELS[service.section],
        shared_step_note=_shared_step_note(service),
        document_kinds=DOCUMENT_KIND_LABELS,
        take_home_url=public_url(service, _public_base_url(), current_language()),
        **extra,
    )


def _shared_step_note(service):
    """The note every step carries alike ("time as set by the office"), said once under
    the steps instead of on each; None when the steps differ."""
    notes = {(step.note.th, step.note.en) if step.note else None for step in service.steps}
    minutes = [step.minutes for step in service.steps if step.minutes is not None]
    if len(service.steps) > 1 and len(notes) == 1 and None not in notes and not minutes:
        return service.steps[0].note
    return None


@bp.get("/manual/<slug>")
def service(slug):
    """One service manual, with a QR code to take it home; back to the situation it came from."""
    service = _service_or_404(slug)
    key = request.args.get("from", "")
    # Only a situation that lists this service: any other value is the plain way back.
    came_from = get_content().situation(key) if key in service.keywords else None
    return _render_service("citizen/service.html", slug, from_situation=came_from)


@bp.get("/manual/<slug>/print")
def service_print(slug):
    """A printable A4 page of one manual, at a stable address, for the station's website."""
    return _render_service("citizen/service_print.html", slug, full_page_only=True)


@bp.get("/policy")
def policy():
    """The No Gift Policy, the anti-bribery announcement and where to report a demand."""
    return render_reading("citizen/policy.html", policy=get_content().policy)


@bp.get("/eservices")
def eservices():
    """Police services a citizen can use without coming to the station."""
    return render_screen("citizen/eservices.html", eservices=get_content().eservices)


@bp.get("/about")
def about():
    """Role, mission, pledge, facilities, hours and the officer on duty."""
    return render_reading("citizen/about.html", about=get_content().about)


@bp.get("/case-progress")
def case_progress():
    """How to follow a case; the kiosk never asks for a case number or a name."""
    return render_reading("citizen/case_progress.html", case=get_content().case_progress)
