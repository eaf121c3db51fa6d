"""Nominations uploaded as CSV or XLSX: every row parsed, every error with its spreadsheet row,
and nothing saved unless the whole file is valid."""

import csv
import datetime
import io
import logging
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core import spreadsheets
from observers import imports, services
from observers.admin_forms import NominationUploadForm
from observers.choices import BatchSource, ObserverStatus
from observers.models import BORN_IN_THE_FUTURE, NominationBatch, Observer
from tests.core.factories import StaffUserFactory
from tests.core.workbooks import t13_workbook
from tests.observers.factories import (
    CYRILLIC_LETTERS,
    ObserverFactory,
    OpenElectionFactory,
    OrganizationBodyFactory,
    lettered,
)

pytestmark = pytest.mark.django_db

HEADER = list(imports.COLUMNS)


def row(n: int, **overrides) -> dict:
    return {
        "last_name_latin": f"Ivanov{lettered(n)}",
        "first_name_latin": "Ivan",
        "last_name_cyrillic": f"Иванов{lettered(n, CYRILLIC_LETTERS)}",
        "first_name_cyrillic": "Иван",
        "citizenship": "RU",
        "date_of_birth": "1971-02-03",
        "document_number": f"75 {1000000 + n}",
        **overrides,
    }


def csv_file(rows, header=HEADER, name="nominees.csv", delimiter=",") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(lines, name="nominees.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for line in lines:
        sheet.append(line)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def desk():
    return StaffUserFactory(is_superuser=True)


@pytest.fixture
def election():
    return OpenElectionFactory()


@pytest.fixture
def mission():
    return OrganizationBodyFactory(name="CIS Observer Mission")


def submit(desk, election, body, upload, **kwargs):
    return imports.nominations_import(
        actor=desk, election=election, body=body, upload=upload, **kwargs
    )


def errors_of(raised) -> set[tuple]:
    return {(e.row, e.column) for e in raised.value.errors}


def test_a_valid_csv_of_77_nominees_becomes_one_batch_of_77(desk, election, mission):
    result = submit(desk, election, mission, csv_file([row(n) for n in range(77)]))

    assert result.created
    assert result.batch.size == 77
    assert result.batch.source == BatchSource.CSV
    assert Observer.objects.filter(batch=result.batch).count() == 77


def test_rows_are_saved_as_parsed(desk, election, mission):
    upload = csv_file([row(1, citizenship="rus", date_of_birth="03.02.1971")])

    submit(desk, election, mission, upload, reference="Note 12/345")

    observer = Observer.objects.get()
    assert observer.citizenship.code == "RU"
    assert observer.date_of_birth == datetime.date(1971, 2, 3)
    assert observer.document_number == "751000001"
    assert observer.status == ObserverStatus.SUBMITTED
    assert observer.batch.reference == "Note 12/345"


def test_columns_may_come_in_any_order_and_case_and_with_a_semicolon(desk, election, mission):
    header = [c.upper() for c in reversed(HEADER)] + ["Notes"]
    rows = [{c.upper(): v for c, v in row(n).items()} for n in range(3)]

    submit(desk, election, mission, csv_file(rows, header=header, delimiter=";"))

    assert Observer.objects.count() == 3


def test_a_byte_order_mark_and_blank_lines_are_ignored(desk, election, mission):
    text = "\ufeff" + ",".join(HEADER) + "\r\n\r\n" + ",".join(row(1).values()) + "\r\n,,,,,,\r\n"
    upload = SimpleUploadedFile("n.csv", text.encode("utf-8"))

    submit(desk, election, mission, upload)

    assert Observer.objects.count() == 1


def test_every_bad_row_is_reported_with_its_spreadsheet_row_and_nothing_is_saved(
    desk, election, mission
):
    earlier = ObserverFactory(election=election, citizenship="RU", document_number="751000009")
    rows = [
        row(1),  # row 2: valid
        row(2, citizenship="XX"),  # row 3: unknown state
        row(3, date_of_birth="31.02.1970"),  # row 4: no such date
        row(4, last_name_latin=""),  # row 5: missing name
        row(5),  # row 6: valid
        row(6, document_number=row(5)["document_number"]),  # row 7: same passport as row 6
        row(9),  # row 8: already nominated (the earlier nomination)
    ]

    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, csv_file(rows))

    assert errors_of(raised) == {
        (3, "citizenship"),
        (4, "date_of_birth"),
        (5, "last_name_latin"),
        (7, "document_number"),
        (8, "document_number"),
    }
    messages = {(e.row, e.column): e.message for e in raised.value.errors}
    assert "“XX” is not an ISO 3166-1 country code" in messages[(3, "citizenship")]
    assert messages[(4, "date_of_birth")] == str(
        spreadsheets.DATE_IMPOSSIBLE.format(value="31.02.1970")
    )
    assert messages[(7, "document_number")] == str(services.REPEATED_IN_BATCH.format(row=6))
    assert earlier.body.name in messages[(8, "document_number")]
    assert Observer.objects.count() == 1
    assert not NominationBatch.objects.exists()


