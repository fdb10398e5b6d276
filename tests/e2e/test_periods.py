"""The admin picks the period a report answers for, in Chromium, on a real server with a
year and a half of answers: the fiscal year in two taps, a quarter, days on the calendar;
the Excel export and the PDF of the same choice; a bad range refused with its reason."""

import datetime as dt
import io
import json
import re
import urllib.request
from datetime import timezone

import openpyxl
import pypdf
import pytest
from playwright.sync_api import expect

from kiosk.core.clock import fiscal_year, today_in_bangkok
from kiosk.core.i18n import translate
from kiosk.core.thaidate import format_month
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.fake_log import fill_log
from tests.helpers.servers import LiveKiosk, station_settings

pytestmark = pytest.mark.e2e
TODAY = today_in_bangkok()
FY = fiscal_year(TODAY)  # Gregorian number; the pages say FY + 543
STATION = "สถานีตำรวจภูธรจังหาร"


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    data = tmp_path_factory.mktemp("periods") / "data"
    data.mkdir()
    # Follow-ups take no time in fill_log: answers end some 20% before `last`, never in the future.
    for seed, (first, last, events) in enumerate(
        ((dt.date(FY - 2, 7, 1), dt.date(FY - 1, 9, 1), 4000), (dt.date(FY - 1, 10, 1), TODAY, 1500))
    ):
        start, end = (dt.datetime.combine(day, dt.time(0), tzinfo=timezone.utc).timestamp() for day in (first, last))
        fill_log(data / "kiosk.db", "kiosk-1", events, start, end - start, seed=21 + seed)
    server = LiveKiosk(data, station_settings(data.parent))
    yield server
    server.stop()


