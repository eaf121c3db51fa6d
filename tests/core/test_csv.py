"""The core's CSV download: UTF-8 with a byte-order mark, no cell a spreadsheet would run as a
formula, a safe file name, and streaming for large exports."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from core.csv import csv_response, safe_filename, spreadsheet_safe


def rows_of(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_a_download_is_utf8_with_a_byte_order_mark_and_a_header():
    response = csv_response(
        [["KZ", "Қазақстан", 3]], filename="states.csv", header=["code", "name", "n"]
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    assert rows_of(response.content) == [["code", "name", "n"], ["KZ", "Қазақстан", "3"]]


def test_lines_end_with_crlf_and_quote_as_the_standard_says():
    response = csv_response([['O"Brien', "Mary, Ann", "two\nlines"]], filename="x.csv")

    assert response.content.decode("utf-8") == '\ufeff"O""Brien","Mary, Ann","two\nlines"\r\n'


@pytest.mark.parametrize("value", ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_cell_a_spreadsheet_would_run_gets_an_apostrophe(value):
    response = csv_response([[value]], filename="x.csv")

    assert rows_of(response.content) == [["'" + value]]


def test_the_header_is_guarded_too():
    assert rows_of(csv_response([], filename="x.csv", header=["=1"]).content) == [["'=1"]]


def test_numbers_and_plain_text_are_left_as_they_are():
    assert spreadsheet_safe(-5) == -5
    assert spreadsheet_safe(None) is None
    assert spreadsheet_safe("Ivanov-Petrov") == "Ivanov-Petrov"
    assert spreadsheet_safe("") == ""


def test_a_large_export_streams_row_by_row():
    produced = []

    def rows():
        for n in range(3):
            produced.append(n)
            yield [n, f"=row {n}"]

    response = csv_response(rows(), filename="big.csv", streaming=True)

    assert isinstance(response, StreamingHttpResponse)
    assert produced == []  # nothing is written before the client reads
    content = b"".join(response.streaming_content)
    assert rows_of(content) == [["0", "'=row 0"], ["1", "'=row 1"], ["2", "'=row 2"]]


def test_the_file_name_is_an_attachment_with_an_ascii_name():
    response = csv_response([], filename="observer-statistics-7-2023-03-07.csv")

    assert response["Content-Disposition"] == (
        'attachment; filename="observer-statistics-7-2023-03-07.csv"'
    )


def test_a_non_ascii_file_name_is_sent_encoded():
    response = csv_response([], filename="наблюдатели.csv")

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D0%BD%D0%B0%D0%B1%D0%BB%D1%8E%D0%B4%D0%B0%D1%82%D0%B5"
        "%D0%BB%D0%B8.csv"
    )


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ('../etc/"passwd"', "etc_passwd.csv"),
        ("a\r\nSet-Cookie: x", "a_Set-Cookie_ x.csv"),
        ("report", "report.csv"),
        ("", "export.csv"),
        ("C:\\Users\\x.csv", "C_Users_x.csv"),
    ],
)
def test_a_file_name_loses_paths_quotes_and_control_characters(name, safe):
    assert safe_filename(name) == safe


def test_a_guarded_cell_read_back_is_the_value_it_was():
    from core.csv import spreadsheet_safe, spreadsheet_unguarded

    for value in ("+77172123456", "=SUM(A1)", "-5 degrees", "O'Brien", "'quoted'", 12):
        assert spreadsheet_unguarded(spreadsheet_safe(value)) == value


def test_a_yes_or_no_is_written_true_or_false():
    """Not Python's "True": open-data readers and the imports read "true" and "false"."""
    assert (spreadsheet_safe(True), spreadsheet_safe(False)) == ("true", "false")
    body = csv_response([[True, False, 1]], filename="x").content
    assert body.decode("utf-8-sig").strip() == "true,false,1"
