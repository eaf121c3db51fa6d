"""Observers' badges: one PDF card per accredited observer, and the merge of a job's parts.

A card shows the observer's names (Latin and Cyrillic), photo (when there is one), nominating
body, the election, the accreditation number and validity, and a QR code that opens the public
verification page (at PUBLIC_BASE_URL) through the badge's unguessable code. It never shows the
passport number or the date of birth. Its labels are in Kazakh, Russian and English whatever
the language it is made in; every part has a fixed place inside the page's margins
(BADGE_LAYOUT), and each text is set at the largest size that fits its box, so a name of any
length never moves the QR code or the footer.

The badge job (`observers.jobs`) and the benchmark (`bench/badges.py`) share these helpers: the
job renders one batch of cards at a time to a file, then the core's `merge_pdfs` (`core.pdf`)
streams the parts into one document without
holding more than one part in memory.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.frame import language_neutral_path
from core.pdf import fit_text, html_to_pdf, render_html

from .choices import BodyKind, ObserverStatus
from .models import Observer

logger = logging.getLogger(__name__)

BADGE_TEMPLATE = "observers/pdf/badges.html"
NO_BADGE = _("Only an accredited observer has a badge; this one is {status}.")

# The card, in mm: an A6 landscape page, the same margin on every side (inside any printer's
# unprintable edge), a head, a footer, and between them the photo, the texts and the QR code.
# The template lays the card out with these numbers; `badge_card` fits each text to its box.
BADGE_LAYOUT = {
    "page_width": 148,
    "page_height": 105,
    "margin": 6,
    "content_width": 136,
    "content_height": 93,
    "middle_top": 25,  # the head above
    "middle_height": 55,
    "foot_height": 11,
    "photo_width": 30,
    "photo_height": 40,
    "qr_width": 30,
    "gap": 4,
    "text_width": 136 - 30 - 4,  # no photo: from the left edge to the QR code
    "text_width_photo": 136 - 30 - 4 - 30 - 4,
    # The texts' boxes' heights; with the labels between them they fill the middle.
    "name_latin": 15,
    "name_cyrillic": 12,
    "body": 10,
    "election": 7.5,
}
BADGE_LABEL_LANGUAGES = ("kk", "ru", "en")
# Part of a badge job's key: a new design makes new PDFs rather than handing out those made
# with the last one. Raise it whenever what a card looks like changes.
BADGE_DESIGN = 3  # 3: the QR code carries an address without a language

QR_SCALE = 4  # pixels per module: the image is embedded as it is, so it stays sharp and readable
QR_BORDER = 4  # the quiet zone readers need, in modules
QR_MASK = 2  # any fixed mask is valid; the tests decode the printed code with zxing-cpp


def badge_observers():
    """Accredited observers with what a card shows, in the order of their numbers."""
    return Observer.objects.accredited().select_related("body", "election").order_by("number")


def verification_url(observer: Observer) -> str:
    """The absolute address of the observer's public verification page, with no language in it:
    whoever scans the card is sent to the page in their own phone's language (the site's
    LocaleMiddleware redirects an address without a language prefix), not in the language of the
    staff member who made the badge."""
    return settings.PUBLIC_BASE_URL + language_neutral_path(
        "observers:verify", kwargs={"code": observer.verification_code}
    )


def qr_data_uri(url: str) -> str:
    """A PNG of the QR code of `url`, as a data URI (embedded in the PDF as an image)."""
    # A fixed mask: every reader decodes any of the eight, and searching for the best one
    # (segno's default) costs three times as long as the rest of the code, for every card.
    qr = segno.make(url, error="m", mask=QR_MASK)
    return qr.png_data_uri(scale=QR_SCALE, border=QR_BORDER)


def photo_data_uri(observer: Observer) -> str | None:
    """The observer's photo (a re-encoded JPEG in private storage) as a data URI, or None."""
    if not observer.photo:
        return None
    try:
        with observer.photo.open("rb") as handle:
            content = handle.read()
    except OSError:
        # The file is gone (restored database, removed volume): the card shows the placeholder.
        logger.warning("Photo of observer %s is missing; badge printed without it", observer.pk)
        return None
    return "data:image/jpeg;base64," + base64.b64encode(content).decode("ascii")


