import io
import tempfile

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject

from core.pdf import EncryptedPart, TextFit, html_to_pdf, merge_pdfs, render_html, render_pdf

KAZAKH_LETTERS = "Ә ә Ғ ғ Қ қ Ң ң Ө ө Ұ ұ Ү ү Һ һ І і"


@pytest.fixture
def template(tmp_path, settings):
    (tmp_path / "sample.html").write_text(
        '{% extends "core/pdf/base.html" %}{% block content %}'
        "<h1>{{ title }}</h1><p>{{ letters }}</p>{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "sample.html"


def test_pdf_text_has_every_kazakh_letter(template):
    pdf = render_pdf(
        template, {"title": "Сайлау учаскесі", "letters": KAZAKH_LETTERS}, language="kk"
    )
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Сайлау учаскесі" in text
    for letter in KAZAKH_LETTERS.split():
        assert letter in text


def test_pdf_embeds_only_the_shipped_font(template):
    pdf = render_pdf(template, {"title": "Қазақстан", "letters": KAZAKH_LETTERS})
    reader = PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all(name.endswith(("+Saylau-Sans", "+Saylau-Sans-Bold")) for name in fonts), fonts


def test_pdf_is_rendered_in_the_requested_language(template, tmp_path):
    (tmp_path / "lang.html").write_text(
        '{% extends "core/pdf/base.html" %}{% load i18n %}{% block content %}'
        "<p>{% get_current_language as l %}{{ l }}</p>{% endblock %}",
        encoding="utf-8",
    )
    text = PdfReader(io.BytesIO(render_pdf("lang.html", language="ru"))).pages[0].extract_text()
    assert "ru" in text


def test_a_pdf_leaves_no_temporary_files_at_once(template, tmp_path, monkeypatch):
    """weasyprint's copies of the fonts go as soon as the PDF is written, not when collected."""
    system_tmp, scratch = tmp_path / "tmp", tmp_path / "scratch"
    system_tmp.mkdir()
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    html = render_html(template, {"title": "Қазақстан", "letters": KAZAKH_LETTERS})
    assert html_to_pdf(html).startswith(b"%PDF")
    assert html_to_pdf(html, scratch=scratch).startswith(b"%PDF")
    assert list(system_tmp.iterdir()) == []
    assert list(scratch.iterdir()) == []


# MERGING PARTS


@pytest.fixture
def pages_template(template, tmp_path):
    """A document with a page per item of `pages`."""
    (tmp_path / "pages.html").write_text(
        '{% extends "core/pdf/base.html" %}{% block content %}{% for text in pages %}'
        '<p style="page-break-after: always">{{ text }}</p>{% endfor %}{% endblock %}',
        encoding="utf-8",
    )
    return "pages.html"


def write_part(folder, name: str, pages: list[str]):
    path = folder / name
    path.write_bytes(render_pdf("pages.html", {"pages": pages}, language="kk"))
    return path


def merged(paths) -> tuple[int, PdfReader]:
    out = io.BytesIO()
    count = merge_pdfs(paths, out)
    return count, PdfReader(io.BytesIO(out.getvalue()), strict=True)


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text().strip() for page in reader.pages]


