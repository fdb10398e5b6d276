"""The admin's counters page: name the counters and their units, pair and revoke displays."""

from flask import redirect, request, url_for

from kiosk.admin import bp
from kiosk.admin.routes import admin_required, render_admin
from kiosk.core.vocab import UNIT_LABELS, UNITS
from kiosk.reports.counters import counter_figures
from kiosk.store import counters
from kiosk.web import auth
from kiosk.web.database import get_db


def _page(status=200, error=None, notice=None):
    db = get_db()
    listed_counters = counters.counters(db)
    listed_displays = counters.displays(db)
    figures = counter_figures(db, counters=listed_counters, displays=listed_displays)
    return render_admin(
        "admin/counters.html",
        status,
        counters=listed_counters,
        displays=listed_displays,
        figures=figures,
        units=UNITS,
        unit_labels=UNIT_LABELS,
        error=error,
        notice=notice,
    )


@bp.get("/counters")
@admin_required
def counters_page():
    """The counters, the paired displays (with last seen) and the pairing form."""
    return _page()


def _done(action, detail):
    auth.audit("admin", action, detail)
    return redirect(url_for("admin.counters_page"))


@bp.post("/counters")
@admin_required
def add_counter():
    """Name a counter and the unit it serves."""
    form = request.form
    try:
        slug = counters.add_counter(get_db(), form.get("name", ""), form.get("unit"), form.get("slug") or None)
    except counters.CounterError as error:
        return _page(error.status, error=error.message)
    return _done("counter added", slug)


@bp.post("/counters/<slug>/remove")
@admin_required
def remove_counter(slug):
    """Remove a counter; its displays stop at once."""
    try:
        counters.remove_counter(get_db(), slug)
    except counters.CounterError as error:
        return _page(error.status, error=error.message)
    return _done("counter removed", slug)


@bp.post("/displays/pair")
@admin_required
def pair_display():
    """Pair the display that shows this code with a counter."""
    try:
        display = counters.pair(get_db(), request.form.get("code", ""), request.form.get("counter", ""), "admin")
    except counters.CounterError as error:
        return _page(error.status, error=error.message)
    return _done("display paired", display)


@bp.post("/displays/<display_id>/revoke")
@admin_required
def revoke_display(display_id):
    """Revoke a display: it stops on its next request."""
    try:
        counters.revoke(get_db(), display_id)
    except counters.CounterError as error:
        return _page(error.status, error=error.message)
    return _done("display revoked", display_id)
