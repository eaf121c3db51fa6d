"""The station registry as a spreadsheet: import (CSV or XLSX) and export, one set of columns.

A territorial commission's staff import their region's stations in the admin (a job with a
progress bar, `stations_import_job`); the CEC imports the national file with
`manage.py import_stations`. Both read the file with the core's reader (`core.spreadsheets`:
UTF-8 with or without BOM, UTF-16, Windows-1251, comma, semicolon or tab, XLSX, limits), parse
each row here (`parse_row`), and write it through `polling.services` (`polling_station_create`
for a new station, `polling_station_update` for one that exists): one rule, one place, the
services checking the actor's scope (territorial staff only their own region).

A station is found by its key: the region of its precinct commission and its number at home,
its number abroad (a station abroad has no region; its precinct commission belongs to the
region that runs it, Astana's for every station abroad in 2023). The `region` column is that
commission's region (its code), so one column serves both. Columns missing from the header are
left as they are on a station that exists (defaults on a new one); `number` and
`precinct_commission` are required, as the key and who runs the station.

All or nothing: the rows are written in one transaction, each row's service call in a savepoint;
any error (the reader's, the parser's or the service's) is reported with its row, as the
spreadsheet numbers it, and its column, in the user's language, and then nothing is saved.

The export (`export_rows`) writes the same columns, so an exported file imports unchanged.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from commissions.choices import CommissionLevel
from commissions.models import Commission, Region
from core import spreadsheets
from core.csv import spreadsheet_unguarded
from core.jobs import JobRefused, job_handler
from core.normalize import NAME_LETTERS_LOST, normalize_phone, validate_country
from core.services import upload_job_submit
from core.spreadsheets import CellError, Column, SpreadsheetLimits
from core.storage import private_storage

from . import services
from .choices import SpecialKind
from .models import PollingStation

LANGUAGES = ("kk", "ru", "en")
TRANSLATED = tuple(f"{name}_{code}" for name in ("name", "address") for code in LANGUAGES)
FLAGS = (
    "step_free_entrance",
    "has_ramp",
    "accessible_booth",
    "egov_check_available",
    "temporary_registration_allowed",
)
# The header of an import and of an export, in this order.
COLUMNS = (
    "number",
    "region",
    "precinct_commission",
    "country",
    "timezone",
    *TRANSLATED,
    "latitude",
    "longitude",
    "phone",
    "special_kind",
    *FLAGS,
)
REQUIRED = ("number", "precinct_commission")

IMPORT_JOB = "polling.stations_import"
# A territorial commission's file in the admin; the national file (the command) has its own.
ADMIN_LIMITS = SpreadsheetLimits(max_rows=5000, max_bytes=10 * 1024 * 1024, max_cells=200_000)
NATIONAL_LIMITS = SpreadsheetLimits(
    max_rows=20_000, max_bytes=64 * 1024 * 1024, max_cells=1_000_000
)
BATCH_SIZE = 500  # rows whose regions, commissions and stations are looked up at once
MAX_ERRORS = 1000  # reported; beyond them the file is refused all the same

TRUE_WORDS = {"1", "true", "yes", "y", "x", "+", "да", "д", "иә", "ия", "истина", "ақиқат", "шын"}
FALSE_WORDS = {"", "0", "false", "no", "n", "-", "нет", "н", "жоқ", "ложь", "жалған"}
# "?" next to a letter: a letter the file's encoding lacked (Windows-1251 has no Ә, Қ, Ң…).
LOST_LETTER = re.compile(r"\w\?|\?\w")

NUMBER_INVALID = _("A station number is a whole number from 1, e.g. 12.")
COMMISSION_NUMBER_INVALID = _("A precinct commission's number is a whole number from 1, e.g. 12.")
REQUIRED_VALUE = _("This column must have a value.")
FLAG_INVALID = _("Write 1 or 0 (yes or no), not “{value}”.")
DECIMAL_INVALID = _("Write a number of degrees such as 51.128207, not “{value}”.")
REGION_UNKNOWN = _("No region has the code “{value}”.")
REGION_REQUIRED = _("Give the region (its code) of the precinct commission.")
REGION_NOT_COMMISSIONS = _("The file is imported for {region}: this row names another region.")
COMMISSION_UNKNOWN = _("The region {region} has no precinct commission No. {number}.")
SPECIAL_KIND_UNKNOWN = _("“{value}” is none of the kinds of special station: {kinds}.")
KEY_REPEATED = _("Row {row} has this station already.")
COMMISSION_REPEATED = _("Row {row} gives this precinct commission another station.")
FIXED_CHANGED = _(
    "Polling station No. {number} exists with another {column}; it cannot change by import."
)
FILE_HAS_ERRORS = _("Nothing was saved: the file has errors. Correct them and import it again.")
TOO_MANY_ERRORS = _("Only the first {count} errors are shown.")
ROW_ERROR = _("Row {row}, {column}: {message}")
ROW_ERROR_NO_COLUMN = _("Row {row}: {message}")


class ImportFileError(Exception):
    """The file cannot be used (type, size, encoding, header): `message` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class ImportInvalid(Exception):
    """Rows of the file are invalid: every error (up to MAX_ERRORS), by row then column."""

    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = sorted(errors, key=lambda e: (e.row or 0, _column_order(e.column)))


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0


