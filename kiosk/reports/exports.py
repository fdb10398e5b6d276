"""Exports of the tallies for the admin (CSV, Excel, JSON) and public statistics for OIT.

Pure functions, no routes. The input is the dict that kiosk.reports.tallies.tallies() returns.

    tables = export_tables(figures, period_label="พฤศจิกายน 2569", station_name="สภ.จังหาญ")
    to_csv(tables, title)    -> bytes  (UTF-8 with BOM, one file, tables one after another)
    to_xlsx(tables, title)   -> bytes  (a sheet per table, formatted for the monthly report)
    to_json(figures, ...)    -> bytes  (the tallies as they are, plus period metadata)
    public_statistics(figures, ...) -> dict; public_statistics_csv(public) -> bytes

Labels (levels, units, aspects, reasons, bands) are lazy gettext strings from
kiosk.core.vocab: call these functions inside a Flask app context (a request, or
`with app.app_context():`); they are rendered with flask_babel.force_locale(lang).
Without an app context they would silently come out in English, so that raises.

PDPA and safety:
- comments appear only in the admin tables and JSON, only with include_comments=True,
  and then only with the date and the hour ("10.00–10.59 น."), never minutes or seconds;
  public_statistics never carries comments (not even their count), hours or flag detail
  beyond counts;
- text cells are neutralized against CSV/Excel formula injection when written: in CSV
  a cell starting (after blanks) with = + - @ (or their full-width forms), a tab or a
  CR/LF gets a leading apostrophe (the OWASP advice); in XLSX the cell is written as a
  literal string (never a formula) with Excel's "quote prefix" style, so the text is kept
  exactly as typed and Excel never evaluates it;
- no format here is HTML: markup in comments stays literal characters; whoever shows
  them on a page escapes them (Jinja autoescape does).

Units of the numbers: table rows hold the tallies' own values (counts; means rounded to 2
places; percents as 0-100 numbers, as in the tallies). In Excel, percents are written
as fractions (75.0 -> 0.75) with the format 0.0%, means with 0.00.
"""

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from flask import has_app_context
from flask_babel import force_locale

from kiosk.core.thaidate import format_date, format_month
from kiosk.core.vocab import (
    ASPECT_LABELS,
    ASPECTS,
    BAND_LABELS,
    LEVEL_LABELS,
    LEVELS,
    REASON_LABELS,
    REASONS,
    REASONS_POSITIVE,
    UNIT_CHOICE_LABELS,
    UNIT_NOT_SURE,
    UNITS,
)
from kiosk.reports.tallies import BANGKOK, band_for, tallies

FORMAT_VERSION = 1
FONT_NAME = "TH Sarabun New"  # what Thai offices use; Excel falls back if it is missing
FONT_SIZE = 14

