"""The period's report as an A4 PDF, in Thai (or English): station, period, the figures
beside the period before and a year before, the fiscal year's months drawn as charts, the
EIT pace per unit, and lines for the signatures.

fpdf2 draws it with the Sarabun fonts and HarfBuzz shaping (uharfbuzz), so that tone marks
and vowels sit where Thai puts them. Two adjustments keep the text extractable (copy,
search, pdftotext, pypdf) exactly as written:
- a shaped mark is placed with TJ offsets and text rise instead of a new text matrix per
  mark, so that readers see one run of text, not a gap (a false space) after each mark;
- a vertical nudge under 6% of the font size (Sarabun lowers a tone mark above a short
  upper vowel by some 3%: 0.1 mm at 10 pt) is left out: text extractors read any change of
  baseline as a word break ("ปั้ น"); larger shifts are kept, as HarfBuzz gives them;
- a glyph that shaping split off a character (the ā of SARA AM, ำ) maps to no text in the
  ToUnicode table, instead of being left out of it (pypdf then shows its code as text).
"""

import datetime as dt
from pathlib import Path

from fpdf import FPDF
from fpdf.line_break import Fragment

from kiosk.core.i18n import translate
from kiosk.core.thaidate import format_date
from kiosk.core.vocab import BAND_LABELS, UNIT_LABELS, UNITS

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts" / "sarabun-ttf"
NAVY = (11, 42, 74)
BAR = (29, 79, 122)
RED = (179, 38, 30)
SMALL_RISE = 0.06  # of the font size
_shaped_original = Fragment.render_with_text_shaping


class _NoText(int):
    """A ToUnicode target that writes as nothing: `<code> <>`."""

    def __format__(self, spec):
        return ""


