"""Dates for people: the Buddhist Era (Gregorian + 543), Thai month names, Thai digits."""

import re

BE_OFFSET = 543

MONTHS_TH = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_TH_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS_TH = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


_TIME_SPAN = re.compile(r"^(\d\d):(\d\d)\s*-\s*(\d\d):(\d\d)$")


def format_time_span(span, lang="th", dash="-"):
    """A clock span "08:00-16:00" as written in Thai official text, "08.00-16.00 น.", or
    in English "08:00-16:00"; any other text unchanged."""
    match = _TIME_SPAN.match(str(span).strip())
    if not match:
        return span
    h1, m1, h2, m2 = match.groups()
    if lang == "th":
        return f"{h1}.{m1}{dash}{h2}.{m2} น."
    return f"{h1}:{m1}{dash}{h2}:{m2}"


def be_year(day):
    return day.year + BE_OFFSET


def thai_digits(text):
    """Arabic digits written as Thai digits."""
    return str(text).translate(_THAI_DIGITS)


def format_date(day, lang="th", *, weekday=False, abbreviated=False, digits_th=False):
    """A date as people at the counter read it: 24 พฤศจิกายน 2569, or 24 November 2026 (B.E. 2569)."""
    if lang == "th":
        month = (MONTHS_TH_ABBR if abbreviated else MONTHS_TH)[day.month - 1]
        text = f"{day.day} {month} {be_year(day)}"
        if weekday:
            text = f"วัน{WEEKDAYS_TH[day.weekday()]}ที่ {text}"
        return thai_digits(text) if digits_th else text
    if lang != "en":
        # Myanmar, Khmer, Lao, Chinese: digits alone, read the same in every script.
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    month = MONTHS_EN[day.month - 1]
    if abbreviated:
        month = month[:3]
    text = f"{day.day} {month} {day.year} (B.E. {be_year(day)})"
    if weekday:
        text = f"{WEEKDAYS_EN[day.weekday()]} {text}"
    return text


def format_month(year, month, lang="th"):
    """A month with its year: พฤศจิกายน 2569, or November 2026 (B.E. 2569)."""
    if lang == "th":
        return f"{MONTHS_TH[month - 1]} {year + BE_OFFSET}"
    if lang != "en":
        return f"{month:02d}/{year}"
    return f"{MONTHS_EN[month - 1]} {year} (B.E. {year + BE_OFFSET})"
