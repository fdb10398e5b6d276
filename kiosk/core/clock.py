"""Time, in one place: the stored UTC format, Bangkok local time, the fiscal year.

Every time the program stores is UTC text in ONE format, `YYYY-MM-DDTHH:MM:SSZ` (to the
second): it sorts as text, so SQL compares it with `<` and `>=`. Earlier releases wrote
some columns as `...+00:00`; `parse_utc_iso` still reads that form, and a migration
rewrote the stored rows (kiosk.store.migrations).

Local time is Asia/Bangkok, UTC+7 all year (no DST): a fixed offset, so no tz database
is needed on the kiosk.
"""

import math
from datetime import date, datetime, time, timedelta, timezone

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")
UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now():
    """The current moment, an aware datetime in UTC."""
    return datetime.now(timezone.utc)


def utc_iso(moment_or_epoch):
    """'YYYY-MM-DDTHH:MM:SSZ' for an aware datetime or epoch seconds, truncated to the second."""
    if isinstance(moment_or_epoch, datetime):
        if moment_or_epoch.tzinfo is None:
            raise ValueError("a naive datetime has no known time zone")
        return moment_or_epoch.astimezone(timezone.utc).strftime(UTC_FORMAT)
    return datetime.fromtimestamp(math.floor(moment_or_epoch), tz=timezone.utc).strftime(UTC_FORMAT)


def utc_now_iso():
    """The current moment as stored: 'YYYY-MM-DDTHH:MM:SSZ'."""
    return utc_iso(utc_now())


def parse_utc_iso(text):
    """A stored time ('...Z', or the older '...+00:00') as an aware datetime in UTC."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment.astimezone(timezone.utc)


def to_local(at, tz=BANGKOK):
    """A stored UTC time (text or aware datetime) as an aware datetime in local time."""
    moment = parse_utc_iso(at) if isinstance(at, str) else at
    return moment.astimezone(tz)


def day_start_utc(day, tz=BANGKOK):
    """The stored UTC text of local midnight at the start of `day`."""
    return utc_iso(datetime.combine(day, time(0), tzinfo=tz))


def day_bounds_utc(first_day, last_day, tz=BANGKOK):
    """[start, end) in stored UTC text covering the local days first_day..last_day inclusive."""
    return day_start_utc(first_day, tz), day_start_utc(last_day + timedelta(days=1), tz)


def today_in_bangkok():
    """Today's date in Bangkok."""
    return datetime.now(BANGKOK).date()


def fiscal_year(day):
    """The Thai fiscal year (Gregorian number) that `day` falls in: it starts on 1 October."""
    if not isinstance(day, date):
        raise TypeError("day must be a datetime.date")
    return day.year + 1 if day.month >= 10 else day.year
