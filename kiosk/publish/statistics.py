"""The public statistics page's figures: the public export's, for each month and the fiscal year.

The same functions as the admin's public export (kiosk.reports.exports.public) on the same
tallies, so that the page and a download for the same dates show the same figures; never a
comment (public_statistics holds none).
"""

from __future__ import annotations

import datetime as dt

from kiosk.core.clock import fiscal_year
from kiosk.core.thaidate import be_year
from kiosk.reports import periods
from kiosk.reports.exports.public import monthly_tallies, public_statistics
from kiosk.reports.tallies import tallies


def fiscal_year_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """1 October of the fiscal year `today` falls in, to `today` (Bangkok days)."""
    return periods.fiscal_year_period(fiscal_year(today)).start, today


def period_label(start: dt.date, end: dt.date, lang: str) -> str:
    """The fiscal year and its dates, in the words of the page."""
    from kiosk.core.i18n import translate
    from kiosk.core.thaidate import format_date

    year = fiscal_year(end)
    year = be_year(dt.date(year, 1, 1)) if lang == "th" else f"{year} (B.E. {be_year(dt.date(year, 1, 1))})"
    dates = f"{format_date(start, lang, abbreviated=True)} – {format_date(end, lang, abbreviated=True)}"
    return translate("Fiscal year %(year)s (%(dates)s)", lang, year=year, dates=dates)


def statistics_for(db, settings, start: dt.date, end: dt.date, lang: str, today: dt.date) -> dict:
    """public_statistics() of [start, end] with its months, as the admin's public export makes it."""
    interval = settings.feedback.mean_band_interval
    quota = settings.eit.quota
    figures = tallies(db, start, end, quota=quota, band_interval=interval)
    monthly = monthly_tallies(db, start, end, quota=quota, band_interval=interval)
    name = settings.station.name_th if lang == "th" else settings.station.name_en
    return public_statistics(
        figures,
        period_label=period_label(start, end, lang),
        station_name=name,
        monthly=monthly,
        lang=lang,
        generated_on=today,
        band_interval=interval,
    )
