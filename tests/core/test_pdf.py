import io

import pytest
from pypdf import PdfReader

from core.pdf import render_pdf

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
