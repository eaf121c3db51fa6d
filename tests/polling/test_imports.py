"""The station registry as a spreadsheet: import per territorial commission in every encoding
and delimiter staff produce and as XLSX, all or nothing with a per-row report, scope refusals,
the admin's job, and the export that imports back unchanged."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from commissions.choices import CommissionLevel
from core import jobs as core_jobs
from core import spreadsheets
from core.choices import JobStatus, Role
from core.models import Job
from polling import imports, services
from polling.models import PollingStation
from tests.commissions.factories import PrecinctCommissionFactory, RegionFactory
from tests.core.factories import UserFactory
from tests.polling.factories import PollingStationFactory
from tests.polling.hours import staff

pytestmark = pytest.mark.django_db

HEADER = list(imports.COLUMNS)


@pytest.fixture
def region():
    return RegionFactory(code="astana-test", name="Astana")


@pytest.fixture
def territorial(region):
    """Astana's territorial commission with precinct commissions No. 12, 45 and 900."""
    commission = PrecinctCommissionFactory(parent__region=region, number=12).parent
    for number in (45, 900):
        PrecinctCommissionFactory(parent=commission, region=region, number=number)
    return commission


def row(station, commission=None, **cells):
    number = station
    values = {
        "number": str(number),
        "region": "astana-test",
        "precinct_commission": str(commission or number),
        "country": "KZ",
        "timezone": "",
        "name_kk": f"№ {number} жалпы білім беретін мектеп",
        "name_ru": f"Средняя школа № {number}",
        "name_en": f"Secondary school No. {number}",
        "address_kk": "Астана, Кенесары көшесі, 14",
        "address_ru": "Астана, улица Кенесары, 14",
        "address_en": "Astana, 14 Kenesary Street",
        "latitude": "51.169392",
        "longitude": "71.449074",
        "phone": "+77172123456",
        "special_kind": "",
        "step_free_entrance": "1",
        "has_ramp": "0",
        "accessible_booth": "1",
        "egov_check_available": "1",
        "temporary_registration_allowed": "0",
    }
    values.update(cells)
    return [values[name] for name in HEADER]


