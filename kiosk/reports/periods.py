"""The periods a station answers for: a month, a quarter or the whole fiscal year, the EIT
collection window, or any range of days. Parsed once here, from the address.

The address names the period so that a report can be bookmarked and shared:

    ?month=2026-11               a month (Gregorian year and month)
    ?period=q-2026-1             a quarter of a fiscal year: ไตรมาส 1 = ต.ค.-ธ.ค.
    ?period=fy-2026              fiscal year 2026 = ปีงบประมาณ 2569 (1 Oct 2025 to 30 Sep 2026)
    ?period=eit-2026             the EIT collection window of fiscal year 2026
    ?from=2026-01-05&to=2026-02-20   any range of days (Gregorian ISO, inclusive)

Years are Gregorian in the address and Buddhist Era on every label. Hostile input gets a
PeriodError that says in Thai and in English what is wrong; years are kept within
MIN_YEAR..MAX_YEAR and a range to MAX_RANGE_DAYS, so no request can ask for centuries.

Each Period knows the one before it and the same one a year before (for comparisons), and
months_of() lists the calendar months a period covers: the unit a rollup table can answer
later instead of tallies() over the whole span.
"""

import datetime as dt
from dataclasses import dataclass

from kiosk.core.clock import fiscal_year, today_in_bangkok
from kiosk.core.i18n import Label
from kiosk.core.thaidate import BE_OFFSET, MONTHS_EN, MONTHS_TH_ABBR, format_date, format_month

MIN_YEAR = 2000  # B.E. 2543: no kiosk figures before it
MAX_YEAR = 2100
MAX_RANGE_DAYS = 25 * 365 + 7  # 25 years: every export a station may want, never centuries

KINDS = ("month", "quarter", "fy", "eit", "range")


class PeriodError(ValueError):
    """A period the address asks for that cannot be shown; says why in Thai and English."""

    def __init__(self, label, **values):
        self.label, self.values = label, values
        super().__init__(self.text("en"))

    def text(self, lang):
        """The reason in one language."""
        return self.label.in_language(lang, **self.values)

    def both(self):
        """The reason in Thai, then English: for a page whose reader may use either."""
        return f"{self.text('th')} / {self.text('en')}"


BAD_DATES = Label("from and to: dates are written YYYY-MM-DD (Gregorian), e.g. 2026-01-31")
BOTH_DATES = Label("from and to: give both dates of the range")
TO_BEFORE_FROM = Label("to: the last day (%(to)s) is before the first day (%(from)s)")
RANGE_TOO_LONG = Label("from and to: a range may cover at most %(days)s days")
YEAR_OUT_OF_RANGE = Label("year: must be between %(min)s-01-01 and %(max)s-12-31 (Gregorian)")
BAD_MONTH = Label("month: written YYYY-MM, e.g. 2026-11")
BAD_PERIOD = Label("period: written fy-YYYY, q-YYYY-N (quarter 1 to 4), eit-YYYY or m-YYYY-MM")

QUARTER_NAMES = {"th": "ไตรมาส %(n)s ปีงบประมาณ %(fy)s", "en": "Quarter %(n)s of fiscal year %(fy_ce)s (B.E. %(fy)s)"}


