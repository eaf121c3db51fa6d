"""Nominations uploaded as a spreadsheet (CSV or XLSX) at the accreditation desk.

Reading the file is the core's spreadsheet reader (`core.spreadsheets`: encodings, delimiters,
XLSX quirks, limits); here each row is parsed into a nominee (`read_nominations`, what the upload
form calls), and the rows that parse are handed to `services.nomination_batch_submit`, which
decides (`nominations_submit`, what the admin view calls). Every error, the reader's, the
parser's and the service's, is reported with its spreadsheet row (as the spreadsheet numbers it)
and its column; nothing is saved unless every row is valid. Rows hold personal data: nothing here
logs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import spreadsheets
from core.normalize import COUNTRY_UNKNOWN, validate_country
from core.spreadsheets import Column, ColumnKind, SpreadsheetLimits

from . import services
from .choices import BatchSource

COLUMNS = services.PERSON_FIELDS  # the header a file must have, in any order and case
COLUMN_KINDS = {"date_of_birth": ColumnKind.DATE, "document_number": ColumnKind.IDENTIFIER}
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]

# The reader's messages about a whole file, by the names the desk's code and tests use.
FILE_TYPE_REFUSED = spreadsheets.FILE_TYPE_REFUSED
FILE_TOO_LARGE = spreadsheets.FILE_TOO_LARGE
FILE_EMPTY = spreadsheets.FILE_EMPTY
FILE_NO_ROWS = spreadsheets.FILE_NO_ROWS
FILE_TOO_MANY_ROWS = spreadsheets.FILE_TOO_MANY_ROWS
CSV_NOT_TEXT = spreadsheets.CSV_NOT_TEXT
XLSX_MALFORMED = spreadsheets.XLSX_MALFORMED
ROW_TOO_LONG = spreadsheets.ROW_TOO_LONG

UNKNOWN_COUNTRY = COUNTRY_UNKNOWN
DATE_INVALID = _("Enter the date as YYYY-MM-DD or DD.MM.YYYY.")

# An error of the file (row None), of a row (column "") or of a cell: row, column, message.
RowError = spreadsheets.CellError


class ImportFileError(Exception):
    """The file itself cannot be used (type, size, encoding, header): nothing was read."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class ImportInvalid(Exception):
    """Rows of the file are invalid, or the service refused the batch: every error, in order."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = sorted(errors, key=lambda e: (e.row or 0, _column_order(e.column)))


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


class CitizenshipField(forms.CharField):
    """An ISO 3166-1 alpha-2 code; an alpha-3 code is accepted and converted, either case
    (`core.normalize.validate_country`, as the API and the filters read it)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return validate_country(value)


class NominationRow(forms.Form):
    """One spreadsheet row: parses the cells (the service then checks the nominee)."""

    last_name_latin = forms.CharField(max_length=100)
    first_name_latin = forms.CharField(max_length=100)
    last_name_cyrillic = forms.CharField(max_length=100)
    first_name_cyrillic = forms.CharField(max_length=100)
    citizenship = CitizenshipField()
    date_of_birth = spreadsheets.DateTextField(
        input_formats=DATE_FORMATS, error_messages={"invalid": DATE_INVALID}
    )
    document_number = forms.CharField(max_length=40)


@dataclass
class NominationFile:
    """An uploaded file, read and parsed: the nominees that parsed, each with its spreadsheet
    row, and the errors of the rows that did not."""

    source: str  # BatchSource.CSV or BatchSource.XLSX
    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# READING A FILE


def spreadsheet_columns() -> list[Column]:
    return [Column(name, COLUMN_KINDS.get(name, ColumnKind.TEXT)) for name in COLUMNS]


def spreadsheet_limits() -> SpreadsheetLimits:
    return SpreadsheetLimits(max_rows=services.BATCH_LIMIT, max_bytes=UPLOAD_MAX_BYTES)


def read_nominations(upload) -> NominationFile:
    """Read and parse an uploaded file (an UploadedFile): NominationFile, or ImportFileError for
    a file that cannot be used. A cell the reader refused (a formula with no value, a number
    that lost its digits) is reported as the reader says, not again as an empty field."""
    try:
        sheet = spreadsheets.read_spreadsheet(
            upload, name=upload.name, columns=spreadsheet_columns(), limits=spreadsheet_limits()
        )
        rows = list(sheet.rows)
    except spreadsheets.SpreadsheetError as exc:
        raise ImportFileError(exc.message) from None
    source = BatchSource.XLSX if sheet.format == "xlsx" else BatchSource.CSV
    nominations = NominationFile(source=source)
    for row in rows:
        refused = {error.column for error in row.errors}
        nominations.errors.extend(row.errors)
        form = NominationRow(data=row.values)
        if form.is_valid():
            if not row.errors:
                nominations.rows.append((row.number, form.cleaned_data))
            continue
        for name, messages in form.errors.items():
            if name in refused:
                continue
            nominations.errors.extend(RowError(row.number, name, str(m)) for m in messages)
    return nominations


# SUBMITTING


def _service_errors(exc: services.BatchInvalid) -> list[RowError]:
    """The service's errors, already numbered by spreadsheet row (see `row_numbers`)."""
    errors = [RowError(None, "", str(message)) for message in exc.non_row]
    for number, fields in exc.rows.items():
        for name, messages in fields.items():
            column = "" if name == NON_FIELD_ERRORS else name
            errors.extend(RowError(number, column, str(message)) for message in messages)
    return errors


def _refusal_errors(exc: ValidationError) -> list[RowError]:
    """A refusal of the whole batch (the deadline, the body's term) as file-level errors."""
    if hasattr(exc, "error_dict"):
        return [
            RowError(None, "", str(m)) for messages in exc.message_dict.values() for m in messages
        ]
    return [RowError(None, "", str(m)) for m in exc.messages]


def nominations_submit(
    *, actor, election, body, nominations: NominationFile, reference: str = "", at=None
) -> services.BatchResult:
    """Submit a read file's nominees as one batch (`services.nomination_batch_submit`):
    BatchResult, or ImportInvalid listing every error, the file's rows' and the service's (and
    then nothing is saved)."""
    errors = list(nominations.errors)
    if not nominations.rows:
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
                rows=[row for _number, row in nominations.rows],
                row_numbers=[number for number, _row in nominations.rows],
                source=nominations.source,
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


def nominations_import(
    *, actor, election, body, upload, reference: str = "", at=None
) -> services.BatchResult:
    """Read, parse and submit an uploaded file as one batch: BatchResult, or ImportFileError for
    an unusable file, or ImportInvalid listing every error (and then nothing is saved)."""
    return nominations_submit(
        actor=actor,
        election=election,
        body=body,
        nominations=read_nominations(upload),
        reference=reference,
        at=at,
    )
