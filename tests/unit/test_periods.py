"""Periods from the address: month, quarter, fiscal year, EIT window, a range; their labels in
the Buddhist Era, the period before and a year before; hostile input refused with a reason;
the comparisons in words; the PDF's Thai text extracts as written."""

import datetime as dt
import io

import pypdf
import pytest

from kiosk.reports import periods
from kiosk.reports.dashboard import comparisons, eit_window_of
from kiosk.reports.periods import PeriodError, period_from_args

D = dt.date


def test_a_fiscal_year_runs_october_to_september_and_is_named_in_the_buddhist_era():
    fy = period_from_args({"period": "fy-2026"})
    assert (fy.start, fy.end, fy.kind) == (D(2025, 10, 1), D(2026, 9, 30), "fy")
    assert fy.label("th") == "ปีงบประมาณ 2569"
    assert fy.label("en") == "Fiscal year 2026 (B.E. 2569)"
    assert fy.span_label("th") == "1 ต.ค. 2568 – 30 ก.ย. 2569"
    assert fy.query() == {"period": "fy-2026"}
    assert fy.previous() == fy.year_before() == periods.fiscal_year_period(2025)


@pytest.mark.parametrize(
    "number, start, end",
    [(1, D(2025, 10, 1), D(2025, 12, 31)), (2, D(2026, 1, 1), D(2026, 3, 31)), (4, D(2026, 7, 1), D(2026, 9, 30))],
)
def test_quarters_of_the_fiscal_year(number, start, end):
    quarter = period_from_args({"period": f"q-2026-{number}"})
    assert (quarter.start, quarter.end) == (start, end)
    assert quarter.label("th") == f"ไตรมาส {number} ปีงบประมาณ 2569"


def test_the_quarter_before_quarter_1_is_quarter_4_of_the_year_before():
    q1 = periods.quarter_period(2026, 1)
    assert q1.previous() == periods.quarter_period(2025, 4)
    assert q1.year_before() == periods.quarter_period(2025, 1)


def test_months_and_their_neighbours():
    january = period_from_args({"month": "2026-01"})
    assert january.label("th") == "มกราคม 2569"
    assert january.previous() == periods.month_period(2025, 12)
    assert january.year_before() == periods.month_period(2025, 1)
    assert period_from_args({"period": "m-2026-01"}) == january


def test_a_range_of_days_and_the_days_before_it():
    days = period_from_args({"from": "2026-03-10", "to": "2026-03-19"})
    assert days.kind == "range" and days.days == 10
    assert days.query() == {"from": "2026-03-10", "to": "2026-03-19"}
    assert (days.previous().start, days.previous().end) == (D(2026, 2, 28), D(2026, 3, 9))
    leap = periods.range_period(D(2024, 2, 29), D(2024, 3, 1)).year_before()
    assert (leap.start, leap.end) == (D(2023, 2, 28), D(2023, 3, 1))


def test_the_eit_window_follows_the_settings_moved_to_each_year(make_app):
    app = make_app({"eit": {"period_start": "2026-02-01", "period_end": "2026-07-31"}})
    window = eit_window_of(app.config["KIOSK"])
    eit = period_from_args({"period": "eit-2027"}, window)
    assert (eit.start, eit.end) == (D(2027, 2, 1), D(2027, 7, 31))
    assert eit.previous(window) == periods.eit_window_period(2026, window)
    default = period_from_args({"period": "eit-2026"})
    assert (default.start, default.end) == (D(2026, 1, 1), D(2026, 6, 30))


@pytest.mark.parametrize(
    "args, words",
    [
        ({"from": "2026-03-01", "to": "2026-01-01"}, "วันสุดท้าย (2026-01-01) อยู่ก่อนวันแรก"),
        ({"from": "2026-01-01"}, "ทั้งวันแรกและวันสุดท้าย"),
        ({"from": "1/1/2569", "to": "2026-01-02"}, "ปปปป-ดด-วว"),
        ({"from": "0001-01-01", "to": "0002-01-01"}, "2000-01-01 ถึง 2100-12-31"),
        ({"from": "2000-01-01", "to": "2100-01-01"}, "ไม่เกิน 9132 วัน"),
        ({"period": "fy-99999"}, "fy-ปปปป"),
        ({"period": "fy-1900"}, "2000-01-01 ถึง 2100-12-31"),
        ({"period": "q-2026-5"}, "ไตรมาส 1 ถึง 4"),
        ({"period": "q-2026-๑"}, "ไตรมาส 1 ถึง 4"),
        ({"period": "<script>"}, "period:"),
        ({"month": "2026-13"}, "month:"),
        ({"month": "9" * 400}, "month:"),
    ],
)
def test_hostile_periods_are_refused_with_the_reason_in_thai_and_english(args, words):
    with pytest.raises(PeriodError) as refused:
        period_from_args(args)
    assert words in refused.value.text("th")
    assert refused.value.text("en") in refused.value.both() and refused.value.text("th") in refused.value.both()