def csv_bytes(rows, *, delimiter=",", encoding="utf-8", header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def xlsx_bytes(rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_import(content, name="stations.csv", *, actor=None, commission=None, **kwargs):
    return imports.stations_import(
        actor=actor, file=io.BytesIO(content), name=name, commission=commission, **kwargs
    )


# ENCODINGS, DELIMITERS, XLSX

ENCODED = {
    "utf-8 comma": {"delimiter": ",", "encoding": "utf-8"},
    "utf-8 with BOM, semicolon": {"delimiter": ";", "encoding": "utf-8-sig"},
    "utf-16 tab (Excel's Unicode text)": {"delimiter": "\t", "encoding": "utf-16"},
}


@pytest.mark.parametrize("kind", ENCODED)
def test_a_file_in_each_encoding_and_delimiter_creates_the_stations(territorial, kind):
    content = csv_bytes([row(12), row(45)], **ENCODED[kind])
    result = run_import(content, commission=territorial)
    assert (result.created, result.updated) == (2, 0)
    station = PollingStation.objects.get(number=12)
    assert station.name_kk == "№ 12 жалпы білім беретін мектеп"
    assert station.region == territorial.region
    assert station.precinct_commission.number == 12
    assert station.latitude == Decimal("51.169392")
    assert (station.step_free_entrance, station.has_ramp) == (True, False)
    assert station.phone == "+77172123456"


def test_a_russian_excel_csv_in_windows_1251_with_semicolons_and_decimal_commas(territorial):
    # Russian text only: Windows-1251 has every letter of it.
    cells = row(12, name_kk="Школа № 12", address_kk="Астана, улица Кенесары, 14")
    cells[HEADER.index("latitude")] = "51,169392"
    cells[HEADER.index("longitude")] = "71,449074"
    cells[HEADER.index("step_free_entrance")] = "да"
    cells[HEADER.index("has_ramp")] = "нет"
    content = csv_bytes([cells], delimiter=";", encoding="cp1251")
    result = run_import(content, commission=territorial)
    assert result.created == 1
    station = PollingStation.objects.get(number=12)
    assert station.name_ru == "Средняя школа № 12"
    assert station.latitude == Decimal("51.169392")
    assert (station.step_free_entrance, station.has_ramp) == (True, False)


def test_kazakh_letters_lost_in_windows_1251_are_refused_with_row_and_column(territorial):
    cells = row(12, name_kk="№ 12 Әбілқайыр хан мектебі")  # Ә, қ, ы… become "?"
    content = csv_bytes([cells], delimiter=";", encoding="cp1251")
    with pytest.raises(imports.ImportInvalid) as caught:
        run_import(content, commission=territorial)
    errors = {(e.row, e.column) for e in caught.value.errors}
    assert (2, "name_kk") in errors and (2, "address_kk") in errors
    assert "letters were lost" in caught.value.errors[0].message
    assert not PollingStation.objects.exists()


def test_an_xlsx_workbook_with_number_cells_is_read(territorial):
    cells = row(12)
    cells[HEADER.index("number")] = 12
    cells[HEADER.index("precinct_commission")] = 12
    cells[HEADER.index("latitude")] = 51.169392
    cells[HEADER.index("has_ramp")] = True
    result = run_import(xlsx_bytes([cells]), "stations.xlsx", commission=territorial)
    assert result.created == 1
    station = PollingStation.objects.get(number=12)
    assert station.latitude == Decimal("51.169392")
    assert station.has_ramp is True


def test_an_existing_station_is_updated_by_region_and_number(territorial):
    run_import(csv_bytes([row(12), row(45)]), commission=territorial)
    changed = row(12, name_en="Gymnasium No. 12", has_ramp="1")
    result = run_import(csv_bytes([changed, row(45)]), commission=territorial)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    station = PollingStation.objects.get(number=12)
    assert (station.name_en, station.has_ramp) == ("Gymnasium No. 12", True)


def test_columns_left_out_are_left_as_they_are(territorial):
    run_import(csv_bytes([row(12, phone="+77172000000")]), commission=territorial)
    header = ["number", "precinct_commission", "has_ramp"]
    run_import(csv_bytes([["12", "12", "1"]], header=header), commission=territorial)
    station = PollingStation.objects.get(number=12)
    assert (station.phone, station.has_ramp) == ("+77172000000", True)


def test_a_station_abroad_has_its_country_and_zone_and_no_region(territorial):
    cells = row(900, country="TR", timezone="Europe/Istanbul", name_en="Embassy in Ankara")
    run_import(csv_bytes([cells]), commission=territorial)
    station = PollingStation.objects.get(number=900)
    assert (station.is_abroad, station.region, station.country) == (True, None, "TR")
    assert station.precinct_commission.region == territorial.region


# ALL OR NOTHING, ROW AND COLUMN


def test_bad_rows_are_reported_with_row_and_column_and_nothing_is_saved(territorial):
    rows = [
        row(12),
        row(45, latitude="north", has_ramp="maybe"),
        row(900, timezone="Mars/Olympus", special_kind="castle"),
        row(77, commission=77),
    ]
    with pytest.raises(imports.ImportInvalid) as caught:
        run_import(csv_bytes(rows), commission=territorial)
    errors = [(e.row, e.column) for e in caught.value.errors]
    # Row 4's time zone is the service's to refuse: a row with a cell error goes no further.
    assert errors == [
        (3, "latitude"),
        (3, "has_ramp"),
        (4, "special_kind"),
        (5, "precinct_commission"),
    ]
    assert not PollingStation.objects.exists()


def test_a_service_refusal_is_reported_on_its_row(territorial):
    rows = [row(12), row(45, timezone="Mars/Olympus")]
    with pytest.raises(imports.ImportInvalid) as caught:
        run_import(csv_bytes(rows), commission=territorial)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "timezone")]
    assert not PollingStation.objects.exists()