def api_tallies(kiosk, start, end):
    request = urllib.request.Request(
        f"{kiosk.url}/api/v1/tallies?from={start}&to={end}",
        headers={"Authorization": "Bearer " + TEST_SECRETS["KIOSK_API_TOKEN"]},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def sign_in(page, kiosk):
    page.goto(kiosk.url + "/admin/login")
    page.fill("#password", TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(re.compile("/admin$"))


def kpi_value(page, index):
    return page.locator(".kpi .kpi-value").nth(index).inner_text()


def assert_figures_match_the_api(page, kiosk, start, end):
    api = api_tallies(kiosk, start, end)
    assert api["satisfaction"]["total"] > 0
    assert kpi_value(page, 0) == str(api["satisfaction"]["total"])
    assert kpi_value(page, 2) == f"{api['satisfaction']['mean']:.2f}"
    assert kpi_value(page, 3) == str(api["eit"]["total"])
    return api


def excel_totals(page, link_name="Excel"):
    with page.expect_download() as download:
        page.locator(".exports p").nth(1).get_by_role("link", name=link_name).click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    summary = {row[0]: row[1] for row in book["สรุปผล"].iter_rows(values_only=True) if row and row[0]}
    title = book["สรุปผล"]["A1"].value
    return title, summary


def check_excel(page, api, period_label):
    title, summary = excel_totals(page)
    assert STATION in title and period_label in title
    assert summary[translate("Answers counted (flagged left out)", "th")] == api["satisfaction"]["total"]
    assert summary[translate("EIT referrals (QR shown), all", "th")] == api["eit"]["total"]


def pdf_text(page, kiosk):
    href = page.get_by_role("link", name="PDF", exact=True).get_attribute("href")
    response = page.request.get(kiosk.url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.body()))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    return "\n".join(p.extract_text() for p in reader.pages)


def assert_clean_thai(text, *expected):
    assert not re.search(r"[\x00-\x08\x0b-\x1f\ufffd]", text), "a glyph extracts as a control code or a box"
    for words in expected:
        assert words in text


def test_the_fiscal_year_in_two_taps_with_the_year_before_and_the_months(page, kiosk):
    sign_in(page, kiosk)
    page.get_by_role("link", name="ปีงบประมาณ", exact=True).click()  # tap 1
    page.get_by_role("link", name=f"ปีงบประมาณ {FY + 543}", exact=True).click()  # tap 2
    page.wait_for_url(re.compile(rf"period=fy-{FY}"))
    expect(page.locator("h1")).to_contain_text(f"ปีงบประมาณ {FY + 543}")
    expect(page.locator(".period-span")).to_contain_text(f"1 ต.ค. {FY + 542} – 30 ก.ย. {FY + 543}")
    api = assert_figures_match_the_api(page, kiosk, f"{FY - 1}-10-01", f"{FY}-09-30")
    before = api_tallies(kiosk, f"{FY - 2}-10-01", f"{FY - 1}-09-30")["satisfaction"]["total"]
    change = api["satisfaction"]["total"] - before
    words = ("เพิ่มขึ้น" if change > 0 else "ลดลง") + f" {abs(change):,} จากปีงบประมาณก่อน"
    answers = page.locator(".kpi").first
    expect(answers.locator("[data-compare=previous]")).to_contain_text(f"ปีงบประมาณ {FY + 542}")
    expect(answers.locator("[data-compare=previous]")).to_contain_text(words)
    months = page.locator("#trend .trend-units thead th")
    expect(months.nth(1)).to_have_text(f"ต.ค. {str(FY + 542)[-2:]}")
    expect(months.nth(12)).to_have_text(f"ก.ย. {str(FY + 543)[-2:]}")
    expect(page.locator("#trend .quota")).to_have_count(1)  # the EIT quota line

    check_excel(page, api, f"ปีงบประมาณ {FY + 543}")
    text = pdf_text(page, kiosk)
    assert_clean_thai(
        text,
        STATION,
        f"ปีงบประมาณ {FY + 543}",
        f"1 ต.ค. {FY + 542} – 30 ก.ย. {FY + 543}",
        "คะแนนเฉลี่ย",
        "ร้อยละ",
        words,
    )


def test_a_quarter_works_the_same(page, kiosk):
    sign_in(page, kiosk)
    page.get_by_role("link", name="ไตรมาส", exact=True).click()
    page.get_by_role("link", name=f"ไตรมาส 1 ปีงบประมาณ {FY + 543}").click()
    page.wait_for_url(re.compile(rf"period=q-{FY}-1"))
    api = assert_figures_match_the_api(page, kiosk, f"{FY - 1}-10-01", f"{FY - 1}-12-31")
    expect(page.locator(".kpi").first.locator("[data-compare=year_before]")).to_contain_text(
        f"ไตรมาส 1 ปีงบประมาณ {FY + 542}"
    )
    check_excel(page, api, f"ไตรมาส 1 ปีงบประมาณ {FY + 543}")
    assert_clean_thai(pdf_text(page, kiosk), STATION, f"ไตรมาส 1 ปีงบประมาณ {FY + 543}", f"1 ต.ค. {FY + 542}")


def test_days_chosen_on_the_calendar_work_the_same(page, kiosk):
    sign_in(page, kiosk)
    page.get_by_role("link", name="เลือกช่วงวันที่").click()
    shown = TODAY.replace(day=1) - dt.timedelta(days=1)  # the month before this one
    page.locator(".cal-head a").first.click()
    # The whole month's title: its year alone is often this month's too, and a day tapped
    # before the swap lands on the calendar being replaced.
    expect(page.locator(".cal-head strong")).to_have_text(format_month(shown.year, shown.month))
    first, last = shown.replace(day=5), shown.replace(day=20)
    page.locator(".cal-day", has_text=re.compile(r"^20$")).click()  # either order works
    expect(page.locator(".cal-hint")).to_contain_text("20")
    page.locator(".cal-day", has_text=re.compile(r"^5$")).click()
    page.wait_for_url(re.compile(rf"from={first}&to={last}"))
    api = assert_figures_match_the_api(page, kiosk, first, last)
    label = f"5 {page.locator('.period-span').inner_text().split()[1]}"
    expect(page.locator("h1")).to_contain_text(label)
    check_excel(page, api, label)
    assert_clean_thai(pdf_text(page, kiosk), STATION, label)


def test_a_bad_range_is_refused_with_the_reason(page, kiosk):
    sign_in(page, kiosk)
    response = page.goto(kiosk.url + f"/admin?from={FY}-03-01&to={FY}-01-01")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("วันสุดท้าย")
    expect(page.get_by_role("alert")).to_contain_text("is before the first day")
    export = page.request.get(kiosk.url + f"/admin/export/report.xlsx?from={FY}-03-01&to={FY}-01-01")
    assert export.status == 400 and "วันสุดท้าย" in export.text()
    pdf = page.request.get(kiosk.url + "/admin/report.pdf?period=fy-12345")
    assert pdf.status == 400
