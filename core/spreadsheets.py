"""Spreadsheets uploaded by staff (CSV or XLSX), read the way every import reads them.

`read_spreadsheet` finds the header row by the expected column names, then yields each data row
as a `SpreadsheetRow`: a dict of the expected columns' values and the row's number as the
spreadsheet shows it (or counted from the first data row), with the cell errors found while
reading. A file that cannot be used at all raises `SpreadsheetError`.

What staff really produce, and how it is read:

- CSV in UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark (Excel's "Unicode
  text"), otherwise Windows-1251 (Excel's "CSV" on a Russian or Kazakh PC); delimiters comma,
  semicolon or tab, detected by which of them splits a row into the expected column names;
  standard quoting (RFC 4180: `"O""Brien"` is `O"Brien`, quoted delimiters and line breaks stay
  in their cell); CR, LF or CRLF line ends.
- XLSX: the first visible sheet, its XML streamed row by row (the dimension record, often stale,
  is ignored); title rows above the header and merged cells (their value is in the top-left
  cell) are skipped; dates stored as serial numbers in a date column are read as dates.
- Values a spreadsheet has already destroyed are refused cell by cell, since no reader can bring
  them back: a number in scientific notation in an identifier column (`1,23457E+11`), a number
  cell in an identifier column (its leading zeros are gone), a formula with no saved value, a
  cell holding an error (`#REF!`).
- Limits (`SpreadsheetLimits`): the file's size, the XLSX parts' declared uncompressed size
  (checked before anything is unpacked, against zip bombs), the rows, the cells, and a run of
  empty rows after which the sheet's data is taken to have ended (Excel writes a million empty
  rows once a row height is set on a whole column); what follows such a run is checked with a
  byte scan, so data after it is an error, never silently dropped.

Values: text is stripped of surrounding white space; an empty cell is "". A date column's date
cell is a `datetime.date`; its text is left for the caller's form to parse. Nothing here logs
cell values (they are often personal data).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from posixpath import dirname, join, normpath
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.utils.exceptions import CellCoordinatesException

from core.normalize import is_scientific_notation

FILE_TYPE_REFUSED = _("Upload a .csv file or an .xlsx workbook.")
FILE_XLS_REFUSED = _(
    "This is an Excel 97-2003 workbook (.xls) or a workbook with a password. Save it as an Excel "
    "workbook (.xlsx) without a password, or as “CSV UTF-8”, and upload it again."
)
FILE_TOO_LARGE = _("The file is larger than {limit} MB.")
FILE_EMPTY = _("The file is empty: it needs a header row and a row for each entry.")
FILE_NO_ROWS = _("The file has a header but no rows below it.")
FILE_TOO_MANY_ROWS = _("A file has at most {limit} rows below the header.")
FILE_TOO_MANY_CELLS = _("The file has more than {limit} cells.")
CSV_NOT_TEXT = _(
    "The file is not CSV text (UTF-8, UTF-16 or Windows-1251). Save it as “CSV UTF-8” and upload "
    "it again."
)
CSV_MALFORMED = _("The CSV file cannot be read: {error}.")
XLSX_MALFORMED = _("The file is not a readable XLSX workbook.")
XLSX_TOO_LARGE = _("The workbook unpacks to more than {limit} MB.")
XLSX_NO_SHEET = _("The workbook has no sheet.")
DATA_AFTER_BLANK_RUN = _(
    "The sheet has data below {count} empty rows after row {row}. Delete the empty rows and "
    "upload the file again."
)
HEADER_NOT_FOUND = _("No header row names the columns {columns} (searched the first {limit} rows).")
COLUMNS_MISSING = _("The header lacks the column(s) {columns}.")
COLUMN_REPEATED = _("The header names the column {column} twice.")
ROW_TOO_LONG = _("This row has more cells than the header.")
FORMULA_NO_VALUE = _(
    "{cell} is a formula with no saved value; open the file in Excel, save it and upload it "
    "again, or replace the formula by its value."
)
CELL_ERROR_VALUE = _("{cell} holds the spreadsheet error {value}; enter the value itself.")
NUMBER_CELL_IN_TEXT_COLUMN = _(
    "{cell} is stored as a number, so the spreadsheet may have dropped its leading zeros or "
    "rounded it; format the column as text, type the value again and upload the file again."
)
SCIENTIFIC_NOTATION = _(
    "{cell}: “{value}” is a number the spreadsheet rounded to scientific notation, so the real "
    "value is lost; format the column as text, type the value again and upload the file again."
)
DATE_SERIAL_INVALID = _("{cell}: the number {value} is not a date.")
DATE_IMPOSSIBLE = _("{value} is written as a date, but there is no such day in the calendar.")

WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm")
TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")
ZIP_SIGNATURE = b"PK\x03\x04"  # an XLSX is a zip package
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an XLSX encrypted by a password
HEADER_SEARCH_ROWS = 20  # title rows above the header are looked through up to this row
DELIMITERS = (",", ";", "\t")
MB = 1024 * 1024
# An element carrying a value (a cell's value, inline string or formula) in a sheet's raw XML.
VALUE_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is|f)[\s/>]")
SHEET_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # never in text; in binary files
REL_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"


class ColumnKind(StrEnum):
    TEXT = "text"  # a number cell is taken as its digits (a name column holds no numbers anyway)
    IDENTIFIER = "identifier"  # document numbers, IINs: a number cell or "1,2E+11" is refused
    DATE = "date"  # a date cell, or a serial number in a General cell, is a datetime.date


class RowNumbering(StrEnum):
    SHEET = "sheet"  # as the spreadsheet shows it: the header is row 1 when nothing is above it
    DATA = "data"  # the first row below the header is row 1


@dataclass(frozen=True)
class Column:
    name: str  # as written in the header row; matched without regard to case or outer spaces
    kind: ColumnKind = ColumnKind.TEXT
    required: bool = True  # a header without it is refused


@dataclass(frozen=True)
class SpreadsheetLimits:
    max_rows: int = 1000  # rows below the header that hold something
    max_bytes: int = 5 * MB  # the file as uploaded
    max_uncompressed_bytes: int = 64 * MB  # an XLSX's parts as declared in the zip directory
    max_cells: int = 100_000  # cells read, including empty formatted ones
    max_blank_run: int = 1000  # this many empty rows in a row end the sheet's data


@dataclass(frozen=True)
class CellError:
    row: int | None  # numbered as the rows are; None for the whole file
    column: str  # the expected column's name; "" for the whole row or file
    message: str


@dataclass
class SpreadsheetRow:
    number: int
    values: dict[str, object]  # every expected column's value ("" when empty)
    errors: list[CellError] = field(default_factory=list)


@dataclass
class Spreadsheet:
    format: str  # "csv" or "xlsx"
    header_row: int  # as the spreadsheet shows it
    columns: tuple[str, ...]  # the expected columns the header has
    rows: Iterator[SpreadsheetRow]  # lazy: may raise SpreadsheetError while iterating


class SpreadsheetError(Exception):
    """The file cannot be used (type, size, encoding, header, limits): `message` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


