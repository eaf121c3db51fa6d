"""A territorial commission's territories from a spreadsheet (CSV or XLSX), all or nothing.

Columns (header names in English, any case; a title row above the header is allowed):
`station` (the station's number in the commission's region), `locality` (its name in any
language), `street` (empty: the whole locality), `street_ru` (the street's Russian name, when
`street` is its Kazakh one), `former_names` (separated by `|`), `from` and `to` (a range of
building numbers), `parity` (odd or even side: odd/нечет/тақ, even/чет/жұп; empty: both), and
`buildings` (single buildings, separated by commas: `12А, 14/1`). A row with a street and
neither a range nor buildings gives the whole street (or its side). Files are read by
`core.spreadsheets` (UTF-8 with or without BOM, Windows-1251, comma or semicolon, XLSX).

The file is each listed station's whole territory: its rules not in the file are deleted, those
in it and stored already are left as they are, the others created, so loading one file twice
writes nothing. Streets not found in the locality (by any name's key) are created with their
names; former names are added to a street that lacks them. Everything is checked first, the
overlap check (`polling.services.rules_overlap`) over the localities' other stations and the
file's own rows included, under the localities' locks; one error anywhere and nothing is saved,
every error reported with its row and column.

In the admin the import is a job of the core's (`core.jobs`, kind IMPORT_JOB): the upload is kept
in private storage beside the station import's (`imports/territories/`), the job runs
`territory_import` as the user who uploaded it, in their language, with its progress in rows,
and a file with errors fails the job with the per-row report on its page; a file imported gives
the job its result, a workbook of what was done and of the addresses of the file's localities
no station serves (`report_workbook`), downloaded from the job's page. The job's key is the
user, the commission and the file's digest: the same file sent twice while its job is queued or
running is one job, and sent after that job has finished is a new job importing it again. A
file with no row below its header is refused on the upload form, as one unusable as a whole
(`territory_file_check`). A retried job
imports nothing twice: the import is one transaction and writes nothing for rules already
stored, and the kept file is deleted only once an import has committed (an attempt that finds it
gone has nothing left to do). The management command runs `territory_import` directly.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from commissions.models import Commission
from core.audit import acting_as
from core.collation import sorted_by_name
from core.constraints import check_constraints, save_checked
from core.jobs import JobRefused, job_handler
from core.normalize import normalize_name
from core.scoping import Level, scope_of
from core.services import upload_job_submit
from core.spreadsheets import (
    CellError,
    Column,
    SpreadsheetError,
    SpreadsheetLimits,
    read_spreadsheet,
)
from core.storage import private_storage
from core.xlsx import xlsx_workbook_bytes

from . import services
from .addresses import parse_building, street_key
from .choices import Parity, RuleKind, StreetNameKind
from .imports import FILE_HAS_ERRORS, MAX_ERRORS, TOO_MANY_ERRORS, error_lines
from .models import Locality, PollingStation, Street, StreetName, TerritoryRule
from .selectors import unserved_addresses

COLUMNS = (
    Column("station"),
    Column("locality"),
    Column("street", required=False),
    Column("street_ru", required=False),
    Column("former_names", required=False),
    Column("from", required=False),
    Column("to", required=False),
    Column("parity", required=False),
    Column("buildings", required=False),
)

IMPORT_JOB = "polling.territories_import"
# A city's file: a row is a street, a side, a range or a building list, so a city of hundreds of
# thousands of addresses fits in some tens of thousands of rows. Measured on a development
# machine: a new rule costs about 1 ms (its insert and its audit entry), a rule deleted about
# 4 ms, one stored already and kept almost nothing; 100,000 rows stay well within the worker's
# time limit (CELERY_TASK_TIME_LIMIT).
LIMITS = SpreadsheetLimits(max_rows=100_000, max_bytes=16 * 1024 * 1024, max_cells=1_000_000)
PROGRESS_EVERY = 500  # rows between two progress reports of a job
# The job's result: a workbook of what was done and of the addresses no station serves.
SUMMARY_SHEET = _("Summary")
UNSERVED_SHEET = _("Unserved addresses")
SUMMARY_ROWS = _("Rows")
SUMMARY_CREATED = _("Rules created")
SUMMARY_DELETED = _("Rules deleted")
SUMMARY_UNCHANGED = _("Rules left as they were")
SUMMARY_STREETS = _("Streets created")

IMPORT_OUTSIDE_SCOPE = _("You may not import the territories of this commission.")
NOT_TERRITORIAL = _("Territories are imported for a territorial election commission.")
STATION_UNKNOWN = _("No polling station No. {number} in the commission's region.")
STATION_NOT_NUMBER = _("“{value}” is not a station number.")
LOCALITY_UNKNOWN = _("No locality “{value}” in the commission's region.")
LOCALITY_AMBIGUOUS = _(
    "The region has several localities called “{value}”; add them under distinct names first."
)
NUMBER_INVALID = _("“{value}” is not a whole building number.")
RANGE_INCOMPLETE = _("Give both the first and the last number of a range, or neither.")
RANGE_AND_BUILDINGS = _("A row gives a range or single buildings, not both.")
PARITY_UNKNOWN = _("“{value}” is no side: write odd or even (or leave it empty for both).")
PARITY_WITH_BUILDINGS = _("Single buildings have no side.")
NO_STREET = _("A range, a side or buildings need a street.")
ROW_OVERLAP = _("Row {row} gives these addresses to polling station No. {number} already.")

ODD_WORDS = ("odd", "неч", "тақ", "так")
EVEN_WORDS = ("even", "чет", "чёт", "жұп", "жуп")
BOTH_WORDS = ("", "both", "all", "все", "обе", "барлы", "екі")
FORMER_SEPARATOR = re.compile(r"\s*\|\s*")


@dataclass
class TerritoryImportReport:
    created: int = 0
    deleted: int = 0
    unchanged: int = 0
    streets_created: int = 0
    rows: int = 0
    errors: list[CellError] = field(default_factory=list)
    locality_ids: set[int] = field(default_factory=set)  # the localities the file names

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    station: PollingStation
    locality: Locality
    street: str = ""
    street_ru: str = ""
    former_names: tuple[str, ...] = ()
    kind: str = RuleKind.LOCALITY
    parity: str = Parity.BOTH
    number_from: int | None = None
    number_to: int | None = None
    buildings: tuple[str, ...] = ()


class _Rollback(Exception):
    pass


def _parity(value: str):
    text = value.strip().lower()
    for words, parity in ((ODD_WORDS, Parity.ODD), (EVEN_WORDS, Parity.EVEN)):
        if any(text.startswith(word) for word in words):
            return parity
    if text in BOTH_WORDS or any(text.startswith(word) for word in BOTH_WORDS if word):
        return Parity.BOTH
    return None


def _whole_number(value: str):
    text = str(value).strip()
    if not text:
        return None
    if not text.isdigit() or int(text) == 0:
        raise ValueError(text)
    return int(text)


def _localities_by_key(region_id: int) -> dict[str, list[Locality]]:
    found: dict[str, list[Locality]] = {}
    for locality in Locality.objects.filter(region_id=region_id):
        keys = {
            street_key(getattr(locality, f"name_{code}", "") or "") for code in ("kk", "ru", "en")
        }
        for key in keys - {""}:
            found.setdefault(key, []).append(locality)
    return found


def _parse(sheet, stations, localities, report) -> list[_Row]:
    rows = []
    for line in sheet.rows:
        report.rows += 1
        errors = list(line.errors)
        values = {name: str(value).strip() for name, value in line.values.items()}

        def refuse(column, message, line=line, errors=errors):
            errors.append(CellError(line.number, column, str(message)))

        station = None
        number_text = values["station"].lstrip("№").strip()
        if not number_text.isdigit():
            refuse("station", STATION_NOT_NUMBER.format(value=values["station"]))
        else:
            station = stations.get(int(number_text))
            if station is None:
                refuse("station", STATION_UNKNOWN.format(number=int(number_text)))
        candidates = localities.get(street_key(values["locality"]), [])
        locality = candidates[0] if len(candidates) == 1 else None
        if not candidates:
            refuse("locality", LOCALITY_UNKNOWN.format(value=values["locality"]))
        elif len(candidates) > 1:
            refuse("locality", LOCALITY_AMBIGUOUS.format(value=values["locality"]))
        bounds = {}
        for column in ("from", "to"):
            try:
                bounds[column] = _whole_number(values.get(column, ""))
            except ValueError:
                refuse(column, NUMBER_INVALID.format(value=values[column]))
                bounds[column] = None
        parity = _parity(values.get("parity", ""))
        if parity is None:
            refuse("parity", PARITY_UNKNOWN.format(value=values["parity"]))
        buildings = tuple(
            part.strip() for part in values.get("buildings", "").split(",") if part.strip()
        )
        for building in buildings:
            try:
                parse_building(building)
            except ValidationError as error:
                refuse("buildings", error.messages[0])
        street = normalize_name(values.get("street", ""))
        has_range = bool(values.get("from") or values.get("to"))
        if (bounds["from"] is None) != (bounds["to"] is None) and not errors:
            refuse("to" if bounds["from"] is not None else "from", RANGE_INCOMPLETE)
        if has_range and buildings:
            refuse("buildings", RANGE_AND_BUILDINGS)
        if buildings and parity not in (None, Parity.BOTH):
            refuse("parity", PARITY_WITH_BUILDINGS)
        if not street and (has_range or buildings or parity not in (None, Parity.BOTH)):
            refuse("street", NO_STREET)
        if errors:
            report.errors.extend(errors)
            continue
        if not street:
            kind = RuleKind.LOCALITY
        elif buildings:
            kind = RuleKind.BUILDING
        elif has_range:
            kind = RuleKind.RANGE
        else:
            kind = RuleKind.STREET
        rows.append(
            _Row(
                number=line.number,
                station=station,
                locality=locality,
                street=street,
                street_ru=normalize_name(values.get("street_ru", "")),
                former_names=tuple(
                    name
                    for name in FORMER_SEPARATOR.split(values.get("former_names", "").strip())
                    if name
                ),
                kind=kind,
                parity=parity,
                number_from=bounds["from"],
                number_to=bounds["to"],
                buildings=buildings,
            )
        )
    return rows


def _street_for(row: _Row, streets: dict, actor, report) -> Street | None:
    if not row.street:
        return None
    keys = [street_key(row.street), street_key(row.street_ru)]
    street = next(
        (streets[row.locality.pk, key] for key in keys if (row.locality.pk, key) in streets), None
    )
    if street is None:
        street = Street(locality=row.locality, name=row.street, name_kk=row.street)
        if row.street_ru:
            street.name_ru = row.street_ru
        services.street_create(actor=actor, street=street, former_names=row.former_names)
        report.streets_created += 1
        for name in street.names.all():
            streets[row.locality.pk, name.key] = street
        return street
    for name in row.former_names:
        added = services._street_name_add(
            actor, street, name, services.name_language(name), StreetNameKind.FORMER
        )
        if added is not None:
            streets[row.locality.pk, added.key] = street
    return street


def _rules_of(row: _Row, street: Street | None) -> list[TerritoryRule]:
    common = {"station": row.station, "locality": row.locality, "street": street}
    if row.kind == RuleKind.BUILDING:
        return [
            TerritoryRule(kind=RuleKind.BUILDING, building=building, **common)
            for building in row.buildings
        ]
    return [
        TerritoryRule(
            kind=row.kind,
            parity=row.parity,
            number_from=row.number_from,
            number_to=row.number_to,
            **common,
        )
    ]


def _identity(rule: TerritoryRule) -> tuple:
    return (
        rule.station_id,
        rule.kind,
        rule.locality_id,
        rule.street_id,
        rule.parity,
        rule.number_from,
        rule.number_to,
        rule.building_key,
    )


# The file's column of a rule's field, for the model's own errors.
FIELD_COLUMN = {"building": "buildings", "number_from": "from", "number_to": "to"}
OVERLAP_COLUMN = {
    RuleKind.LOCALITY: "locality",
    RuleKind.STREET: "street",
    RuleKind.RANGE: "from",
    RuleKind.BUILDING: "buildings",
}


def territory_import_check(*, actor, commission) -> None:
    """Whether `actor` may import `commission`'s territories: a territorial commission
    (ValidationError NOT_TERRITORIAL otherwise); the CEC any one, territorial staff their own
    region's (PermissionDenied IMPORT_OUTSIDE_SCOPE otherwise); `actor` None is the command."""
    if commission.level != "territorial":
        raise ValidationError(NOT_TERRITORIAL)
    scope = scope_of(actor) if actor is not None else None
    if scope is not None and not (
        scope.is_national
        or (scope.level is Level.REGION and scope.region_id == commission.region_id)
    ):
        raise PermissionDenied(IMPORT_OUTSIDE_SCOPE)


