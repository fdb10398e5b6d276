"""EIT entry: the citizen picks the unit that served them and gets the ITAS survey QR code.

Each QR shown is counted as a referral for that unit; the kiosk never sees the answers.
"""

from flask import abort, current_app, request

from kiosk.citizen import bp
from kiosk.core.vocab import UNIT_CHOICE_LABELS, UNIT_CHOICES, UNIT_DESCRIPTIONS
from kiosk.web import answers
from kiosk.web.database import get_event_log
from kiosk.web.errors import error_response
from kiosk.web.rendering import qr_markup, render_screen


@bp.get("/eit")
def eit():
    """What the ITA and the EIT are, and a button per unit."""
    return render_screen(
        "citizen/eit.html", units=UNIT_CHOICES, unit_labels=UNIT_CHOICE_LABELS, unit_descriptions=UNIT_DESCRIPTIONS
    )


@bp.post("/eit")
def eit_referral():
    """Count a referral for the chosen unit and show the survey's QR code."""
    unit = request.form.get("unit")

    def held_screen(_hold):
        # Held (kiosk.store.hold): the citizen still gets the survey; the referral is not counted.
        if unit not in UNIT_CHOICES:
            return error_response(422, field="unit")
        return _render_qr(unit, big=False)

    _event, refusal = answers.record(
        lambda form_id: get_event_log().record_referral(unit, event_id=form_id), held_screen
    )
    return refusal or _render_qr(unit, big=False)


@bp.get("/eit/qr/<unit>")
def eit_qr(unit):
    """The same QR code again, larger; not counted again."""
    if unit not in UNIT_CHOICES:
        abort(404)
    return _render_qr(unit, big=request.args.get("size") == "big")


def _render_qr(unit, big):
    url = current_app.config["KIOSK"].eit.url
    return render_screen(
        "citizen/eit_qr.html", unit=unit, unit_label=UNIT_CHOICE_LABELS[unit], eit_url=url, qr=qr_markup(url), big=big
    )
