"""Territories imported from a territorial commission's spreadsheet (polling.territory_imports)
and its management command: encodings, delimiters, row errors, overlaps, all or nothing; the
admin's import job run by a real Celery worker, refused with its per-row report, retried."""

import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import CheckConstraint
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext

from commissions.choices import MemberRole
from core import jobs as core_jobs
from core import spreadsheets
from core.choices import JobStatus, Role
from core.constraints import check_constraints
from core.models import Job
from core.xlsx import xlsx_bytes
from polling import territory_imports
from polling.choices import LocalityKind, Parity, RuleKind
from polling.imports import ROW_ERROR
from polling.models import Locality, Street, TerritoryRule
from polling.selectors import station_for_address, streets_matching
from polling.services import RULE_OVERLAP
from polling.territory_imports import (
    IMPORT_OUTSIDE_SCOPE,
    LOCALITY_UNKNOWN,
    NUMBER_INVALID,
    STATION_UNKNOWN,
    territory_import,
)
from tests.celery import real_worker, wait_until
from tests.commissions.factories import (
    CommissionMemberFactory,
    PrecinctCommissionFactory,
    TerritorialCommissionFactory,
)
from tests.core.factories import UserFactory
from tests.polling.factories import (
    LocalityFactory,
    PollingStationFactory,
    StreetFactory,
    TerritoryRuleFactory,
)

pytestmark = pytest.mark.django_db

HEADER = ["station", "locality", "street", "street_ru", "former_names", "from", "to", "parity",
          "buildings"]  # fmt: skip


@pytest.fixture
def place():
    territorial = TerritorialCommissionFactory()
    city = LocalityFactory(region=territorial.region, name="Астана", name_ru="Астана")
    village = LocalityFactory(
        region=territorial.region, name="Қосшы", name_ru="Косшы", kind=LocalityKind.VILLAGE
    )
    stations = {
        number: PollingStationFactory(
            precinct_commission=PrecinctCommissionFactory(parent=territorial, number=number)
        )
        for number in (12, 45, 230)
    }
    return territorial, city, village, stations


ROWS = [
    [
        "12",
        "Астана",
        "Абай көшесі",
        "улица Абая",
        "ул. Ленина|Lenin street",
        "1",
        "29",
        "нечет",
        "",
    ],
    ["12", "Астана", "Абай көшесі", "улица Абая", "", "2", "30", "чет", ""],
    ["45", "Астана", "Абай көшесі", "", "", "", "", "", "12А, 14/1"],
    ["45", "Астана", "Тұран даңғылы", "проспект Туран", "", "", "", "", ""],
    ["230", "Косшы", "", "", "", "", "", "", ""],
]


def csv_bytes(rows, *, delimiter=",", encoding="utf-8"):
    def cell(value):
        return f'"{value}"' if delimiter in value or "," in value else value

    text = "\r\n".join(delimiter.join(cell(v) for v in row) for row in [HEADER, *rows])
    return text.encode(encoding)


def run(territorial, data, name="territories.csv", actor=None):
    return territory_import(actor=actor, commission=territorial, file=io.BytesIO(data), name=name)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1251", ";"), ("cp1251", ","), ("utf-8", ";")],
)
def test_a_file_in_each_encoding_and_delimiter_gives_the_territories(place, encoding, delimiter):
    territorial, city, village, stations = place
    rows = ROWS if encoding != "cp1251" else [[c.replace("ә", "а") for c in r] for r in ROWS]
    rows = [[c.replace("Тұран даңғылы", "Туран") for c in r] for r in rows]
    if encoding == "cp1251":  # no Kazakh letters in Windows-1251: the Russian names
        rows = [[c.replace("Абай көшесі", "улица Абая") for c in r] for r in rows]

    report = run(territorial, csv_bytes(rows, delimiter=delimiter, encoding=encoding))

    assert report.ok, report.errors
    assert report.created == 6
    abai = streets_matching("Абая", locality=city)[0]
    assert station_for_address(street=abai, building="7") == stations[12]
    assert station_for_address(street=abai, building="8") == stations[12]
    assert station_for_address(street=abai, building="12а") == stations[45]
    assert station_for_address(locality=village) == stations[230]
    assert streets_matching("Ленина", locality=city) == [abai]


def test_an_xlsx_workbook_gives_the_territories(place):
    territorial, city, village, stations = place

    report = run(territorial, xlsx_bytes(ROWS, header=HEADER), name="territories.xlsx")

    assert report.ok, report.errors
    assert report.created == 6