def test_a_station_twice_in_the_file_is_refused(territorial):
    with pytest.raises(imports.ImportInvalid) as caught:
        run_import(csv_bytes([row(12), row(12)]), commission=territorial)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "number")]


def test_the_report_reads_in_the_users_language(territorial):
    with translation.override("ru"), pytest.raises(imports.ImportInvalid) as caught:
        run_import(csv_bytes([row(12, number="x12")]), commission=territorial)
    message = caught.value.errors[0].message
    with translation.override("ru"):
        assert message == str(imports.NUMBER_INVALID)


def test_a_bad_precinct_commission_is_named_in_its_error(territorial):
    with pytest.raises(imports.ImportInvalid) as caught:
        run_import(csv_bytes([row(12, precinct_commission="x12")]), commission=territorial)
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (2, "precinct_commission", str(imports.COMMISSION_NUMBER_INVALID))
    ]


def test_a_file_without_the_required_columns_is_refused(territorial):
    with pytest.raises(imports.ImportFileError):
        run_import(csv_bytes([["12"]], header=["number"]), commission=territorial)


def test_a_dry_run_saves_nothing(territorial):
    result = run_import(csv_bytes([row(12)]), commission=territorial, dry_run=True)
    assert result.created == 1
    assert not PollingStation.objects.exists()


# SCOPE


def test_territorial_staff_cannot_import_another_regions_station(territorial):
    other = PrecinctCommissionFactory(number=12)  # another region's No. 12
    user = staff(other.parent, role=Role.TERRITORIAL_STAFF)
    cells = row(12, region="astana-test")
    with pytest.raises(imports.ImportInvalid) as caught:
        run_import(csv_bytes([cells]), actor=user)
    assert caught.value.errors[0].row == 2
    assert not PollingStation.objects.exists()


def test_a_file_for_one_commission_refuses_another_regions_rows(territorial):
    PrecinctCommissionFactory(number=12, parent__region=RegionFactory(code="almaty-test"))
    user = staff(territorial)
    with pytest.raises(imports.ImportInvalid) as caught:
        run_import(csv_bytes([row(12, region="almaty-test")]), actor=user, commission=territorial)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "region")]


def test_territorial_staff_import_their_own_region(territorial):
    user = staff(territorial)
    assert run_import(csv_bytes([row(12)]), actor=user, commission=territorial).created == 1


def test_a_precinct_member_cannot_import(territorial):
    precinct = territorial.children.get(number=12)
    user = staff(precinct, role=Role.PRECINCT_MEMBER)
    with pytest.raises(imports.ImportInvalid) as caught:
        run_import(csv_bytes([row(12)]), actor=user, commission=territorial)
    assert not PollingStation.objects.exists()
    # The service's own permission check, reported on the row.
    assert [(e.row, e.message) for e in caught.value.errors] == [
        (2, str(services.NO_STATION_PERMISSION))
    ]


def test_a_precinct_member_cannot_update_their_own_station(territorial):
    PollingStationFactory(precinct_commission=territorial.children.get(number=12))
    user = staff(territorial.children.get(number=12), role=Role.PRECINCT_MEMBER)
    with pytest.raises(imports.ImportInvalid) as caught:
        run_import(csv_bytes([row(12)]), actor=user, commission=territorial)
    assert [(e.row, e.message) for e in caught.value.errors] == [
        (2, str(services.NO_STATION_PERMISSION))
    ]


# THE ADMIN


IMPORT_URL = "/en/admin/polling/pollingstation/import/"


