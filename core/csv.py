"""CSV downloads, written one way for every export.

`csv_response` writes rows as UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the
PC's ANSI code page and garbles Cyrillic), RFC 4180 quoting and CRLF line ends, guards every text
cell against being run as a spreadsheet formula (`spreadsheet_safe`), and names the download
with a safe Content-Disposition. Large exports stream (`streaming=True`), so rows are written as
the client reads them instead of the whole file being held in memory.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP, "CSV Injection"): such a text cell is written with a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def spreadsheet_safe(value):
    """A cell that a spreadsheet will not run as a formula: text starting with = + - @ tab or CR
    gets a leading apostrophe (shown as text, not as part of the value, by spreadsheets).
    A yes or no is written "true" or "false" (as JSON and open-data readers write it, not
    Python's "True"). Numbers and other values are returned as they are: -5 is a number, not
    a formula."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_unguarded(value):
    """The inverse of `spreadsheet_safe`, for a file that comes back (an export imported
    again): text of an apostrophe then a formula's first character loses the apostrophe."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def safe_filename(name: str, extension: str = ".csv") -> str:
    """A download name without path separators, quotes or control characters, ending in
    `extension`; non-ASCII letters are kept (sent as RFC 6266's filename*)."""
    name = UNSAFE_FILENAME.sub("_", name or "").strip(" ._") or "export"
    if not name.lower().endswith(extension):
        name += extension
    return name


class _Line:
    """A file-like sink for csv.writer that hands back the line it was given."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence], header: Sequence | None = None) -> Iterator[str]:
    """The CSV text of the rows (after the header, if any), a line at a time, starting with
    the byte-order mark; every cell passed through `spreadsheet_safe`."""
    writer = csv.writer(_Line())
    yield BOM
    if header is not None:
        yield writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def csv_response(
    rows: Iterable[Sequence],
    *,
    filename: str,
    header: Sequence | None = None,
    streaming: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """A CSV download of the rows: an HttpResponse, or with `streaming` a StreamingHttpResponse
    that writes rows as they are read from `rows` (pass an iterator, e.g. a queryset's
    `.iterator()`, for exports too large to hold in memory)."""
    lines = csv_lines(rows, header)
    if streaming:
        response = StreamingHttpResponse(lines, content_type=CONTENT_TYPE)
    else:
        response = HttpResponse("".join(lines), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=safe_filename(filename)
    )
    return response