def test_a_second_import_of_the_same_file_writes_nothing(place):
    territorial = place[0]
    run(territorial, csv_bytes(ROWS))
    before = list(TerritoryRule.objects.values_list("pk", flat=True).order_by("pk"))

    report = run(territorial, csv_bytes(ROWS))

    assert (report.created, report.deleted, report.unchanged) == (0, 0, 6)
    assert list(TerritoryRule.objects.values_list("pk", flat=True).order_by("pk")) == before
    assert Street.objects.count() == 2


def test_the_file_is_each_listed_stations_whole_territory(place):
    territorial, city, village, stations = place
    run(territorial, csv_bytes(ROWS))

    report = run(territorial, csv_bytes(ROWS[:1]))

    assert (report.created, report.deleted, report.unchanged) == (0, 1, 1)
    assert TerritoryRule.objects.filter(station=stations[45]).count() == 3


def test_row_errors_name_their_row_and_column_and_nothing_is_saved(place):
    territorial = place[0]
    rows = [
        ROWS[0],
        ["99", "Астана", "Абай көшесі", "", "", "", "", "", ""],
        ["12", "Атлантида", "Абай көшесі", "", "", "", "", "", ""],
        ["12", "Астана", "Абай көшесі", "", "", "1a", "9", "", ""],
    ]

    report = run(territorial, csv_bytes(rows))

    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "station", str(STATION_UNKNOWN).format(number=99)),
        (4, "locality", str(LOCALITY_UNKNOWN).format(value="Атлантида")),
        (5, "from", str(NUMBER_INVALID).format(value="1a")),
    ]
    assert not TerritoryRule.objects.exists()
    assert not Street.objects.exists()


def test_an_overlap_with_another_stations_rule_is_refused_with_its_row(place):
    territorial, city, village, stations = place
    street = StreetFactory(locality=city, name="Абай көшесі")
    other = PollingStationFactory(
        precinct_commission=PrecinctCommissionFactory(parent=territorial, number=77)
    )
    TerritoryRuleFactory(
        street=street, station=other, kind=RuleKind.RANGE, number_from=25, number_to=40
    )

    report = run(territorial, csv_bytes(ROWS))

    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "from", str(RULE_OVERLAP).format(number=77)),
        (3, "from", str(RULE_OVERLAP).format(number=77)),
    ]
    assert TerritoryRule.objects.count() == 1


def test_two_rows_giving_one_address_to_two_stations_are_refused(place):
    territorial = place[0]
    rows = [ROWS[0], ["45", "Астана", "Абай көшесі", "", "", "21", "41", "", ""]]

    report = run(territorial, csv_bytes(rows))

    assert [(e.row, e.column) for e in report.errors] == [(3, "from")]
    assert "No. 12" in report.errors[0].message
    assert not TerritoryRule.objects.exists()


def test_a_file_that_is_no_spreadsheet_is_one_error(place):
    report = run(place[0], b"\x00\x01", name="territories.pdf")

    assert len(report.errors) == 1 and report.errors[0].row is None