def test_the_admin_import_makes_a_job_that_imports_with_progress(client, territorial, settings):
    user = staff(territorial)
    client.force_login(user)
    upload = SimpleUploadedFile("stations.csv", csv_bytes([row(12), row(45)]))
    response = client.post(IMPORT_URL, {"commission": territorial.pk, "file": upload})
    assert response.status_code == 302
    job = Job.objects.get(kind=imports.IMPORT_JOB)
    assert response["Location"].endswith(f"/core/job/{job.pk}/change/")
    assert job.created_by == user
    seen = []
    imports.stations_import_job(job, seen.append)
    assert PollingStation.objects.count() == 2
    assert seen == [2]
    assert job.total == 2


def test_an_import_job_with_bad_rows_fails_with_its_report(territorial):
    user = staff(territorial)
    upload = SimpleUploadedFile("stations.csv", csv_bytes([row(12), row(45, has_ramp="maybe")]))
    job = imports.import_job_submit(
        actor=user, commission=territorial, upload=upload, language="en"
    )
    with pytest.raises(core_jobs.JobRefused) as caught:
        imports.stations_import_job(job, lambda done: None)
    lines = caught.value.message.splitlines()
    assert lines[0] == str(imports.FILE_HAS_ERRORS)
    assert lines[1].startswith("Row 3, has_ramp: ")
    assert not PollingStation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_runner_fails_a_refused_import_with_the_report_on_the_job_page(
    celery_app, client, settings
):
    region = RegionFactory(code="astana-test")
    territorial = PrecinctCommissionFactory(parent__region=region, number=12).parent
    user = staff(territorial)
    upload = SimpleUploadedFile("s.csv", csv_bytes([row(12, latitude="north")]))
    job = imports.import_job_submit(
        actor=user, commission=territorial, upload=upload, language="en"
    )
    celery_app.control.purge()
    job = core_jobs.run(job.pk)
    assert job.status == JobStatus.FAILED
    assert "Row 2, latitude:" in job.error
    client.force_login(user)
    page = client.get(f"/en/admin/core/job/{job.pk}/change/").content.decode()
    assert "Row 2, latitude:" in page and "<br>" in page


def test_anonymous_and_precinct_members_cannot_open_the_import_page(client, territorial):
    assert client.get(IMPORT_URL).status_code == 302  # to the sign-in page
    client.force_login(staff(territorial.children.get(number=12), role=Role.PRECINCT_MEMBER))
    assert client.get(IMPORT_URL).status_code == 403


def test_territorial_staff_pick_only_their_own_commission(client, territorial):
    other = PrecinctCommissionFactory(number=12).parent
    client.force_login(staff(territorial))
    upload = SimpleUploadedFile("stations.csv", csv_bytes([row(12)]))
    response = client.post(IMPORT_URL, {"commission": other.pk, "file": upload})
    assert response.status_code == 200
    assert not Job.objects.exists()


# EXPORT AND THE ROUND TRIP


def test_an_exported_file_imports_unchanged(client, territorial):
    cells = [
        row(45),
        row(12, special_kind="hospital"),
        row(900, country="TR", timezone="Europe/Istanbul"),
    ]
    run_import(csv_bytes(cells), commission=territorial)
    client.force_login(staff(territorial))
    for fmt, name in (("csv", "export.csv"), ("xlsx", "export.xlsx")):
        response = client.get(f"/en/admin/polling/pollingstation/export/{territorial.pk}/{fmt}/")
        assert response.status_code == 200
        content = b"".join(response) if response.streaming else response.content
        before = list(PollingStation.objects.order_by("pk").values())
        result = run_import(content, name, commission=territorial)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
        assert list(PollingStation.objects.order_by("pk").values()) == before


def test_the_export_is_ordered_by_region_then_number(client, territorial):
    run_import(csv_bytes([row(900), row(45), row(12)]), commission=territorial)
    client.force_login(staff(territorial))
    response = client.get(f"/en/admin/polling/pollingstation/export/{territorial.pk}/csv/")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    numbers = [line[0] for line in csv.reader(io.StringIO(text))][1:]
    assert numbers == ["12", "45", "900"]
    assert text.splitlines()[0].split(",") == HEADER