# A raw cell as a format reader gives it: its value, and what was wrong with it if anything.
@dataclass(frozen=True)
class _Formula:
    """A formula cell whose value was never saved (written by a program, not by Excel)."""


@dataclass(frozen=True)
class _ErrorValue:
    code: str  # "#REF!", "#N/A", …


@dataclass(frozen=True)
class _NumberCell:
    value: float | int
    is_date: bool  # the cell's number format is a date format
    epoch: datetime  # the workbook's day 0 (1900 or 1904 calendar)


# What a corrupt workbook makes the zip module, the XML parser or a cell's parsing raise.
CORRUPT_XLSX = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    NotImplementedError,  # a compression method zipfile lacks
    RuntimeError,  # an encrypted zip member
    ElementTree.ParseError,
    CellCoordinatesException,
)


FORMULA = _Formula()


def read_spreadsheet(
    file,
    *,
    name: str,
    columns: Sequence[Column],
    limits: SpreadsheetLimits | None = None,
    numbering: RowNumbering = RowNumbering.SHEET,
) -> Spreadsheet:
    """Open an uploaded file (a binary file object named `name`) and find its header.

    Returns a Spreadsheet whose `rows` yield a SpreadsheetRow for each non-empty row below the
    header. Raises SpreadsheetError for a file that cannot be used: its type, size or encoding,
    a corrupt workbook, a missing or repeated column; iterating `rows` raises it for the row and
    cell limits and for data below a long run of empty rows. The format is taken from the
    content among the accepted extensions (.csv, .txt, .tsv, .xlsx, .xlsm): a workbook renamed
    .csv is read as a workbook."""
    limits = limits or SpreadsheetLimits()
    columns = tuple(columns)
    data = _read_all(file, limits)
    lowered = (name or "").lower()
    if lowered.endswith(".xls") or data.startswith(OLE_SIGNATURE):
        raise SpreadsheetError(FILE_XLS_REFUSED)
    if not lowered.endswith(WORKBOOK_EXTENSIONS + TEXT_EXTENSIONS):
        raise SpreadsheetError(FILE_TYPE_REFUSED)
    if data.startswith(ZIP_SIGNATURE) or lowered.endswith(WORKBOOK_EXTENSIONS):
        lines, close = _xlsx_lines(data, limits)
        kind = "xlsx"
    else:
        lines, close = _csv_lines(data, columns, limits), None
        kind = "csv"
    try:
        header_number, names, width, after = _find_header(lines, columns)
    except BaseException:
        if close:
            close()
        raise
    rows = _data_rows(after, header_number, names, width, columns, limits, numbering, close)
    return Spreadsheet(
        format=kind,
        header_row=header_number,
        columns=tuple(c.name for c in columns if c.name in names.values()),
        rows=rows,
    )


