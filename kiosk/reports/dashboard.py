"""The figures the dashboard shows for a period; shared by the kiosk's admin, the hub and the
printed report: the period's tallies, the same figures for the period before and a year
before (with the change said in words), the months of the fiscal year, the EIT pace.

Every figure comes from `figures_for(date_from, date_to)` (this kiosk's tallies() or the
hub's). The trend asks for one month at a time (periods.months_of), so that a monthly rollup
table can answer instead of the event log without changing anything here.
"""

import functools

from kiosk.config.settings import eit_window as station_window
from kiosk.core.i18n import Label
from kiosk.core.vocab import UNITS
from kiosk.reports.periods import eit_window_period, fiscal_year_months, fiscal_year_period, month_abbr, today
from kiosk.reports.tallies import eit_pace

# What the period is compared with, by kind: (the one before, the same a year before).
OTHER_NAMES = {
    "month": (Label("the month before"), Label("the same month a year before")),
    "quarter": (Label("the quarter before"), Label("the same quarter a year before")),
    "fy": (Label("the fiscal year before"), Label("the fiscal year before")),
    "eit": (Label("the window a year before"), Label("the window a year before")),
    "range": (Label("the days just before"), Label("the same days a year before")),
}
UP = Label("up %(change)s from %(other)s")
DOWN = Label("down %(change)s from %(other)s")
SAME = Label("the same as %(other)s")
NONE = Label("no figures for %(other)s")
POINTS = Label("%(n)s points", "percentage points")
MONTHS_OF = Label("Months of %(fy)s")

# The headline figures compared: key, how to read it from tallies(), decimals, unit.
HEADLINES = (
    ("answers", lambda f: f["satisfaction"]["total"], 0, ""),
    ("percent_satisfied", lambda f: f["satisfaction"]["percent_satisfied"], 2, "points"),
    ("mean", lambda f: f["satisfaction"]["mean"], 2, ""),
    ("eit", lambda f: f["eit"]["total"], 0, ""),
)


def eit_window_of(settings):
    """year -> (start, end) of the station's EIT window in that fiscal year (eit_window)."""
    return functools.partial(station_window, settings)


def dashboard_figures(settings, figures_for, period, eit_window=None):
    """The period's tallies, and the EIT quota pace over the collection window of the
    period's fiscal year (a past year's pace is that year's, not today's window's).

    `figures_for(date_from, date_to)` returns tallies() for those dates (this kiosk's or the hub's);
    `eit_window(year)` gives a fiscal year's window (default: the station's, eit_window_of)."""
    figures = figures_for(period.start, period.end)
    if period.kind == "eit":
        window_start, window_end = period.start, period.end
    else:
        window = eit_window_period(period.fiscal_year(), eit_window or eit_window_of(settings))
        window_start, window_end = window.start, window.end
    in_window = figures if (window_start, window_end) == (period.start, period.end) else None
    if in_window is None:
        in_window = figures_for(window_start, window_end)
    pace = eit_pace(in_window["eit"]["by_unit"], settings.eit.quota, window_start, window_end, today())
    return {"figures": figures, "pace": pace, "eit_window": (window_start, window_end)}


def _change_words(value, other, decimals, unit, other_name, lang):
    name = other_name.in_language(lang)
    if value is None or other is None:
        return NONE.in_language(lang, other=name) if value is not None else ""
    change = round(value - other, decimals)
    if change == 0:
        return SAME.in_language(lang, other=name)
    amount = f"{abs(change):,.{decimals}f}"
    if unit == "points":
        amount = POINTS.in_language(lang, n=amount)
    return (UP if change > 0 else DOWN).in_language(lang, change=amount, other=name)


def comparisons(period, figures, previous, year_before, lang):
    """Per headline figure: the value, the period before's and a year before's, with the
    change in words ("ลดลง 0.30 จากเดือนก่อน"). For a fiscal year or an EIT window the
    period before is the year before: it is given once."""
    before_name, year_name = OTHER_NAMES[period.kind]
    result = {}
    for key, read, decimals, unit in HEADLINES:
        value = read(figures)
        rows = [("previous", read(previous), before_name)]
        if period.kind not in ("fy", "eit"):
            rows.append(("year_before", read(year_before), year_name))
        result[key] = [
            {"which": which, "value": other, "words": _change_words(value, other, decimals, unit, name, lang)}
            for which, other, name in rows
        ]
    return result