@pytest.mark.parametrize(
    ("typed", "impossible"),
    [
        ("30.02.1980", True),
        ("1980-02-30", True),
        ("29.02.2023", True),
        ("31.04.1975", True),
        ("1980/03/19", False),
        ("19 March 1980", False),
    ],
)
def test_a_day_the_calendar_lacks_is_refused_as_such_not_as_a_format(
    desk, election, mission, typed, impossible
):
    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, csv_file([row(1, date_of_birth=typed)]))

    [error] = raised.value.errors
    expected = (
        spreadsheets.DATE_IMPOSSIBLE.format(value=typed) if impossible else imports.DATE_INVALID
    )
    assert (error.row, error.column, error.message) == (2, "date_of_birth", str(expected))


def test_a_leap_day_that_exists_is_read(desk, election, mission):
    submit(desk, election, mission, csv_file([row(1, date_of_birth="29.02.1980")]))
    assert Observer.objects.get().date_of_birth == datetime.date(1980, 2, 29)


def test_a_repeated_passport_names_the_spreadsheet_row_after_a_skipped_bad_row(
    desk, election, mission
):
    rows = [row(1, citizenship="XX"), row(2), row(3, document_number=row(2)["document_number"])]

    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, csv_file(rows))

    messages = {(e.row, e.column): e.message for e in raised.value.errors}
    assert messages[(4, "document_number")] == str(services.REPEATED_IN_BATCH.format(row=3))


def test_an_upload_after_the_deadline_is_refused_for_the_whole_file(desk, mission):
    election = OpenElectionFactory(election_day=datetime.date(2023, 3, 19))

    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, csv_file([row(1)]))

    (error,) = raised.value.errors
    assert error.row is None
    assert "closed on 13.03.2023 18:00" in error.message
    assert not Observer.objects.exists()


def test_a_valid_xlsx_with_date_cells_becomes_a_batch(desk, election, mission):
    lines = [HEADER]
    for n in range(5):
        values = row(n, date_of_birth=datetime.datetime(1980, 1, n + 1), document_number=f"0{n}7")
        lines.append([values[c] for c in HEADER])

    result = submit(desk, election, mission, xlsx_file(lines))

    assert result.batch.size == 5
    assert result.batch.source == BatchSource.XLSX
    observer = Observer.objects.get(document_number="007")
    assert observer.date_of_birth == datetime.date(1980, 1, 1)


def test_xlsx_errors_name_the_sheets_rows(desk, election, mission):
    lines = [HEADER, [row(1)[c] for c in HEADER], [row(2, citizenship="Narnia")[c] for c in HEADER]]

    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, xlsx_file(lines))

    assert errors_of(raised) == {(3, "citizenship")}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("nominees.pdf", b"%PDF-1.7", imports.FILE_TYPE_REFUSED),
        ("nominees.csv", b"", imports.FILE_EMPTY),
        ("nominees.csv", ",".join(HEADER).encode(), imports.FILE_NO_ROWS),
        ("nominees.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", imports.CSV_NOT_TEXT),
        ("nominees.xlsx", b"not a workbook", imports.XLSX_MALFORMED),
    ],
    ids=["pdf", "empty", "header-only", "binary", "fake-xlsx"],
)
def test_an_unusable_file_is_refused_with_a_clear_message(
    desk, election, mission, name, content, message
):
    with pytest.raises(imports.ImportFileError) as raised:
        submit(desk, election, mission, SimpleUploadedFile(name, content))

    assert raised.value.message == str(message)
    assert not Observer.objects.exists()


