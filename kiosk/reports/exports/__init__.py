"""Exports of the tallies for the admin (CSV, Excel, JSON) and public statistics for OIT.

Pure functions, no routes, no Flask. A module per format: common (labels, table shape,
values), comments, tables (the admin's tables, built once), csv, xlsx, json, public.
The input is the dict that kiosk.reports.tallies.tallies() returns.

    tables = export_tables(figures, period_label="พฤศจิกายน 2569", station_name="สภ.จังหาญ")
    to_csv(tables, title)    -> bytes  (UTF-8 with BOM, one file, tables one after another)
    to_xlsx(tables, title)   -> bytes  (a sheet per table, formatted for the monthly report)
    to_json(figures, ...)    -> bytes  (the tallies as they are, plus period metadata)
    public_statistics(figures, ...) -> dict; public_statistics_csv(public) -> bytes

Every label (table titles, headers, levels, units, aspects, reasons, bands, notes) comes
from the one message catalogue through kiosk.core.i18n, in the language asked for (`lang`,
Thai by default), under the same msgid the screens use for the same figure.

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

from kiosk.reports.exports.comments import load_comments
from kiosk.reports.exports.common import FORMAT_VERSION, LABELS, Mean, Percent, Table, hour_label, report_title
from kiosk.reports.exports.csv import neutralize, to_csv
from kiosk.reports.exports.json import to_json
from kiosk.reports.exports.public import monthly_tallies, public_statistics, public_statistics_csv, public_tables
from kiosk.reports.exports.tables import export_tables
from kiosk.reports.exports.xlsx import FONT_NAME, FONT_SIZE, to_xlsx

__all__ = [
    "FONT_NAME",
    "FONT_SIZE",
    "FORMAT_VERSION",
    "LABELS",
    "Mean",
    "Percent",
    "Table",
    "export_tables",
    "hour_label",
    "load_comments",
    "monthly_tallies",
    "neutralize",
    "public_statistics",
    "public_statistics_csv",
    "public_tables",
    "report_title",
    "to_csv",
    "to_json",
    "to_xlsx",
]