def test_the_export_takes_the_same_queries_for_many_stations(
    client, territorial, django_assert_max_num_queries
):
    client.force_login(staff(territorial))
    url = f"/en/admin/polling/pollingstation/export/{territorial.pk}/csv/"
    run_import(csv_bytes([row(12)]), commission=territorial)
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    run_import(csv_bytes([row(45), row(900)]), commission=territorial)
    with django_assert_max_num_queries(100) as many:
        client.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_export_of_another_region_is_not_found(client, territorial):
    other = PrecinctCommissionFactory(number=12).parent
    client.force_login(staff(territorial))
    response = client.get(f"/en/admin/polling/pollingstation/export/{other.pk}/csv/")
    assert response.status_code == 404


def test_a_precinct_member_cannot_export(client, territorial):
    client.force_login(staff(territorial.children.get(number=12), role=Role.PRECINCT_MEMBER))
    response = client.get(f"/en/admin/polling/pollingstation/export/{territorial.pk}/csv/")
    assert response.status_code in (403, 404)


def test_a_precinct_commission_is_not_a_territorial_one_to_export(client, territorial):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    precinct = territorial.children.get(number=12)
    assert precinct.level == CommissionLevel.PRECINCT
    response = client.get(f"/en/admin/polling/pollingstation/export/{precinct.pk}/csv/")
    assert response.status_code == 404


def test_a_file_without_its_header_is_refused_at_once_without_a_job(client, territorial):
    client.force_login(staff(territorial))
    upload = SimpleUploadedFile("stations.csv", b"a;b;c\r\n1;2;3\r\n")
    response = client.post(IMPORT_URL, {"commission": territorial.pk, "file": upload})
    assert response.status_code == 200
    assert "precinct_commission" in response.content.decode()
    assert not Job.objects.exists()


def test_the_same_file_sent_twice_is_one_job(territorial, settings):
    user = staff(territorial)
    content = csv_bytes([row(12)])
    first = imports.import_job_submit(
        actor=user,
        commission=territorial,
        upload=SimpleUploadedFile("s.csv", content),
        language="en",
    )
    second = imports.import_job_submit(
        actor=user,
        commission=territorial,
        upload=SimpleUploadedFile("s.csv", content),
        language="en",
    )
    assert first.pk == second.pk
    kept = list((settings.PRIVATE_MEDIA_ROOT / "imports" / "stations").iterdir())
    assert len(kept) == 1


def test_a_workbook_with_a_merged_title_row_above_the_header_reports_sheet_rows(territorial):
    # As t12 of ../shared/cases (its spreadsheets' README): a title merged across the columns,
    # the header on row 2.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Polling stations of Astana, 2023"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    sheet.append(row(12))
    sheet.append(row(45, has_ramp="maybe"))
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(imports.ImportInvalid) as caught:
        run_import(out.getvalue(), "stations.xlsx", commission=territorial)
    assert [(e.row, e.column) for e in caught.value.errors] == [(4, "has_ramp")]


