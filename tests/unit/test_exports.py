"""Exports: CSV (UTF-8 BOM), Excel (openpyxl), JSON, public statistics; PDPA and injection safety."""

import csv
import io
import json
import re
import zipfile
from datetime import date

import openpyxl
import pytest

from kiosk.core.vocab import DEFAULT_EIT_QUOTA
from kiosk.reports import exports
from kiosk.reports.exports import (
    export_tables,
    load_comments,
    monthly_tallies,
    neutralize,
    public_statistics,
    public_statistics_csv,
    report_title,
    to_csv,
    to_json,
    to_xlsx,
)
from kiosk.reports.tallies import eit_pace, tallies
from kiosk.store.eventlog import EventLog
from tests.helpers.clock import FakeClock

STATION = "สถานีตำรวจภูธรจังหาญ"
PERIOD = "พฤศจิกายน 2569"
FROM, TO = date(2026, 11, 1), date(2026, 11, 30)

FORMULA = '=HYPERLINK("http://evil.example","คลิก")'
HTML = "<script>alert('x')</script> <b>ดีมาก</b>"
PLUS = "+ควรปรับปรุงที่จอดรถ"
AT = "@SUM(A1:A9)"
MINUS = "-1+1"
PLAIN = "เจ้าหน้าที่บริการดี ขอบคุณครับ"
COMMENT_TEXTS = (FORMULA, HTML, PLUS, AT, MINUS, PLAIN)


@pytest.fixture
def log(db):
    clock = FakeClock(0)
    log = EventLog(db, "kiosk-1", clock=clock)
    log.clock_ = clock
    return log


@pytest.fixture
def filled(db, log):
    """A month with answers on three local days, follow-ups, comments, flagged taps, referrals."""
    clock = log.clock_
    # 24 Nov 2026, 10:37:42 Bangkok (03:37:42 UTC): a full answer with a formula comment
    clock.at("2026-11-24T03:37:42Z")
    a1 = log.record_rating(5).answer_id
    clock.at("2026-11-24T03:37:47Z")
    assert log.record_rating(5).flagged  # 5 s after the last rating: a repeat, flagged
    clock.at("2026-11-24T03:38:10Z")
    log.amend(a1, unit="traffic", aspects={"staff": 5, "process": 4}, reasons=["polite_staff"], comment=FORMULA)
    clock.at("2026-11-24T04:12:05Z")  # 11:12 Bangkok
    a2 = log.record_rating(4).answer_id
    log.amend(a2, unit="investigation", aspects={"staff": 4}, reasons=["fast_service", "polite_staff"], comment=HTML)
    clock.at("2026-11-24T04:20:00Z")
    a3 = log.record_rating(2).answer_id
    log.amend(a3, unit="not_sure", reasons=["waited_too_long"], comment=PLUS)
    # 25 Nov, 23:05:31 Bangkok
    clock.at("2026-11-25T16:05:31Z")
    a4 = log.record_rating(3).answer_id
    log.amend(a4, comment=AT)
    # 26 Nov, 00:30:09 Bangkok (still 25 Nov in UTC)
    clock.at("2026-11-25T17:30:09Z")
    a5 = log.record_rating(5).answer_id
    log.amend(a5, unit="administration", comment=MINUS)
    clock.at("2026-11-25T17:45:00Z")
    a6 = log.record_rating(4).answer_id
    log.amend(a6, unit="traffic", comment=PLAIN)
    # referrals: traffic twice (the second a repeat), investigation, not sure
    clock.at("2026-11-24T05:00:00Z")
    log.record_referral("traffic")
    clock.at("2026-11-24T05:00:03Z")
    log.record_referral("traffic")
    clock.at("2026-11-24T05:10:00Z")
    log.record_referral("investigation")
    clock.at("2026-11-24T05:20:00Z")
    log.record_referral("not_sure")
    return tallies(db, FROM, TO)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def table(tables, key):
    (found,) = [t for t in tables if t.key == key]
    return found


