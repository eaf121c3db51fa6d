"""The core's spreadsheet reader: what staff really upload (tests/data/spreadsheets/ holds the
real-world cases, see their right results in the cases' README), and files that must be refused
with a clear message rather than a 500."""

import contextlib
import datetime
import io
import random
import re
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from core import spreadsheets
from core.spreadsheets import (
    Column,
    ColumnKind,
    RowNumbering,
    SpreadsheetError,
    SpreadsheetLimits,
    read_spreadsheet,
)
from tests.core.workbooks import NOMINEE_HEADER, T13_NOMINEES, t13_workbook, xlsx

DATA = Path(__file__).resolve().parent.parent / "data" / "spreadsheets"
HEADER = NOMINEE_HEADER
KINDS = {"date_of_birth": ColumnKind.DATE, "document_number": ColumnKind.IDENTIFIER}
COLUMNS = [Column(name, KINDS.get(name, ColumnKind.TEXT)) for name in HEADER]
PERSON = T13_NOMINEES[0]


def read(content: bytes, name: str = "file.csv", columns=COLUMNS, **kwargs):
    """The spreadsheet's header row and its rows."""
    sheet = read_spreadsheet(io.BytesIO(content), name=name, columns=columns, **kwargs)
    return sheet, list(sheet.rows)


def read_case(name: str, **kwargs):
    return read((DATA / name).read_bytes(), name=name, **kwargs)


def refusal(content: bytes, name: str = "file.csv", **kwargs) -> str:
    with pytest.raises(SpreadsheetError) as raised:
        read(content, name=name, **kwargs)
    return raised.value.message


def csv_text(*lines: list[str], delimiter=",", newline="\r\n") -> str:
    return newline.join(delimiter.join(line) for line in [HEADER, *lines]) + newline


def values(rows, column="last_name_latin"):
    return [row.values[column] for row in rows]


# THE REAL-WORLD CASES


def test_t01_windows_1251_with_semicolons_is_decoded_and_split():
    sheet, rows = read_case("t01_excel_ru_cp1251_semicolon.csv")

    assert sheet.format == "csv"
    assert [row.number for row in rows] == [2, 3]
    assert rows[0].values["last_name_cyrillic"] == "Шахин"
    assert rows[0].values["first_name_cyrillic"] == "Гёкче"
    assert rows[0].values["last_name_latin"] == "?ahin"  # lost when saved; refused by the names
    assert rows[1].values["date_of_birth"] == "03.11.1985"


def test_t03_utf16_unicode_text_keeps_every_letter():
    _sheet, rows = read_case("t03_excel_unicode_text_utf16_tab.txt.csv")

    assert [(r.values["last_name_latin"], r.values["first_name_latin"]) for r in rows] == [
        ("Şahin", "Gökçe"),
        ("Abilkassymov", "Nurlan"),
    ]
    assert rows[1].values["last_name_cyrillic"] == "Әбілқасымов"
    assert rows[1].values["first_name_cyrillic"] == "Нұрлан"
    assert not any(row.errors for row in rows)


def test_t05_a_cp1252_file_is_read_with_its_question_marks():
    _sheet, rows = read_case("t05_excel_enUS_csv_cp1252_cyrillic_lost.csv")

    assert values(rows, "last_name_cyrillic") == ["??????", "???"]


def test_t07_a_stale_dimension_record_drops_no_row():
    _sheet, rows = read_case("t07_xlsx_dimension_stale_A1G3.xlsx")

    assert [row.number for row in rows] == [2, 3, 4, 5]
    assert values(rows, "document_number") == ["U61001", "U61002", "U61003", "U61004"]


def test_t08_scientific_notation_in_an_identifier_column_is_refused_per_cell():
    _sheet, rows = read_case("t08_csv_passport_scientific_notation.csv")

    assert [(e.row, e.column) for row in rows for e in row.errors] == [
        (2, "document_number"),
        (3, "document_number"),
    ]
    assert rows[0].errors[0].message == str(
        spreadsheets.SCIENTIFIC_NOTATION.format(cell="G2", value="1,23457E+11")
    )