@dataclass(frozen=True)
class Period:
    """A span of Bangkok calendar days, inclusive, and what kind of span it is."""

    kind: str  # one of KINDS
    start: dt.date
    end: dt.date
    year: int | None = None  # fiscal year (Gregorian number) of quarter, fy, eit; calendar year of month
    number: int | None = None  # the month (1-12) or the quarter (1-4)

    @property
    def month(self):
        """'YYYY-MM' when the period is a whole month, else None."""
        return f"{self.year:04d}-{self.number:02d}" if self.kind == "month" else None

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def query(self):
        """The address parameters that name this period (for url_for)."""
        if self.kind == "month":
            return {"month": self.month}
        if self.kind == "quarter":
            return {"period": f"q-{self.year}-{self.number}"}
        if self.kind in ("fy", "eit"):
            return {"period": f"{self.kind}-{self.year}"}
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    def label(self, lang):
        """How people name the period: พฤศจิกายน 2569, ไตรมาส 1 ปีงบประมาณ 2569, ..."""
        be = (self.year or 0) + BE_OFFSET
        if self.kind == "month":
            return format_month(self.year, self.number, lang)
        if self.kind == "quarter":
            return QUARTER_NAMES[lang] % {"n": self.number, "fy": be, "fy_ce": self.year}
        if self.kind == "fy":
            return f"ปีงบประมาณ {be}" if lang == "th" else f"Fiscal year {self.year} (B.E. {be})"
        span = f"{format_date(self.start, lang, abbreviated=True)} – {format_date(self.end, lang, abbreviated=True)}"
        if self.kind == "eit":
            return f"ช่วงเก็บข้อมูล EIT ปีงบประมาณ {be} ({span})" if lang == "th" else f"EIT window {self.year} ({span})"
        return span

    def span_label(self, lang):
        """The first and last day, in the Buddhist Era: 1 ต.ค. 2568 – 30 ก.ย. 2569."""
        return f"{format_date(self.start, lang, abbreviated=True)} – {format_date(self.end, lang, abbreviated=True)}"

    def previous(self, eit_window=None):
        """The period just before: the month, quarter or fiscal year before; a range of the same length."""
        if self.kind == "month":
            year, month = (self.year - 1, 12) if self.number == 1 else (self.year, self.number - 1)
            return month_period(year, month)
        if self.kind == "quarter":
            return quarter_period(self.year - 1, 4) if self.number == 1 else quarter_period(self.year, self.number - 1)
        if self.kind in ("fy", "eit"):
            return self.year_before(eit_window)
        return Period("range", self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def year_before(self, eit_window=None):
        """The same period a year before."""
        if self.kind == "month":
            return month_period(self.year - 1, self.number)
        if self.kind == "quarter":
            return quarter_period(self.year - 1, self.number)
        if self.kind == "fy":
            return fiscal_year_period(self.year - 1)
        if self.kind == "eit":
            return eit_window_period(self.year - 1, eit_window)
        return Period("range", _year_earlier(self.start), _year_earlier(self.end))

    def fiscal_year(self):
        """The fiscal year (Gregorian number) the period ends in."""
        return self.year if self.kind in ("quarter", "fy", "eit") else fiscal_year(self.end)


def _year_earlier(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _check_year(year):
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(YEAR_OUT_OF_RANGE, min=MIN_YEAR, max=MAX_YEAR)
    return year


def today():
    return today_in_bangkok()


def month_period(year, month):
    """A calendar month."""
    _check_year(year)
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period("month", start, following - dt.timedelta(days=1), year, month)


def fiscal_year_period(year):
    """Fiscal year `year` (Gregorian number): 1 October of the year before to 30 September."""
    _check_year(year)
    return Period("fy", dt.date(year - 1, 10, 1), dt.date(year, 9, 30), year)


def quarter_period(year, number):
    """Quarter 1-4 of fiscal year `year`: quarter 1 is October to December of the year before."""
    _check_year(year)
    if number not in (1, 2, 3, 4):
        raise PeriodError(BAD_PERIOD)
    first_month = (10, 1, 4, 7)[number - 1]
    start_year = year - 1 if number == 1 else year
    start = dt.date(start_year, first_month, 1)
    last = month_period(start_year, first_month + 2)
    return Period("quarter", start, last.end, year, number)


def eit_window_period(year, eit_window=None):
    """The EIT collection window of fiscal year `year`; `eit_window(year)` gives the station's
    (start, end), else 1 January to 30 June."""
    _check_year(year)
    start, end = eit_window(year) if eit_window else (dt.date(year, 1, 1), dt.date(year, 6, 30))
    return Period("eit", start, end, year)


def range_period(start, end):
    """Any range of days, checked: years within bounds, end not before start, not too long."""
    _check_year(start.year)
    _check_year(end.year)
    if end < start:
        raise PeriodError(TO_BEFORE_FROM, **{"from": start.isoformat(), "to": end.isoformat()})
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise PeriodError(RANGE_TOO_LONG, days=MAX_RANGE_DAYS)
    return Period("range", start, end)


def _int(text, error):
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        raise PeriodError(error)
    return int(text)


def period_from_args(args, eit_window=None, default=None):
    """The period an address asks for (see the module's docstring); this month when none.

    `eit_window(year)` -> (start, end) gives the station's EIT window of a fiscal year.
    Raises PeriodError naming the parameter and what is wrong."""
    if args.get("from") or args.get("to"):
        if not (args.get("from") and args.get("to")):
            raise PeriodError(BOTH_DATES)
        try:
            start = dt.date.fromisoformat(args["from"].strip())
            end = dt.date.fromisoformat(args["to"].strip())
        except ValueError:
            raise PeriodError(BAD_DATES) from None
        return range_period(start, end)
    period = (args.get("period") or "").strip().lower()
    if period:
        kind, _, rest = period.partition("-")
        parts = rest.split("-")
        if kind == "fy" and len(parts) == 1:
            return fiscal_year_period(_int(parts[0], BAD_PERIOD))
        if kind == "eit" and len(parts) == 1:
            return eit_window_period(_int(parts[0], BAD_PERIOD), eit_window)
        if kind == "q" and len(parts) == 2:
            return quarter_period(_int(parts[0], BAD_PERIOD), _int(parts[1], BAD_PERIOD))
        if kind == "m" and len(parts) == 2:
            return _month(parts[0], parts[1], BAD_PERIOD)
        raise PeriodError(BAD_PERIOD)
    month = args.get("month")
    if month:
        year, _, number = month.partition("-")
        return _month(year, number, BAD_MONTH)
    if default is not None:
        return default
    now = today()
    return month_period(now.year, now.month)


def _month(year, number, error):
    month = _int(number, error)
    if not 1 <= month <= 12:
        raise PeriodError(error)
    return month_period(_int(year, error), month)


def months_of(period):
    """The calendar months the period touches, each clipped to the period, as Periods
    ("range" for a clipped part): what a monthly rollup answers for."""
    result = []
    start = period.start
    while start <= period.end:
        whole = month_period(start.year, start.month)
        if whole.start >= period.start and whole.end <= period.end:
            result.append(whole)
        else:
            result.append(Period("range", start, min(whole.end, period.end)))
        start = whole.end + dt.timedelta(days=1)
    return result


def fiscal_year_months(year):
    """The twelve months of fiscal year `year`, October first."""
    return months_of(fiscal_year_period(year))


def recent_months(count=12):
    """The last `count` months, newest first, as Periods."""
    now = today()
    year, month = now.year, now.month
    months = []
    for _ in range(count):
        months.append(month_period(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def month_abbr(period, lang):
    """A month's short name for a chart axis: ต.ค. 68 / Oct 25."""
    if lang == "th":
        return f"{MONTHS_TH_ABBR[period.start.month - 1]} {str(period.start.year + BE_OFFSET)[-2:]}"
    return f"{MONTHS_EN[period.start.month - 1][:3]} {str(period.start.year)[-2:]}"


def parse_period(args):
    """The optional `from` and `to` dates of an API query, within MIN_YEAR..MAX_YEAR.

    Raises ValueError(field, message in English) naming the bad one, for a JSON answer."""
    bounds = {}
    for name in ("from", "to"):
        value = args.get(name)
        try:
            bounds[name] = dt.date.fromisoformat(value) if value else None
        except ValueError:
            raise ValueError(name, f"'{name}' must be a date written YYYY-MM-DD (Gregorian)") from None
        if bounds[name] and not MIN_YEAR <= bounds[name].year <= MAX_YEAR:
            raise ValueError(name, f"{name}: must be between {MIN_YEAR}-01-01 and {MAX_YEAR}-12-31")
    if bounds["from"] and bounds["to"] and bounds["from"] > bounds["to"]:
        raise ValueError("from", "'from' must not be after 'to'")
    return bounds["from"], bounds["to"]


PICKS = ("month", "quarter", "fy", "eit", "range")
WEEKDAY_HEADS = {"th": ("อา.", "จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส."), "en": ("Su", "Mo", "Tu", "We", "Th", "Fr", "Sa")}


def picker_choices(pick, eit_window=None, years=4):
    """The periods a picker tab offers, newest first: 12 months, 8 quarters, 4 fiscal years,
    4 EIT windows. Only those that have begun."""
    now = today()
    current = fiscal_year(now)
    if pick == "month":
        return recent_months(12)
    if pick == "quarter":
        quarters = [quarter_period(year, n) for year in range(current, current - 2, -1) for n in (4, 3, 2, 1)]
        return [q for q in quarters if q.start <= now]
    if pick == "fy":
        return [fiscal_year_period(year) for year in range(current, current - years, -1)]
    if pick == "eit":
        windows = [eit_window_period(year, eit_window) for year in range(current, current - years, -1)]
        return [w for w in windows if w.start <= now]
    return []


def calendar_month(args):
    """The month a range calendar shows (?cal=YYYY-MM, else this month) and the first day
    already tapped (?first=YYYY-MM-DD), both checked; bad values fall back quietly."""
    import calendar

    now = today()
    try:
        year, month = (int(part) for part in (args.get("cal") or "").split("-"))
        shown = month_period(year, month)
    except (ValueError, PeriodError):
        shown = month_period(now.year, now.month)
    try:
        first = dt.date.fromisoformat(args.get("first") or "")
        _check_year(first.year)
    except (ValueError, PeriodError):
        first = None
    weeks = calendar.Calendar(firstweekday=6).monthdatescalendar(shown.year, shown.number)
    before = shown.previous()
    after = month_period(shown.year + shown.number // 12, shown.number % 12 + 1)
    return {
        "month": shown,
        "weeks": [[day if day.month == shown.number else None for day in week] for week in weeks],
        "first": first,
        "previous": before,
        "next": after,
        "today": now,
    }


def range_of_taps(first, day):
    """The range two taps on the calendar make, whichever was tapped first."""
    return {"from": min(first, day).isoformat(), "to": max(first, day).isoformat()}
