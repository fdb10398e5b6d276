"""What every export format shares: the labels (from the message catalogue), the table
shape, the typed values (means, percents) and the time labels (days, hours, titles)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kiosk.core.clock import to_local
from kiosk.core.i18n import LANGUAGES, Label
from kiosk.core.thaidate import format_date
from kiosk.core.vocab import BAND_LABELS

FORMAT_VERSION = 1

# The exports' own wording, as msgids of the one catalogue. A figure the screens show too
# uses the screens' msgid, so that it has one name everywhere (e.g. "Mean score").
LABELS = {
    # table titles (also the sheet names: at most 31 characters, none of []:*?/\)
    "summary": Label("Summary"),
    "levels": Label("Satisfaction levels"),
    "aspects": Label("Aspects"),
    "units": Label("By unit"),
    "days": Label("By day"),
    "hours": Label("By hour of day"),
    "reasons": Label("Reasons chosen"),
    "eit": Label("EIT referrals"),
    "comments": Label("Comments"),
    "months": Label("By month"),
    # summary items
    "item": Label("Item"),
    "value": Label("Value"),
    "counted": Label("Answers counted (flagged left out)"),
    "raw_total": Label("All answers (raw)"),
    "flagged": Label("Flagged (repeats or bursts, not counted)"),
    "mean": Label("Mean score"),
    "raw_mean": Label("Mean score (raw)"),
    "band": Label("Satisfaction level"),
    "percent_satisfied": Label("Percent satisfied (levels 4-5)"),
    "with_comment": Label("Answers with a comment"),
    "eit_total": Label("EIT referrals (QR shown), all"),
    # column headers
    "level": Label("Level"),
    "level_label": Label("Satisfaction", "the level an answer gave"),
    "count": Label("Count"),
    "percent": Label("Percent"),
    "raw_count": Label("Count (raw)"),
    "aspect": Label("Aspect"),
    "unit": Label("Unit"),
    "answers": Label("Answers"),
    "date_be": Label("Date"),
    "date_iso": Label("Date (ISO)"),
    "hour": Label("Hour"),
    "reason": Label("Reason"),
    "reason_kind": Label("Kind"),
    "positive": Label("positive"),
    "negative": Label("to improve"),
    "times_chosen": Label("Times chosen"),
    "referrals": Label("EIT referrals (QR shown)"),
    "quota": Label("Quota"),
    "percent_of_quota": Label("Percent of quota"),
    "flagged_referrals": Label("Flagged (not counted)"),
    "remaining": Label("Remaining"),
    "days_left": Label("Days left"),
    "needed_per_day": Label("Needed per day"),
    "pace": Label("Pace"),
    "behind": Label("Behind pace"),
    "on_pace": Label("On pace"),
    "time": Label("Time (to the hour)"),
    "comment": Label("Comment"),
    "month": Label("Month"),
    # rows
    "total": Label("Total"),
    "units_total": Label("Total of the 4 units"),
    "all_total": Label("Grand total (with not sure)"),
    "no_unit": Label("Unit not given"),
    # notes
    "eit_note": Label("Counts the times the kiosk referred to the EIT (QR shown), not answers in NACC's ITAS."),
    "units_note": Label("The unit as the citizen chose it (optional follow-up)."),
    "comments_note": Label("Personal data (PDPA): internal use only, never published; times to the hour."),
    "hour_range": Label("%(first)s–%(last)s"),
    "report": Label("Satisfaction and EIT referral report"),
    "public_report": Label("Service satisfaction statistics (open data)"),
}


# -- values with a display format (floats: JSON, CSV and equality see plain numbers) -------


class Mean(float):
    """A mean score (Excel format 0.00)."""


class Percent(float):
    """A percent on the 0-100 scale, as in the tallies (Excel: value/100, format 0.0%)."""


@dataclass(frozen=True)
class Table:
    """One table of an export: a CSV section, an Excel sheet."""

    key: str  # stable identifier: summary, levels, aspects, units, days, hours, reasons, eit, comments
    title: str  # in the export's language; the sheet name in Excel
    headers: tuple
    rows: tuple  # tuples of str, int, Mean, Percent or None (empty)
    note: str | None = None
    total_rows: int = 0  # the last n rows are totals (bold)
    wrap_columns: tuple = field(default=())  # column indexes of long free text


# -- labels and values -----------------------------------------------------------------------


def text(key, lang):
    """The export label `key` (see LABELS) in `lang`."""
    return LABELS[key].in_language(lang)


def check_lang(lang):
    """Refuse a language the catalogue does not have."""
    if lang not in LANGUAGES:
        raise ValueError("lang must be 'th' or 'en'")


def mean_value(value):
    """A tallies mean as a Mean (None stays empty)."""
    return None if value is None else Mean(value)


def percent_value(value):
    """A tallies percent as a Percent (None stays empty)."""
    return None if value is None else Percent(value)


def percent_of(part, whole):
    """part/whole in percent, rounded half-up to 2 places (as the tallies round); None if whole is 0."""
    if not whole:
        return None
    return Percent(float((Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)))


def band_label(key, lang):
    """The Thai interpretation of a mean (tallies.band_for's key) in `lang`; None without a band."""
    return BAND_LABELS[key].in_language(lang) if key else None


def hour_label(hour, lang="th"):
    """The hour of day as a range, never a minute: 10.00–10.59 น. (Thai), 10:00–10:59 (English)."""
    sep = "." if lang == "th" else ":"
    return LABELS["hour_range"].in_language(lang, first=f"{hour:02d}{sep}00", last=f"{hour:02d}{sep}59")


def day_label(iso, lang):
    """An ISO date as the reports write it (Buddhist Era in Thai)."""
    return format_date(date.fromisoformat(iso), lang, abbreviated=True)


def local_hour(at_utc, tz):
    """(local date, hour) of a UTC ISO time: the finest time any export shows."""
    moment = to_local(at_utc, tz)
    return moment.date(), moment.hour


def report_title(station_name, period_label, lang="th", public=False):
    """The heading line of an export: report name, station, period."""
    name = text("public_report" if public else "report", lang)
    return f"{name} · {station_name} · {period_label}"
