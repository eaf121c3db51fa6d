"""The core's XLSX download: a workbook Excel opens right under any locale, holding the rows as
their types (text, numbers, dates), with no cell a spreadsheet would run as a formula."""

import datetime
import io
import zipfile

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from core.xlsx import CONTENT_TYPE, xlsx_bytes, xlsx_response


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def values_of(content: bytes) -> list[tuple]:
    return list(sheet_of(content).iter_rows(values_only=True))


def test_a_download_is_a_workbook_with_its_header_and_rows():
    response = xlsx_response(
        [["KZ", "Қазақстан", 3]], filename="states.xlsx", header=["code", "name", "n"]
    )

    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="states.xlsx"'
    assert zipfile.is_zipfile(io.BytesIO(response.content))
    assert values_of(response.content) == [("code", "name", "n"), ("KZ", "Қазақстан", 3)]


def test_the_header_is_bold_and_stays_in_view():
    sheet = sheet_of(xlsx_bytes([["a"]], header=["name"]))

    assert sheet["A1"].font.b
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"


def test_numbers_stay_numbers_and_dates_dates():
    day = datetime.date(2023, 3, 7)
    sheet = sheet_of(xlsx_bytes([[3, -5, 2.5, day, None]]))

    assert [cell.data_type for cell in sheet[1][:4]] == ["n", "n", "n", "d"]
    assert sheet["D1"].value == datetime.datetime(2023, 3, 7)
    assert sheet["D1"].number_format == "yyyy-mm-dd"
    assert sheet["E1"].value is None


def test_an_aware_time_is_written_as_its_wall_clock_time():
    moment = datetime.datetime(
        2023, 3, 7, 15, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=5))
    )

    assert values_of(xlsx_bytes([[moment]])) == [(datetime.datetime(2023, 3, 7, 15, 30),)]


@pytest.mark.parametrize("value", ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_cell_a_spreadsheet_would_run_is_guarded_as_in_the_csv(value):
    sheet = sheet_of(xlsx_bytes([[value]], header=["=header"]))

    assert sheet["A1"].value == "'=header"
    assert sheet["A2"].value == ("'" + value).replace("\r", "\n")  # XML reads CR as LF
    assert sheet["A2"].data_type == "s"


def test_text_that_looks_like_a_formula_is_never_stored_as_one():
    content = xlsx_bytes([["=1+1"]])
    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        sheet_xml = workbook.read("xl/worksheets/sheet1.xml").decode()

    assert "<f>" not in sheet_xml


def test_control_characters_are_dropped_rather_than_failing_the_download():
    assert values_of(xlsx_bytes([["a\x00b\x1fc"]])) == [("abc",)]


def test_a_lazy_translation_is_written_as_its_text():
    assert values_of(xlsx_bytes([[gettext_lazy("Total")]])) == [("Total",)]


def test_columns_are_as_wide_as_their_text_within_bounds():
    sheet = sheet_of(xlsx_bytes([["x", "Миссия наблюдателей от СНГ", "y" * 500]]))

    assert sheet.column_dimensions["A"].width == 8
    assert sheet.column_dimensions["B"].width == len("Миссия наблюдателей от СНГ") + 2
    assert sheet.column_dimensions["C"].width == 60


def test_the_file_and_sheet_names_are_safe():
    response = xlsx_response([], filename='../a"b:[stats]')

    assert response["Content-Disposition"] == 'attachment; filename="a_b_[stats].xlsx"'
    assert sheet_of(response.content).title == "a_b__stats_"


def test_a_non_ascii_file_name_is_kept():
    response = xlsx_response([], filename="статистика")

    assert "filename*=utf-8''%D1%81" in response["Content-Disposition"]
    assert sheet_of(response.content).title == "статистика"


# SHEET NAMES

FORBIDDEN = set("[]:*?/\\")


def _valid(title: str) -> bool:
    return 0 < len(title) <= 31 and not FORBIDDEN & set(title) and title[0] != "'" != title[-1]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # kk, ru, en: cut at a word's end with an ellipsis, never mid-word
        (
            "Байқаушыларды аккредиттеу статистикасы 2023-03-07",
            "Байқаушыларды аккредиттеу…",
        ),
        ("Аккредитации по 2023-03-07 включительно", "Аккредитации по 2023-03-07…"),
        ("Observer accreditation statistics up to 2023", "Observer accreditation…"),
        ("Short enough", "Short enough"),
        ("Exactly thirty-one characters!!", "Exactly thirty-one characters!!"),
        ("Аккредиттеудіңбарлықстатистикасыбірсөзбен", "Аккредиттеудіңбарлықстатистика…"),
    ],
)
def test_a_long_sheet_name_is_cut_at_a_word_with_an_ellipsis(title, expected):
    sheet = sheet_of(xlsx_bytes([["a"]], sheet_title=title))

    assert sheet.title == expected
    assert _valid(sheet.title)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Қазақстан: 2023/03/07 [бөлім] * ?", "Қазақстан_ 2023_03_07 _бөлім_…"),
        ("'Итоги'", "Итоги"),
        ("  ", "Sheet1"),
        ("History", "History (2)"),
        ("a\x00b\nc", "ab c"),
    ],
)
def test_a_sheet_name_excel_refuses_is_made_valid(title, expected):
    sheet = sheet_of(xlsx_bytes([], sheet_title=title))

    assert sheet.title == expected
    assert _valid(sheet.title)


def test_sheet_names_made_alike_by_the_cut_are_told_apart_by_a_suffix():
    from core.xlsx import xlsx_workbook_bytes

    content = xlsx_workbook_bytes(
        [
            ("Байқаушыларды аккредиттеу статистикасы: мемлекеттер", None, [["a"]]),
            ("Байқаушыларды аккредиттеу статистикасы: ұйымдар", None, [["b"]]),
            ("байқаушыларды аккредиттеу…", None, [["c"]]),
        ]
    )
    workbook = load_workbook(io.BytesIO(content))

    assert workbook.sheetnames == [
        "Байқаушыларды аккредиттеу…",
        "Байқаушыларды аккредиттеу… (2)",
        "байқаушыларды аккредиттеу… (3)",
    ]
    assert all(_valid(name) for name in workbook.sheetnames)
    assert [workbook[name]["A1"].value for name in workbook.sheetnames] == ["a", "b", "c"]