def territory_import(
    *, actor, commission, file, name: str, limits: SpreadsheetLimits = LIMITS, progress=None
) -> TerritoryImportReport:
    """Import a territorial commission's territories from `file` (a binary file object named
    `name`, .csv or .xlsx, within `limits`): the CEC for any commission, territorial staff for
    their own region's (`territory_import_check`). Returns the report; nothing is saved when it
    has errors. `progress(rows)` is called as the rows are checked and then written: half of
    the file's rows for checking them all, the other half for writing them."""
    report = TerritoryImportReport()
    territory_import_check(actor=actor, commission=commission)
    stations = {
        station.number: station
        for station in PollingStation.objects.filter(
            precinct_commission__region=commission.region_id, is_abroad=False
        )
    }
    try:
        sheet = read_spreadsheet(file, name=name, columns=COLUMNS, limits=limits)
        rows = _parse(sheet, stations, _localities_by_key(commission.region_id), report)
    except SpreadsheetError as error:
        report.errors.append(CellError(None, "", error.message))
        return report
    # The rows that parsed are checked against the model and for overlaps even when others
    # did not, so that one report lists every row's errors; nothing is saved then.
    try:
        with transaction.atomic():
            _apply(actor, rows, report, progress)
            if report.errors:
                raise _Rollback
    except _Rollback:
        report.created = report.deleted = report.unchanged = report.streets_created = 0
    report.errors.sort(key=lambda error: error.row or 0)
    return report