def test_t09_a_number_cell_in_an_identifier_column_is_refused():
    _sheet, rows = read_case("t09_xlsx_passport_number_cell_leading_zero_lost.xlsx")

    (error,) = rows[0].errors
    assert (error.row, error.column) == (2, "document_number")
    assert error.message == str(spreadsheets.NUMBER_CELL_IN_TEXT_COLUMN.format(cell="G2"))
    assert "leading zeros" in error.message


def test_t10_a_serial_number_in_a_general_cell_of_a_date_column_is_a_date():
    _sheet, rows = read_case("t10_xlsx_dob_serial_number_general_format.xlsx")

    assert rows[0].values["date_of_birth"] == datetime.date(1980, 3, 19)
    assert not rows[0].errors


def test_t11_a_formula_without_a_saved_value_names_its_cell():
    _sheet, rows = read_case("t11_xlsx_formula_no_cached_value.xlsx")

    (error,) = rows[0].errors
    assert (error.row, error.column) == (2, "last_name_latin")
    assert error.message == str(spreadsheets.FORMULA_NO_VALUE.format(cell="A2"))
    assert error.message.startswith("A2 is a formula with no saved value")


def test_t12_a_merged_title_row_above_the_header_is_skipped():
    sheet, rows = read_case("t12_xlsx_title_row_merged_above_header.xlsx")

    assert sheet.header_row == 2
    assert [
        (r.number, r.values["last_name_latin"], r.values["first_name_latin"]) for r in rows
    ] == [(3, "Polat", "Murat")]


@pytest.fixture(scope="module")
def t13():
    return t13_workbook()


def test_t13_a_million_empty_formatted_rows_are_not_read_one_by_one(t13):
    two_rows = xlsx([HEADER, PERSON, PERSON])
    started = time.perf_counter()
    read(two_rows, "small.xlsx")
    small = time.perf_counter() - started

    started = time.perf_counter()
    _sheet, rows = read(t13, "t13.xlsx")
    large = time.perf_counter() - started

    assert values(rows, "first_name_latin") == ["Kerem", "Leyla"]
    # Reading each of the million rows took 24 s; what remains is unpacking the 44 MB of XML
    # once to check that nothing follows the empty rows (about 0.3 s on a quiet machine).
    assert large < small + 3


def test_data_below_a_long_run_of_empty_rows_is_an_error_not_dropped():
    after = '<row r="5000"><c r="A5000" t="inlineStr"><is><t>Late</t></is></c></row>'
    content = t13_workbook(last_row=4000, after=after)

    message = refusal(content, "late.xlsx")

    assert message == str(spreadsheets.DATA_AFTER_BLANK_RUN.format(count=1000, row=3))


def test_a_few_empty_rows_between_rows_are_skipped():
    content = t13_workbook(
        last_row=50, after='<row r="60"><c r="A60" t="inlineStr"><is><t>Late</t></is></c></row>'
    )

    _sheet, rows = read(content, "gap.xlsx")

    assert [row.number for row in rows] == [2, 3, 60]


# CSV


def test_utf8_with_and_without_a_byte_order_mark_read_alike():
    text = csv_text(PERSON)

    _sheet, plain = read(text.encode("utf-8"))
    _sheet, marked = read(("\ufeff" + text).encode("utf-8"))

    assert plain[0].values == marked[0].values
    assert plain[0].values["first_name_cyrillic"] == "Керем"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_detected(delimiter):
    _sheet, rows = read(csv_text(PERSON, delimiter=delimiter).encode())

    assert rows[0].values["document_number"] == "U90001"


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
def test_every_kind_of_line_end_is_read(newline):
    _sheet, rows = read(csv_text(PERSON, PERSON, newline=newline).encode())

    assert [row.number for row in rows] == [2, 3]


