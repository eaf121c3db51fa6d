"""XLSX workbooks built for the spreadsheet tests, including the cases' t13 (a million empty
formatted rows), which is too large to keep in the repository."""

import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

NOMINEE_HEADER = [
    "last_name_latin",
    "first_name_latin",
    "last_name_cyrillic",
    "first_name_cyrillic",
    "citizenship",
    "date_of_birth",
    "document_number",
]
T13_NOMINEES = [
    ["Erdem", "Kerem", "Эрдем", "Керем", "TR", "07.07.1972", "U90001"],
    ["Erdem", "Leyla", "Эрдем", "Лейла", "TR", "04.04.1974", "U90002"],
]


def xlsx(lines, *, edit=None, epoch_1904: bool = False) -> bytes:
    """A workbook whose first sheet holds these lines; its sheet XML then changed by `edit`."""
    workbook = Workbook()
    if epoch_1904:
        workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    for line in lines:
        sheet.append(line)
    out = io.BytesIO()
    workbook.save(out)
    return edit_sheet(out.getvalue(), edit) if edit else out.getvalue()


def edit_sheet(content: bytes, edit) -> bytes:
    """The workbook with its first sheet's XML passed through `edit` (text to text)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            target.writestr(item, data)
    return out.getvalue()


def t13_workbook(last_row: int = 1048576, after: str = "") -> bytes:
    """The cases' t13 script: 2 nominees, then rows 4..last_row present as empty rows with a
    custom height (as Excel writes once a row height is set on whole columns), the dimension
    record saying so; `after` is put after them, inside the sheet's data."""
    empty = "".join(f'<row r="{r}" ht="20" customHeight="1"/>' for r in range(4, last_row + 1))

    def edit(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:G{last_row}"/>', xml)
        return xml.replace("</sheetData>", empty + after + "</sheetData>")

    return xlsx([NOMINEE_HEADER, *T13_NOMINEES], edit=edit)