def test_anonymous_users_cannot_export(client, territorial):
    response = client.get(f"/en/admin/polling/pollingstation/export/{territorial.pk}/csv/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# THE SAME FILE AGAIN, AND A FILE WITH NO ROWS


def submitted(user, commission, content, name="s.csv"):
    return imports.import_job_submit(
        actor=user, commission=commission, upload=SimpleUploadedFile(name, content), language="en"
    )


@pytest.mark.django_db(transaction=True)
def test_a_file_imported_before_imports_again_after_another_file(celery_app, client):
    # As the tester's steps: file A (done), file B changing a station, file A again.
    region = RegionFactory(code="astana-test")
    territorial = PrecinctCommissionFactory(parent__region=region, number=12).parent
    user = staff(territorial)
    file_a = csv_bytes([row(12, phone="+77172111111")])
    file_b = csv_bytes([row(12, phone="+77172222222")])
    first = submitted(user, territorial, file_a)
    celery_app.control.purge()
    assert core_jobs.run(first.pk).status == JobStatus.DONE
    changed = submitted(user, territorial, file_b)
    celery_app.control.purge()
    assert core_jobs.run(changed.pk).status == JobStatus.DONE
    assert PollingStation.objects.get().phone == "+77172222222"
    client.force_login(user)
    response = client.post(
        IMPORT_URL, {"commission": territorial.pk, "file": SimpleUploadedFile("s.csv", file_a)}
    )
    again = Job.objects.exclude(pk__in=[first.pk, changed.pk]).get()
    assert response["Location"].endswith(f"/core/job/{again.pk}/change/")
    assert again.status == JobStatus.QUEUED
    celery_app.control.purge()
    assert core_jobs.run(again.pk).status == JobStatus.DONE
    assert PollingStation.objects.get().phone == "+77172111111"
    assert Job.objects.get(pk=first.pk).status == JobStatus.DONE  # the earlier one, as it was


@pytest.mark.django_db(transaction=True)
def test_a_file_whose_job_failed_makes_a_new_job_that_keeps_the_file(celery_app, settings):
    region = RegionFactory(code="astana-test")
    territorial = PrecinctCommissionFactory(parent__region=region, number=12).parent
    user = staff(territorial)
    content = csv_bytes([row(12, latitude="north")])
    failed = submitted(user, territorial, content)
    celery_app.control.purge()
    assert core_jobs.run(failed.pk).status == JobStatus.FAILED
    again = submitted(user, territorial, content)
    assert again.pk != failed.pk
    assert Job.objects.get(pk=failed.pk).error  # its report stays on its page
    celery_app.control.purge()
    again = core_jobs.run(again.pk)
    assert again.status == JobStatus.FAILED
    assert "Row 2, latitude:" in again.error  # the file was there to read


def test_the_same_file_sent_twice_while_its_job_runs_is_one_job(territorial, settings):
    user = staff(territorial)
    content = csv_bytes([row(12)])
    first = submitted(user, territorial, content)
    Job.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING)
    assert submitted(user, territorial, content).pk == first.pk
    assert Job.objects.count() == 1
    kept = list((settings.PRIVATE_MEDIA_ROOT / "imports" / "stations").iterdir())
    assert len(kept) == 1


def test_a_file_with_only_its_header_is_refused_as_having_no_rows(territorial):
    with pytest.raises(imports.ImportFileError) as caught:
        run_import(csv_bytes([]), commission=territorial)
    assert caught.value.message == str(spreadsheets.FILE_NO_ROWS)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_job_for_a_file_with_only_its_header_fails_saying_it_has_no_rows(territorial, language):
    job = imports.import_job_submit(
        actor=staff(territorial),
        commission=territorial,
        upload=SimpleUploadedFile("s.xlsx", xlsx_bytes([])),
        language=language,
    )
    with pytest.raises(core_jobs.JobRefused) as caught:
        imports.stations_import_job(job, lambda done: None)
    with translation.override(language):
        assert caught.value.message == str(spreadsheets.FILE_NO_ROWS)
    assert not PollingStation.objects.exists()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_upload_check_refuses_a_file_with_only_its_header(language):
    upload = SimpleUploadedFile("s.csv", csv_bytes([]))
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            imports.stations_file_check(upload)
        assert refused.value.messages == [str(spreadsheets.FILE_NO_ROWS)]


def test_the_upload_check_passes_a_file_with_rows_and_leaves_it_at_its_start():
    content = csv_bytes([row(12)])
    upload = SimpleUploadedFile("s.csv", content)
    imports.stations_file_check(upload)
    assert upload.read() == content