def test_quoting_follows_the_standard():
    text = (
        ",".join(HEADER)
        + '\r\n"O""Brien","Mary, Ann","Line\r\nbreak",Керем,TR,07.07.1972,U1\r\n'
        + "Next,Row,Некст,Роу,TR,07.07.1972,U2\r\n"
    )

    _sheet, rows = read(text.encode())

    assert rows[0].values["last_name_latin"] == 'O"Brien'
    assert rows[0].values["first_name_latin"] == "Mary, Ann"
    assert rows[0].values["last_name_cyrillic"] == "Line\r\nbreak"
    assert [row.number for row in rows] == [2, 3]  # a quoted line break is not a new row


def test_columns_match_in_any_order_and_case_and_others_are_ignored():
    header = ["Notes", *[name.upper() for name in reversed(HEADER)]]
    text = ",".join(header) + "\n" + ",".join(["x", *reversed(PERSON)]) + "\n"

    sheet, rows = read(text.encode())

    assert rows[0].values["last_name_latin"] == "Erdem"
    assert sheet.columns == tuple(HEADER)


def test_blank_lines_are_skipped_and_rows_keep_their_numbers():
    text = csv_text(PERSON, [""] * 7, PERSON)

    _sheet, rows = read(text.encode())

    assert [row.number for row in rows] == [2, 4]


def test_rows_can_be_numbered_from_the_first_below_the_header():
    text = "Nominees\r\n" + csv_text(PERSON, PERSON)

    sheet, rows = read(text.encode(), numbering=RowNumbering.DATA)

    assert sheet.header_row == 2
    assert [row.number for row in rows] == [1, 2]


def test_a_row_with_more_cells_than_the_header_is_an_error():
    _sheet, rows = read(csv_text([*PERSON, "extra"]).encode())

    assert [(e.row, e.column, e.message) for e in rows[0].errors] == [
        (2, "", str(spreadsheets.ROW_TOO_LONG))
    ]


def test_an_optional_column_may_be_missing():
    columns = [*COLUMNS, Column("notes", required=False)]

    _sheet, rows = read(csv_text(PERSON).encode(), columns=columns)

    assert rows[0].values["notes"] == ""


# XLSX


def test_date_cells_are_dates_and_text_cells_text():
    line = [*PERSON[:5], datetime.datetime(1972, 7, 7), "007"]

    _sheet, rows = read(xlsx([HEADER, line]), "n.xlsx")

    assert rows[0].values["date_of_birth"] == datetime.date(1972, 7, 7)
    assert rows[0].values["document_number"] == "007"


def test_a_workbook_on_the_1904_calendar_reads_its_serial_dates_right():
    line = [*PERSON[:5], 26112, "U1"]  # a General cell: day 26112 of the 1904 calendar

    _sheet, rows = read(xlsx([HEADER, line], epoch_1904=True), "mac.xlsx")

    assert rows[0].values["date_of_birth"] == datetime.date(1975, 6, 29)


def test_a_serial_past_the_last_day_of_the_1904_calendar_is_refused_not_a_crash():
    line = [*PERSON[:5], 2958465, "U1"]  # 9999-12-31 in 1900 days, past it counted from 1904

    _sheet, rows = read(xlsx([HEADER, line], epoch_1904=True), "mac.xlsx")

    assert [e.column for e in rows[0].errors] == ["date_of_birth"]
    assert "2958465" in rows[0].errors[0].message


def test_a_number_in_a_text_column_is_taken_as_its_digits():
    line = [12345, *PERSON[1:]]

    _sheet, rows = read(xlsx([HEADER, line]), "n.xlsx")

    assert rows[0].values["last_name_latin"] == "12345"


def test_a_decimal_number_in_a_text_column_keeps_every_digit():
    line = [51.169392, 0.0000001, *PERSON[2:]]

    _sheet, rows = read(xlsx([HEADER, line]), "n.xlsx")

    assert rows[0].values["last_name_latin"] == "51.169392"
    assert rows[0].values["first_name_latin"] == "0.0000001"