def staff(commission, role=Role.TERRITORIAL_STAFF):
    user = UserFactory(role=role, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


def test_territorial_staff_import_their_own_commissions_file(place):
    territorial = place[0]

    report = run(territorial, csv_bytes(ROWS), actor=staff(territorial))

    assert report.ok and report.created == 6


@pytest.mark.parametrize("who", ["territorial_other", "precinct", "signed_in"])
def test_others_cannot_import_a_commissions_territories(place, who):
    territorial, _city, _village, stations = place
    actor = {
        "territorial_other": lambda: staff(TerritorialCommissionFactory()),
        "precinct": lambda: staff(stations[12].precinct_commission, Role.PRECINCT_MEMBER),
        "signed_in": lambda: UserFactory(),
    }[who]()

    with pytest.raises(PermissionDenied, match=str(IMPORT_OUTSIDE_SCOPE)):
        run(territorial, csv_bytes(ROWS), actor=actor)

    assert not TerritoryRule.objects.exists()


def test_the_command_imports_a_file(place, tmp_path):
    territorial = place[0]
    path = tmp_path / "territories.csv"
    path.write_bytes(csv_bytes(ROWS, delimiter=";", encoding="utf-8-sig"))
    out = io.StringIO()

    call_command("import_territories", str(path), "--commission", str(territorial.pk), stdout=out)

    assert "6 rules created" in out.getvalue()
    assert TerritoryRule.objects.filter(parity=Parity.ODD).count() == 1


def test_the_command_reports_row_errors_and_saves_nothing(place, tmp_path):
    territorial = place[0]
    path = tmp_path / "territories.csv"
    path.write_bytes(csv_bytes([["99", "Астана", "", "", "", "", "", "", ""]]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was saved"):
        call_command(
            "import_territories", str(path), "--commission", str(territorial.pk), stderr=err
        )

    assert "row 2, column station" in err.getvalue()


def test_a_range_running_downwards_is_reported_on_its_row(place):
    territorial = place[0]

    report = run(
        territorial, csv_bytes([["12", "Астана", "Абай көшесі", "", "", "9", "1", "", ""]])
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, "from")]
    assert not Street.objects.exists()


def test_a_downward_range_is_reported_with_the_other_rows_errors(place):
    territorial = place[0]
    rows = [
        ["12", "Астана", "Абай көшесі", "", "", "60", "1", "", ""],
        ["99", "Астана", "Абай көшесі", "", "", "", "", "", ""],
        ["12", "Атлантида", "Абай көшесі", "", "", "", "", "", ""],
    ]

    report = run(territorial, csv_bytes(rows))

    assert [(e.row, e.column) for e in report.errors] == [
        (2, "from"),
        (3, "station"),
        (4, "locality"),
    ]
    assert not TerritoryRule.objects.exists()
    assert not Street.objects.exists()


# THE ADMIN'S JOB


def submit(territorial, user, data, *, name="territories.csv", language="en"):
    return territory_imports.territories_import_job_submit(
        actor=user,
        commission=territorial,
        upload=SimpleUploadedFile(name, data),
        language=language,
    )


def kept_files(settings):
    folder = settings.PRIVATE_MEDIA_ROOT / "imports" / "territories"
    return sorted(folder.iterdir()) if folder.exists() else []


def rule_log_entries():
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(TerritoryRule))


@pytest.mark.django_db(transaction=True)
def test_a_worker_imports_an_uploaded_file_with_its_progress(celery_app, client, place, settings):
    territorial = place[0]
    user = staff(territorial)
    client.force_login(user)
    upload = SimpleUploadedFile("territories.csv", csv_bytes(ROWS, delimiter=";"))

    with real_worker():
        response = client.post(
            "/ru/admin/polling/territoryrule/import/",
            {"commission": territorial.pk, "file": upload},
        )
        assert response.status_code == 302
        job = Job.objects.get(kind=territory_imports.IMPORT_JOB)
        assert response["Location"].endswith(f"/core/job/{job.pk}/change/")
        job = wait_until(
            lambda: Job.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(),
            timeout=60.0,
        )

    assert job.status == JobStatus.DONE, job.error
    assert (job.done, job.total) == (len(ROWS), len(ROWS))
    assert job.created_by == user
    assert TerritoryRule.objects.count() == 6
    assert kept_files(settings) == []  # deleted once imported
    assert core_jobs.run(job.pk).status == JobStatus.DONE  # run again: left alone
    download = client.get(f"/ru/admin/core/job/{job.pk}/download/")
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    with translation.override("ru"):  # the uploader's language
        sheets = [str(territory_imports.SUMMARY_SHEET), str(territory_imports.UNSERVED_SHEET)]
        created = str(territory_imports.SUMMARY_CREATED)
        locality = capfirst(Locality._meta.verbose_name)
        odd, even = str(gettext("Odd numbers")), str(gettext("Even numbers"))
    assert book.sheetnames == sheets
    assert dict(book.worksheets[0].values)[created] == 6
    header, *unserved = book.worksheets[1].values
    assert header[0] == locality
    # Abay Street (named in Russian, the uploader's language) is served on both sides up to
    # 30, Turan Avenue whole.
    assert unserved == [
        ("Астана", "улица Абая", odd, 31, None),
        ("Астана", "улица Абая", even, 32, None),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_file_with_errors_fails_its_job_with_the_report_and_leaves_nothing(
    celery_app, client, place, settings
):
    territorial = place[0]
    user = staff(territorial)
    rows = [ROWS[0], ["99", "Астана", "Абай көшесі", "", "", "", "", "", ""], ROWS[4]]
    job = submit(territorial, user, csv_bytes(rows), language="ru")
    celery_app.control.purge()

    job = core_jobs.run(job.pk)

    assert job.status == JobStatus.FAILED
    # Its progress was committed as it went, not rolled back with the import: the two rows
    # that parsed were checked (half of the work of three rows).
    assert Job.objects.get(pk=job.pk).done == 1
    with translation.override("ru"):  # the uploader's language, whatever the worker's
        row_line = str(ROW_ERROR).format(
            row=3, column="station", message=str(STATION_UNKNOWN).format(number=99)
        )
        expected = [str(territory_imports.FILE_HAS_ERRORS), row_line]
    assert job.error.splitlines() == expected
    assert not TerritoryRule.objects.exists()
    assert not Street.objects.exists()
    assert len(kept_files(settings)) == 1  # a refusal leaves the kept file
    client.force_login(user)
    page = client.get(f"/ru/admin/core/job/{job.pk}/change/").content.decode()
    assert escape(row_line) in page


def test_the_same_file_sent_twice_is_one_job_with_one_kept_file(place, settings):
    territorial = place[0]
    user = staff(territorial)

    first = submit(territorial, user, csv_bytes(ROWS))
    second = submit(territorial, user, csv_bytes(ROWS))

    assert first.pk == second.pk
    assert len(kept_files(settings)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_retried_after_its_import_committed_imports_nothing_twice(
    celery_app, place, settings
):
    territorial = place[0]
    job = submit(territorial, staff(territorial), csv_bytes(ROWS))
    celery_app.control.purge()
    # The first attempt's worker dies after the import committed, before the job was marked
    # done: once with the kept file still there, once after it was deleted.
    core_jobs.run(job.pk)
    rules = list(TerritoryRule.objects.order_by("pk").values_list("pk", flat=True))
    logged = rule_log_entries().count()
    for _attempt in range(2):
        Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, finished_at=None)
        retried = core_jobs.run(job.pk)
        assert retried.status == JobStatus.DONE, retried.error
        if kept_files(settings) == []:
            # put the file back for the other case: a worker dying before it was deleted
            submit_again = SimpleUploadedFile("territories.csv", csv_bytes(ROWS))
            name = territory_imports.private_storage().save(job.params["file"], submit_again)
            assert name == job.params["file"]
    assert list(TerritoryRule.objects.order_by("pk").values_list("pk", flat=True)) == rules
    assert rule_log_entries().count() == logged


def test_a_failed_job_asked_again_is_kept_and_a_new_job_has_the_file(place, settings):
    territorial = place[0]
    user = staff(territorial)
    rows = [["99", "Астана", "", "", "", "", "", "", ""]]
    job = submit(territorial, user, csv_bytes(rows))
    with pytest.raises(core_jobs.JobRefused) as refused:
        territory_imports.territories_import_job(job, lambda done: None)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, finished_at=job.created_at, error=refused.value.message
    )

    again = submit(territorial, user, csv_bytes(rows), language="ru")

    assert again.pk != job.pk and again.status == JobStatus.QUEUED
    assert again.params["language"] == "ru"  # reports in the language it is asked again in
    assert Job.objects.get(pk=job.pk).error == refused.value.message  # its report stays
    assert territory_imports.private_storage().exists(again.params["file"])


def test_the_same_file_sent_again_while_its_job_runs_is_that_job(place, settings):
    territorial = place[0]
    user = staff(territorial)
    first = submit(territorial, user, csv_bytes(ROWS))
    Job.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING)

    assert submit(territorial, user, csv_bytes(ROWS)).pk == first.pk
    assert Job.objects.count() == 1
    assert len(kept_files(settings)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_file_imported_before_imports_again_after_another_file(celery_app, place, settings):
    # Staff import file A, then file B giving station 12 less, then file A again.
    territorial, city, _village, stations = place
    user = staff(territorial)
    file_a, file_b = csv_bytes(ROWS), csv_bytes(ROWS[1:])
    for data in (file_a, file_b):
        job = submit(territorial, user, data)
        celery_app.control.purge()
        assert core_jobs.run(job.pk).status == JobStatus.DONE, job.error
    abai = streets_matching("Абая", locality=city)[0]
    assert station_for_address(street=abai, building="7") is None  # file B's territories

    again = submit(territorial, user, file_a)

    assert again.status == JobStatus.QUEUED
    assert Job.objects.count() == 3
    celery_app.control.purge()
    assert core_jobs.run(again.pk).status == JobStatus.DONE
    assert station_for_address(street=abai, building="7") == stations[12]  # file A's again
    assert kept_files(settings) == []


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_file_with_only_its_header_is_refused_at_once_as_having_no_rows(place, language):
    territorial = place[0]
    with translation.override(language):
        expected = str(spreadsheets.FILE_NO_ROWS)
        with pytest.raises(ValidationError) as refused:
            submit(territorial, staff(territorial), csv_bytes([]), language=language)
        assert refused.value.messages == [expected]
    assert not Job.objects.exists()


def test_a_job_for_a_file_with_only_its_header_fails_saying_it_has_no_rows(place, settings):
    # A file kept before the upload's check (or the command's): the job says the same.
    territorial = place[0]
    job = submit(territorial, staff(territorial), csv_bytes(ROWS[:1]))
    stored = territory_imports.private_storage()
    stored.delete(job.params["file"])
    stored.save(job.params["file"], SimpleUploadedFile("t.csv", csv_bytes([])))

    with pytest.raises(core_jobs.JobRefused) as refused:
        territory_imports.territories_import_job(job, lambda done: None)

    assert refused.value.message == str(spreadsheets.FILE_NO_ROWS)
    assert not TerritoryRule.objects.exists()


@pytest.mark.parametrize("who", ["territorial_other", "precinct"])
def test_only_the_commissions_own_staff_or_the_cec_get_an_import_job(place, who):
    territorial, _city, _village, stations = place
    actor = {
        "territorial_other": lambda: staff(TerritorialCommissionFactory()),
        "precinct": lambda: staff(stations[12].precinct_commission, Role.PRECINCT_MEMBER),
    }[who]()

    with pytest.raises(PermissionDenied, match=str(IMPORT_OUTSIDE_SCOPE)):
        submit(territorial, actor, csv_bytes(ROWS))

    assert not Job.objects.exists()


def test_a_job_runs_as_its_user_within_their_scope(place):
    territorial = place[0]
    job = submit(territorial, staff(territorial), csv_bytes(ROWS))
    # As if the job's user were now another region's staff: the import is refused.
    job.created_by = staff(TerritorialCommissionFactory())
    job.save(update_fields=["created_by"])

    with pytest.raises(core_jobs.JobRefused) as refused:
        territory_imports.territories_import_job(job, lambda done: None)

    assert refused.value.message == str(IMPORT_OUTSIDE_SCOPE)
    assert not TerritoryRule.objects.exists()


def test_progress_counts_the_rows_checked_then_written(place):
    territorial = place[0]
    seen = []

    report = territory_import(
        actor=None,
        commission=territorial,
        file=io.BytesIO(csv_bytes(ROWS)),
        name="territories.csv",
        progress=seen.append,
    )

    assert report.ok and report.rows == len(ROWS)
    assert seen == [len(ROWS) // 2, len(ROWS)]  # checking is half of the work, writing half


@pytest.mark.parametrize(
    "shape",
    [
        {"kind": RuleKind.LOCALITY},
        {"kind": RuleKind.LOCALITY, "street": True},
        {"kind": RuleKind.STREET, "street": True, "parity": Parity.ODD},
        {"kind": RuleKind.STREET},
        {"kind": RuleKind.RANGE, "street": True, "number_from": 1, "number_to": 9},
        {"kind": RuleKind.RANGE, "street": True, "number_from": 9, "number_to": 1},
        {"kind": RuleKind.RANGE, "street": True, "number_from": 5, "number_to": 5},
        {"kind": RuleKind.RANGE, "street": True, "number_from": 1},
        {"kind": RuleKind.BUILDING, "street": True, "building": "12А"},
        {"kind": RuleKind.BUILDING, "street": True, "building": "12А", "parity": Parity.EVEN},
        {"kind": RuleKind.BUILDING, "street": True},
        {"kind": RuleKind.LOCALITY, "parity": Parity.EVEN},
    ],
)
def test_the_imports_constraint_checks_decide_as_the_database(place, shape):
    territorial, city, village, stations = place
    street = StreetFactory(locality=city) if shape.pop("street", False) else None
    rule = TerritoryRule(station=stations[12], locality=city, street=street, **shape)
    rule.building_key = rule.building.upper()  # as clean() keys it (Latin А kept)

    def refusal(check):
        try:
            check()
        except ValidationError as error:
            return error.messages
        return None

    by_database = [
        refusal(lambda c=constraint: c.validate(TerritoryRule, rule))
        for constraint in TerritoryRule._meta.constraints
        if isinstance(constraint, CheckConstraint)
    ]
    expected = next((messages for messages in by_database if messages), None)
    assert refusal(lambda: check_constraints(rule)) == expected
