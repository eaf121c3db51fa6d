"""Nominations uploaded as a spreadsheet (CSV or XLSX) at the accreditation desk.

Reading the file is the core's spreadsheet reader (`core.spreadsheets`: encodings, delimiters,
XLSX quirks, limits); here each row is parsed into a nominee (`read_nominations`, what the upload
form calls), and the rows that parse are handed to `services.nomination_batch_submit`, which
decides (`nominations_submit`, what the admin view calls). Every error, the reader's, the
parser's and the service's, is reported with its spreadsheet row (as the spreadsheet numbers it)
and its column; nothing is saved unless every row is valid. Rows hold personal data: nothing here
logs them.

The desk checks a file before saving it: `nominations_preview` runs the same submission inside a
transaction that is always rolled back (no rows, numbers, outbox or audit entries stay; no
on-commit callback runs) and tells what would be saved, document numbers masked. Between the
preview and the saving, the uploaded bytes are kept server-side (`upload_keep`, `upload_kept`:
the cache, under a random token bound to the user and the file's SHA-256, for a short while).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

from django import forms
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import spreadsheets
from core.normalize import COUNTRY_UNKNOWN, normalize_identifier, validate_country
from core.services import file_digest
from core.spreadsheets import Column, ColumnKind, SpreadsheetLimits

from . import services
from .choices import BatchSource
from .models import NominationBatch

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
UPLOAD_NOT_KEPT = _(
    "This preview has expired or belongs to another user, so nothing was saved. "
    "Upload the file again."
)

# A previewed file is kept this long (seconds) for its saving; then it must be uploaded again.
PREVIEW_SECONDS = 30 * 60
PREVIEW_KEY = "observers:nomination-upload:{token}"
TOKEN_FORMAT = re.compile(r"^[A-Za-z0-9_-]{32}$")
# The reference given to an upload sent without one: saving it twice then saves it once.
GENERATED_REFERENCE = "upload-{code}"

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
    sha256: str = ""  # of the file's bytes, hex
    # Each row's document number as read (normalised), to mask it in the row's errors.
    documents: dict[int, str] = field(default_factory=dict)


# READING A FILE


def spreadsheet_columns() -> list[Column]:
    return [Column(name, COLUMN_KINDS.get(name, ColumnKind.TEXT)) for name in COLUMNS]


def spreadsheet_limits() -> SpreadsheetLimits:
    return SpreadsheetLimits(max_rows=services.BATCH_LIMIT, max_bytes=UPLOAD_MAX_BYTES)


def read_nominations(upload) -> NominationFile:
    """Read and parse an uploaded file (an UploadedFile): NominationFile, or ImportFileError for
    a file that cannot be used. A cell the reader refused (a formula with no value, a number
    that lost its digits) is reported as the reader says, not again as an empty field."""
    digest = file_digest(upload)
    try:
        sheet = spreadsheets.read_spreadsheet(
            upload, name=upload.name, columns=spreadsheet_columns(), limits=spreadsheet_limits()
        )
        rows = list(sheet.rows)
    except spreadsheets.SpreadsheetError as exc:
        raise ImportFileError(exc.message) from None
    source = BatchSource.XLSX if sheet.format == "xlsx" else BatchSource.CSV
    nominations = NominationFile(source=source, sha256=digest)
    for row in rows:
        document = normalize_identifier(row.values.get("document_number"))
        if document:
            nominations.documents[row.number] = document
        refused = {error.column for error in row.errors}
        nominations.errors.extend(row.errors)
        form = NominationRow(data=row.values)
        if form.is_valid() and not row.errors:
            nominations.rows.append((row.number, form.cleaned_data))
            continue
        for name, messages in form.errors.items():
            if name in refused:
                continue
            nominations.errors.extend(RowError(row.number, name, str(m)) for m in messages)
        # The row is not submitted, so the service's checks of the cells that did parse are
        # run here: every error of the row is reported at once, not one after another fix.
        unread = refused | set(form.errors)
        parsed = {name: form.cleaned_data[name] for name in COLUMNS if name not in unread}
        for name, messages in services.nominee_errors(parsed, skip=unread).items():
            column = "" if name == NON_FIELD_ERRORS else name
            nominations.errors.extend(RowError(row.number, column, m) for m in messages)
    return nominations


@dataclass(frozen=True)
class PreviewRow:
    """A nominee as the batch would store them; the document number masked (`masked`)."""

    row: int
    last_name_latin: str
    first_name_latin: str
    last_name_cyrillic: str
    first_name_cyrillic: str
    citizenship: str  # the ISO code
    citizenship_name: str
    date_of_birth: datetime.date
    document_number: str  # masked


@dataclass(frozen=True)
class NominationPreview:
    """What submitting a file would save (`rows`), or the batch already submitted under its
    reference (`existing`: then nothing new would be saved), or the batch the body already
    saved from this very file (`same_file`: e.g. the form sent again with the back button)."""

    rows: list[PreviewRow]
    existing: object = None  # a NominationBatch
    same_file: object = None  # a NominationBatch

    @property
    def size(self) -> int:
        return len(self.rows)


def masked(document_number: str) -> str:
    """A document number as a page may show it: its last 3 characters (none of a short one)."""
    tail = document_number[-3:] if len(document_number) >= 6 else ""
    return "•" * 4 + tail


# SUBMITTING


def masked_errors(errors: list[RowError], nominations: NominationFile) -> list[RowError]:
    """The errors with each row's own document number masked (`masked`), as the preview shows
    it; the row number still tells which nominee is meant."""
    shown = []
    for error in errors:
        document = nominations.documents.get(error.row)
        if document and document in error.message:
            error = RowError(
                error.row, error.column, error.message.replace(document, masked(document))
            )
        shown.append(error)
    return shown


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
    then nothing is saved). Document numbers in the errors are masked (`masked_errors`)."""
    try:
        return _submit(
            actor=actor,
            election=election,
            body=body,
            nominations=nominations,
            reference=reference,
            at=at,
        )
    except ImportInvalid as exc:
        raise ImportInvalid(masked_errors(exc.errors, nominations)) from None


