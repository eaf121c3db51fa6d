r"""XLSX downloads, beside the CSV ones (core.csv), written one way for every export.

A CSV opens as one column in Excel under a Russian or Kazakh locale, whose list separator is the
semicolon; a workbook opens right under every locale. `xlsx_response` writes the rows to one
sheet: the header in bold and frozen, columns as wide as their text (within bounds), numbers
as numbers, dates as dates, and every text cell guarded against being run as a formula the
way the CSV guards it (`core.csv.spreadsheet_safe`), then stored as text. Characters that XML
cannot hold (control characters) are dropped rather than failing the download.

Sheet names follow Excel's rules in every language (`sheet_title`): at most 31 characters, cut
at a word's end with an ellipsis rather than mid-word; none of []:*?/\ (each becomes "_"); no
apostrophe at either end; unique in the workbook, as Excel compares them (ignoring case), a
repeated name getting a suffix " (2)", " (3)"… within the 31 characters; never "History", which
Excel keeps for itself. `xlsx_workbook_bytes` writes several sheets, `xlsx_bytes` one.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .csv import safe_filename, spreadsheet_safe

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name
UNSAFE_SHEET_TITLE = re.compile(r"[\[\]\\/?*:]")  # characters Excel refuses in a sheet's name
SHEET_TITLE_DEFAULT = "Sheet1"
SHEET_TITLE_RESERVED = {"history"}  # Excel's own (compared ignoring case)
ELLIPSIS = "…"
COLUMN_WIDTH_MIN = 8
COLUMN_WIDTH_MAX = 60
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _cell_value(value):
    """A value openpyxl stores as it is: text guarded and cleaned, a lazy translation as text,
    an aware datetime as its wall-clock time (Excel has no time zones)."""
    if value is None or isinstance(value, bool | int | float | datetime.date):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", spreadsheet_safe(str(value)))


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_cell_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    elif isinstance(cell.value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(cell.value, datetime.date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _width(value) -> int:
    text = "" if value is None else str(_cell_value(value))
    longest_line = max((len(line) for line in text.splitlines()), default=0)
    return min(max(longest_line + 2, COLUMN_WIDTH_MIN), COLUMN_WIDTH_MAX)


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: whole if it fits, else cut at the end of a word
    (a word longer than that is cut) with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return text[:limit]
    room = limit - len(ELLIPSIS)
    cut = text[:room]
    if not text[room].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    cut = cut.rstrip(" ,;.-–—'(") or text[:room]
    return cut + ELLIPSIS


def sheet_title(title: object, taken: Iterable[str] = ()) -> str:
    """A valid sheet name for `title` (any language; a lazy translation as its text) that is
    none of the names `taken` (see the module's docstring)."""
    text = " ".join(ILLEGAL_CHARACTERS_RE.sub("", str(title or "")).split())
    text = UNSAFE_SHEET_TITLE.sub("_", text).strip("' ") or SHEET_TITLE_DEFAULT
    used = {name.casefold() for name in taken} | SHEET_TITLE_RESERVED
    name = shorten(text, SHEET_TITLE_MAX).strip("'")
    number = 1
    while name.casefold() in used:
        number += 1
        suffix = f" ({number})"
        name = shorten(text, SHEET_TITLE_MAX - len(suffix)).strip("'") + suffix
    return name


def xlsx_workbook_bytes(sheets: Iterable[tuple[object, Sequence | None, Iterable[Sequence]]]):
    """The workbook of `sheets`, each (title, header or None, rows), as bytes; the titles made
    valid and unique by `sheet_title`."""
    workbook = Workbook(write_only=True)
    titles: list[str] = []
    for title, header, rows in sheets:
        titles.append(sheet_title(title, titles))
        _write_sheet(workbook.create_sheet(title=titles[-1]), header, rows)
    if not titles:
        workbook.create_sheet(title=SHEET_TITLE_DEFAULT)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_bytes(
    rows: Iterable[Sequence], *, header: Sequence | None = None, sheet_title: object = ""
) -> bytes:
    """The workbook (one sheet) of the rows after the header, as bytes."""
    return xlsx_workbook_bytes([(sheet_title, header, rows)])


def _write_sheet(sheet, header: Sequence | None, rows: Iterable[Sequence]) -> None:
    rows = [list(row) for row in rows]
    lines = ([list(header)] if header is not None else []) + rows
    widths: dict[int, int] = {}
    for line in lines:
        for index, value in enumerate(line, start=1):
            widths[index] = max(widths.get(index, 0), _width(value))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width
    if header is not None:
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, value, bold=True) for value in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def xlsx_response(
    rows: Iterable[Sequence],
    *,
    filename: str,
    header: Sequence | None = None,
    sheet_title: object = "",
) -> HttpResponse:
    """An XLSX download of the rows (after the header, if any), named `filename` (.xlsx added
    if missing; the sheet is named after it unless `sheet_title` says)."""
    name = safe_filename(filename, ".xlsx")
    content = xlsx_bytes(rows, header=header, sheet_title=sheet_title or name.rsplit(".", 1)[0])
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
