"""Observers' badges: one PDF card per accredited observer, and the merge of a job's parts.

A card shows the observer's names (Latin and Cyrillic), photo, nominating body, the election,
the accreditation number and validity, and a QR code that opens the public verification page
through the badge's unguessable code. It never shows the passport number or the date of birth.

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
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.pdf import html_to_pdf, render_html

from .choices import BodyKind, ObserverStatus
from .models import Observer

logger = logging.getLogger(__name__)

BADGE_TEMPLATE = "observers/pdf/badges.html"
NO_BADGE = _("Only an accredited observer has a badge; this one is {status}.")

QR_SCALE = 4  # pixels per module: the image is embedded as it is, so it stays sharp and readable
QR_BORDER = 4  # the quiet zone readers need, in modules
QR_MASK = 2  # any fixed mask is valid; the tests decode the printed code with zxing-cpp


def badge_observers():
    """Accredited observers with what a card shows, in the order of their numbers."""
    return Observer.objects.accredited().select_related("body", "election").order_by("number")


def verification_url(observer: Observer, language: str) -> str:
    """The absolute address of the observer's public verification page, in `language`."""
    with translation.override(language):
        path = reverse("observers:verify", kwargs={"code": observer.verification_code})
    return settings.PUBLIC_BASE_URL + path


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


def badge_card(observer: Observer, language: str) -> dict:
    """What one card shows, in `language`: only the fields a badge may print."""
    if observer.status != ObserverStatus.ACCREDITED:
        raise ValidationError(
            NO_BADGE.format(status=observer.get_status_display().lower()), code="no_badge"
        )
    with translation.override(language):
        body = observer.body
        if body.kind == BodyKind.ASSOCIATION:
            role = _("Observer of a public association")
        else:
            role = _("International observer")
        url = verification_url(observer, language)
        return {
            "role": str(role),
            "name_latin": observer.full_name_latin,
            "name_cyrillic": observer.full_name_cyrillic,
            "body_label": str(_("Nominated by") if body.kind != BodyKind.STATE else _("State")),
            "body": body.display_name,
            "election": observer.election.name,
            "election_day": observer.election.election_day,
            "number": observer.number_display,
            "valid_from": observer.decision_date,
            "valid_until": observer.valid_until,
            "photo": photo_data_uri(observer),
            "qr": qr_data_uri(url),
        }


def badges_html(observers: Iterable[Observer], language: str) -> str:
    """The HTML of the cards of `observers`, one to a page, in `language`."""
    cards = [badge_card(observer, language) for observer in observers]
    return render_html(BADGE_TEMPLATE, {"cards": cards}, language=language)


def badge_pdf(observer: Observer, *, language: str | None = None) -> bytes:
    """One observer's badge as a PDF (in the active language unless `language` is given)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return html_to_pdf(badges_html([observer], language))


def write_badges_pdf(observers: Iterable[Observer], language: str, target: Path) -> None:
    """Render a batch of cards to the file `target`; weasyprint's own temporary files go to the
    same folder (a job's scratch folder)."""
    target.write_bytes(html_to_pdf(badges_html(observers, language), scratch=target.parent))
