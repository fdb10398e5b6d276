"""Excel: a workbook with a sheet per table, formatted for the monthly report (openpyxl).

One job, long on purpose: the sheet layout, print setup and column sizing for Thai text."""

import io
import unicodedata

from kiosk.reports.exports.common import Mean, Percent
from kiosk.reports.exports.csv import csv_cell, neutralize

FONT_NAME = "TH Sarabun New"  # what Thai offices use; Excel falls back if it is missing
FONT_SIZE = 14


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
                + [_display_width(csv_cell(values[col])) for values in table.rows if col < len(values)]
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
