"""The period an admin looks at: a month (this month by default) or given dates."""

import datetime as dt
from dataclasses import dataclass

from kiosk.core.clock import today_in_bangkok
from kiosk.core.thaidate import format_date, format_month


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    month: str | None  # "YYYY-MM" when the period is a whole month

    def label(self, lang):
        if self.month:
            year, month = map(int, self.month.split("-"))
            return format_month(year, month, lang)
        return f"{format_date(self.start, lang, abbreviated=True)} – {format_date(self.end, lang, abbreviated=True)}"


def today():
    return today_in_bangkok()


def month_period(year, month):
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1), f"{year:04d}-{month:02d}")


def period_from_args(args):
    """?month=YYYY-MM, or ?from=YYYY-MM-DD&to=YYYY-MM-DD; this month when neither is given.

    Raises ValueError with a message naming the parameter."""
    if args.get("from") or args.get("to"):
        try:
            start = dt.date.fromisoformat(args.get("from", ""))
            end = dt.date.fromisoformat(args.get("to", ""))
        except ValueError:
            raise ValueError("from/to: dates are written YYYY-MM-DD (Gregorian)") from None
        if end < start:
            raise ValueError("to: must not be before from")
        return Period(start, end, None)
    month = args.get("month")
    if month:
        try:
            year, number = map(int, month.split("-"))
            return month_period(year, number)
        except ValueError:
            raise ValueError("month: written YYYY-MM") from None
    now = today()
    return month_period(now.year, now.month)


def recent_months(count=12):
    """The last `count` months, newest first, as Periods."""
    now = today()
    year, month = now.year, now.month
    months = []
    for _ in range(count):
        months.append(month_period(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def parse_period(args):
    """The optional `from` and `to` dates of a query; raises ValueError naming the bad one."""
    bounds = {}
    for name in ("from", "to"):
        value = args.get(name)
        try:
            bounds[name] = dt.date.fromisoformat(value) if value else None
        except ValueError:
            raise ValueError(name, f"'{name}' must be a date written YYYY-MM-DD (Gregorian)") from None
    if bounds["from"] and bounds["to"] and bounds["from"] > bounds["to"]:
        raise ValueError("from", "'from' must not be after 'to'")
    return bounds["from"], bounds["to"]