def spreadsheet_columns() -> list[Column]:
    return [Column(name, required=name in REQUIRED) for name in COLUMNS]


def error_lines(errors: Iterable[CellError]) -> list[str]:
    """Errors as lines a person reads: "Row 5, phone: …"."""
    lines = []
    for error in errors:
        if error.row is None:
            lines.append(error.message)
        elif error.column:
            lines.append(
                str(ROW_ERROR).format(row=error.row, column=error.column, message=error.message)
            )
        else:
            lines.append(str(ROW_ERROR_NO_COLUMN).format(row=error.row, message=error.message))
    return lines


# PARSING A ROW


@dataclass
class StationRow:
    """One row, parsed: its key and the station's values (model field → value) for the columns
    the file has."""

    number: int  # spreadsheet row
    station_number: int | None = None
    region_code: str = ""
    commission_number: int | None = None
    values: dict = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)

    @property
    def abroad(self) -> bool:
        return self.values.get("country", "KZ") != "KZ"


def _positive_int(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace("\u00a0", "")
    if text.endswith(".0"):  # a number cell some writers save as a float
        text = text[:-2]
    return int(text) if text.isdigit() and int(text) > 0 else None


def _flag(text: str) -> bool | None:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _degrees(text: str) -> Decimal | None:
    """A coordinate as a Russian or Kazakh Excel writes it ("51,128207") or as anyone else."""
    try:
        return Decimal(text.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None


@functools.cache
def _special_kinds() -> dict[str, str]:
    """Each kind by its code and by its label in each language (lower case)."""
    kinds = {}
    for value, label in SpecialKind.choices:
        kinds[value] = value
        for code in LANGUAGES:
            with translation.override(code):
                kinds[str(label).lower()] = value
    return kinds


def parse_row(row: spreadsheets.SpreadsheetRow, columns: Iterable[str]) -> StationRow:
    """A spreadsheet row as a StationRow; cell errors in `errors`."""
    present = set(columns)
    parsed = StationRow(number=row.number, errors=list(row.errors))
    refused = {error.column for error in row.errors}
    cells = {name: spreadsheet_unguarded(str(value).strip()) for name, value in row.values.items()}

    def refuse(column: str, message) -> None:
        if column not in refused:
            parsed.errors.append(CellError(row.number, column, str(message)))
            refused.add(column)

    parsed.station_number = _positive_int(cells["number"])
    if parsed.station_number is None:
        refuse("number", NUMBER_INVALID if cells["number"] else REQUIRED_VALUE)
    parsed.commission_number = _positive_int(cells["precinct_commission"])
    if parsed.commission_number is None:
        refuse(
            "precinct_commission",
            COMMISSION_NUMBER_INVALID if cells["precinct_commission"] else REQUIRED_VALUE,
        )
    parsed.region_code = cells["region"].lower()
    values = parsed.values
    if "country" in present:
        try:
            values["country"] = validate_country(cells["country"]) if cells["country"] else "KZ"
        except ValidationError as exc:
            refuse("country", exc.messages[0])
    if "timezone" in present:
        values["timezone"] = cells["timezone"]
    for name in TRANSLATED:
        if name in present:
            if LOST_LETTER.search(cells[name]):
                refuse(name, NAME_LETTERS_LOST)
            values[name] = cells[name]
    if "latitude" in present or "longitude" in present:
        for name in ("latitude", "longitude"):
            text = cells[name] if name in present else ""
            value = _degrees(text) if text else None
            if text and value is None:
                refuse(name, DECIMAL_INVALID.format(value=text))
            values[name] = value
    if "phone" in present:
        values["phone"] = normalize_phone(cells["phone"])
    if "special_kind" in present:
        kinds = _special_kinds()
        value = kinds.get(cells["special_kind"].lower())
        if value is None:
            shown = ", ".join(v for v in SpecialKind.values if v)
            refuse(
                "special_kind",
                SPECIAL_KIND_UNKNOWN.format(value=cells["special_kind"], kinds=shown),
            )
        values["special_kind"] = value or ""
    for name in FLAGS:
        if name in present:
            value = _flag(cells[name])
            if value is None:
                refuse(name, FLAG_INVALID.format(value=cells[name]))
            values[name] = bool(value)
    return parsed


# WRITING


def _field_column(name: str) -> str:
    """The column a model field's error belongs to."""
    if name == NON_FIELD_ERRORS:
        return ""
    if name in ("name", "address"):
        return f"{name}_{translation.get_language() or 'en'}"
    if name == "is_abroad":
        return "country"
    return name if name in COLUMNS else ""


def _service_errors(number: int, exc: ValidationError) -> list[CellError]:
    if hasattr(exc, "error_dict"):
        return [
            CellError(number, _field_column(name), str(message))
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [CellError(number, "", str(message)) for message in exc.messages]


class StationImport:
    """Writes parsed rows through the services, batch by batch, remembering keys across
    batches (a station or a precinct commission named twice in the file is refused). Run it
    inside a transaction: it saves nothing itself when there are errors, the caller rolls back."""

    def __init__(self, *, actor, commission: Commission | None = None, columns: Iterable[str]):
        self.actor = actor
        self.commission = commission
        self.columns = tuple(columns)
        self.result = ImportResult()
        self.errors: list[CellError] = []
        self.keys: dict[tuple, int] = {}
        self.commissions_used: dict[int, int] = {}
        self.regions = {region.code: region for region in Region.objects.all()}

    @property
    def too_many_errors(self) -> bool:
        return len(self.errors) >= MAX_ERRORS

    def add(self, rows: list[StationRow]) -> None:
        """Write one batch of rows (those with errors are only reported)."""
        self.result.rows += len(rows)
        for row in rows:
            self._resolve_region(row)
        commissions = self._commissions(rows)
        stations = self._stations(rows)
        for row in rows:
            self.errors.extend(row.errors)
            if row.errors:
                continue
            self._write(row, commissions, stations)

    def _resolve_region(self, row: StationRow) -> None:
        own = self.commission.region if self.commission is not None else None
        if not row.region_code:
            if own is None:
                row.errors.append(CellError(row.number, "region", str(REGION_REQUIRED)))
            else:
                row.region_code = own.code
            return
        if row.region_code not in self.regions:
            row.errors.append(
                CellError(row.number, "region", str(REGION_UNKNOWN.format(value=row.region_code)))
            )
        elif own is not None and row.region_code != own.code:
            row.errors.append(
                CellError(row.number, "region", str(REGION_NOT_COMMISSIONS.format(region=own)))
            )

    def _commissions(self, rows: list[StationRow]) -> dict[tuple[str, int], Commission]:
        """The batch's precinct commissions, by (region code, number): one query."""
        wanted = _by_region((r.region_code, r.commission_number) for r in rows if not r.errors)
        if not wanted:
            return {}
        condition = Q()
        for code, numbers in wanted.items():
            condition |= Q(region__code=code, number__in=numbers)
        found = Commission.objects.filter(condition, level=CommissionLevel.PRECINCT)
        return {(c.region.code, c.number): c for c in found.select_related("region")}

    def _stations(self, rows: list[StationRow]) -> dict[tuple, PollingStation]:
        """The batch's stored stations, by key (region code or "abroad", number): one query."""
        wanted = _by_region(
            ("abroad" if r.abroad else r.region_code, r.station_number)
            for r in rows
            if not r.errors
        )
        if not wanted:
            return {}
        condition = Q()
        for code, numbers in wanted.items():
            if code == "abroad":
                condition |= Q(is_abroad=True, number__in=numbers)
            else:
                condition |= Q(region__code=code, number__in=numbers)
        found = PollingStation.objects.filter(condition).select_related(
            "region", "precinct_commission__region"
        )
        return {self._stored_key(s): s for s in found}

    @staticmethod
    def _stored_key(station: PollingStation) -> tuple:
        if station.is_abroad:
            return ("abroad", station.number)
        return (station.region.code, station.number)

    def _write(self, row: StationRow, commissions, stations) -> None:
        key = (
            ("abroad", row.station_number) if row.abroad else (row.region_code, row.station_number)
        )
        if key in self.keys:
            self.errors.append(
                CellError(row.number, "number", str(KEY_REPEATED.format(row=self.keys[key])))
            )
            return
        self.keys[key] = row.number
        region = self.regions[row.region_code]
        commission = commissions.get((row.region_code, row.commission_number))
        if commission is None:
            message = COMMISSION_UNKNOWN.format(region=region, number=row.commission_number)
            self.errors.append(CellError(row.number, "precinct_commission", str(message)))
            return
        if commission.pk in self.commissions_used:
            message = COMMISSION_REPEATED.format(row=self.commissions_used[commission.pk])
            self.errors.append(CellError(row.number, "precinct_commission", str(message)))
            return
        self.commissions_used[commission.pk] = row.number
        station = stations.get(key)
        # The services check the actor's permission (add or change) and row scope; a refusal
        # is this row's error.
        try:
            if station is None:
                self._create(row, region, commission)
            else:
                self._update(row, station, commission)
        except ValidationError as exc:
            self.errors.extend(_service_errors(row.number, exc))
        except PermissionDenied as exc:
            self.errors.append(CellError(row.number, "", str(exc) or str(services.OUTSIDE_SCOPE)))

    def _create(self, row: StationRow, region: Region, commission: Commission) -> None:
        values = dict(row.values)
        values.setdefault("country", "KZ")
        station = PollingStation(
            number=row.station_number,
            region=None if row.abroad else region,
            is_abroad=row.abroad,
            precinct_commission=commission,
            **values,
        )
        # The service is atomic: inside the import's transaction, a savepoint that a refusal
        # rolls back, leaving the transaction usable for the next row.
        services.polling_station_create(actor=self.actor, station=station)
        self.result.created += 1

    def _update(self, row: StationRow, station: PollingStation, commission: Commission) -> None:
        if station.precinct_commission_id != commission.pk:
            message = FIXED_CHANGED.format(number=station.number, column="precinct_commission")
            self.errors.append(CellError(row.number, "precinct_commission", str(message)))
            return
        values = dict(row.values)
        country = values.pop("country", station.country)
        if country != station.country:
            message = FIXED_CHANGED.format(number=station.number, column="country")
            self.errors.append(CellError(row.number, "country", str(message)))
            return
        changes = {
            name: value
            for name, value in values.items()
            if PollingStation._meta.get_field(name).value_from_object(station) != value
        }
        if not changes:
            self.result.unchanged += 1
            return
        services.polling_station_update(actor=self.actor, station=station, **changes)
        self.result.updated += 1


def _by_region(keys: Iterable[tuple[str, int]]) -> dict[str, set[int]]:
    grouped: dict[str, set[int]] = {}
    for code, number in keys:
        grouped.setdefault(code, set()).add(number)
    return grouped


def _batches(rows: Iterator, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def stations_import(
    *,
    actor,
    file,
    name: str,
    commission: Commission | None = None,
    limits: SpreadsheetLimits = ADMIN_LIMITS,
    progress=None,
    dry_run: bool = False,
) -> ImportResult:
    """Import a file of stations (see the module's docstring): ImportResult, ImportFileError
    for a file that cannot be used, ImportInvalid listing the errors (nothing saved). With
    `commission` (a territorial commission), every row is of its region; `progress(rows)` is
    called after each batch; `dry_run` checks everything and saves nothing."""
    try:
        sheet = spreadsheets.read_spreadsheet(
            file, name=name, columns=spreadsheet_columns(), limits=limits
        )
    except spreadsheets.SpreadsheetError as exc:
        raise ImportFileError(exc.message) from None
    importer = StationImport(actor=actor, commission=commission, columns=sheet.columns)
    try:
        with transaction.atomic():
            try:
                parsed = (parse_row(row, sheet.columns) for row in sheet.rows)
                for batch in _batches(parsed, BATCH_SIZE):
                    importer.add(batch)
                    if progress is not None:
                        progress(importer.result.rows)
                    if importer.too_many_errors:
                        break
            except spreadsheets.SpreadsheetError as exc:
                # Said while reading the rows, of the whole file (no rows below the header,
                # too many, data after a long blank run): the file cannot be used as it is.
                whole_file = exc.message
            else:
                whole_file = None
            if whole_file is not None or importer.errors or dry_run:
                raise _RolledBack
    except _RolledBack:
        if whole_file is not None:
            raise ImportFileError(whole_file) from None
        if importer.errors:
            raise ImportInvalid(importer.errors[:MAX_ERRORS]) from None
    return importer.result


class _RolledBack(Exception):
    pass


# THE ADMIN'S JOB


def count_rows(content: bytes, name: str) -> int:
    """How many rows the file has below its header (for the job's total); 0 if unreadable."""
    try:
        sheet = spreadsheets.read_spreadsheet(
            io.BytesIO(content), name=name, columns=spreadsheet_columns(), limits=ADMIN_LIMITS
        )
        return sum(1 for _row in sheet.rows)
    except spreadsheets.SpreadsheetError:
        return 0


@job_handler(IMPORT_JOB, label=_("Polling stations import"))
def stations_import_job(job, progress):
    """Import the kept file for the commission, as the user who uploaded it, in their
    language; refused with the per-row report (JobRefused) when anything is wrong."""
    params = job.params
    commission = Commission.objects.select_related("region").get(pk=params["commission"])
    storage = private_storage()
    with storage.open(params["file"]) as kept:
        content = kept.read()
    if not job.total:
        job.total = count_rows(content, params["name"])
        type(job).objects.filter(pk=job.pk).update(total=job.total)
    with translation.override(params.get("language") or "en"):
        try:
            stations_import(
                actor=job.created_by,
                file=io.BytesIO(content),
                name=params["name"],
                commission=commission,
                limits=ADMIN_LIMITS,
                progress=progress,
            )
        except ImportFileError as exc:
            raise JobRefused(exc.message) from None
        except ImportInvalid as exc:
            lines = [str(FILE_HAS_ERRORS), *error_lines(exc.errors)]
            if len(exc.errors) >= MAX_ERRORS:
                lines.append(str(TOO_MANY_ERRORS).format(count=MAX_ERRORS))
            raise JobRefused("\n".join(lines)) from None
    storage.delete(params["file"])
    return None


def stations_file_check(upload, *, limits: SpreadsheetLimits = ADMIN_LIMITS) -> None:
    """Refuse (ValidationError, the reader's message in the active language) a file unusable as
    a whole: its type, size, encoding or header, or no row below its header; its rows are the
    job's to check. `upload` is a binary file object with a `name`, read from its start and
    left there. For the upload form (`StationImportForm.clean_file`), before any job is made."""
    try:
        sheet = spreadsheets.read_spreadsheet(
            upload, name=upload.name, columns=spreadsheet_columns(), limits=limits
        )
        try:
            for _row in sheet.rows:  # the first row, or FILE_NO_ROWS
                break
        finally:
            sheet.rows.close()
    except spreadsheets.SpreadsheetError as error:
        raise ValidationError(error.message) from None
    finally:
        upload.seek(0)


def import_job_title(commission: Commission, name: str):
    def title():
        return _("Stations of {commission} from {file}").format(commission=commission, file=name)

    return title


def import_job_submit(*, actor, commission: Commission, upload, language: str):
    """The job importing an uploaded file (a Django UploadedFile) for a territorial commission,
    as `actor`, reporting in `language`: the same file again while its job is queued or running
    (a double click, a form sent again) is that job; once that job has finished, done or
    failed, the same file makes a new job that imports it again (staff going back to an earlier
    file). The upload is kept for the job (`core.services.upload_job_submit`)."""
    return upload_job_submit(
        actor=actor,
        kind=IMPORT_JOB,
        scope=commission.pk,
        upload=upload,
        folder="imports/stations",
        title=import_job_title(commission, upload.name),
        params={"commission": commission.pk, "language": language},
    )


# EXPORT


def export_queryset(commission: Commission | None = None, queryset=None):
    """The stations of a territorial commission's region (those abroad its precinct commissions
    run included), ordered by region, number and pk; one query with what the columns need."""
    stations = queryset if queryset is not None else PollingStation.objects.all()
    if commission is not None:
        stations = stations.filter(precinct_commission__region=commission.region_id)
    return stations.select_related("region", "precinct_commission__region").order_by(
        "region__name", "number", "pk"
    )


def _flag_cell(value: bool) -> int:
    return 1 if value else 0


def export_row(station: PollingStation) -> list:
    values = {
        "number": station.number,
        "region": station.precinct_commission.region.code,
        "precinct_commission": station.precinct_commission.number,
        "country": station.country,
        "timezone": station.timezone,
        "latitude": "" if station.latitude is None else str(station.latitude),
        "longitude": "" if station.longitude is None else str(station.longitude),
        "phone": station.phone,
        "special_kind": station.special_kind,
    }
    for name in TRANSLATED:
        values[name] = getattr(station, name) or ""
    for name in FLAGS:
        values[name] = _flag_cell(getattr(station, name))
    return [values[name] for name in COLUMNS]


def export_rows(stations) -> Iterator[list]:
    for station in stations.iterator(chunk_size=2000):
        yield export_row(station)
