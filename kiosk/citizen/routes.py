"""Views for the citizen: attract screen, home, and the screens behind the tiles."""

from flask import current_app, send_from_directory
from flask_babel import lazy_gettext as _l

from kiosk.citizen import bp
from kiosk.core.clock import today_in_bangkok
from kiosk.core.thaidate import format_date
from kiosk.web.i18n import current_language
from kiosk.web.rendering import forget_visit, render_screen

# The tiles on home, in the order a citizen scans them; each opens its own screen.
TILES = (
    ("manual", _l("Service manual"), _l("Steps, documents, fees and time")),
    ("policy", _l("No Gift Policy"), _l("We accept no gifts. Report a demand.")),
    ("eservices", _l("e-Services"), _l("Report, pay and check online")),
    ("eit", _l("ITA / EIT survey"), _l("Rate our integrity for the NACC")),
    ("satisfaction", _l("Satisfaction"), _l("Tell us how we served you")),
    ("about", _l("About the station"), _l("Pledge, facilities, on duty")),
    ("case_progress", _l("Case progress"), _l("How to follow your case")),
)


def _today():
    return today_in_bangkok()


@bp.get("/")
def attract():
    """The start screen: the last citizen is forgotten here."""
    forget_visit()
    settings = current_app.config["KIOSK"]
    return render_screen(
        "citizen/attract.html",
        today_th=format_date(_today(), "th", weekday=True, digits_th=settings.kiosk.thai_digits),
        today_en=format_date(_today(), "en", weekday=True),
    )


@bp.get("/home")
def home():
    """Home: the tiles and the one-tap satisfaction faces."""
    return render_screen(
        "citizen/home.html",
        tiles=TILES,
        today=format_date(_today(), current_language()),
    )


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder, "img/logo.svg", mimetype="image/svg+xml")