def test_a_file_without_a_required_column_names_it(desk, election, mission):
    header = [c for c in HEADER if c != "document_number"]

    with pytest.raises(imports.ImportFileError) as raised:
        submit(desk, election, mission, csv_file([row(1)], header=header))

    assert "document_number" in raised.value.message


def test_a_file_over_the_size_limit_is_refused(desk, election, mission, monkeypatch):
    monkeypatch.setattr(imports, "UPLOAD_MAX_BYTES", 100)

    with pytest.raises(imports.ImportFileError) as raised:
        submit(desk, election, mission, csv_file([row(n) for n in range(5)]))

    assert "larger than" in raised.value.message


def test_a_row_with_more_cells_than_the_header_is_an_error(desk, election, mission):
    text = ",".join(HEADER) + "\n" + ",".join(row(1).values()) + ",extra\n"

    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, SimpleUploadedFile("n.csv", text.encode()))

    assert [(e.row, e.column, e.message) for e in raised.value.errors] == [
        (2, "", str(imports.ROW_TOO_LONG))
    ]


def test_the_same_reference_twice_returns_the_first_batch(desk, election, mission):
    first = submit(desk, election, mission, csv_file([row(1)]), reference="N-1")

    again = submit(desk, election, mission, csv_file([row(1)]), reference="N-1")

    assert not again.created
    assert again.batch == first.batch
    assert Observer.objects.count() == 1


def test_importing_logs_no_personal_data(desk, election, mission, caplog):
    rows = [row(1), row(2, citizenship="XX")]

    with caplog.at_level(logging.DEBUG), pytest.raises(imports.ImportInvalid):
        submit(desk, election, mission, csv_file(rows))
    submit(desk, election, mission, csv_file([row(1)]))

    assert "1000001" not in caplog.text
    assert "1971-02-03" not in caplog.text


# THE REAL-WORLD CASES (tests/data/spreadsheets; their right results are in the cases' README)

CASES = Path(__file__).resolve().parent.parent / "data" / "spreadsheets"


def case(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (CASES / name).read_bytes())


def test_t03_utf16_unicode_text_saves_2_nominees_with_every_letter(desk, election, mission):
    result = submit(desk, election, mission, case("t03_excel_unicode_text_utf16_tab.txt.csv"))

    assert result.batch.size == 2
    names = set(Observer.objects.values_list("last_name_latin", "first_name_latin"))
    assert names == {("Şahin", "Gökçe"), ("Abilkassymov", "Nurlan")}
    nurlan = Observer.objects.get(first_name_latin="Nurlan")
    assert (nurlan.last_name_cyrillic, nurlan.first_name_cyrillic) == ("Әбілқасымов", "Нұрлан")


def test_t07_every_row_of_a_stale_dimension_reaches_the_batch(desk, election, mission):
    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, case("t07_xlsx_dimension_stale_A1G3.xlsx"))

    # Four rows of one person: rows 3-5 of the sheet repeat row 2; none is dropped unseen.
    assert errors_of(raised) == {
        (3, "document_number"),
        (4, "document_number"),
        (5, "document_number"),
    }
    messages = {e.message for e in raised.value.errors}
    assert messages == {str(services.REPEATED_IN_BATCH.format(row=2))}
    assert not Observer.objects.exists()


def test_t08_document_numbers_in_scientific_notation_are_refused(desk, election, mission):
    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, case("t08_csv_passport_scientific_notation.csv"))

    assert errors_of(raised) == {(2, "document_number"), (3, "document_number")}
    assert all("format the column as text" in e.message for e in raised.value.errors)
    assert not Observer.objects.exists()


def test_t09_a_document_number_stored_as_a_number_is_refused(desk, election, mission):
    with pytest.raises(imports.ImportInvalid) as raised:
        submit(
            desk, election, mission, case("t09_xlsx_passport_number_cell_leading_zero_lost.xlsx")
        )

    (error,) = raised.value.errors
    assert (error.row, error.column) == (2, "document_number")
    assert "leading zeros" in error.message
    assert not Observer.objects.exists()


def test_t10_a_serial_date_of_birth_is_saved_as_its_date(desk, election, mission):
    submit(desk, election, mission, case("t10_xlsx_dob_serial_number_general_format.xlsx"))

    assert Observer.objects.get().date_of_birth == datetime.date(1980, 3, 19)