# Labels that are not in kiosk.core.vocab (export-only wording), Thai and English.
_TEXT = {
    # table titles (also the sheet names: at most 31 characters, none of []:*?/\)
    "summary": ("สรุปผล", "Summary"),
    "levels": ("ระดับความพึงพอใจ", "Satisfaction levels"),
    "aspects": ("รายด้าน", "Aspects"),
    "units": ("รายหน่วยงาน", "By unit"),
    "days": ("รายวัน", "By day"),
    "hours": ("รายชั่วโมง", "By hour of day"),
    "reasons": ("เหตุผลที่เลือก", "Reasons"),
    "eit": ("การแนะนำแบบวัด EIT", "EIT referrals"),
    "comments": ("ความคิดเห็น", "Comments"),
    "months": ("รายเดือน", "By month"),
    # summary items
    "item": ("รายการ", "Item"),
    "value": ("ค่า", "Value"),
    "counted": ("จำนวนคำตอบที่นับ (ไม่รวมที่ถูกทำเครื่องหมาย)", "Answers counted (flagged left out)"),
    "raw_total": ("จำนวนคำตอบทั้งหมด (ข้อมูลดิบ)", "All answers (raw)"),
    "flagged": ("จำนวนที่ถูกทำเครื่องหมาย (กดซ้ำ/กดถี่ ไม่นับ)", "Flagged (repeats or bursts, not counted)"),
    "mean": ("คะแนนเฉลี่ย", "Mean score"),
    "raw_mean": ("คะแนนเฉลี่ย (ข้อมูลดิบ)", "Mean score (raw)"),
    "band": ("ระดับความพึงพอใจ", "Satisfaction band"),
    "percent_satisfied": ("ร้อยละผู้พึงพอใจ (ระดับ 4–5)", "Percent satisfied (levels 4-5)"),
    "with_comment": ("จำนวนคำตอบที่มีความคิดเห็น", "Answers with a comment"),
    "eit_total": ("จำนวนการแนะนำแบบวัด EIT (แสดง QR) ทั้งหมด", "EIT referrals (QR shown), all"),
    # column headers
    "level": ("ระดับคะแนน", "Level"),
    "level_label": ("ความพึงพอใจ", "Satisfaction"),
    "count": ("จำนวน", "Count"),
    "percent": ("ร้อยละ", "Percent"),
    "raw_count": ("จำนวน (ข้อมูลดิบ)", "Count (raw)"),
    "aspect": ("ด้าน", "Aspect"),
    "respondents": ("จำนวนผู้ตอบ", "Answers"),
    "unit": ("หน่วยงาน", "Unit"),
    "answers": ("จำนวนคำตอบ", "Answers"),
    "date_be": ("วันที่", "Date"),
    "date_iso": ("วันที่ (ค.ศ. ISO)", "Date (ISO)"),
    "hour": ("ช่วงเวลา", "Hour"),
    "reason": ("เหตุผล", "Reason"),
    "reason_kind": ("ประเภท", "Kind"),
    "positive": ("ด้านบวก", "positive"),
    "negative": ("ด้านที่ควรปรับปรุง", "to improve"),
    "times_chosen": ("จำนวนครั้งที่ถูกเลือก", "Times chosen"),
    "referrals": ("จำนวนการแนะนำแบบวัด EIT (แสดง QR)", "EIT referrals (QR shown)"),
    "quota": ("เป้าหมาย (โควตา)", "Quota"),
    "percent_of_quota": ("ร้อยละของเป้าหมาย", "Percent of quota"),
    "flagged_referrals": ("ถูกทำเครื่องหมาย (ไม่นับ)", "Flagged (not counted)"),
    "remaining": ("ยังขาด", "Remaining"),
    "days_left": ("จำนวนวันที่เหลือ", "Days left"),
    "needed_per_day": ("ต้องได้ต่อวัน", "Needed per day"),
    "pace": ("สถานะ", "Pace"),
    "behind": ("ช้ากว่าแผน", "behind"),
    "on_pace": ("ตามแผน", "on pace"),
    "time": ("เวลา (ถึงชั่วโมง)", "Time (to the hour)"),
    "rating": ("คะแนน", "Rating"),
    "comment": ("ข้อความ", "Comment"),
    "month": ("เดือน", "Month"),
    # rows
    "total": ("รวม", "Total"),
    "units_total": ("รวม 4 หน่วยงาน", "Total of the 4 units"),
    "all_total": ("รวมทั้งหมด (รวมไม่แน่ใจ)", "Grand total (with not sure)"),
    "no_unit": ("ไม่ได้ระบุหน่วยงาน", "Unit not given"),
    # notes
    "eit_note": (
        "นับครั้งที่ตู้แนะนำแบบวัด EIT (แสดง QR) ไม่ใช่จำนวนผู้ตอบแบบวัดในระบบ ITAS ของ ป.ป.ช.",
        "Counts the times the kiosk referred to the EIT (QR shown), not answers in NACC's ITAS.",
    ),
    "units_note": (
        "หน่วยงานตามที่ผู้ตอบเลือกเอง (ไม่บังคับตอบ)",
        "The unit as the citizen chose it (optional follow-up).",
    ),
    "comments_note": (
        "ข้อมูลส่วนบุคคล (PDPA): ใช้ภายในเท่านั้น ห้ามเผยแพร่ เวลาแสดงถึงระดับชั่วโมง",
        "Personal data (PDPA): internal use only, never published; times to the hour.",
    ),
    "hour_suffix": (" น.", ""),
    "report": ("รายงานผลความพึงพอใจและการแนะนำแบบวัด EIT", "Satisfaction and EIT referral report"),
    "public_report": ("สถิติความพึงพอใจการให้บริการ (ข้อมูลเปิด)", "Service satisfaction statistics (open data)"),
}

_CSV_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")  # full-width = + - @ too
_BLANKS = " \u00a0\u3000"