def csv_sections(data):
    """{title: (headers, rows)} parsed back from to_csv's layout."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    sections, i = {}, 2  # skip the title line and its blank line
    while i < len(rows):
        title = rows[i][0]
        i += 1
        if rows[i] and len(rows[i]) == 1 and rows[i + 1] and len(rows[i + 1]) > 1:
            i += 1  # a note line
        headers = rows[i]
        i += 1
        body = []
        while i < len(rows) and rows[i]:
            body.append(rows[i])
            i += 1
        sections[title] = (headers, body)
        i += 1
    return rows, sections


# -- the figures themselves ------------------------------------------------------------------


def test_fixture_figures_are_what_the_log_says(filled):
    s, e = filled["satisfaction"], filled["eit"]
    assert s["total"] == 6 and s["raw"]["total"] == 7 and s["flagged"] == 1
    assert s["counts"] == {"1": 0, "2": 1, "3": 1, "4": 2, "5": 2}
    assert s["mean"] == 3.83 and s["band"] == "high" and s["percent_satisfied"] == 66.67
    assert s["by_day"]["2026-11-26"] == {"total": 2, "mean": 4.5}
    assert e["by_unit"]["traffic"] == 1 and e["raw"]["by_unit"]["traffic"] == 2 and e["not_sure"] == 1


def test_tables_need_no_app_context_and_come_out_in_thai(filled):
    tables = export_tables(filled, period_label=PERIOD, station_name=STATION)
    assert dict(table(tables, "summary").rows)["คะแนนเฉลี่ย"] == 3.83


def test_tables_in_thai_with_values_from_the_tallies(ctx, filled):
    tables = export_tables(filled, period_label=PERIOD, station_name=STATION)
    assert [t.key for t in tables] == ["summary", "levels", "aspects", "units", "days", "hours", "reasons", "eit"]
    summary = dict(table(tables, "summary").rows)
    assert summary["คะแนนเฉลี่ย"] == 3.83
    assert summary["ระดับความพึงพอใจ"] == "มาก"
    assert summary["ร้อยละผู้พึงพอใจ (ระดับ 4–5)"] == 66.67
    assert summary["จำนวนที่ถูกทำเครื่องหมาย (กดซ้ำ/กดถี่ ไม่นับ)"] == 1
    levels = table(tables, "levels")
    assert levels.rows[0] == (5, "พึงพอใจมากที่สุด", 2, 33.33, 3)
    assert levels.rows[-1][2] == 6
    units = {row[0]: row for row in table(tables, "units").rows}
    assert units["งานจราจร"][1:3] == (2, 4.5)
    assert units["ไม่แน่ใจ"][1] == 1
    assert units["ไม่ได้ระบุหน่วยงาน"][1] == 1  # the 23:05 answer gave only a comment
    days = table(tables, "days").rows
    assert days[23] == ("24 พ.ย. 2569", 3, 3.67, "2026-11-24")
    assert days[25] == ("26 พ.ย. 2569", 2, 4.5, "2026-11-26")
    hours = {row[0]: row[1] for row in table(tables, "hours").rows}
    assert hours["10.00–10.59 น."] == 1 and hours["23.00–23.59 น."] == 1 and hours["00.00–00.59 น."] == 2
    eit = table(tables, "eit")
    assert eit.headers[1] == "จำนวนการแนะนำแบบวัด EIT (แสดง QR)"
    traffic = [row for row in eit.rows if row[0] == "งานจราจร"][0]
    assert traffic[1:5] == (1, 60, 1.67, 1)  # 1 of 60, one repeat flagged
    assert eit.rows[-2][1:4] == (2, 300, 0.67) and eit.rows[-1][1] == 3
    assert "ITAS" in eit.note


def test_comments_only_when_asked(ctx, filled, log):
    comments = load_comments(log, FROM, TO)
    without = export_tables(filled, period_label=PERIOD, station_name=STATION, comments=comments)
    assert "comments" not in [t.key for t in without]
    assert FORMULA not in to_csv(without).decode("utf-8-sig")
    with_comments = export_tables(
        filled, period_label=PERIOD, station_name=STATION, include_comments=True, comments=comments
    )
    rows = table(with_comments, "comments").rows
    assert [row[4] for row in rows] == list(COMMENT_TEXTS)
    assert rows[0][:4] == ("24 พ.ย. 2569", "10.00–10.59 น.", 5, "พึงพอใจมากที่สุด")
    assert rows[4][:3] == ("26 พ.ย. 2569", "00.00–00.59 น.", 5)


def test_english_labels(ctx, filled):
    tables = export_tables(filled, period_label="November 2026", station_name="Changhan", lang="en")
    assert table(tables, "levels").rows[0][1] == "Very satisfied"
    assert table(tables, "days").rows[23][0] == "24 Nov 2026 (B.E. 2569)"
    assert table(tables, "hours").rows[10][0] == "10:00–10:59"


def test_eit_pace_columns(ctx, filled):
    pace = eit_pace(
        filled["eit"]["by_unit"], DEFAULT_EIT_QUOTA, date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 26)
    )
    eit = table(export_tables(filled, period_label=PERIOD, station_name=STATION, pace=pace), "eit")
    assert eit.headers[5:] == ("ยังขาด", "จำนวนวันที่เหลือ", "ต้องได้ต่อวัน", "สถานะ")
    traffic = [row for row in eit.rows if row[0] == "งานจราจร"][0]
    assert traffic[5:] == (59, 5, 11.8, "ช้ากว่าแผน")


# -- CSV -----------------------------------------------------------------------------------


def test_csv_has_bom_thai_headers_and_the_tallies(ctx, filled):
    tables = export_tables(filled, period_label=PERIOD, station_name=STATION)
    data = to_csv(tables, report_title(STATION, PERIOD))
    assert data.startswith(b"\xef\xbb\xbf")
    rows, sections = csv_sections(data)
    assert STATION in rows[0][0] and PERIOD in rows[0][0]
    headers, body = sections["ระดับความพึงพอใจ"]
    assert headers == ["ระดับคะแนน", "ความพึงพอใจ", "จำนวน", "ร้อยละ", "จำนวน (ข้อมูลดิบ)"]
    assert body[0] == ["5", "พึงพอใจมากที่สุด", "2", "33.33", "3"]
    headers, body = sections["รายวัน"]
    assert headers[0] == "วันที่" and body[23][:3] == ["24 พ.ย. 2569", "3", "3.67"]
    summary = {row[0]: row[1] for row in sections["สรุปผล"][1]}
    assert summary["คะแนนเฉลี่ย"] == "3.83" and summary["ระดับความพึงพอใจ"] == "มาก"
    assert sections["การแนะนำแบบวัด EIT"][0][1] == "จำนวนการแนะนำแบบวัด EIT (แสดง QR)"


def test_csv_neutralizes_formulas_and_keeps_html_literal(ctx, filled, log):
    tables = export_tables(
        filled, period_label=PERIOD, station_name=STATION, include_comments=True, comments=load_comments(log, FROM, TO)
    )
    _, sections = csv_sections(to_csv(tables, report_title(STATION, PERIOD)))
    texts = [row[4] for row in sections["ความคิดเห็น"][1]]
    assert texts == ["'" + FORMULA, HTML, "'" + PLUS, "'" + AT, "'" + MINUS, PLAIN]
    for text in texts:
        assert text[0] not in "=+-@\t\r"


@pytest.mark.parametrize(
    "text, safe",
    [
        ("=1+1", "'=1+1"),
        ("+66", "'+66"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1", "'  =1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("ดี=มาก", "ดี=มาก"),
        ("a-b", "a-b"),
        ("", ""),
    ],
)
def test_neutralize(text, safe):
    assert neutralize(text) == safe


# -- Excel ----------------------------------------------------------------------------------


def test_xlsx_sheets_headers_values_and_format(ctx, filled, log):
    tables = export_tables(
        filled, period_label=PERIOD, station_name=STATION, include_comments=True, comments=load_comments(log, FROM, TO)
    )
    title = report_title(STATION, PERIOD)
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(tables, title)))
    assert wb.sheetnames == [
        "สรุปผล",
        "ระดับความพึงพอใจ",
        "รายด้าน",
        "รายหน่วยงาน",
        "รายวัน",
        "รายชั่วโมง",
        "เหตุผลที่เลือก",
        "การแนะนำแบบวัด EIT",
        "ความคิดเห็น",
    ]
    ws = wb["ระดับความพึงพอใจ"]
    assert ws["A1"].value == title and STATION in ws["A1"].value and PERIOD in ws["A1"].value
    assert [c.value for c in ws[4]] == ["ระดับคะแนน", "ความพึงพอใจ", "จำนวน", "ร้อยละ", "จำนวน (ข้อมูลดิบ)"]
    assert ws["A4"].font.bold and ws["A4"].font.name == "TH Sarabun New" and ws["A4"].font.sz == 14
    assert ws.freeze_panes == "A5"
    assert [c.value for c in ws[5]] == [5, "พึงพอใจมากที่สุด", 2, pytest.approx(0.3333), 3]
    assert ws["D5"].number_format == "0.0%"
    assert ws["B5"].font.name == "TH Sarabun New"
    assert ws.column_dimensions["B"].width >= len("พึงพอใจมากที่สุด") - 6  # Thai marks take no width
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage

    summary = {row[0]: row[1] for row in wb["สรุปผล"].iter_rows(min_row=5, values_only=True)}
    assert summary["คะแนนเฉลี่ย"] == filled["satisfaction"]["mean"] == 3.83
    assert summary["จำนวนคำตอบที่นับ (ไม่รวมที่ถูกทำเครื่องหมาย)"] == 6
    assert summary["ร้อยละผู้พึงพอใจ (ระดับ 4–5)"] == pytest.approx(0.6667)
    mean_cell = [r for r in wb["สรุปผล"].iter_rows(min_row=5) if r[0].value == "คะแนนเฉลี่ย"][0][1]
    assert mean_cell.number_format == "0.00"

    days = wb["รายวัน"]
    row = [r for r in days.iter_rows(min_row=5, values_only=True) if r[3] == "2026-11-24"][0]
    assert row[:3] == ("24 พ.ย. 2569", 3, 3.67)
    assert wb["รายหน่วยงาน"].page_setup.orientation == "portrait"
    assert wb["รายด้าน"].page_setup.orientation == "landscape"  # 9 columns, too wide for portrait A4
    assert ws.page_setup.orientation == "portrait"
    eit = wb["การแนะนำแบบวัด EIT"]
    assert eit["A3"].value.startswith("นับครั้งที่ตู้แนะนำ")  # the note: referrals, not answers
    assert eit["B5"].value == "จำนวนการแนะนำแบบวัด EIT (แสดง QR)"
    traffic = [r for r in eit.iter_rows(min_row=6, values_only=True) if r[0] == "งานจราจร"][0]
    assert traffic[1:3] == (filled["eit"]["by_unit"]["traffic"], 60)


def test_xlsx_comment_cells_are_literal_text_never_formulas(ctx, filled, log):
    tables = export_tables(
        filled, period_label=PERIOD, station_name=STATION, include_comments=True, comments=load_comments(log, FROM, TO)
    )
    data = to_xlsx(tables, report_title(STATION, PERIOD))
    ws = openpyxl.load_workbook(io.BytesIO(data))["ความคิดเห็น"]
    cells = [r[4] for r in ws.iter_rows(min_row=6)]
    assert [c.value for c in cells] == list(COMMENT_TEXTS)
    assert all(c.data_type == "s" for c in cells)
    assert [bool(c.quotePrefix) for c in cells] == [True, False, True, True, True, False]
    assert cells[0].alignment.wrap_text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)


# -- PDPA: times to the hour --------------------------------------------------------------------


def test_exports_show_times_to_the_hour_only(ctx, filled, log):
    comments = load_comments(log, FROM, TO)
    tables = export_tables(filled, period_label=PERIOD, station_name=STATION, include_comments=True, comments=comments)
    csv_text = to_csv(tables).decode("utf-8-sig")
    json_text = to_json(
        filled, period_label=PERIOD, station_name=STATION, include_comments=True, comments=comments
    ).decode("utf-8")
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(tables, "t")))
    xlsx_text = "\n".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    for text in (csv_text, json_text, xlsx_text):
        # the stored times (10:37:42, 03:38:10, 23:05:31 ...) never show, in any form
        for leak in ("37:42", "37:47", "38:10", "05:31", "30:09", "10:37", "10.37", "23:05", "23.05", "T03:", "T16:"):
            assert leak not in text
        assert not re.search(r"\d{1,2}[:.]\d{2}[:.]\d{2}", text)
    assert "10.00–10.59 น." in csv_text and "23.00–23.59 น." in xlsx_text
    assert json.loads(json_text)["comment_texts"][0] == {"date": "2026-11-24", "hour": 10, "level": 5, "text": FORMULA}


# -- JSON ------------------------------------------------------------------------------------


def test_json_round_trips(filled):
    data = to_json(filled, period_label=PERIOD, station_name=STATION, generated_on=date(2026, 12, 1))
    doc = json.loads(data.decode("utf-8"))
    assert doc["tallies"] == filled
    assert doc["period"] == {"from": "2026-11-01", "to": "2026-11-30", "tz": "Asia/Bangkok", "label": PERIOD}
    assert doc["station"] == STATION and doc["generated_on"] == "2026-12-01" and doc["version"] == 1
    assert "comment_texts" not in doc
    assert STATION.encode("utf-8") in data  # Thai as text, not \u escapes


# -- public statistics ------------------------------------------------------------------------


def all_keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from all_keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_keys(item)


def test_public_statistics_figures_and_nothing_private(ctx, db, filled):
    public = public_statistics(
        filled,
        period_label=PERIOD,
        station_name=STATION,
        monthly=monthly_tallies(db, FROM, TO),
        generated_on=date(2026, 12, 1),
    )
    s, e = public["satisfaction"], public["eit"]
    assert s["total"] == 6 and s["flagged"] == 1 and s["mean"] == 3.83
    assert s["band"] == "high" and s["band_label"] == "มาก" and s["percent_satisfied"] == 66.67
    assert s["percent"]["5"] == 33.33 and s["counts"]["2"] == 1
    assert s["by_unit"]["traffic"] == {"label": "งานจราจร", "total": 2, "mean": 4.5}
    assert s["by_month"] == {
        "2026-11": {
            "label": "พฤศจิกายน 2569",
            "total": 6,
            "mean": 3.83,
            "band": "high",
            "band_label": "มาก",
            "percent_satisfied": 66.67,
        }
    }
    assert s["by_day"]["2026-11-24"] == {"label": "24 พ.ย. 2569", "total": 3, "mean": 3.67}
    assert e["by_unit"]["traffic"] == {"label": "งานจราจร", "referrals": 1, "quota": 60, "percent_of_quota": 1.67}
    assert e["units_total"] == {"referrals": 2, "quota": 300, "percent_of_quota": 0.67}

    keys = set(all_keys(public))
    assert not keys & {"comments", "comment_texts", "by_hour", "raw", "text", "answer_id"}
    text = json.dumps(public, ensure_ascii=False)
    for comment in COMMENT_TEXTS:
        assert comment not in text
    assert not re.search(r"\d{2}:\d{2}", text)  # no times at all


def test_public_months_without_monthly_figures_have_no_made_up_mean(ctx, filled):
    public = public_statistics(filled, period_label=PERIOD, station_name=STATION)
    assert public["satisfaction"]["by_month"]["2026-11"]["total"] == 6
    assert public["satisfaction"]["by_month"]["2026-11"]["mean"] is None


def test_public_csv(ctx, db, filled):
    public = public_statistics(filled, period_label=PERIOD, station_name=STATION, monthly=monthly_tallies(db, FROM, TO))
    data = public_statistics_csv(public)
    assert data.startswith(b"\xef\xbb\xbf")
    rows, sections = csv_sections(data)
    assert STATION in rows[0][0] and "ข้อมูลเปิด" in rows[0][0]
    assert sections["รายเดือน"][1] == [["พฤศจิกายน 2569", "6", "3.83", "มาก", "66.67"]]
    eit_rows = {row[0]: row for row in sections["การแนะนำแบบวัด EIT"][1]}
    assert eit_rows["งานสืบสวนสอบสวน"][1:4] == ["1", "105", "0.95"]
    assert "รายชั่วโมง" not in sections and "ความคิดเห็น" not in sections
    text = data.decode("utf-8-sig")
    for comment in COMMENT_TEXTS:
        assert comment not in text


def test_load_comments_respects_local_dates(log, filled):
    only_26th = load_comments(log, date(2026, 11, 26), date(2026, 11, 26))
    assert [c["text"] for c in only_26th] == [MINUS, PLAIN]  # 00:30 Bangkok is the 26th
    assert only_26th[0]["level"] == 5 and "answer_id" not in only_26th[0]
    assert exports.hour_label(0) == "00.00–00.59 น."
