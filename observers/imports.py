"""Nominations uploaded as a spreadsheet (CSV or XLSX) at the accreditation desk.

A file is read whole, each row parsed, and the rows that parse are handed to
`services.nomination_batch_submit`, which decides. Every error, the parser's and the service's, is
reported with its spreadsheet row (the header is row 1) and its column; nothing is saved unless
every row is valid. Rows hold personal data: nothing here logs them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import services
from .choices import BatchSource

COLUMNS = services.PERSON_FIELDS  # the header a file must have, in any order and case
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 50
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]

FILE_TYPE_REFUSED = _("Upload a .csv (UTF-8) or .xlsx file.")
FILE_TOO_LARGE = _("The file is larger than {limit} MB.")
FILE_EMPTY = _("The file is empty: it needs a header row and one row per nominee.")
FILE_NO_ROWS = _("The file has a header but no nominees.")
FILE_TOO_MANY_ROWS = _("A file has at most {limit} nominees.")
CSV_NOT_UTF8 = _("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
CSV_MALFORMED = _("The CSV file cannot be read: {error}.")
XLSX_MALFORMED = _("The file is not a readable XLSX workbook.")
COLUMNS_MISSING = _("The header lacks the column(s) {columns}.")
COLUMN_REPEATED = _("The header names the column {column} twice.")
ROW_TOO_LONG = _("This row has more cells than the header.")
UNKNOWN_COUNTRY = _("“{value}” is not an ISO 3166-1 country code (e.g. DE or DEU).")
DATE_INVALID = _("Enter the date as YYYY-MM-DD or DD.MM.YYYY.")


class ImportFileError(Exception):
    """The file itself cannot be used (type, size, encoding, header): nothing was read."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet row (the header is row 1); None: the whole file
    column: str  # the column's header name; "" for the whole row
    message: str


class ImportInvalid(Exception):
    """Rows of the file are invalid, or the service refused the batch: every error, in order."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = sorted(errors, key=lambda e: (e.row or 0, _column_order(e.column)))


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


class CitizenshipField(forms.CharField):
    """An ISO 3166-1 alpha-2 code; an alpha-3 code is accepted and converted."""

    def to_python(self, value):
        value = super().to_python(value).upper()
        if value in self.empty_values:
            return value
        code = countries.alpha2(value) if value.isalpha() and len(value) in (2, 3) else ""
        if not code:
            raise ValidationError(UNKNOWN_COUNTRY.format(value=value), code="unknown_country")
        return code


class NominationRow(forms.Form):
    """One spreadsheet row: parses the cells (the service then checks the nominee)."""

    last_name_latin = forms.CharField(max_length=100)
    first_name_latin = forms.CharField(max_length=100)
    last_name_cyrillic = forms.CharField(max_length=100)
    first_name_cyrillic = forms.CharField(max_length=100)
    citizenship = CitizenshipField()
    date_of_birth = forms.DateField(
        input_formats=DATE_FORMATS, error_messages={"invalid": DATE_INVALID}
    )
    document_number = forms.CharField(max_length=40)


@dataclass
class SpreadsheetRow:
    number: int  # in the spreadsheet: the header is row 1
    cells: dict[str, object]
    too_long: bool = False


# READING A FILE


def file_source(name: str) -> str:
    """The batch source a file name stands for (CSV or XLSX), or ImportFileError."""
    lowered = (name or "").lower()
    if lowered.endswith(".csv"):
        return BatchSource.CSV
    if lowered.endswith(".xlsx"):
        return BatchSource.XLSX
    raise ImportFileError(FILE_TYPE_REFUSED)


def check_upload(upload) -> str:
    """Refuse a file of another type or too large; returns its source (CSV or XLSX)."""
    source = file_source(upload.name)
    if upload.size > UPLOAD_MAX_BYTES:
        raise ImportFileError(FILE_TOO_LARGE.format(limit=UPLOAD_MAX_BYTES // (1024 * 1024)))
    return source


def _header(cells) -> dict[int, str]:
    """Column index → column name, for the columns the import knows; the rest are ignored."""
    names: dict[int, str] = {}
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        name = str(cell if cell is not None else "").strip().lstrip("\ufeff").lower()
        if name in COLUMNS:
            if name in seen:
                raise ImportFileError(COLUMN_REPEATED.format(column=name))
            seen.add(name)
            names[index] = name
    missing = [c for c in COLUMNS if c not in seen]
    if missing:
        raise ImportFileError(COLUMNS_MISSING.format(columns=", ".join(missing)))
    return names


def _is_blank(cells) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _rows(lines) -> list[SpreadsheetRow]:
    """Spreadsheet lines (lists of cells, the header first) as rows of named cells, numbered as
    the spreadsheet numbers them (the first line is row 1); blank lines are skipped."""
    numbered = ((number, cells) for number, cells in enumerate(lines, start=1))
    header = next(((n, cells) for n, cells in numbered if not _is_blank(cells)), None)
    if header is None:
        raise ImportFileError(FILE_EMPTY)
    names = _header(header[1])
    width = len(header[1])
    rows: list[SpreadsheetRow] = []
    for number, cells in numbered:
        if _is_blank(cells):
            continue
        if len(rows) >= services.BATCH_LIMIT:
            raise ImportFileError(FILE_TOO_MANY_ROWS.format(limit=services.BATCH_LIMIT))
        rows.append(
            SpreadsheetRow(
                number=number,
                cells={name: cells[i] if i < len(cells) else None for i, name in names.items()},
                too_long=not _is_blank(cells[width:]),
            )
        )
    if not rows:
        raise ImportFileError(FILE_NO_ROWS)
    return rows


def read_csv(data: bytes) -> list[SpreadsheetRow]:
    if b"\x00" in data:
        raise ImportFileError(CSV_NOT_UTF8)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(CSV_NOT_UTF8) from None
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return _rows(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise ImportFileError(CSV_MALFORMED.format(error=exc)) from None


def read_xlsx(upload) -> list[SpreadsheetRow]:
    """The first sheet of a workbook, read in openpyxl's streaming (read-only) mode."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ImportFileError(XLSX_MALFORMED) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(FILE_EMPTY)
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        return _rows(lines)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ImportFileError(XLSX_MALFORMED) from None
    finally:
        workbook.close()


