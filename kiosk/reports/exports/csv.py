"""CSV: one file, UTF-8 with a BOM, the tables one after another; cells made formula-safe."""

import csv
import io

_CSV_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")  # full-width = + - @ too
_BLANKS = " \u00a0\u3000"


def neutralize(text):
    """A text cell made safe for a spreadsheet (CSV): a leading apostrophe when it could
    start a formula (= + - @, full-width forms, tab, CR, LF, also after leading blanks)."""
    if not isinstance(text, str) or not text:
        return text
    if text[0] in _CSV_TRIGGERS or text.lstrip(_BLANKS)[:1] in _CSV_TRIGGERS:
        return "'" + text
    return text


def csv_cell(value):
    """A value as CSV text: empty for None, 2 decimals for means and percents, text neutralized."""
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
        writer.writerow([csv_cell(title)])
        writer.writerow([])
    for table in tables:
        writer.writerow([csv_cell(table.title)])
        if table.note:
            writer.writerow([csv_cell(table.note)])
        writer.writerow([csv_cell(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([csv_cell(v) for v in row])
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