def compared_figures(settings, figures_for, period, lang, eit_window=None):
    """dashboard_figures() with the periods before, their figures and the comparisons."""
    shown = dashboard_figures(settings, figures_for, period, eit_window)
    previous = period.previous(eit_window)
    year_before = period.year_before(eit_window)
    previous_figures = figures_for(previous.start, previous.end)
    year_figures = previous_figures if year_before == previous else figures_for(year_before.start, year_before.end)
    shown.update(
        previous=previous,
        year_before=year_before,
        compared=comparisons(period, shown["figures"], previous_figures, year_figures, lang),
    )
    return shown


def fiscal_year_trend(settings, figures_for, year, lang, eit_window=None):
    """The months of fiscal year `year`: answers, percent satisfied, mean, EIT referrals
    (each month and summed from October), per unit, and the quota line over the EIT window."""
    window = eit_window_period(year, eit_window)
    months = []
    cumulative = dict.fromkeys(UNITS, 0)
    for month in fiscal_year_months(year):
        if month.start > today():
            figures = None
        else:
            figures = figures_for(month.start, month.end)
        label = month_abbr(month, lang)
        row = {"period": month, "label": label, "short": label.split()[0], "future": figures is None}
        if figures:
            s, e = figures["satisfaction"], figures["eit"]
            for unit in UNITS:
                cumulative[unit] += e["by_unit"][unit]
            row.update(
                answers=s["total"],
                percent_satisfied=s["percent_satisfied"],
                mean=s["mean"],
                eit=e["total"],
                eit_by_unit=dict(e["by_unit"]),
                eit_cumulative=sum(cumulative.values()),
                mean_by_unit={unit: s["by_unit"][unit]["mean"] for unit in UNITS},
                answers_by_unit={unit: s["by_unit"][unit]["total"] for unit in UNITS},
            )
        months.append(row)
    quota = {unit: int(settings.eit.quota.get(unit, 0)) for unit in UNITS}
    title = MONTHS_OF.in_language(lang, fy=fiscal_year_period(year).label(lang))
    return {
        "year": year,
        "title": title,
        "months": months,
        "quota": quota,
        "quota_total": sum(quota.values()),
        "window": window,
    }


def trend_series(trend):
    """The trend's chart rows: (month label, value) per figure, None where a month has no
    figure yet; answers as 0 there (a column chart); the EIT referrals per unit summed."""

    def series(key):
        return [(row["short"], row.get(key)) for row in trend["months"]]

    cumulative = series("eit_cumulative")
    return {
        "answers_filled": [(label, value or 0) for label, value in series("answers")],
        "percent_satisfied": series("percent_satisfied"),
        "mean": series("mean"),
        "eit_cumulative": cumulative,
        "eit_max": max([value or 0 for _, value in cumulative] + [1]),
        "eit_unit_totals": {
            unit: sum(row["eit_by_unit"][unit] for row in trend["months"] if not row["future"]) for unit in UNITS
        },
    }


def period_report(settings, figures_for, period, lang, eit_window=None):
    """Everything the dashboard, the hub and the printed report show for a period: the
    figures, the EIT pace, the comparisons, the months of the period's fiscal year."""
    shown = compared_figures(settings, figures_for, period, lang, eit_window)
    trend = fiscal_year_trend(settings, figures_for, period.fiscal_year(), lang, eit_window)
    shown.update(trend=trend, series=trend_series(trend), rows=chart_rows(shown["figures"]))
    return shown


def chart_rows(figures):
    """(label, value) rows for each chart, in the order the dashboard shows them."""
    from kiosk.core.vocab import (
        ASPECT_LABELS,
        ASPECTS,
        LEVEL_LABELS,
        LEVELS,
        REASON_LABELS,
        REASONS,
        UNIT_CHOICE_LABELS,
        UNIT_CHOICES,
    )

    satisfaction = figures["satisfaction"]
    by_unit = satisfaction["by_unit"]
    days = satisfaction["by_day"]
    return {
        "levels": [(LEVEL_LABELS[level], satisfaction["counts"][str(level)]) for level in LEVELS],
        "aspects": [(ASPECT_LABELS[a], satisfaction["aspects"][a]["mean"]) for a in ASPECTS],
        "units": [
            (UNIT_CHOICE_LABELS[u], by_unit.get(u, {}).get("total", 0), by_unit.get(u, {}).get("mean"))
            for u in UNIT_CHOICES
        ],
        # A long period shows by day only when it fits; the trend shows months.
        "days": [(day[-2:].lstrip("0"), values["total"]) for day, values in days.items()] if len(days) <= 62 else [],
        "hours": [(hour, satisfaction["by_hour"][hour]) for hour in sorted(satisfaction["by_hour"], key=int)],
        "reasons": [(REASON_LABELS[r], satisfaction["reasons"].get(r, 0)) for r in REASONS],
    }