def read_upload(upload) -> tuple[str, list[SpreadsheetRow]]:
    """The source and the rows of an uploaded file, or ImportFileError."""
    source = check_upload(upload)
    if source == BatchSource.XLSX:
        return source, read_xlsx(upload)
    upload.seek(0)
    return source, read_csv(upload.read())


def _cell_text(value) -> object:
    """A cell as the row form takes it: numbers typed into a spreadsheet become text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value


def parse_rows(rows: list[SpreadsheetRow]) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Parse every row: the nominees that parsed (with their row numbers) and every error."""
    parsed: list[tuple[int, dict]] = []
    errors: list[RowError] = []
    for row in rows:
        form = NominationRow(data={k: _cell_text(v) for k, v in row.cells.items()})
        if row.too_long:
            errors.append(RowError(row.number, "", str(ROW_TOO_LONG)))
        if form.is_valid():
            if not row.too_long:
                parsed.append((row.number, form.cleaned_data))
            continue
        for field, messages in form.errors.items():
            for message in messages:
                errors.append(RowError(row.number, field, str(message)))
    return parsed, errors


# SUBMITTING


def _service_errors(exc: services.BatchInvalid) -> list[RowError]:
    """The service's errors, already numbered by spreadsheet row (see `row_numbers`)."""
    errors = [RowError(None, "", str(message)) for message in exc.non_row]
    for number, fields in exc.rows.items():
        for field, messages in fields.items():
            column = "" if field == NON_FIELD_ERRORS else field
            errors.extend(RowError(number, column, str(message)) for message in messages)
    return errors


def _refusal_errors(exc: ValidationError) -> list[RowError]:
    """A refusal of the whole batch (the deadline, the body's term) as file-level errors."""
    if hasattr(exc, "error_dict"):
        return [
            RowError(None, "", str(m)) for messages in exc.message_dict.values() for m in messages
        ]
    return [RowError(None, "", str(m)) for m in exc.messages]


def nominations_import(
    *, actor, election, body, upload, reference: str = "", at=None
) -> services.BatchResult:
    """Read, parse and submit an uploaded file as one batch: BatchResult, or ImportFileError for
    an unusable file, or ImportInvalid listing every error (and then nothing is saved)."""
    source, rows = read_upload(upload)
    parsed, errors = parse_rows(rows)
    if not parsed:
        try:
            services.check_accreditation_open(election, at)
        except ValidationError as exc:
            errors = _refusal_errors(exc) + errors
        raise ImportInvalid(errors)
    with transaction.atomic():
        try:
            result = services.nomination_batch_submit(
                actor=actor,
                election=election,
                body=body,
                rows=[row for _number, row in parsed],
                row_numbers=[number for number, _row in parsed],
                source=source,
                reference=reference,
                at=at,
            )
        except services.BatchInvalid as exc:
            raise ImportInvalid(errors + _service_errors(exc)) from None
        except ValidationError as exc:
            raise ImportInvalid(errors + _refusal_errors(exc)) from None
        except PermissionDenied as exc:
            raise ImportInvalid([*errors, RowError(None, "", str(exc))]) from None
        if errors:
            # The rows that parsed are valid, but the file is not: leaving the block with an
            # exception rolls the batch back, so none of it is saved.
            raise ImportInvalid(errors)
    return result