def test_a_missing_dimension_record_drops_no_row():
    def drop_dimension(xml):
        return re.sub(r"<dimension[^>]*/>", "", xml)

    content = xlsx([HEADER, PERSON, PERSON, PERSON], edit=drop_dimension)

    _sheet, rows = read(content, "n.xlsx")

    assert len(rows) == 3


def test_trailing_empty_formatted_rows_are_not_rows():
    workbook = Workbook()
    sheet = workbook.active
    for line in [HEADER, PERSON]:
        sheet.append(line)
    for row in range(3, 40):
        sheet.row_dimensions[row].height = 30
        sheet.cell(row=row, column=2).number_format = "@"
    out = io.BytesIO()
    workbook.save(out)

    _sheet, rows = read(out.getvalue(), "n.xlsx")

    assert [row.number for row in rows] == [2]


def test_merged_cells_in_a_row_keep_their_value_in_the_first_cell():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nominees of the mission"])
    sheet.merge_cells("A1:G1")
    sheet.append(HEADER)
    sheet.append(PERSON)
    out = io.BytesIO()
    workbook.save(out)

    sheet, rows = read(out.getvalue(), "n.xlsx")

    assert sheet.header_row == 2
    assert rows[0].values["first_name_latin"] == "Kerem"


def test_a_cell_holding_a_spreadsheet_error_is_refused():
    def break_cell(xml):
        return re.sub(r'<c r="A2"[^>]*>.*?</c>', '<c r="A2" t="e"><v>#REF!</v></c>', xml)

    content = xlsx([HEADER, PERSON], edit=break_cell)

    _sheet, rows = read(content, "n.xlsx")

    assert rows[0].errors[0].message == str(
        spreadsheets.CELL_ERROR_VALUE.format(cell="A2", value="#REF!")
    )


def test_a_formula_with_a_saved_value_gives_the_value():
    def formula(xml):
        return re.sub(
            r'<c r="A2"[^>]*>.*?</c>', '<c r="A2" t="str"><f>UPPER("x")</f><v>X</v></c>', xml
        )

    _sheet, rows = read(xlsx([HEADER, PERSON], edit=formula), "n.xlsx")

    assert rows[0].values["last_name_latin"] == "X"
    assert not rows[0].errors


def test_a_workbook_named_csv_is_read_as_a_workbook():
    sheet, rows = read(xlsx([HEADER, PERSON]), "renamed.csv")

    assert sheet.format == "xlsx"
    assert len(rows) == 1


# LIMITS


def test_a_file_over_the_size_limit_is_refused():
    message = refusal(csv_text(PERSON).encode(), limits=SpreadsheetLimits(max_bytes=100))

    assert message == str(spreadsheets.FILE_TOO_LARGE.format(limit="0.1"))


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx([HEADER, PERSON])))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (3 * 1024 * 1024))
    limits = SpreadsheetLimits(max_uncompressed_bytes=2 * 1024 * 1024)

    message = refusal(out.getvalue(), "bomb.xlsx", limits=limits)

    assert len(out.getvalue()) < 100_000
    assert message == str(spreadsheets.XLSX_TOO_LARGE.format(limit="2"))


def test_too_many_rows_are_refused():
    limits = SpreadsheetLimits(max_rows=2)

    message = refusal(csv_text(PERSON, PERSON, PERSON).encode(), limits=limits)

    assert message == str(spreadsheets.FILE_TOO_MANY_ROWS.format(limit=2))


@pytest.mark.parametrize("name", ["n.csv", "n.xlsx"])
def test_too_many_cells_are_refused(name):
    lines = [HEADER, *[PERSON] * 5]
    content = xlsx(lines) if name.endswith("xlsx") else csv_text(*lines[1:]).encode()

    message = refusal(content, name, limits=SpreadsheetLimits(max_cells=20))

    assert message == str(spreadsheets.FILE_TOO_MANY_CELLS.format(limit=20))


