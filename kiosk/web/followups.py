"""The follow-up questions after a rating (unit, aspects, reasons, comment): their titles and
what their screens are drawn with, shared by the hall kiosk (kiosk.citizen.feedback) and the
counter displays (kiosk.display), which skip the unit question (a display knows its unit)."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from kiosk.core.vocab import (
    ASPECT_LABELS,
    ASPECTS,
    LEVEL_LABELS,
    LEVELS,
    REASON_LABELS,
    REASONS_NEGATIVE,
    REASONS_POSITIVE,
    UNIT_CHOICE_LABELS,
    UNIT_CHOICES,
    UNIT_DESCRIPTIONS,
)

STEP_TITLES = {
    "unit": _l("Which unit served you today?"),
    "aspects": _l("How was each part of the service?"),
    "reasons": _l("What stood out?"),
    "comment": _l("Anything else to tell us?"),
}


def step_context(steps, answer_id, step, just_rated=False):
    """What a follow-up screen is drawn with: where it stands among `steps`, and the choices."""
    index = steps.index(step)
    feedback = current_app.config["KIOSK"].feedback
    return {
        "answer_id": answer_id,
        "step": step,
        "step_number": index + 1,
        "step_count": len(steps),
        "step_title": STEP_TITLES[step],
        "next_step": steps[index + 1] if index + 1 < len(steps) else None,
        "just_rated": just_rated,
        "units": UNIT_CHOICES,
        "unit_labels": UNIT_CHOICE_LABELS,
        "unit_descriptions": UNIT_DESCRIPTIONS,
        "aspects": ASPECTS,
        "aspect_labels": ASPECT_LABELS,
        "levels": LEVELS,
        "level_labels": LEVEL_LABELS,
        "reasons_positive": REASONS_POSITIVE,
        "reasons_negative": REASONS_NEGATIVE,
        "reason_labels": REASON_LABELS,
        "comment_max": feedback.comment_max_chars,
        "comment_retention_days": feedback.comment_retention_days,
    }