# -- values with a display format (floats: JSON, CSV and equality see plain numbers) -------


class Mean(float):
    """A mean score (Excel format 0.00)."""


class Percent(float):
    """A percent on the 0-100 scale, as in the tallies (Excel: value/100, format 0.0%)."""


@dataclass(frozen=True)
class Table:
    key: str  # stable identifier: summary, levels, aspects, units, days, hours, reasons, eit, comments
    title: str  # in the export's language; the sheet name in Excel
    headers: tuple
    rows: tuple  # tuples of str, int, Mean, Percent or None (empty)
    note: str | None = None
    total_rows: int = 0  # the last n rows are totals (bold)
    wrap_columns: tuple = field(default=())  # column indexes of long free text


# -- helpers -------------------------------------------------------------------------------


def _t(key, lang):
    th, en = _TEXT[key]
    return th if lang == "th" else en


def _check_lang(lang):
    if lang not in ("th", "en"):
        raise ValueError("lang must be 'th' or 'en'")
    if not has_app_context():
        raise RuntimeError(
            "kiosk.reports.exports needs a Flask app context to render the Thai labels "
            "(use it in a request or inside `with app.app_context():`)"
        )


def _label(lazy, lang):
    with force_locale(lang):
        return str(lazy)


def _mean(value):
    return None if value is None else Mean(value)


def _percent(value):
    return None if value is None else Percent(value)


def _pct(part, whole):
    """part/whole in percent, rounded half-up to 2 places (as the tallies round); None if whole is 0."""
    if not whole:
        return None
    return Percent(float((Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)))


def _band(key, lang):
    return _label(BAND_LABELS[key], lang) if key else None


def hour_label(hour, lang="th"):
    """The hour of day as a range, never a minute: 10.00–10.59 น. (Thai), 10:00–10:59 (English)."""
    sep = "." if lang == "th" else ":"
    return f"{hour:02d}{sep}00–{hour:02d}{sep}59{_t('hour_suffix', lang)}"


def _day_label(iso, lang):
    return format_date(date.fromisoformat(iso), lang, abbreviated=True)


def _utc_bound(day, tz):
    local = datetime(day.year, day.month, day.day, tzinfo=tz)
    return local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local_hour(at_utc, tz):
    """(local date, hour) of a UTC ISO time: the finest time any export shows."""
    moment = datetime.fromisoformat(at_utc.replace("Z", "+00:00")).astimezone(tz)
    return moment.date(), moment.hour


def report_title(station_name, period_label, lang="th", public=False):
    """The heading line of an export: report name, station, period."""
    name = _t("public_report" if public else "report", lang)
    return f"{name} · {station_name} · {period_label}"


# -- comments -----------------------------------------------------------------------------


def load_comments(log, date_from=None, date_to=None, tz=BANGKOK):
    """The comments written in [date_from, date_to] (local dates, inclusive), with their rating.

    `log` is a kiosk.store.eventlog.EventLog. Each item: {"at" (UTC ISO, as stored), "text",
    "masked", "level" (the answer's rating, None if not found), "flagged"}. The answer id
    is dropped: exports do not need it. The time is cut to the hour by the exports."""
    start = _utc_bound(date_from, tz) if date_from else None
    end = _utc_bound(date_to + timedelta(days=1), tz) if date_to else None
    items = log.comments(start, end)
    ratings = {}
    ids = [item["answer_id"] for item in items]
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for answer_id, level, flagged in log.conn.execute(
            "SELECT json_extract(payload, '$.answer_id'), json_extract(payload, '$.level'), flagged"
            f" FROM events WHERE kind = 'rating' AND json_extract(payload, '$.answer_id') IN ({marks})",
            chunk,
        ):
            ratings[answer_id] = (level, bool(flagged))
    result = []
    for item in items:
        level, flagged = ratings.get(item["answer_id"], (None, False))
        result.append(
            {"at": item["at"], "text": item["text"], "masked": item["masked"], "level": level, "flagged": flagged}
        )
    return result


def _comment_rows(comments, lang, tz):
    rows = []
    for item in comments or ():
        day, hour = _local_hour(item["at"], tz)
        level = item.get("level")
        level_label = _label(LEVEL_LABELS[level], lang) if level in LEVEL_LABELS else None
        rows.append(
            (format_date(day, lang, abbreviated=True), hour_label(hour, lang), level, level_label, item["text"])
        )
    return tuple(rows)


