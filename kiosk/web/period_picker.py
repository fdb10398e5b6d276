"""The period picker of the admin dashboard, the hub and the reports: tabs for a month, a
quarter, a fiscal year, the EIT window or days chosen on a calendar, every choice a link
whose address names the period (kiosk.reports.periods parses it).

Server-rendered: a tab or a calendar page swaps the picker alone through htmx (hx-get on
the picker's own route; a plain link without script); a choice is an ordinary link that
loads the report, so the address bar holds the period to bookmark.
"""

from flask import url_for

from kiosk.core.i18n import Label
from kiosk.reports.periods import PICKS, WEEKDAY_HEADS, calendar_month, picker_choices, range_of_taps

TAB_LABELS = {
    "month": Label("Month"),
    "quarter": Label("Quarter"),
    "fy": Label("Fiscal year"),
    "eit": Label("EIT window"),
    "range": Label("Choose days"),
}
TAP_FIRST = Label("Tap the first day, then the last day.")
TAP_LAST = Label("First day: %(day)s. Now tap the last day.")


def picker_context(endpoint, picker_endpoint, period, args, lang, extra=None, eit_window=None):
    """What templates/admin/_period_picker.html draws; `extra` holds the page's other
    parameters (the hub's station and kiosk) so that a choice keeps them."""
    extra = {key: value for key, value in (extra or {}).items() if value}
    pick = args.get("pick") if args.get("pick") in PICKS else None
    here = {**extra, **period.query()}

    def page(**values):
        return url_for(endpoint, **extra, **values)

    def fragment(**values):
        return url_for(picker_endpoint, **here, **values)

    tabs = [
        {
            "key": key,
            "label": TAB_LABELS[key].in_language(lang),
            "href": url_for(endpoint, **here, pick=key),
            "hx": fragment(pick=key),
            "open": key == pick,
            "current": key == period.kind,
        }
        for key in PICKS
    ]
    context = {"tabs": tabs, "pick": pick, "choices": [], "calendar": None, "id": "period-picker"}
    if pick in ("month", "quarter", "fy", "eit"):
        context["choices"] = [
            {"label": choice.label(lang), "href": page(**choice.query()), "current": choice == period}
            for choice in picker_choices(pick, eit_window)
        ]
    elif pick == "range":
        cal = calendar_month(args)
        first = cal["first"]

        def day_cell(day):
            if day is None:
                return None
            cell = {"day": day.day, "iso": day.isoformat(), "today": day == cal["today"], "first": day == first}
            cell["label"] = _be(day, lang)
            if first:
                cell.update(href=page(**range_of_taps(first, day)), hx=None)
            else:
                cell.update(
                    href=url_for(endpoint, **here, pick="range", cal=cal["month"].month, first=day.isoformat()),
                    hx=fragment(pick="range", cal=cal["month"].month, first=day.isoformat()),
                )
            return cell

        keep = {"first": first.isoformat()} if first else {}
        context["calendar"] = {
            "title": cal["month"].label(lang),
            "weekdays": WEEKDAY_HEADS[lang],
            "weeks": [[day_cell(day) for day in week] for week in cal["weeks"]],
            "previous": fragment(pick="range", cal=cal["previous"].month, **keep),
            "previous_href": url_for(endpoint, **here, pick="range", cal=cal["previous"].month, **keep),
            "previous_label": cal["previous"].label(lang),
            "next": fragment(pick="range", cal=cal["next"].month, **keep),
            "next_href": url_for(endpoint, **here, pick="range", cal=cal["next"].month, **keep),
            "next_label": cal["next"].label(lang),
            "hint": TAP_LAST.in_language(lang, day=_be(first, lang)) if first else TAP_FIRST.in_language(lang),
        }
    return context


def _be(day, lang):
    from kiosk.core.thaidate import format_date

    return format_date(day, lang, abbreviated=True)
