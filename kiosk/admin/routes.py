"""Views of the admin pages."""

import json

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from kiosk.admin import bp
from kiosk.core.clock import day_bounds_utc
from kiosk.core.i18n import current_language
from kiosk.core.vocab import BAND_LABELS, LEVEL_LABELS, UNIT_LABELS, UNITS
from kiosk.publish import publish_status, publish_zip
from kiosk.reports import exports
from kiosk.reports.counters import counter_tables, station_counter_figures
from kiosk.reports.dashboard import dashboard_figures, eit_window_of, period_report
from kiosk.reports.periods import PeriodError, period_from_args
from kiosk.reports.tallies import tallies
from kiosk.store import alerts
from kiosk.web import auth, station
from kiosk.web.database import get_db, get_event_log, purge_expired_comments
from kiosk.web.period_picker import picker_context
from kiosk.web.rendering import render_screen

admin_required = auth.required("admin", "admin.sign_in_page")

STAFF_IDLE_SECONDS = 0  # an admin works from a desk or a phone, not the counter


def render_admin(template, status=200, **context):
    # ... but on the counter's own screen it goes back to the start (and is forgotten there).
    idle = auth.KIOSK_SCREEN_IDLE_SECONDS if auth.on_kiosk_screen() else STAFF_IDLE_SECONDS
    return render_screen(template, idle_seconds=idle, **context), status


def _render_login(status=200, **context):
    return render_admin(
        "admin/login.html", status, staff_title=_l("Station admin"), form_action=url_for("admin.sign_in"), **context
    )


@bp.get("/login")
def sign_in_page():
    """User name and password."""
    return _render_login(next=request.args.get("next", ""))


@bp.post("/login")
def sign_in():
    """Check the password; too many failures lock the form for a while."""
    return auth.password_sign_in(_render_login, url_for("admin.dashboard"))


@bp.post("/logout")
@admin_required
def sign_out():
    """Sign out."""
    auth.audit("admin", "sign-out")
    auth.sign_out("admin")
    return redirect(url_for("admin.sign_in_page"))


def _figures_for(start, end):
    """This kiosk's tallies for the dates, with the station's quota and band interval."""
    settings = current_app.config["KIOSK"]
    return tallies(get_db(), start, end, quota=settings.eit.quota, band_interval=settings.feedback.mean_band_interval)


def _period_or_error():
    """The period the address names, or this month and the reason (Thai / English) it was refused."""
    window = eit_window_of(current_app.config["KIOSK"])
    try:
        return period_from_args(request.args, window), None
    except PeriodError as error:
        return period_from_args({}, window), error.both()


def _picker(period):
    window = eit_window_of(current_app.config["KIOSK"])
    return picker_context(
        "admin.dashboard", "admin.period_picker", period, request.args, current_language(), eit_window=window
    )


@bp.get("")
@admin_required
def dashboard():
    """The period's figures beside the period before and a year before, the fiscal year's
    months, satisfaction, aspects, units, days, hours, reasons, the EIT quota."""
    if station.needs_setup():  # the demo station, until the admin finishes the setup
        return redirect(url_for("admin.setup"))
    period, error = _period_or_error()
    settings = current_app.config["KIOSK"]
    shown = period_report(settings, _figures_for, period, current_language(), eit_window_of(settings))
    start_iso, end_iso = day_bounds_utc(period.start, period.end)
    return render_admin(
        "admin/dashboard.html",
        400 if error else 200,
        error=error,
        period=period,
        picker=_picker(period),
        alert=alerts.evaluate(get_db(), current_app.config["KIOSK"].duty),
        alerts_in_period=alerts.alerts_between(get_db(), start_iso, end_iso),
        units=UNITS,
        unit_labels=UNIT_LABELS,
        band_labels=BAND_LABELS,
        unwritten=auth.unwritten(),
        publish_status=publish_status(get_db(), settings, current_app.extensions["kiosk_content"]),
        public_base_url=settings.public.base_url,
        counter_figures=station_counter_figures(get_db(), period.start, period.end),
        **shown,
    )


@bp.get("/period-picker")
@admin_required
def period_picker():
    """The period picker alone, with one tab open or a calendar page (for an htmx swap)."""
    period, _error = _period_or_error()
    return render_template("admin/_period_picker.html", picker=_picker(period))


@bp.get("/report")
@admin_required
def report():
    """The period's report as a printable A4 page (Thai; ?lang=en for English)."""
    from kiosk.admin.report import render_report_page

    return render_report_page(_period_or_error, _figures_for)


@bp.get("/report.pdf")
@admin_required
def report_pdf():
    """The period's report as an A4 PDF (Thai; ?lang=en for English)."""
    from kiosk.admin.report import report_pdf_response

    return report_pdf_response(_period_or_error, _figures_for)


