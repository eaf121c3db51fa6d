"""One way to make a PDF: a Django template rendered to HTML, laid out by weasyprint.

Every document uses the shipped Noto Sans (OFL, every Kazakh letter), declared by
`core/pdf/base.html`, so a PDF looks the same on every machine whatever fonts it has.
"""

from __future__ import annotations

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


def render_html(template_name: str, context: dict | None = None, *, language: str | None = None):
    context = {**(context or {}), "pdf_font_face": font_face_css()}
    with translation.override(language or translation.get_language()):
        return render_to_string(template_name, context)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs time every process needs not

    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()


def render_pdf(template_name: str, context: dict | None = None, *, language: str | None = None):
    """The PDF bytes of `template_name` (which extends core/pdf/base.html) in `language`."""
    return html_to_pdf(render_html(template_name, context, language=language))