def _read_all(file, limits: SpreadsheetLimits) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise SpreadsheetError(FILE_TOO_LARGE.format(limit=_megabytes(limits.max_bytes)))
    return data


def _megabytes(size: int) -> str:
    """A size in MB as a person reads it: 5, 0.5, at least 0.1."""
    return f"{max(round(size / MB, 1), 0.1):g}"


# HEADER AND ROWS


def _label(value) -> str:
    return str(value if value is not None else "").strip().lstrip("\ufeff").strip().lower()


def _is_blank(cells: Iterable) -> bool:
    return all(_is_empty(cell) for cell in cells)


def _is_empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _find_header(lines: Iterator[tuple[int, list]], columns: tuple[Column, ...]):
    """The first row among the first HEADER_SEARCH_ROWS naming any expected column.

    Returns (its number, column index → name, its width, the lines after it)."""
    expected = {c.name.lower(): c.name for c in columns}
    seen_any = False
    for number, cells in lines:
        if number > HEADER_SEARCH_ROWS:
            break
        if _is_blank(cells):
            continue
        seen_any = True
        labels = [_label(cell) for cell in cells]
        if not any(label in expected for label in labels):
            continue
        names: dict[int, str] = {}
        for index, label in enumerate(labels):
            if label in expected:
                if expected[label] in names.values():
                    raise SpreadsheetError(COLUMN_REPEATED.format(column=expected[label]))
                names[index] = expected[label]
        missing = [c.name for c in columns if c.required and c.name not in names.values()]
        if missing:
            raise SpreadsheetError(COLUMNS_MISSING.format(columns=", ".join(missing)))
        width = max(i for i, label in enumerate(labels) if label) + 1
        return number, names, width, lines
    if not seen_any:
        raise SpreadsheetError(FILE_EMPTY)
    raise SpreadsheetError(
        HEADER_NOT_FOUND.format(
            columns=", ".join(c.name for c in columns if c.required), limit=HEADER_SEARCH_ROWS
        )
    )


def _data_rows(lines, header_number, names, width, columns, limits, numbering, close):
    kinds = {c.name: c.kind for c in columns}
    count = 0
    try:
        for number, cells in lines:
            if _is_blank(cells):
                continue
            count += 1
            if count > limits.max_rows:
                raise SpreadsheetError(FILE_TOO_MANY_ROWS.format(limit=limits.max_rows))
            shown = number if numbering == RowNumbering.SHEET else number - header_number
            row = SpreadsheetRow(number=shown, values={})
            for index, name in names.items():
                cell = cells[index] if index < len(cells) else None
                coordinate = f"{get_column_letter(index + 1)}{number}"
                value, message = _value(cell, kinds[name], coordinate)
                row.values[name] = value
                if message:
                    row.errors.append(CellError(shown, name, message))
            for name in kinds:
                row.values.setdefault(name, "")
            if not _is_blank(cells[width:]):
                row.errors.append(CellError(shown, "", str(ROW_TOO_LONG)))
            yield row
        if count == 0:
            raise SpreadsheetError(FILE_NO_ROWS)
    finally:
        if close:
            close()


