import datetime as dt

from kiosk.core.thaidate import format_date, format_month, thai_digits


def test_thai_dates_use_the_buddhist_era():
    assert format_date(dt.date(2026, 11, 24), "th") == "24 พฤศจิกายน 2569"
    assert format_date(dt.date(2026, 11, 24), "th", weekday=True) == "วันอังคารที่ 24 พฤศจิกายน 2569"
    assert format_date(dt.date(2025, 1, 1), "th", abbreviated=True) == "1 ม.ค. 2568"


def test_english_dates_show_both_eras():
    assert format_date(dt.date(2026, 11, 24), "en") == "24 November 2026 (B.E. 2569)"


def test_thai_digits_are_a_choice():
    assert format_date(dt.date(2025, 10, 1), "th", digits_th=True) == "๑ ตุลาคม ๒๕๖๘"
    assert thai_digits("1599") == "๑๕๙๙"


def test_month_names():
    assert format_month(2024, 10, "th") == "ตุลาคม 2567"
    assert format_month(2024, 10, "en") == "October 2024 (B.E. 2567)"