def test_t11_a_formula_without_a_value_is_refused_naming_its_cell(desk, election, mission):
    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, case("t11_xlsx_formula_no_cached_value.xlsx"))

    (error,) = raised.value.errors
    assert (error.row, error.column) == (2, "last_name_latin")
    assert error.message.startswith("A2 is a formula with no saved value")
    assert not Observer.objects.exists()


def test_t12_the_header_below_a_merged_title_is_found(desk, election, mission):
    submit(desk, election, mission, case("t12_xlsx_title_row_merged_above_header.xlsx"))

    observer = Observer.objects.get()
    assert (observer.last_name_latin, observer.first_name_latin) == ("Polat", "Murat")


def test_t13_two_nominees_above_a_million_empty_rows_are_saved(desk, election, mission):
    upload = SimpleUploadedFile("t13.xlsx", t13_workbook())

    result = submit(desk, election, mission, upload)

    assert result.batch.size == 2
    assert set(Observer.objects.values_list("document_number", flat=True)) == {"U90001", "U90002"}


# THE UPLOAD FORM


def upload_form(desk, election, mission, upload, **data):
    return NominationUploadForm(
        data={"election": election.pk, "body": mission.pk, **data},
        files={"file": upload},
        user=desk,
    )


def test_the_upload_form_reads_the_file_and_saves_nothing(desk, election, mission):
    form = upload_form(desk, election, mission, csv_file([row(1), row(2, citizenship="XX")]))

    assert form.is_valid(), form.errors
    nominations = form.cleaned_data["file"]
    assert nominations.source == BatchSource.CSV
    assert [number for number, _row in nominations.rows] == [2]
    assert [(e.row, e.column) for e in nominations.errors] == [(3, "citizenship")]
    assert not Observer.objects.exists()
    assert not NominationBatch.objects.exists()


def test_the_upload_form_refuses_an_unreadable_file_on_its_file_field(desk, election, mission):
    form = upload_form(desk, election, mission, SimpleUploadedFile("n.xlsx", b"not a workbook"))

    assert not form.is_valid()
    assert form.errors["file"] == [str(imports.XLSX_MALFORMED)]


# WHAT THE UPLOAD REPORT SAYS OF ANOTHER BODY'S NOMINEES


def test_the_report_names_the_earlier_nomination_to_the_cec_desk(desk, election, mission):
    earlier = ObserverFactory(election=election, citizenship="RU", document_number="751000001")

    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, csv_file([row(1)]))

    (error,) = raised.value.errors
    assert earlier.body.name in error.message
    assert error.message != str(services.ALREADY_HELD_ELSEWHERE)


def test_the_report_tells_staff_outside_its_scope_only_that_the_place_is_held(election):
    from commissions.choices import MemberRole
    from core.choices import Role
    from tests.commissions.factories import CommissionMemberFactory, TerritorialCommissionFactory
    from tests.core.factories import UserFactory
    from tests.observers.factories import AssociationBodyFactory

    commission = TerritorialCommissionFactory()
    regional = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(commission=commission, user=regional, role=MemberRole.STAFF)
    association = AssociationBodyFactory(region=commission.region)
    earlier = ObserverFactory(election=election, citizenship="RU", document_number="751000001")
    services.observer_accredit(actor=None, observer=earlier)
    earlier.refresh_from_db()

    with pytest.raises(imports.ImportInvalid) as raised:
        submit(regional, election, association, csv_file([row(1)]))

    (error,) = raised.value.errors
    assert (error.row, error.column) == (2, "document_number")
    assert error.message == str(services.ALREADY_HELD_ELSEWHERE)
    assert earlier.body.name not in error.message
    assert earlier.number_display not in error.message
    assert Observer.objects.count() == 1


def test_every_independent_error_of_a_row_is_reported_at_once(desk, election, mission):
    bad = row(
        1,
        citizenship="XX",
        last_name_latin="Иванов",
        first_name_cyrillic="Ivan",
        date_of_birth="2030-01-01",
    )

    with pytest.raises(imports.ImportInvalid) as raised:
        submit(desk, election, mission, csv_file([bad]))

    assert errors_of(raised) == {
        (2, "citizenship"),
        (2, "last_name_latin"),
        (2, "first_name_cyrillic"),
        (2, "date_of_birth"),
    }
    messages = {(e.row, e.column): e.message for e in raised.value.errors}
    assert messages[(2, "date_of_birth")] == str(BORN_IN_THE_FUTURE)