def _submit(*, actor, election, body, nominations, reference, at) -> services.BatchResult:
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
                file_sha256=nominations.sha256,
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


class _RolledBack(Exception):
    def __init__(self, preview: NominationPreview):
        super().__init__("preview")
        self.preview = preview


def nominations_preview(
    *, actor, election, body, nominations: NominationFile, reference: str = "", at=None
) -> NominationPreview:
    """What `nominations_submit` would save, found by running it and rolling it back: the same
    checks, in one place. NominationPreview, or ImportInvalid listing every error.

    The whole submission happens inside a transaction (a savepoint, within an outer one) that is
    always rolled back: no batch, observer, number, outbox or audit row stays, and the on-commit
    callbacks it registered are dropped with it (Django discards those of a rolled-back block).
    Only the primary-key sequences advance, as PostgreSQL's sequences do.

    A file the body already saved for the election (the same bytes) is not checked again: the
    preview names that batch (`same_file`)."""
    if nominations.sha256:
        saved = (
            NominationBatch.objects.filter(
                body=body, election=election, file_sha256=nominations.sha256
            )
            .order_by("submitted_at", "pk")
            .first()
        )
        if saved is not None:
            return NominationPreview(rows=[], same_file=saved)
    try:
        with transaction.atomic():
            result = nominations_submit(
                actor=actor,
                election=election,
                body=body,
                nominations=nominations,
                reference=reference,
                at=at,
            )
            if not result.created:
                return NominationPreview(rows=[], existing=result.batch)
            saved = result.batch.observers.order_by("pk")
            rows = [
                PreviewRow(
                    row=number,
                    last_name_latin=observer.last_name_latin,
                    first_name_latin=observer.first_name_latin,
                    last_name_cyrillic=observer.last_name_cyrillic,
                    first_name_cyrillic=observer.first_name_cyrillic,
                    citizenship=observer.citizenship.code,
                    citizenship_name=str(observer.citizenship.name),
                    date_of_birth=observer.date_of_birth,
                    document_number=masked(observer.document_number),
                )
                for (number, _row), observer in zip(nominations.rows, saved, strict=True)
            ]
            raise _RolledBack(NominationPreview(rows=rows))
    except _RolledBack as rolled_back:
        return rolled_back.preview


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


# KEEPING A FILE FROM ITS PREVIEW TO ITS SAVING


class UploadNotKept(Exception):
    """No kept file answers this token for this user (expired, another user's, or altered)."""


@dataclass(frozen=True)
class KeptUpload:
    """An uploaded file kept between its preview and its saving, with what it is to be saved
    under. `batch_id` is set once it was saved (the bytes are then dropped)."""

    token: str
    user_id: int
    digest: str  # SHA-256 of the bytes, hex
    name: str = ""
    content: bytes = b""
    election_id: int | None = None
    body_id: int | None = None
    reference: str = ""
    batch_id: int | None = None

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.content)


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _same(digest: str, other: str | None) -> bool:
    return hmac.compare_digest(digest.encode(), (other or "").encode())


def generated_reference() -> str:
    return GENERATED_REFERENCE.format(code=secrets.token_hex(4))


def upload_keep(*, user, upload, election, body, reference: str) -> KeptUpload:
    """Keep an uploaded file's bytes (at most UPLOAD_MAX_BYTES, the form read them already) for
    PREVIEW_SECONDS under a new random token, bound to `user`."""
    upload.seek(0)
    content = upload.read(UPLOAD_MAX_BYTES + 1)
    if len(content) > UPLOAD_MAX_BYTES:  # the form refused it already
        raise ImportFileError(FILE_TOO_LARGE.format(limit=UPLOAD_MAX_BYTES // (1024 * 1024)))
    kept = KeptUpload(
        token=secrets.token_urlsafe(24),
        user_id=user.pk,
        digest=_digest(content),
        name=upload.name,
        content=content,
        election_id=election.pk,
        body_id=body.pk,
        reference=reference,
    )
    _store(kept)
    return kept


def upload_kept(*, user, token: str, digest: str) -> KeptUpload:
    """The file kept under `token` for `user`, whose bytes still have `digest`; UploadNotKept
    when it expired, is another user's, or does not match."""
    if not TOKEN_FORMAT.match(token or ""):
        raise UploadNotKept
    stored = cache.get(PREVIEW_KEY.format(token=token))
    if not isinstance(stored, dict):
        raise UploadNotKept
    try:
        kept = KeptUpload(token=token, **stored)
    except TypeError:
        raise UploadNotKept from None
    if kept.user_id != user.pk or not _same(kept.digest, digest):
        raise UploadNotKept
    if kept.batch_id is None and not _same(_digest(kept.content), kept.digest):
        raise UploadNotKept
    return kept


def upload_saved(kept: KeptUpload, batch) -> None:
    """The kept file was saved as `batch`: drop its bytes, remember the batch (a second saving
    of the same preview then opens it)."""
    _store(
        KeptUpload(token=kept.token, user_id=kept.user_id, digest=kept.digest, batch_id=batch.pk)
    )


def upload_forget(kept: KeptUpload) -> None:
    cache.delete(PREVIEW_KEY.format(token=kept.token))


def _store(kept: KeptUpload) -> None:
    values = {name: getattr(kept, name) for name in KeptUpload.__dataclass_fields__}
    del values["token"]
    cache.set(PREVIEW_KEY.format(token=kept.token), values, PREVIEW_SECONDS)