def _value(cell, kind: ColumnKind, coordinate: str) -> tuple[object, str]:
    """A raw cell as the column's value, and the message if the cell's value is lost."""
    if cell is None:
        return "", ""
    if isinstance(cell, _Formula):
        return "", str(FORMULA_NO_VALUE.format(cell=coordinate))
    if isinstance(cell, _ErrorValue):
        return "", str(CELL_ERROR_VALUE.format(cell=coordinate, value=cell.code))
    if isinstance(cell, _NumberCell):
        return _number_value(cell, kind, coordinate)
    if isinstance(cell, datetime):
        return (cell.date() if kind == ColumnKind.DATE else cell.isoformat()), ""
    if isinstance(cell, bool):
        return ("TRUE" if cell else "FALSE"), ""
    text = str(cell).strip()
    if kind == ColumnKind.IDENTIFIER and is_scientific_notation(text):
        return text, str(SCIENTIFIC_NOTATION.format(cell=coordinate, value=text))
    return text, ""


def _number_value(cell: _NumberCell, kind: ColumnKind, coordinate: str) -> tuple[object, str]:
    number = cell.value
    if kind == ColumnKind.IDENTIFIER:
        return _digits(number), str(NUMBER_CELL_IN_TEXT_COLUMN.format(cell=coordinate))
    if kind == ColumnKind.DATE or (cell.is_date and number >= 1):  # below 1: a time of day
        invalid = str(DATE_SERIAL_INVALID.format(cell=coordinate, value=number))
        if not 1 <= number < 2958466:  # 1900-01-01 … 9999-12-31
            return _digits(number), invalid
        try:
            value = from_excel(number, cell.epoch)
        except (OverflowError, ValueError):  # past 9999-12-31 in a workbook counting from 1904
            return _digits(number), invalid
        return (value.date() if kind == ColumnKind.DATE else value.date().isoformat()), ""
    return _digits(number), ""


def _digits(number) -> str:
    """A number cell's value as text, every digit kept (51.169392, not 51.1694)."""
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    if isinstance(number, float):
        return format(Decimal(repr(number)), "f")
    return str(number)


# CSV


def _csv_lines(data: bytes, columns, limits) -> Iterator[tuple[int, list]]:
    text = _decode(data)
    if not text.strip():
        raise SpreadsheetError(FILE_EMPTY)
    delimiter = _delimiter(text, columns)
    return _csv_records(text, delimiter, limits)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or else Windows-1251; text only."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1251"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if CONTROL.search(text):
            break  # binary, or UTF-16 without its byte-order mark
        return text
    raise SpreadsheetError(CSV_NOT_TEXT)


def _delimiter(text: str, columns) -> str:
    """The delimiter that splits a row of the first ones into the most expected column names;
    if none does, the one the first line holds most of."""
    expected = {c.name.lower() for c in columns}
    sample = text[: 64 * 1024]
    best, best_score = None, 0
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        score = 0
        try:
            for index, cells in enumerate(reader):
                if index >= HEADER_SEARCH_ROWS:
                    break
                score = max(score, sum(_label(cell) in expected for cell in cells))
        except csv.Error:
            continue
        if score > best_score:
            best, best_score = delimiter, score
    if best:
        return best
    first_line = sample.splitlines()[0] if sample else ""
    return max(DELIMITERS, key=first_line.count)


def _csv_records(text: str, delimiter: str, limits) -> Iterator[tuple[int, list]]:
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter, doublequote=True, quotechar='"', strict=False)
    cells_read = 0
    blank_run = 0
    last_data = 0
    try:
        for number, cells in enumerate(reader, start=1):
            cells_read += len(cells)
            if cells_read > limits.max_cells:
                raise SpreadsheetError(FILE_TOO_MANY_CELLS.format(limit=limits.max_cells))
            if _is_blank(cells):
                blank_run += 1
                if blank_run >= limits.max_blank_run:
                    rest = stream.read()
                    if rest.strip(f" \r\n{delimiter}\"'"):
                        raise SpreadsheetError(
                            DATA_AFTER_BLANK_RUN.format(count=blank_run, row=last_data)
                        )
                    return
            else:
                blank_run = 0
                last_data = number
            yield number, cells
    except csv.Error as exc:
        raise SpreadsheetError(CSV_MALFORMED.format(error=exc)) from None


# XLSX