def _moves(amount):
    """A TJ move in steps: readers take one rightward step as wide as a space for a word break."""
    steps = max(1, int(abs(amount) // 60) + 1)
    return [f"{amount / steps:.2f}"] * steps


def _render_shaped(self, pos_x, pos_y, h, word_spacing):
    """Shaped text as TJ runs: offsets and rises move marks, the text stays one run."""
    if self.font_stretching != 100 or self.char_spacing or word_spacing:
        return _shaped_original(self, pos_x, pos_y, h, word_spacing)
    font, size, k = self.font, self.font_size_pt, self.k
    shaped = font.shape_text(self.string, size, self.text_shaping_parameters)
    # After shaping: the subset holds the glyphs and the widths the PDF advances by.
    widths = {code: glyph.glyph_width for glyph, code in font.subset.items() if glyph is not None}
    lift = self.lift
    out = [f"1 0 0 1 {pos_x * k:.2f} {(h - pos_y) * k:.2f} Tm"]
    run, rise, carry = [], 0.0, 0.0
    for info in shaped:
        code = info["mapped_char"]
        if code is None:
            continue
        glyph_rise = round(info["y_offset"] * font.scale * size / 1000, 2)
        if abs(glyph_rise) < SMALL_RISE * size:
            glyph_rise = 0.0  # a nudge readers take for a new line; see the module's docstring
        if glyph_rise != rise:
            if run:
                out.append(f"[{' '.join(run)}] TJ")
                run = []
            out.append(f"{lift + glyph_rise:.2f} Ts")
            rise = glyph_rise
        if carry:
            run.extend(_moves(carry))
            carry = 0.0
        before = info["x_offset"] * font.scale
        after = info["x_advance"] * font.scale - before - widths.get(code, 0)
        if round(before, 2):
            run.extend(_moves(-before))
        run.append(f"({font.escape_text(chr(code))})")
        pending = round(after, 2)
        if pending and not glyph_rise:
            run.extend(_moves(-after))
        elif pending:
            # A raised mark: move on in the next run, on the baseline, where readers expect it.
            carry = -after
    if run:
        out.append(f"[{' '.join(run)}] TJ")
    if rise:
        out.append(f"{lift:.2f} Ts")
    if carry:
        out.append(f"[{carry:.2f}] TJ")
    return " ".join(out)


Fragment.render_with_text_shaping = _render_shaped


class ReportPDF(FPDF):
    """A4 portrait with the Sarabun fonts and Thai shaping."""

    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font("Sarabun", "", str(FONT_DIR / "Sarabun-Regular.ttf"))
        self.add_font("Sarabun", "B", str(FONT_DIR / "Sarabun-Bold.ttf"))
        self.set_text_shaping(True)
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(True, 14)
        self.set_font("Sarabun", "", 11)

    def output(self, *args, **kwargs):
        for font in self.fonts.values():
            subset = getattr(font, "subset", None)
            for glyph, _code in subset.items() if subset else ():
                if glyph is not None and isinstance(glyph.unicode, tuple) and not glyph.unicode:
                    glyph.unicode = (_NoText(0),)
        return super().output(*args, **kwargs)


def _t(msgid, lang, **values):
    return translate(msgid, lang, **values)


def _fmt(value, pattern):
    return pattern % value if value is not None else "–"


def report_pdf(shown, *, period, station_name, lang="th", printed_on=None):
    """The PDF bytes of the report; `shown` is dashboard.period_report()'s dict."""
    printed_on = printed_on or dt.date.today()
    pdf = ReportPDF()
    pdf.set_title(f"{station_name} · {period.label(lang)}")
    pdf.set_author(station_name)
    pdf.set_creator("kiosk")
    pdf.add_page()
    width = pdf.epw
    s, e = shown["figures"]["satisfaction"], shown["figures"]["eit"]

    pdf.set_font("Sarabun", "B", 16)
    pdf.set_text_color(*NAVY)
    pdf.cell(width, 8, station_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sarabun", "", 12)
    pdf.cell(width, 6, _t("Satisfaction and EIT referral report", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sarabun", "B", 14)
    pdf.set_text_color(0, 0, 0)
    pdf.cell(width, 8, period.label(lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sarabun", "", 10)
    day = format_date(printed_on, lang, abbreviated=True)
    pdf.cell(
        width,
        5,
        f"{period.span_label(lang)} · {_t('Printed on %(day)s', lang, day=day)}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_draw_color(*NAVY)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + width, pdf.get_y() + 1)
    pdf.ln(3)

    _heading(pdf, _t("Figures of the period", lang))
    compared = shown["compared"]
    others = [shown["previous"] if c["which"] == "previous" else shown["year_before"] for c in compared["answers"]]
    headers = [_t("Item", lang), period.label(lang)] + [other.label(lang) for other in others]
    rows = []
    for key, msgid, pattern, value in (
        ("answers", "Answers counted", "%d", s["total"]),
        ("percent_satisfied", "Percent satisfied (levels 4-5)", "%.2f%%", s["percent_satisfied"]),
        ("mean", "Mean score", "%.2f", s["mean"]),
        ("eit", "EIT referrals (QR shown)", "%d", e["total"]),
    ):
        rows.append(
            [_t(msgid, lang), _fmt(value, pattern)]
            + [f"{_fmt(c['value'], pattern)}\n{c['words']}" for c in compared[key]]
        )
    band = BAND_LABELS[s["band"]].in_language(lang) if s["band"] else "–"
    rows.append([_t("Satisfaction level", lang), band] + [""] * len(others))
    first = 46
    rest = (width - first) / (len(headers) - 1)
    _table(pdf, headers, rows, [first] + [rest] * (len(headers) - 1))

    pace = shown["pace"]
    window = shown["eit_window"]
    span = f"{format_date(window[0], lang, abbreviated=True)} – {format_date(window[1], lang, abbreviated=True)}"
    _heading(pdf, f"{_t('EIT quota', lang)} ({span})")
    headers = [
        _t(m, lang) for m in ("Unit", "EIT referrals (QR shown)", "Quota", "Percent of quota", "Needed per day", "Pace")
    ]
    rows = []
    for unit in (*UNITS, "total"):
        p = pace[unit]
        name = UNIT_LABELS[unit].in_language(lang) if unit != "total" else _t("Total", lang)
        rows.append(
            [
                name,
                str(p["done"]),
                str(p["quota"]),
                _fmt(p["percent"], "%.0f%%"),
                _fmt(p["needed_per_day"], "%.2f"),
                _t("Behind pace" if p["behind"] else "On pace", lang),
            ]
        )
    _table(pdf, headers, rows, [50, 32, 20, 26, 26, width - 154])

    trend, series = shown["trend"], shown["series"]
    _heading(pdf, trend["title"])
    chart_w, chart_h = (width - 8) / 2, 34
    if pdf.get_y() + 2 * (chart_h + 10) > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    _columns(pdf, pdf.l_margin, top, chart_w, chart_h, _t("Answers counted", lang), series["answers_filled"])
    _line(
        pdf,
        pdf.l_margin + chart_w + 8,
        top,
        chart_w,
        chart_h,
        _t("Percent satisfied (levels 4-5)", lang),
        series["percent_satisfied"],
        0,
        100,
        "%.0f",
    )
    top += chart_h + 12
    _line(pdf, pdf.l_margin, top, chart_w, chart_h, _t("Mean score", lang) + " (1–5)", series["mean"], 1, 5, "%.2f")
    quota_total = trend["quota_total"]
    _line(
        pdf,
        pdf.l_margin + chart_w + 8,
        top,
        chart_w,
        chart_h,
        _t("EIT referrals since October, against the quota", lang),
        series["eit_cumulative"],
        0,
        max(quota_total, series["eit_max"]),
        "%d",
        quota=quota_total,
        quota_label=_t("Quota %(n)s", lang, n=quota_total),
    )
    pdf.set_y(top + chart_h + 12)
    months = trend["months"]
    headers = [_t("Unit", lang)] + [row["label"] for row in months] + [_t("Total", lang), _t("Quota", lang)]
    rows = [
        [UNIT_LABELS[unit].in_language(lang)]
        + ["" if row["future"] else str(row["eit_by_unit"][unit]) for row in months]
        + [str(series["eit_unit_totals"][unit]), str(trend["quota"][unit])]
        for unit in UNITS
    ]
    cell = (width - 40) / (len(headers) - 1)
    pdf.set_font("Sarabun", "", 8)
    _table(pdf, headers, rows, [40] + [cell] * (len(headers) - 1), size=8)

    if pdf.get_y() + 30 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(12)
    pdf.set_font("Sarabun", "", 11)
    half = width / 2
    for label in ("Reported by", "Acknowledged by"):
        pdf.cell(half, 6, f"{_t(label, lang)} ....................................", align="C")
    pdf.ln(8)
    for _ in range(2):
        pdf.cell(half, 6, "(....................................)", align="C")
    return bytes(pdf.output())


def _heading(pdf, text):
    if pdf.get_y() + 20 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("Sarabun", "B", 12)
    pdf.set_text_color(*NAVY)
    pdf.cell(pdf.epw, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _table(pdf, headers, rows, widths, size=9.5):
    pdf.set_font("Sarabun", "", size)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(150, 150, 150)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        line_height=size * 0.5,
        headings_style=_heading_style(size),
        text_align="LEFT",
        padding=1,
    ) as table:
        table.row(headers)
        for row in rows:
            table.row(row)


def _heading_style(size):
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(238, 242, 247), size_pt=size)


def _chart_frame(pdf, x, y, w, h, title):
    pdf.set_font("Sarabun", "B", 9)
    pdf.set_xy(x, y)
    pdf.cell(w, 5, title)
    pdf.set_draw_color(150, 150, 150)
    pdf.line(x, y + 5 + h, x + w, y + 5 + h)
    return y + 5


def _axis_labels(pdf, x, base, step, rows):
    pdf.set_font("Sarabun", "", 6.5)
    for index, (label, _value) in enumerate(rows):
        pdf.set_xy(x + index * step, base + 0.5)
        pdf.cell(step, 3.5, label, align="C")


def _columns(pdf, x, y, w, h, title, rows):
    top = _chart_frame(pdf, x, y, w, h, title)
    base = top + h
    step = w / max(len(rows), 1)
    peak = max([value or 0 for _, value in rows] + [1])
    pdf.set_fill_color(*BAR)
    pdf.set_font("Sarabun", "", 6.5)
    for index, (_label, value) in enumerate(rows):
        height = (h - 5) * (value or 0) / peak
        if value:
            pdf.rect(x + index * step + step * 0.15, base - height, step * 0.7, height, style="F")
            pdf.set_xy(x + index * step, base - height - 3.5)
            pdf.cell(step, 3.5, str(value), align="C")
    _axis_labels(pdf, x, base, step, rows)


def _line(pdf, x, y, w, h, title, rows, low, high, pattern, quota=None, quota_label=""):
    top = _chart_frame(pdf, x, y, w, h, title)
    base = top + h
    step = w / max(len(rows), 1)
    span = (high - low) or 1

    def y_of(value):
        return base - (h - 5) * (min(max(value, low), high) - low) / span

    if quota is not None:
        pdf.set_draw_color(*RED)
        pdf.set_dash_pattern(dash=1.5, gap=1)
        pdf.line(x, y_of(quota), x + w, y_of(quota))
        pdf.set_dash_pattern()
        pdf.set_text_color(*RED)
        pdf.set_font("Sarabun", "", 6.5)
        pdf.set_xy(x + w - 40, y_of(quota) - 3.5)
        pdf.cell(40, 3.5, quota_label, align="R")
        pdf.set_text_color(0, 0, 0)
    points = [
        (x + index * step + step / 2, y_of(value), value) for index, (_l, value) in enumerate(rows) if value is not None
    ]
    pdf.set_draw_color(*BAR)
    pdf.set_fill_color(*BAR)
    pdf.set_line_width(0.5)
    for (x1, y1, _v1), (x2, y2, _v2) in zip(points, points[1:], strict=False):
        pdf.line(x1, y1, x2, y2)
    pdf.set_line_width(0.2)
    pdf.set_font("Sarabun", "", 6.5)
    for px, py, value in points:
        pdf.ellipse(px - 0.8, py - 0.8, 1.6, 1.6, style="F")
        pdf.set_xy(px - step / 2, py - 4.5)
        pdf.cell(step, 3.5, pattern % value, align="C")
    _axis_labels(pdf, x, base, step, rows)