def _comments_json(comments, tz):
    out = []
    for item in comments or ():
        day, hour = _local_hour(item["at"], tz)
        out.append({"date": day.isoformat(), "hour": hour, "level": item.get("level"), "text": item["text"]})
    return out


# -- the admin tables ---------------------------------------------------------------------


def export_tables(
    figures,
    *,
    period_label,
    station_name,
    include_comments=False,
    comments=None,
    lang="th",
    pace=None,
    tz=BANGKOK,
    band_interval=0.8,
):
    """The tables of a tallies() dict, in report order.

    Keys: summary, levels, aspects, units, days, hours, reasons, eit, and comments (only
    with include_comments=True; `comments` from load_comments(), dicts with "at" (UTC ISO),
    "text" and "level"). `pace` is an optional kiosk.reports.tallies.eit_pace() result: the EIT
    table then also shows what remains, the days left, the pace needed and who is behind.
    period_label and station_name are not used in the rows (they go in the title: see
    report_title); they are required so that no export is made without them.
    band_interval: as given to tallies() (aspect and unit bands are computed here)."""
    _check_lang(lang)
    if not period_label or not station_name:
        raise ValueError("period_label and station_name are required")
    s, e = figures["satisfaction"], figures["eit"]
    t = lambda key: _t(key, lang)  # noqa: E731
    tables = []

    # summary
    tables.append(
        Table(
            "summary",
            t("summary"),
            (t("item"), t("value")),
            (
                (t("counted"), s["total"]),
                (t("raw_total"), s["raw"]["total"]),
                (t("flagged"), s["flagged"]),
                (t("mean"), _mean(s["mean"])),
                (t("band"), _band(s["band"], lang)),
                (t("percent_satisfied"), _percent(s["percent_satisfied"])),
                (t("raw_mean"), _mean(s["raw"]["mean"])),
                (t("with_comment"), s["comments"]),
                (t("eit_total"), e["total"]),
            ),
        )
    )

    # levels, best first
    rows = tuple(
        (
            level,
            _label(LEVEL_LABELS[level], lang),
            s["counts"][str(level)],
            _pct(s["counts"][str(level)], s["total"]),
            s["raw"]["counts"][str(level)],
        )
        for level in LEVELS
    ) + ((t("total"), None, s["total"], _pct(s["total"], s["total"]), s["raw"]["total"]),)
    tables.append(
        Table(
            "levels",
            t("levels"),
            (t("level"), t("level_label"), t("count"), t("percent"), t("raw_count")),
            rows,
            total_rows=1,
        )
    )

    # aspects: counts best first
    level_headers = tuple(
        f"{_label(BAND_LABELS[key], lang)} ({level})"
        for key, level in zip(("highest", "high", "moderate", "low", "lowest"), LEVELS, strict=True)
    )
    rows = []
    for aspect in ASPECTS:
        a = s["aspects"][aspect]
        band = _band(band_for(a["mean"], band_interval), lang)
        rows.append(
            (
                _label(ASPECT_LABELS[aspect], lang),
                a["total"],
                _mean(a["mean"]),
                band,
                *(a["counts"][str(level)] for level in LEVELS),
            )
        )
    tables.append(
        Table(
            "aspects",
            t("aspects"),
            (t("aspect"), t("respondents"), t("mean"), t("band"), *level_headers),
            tuple(rows),
        )
    )

    # units, then "not sure" and the answers that did not say
    rows = []
    for unit in UNITS + (UNIT_NOT_SURE,):
        u = s["by_unit"][unit]
        band = _band(band_for(u["mean"], band_interval), lang)
        rows.append((_label(UNIT_CHOICE_LABELS[unit], lang), u["total"], _mean(u["mean"]), band))
    said = sum(u["total"] for u in s["by_unit"].values())
    rows.append((t("no_unit"), s["total"] - said, None, None))
    rows.append((t("total"), s["total"], _mean(s["mean"]), _band(s["band"], lang)))
    tables.append(
        Table(
            "units",
            t("units"),
            (t("unit"), t("answers"), t("mean"), t("band")),
            tuple(rows),
            note=t("units_note"),
            total_rows=1,
        )
    )

    # days (Buddhist Era), hours
    tables.append(
        Table(
            "days",
            t("days"),
            (t("date_be"), t("answers"), t("mean"), t("date_iso")),
            tuple((_day_label(iso, lang), d["total"], _mean(d["mean"]), iso) for iso, d in s["by_day"].items()),
        )
    )
    tables.append(
        Table(
            "hours",
            t("hours"),
            (t("hour"), t("answers"), t("percent")),
            tuple(
                (hour_label(h, lang), s["by_hour"][str(h)], _pct(s["by_hour"][str(h)], s["total"])) for h in range(24)
            ),
        )
    )

    # reasons
    tables.append(
        Table(
            "reasons",
            t("reasons"),
            (t("reason"), t("reason_kind"), t("times_chosen"), t("percent")),
            tuple(
                (
                    _label(REASON_LABELS[key], lang),
                    t("positive" if key in REASONS_POSITIVE else "negative"),
                    s["reasons"].get(key, 0),
                    _pct(s["reasons"].get(key, 0), s["total"]),
                )
                for key in REASONS
            ),
        )
    )

    # EIT referrals against the quota
    headers = [t("unit"), t("referrals"), t("quota"), t("percent_of_quota"), t("flagged_referrals")]
    if pace:
        headers += [t("remaining"), t("days_left"), t("needed_per_day"), t("pace")]

    def pace_cells(key):
        if not pace:
            return ()
        p = pace[key]
        per_day = None if p["needed_per_day"] is None else Mean(p["needed_per_day"])
        return (p["remaining"], p["days_left"], per_day, t("behind" if p["behind"] else "on_pace"))

    no_pace = (None, None, None, None) if pace else ()
    raw = e["raw"]
    rows = [
        (
            _label(UNIT_CHOICE_LABELS[unit], lang),
            e["by_unit"][unit],
            e["quota"][unit],
            _pct(e["by_unit"][unit], e["quota"][unit]),
            raw["by_unit"][unit] - e["by_unit"][unit],
            *pace_cells(unit),
        )
        for unit in UNITS
    ]
    rows.append(
        (
            _label(UNIT_CHOICE_LABELS[UNIT_NOT_SURE], lang),
            e["not_sure"],
            None,
            None,
            raw["not_sure"] - e["not_sure"],
            *no_pace,
        )
    )
    units_done = sum(e["by_unit"].values())
    units_quota = sum(e["quota"].values())
    units_raw = sum(raw["by_unit"].values())
    rows.append(
        (
            t("units_total"),
            units_done,
            units_quota,
            _pct(units_done, units_quota),
            units_raw - units_done,
            *pace_cells("total"),
        )
    )
    rows.append((t("all_total"), e["total"], None, None, e["flagged"], *no_pace))
    tables.append(Table("eit", t("eit"), tuple(headers), tuple(rows), note=t("eit_note"), total_rows=2))

    if include_comments:
        tables.append(
            Table(
                "comments",
                t("comments"),
                (t("date_be"), t("time"), t("rating"), t("level_label"), t("comment")),
                _comment_rows(comments, lang, tz),
                note=t("comments_note"),
                wrap_columns=(4,),
            )
        )
    return tables


