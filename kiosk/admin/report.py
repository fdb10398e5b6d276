"""The printed report of a period: an A4 page that prints cleanly from the browser, and the
same figures as a PDF download (kiosk.reports.pdf). Thai, or English with ?lang=en."""

from flask import Response, current_app, request
from flask_babel import force_locale

from kiosk.core.clock import today_in_bangkok
from kiosk.core.vocab import BAND_LABELS, UNIT_LABELS, UNITS
from kiosk.reports.dashboard import eit_window_of, period_report
from kiosk.web import auth
from kiosk.web.rendering import render_screen


def _report(period_or_error, figures_for):
    lang = "en" if request.args.get("lang") == "en" else "th"
    period, error = period_or_error()
    settings = current_app.config["KIOSK"]
    shown = period_report(settings, figures_for, period, lang, eit_window_of(settings))
    return lang, period, error, settings, shown


def render_report_page(period_or_error, figures_for):
    """The A4 page: station, period, figures beside the periods before, charts, EIT pace."""
    lang, period, error, settings, shown = _report(period_or_error, figures_for)
    if error:
        return render_screen("error.html", status=400, message=error), 400
    with force_locale(lang):
        page = render_screen(
            "admin/report_print.html",
            full_page_only=True,
            lang=lang,
            period=period,
            station_name_text=settings.station.name_th if lang == "th" else settings.station.name_en,
            printed_on=today_in_bangkok(),
            units=UNITS,
            unit_labels=UNIT_LABELS,
            band_labels=BAND_LABELS,
            **shown,
        )
    return page


def report_pdf_response(period_or_error, figures_for):
    """The A4 PDF of the period's report, as a download."""
    from kiosk.reports.pdf import report_pdf

    lang, period, error, settings, shown = _report(period_or_error, figures_for)
    if error:
        return render_screen("error.html", status=400, message=error), 400
    station = settings.station.name_th if lang == "th" else settings.station.name_en
    body = report_pdf(shown, period=period, station_name=station, lang=lang, printed_on=today_in_bangkok())
    auth.audit("admin", "report pdf", f"{period.start}..{period.end}")
    name = f"{settings.station.code}-report-{period.start}-{period.end}-{lang}.pdf"
    return Response(body, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})