def hand_made_pdf(texts: list[str]) -> bytes:
    """A PDF whose pages inherit their size and font from the page tree, whose contents are an
    indirect array, and whose first page links to the last: what other producers write, and
    weasyprint does not."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [ {kids} ] /Count {count} /MediaBox [ 0 0 300 200 ] "
        "/Resources << /Font << /F1 3 0 R >> >> >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for text in texts:
        stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        objects.append(f"[ {len(objects)} 0 R ]")  # the contents array, itself an object
        link = ""
        if not kids:  # objects 4, 5, 6 are the first page's; each page adds three
            last = 3 + 3 * len(texts)
            link = f"/Annots [ << /Subtype /Link /Rect [ 0 0 9 9 ] /Dest [ {last} 0 R /Fit ] >> ]"
        objects.append(f"<< /Type /Page /Parent 2 0 R /Contents {len(objects)} 0 R {link} >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = objects[1].format(kids=" ".join(kids), count=len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, text in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{text}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def test_merged_parts_keep_every_page_in_order(pages_template, tmp_path):
    paths = [
        write_part(tmp_path, "0.pdf", ["Бірінші 1", "Бірінші 2"]),
        write_part(tmp_path, "1.pdf", ["Екінші 1"]),
        write_part(tmp_path, "2.pdf", ["Үшінші 1", "Үшінші 2", "Үшінші 3"]),
    ]
    count, reader = merged(paths)
    assert count == len(reader.pages) == 6
    assert page_texts(reader) == [
        "Бірінші 1",
        "Бірінші 2",
        "Екінші 1",
        "Үшінші 1",
        "Үшінші 2",
        "Үшінші 3",
    ]


def test_merged_pages_keep_the_shipped_font_and_their_size(pages_template, tmp_path):
    paths = [write_part(tmp_path, f"{n}.pdf", [f"Қағаз {n}"]) for n in range(2)]
    _count, reader = merged(paths)
    for page in reader.pages:
        fonts = [str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()]
        assert fonts and all(name.endswith("+Saylau-Sans") for name in fonts), fonts
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]  # A4, in points


def test_pages_that_inherit_from_their_page_tree_keep_what_they_inherit(pages_template, tmp_path):
    other = tmp_path / "other.pdf"
    other.write_bytes(hand_made_pdf(["Left page", "Right page"]))
    assert page_texts(PdfReader(other, strict=True)) == ["Left page", "Right page"]
    count, reader = merged([write_part(tmp_path, "0.pdf", ["Алғы бет"]), other])
    assert count == 3
    assert page_texts(reader) == ["Алғы бет", "Left page", "Right page"]
    assert [float(v) for v in reader.pages[2].mediabox] == [0, 0, 300, 200]


def test_a_link_to_a_page_of_the_part_leads_to_that_page_in_the_merge(pages_template, tmp_path):
    other = tmp_path / "other.pdf"
    other.write_bytes(hand_made_pdf(["One", "Two", "Three"]))
    out = io.BytesIO()
    merge_pdfs([write_part(tmp_path, "0.pdf", ["Алғы бет"]), other], out)
    reader = PdfReader(io.BytesIO(out.getvalue()), strict=True)
    link = reader.pages[1]["/Annots"][0].get_object()
    assert link["/Dest"][0].idnum == reader.pages[3].indirect_reference.idnum
    page_objects = [
        number
        for number in range(1, reader.trailer["/Size"])
        if isinstance(obj := reader.get_object(number), DictionaryObject)
        and obj.get("/Type") == "/Page"
    ]
    assert len(page_objects) == len(reader.pages) == 4  # no second copy of the linked page


def test_no_parts_make_an_empty_but_valid_pdf():
    count, reader = merged([])
    assert count == len(reader.pages) == 0


def test_a_merge_is_written_to_a_file_on_disk(pages_template, tmp_path):
    part = write_part(tmp_path, "0.pdf", ["Файл"])
    target = tmp_path / "all.pdf"
    with open(target, "wb") as out:
        assert merge_pdfs([part, part], out) == 2
    assert page_texts(PdfReader(target, strict=True)) == ["Файл", "Файл"]


def test_an_encrypted_part_is_refused(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    part = tmp_path / "locked.pdf"
    with open(part, "wb") as out:
        writer.write(out)
    with pytest.raises(EncryptedPart):
        merge_pdfs([part], io.BytesIO())


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path):
    part = tmp_path / "notes.pdf"
    part.write_text("not a PDF at all")
    with pytest.raises(PdfReadError):
        merge_pdfs([part], io.BytesIO())


# FITTING TEXT IN A BOX


def test_a_short_text_keeps_the_largest_size():
    from core.pdf import fit_text

    assert fit_text("Li Na", width_mm=60, height_mm=10, sizes=(15, 6)) == TextFit(15, 1)


def test_a_long_word_shrinks_until_it_fits_one_line():
    from core.pdf import fit_text

    word = "Wolfeschlegelsteinhausenbergerdorff"
    fit = fit_text(word, width_mm=60, height_mm=20, sizes=(15, 6), bold=True)
    assert 6 < fit.size < 15
    assert fit.lines == 1
    assert fit_text(word, width_mm=120, height_mm=20, sizes=(15, 6), bold=True).size > fit.size


def test_words_wrap_within_the_height_before_they_shrink():
    from core.pdf import fit_text

    name = "Hernández de la Santísima Trinidad y Pérez-García de los Ríos"
    fit = fit_text(name, width_mm=60, height_mm=15, sizes=(12, 6))
    assert fit.lines >= 2
    assert fit.lines * fit.size * 1.2 <= 15 * 72 / 25.4


def test_a_text_that_cannot_fit_gets_the_smallest_size_broken_anywhere():
    from core.pdf import fit_text

    fit = fit_text("W" * 200, width_mm=20, height_mm=5, sizes=(12, 6), bold=True)
    assert fit.size == 6
    assert fit.lines > 1