def trilingual(message) -> list[str]:
    """A label as the badge prints it: in Kazakh, Russian and English, whoever made the badge
    (observers, officials and foreign observers all read it)."""
    texts = []
    for language in BADGE_LABEL_LANGUAGES:
        with translation.override(language):
            text = str(message)
        if text not in texts:
            texts.append(text)
    return texts


def _fitted(text: str, box: tuple[float, float], sizes: tuple[float, float], **options) -> dict:
    fit = fit_text(text, width_mm=box[0], height_mm=box[1], sizes=sizes, **options)
    return {"text": text, "size": fit.size, "lines": fit.lines}


def badge_card(observer: Observer, language: str) -> dict:
    """What one card shows: only the fields a badge may print; its labels in Kazakh, Russian and
    English, its values (the election, a state's name) and its QR code's page in `language`.
    Each text is given the largest font size at which it fits its box (BADGE_LAYOUT)."""
    if observer.status != ObserverStatus.ACCREDITED:
        raise ValidationError(
            NO_BADGE.format(status=observer.get_status_display().lower()), code="no_badge"
        )
    body = observer.body
    if body.kind == BodyKind.ASSOCIATION:
        role = _("Observer of a public association")
    else:
        role = _("International observer")
    photo = photo_data_uri(observer)
    layout = BADGE_LAYOUT
    width = layout["text_width_photo"] if photo else layout["text_width"]
    role_main, *role_others = trilingual(role)
    with translation.override(language):
        url = verification_url(observer)
        body_name = str(body.display_name)
        election = f"{observer.election.name}, {observer.election.election_day:%d.%m.%Y}"
    return {
        "issuer": trilingual(_("Central Election Commission of the Republic of Kazakhstan")),
        "role": _fitted(role_main, (layout["content_width"], 6), (12, 8), bold=True),
        "role_others": _fitted(" · ".join(role_others), (layout["content_width"], 3.2), (8, 5)),
        "name_latin": _fitted(
            observer.full_name_latin, (width, layout["name_latin"]), (15, 6.5), bold=True
        ),
        "name_cyrillic": _fitted(
            observer.full_name_cyrillic, (width, layout["name_cyrillic"]), (12, 6)
        ),
        "body_label": trilingual(_("Nominated by") if body.kind != BodyKind.STATE else _("State")),
        "body": _fitted(body_name, (width, layout["body"]), (9.5, 6)),
        "election_label": trilingual(_("Election")),
        "election": _fitted(election, (width, layout["election"]), (9.5, 6)),
        "number_label": trilingual(_("Accreditation No.")),
        "number": observer.number_display,
        "valid_label": trilingual(_("Valid")),
        "valid_from": observer.decision_date,
        "valid_until": observer.valid_until,
        "photo": photo,
        "qr": qr_data_uri(url),
        "qr_hint": trilingual(_("Scan to check this badge")),
    }


def badges_html(observers: Iterable[Observer], language: str) -> str:
    """The HTML of the cards of `observers`, one to a page, in `language`."""
    cards = [badge_card(observer, language) for observer in observers]
    return render_html(BADGE_TEMPLATE, {"cards": cards, "layout": BADGE_LAYOUT}, language=language)


def badge_pdf(observer: Observer, *, language: str | None = None) -> bytes:
    """One observer's badge as a PDF (in the active language unless `language` is given)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return html_to_pdf(badges_html([observer], language))


def write_badges_pdf(observers: Iterable[Observer], language: str, target: Path) -> None:
    """Render a batch of cards to the file `target`; weasyprint's own temporary files go to the
    same folder (a job's scratch folder)."""
    target.write_bytes(html_to_pdf(badges_html(observers, language), scratch=target.parent))