# -- CSV ------------------------------------------------------------------------------------


def neutralize(text):
    """A text cell made safe for a spreadsheet (CSV): a leading apostrophe when it could
    start a formula (= + - @, full-width forms, tab, CR, LF, also after leading blanks)."""
    if not isinstance(text, str) or not text:
        return text
    if text[0] in _CSV_TRIGGERS or text.lstrip(_BLANKS)[:1] in _CSV_TRIGGERS:
        return "'" + text
    return text


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralize(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.2f}"  # means and percents are rounded to 2 places
    return str(value)


def to_csv(tables, title=None):
    """One CSV file, UTF-8 with a BOM (so that Excel shows Thai), CRLF line ends.

    A single file rather than a zip of files: it opens in Excel with a double click on any
    office PC, whereas zips need extracting and Windows mangles Thai names inside zips.
    Layout: the title line (if any), a blank line; then for each table its title line,
    its note line (if any), the header row, the rows, and a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if title:
        writer.writerow([_csv_cell(title)])
        writer.writerow([])
    for table in tables:
        writer.writerow([_csv_cell(table.title)])
        if table.note:
            writer.writerow([_csv_cell(table.note)])
        writer.writerow([_csv_cell(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([_csv_cell(v) for v in row])
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- Excel ----------------------------------------------------------------------------------


def _display_width(text):
    """Columns a text needs: Thai vowel and tone marks above or below take no width."""
    return sum(1 for ch in str(text) if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn")


def _sheet_name(title, used):
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def to_xlsx(tables, title):
    """An Excel workbook: a sheet per table, formatted for the monthly report.

    Each sheet: the title (station and period, see report_title) in row 1, the table's
    title in row 2, its note in row 3 (if any), then the header row (bold, shaded,
    frozen, repeated on every printed page), then the rows (totals bold). Font
    TH Sarabun New 14; means 0.00; percents 0.0%; counts #,##0; A4, fit to the page
    width, landscape when the sheet is wide; page numbers in the footer."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    font = Font(name=FONT_NAME, size=FONT_SIZE)
    bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    title_font = Font(name=FONT_NAME, size=FONT_SIZE + 4, bold=True)
    fill = PatternFill("solid", fgColor="DDE6F0")
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    header_alignment = Alignment(vertical="center", horizontal="center", wrap_text=True)

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = "One Stop Service kiosk"
    used = set()

    def put(ws, row, col, value, cell_font=font, alignment=top):
        cell = ws.cell(row=row, column=col)
        if isinstance(value, Percent):
            cell.value = float(value) / 100
            cell.number_format = "0.0%"
        elif isinstance(value, Mean):
            cell.value = float(value)
            cell.number_format = "0.00"
        elif isinstance(value, bool):
            cell.value = str(value).lower()
        elif isinstance(value, int):
            cell.value = value
            cell.number_format = "#,##0"
        elif isinstance(value, str):
            # Literal text, never a formula (openpyxl would take "=..." as one), with the
            # quote prefix so that Excel keeps it as text when the cell is edited.
            cell.value = value
            cell.data_type = "s"
            if neutralize(value) != value:
                cell.quotePrefix = True
        else:
            cell.value = value
        cell.font = cell_font
        cell.alignment = alignment
        return cell

    for table in tables:
        ws = wb.create_sheet(_sheet_name(table.title, used))
        ncols = len(table.headers)
        heading = [(title, title_font, FONT_SIZE + 4), (table.title, bold, FONT_SIZE)]
        if table.note:
            heading.append((table.note, font, FONT_SIZE))
        for row, (text, cell_font, _size) in enumerate(heading, 1):
            put(ws, row, 1, text, cell_font, wrap)
        row = len(heading) + 1  # a blank row before the header
        header_row = row + 1
        for col, header in enumerate(table.headers, 1):
            cell = put(ws, header_row, col, header, bold, header_alignment)
            cell.fill = fill
            cell.border = border
        first_total = len(table.rows) - table.total_rows
        for i, values in enumerate(table.rows):
            r = header_row + 1 + i
            for col, value in enumerate(values, 1):
                cell = put(
                    ws,
                    r,
                    col,
                    value,
                    bold if i >= first_total else font,
                    wrap if col - 1 in table.wrap_columns else top,
                )
                cell.border = border

        # widths: the longest header word or cell, Thai marks taking no room
        widths = []
        for col in range(ncols):
            if col in table.wrap_columns:
                widths.append(70)
                continue
            longest = max(
                [max(_display_width(w) for w in str(table.headers[col]).split()) if table.headers[col] else 4]
                + [_display_width(_csv_cell(values[col])) for values in table.rows if col < len(values)]
            )
            widths.append(min(max(8, round(longest * 1.15) + 3), 60))
        for col, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width
        # The heading lines span the table's columns and wrap inside them, so that they
        # print within the page (Excel does not size merged rows: estimate the lines).
        for r, (text, _font, size) in enumerate(heading, 1):
            if ncols > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
            scale = size / FONT_SIZE
            lines = max(1, -(-round(_display_width(text) * 1.15 * scale) // max(sum(widths), 1)))
            ws.row_dimensions[r].height = round(lines * size * 1.45, 1)
        # rows with long free text (comments): tall enough for their wrapped lines
        for i, values in enumerate(table.rows):
            lines = 1
            for col in table.wrap_columns:
                text = "" if values[col] is None else str(values[col])
                lines = max(
                    lines, sum(max(1, -(-round(_display_width(p) * 1.15) // widths[col])) for p in text.split("\n"))
                )
            if lines > 1:
                ws.row_dimensions[header_row + 1 + i].height = round(lines * FONT_SIZE * 1.45, 1)

        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if sum(widths) > 95 else "portrait"  # A4 portrait: ~95 units
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as needed
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddFooter.center.text = "&P / &N"
        ws.oddFooter.center.font = FONT_NAME
        last = header_row + len(table.rows)
        ws.print_area = f"A1:{get_column_letter(ncols)}{last}"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- JSON -----------------------------------------------------------------------------------


def to_json(
    figures, *, period_label, station_name, include_comments=False, comments=None, generated_on=None, tz=BANGKOK
):
    """UTF-8 JSON bytes: {"format", "version", "station", "period": {from, to, tz, label},
    "generated_on", "tallies": <the tallies() dict as it is>} and, with include_comments,
    "comment_texts": [{"date", "hour", "level", "text"}] (local date and hour only)."""
    if not period_label or not station_name:
        raise ValueError("period_label and station_name are required")
    generated_on = generated_on or datetime.now(tz).date()
    document = {
        "format": "kiosk-tallies",
        "version": FORMAT_VERSION,
        "station": station_name,
        "period": {**figures["period"], "label": period_label},
        "generated_on": generated_on.isoformat(),
        "tallies": figures,
    }
    if include_comments:
        document["comment_texts"] = _comments_json(comments, tz)
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8")


# -- public statistics (OIT open data) --------------------------------------------------------


def monthly_tallies(db, date_from, date_to, **tallies_kwargs):
    """{"YYYY-MM": tallies(...)} for each calendar month that [date_from, date_to] touches
    (clipped to the period), for public_statistics(monthly=...)."""
    result = {}
    start = date_from
    while start <= date_to:
        next_month = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = min(next_month - timedelta(days=1), date_to)
        result[f"{start.year:04d}-{start.month:02d}"] = tallies(db, start, end, **tallies_kwargs)
        start = next_month
    return result


def public_statistics(
    figures, *, period_label, station_name, monthly=None, lang="th", generated_on=None, band_interval=0.8
):
    """The figures a station may publish (OIT open data), as a JSON-ready dict.

    No comments (no text, no count), no hours, no flag detail beyond the number flagged.
    Days and months only. by_month totals come from by_day; its means, bands and percents
    need the exact monthly figures: pass monthly=monthly_tallies(db, ...), else they are
    None (a mean is not rebuilt from rounded daily means)."""
    _check_lang(lang)
    if not period_label or not station_name:
        raise ValueError("period_label and station_name are required")
    s, e = figures["satisfaction"], figures["eit"]
    by_month = {}
    for iso, day in s["by_day"].items():
        key = iso[:7]
        by_month.setdefault(
            key,
            {
                "label": format_month(int(key[:4]), int(key[5:]), lang),
                "total": 0,
                "mean": None,
                "band": None,
                "band_label": None,
                "percent_satisfied": None,
            },
        )
        by_month[key]["total"] += day["total"]
    for key, month in (monthly or {}).items():
        if key in by_month:
            ms = month["satisfaction"]
            by_month[key].update(
                mean=ms["mean"],
                band=ms["band"],
                band_label=_band(ms["band"], lang),
                percent_satisfied=ms["percent_satisfied"],
            )
    generated_on = generated_on or datetime.now(BANGKOK).date()
    units_done = sum(e["by_unit"].values())
    units_quota = sum(e["quota"].values())
    return {
        "format": "kiosk-public-statistics",
        "version": FORMAT_VERSION,
        "station": station_name,
        "period": {"from": figures["period"]["from"], "to": figures["period"]["to"], "label": period_label},
        "generated_on": generated_on.isoformat(),
        "satisfaction": {
            "total": s["total"],
            "flagged": s["flagged"],
            "counts": {str(level): s["counts"][str(level)] for level in LEVELS},
            "percent": {str(level): _plain(_pct(s["counts"][str(level)], s["total"])) for level in LEVELS},
            "percent_satisfied": s["percent_satisfied"],
            "mean": s["mean"],
            "band": s["band"],
            "band_label": _band(s["band"], lang),
            "aspects": {
                aspect: {
                    "label": _label(ASPECT_LABELS[aspect], lang),
                    "total": a["total"],
                    "mean": a["mean"],
                    "band": band_for(a["mean"], band_interval),
                    "band_label": _band(band_for(a["mean"], band_interval), lang),
                }
                for aspect, a in s["aspects"].items()
            },
            "by_unit": {
                unit: {"label": _label(UNIT_CHOICE_LABELS[unit], lang), "total": u["total"], "mean": u["mean"]}
                for unit, u in s["by_unit"].items()
            },
            "by_month": by_month,
            "by_day": {
                iso: {"label": _day_label(iso, lang), "total": d["total"], "mean": d["mean"]}
                for iso, d in s["by_day"].items()
            },
        },
        "eit": {
            "note": _t("eit_note", lang),
            "total": e["total"],
            "not_sure": e["not_sure"],
            "by_unit": {
                unit: {
                    "label": _label(UNIT_CHOICE_LABELS[unit], lang),
                    "referrals": e["by_unit"][unit],
                    "quota": e["quota"][unit],
                    "percent_of_quota": _plain(_pct(e["by_unit"][unit], e["quota"][unit])),
                }
                for unit in UNITS
            },
            "units_total": {
                "referrals": units_done,
                "quota": units_quota,
                "percent_of_quota": _plain(_pct(units_done, units_quota)),
            },
        },
        "labels": {
            "levels": {str(level): _label(LEVEL_LABELS[level], lang) for level in LEVELS},
        },
    }


def _plain(value):
    return None if value is None else float(value)


def public_tables(public, lang="th"):
    """The tables of a public_statistics() dict (for its CSV, or an Excel sheet set)."""
    if lang not in ("th", "en"):
        raise ValueError("lang must be 'th' or 'en'")
    t = lambda key: _t(key, lang)  # noqa: E731
    s, e = public["satisfaction"], public["eit"]
    tables = [
        Table(
            "summary",
            t("summary"),
            (t("item"), t("value")),
            (
                (t("counted"), s["total"]),
                (t("flagged"), s["flagged"]),
                (t("mean"), _mean(s["mean"])),
                (t("band"), s["band_label"]),
                (t("percent_satisfied"), _percent(s["percent_satisfied"])),
            ),
        ),
        Table(
            "levels",
            t("levels"),
            (t("level"), t("level_label"), t("count"), t("percent")),
            tuple(
                (int(level), public["labels"]["levels"][level], s["counts"][level], _percent(s["percent"][level]))
                for level in s["counts"]
            ),
        ),
        Table(
            "aspects",
            t("aspects"),
            (t("aspect"), t("respondents"), t("mean"), t("band")),
            tuple((a["label"], a["total"], _mean(a["mean"]), a["band_label"]) for a in s["aspects"].values()),
        ),
        Table(
            "units",
            t("units"),
            (t("unit"), t("answers"), t("mean")),
            tuple((u["label"], u["total"], _mean(u["mean"])) for u in s["by_unit"].values()),
            note=t("units_note"),
        ),
        Table(
            "months",
            t("months"),
            (t("month"), t("answers"), t("mean"), t("band"), t("percent_satisfied")),
            tuple(
                (m["label"], m["total"], _mean(m["mean"]), m["band_label"], _percent(m["percent_satisfied"]))
                for m in s["by_month"].values()
            ),
        ),
        Table(
            "days",
            t("days"),
            (t("date_be"), t("answers"), t("mean"), t("date_iso")),
            tuple((d["label"], d["total"], _mean(d["mean"]), iso) for iso, d in s["by_day"].items()),
        ),
        Table(
            "eit",
            t("eit"),
            (t("unit"), t("referrals"), t("quota"), t("percent_of_quota")),
            tuple(
                (u["label"], u["referrals"], u["quota"], _percent(u["percent_of_quota"])) for u in e["by_unit"].values()
            )
            + (
                (
                    t("units_total"),
                    e["units_total"]["referrals"],
                    e["units_total"]["quota"],
                    _percent(e["units_total"]["percent_of_quota"]),
                ),
            ),
            note=e["note"],
            total_rows=1,
        ),
    ]
    return tables


def public_statistics_csv(public, lang="th"):
    """The CSV form of a public_statistics() dict (UTF-8 with BOM, as to_csv)."""
    return to_csv(
        public_tables(public, lang), report_title(public["station"], public["period"]["label"], lang, public=True)
    )
