"""One way to make a PDF: a Django template rendered to HTML, laid out by weasyprint; and one
way to join PDFs: `merge_pdfs`, which streams files made in parts (a job's batches) into one.

Every document uses the shipped Noto Sans (OFL, every Kazakh letter), declared by
`core/pdf/base.html`, so a PDF looks the same on every machine whatever fonts it has.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

FONT_FACE = "@font-face {{ font-family: 'Saylau Sans'; src: url('{url}'); font-weight: {weight}; }}"


def font_face_css() -> str:
    font_dir = settings.PDF_FONT_DIR
    return "\n".join(
        FONT_FACE.format(url=(font_dir / file).as_uri(), weight=weight)
        for file, weight in (("NotoSans-Regular.ttf", 400), ("NotoSans-Bold.ttf", 700))
    )


# FITTING TEXT IN A BOX

PT_PER_MM = 72 / 25.4
FONT_FILES = {False: "NotoSans-Regular.ttf", True: "NotoSans-Bold.ttf"}
# Measured widths are widened by this much: the layout's kerning and rounding never make a line
# wider than measured.
MEASURE_MARGIN = 1.03


@dataclass(frozen=True)
class TextFit:
    """The font size (pt) a text is set in, and the number of lines it takes at that size."""

    size: float
    lines: int


@functools.lru_cache(maxsize=4)
def _font(bold: bool):
    from PIL import ImageFont

    return ImageFont.truetype(str(settings.PDF_FONT_DIR / FONT_FILES[bold]), 100)


@functools.lru_cache(maxsize=4096)
def _width(word: str, bold: bool) -> float:
    """The width of `word` set at 1 pt, in pt (the same words recur on every card)."""
    return _font(bold).getlength(word) / 100


def _lines(word_widths: list[float], space: float, width: float) -> int:
    """How many lines words of `word_widths` take in `width`, broken at spaces (a word wider
    than the line is broken anywhere, as `overflow-wrap: anywhere` does)."""
    lines, used = 1, 0.0
    for word in word_widths:
        if used and used + space + word <= width:
            used += space + word
            continue
        if used:
            lines += 1
        lines += int(word // width) if word > width else 0
        used = word % width if word > width else word
    return lines


def fit_text(
    text: str,
    *,
    width_mm: float,
    height_mm: float,
    sizes: tuple[float, float],
    bold: bool = False,
    line_height: float = 1.2,
    step: float = 0.5,
) -> TextFit:
    """The largest font size in `sizes` (largest, smallest; pt) at which `text`, set in the
    PDFs' font, fits a box of `width_mm` × `height_mm` without breaking a word; failing that,
    the smallest size, its words broken where they must (the template sets
    `overflow-wrap: anywhere`). Weasyprint cannot shrink text to fit, so the templates set the
    size this gives."""
    widths = [_width(word, bold) * MEASURE_MARGIN for word in text.split()]
    space = _width(" ", bold)
    width = width_mm * PT_PER_MM
    height = height_mm * PT_PER_MM
    largest, smallest = sizes
    size = largest
    while size >= smallest:
        if all(w * size <= width for w in widths):
            lines = _lines([w * size for w in widths], space * size, width)
            if lines * size * line_height <= height:
                return TextFit(size, lines)
        size -= step
    return TextFit(smallest, _lines([w * smallest for w in widths], space * smallest, width))


def render_html(template_name: str, context: dict | None = None, *, language: str | None = None):
    context = {**(context or {}), "pdf_font_face": font_face_css()}
    with translation.override(language or translation.get_language()):
        return render_to_string(template_name, context)


def html_to_pdf(html: str, *, base_url: str | None = None, scratch: Path | None = None) -> bytes:
    """The PDF of `html`. weasyprint copies the document's fonts to a temporary folder and
    removes it only when its font configuration is garbage-collected (never, if the process is
    killed): here that folder is made in `scratch` (a job's scratch folder, core.jobs.job_scratch,
    which the job's next attempt empties) or else the system's temporary folder, and removed as
    soon as the document is written."""
    # Imported here: loading Pango costs time every process needs not.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    # weasyprint (pinned) makes its folder on the first font unless `_folder` is set already.
    fonts._folder = Path(tempfile.mkdtemp(prefix="saylau-fonts-", dir=scratch))
    try:
        document = HTML(string=html, base_url=base_url or str(settings.BASE_DIR))
        return document.write_pdf(font_config=fonts)
    finally:
        shutil.rmtree(fonts._folder, ignore_errors=True)
        fonts._folder = None


def render_pdf(template_name: str, context: dict | None = None, *, language: str | None = None):
    """The PDF bytes of `template_name` (which extends core/pdf/base.html) in `language`."""
    return html_to_pdf(render_html(template_name, context, language=language))


# MERGING PARTS


class EncryptedPart(ValueError):
    """A part is encrypted: its objects cannot be copied as they are."""


def merge_pdfs(paths: Iterable[str | PathLike], output: BinaryIO) -> int:
    """Write the pages of the PDF files `paths`, in order, to `output` as one PDF (PDF 1.7);
    returns the number of pages.

    `output` is a binary file open for writing (a file, a temporary file, a BytesIO), written
    from its current position. pypdf's PdfWriter keeps every page of the result in memory until
    it writes; this reads one part at a time with pypdf's reader and writes the objects its pages
    use at once, renumbered, so memory holds one part whatever the number of parts (a job's
    thousand badges are twenty parts of fifty). Only pages are kept, with everything they use
    (fonts, images, attributes inherited from their page tree); the parts' outlines, named
    destinations and document information are not. Raises EncryptedPart for an encrypted part
    and pypdf's PdfReadError for a file that is not a PDF.
    """
    from pypdf import PdfReader  # imported here, like weasyprint: only merging processes need it
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        NullObject,
    )

    class Ref(IndirectObject):
        """A reference already renumbered for the output."""

    offsets: dict[int, int] = {}  # object number → its offset from the start of the output
    page_refs: list[int] = []
    counter = iter(range(3, 2**31))  # 1: the catalog, 2: the page tree
    start = output.tell()

    def write_object(number: int, obj) -> None:
        offsets[number] = output.tell() - start
        output.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(output)
        output.write(b"\nendobj\n")

    output.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    for path in paths:
        with open(path, "rb") as handle:
            reader = PdfReader(handle)
            if reader.is_encrypted:
                raise EncryptedPart(f"{path} is encrypted")
            numbers: dict[int, int] = {}  # this part's object numbers → the output's
            pending: list[IndirectObject] = []

            def renumber(value, numbers=numbers, pending=pending):
                if isinstance(value, Ref):
                    return value
                if isinstance(value, IndirectObject):
                    if value.idnum not in numbers:
                        numbers[value.idnum] = next(counter)
                        pending.append(value)
                    return Ref(numbers[value.idnum], 0, None)
                if isinstance(value, DictionaryObject):  # and streams, which are dictionaries
                    for key, item in list(dict.items(value)):
                        value[key] = renumber(item)
                elif isinstance(value, ArrayObject):
                    for index, item in enumerate(list.__iter__(value)):
                        value[index] = renumber(item)
                return value

            # pypdf's pages carry what they inherit from the part's page tree (size, fonts):
            # those are written, pointing at the output's page tree instead of the part's. Each
            # page is numbered first, so a link to a page is a link to its one copy.
            pages = list(reader.pages)
            first = len(page_refs)
            for page in pages:
                page_refs.append(next(counter))
                if page.indirect_reference is not None:
                    numbers[page.indirect_reference.idnum] = page_refs[-1]
            for number, page in zip(page_refs[first:], pages, strict=True):
                page[NameObject("/Parent")] = Ref(2, 0, None)
                write_object(number, renumber(page))
                while pending:
                    reference = pending.pop()
                    obj = reference.get_object()
                    if obj is None:  # a reference to an object the part lacks
                        obj = NullObject()
                    write_object(numbers[reference.idnum], renumber(obj))
            del reader, pages

    kids = " ".join(f"{number} 0 R" for number in page_refs)
    for number, text in (
        (2, f"<< /Type /Pages /Kids [ {kids} ] /Count {len(page_refs)} >>"),
        (1, "<< /Type /Catalog /Pages 2 0 R >>"),
    ):
        offsets[number] = output.tell() - start
        output.write(f"{number} 0 obj\n{text}\nendobj\n".encode())

    size = max(offsets) + 1
    xref_at = output.tell() - start
    output.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
    for number in range(1, size):
        if number in offsets:
            output.write(f"{offsets[number]:010d} 00000 n \n".encode())
        else:
            output.write(b"0000000000 65535 f \n")
    output.write(f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode())
    return len(page_refs)
