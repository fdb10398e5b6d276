"""The period an admin looks at: a month (this month by default) or given dates.

Every period a request names is read here, once, with the same rules: dates are
Gregorian, YYYY-MM-DD (months YYYY-MM), between EARLIEST and LATEST, and `from` is not
after `to`. Anything else raises PeriodError, which names the parameter and says why, in
English for API clients (`message`) and in the reader's language for people (str()).
"""

import datetime as dt
import re
from dataclasses import dataclass

from kiosk.core.clock import today_in_bangkok
from kiosk.core.i18n import Label, current_language
from kiosk.core.thaidate import format_date, format_month

# A kiosk's figures begin long after 2000 and the tallies work in Bangkok days near
# these dates; years far outside overflow the date arithmetic (year 1, 9999).
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)

NOT_A_DATE = Label("%(name)s: a date is written YYYY-MM-DD (Gregorian), e.g. 2025-01-31")
NOT_A_MONTH = Label("month: a month is written YYYY-MM (Gregorian), e.g. 2025-01")
OUT_OF_RANGE = Label("%(name)s: must be between %(earliest)s and %(latest)s")
BOTH_DATES = Label("from/to: give both dates, or a month")
REVERSED = Label("from: must not be after to")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


class PeriodError(ValueError):
    """A period that cannot be read. `field` names the parameter; args are (field, message)."""

    def __init__(self, field, label, **values):
        self.field, self.label, self.values = field, label, values
        super().__init__(field, label.in_language("en", **values))

    @property
    def message(self):
        """The reason in English, for API clients."""
        return self.args[1]

    def __str__(self):
        return self.label.in_language(current_language(), **self.values)


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


def parse_day(name, value):
    """A date parameter written YYYY-MM-DD within EARLIEST..LATEST; raises PeriodError."""
    try:
        day = dt.date.fromisoformat(value) if _ISO_DAY.fullmatch(value or "") else None
    except ValueError:  # 2025-02-30
        day = None
    if day is None:
        raise PeriodError(name, NOT_A_DATE, name=name)
    _check_range(name, day)
    return day


def parse_month(value):
    """A month parameter written YYYY-MM within EARLIEST..LATEST, as a Period; raises PeriodError."""
    if not _ISO_MONTH.fullmatch(value or "") or not 1 <= int(value[5:]) <= 12:
        raise PeriodError("month", NOT_A_MONTH)
    year, number = int(value[:4]), int(value[5:])
    _check_range("month", dt.date(year, number, 1))
    return month_period(year, number)


def _check_range(name, day):
    if not EARLIEST <= day <= LATEST:
        raise PeriodError(name, OUT_OF_RANGE, name=name, earliest=EARLIEST.isoformat(), latest=LATEST.isoformat())


def period_from_args(args):
    """?month=YYYY-MM, or ?from=YYYY-MM-DD&to=YYYY-MM-DD; this month when neither is given.

    Raises PeriodError naming the parameter."""
    if args.get("from") or args.get("to"):
        start, end = parse_period(args)
        if start is None or end is None:
            raise PeriodError("from" if start is None else "to", BOTH_DATES)
        return Period(start, end, None)
    month = args.get("month")
    if month:
        return parse_month(month)
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
    """The optional `from` and `to` dates of a query; raises PeriodError naming the bad one."""
    bounds = {name: parse_day(name, args.get(name)) if args.get(name) else None for name in ("from", "to")}
    if bounds["from"] and bounds["to"] and bounds["from"] > bounds["to"]:
        raise PeriodError("from", REVERSED)
    return bounds["from"], bounds["to"]