def test_csv_data_below_a_long_run_of_empty_lines_is_an_error():
    text = csv_text(PERSON) + "\r\n" * 20 + ",".join(PERSON) + "\r\n"

    message = refusal(text.encode(), limits=SpreadsheetLimits(max_blank_run=10))

    assert message == str(spreadsheets.DATA_AFTER_BLANK_RUN.format(count=10, row=2))


# FILES THAT CANNOT BE USED


def workbook_with_a_dtd() -> bytes:
    """A billion-laughs-style entity in the sheet (a DTD never has a place in a workbook)."""
    entity = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'

    def edit(xml: str) -> str:
        xml = xml.replace("Kerem", "&a;", 1)
        if xml.startswith("<?xml"):
            return xml.replace("?>", "?>" + entity, 1)
        return entity + xml

    return xlsx([HEADER, PERSON], edit=edit)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("n.pdf", b"%PDF-1.7", spreadsheets.FILE_TYPE_REFUSED),
        ("n.csv", b"", spreadsheets.FILE_EMPTY),
        ("n.csv", b" \r\n\r\n", spreadsheets.FILE_EMPTY),
        ("n.csv", ",".join(HEADER).encode(), spreadsheets.FILE_NO_ROWS),
        ("n.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", spreadsheets.CSV_NOT_TEXT),
        ("n.csv", "a,b\n".encode("utf-16-le"), spreadsheets.CSV_NOT_TEXT),
        ("n.xlsx", b"not a workbook", spreadsheets.XLSX_MALFORMED),
        ("n.xlsx", b"PK\x03\x04 truncated", spreadsheets.XLSX_MALFORMED),
        ("n.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, spreadsheets.FILE_XLS_REFUSED),
    ],
    ids=[
        "pdf",
        "empty",
        "blank",
        "header-only",
        "binary",
        "utf16-without-bom",
        "fake-xlsx",
        "corrupt-zip",
        "xls",
    ],
)
def test_an_unusable_file_is_refused_with_a_clear_message(name, content, message):
    assert refusal(content, name) == str(message)


def test_a_workbook_with_a_dtd_is_refused():
    assert refusal(workbook_with_a_dtd(), "n.xlsx") == str(spreadsheets.XLSX_MALFORMED)


def test_a_header_without_a_required_column_names_it():
    text = ",".join(HEADER[:-1]) + "\n" + ",".join(PERSON[:-1]) + "\n"

    assert refusal(text.encode()) == str(
        spreadsheets.COLUMNS_MISSING.format(columns="document_number")
    )


def test_a_column_named_twice_is_refused():
    text = ",".join([*HEADER, "CITIZENSHIP"]) + "\n"

    assert refusal(text.encode()) == str(spreadsheets.COLUMN_REPEATED.format(column="citizenship"))


def test_a_file_without_the_header_says_which_columns_it_needs():
    message = refusal("фамилия;имя\nИванов;Иван\n".encode("cp1251"))

    assert message.startswith("No header row names the columns last_name_latin")


def test_damaged_workbooks_are_refused_never_crash():
    """Bytes changed at random in a valid workbook: each read either succeeds or ends in a
    SpreadsheetError (the upload form's message), never another exception (a 500)."""
    original = xlsx([HEADER, PERSON, PERSON])
    generator = random.Random(6)
    for _attempt in range(150):
        damaged = bytearray(original)
        for _change in range(generator.randint(1, 8)):
            damaged[generator.randrange(len(damaged))] = generator.randrange(256)
        with contextlib.suppress(SpreadsheetError):
            read(bytes(damaged), "n.xlsx")


def test_damaged_csv_files_are_refused_never_crash():
    original = csv_text(PERSON, PERSON).encode("utf-8")
    generator = random.Random(6)
    for _attempt in range(150):
        damaged = bytearray(original)
        for _change in range(generator.randint(1, 8)):
            damaged[generator.randrange(len(damaged))] = generator.randrange(256)
        with contextlib.suppress(SpreadsheetError):
            read(bytes(damaged), "n.csv")