def _overlap_key(rule: TerritoryRule) -> tuple:
    """Rules that may overlap share this key (`services.rules_overlap`: one kind, one locality
    for a whole locality, one street otherwise, one building key for a building), so each rule
    is compared with its few neighbours, not with the whole file."""
    if rule.kind == RuleKind.LOCALITY:
        return (rule.kind, rule.locality_id)
    if rule.kind == RuleKind.BUILDING:
        return (rule.kind, rule.street_id, rule.building_key)
    return (rule.kind, rule.street_id)


def _apply(actor, rows: list[_Row], report: TerritoryImportReport, progress=None) -> None:
    """Check `rows` and save them when the report has no errors, its parsing errors included."""
    parse_errors = len(report.errors)

    def advance(half: int, done: int, of: int) -> None:
        if progress is not None and of and (done % PROGRESS_EVERY == 0 or done == of):
            progress((half * report.rows + report.rows * done // of) // 2)

    locality_ids = {row.locality.pk for row in rows}
    report.locality_ids = locality_ids
    station_ids = {row.station.pk for row in rows}
    services._lock_localities(locality_ids)
    streets: dict[tuple[int, str], Street] = {}
    for street_name in StreetName.objects.filter(
        street__locality_id__in=locality_ids
    ).select_related("street"):
        streets.setdefault((street_name.street.locality_id, street_name.key), street_name.street)
    existing = {  # with what the audit log's entry of a deleted rule names (its __str__)
        _identity(rule): rule
        for rule in TerritoryRule.objects.filter(station_id__in=station_ids).select_related(
            "locality", "street"
        )
    }

    wanted: list[tuple[int, TerritoryRule]] = []
    seen = set()
    for checked_rows, row in enumerate(rows, start=1):
        advance(0, checked_rows, len(rows))
        street = _street_for(row, streets, actor, report)
        for rule in _rules_of(row, street):
            try:
                # The station, locality and street were loaded here: not looked up again.
                rule.full_clean(
                    exclude=("station", "locality", "street"), validate_constraints=False
                )
                # The single-row checks (a query each), but for a rule stored already, which
                # holds them; the unique ones are the overlap check's, below.
                if _identity(rule) not in existing:
                    check_constraints(rule)
            except ValidationError as error:
                fields = error.message_dict if hasattr(error, "error_dict") else None
                for column, messages in (fields or {NON_FIELD_ERRORS: error.messages}).items():
                    if column == NON_FIELD_ERRORS:
                        column = OVERLAP_COLUMN[rule.kind]
                    column = FIELD_COLUMN.get(column, column)
                    for message in messages:
                        report.errors.append(CellError(row.number, column, message))
                continue
            if _identity(rule) not in seen:
                seen.add(_identity(rule))
                wanted.append((row.number, rule))
    if len(report.errors) > parse_errors:
        return

    others = defaultdict(list)
    for other in (
        TerritoryRule.objects.filter(locality_id__in=locality_ids)
        .exclude(station_id__in=station_ids)
        .select_related("station")
    ):
        others[_overlap_key(other)].append(other)
    checked: dict[tuple, list[tuple[int, TerritoryRule]]] = defaultdict(list)
    for number, rule in wanted:
        key = _overlap_key(rule)
        conflict = services.territory_rule_conflict(rule, others.get(key, ()))
        column = OVERLAP_COLUMN[rule.kind]
        if conflict is not None:
            message = services.RULE_OVERLAP.format(number=conflict.station.number)
            report.errors.append(CellError(number, column, str(message)))
        for earlier_number, earlier in checked[key]:
            if earlier.station_id != rule.station_id and services.rules_overlap(rule, earlier):
                message = ROW_OVERLAP.format(row=earlier_number, number=earlier.station.number)
                report.errors.append(CellError(number, column, str(message)))
                break
        checked[key].append((number, rule))
    if report.errors:
        return

    with acting_as(actor):
        for identity, rule in existing.items():
            if identity not in seen:
                services.require(actor, services.DELETE, rule, services.TERRITORY_OUTSIDE_SCOPE)
                rule.delete()
                report.deleted += 1
        for written, (_number, rule) in enumerate(wanted, start=1):
            advance(1, written, len(wanted))
            if _identity(rule) in existing:
                report.unchanged += 1
                continue
            services.require(actor, services.ADD, rule, services.TERRITORY_OUTSIDE_SCOPE)
            save_checked(rule)
            report.created += 1


# THE ADMIN'S JOB


def count_rows(content: bytes, name: str) -> int:
    """How many rows the file has below its header (the job's total); 0 if unreadable."""
    try:
        sheet = read_spreadsheet(io.BytesIO(content), name=name, columns=COLUMNS, limits=LIMITS)
        return sum(1 for _row in sheet.rows)
    except SpreadsheetError:
        return 0


def report_lines(errors: list[CellError]) -> str:
    """A refused file's report as the job's error: what happened, then one line per error
    ("Row 5, from: …"), at most MAX_ERRORS of them; for a file unusable as a whole (no rows
    below its header, too many: an error of no row), that error alone."""
    whole_file = [error for error in errors if error.row is None]
    if whole_file:
        return whole_file[0].message
    lines = [str(FILE_HAS_ERRORS), *error_lines(errors[:MAX_ERRORS])]
    if len(errors) > MAX_ERRORS:
        lines.append(str(TOO_MANY_ERRORS).format(count=MAX_ERRORS))
    return "\n".join(lines)


@job_handler(IMPORT_JOB, label=_("Territories import"))
def territories_import_job(job, progress):
    """Import the kept file for the commission, as the user who uploaded it, in their language;
    refused (JobRefused) with the per-row report when anything is wrong, nothing saved then.
    The kept file is deleted once the import has committed: an attempt that finds it gone (its
    worker died after the commit) has nothing left to do."""
    params = job.params
    storage = private_storage()
    if not storage.exists(params["file"]):
        return None
    commission = Commission.objects.select_related("region").get(pk=params["commission"])
    with storage.open(params["file"]) as kept:
        content = kept.read()
    if not job.total:
        job.total = count_rows(content, params["name"])
        type(job).objects.filter(pk=job.pk).update(total=job.total)
    with translation.override(params.get("language") or "en"):
        if job.created_by is None:  # the user is gone: nobody to import as
            raise JobRefused(IMPORT_OUTSIDE_SCOPE)
        try:
            # The import is one transaction: the runner writes its progress aside (core.jobs).
            report = territory_import(
                actor=job.created_by,
                commission=commission,
                file=io.BytesIO(content),
                name=params["name"],
                progress=progress,
            )
        except (PermissionDenied, ValidationError) as refusal:
            messages = getattr(refusal, "messages", None) or [str(refusal)]
            raise JobRefused("\n".join(str(message) for message in messages)) from None
        if not report.ok:
            raise JobRefused(report_lines(report.errors))
        workbook = report_workbook(report)
    storage.delete(params["file"])
    return File(io.BytesIO(workbook), name=job.result_name or "territories.xlsx")


def report_workbook(report: TerritoryImportReport) -> bytes:
    """An import's report as a workbook, in the active language: a sheet with what was done
    (rows, rules created, deleted and left as they were, streets created) and a sheet with the
    addresses of the file's localities that no station serves (`selectors.unserved_addresses`,
    locality by locality in the alphabet's order: locality, street, side, from, to; no number:
    the whole side or street, no last number: every number above the first)."""
    summary = [
        (str(SUMMARY_ROWS), report.rows),
        (str(SUMMARY_CREATED), report.created),
        (str(SUMMARY_DELETED), report.deleted),
        (str(SUMMARY_UNCHANGED), report.unchanged),
        (str(SUMMARY_STREETS), report.streets_created),
    ]
    sides = {
        Parity.ODD: _("Odd numbers"),
        Parity.EVEN: _("Even numbers"),
        Parity.BOTH: _("Both sides"),
    }
    unserved = []
    localities = Locality.objects.filter(pk__in=report.locality_ids)
    for locality in sorted_by_name(
        localities, key=lambda place: place.name, unique=lambda place: place.pk
    ):
        for entry in unserved_addresses(locality):
            unserved.append(
                [
                    locality.name,
                    entry.street.name,
                    str(sides[entry.parity]),
                    entry.number_from,
                    entry.number_to,
                ]
            )
    header = [
        capfirst(Locality._meta.verbose_name),
        capfirst(Street._meta.verbose_name),
        *(
            capfirst(TerritoryRule._meta.get_field(name).verbose_name)
            for name in ("parity", "number_from", "number_to")
        ),
    ]
    return xlsx_workbook_bytes([(SUMMARY_SHEET, None, summary), (UNSERVED_SHEET, header, unserved)])


def territories_import_title(commission: Commission, name: str):
    def title():
        return _("Territories of {commission} from {file}").format(commission=commission, file=name)

    return title


def territories_import_job_submit(*, actor, commission: Commission, upload, language: str):
    """The job importing an uploaded file (`upload`, a Django UploadedFile) of `commission`'s
    territories as `actor`, reporting in `language`: the same file again while its job is queued
    or running is that job, once it has finished a new job (`core.services.upload_job_submit`,
    which keeps the file for the job). Refused at once as `territory_import_check` refuses, and as
    `territory_file_check` refuses a file unusable as a whole (ValidationError)."""
    territory_import_check(actor=actor, commission=commission)
    territory_file_check(upload)
    return upload_job_submit(
        actor=actor,
        kind=IMPORT_JOB,
        scope=commission.pk,
        upload=upload,
        folder="imports/territories",
        title=territories_import_title(commission, upload.name),
        result_name=f"territories-{commission.region.code}.xlsx",
        params={"commission": commission.pk, "language": language},
    )


def territory_file_check(upload, *, limits: SpreadsheetLimits = LIMITS) -> None:
    """Refuse (ValidationError, the reader's message in the active language) a file unusable as
    a whole: its type, size, encoding or header, or no row below its header; its rows are the
    job's to check. `upload` is a binary file object with a `name`, read from its start."""
    try:
        sheet = read_spreadsheet(upload, name=upload.name, columns=COLUMNS, limits=limits)
        try:
            for _row in sheet.rows:  # the first row, or FILE_NO_ROWS
                break
        finally:
            sheet.rows.close()
    except SpreadsheetError as error:
        raise ValidationError(error.message) from None
    finally:
        upload.seek(0)
