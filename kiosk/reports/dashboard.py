"""The figures the dashboard shows for a period; shared by the kiosk's admin and the hub."""

from kiosk.config.settings import eit_period
from kiosk.reports.periods import today
from kiosk.reports.tallies import eit_pace


def dashboard_figures(settings, figures_for, period):
    """The period's tallies, and the EIT quota pace over the collection window.

    `figures_for(date_from, date_to)` returns tallies() for those dates (this kiosk's or the hub's)."""
    figures = figures_for(period.start, period.end)
    window_start, window_end = eit_period(settings, today())
    in_window = figures_for(window_start, window_end)
    pace = eit_pace(in_window["eit"]["by_unit"], settings.eit.quota, window_start, window_end, today())
    return {"figures": figures, "pace": pace, "eit_window": (window_start, window_end)}


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
    return {
        "levels": [(LEVEL_LABELS[level], satisfaction["counts"][str(level)]) for level in LEVELS],
        "aspects": [(ASPECT_LABELS[a], satisfaction["aspects"][a]["mean"]) for a in ASPECTS],
        "units": [
            (UNIT_CHOICE_LABELS[u], by_unit.get(u, {}).get("total", 0), by_unit.get(u, {}).get("mean"))
            for u in UNIT_CHOICES
        ],
        "days": [(day[-2:].lstrip("0"), values["total"]) for day, values in satisfaction["by_day"].items()],
        "hours": [(hour, satisfaction["by_hour"][hour]) for hour in sorted(satisfaction["by_hour"], key=int)],
        "reasons": [(REASON_LABELS[r], satisfaction["reasons"].get(r, 0)) for r in REASONS],
    }