def _xlsx_lines(data: bytes, limits):
    """The first visible sheet's rows as (number, cells), and a function closing the workbook."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except CORRUPT_XLSX:
        raise SpreadsheetError(XLSX_MALFORMED) from None
    try:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > limits.max_uncompressed_bytes:
            raise SpreadsheetError(
                XLSX_TOO_LARGE.format(limit=_megabytes(limits.max_uncompressed_bytes))
            )
        book = _Workbook(archive, limits)
    except SpreadsheetError:
        archive.close()
        raise
    except CORRUPT_XLSX:
        archive.close()
        raise SpreadsheetError(XLSX_MALFORMED) from None
    return _guarded(book.rows(), archive.close), archive.close


def _guarded(lines: Iterator, close) -> Iterator:
    """Lines of a workbook, a corrupt part reported as XLSX_MALFORMED (never a 500)."""
    try:
        yield from lines
    except SpreadsheetError:
        close()
        raise
    except CORRUPT_XLSX:
        close()
        raise SpreadsheetError(XLSX_MALFORMED) from None


def _pull_parser() -> ElementTree.XMLPullParser:
    """An incremental XML parser that refuses DTDs (entity expansion, external entities): the
    parser defusedxml gives `iterparse`, fed by hand so that reading can stop at any row."""
    parser = SafeElementTree.DefusedXMLParser(target=ElementTree.TreeBuilder(), forbid_dtd=True)
    return ElementTree.XMLPullParser(events=("start", "end"), _parser=parser)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _text(element) -> str:
    """The text of a shared or inline string: its `t`, or its rich-text runs' `t`s (phonetic
    guides left out)."""
    parts = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in _children(child, "t"))
    return "".join(parts)


class _Workbook:
    """The parts of an XLSX package the first sheet's values need, read with the standard
    library's XML parser: the sheet's path, the shared strings, the date formats, the epoch."""

    def __init__(self, archive: zipfile.ZipFile, limits: SpreadsheetLimits):
        self.archive = archive
        self.limits = limits
        workbook_path = self._office_document()
        workbook = self._parse(workbook_path)
        rels = self._relationships(workbook_path)
        properties = next((e for e in workbook.iter() if _local(e.tag) == "workbookPr"), None)
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        sheets = [e for e in workbook.iter() if _local(e.tag) == "sheet"]
        if not sheets:
            raise SpreadsheetError(XLSX_NO_SHEET)
        visible = [s for s in sheets if s.get("state", "visible") == "visible"] or sheets
        sheet_id = visible[0].get(f"{{{REL_OFFICE}}}id") or visible[0].get(f"{{{REL_STRICT}}}id")
        self.sheet_path = rels["id"][sheet_id]
        self.strings = self._shared_strings(rels["type"].get("sharedStrings"))
        self.date_styles = self._date_styles(rels["type"].get("styles"))

    def _parse(self, path: str):
        with self.archive.open(path) as part:
            return SafeElementTree.parse(part, forbid_dtd=True).getroot()

    def _office_document(self) -> str:
        root = self._parse("_rels/.rels")
        for rel in root:
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target").lstrip("/")
        raise KeyError("officeDocument")

    def _relationships(self, part: str) -> dict[str, dict[str, str]]:
        """A part's relationships: by id and by type's last word, to paths in the package."""
        folder = dirname(part)
        path = join(folder, "_rels", part.rsplit("/", 1)[-1] + ".rels")
        by_id, by_type = {}, {}
        for rel in self._parse(path):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            target = (
                target.lstrip("/") if target.startswith("/") else normpath(join(folder, target))
            )
            by_id[rel.get("Id")] = target
            by_type.setdefault(rel.get("Type", "").rsplit("/", 1)[-1], target)
        return {"id": by_id, "type": by_type}

    def _shared_strings(self, path: str | None) -> list[str]:
        if not path or path not in self.archive.namelist():
            return []
        strings: list[str] = []
        with self.archive.open(path) as part:
            for _event, element in SafeElementTree.iterparse(part, forbid_dtd=True):
                if _local(element.tag) == "si":
                    strings.append(_text(element))
                    element.clear()
                    if len(strings) > self.limits.max_cells:
                        raise SpreadsheetError(
                            FILE_TOO_MANY_CELLS.format(limit=self.limits.max_cells)
                        )
        return strings

    def _date_styles(self, path: str | None) -> set[int]:
        """The indexes of the cell styles whose number format shows a date."""
        if not path or path not in self.archive.namelist():
            return set()
        root = self._parse(path)
        formats = dict(BUILTIN_FORMATS)
        for element in root.iter():
            if _local(element.tag) == "numFmt":
                formats[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
        cell_xfs = next((e for e in root if _local(e.tag) == "cellXfs"), None)
        if cell_xfs is None:
            return set()
        return {
            index
            for index, xf in enumerate(_children(cell_xfs, "xf"))
            if is_date_format(formats.get(int(xf.get("numFmtId", "0")), ""))
        }

    def rows(self) -> Iterator[tuple[int, list]]:
        """The sheet's rows, numbered as the sheet numbers them; missing rows are not yielded
        (they are empty). Ends after `max_blank_run` empty rows, having checked that no value
        follows them."""
        limits = self.limits
        parser = _pull_parser()
        cells_read = 0
        number = 0
        last_data = 0
        blank_run = 0
        cells: list = []
        sheet_data = None
        with self.archive.open(self.sheet_path) as part:
            while chunk := part.read(64 * 1024):
                parser.feed(chunk)
                for event, element in parser.read_events():
                    tag = _local(element.tag)
                    if event == "start":
                        if tag == "row":
                            number = int(element.get("r") or number + 1)
                            cells = []
                        elif tag == "sheetData":
                            sheet_data = element
                        continue
                    if tag == "c":
                        cells_read += 1
                        if cells_read > limits.max_cells:
                            raise SpreadsheetError(
                                FILE_TOO_MANY_CELLS.format(limit=limits.max_cells)
                            )
                        self._place(cells, element)
                    elif tag == "row":
                        if not _is_blank(cells):
                            blank_run = 0
                            last_data = number
                            yield number, cells
                        else:
                            blank_run += 1
                            if blank_run >= limits.max_blank_run:
                                self._check_rest(parser, part, last_data)
                                return
                        if sheet_data is not None:
                            sheet_data.clear()
                    elif tag == "sheetData":
                        return

    def _place(self, cells: list, element) -> None:
        reference = element.get("r")
        if reference:
            letters, _row = coordinate_from_string(reference)
            index = column_index_from_string(letters) - 1
        else:
            index = len(cells)
        if index >= len(cells):
            cells.extend([None] * (index + 1 - len(cells)))
        cells[index] = self._cell(element)

    def _cell(self, element):
        kind = element.get("t", "n")
        value_element = formula = inline = None
        for child in element:
            tag = _local(child.tag)
            if tag == "v":
                value_element = child
            elif tag == "f":
                formula = child
            elif tag == "is":
                inline = child
        value = value_element.text if value_element is not None else None
        if kind == "inlineStr":
            return _text(inline) if inline is not None else None
        if kind == "str" and value_element is not None:
            return value or ""  # a formula whose saved value is text, maybe empty
        if value is None or value == "":
            return FORMULA if formula is not None else None
        if kind == "s":
            return self.strings[int(value)]
        if kind == "str":
            return value
        if kind == "b":
            return value.strip() in ("1", "true")
        if kind == "e":
            return _ErrorValue(value)
        if kind == "d":
            return datetime.fromisoformat(value.strip().rstrip("Z"))
        number = float(value)
        if number.is_integer() and "." not in value and "E" not in value.upper():
            number = int(value)
        style = int(element.get("s") or 0)
        return _NumberCell(number, style in self.date_styles, self.epoch)

    def _check_rest(self, parser, part, last_data: int) -> None:
        """After a long run of empty rows: refuse the file if a value follows in the sheet's
        data. What the parser has read is checked through its events; the rest as raw bytes,
        which is fast (no element is built)."""
        for event, element in parser.read_events():
            tag = _local(element.tag)
            if tag == "sheetData" and event == "end":
                return
            if event == "end" and tag in ("v", "is", "f"):
                self._refuse_rest(last_data)
        tail = b""
        while chunk := part.read(1024 * 1024):
            window = tail + chunk
            end = SHEET_DATA_END.search(window)
            has_cell = b"<c" in window or b":c" in window  # a quick test before the exact one
            if has_cell and VALUE_ELEMENT.search(window, 0, end.start() if end else len(window)):
                self._refuse_rest(last_data)
            if end:
                return
            tail = window[-64:]

    def _refuse_rest(self, last_data: int):
        raise SpreadsheetError(
            DATA_AFTER_BLANK_RUN.format(count=self.limits.max_blank_run, row=last_data)
        )


# DATES TYPED AS TEXT


class DateTextField(forms.DateField):
    """A date typed as text in one of `input_formats`. A value in the right shape for a day the
    calendar does not have (30.02.1980, 31.04.1975, 29.02.2023) is refused as such
    (DATE_IMPOSSIBLE), not as a wrongly written date: the person fixes the day, not the format."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            text = str(value).strip()
            for format in self.input_formats:
                try:
                    datetime.strptime(text, format)
                except ValueError as exc:
                    if "out of range" in str(exc):  # the shape fits, the day does not exist
                        raise ValidationError(
                            DATE_IMPOSSIBLE.format(value=text), code="impossible_date"
                        ) from None
            raise