@bp.get("/comments")
@admin_required
def comments():
    """Comments with their date and rating; deleted for good after the retention period."""
    settings = current_app.config["KIOSK"].feedback
    purge_expired_comments()
    rows = get_event_log().comments()
    levels = dict(
        get_db()
        .execute(
            "SELECT json_extract(payload, '$.answer_id'), json_extract(payload, '$.level') FROM events WHERE kind = 'rating' "
            "AND json_extract(payload, '$.answer_id') IN (SELECT answer_id FROM comments)"
        )
        .fetchall()
    )
    for row in rows:
        row["level"] = levels.get(row["answer_id"])

    return render_admin(
        "admin/comments.html",
        comments=list(reversed(rows)),
        retention_days=settings.comment_retention_days,
        level_labels=LEVEL_LABELS,
    )


@bp.post("/comments/<answer_id>/delete")
@admin_required
def delete_comment(answer_id):
    """Delete one comment now, for good."""
    if get_event_log().delete_comment(answer_id):
        auth.audit("admin", "comment deleted", answer_id)
    return redirect(url_for("admin.comments"))


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


@bp.get("/export/<kind>.<fmt>")
@admin_required
def export(kind, fmt):
    """The period's figures as CSV (UTF-8 with BOM), Excel or JSON; `public` leaves comments out."""
    if kind not in ("report", "public") or fmt not in EXPORT_TYPES:
        abort(404)
    period, error = _period_or_error()
    if error:
        return render_screen("error.html", idle_seconds=STAFF_IDLE_SECONDS, status=400, message=error), 400
    settings = current_app.config["KIOSK"]
    station = settings.station.name_th
    label = period.label("th")
    shown = dashboard_figures(settings, _figures_for, period)
    figures = shown["figures"]
    interval = settings.feedback.mean_band_interval
    with force_locale("th"):
        if kind == "public":
            monthly = exports.monthly_tallies(
                get_db(), period.start, period.end, quota=settings.eit.quota, band_interval=interval
            )
            public = exports.public_statistics(
                figures, period_label=label, station_name=station, monthly=monthly, band_interval=interval
            )
            body = {
                "csv": lambda: exports.public_statistics_csv(public),
                "json": lambda: json.dumps(public, ensure_ascii=False, indent=2).encode(),
                "xlsx": lambda: exports.to_xlsx(
                    exports.public_tables(public), exports.report_title(station, label, public=True)
                ),
            }[fmt]()
        else:
            purge_expired_comments()
            comments = exports.load_comments(get_event_log(), period.start, period.end)
            title = exports.report_title(station, label)
            figures = {**figures, "counters": station_counter_figures(get_db(), period.start, period.end)}
            if fmt == "json":
                body = exports.to_json(
                    figures, period_label=label, station_name=station, include_comments=True, comments=comments
                )
            else:
                tables = exports.export_tables(
                    figures,
                    period_label=label,
                    station_name=station,
                    include_comments=True,
                    comments=comments,
                    pace=shown["pace"],
                    band_interval=interval,
                ) + counter_tables(figures["counters"])
                body = exports.to_csv(tables, title) if fmt == "csv" else exports.to_xlsx(tables, title)
    auth.audit("admin", f"export {kind}.{fmt}", f"{period.start}..{period.end}")
    name = f"{settings.station.code}-{kind}-{period.start}-{period.end}.{fmt}"
    return Response(body, mimetype=EXPORT_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/posters")
@admin_required
def posters():
    """The printable posters, drawn from the kiosk's content and settings."""
    from kiosk.signage import load_job

    job = load_job(settings=current_app.config["KIOSK"], content=current_app.extensions["kiosk_content"])
    return render_admin("admin/posters.html", posters=job.posters)


@bp.get("/posters/<name>.<size>.pdf")
@admin_required
def poster_pdf(name, size):
    """One poster as a print-ready PDF (300 dpi), A4 or A3."""
    import tempfile
    from pathlib import Path

    from kiosk.signage import load_job, save

    job = load_job(settings=current_app.config["KIOSK"], content=current_app.extensions["kiosk_content"])
    if name not in job.names or size not in ("A4", "A3"):
        abort(404)
    with tempfile.TemporaryDirectory() as out:
        files = save(job.render(name, size, 300), Path(out))
        pdf = next(path for path in files if path.suffix == ".pdf").read_bytes()
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}-{size}.pdf"'}
    )


@bp.post("/public-pages.zip")
@admin_required
def public_pages():
    """The station's public pages as one zip to upload to the station website; the publication is recorded."""
    settings = current_app.config["KIOSK"]
    data = publish_zip(settings, current_app.extensions["kiosk_content"], get_db())
    auth.audit("admin", "public pages downloaded")
    name = f"{settings.station.code}-public-pages.zip"
    return Response(data, mimetype="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'})
