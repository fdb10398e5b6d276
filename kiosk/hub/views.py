"""The hub's pages: admin sign-in and the dashboard over every kiosk it knows."""

from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from kiosk.core.vocab import BAND_LABELS, UNIT_LABELS, UNITS
from kiosk.hub import overview, store
from kiosk.reports.dashboard import chart_rows, dashboard_figures
from kiosk.reports.periods import period_from_args, recent_months
from kiosk.reports.tallies import tallies
from kiosk.web import auth
from kiosk.web.database import get_db
from kiosk.web.rendering import render_screen

bp = Blueprint("hub", __name__)
hub_admin_required = auth.required("admin", "hub.sign_in_page")


def render_hub(template, status=200, **context):
    return render_screen(template, idle_seconds=0, **context), status


@bp.get("/")
def root():
    return redirect(url_for("hub.dashboard"))


def _render_login(status=200, **context):
    return render_hub(
        "admin/login.html", status, staff_title=_l("Admin hub"), form_action=url_for("hub.sign_in"), **context
    )


@bp.get("/hub/login")
def sign_in_page():
    """User name and password."""
    return _render_login(next=request.args.get("next", ""))


@bp.post("/hub/login")
def sign_in():
    """Check the password; too many failures lock the form for a while."""
    return auth.password_sign_in(_render_login, url_for("hub.dashboard"))


@bp.post("/hub/logout")
@hub_admin_required
def sign_out():
    """Sign out."""
    auth.audit("admin", "sign-out")
    auth.sign_out("admin")
    return redirect(url_for("hub.sign_in_page"))


@bp.get("/hub")
@hub_admin_required
def dashboard():
    """Figures over every kiosk, or one station or one kiosk; stations side by side."""
    db = get_db()
    settings = current_app.config["KIOSK"]
    errors = []
    try:
        period = period_from_args(request.args)
    except ValueError as error:
        period = period_from_args({})
        errors.append(str(error))
    registry = store.kiosks(db)
    all_stations = sorted({row["station"] for row in registry})
    station = request.args.get("station") or None
    kiosk = request.args.get("kiosk") or None
    if station and station not in all_stations:
        errors.append(_l("Unknown station: %(code)s", code=station))
        station = None
    if kiosk and kiosk not in {row["name"] for row in registry}:
        errors.append(_l("Unknown kiosk: %(name)s", name=kiosk))
        kiosk = None
    stations = [station] if station else None
    kiosks = [kiosk] if kiosk else None
    rows = store.kiosks(db, stations=stations, names=kiosks)
    quota = store.quota_for(rows, settings.eit.quota)
    interval = settings.feedback.mean_band_interval

    def figures_for(start, end):
        # dashboard_figures asks for the period, then the EIT window only for its referrals.
        parts = ("satisfaction", "eit") if (start, end) == (period.start, period.end) else ("eit",)
        return tallies(
            db,
            start,
            end,
            quota=quota,
            band_interval=interval,
            table="hub_events",
            stations=stations,
            kiosks=kiosks,
            parts=parts,
        )

    shown = dashboard_figures(
        settings.model_copy(update={"eit": settings.eit.model_copy(update={"quota": quota})}), figures_for, period
    )
    station_rows = overview.stations_table(
        db, period, shown["eit_window"], rows, settings.eit.quota, stations=stations, kiosks=kiosks
    )
    return render_hub(
        "hub/dashboard.html",
        400 if errors else 200,
        errors=errors,
        period=period,
        months=recent_months(),
        station=station,
        kiosk=kiosk,
        all_stations=all_stations,
        all_kiosks=[row for row in registry if not station or row["station"] == station],
        kiosk_rows=rows,
        station_rows=station_rows,
        problems=store.problems(db, names=[row["name"] for row in rows]),
        units=UNITS,
        unit_labels=UNIT_LABELS,
        band_labels=BAND_LABELS,
        rows=chart_rows(shown["figures"]),
        unwritten=auth.unwritten(),
        **shown,
    )