def test_the_picker_offers_the_current_fiscal_year_first(monkeypatch):
    monkeypatch.setattr(periods, "today", lambda: D(2026, 12, 1))
    assert [p.label("th") for p in periods.picker_choices("fy")][:2] == ["ปีงบประมาณ 2570", "ปีงบประมาณ 2569"]
    quarters = periods.picker_choices("quarter")
    assert quarters[0] == periods.quarter_period(2027, 1)  # begun; quarters to come are not offered
    assert periods.fiscal_year_months(2027)[0].label("th") == "ตุลาคม 2569"
    assert len(periods.fiscal_year_months(2027)) == 12


def test_the_calendar_takes_two_taps_in_either_order(monkeypatch):
    monkeypatch.setattr(periods, "today", lambda: D(2026, 12, 1))
    cal = periods.calendar_month({"cal": "2026-11", "first": "2026-11-20"})
    assert cal["first"] == D(2026, 11, 20) and cal["month"].label("th") == "พฤศจิกายน 2569"
    assert cal["weeks"][0][0] == D(2026, 11, 1)  # a Sunday: weeks start on Sunday, as Thai calendars do
    assert periods.range_of_taps(D(2026, 11, 20), D(2026, 11, 5)) == {"from": "2026-11-05", "to": "2026-11-20"}
    junk = periods.calendar_month({"cal": "x", "first": "9999-99-99"})
    assert junk["month"] == periods.month_period(2026, 12) and junk["first"] is None


def _figures(total, mean, percent, eit):
    return {"satisfaction": {"total": total, "mean": mean, "percent_satisfied": percent}, "eit": {"total": eit}}


def test_changes_are_said_in_words():
    month = periods.month_period(2026, 11)
    compared = comparisons(
        month, _figures(40, 4.1, 80.0, 5), _figures(38, 4.4, 80.0, 0), _figures(0, None, None, 2), "th"
    )
    assert compared["mean"][0]["words"] == "ลดลง 0.30 จากเดือนก่อน"
    assert compared["answers"][0]["words"] == "เพิ่มขึ้น 2 จากเดือนก่อน"
    assert compared["percent_satisfied"][0]["words"] == "เท่ากับเดือนก่อน"
    assert compared["mean"][1]["words"] == "ไม่มีข้อมูลของเดือนเดียวกันของปีก่อน"
    english = comparisons(
        month, _figures(40, 4.1, 80.0, 5), _figures(38, 4.4, 82.5, 0), _figures(0, None, None, 2), "en"
    )
    assert english["mean"][0]["words"] == "down 0.30 from the month before"
    assert english["percent_satisfied"][0]["words"] == "down 2.50 points from the month before"
    fy = comparisons(periods.fiscal_year_period(2026), *[_figures(1, 5.0, 100.0, 1)] * 3, "th")
    assert len(fy["answers"]) == 1  # the year before is the period before: said once


def test_the_pdf_text_extracts_as_written_marks_in_place():
    from kiosk.reports.pdf import ReportPDF

    words = "สถานีตำรวจภูธรจังหาร ผู้ที่ไม่แน่ใจ น้ำใจ ปั้นป้าย ฝั่งฟ้า ลดลง 0.30 จากเดือนก่อน ปีงบประมาณ 2569"
    pdf = ReportPDF()
    pdf.add_page()
    pdf.set_font("Sarabun", "", 14)
    pdf.cell(text=words)
    reader = pypdf.PdfReader(io.BytesIO(bytes(pdf.output())))
    assert reader.pages[0].extract_text().strip() == words
