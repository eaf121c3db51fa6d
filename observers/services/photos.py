"""Nominees' photos: checked, stripped of metadata and re-encoded before they are stored."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.constraints import save_checked
from core.scoping import CHANGE, require

from ..models import Observer
from .deadlines import BODY_NOT_YOURS

PHOTO_NOT_AN_IMAGE = gettext_lazy("The photo must be a JPEG, PNG or WebP image.")
PHOTO_TOO_LARGE = gettext_lazy("The photo is larger than {limit} MB.")
PHOTO_TOO_SMALL = gettext_lazy("The photo must be at least {width}×{height} pixels.")
PHOTO_TOO_BIG = gettext_lazy("The photo must be at most {width}×{height} pixels.")

PHOTO_MIN = (240, 320)  # width, height: enough for a sharp print at 3×4 cm
PHOTO_MAX = (8000, 8000)
PHOTO_STORED = (600, 800)
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def photo_clean(upload) -> ContentFile:
    """Check an uploaded photo (type, size, dimensions) and re-encode it as a plain JPEG: no
    metadata (location, camera) survives, and a file that is not a real image is refused."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = settings.OBSERVER_PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > limit:
        raise ValidationError(
            {"photo": PHOTO_TOO_LARGE.format(limit=round(limit / 1024 / 1024, 1))}
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photo": PHOTO_NOT_AN_IMAGE}) from None
    if image_format not in PHOTO_FORMATS:
        raise ValidationError({"photo": PHOTO_NOT_AN_IMAGE})
    if width < PHOTO_MIN[0] or height < PHOTO_MIN[1]:
        raise ValidationError(
            {"photo": PHOTO_TOO_SMALL.format(width=PHOTO_MIN[0], height=PHOTO_MIN[1])}
        )
    if width > PHOTO_MAX[0] or height > PHOTO_MAX[1]:
        raise ValidationError(
            {"photo": PHOTO_TOO_BIG.format(width=PHOTO_MAX[0], height=PHOTO_MAX[1])}
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail(PHOTO_STORED)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photo": PHOTO_NOT_AN_IMAGE}) from None
    return ContentFile(out.getvalue(), name="photo.jpg")


@transaction.atomic
def observer_photo_set(*, actor, observer: Observer, upload) -> Observer:
    """Attach (or replace) a nominee's photo: the nominating body's or the desk's work."""
    require(actor, CHANGE, observer, BODY_NOT_YOURS)
    content = photo_clean(upload)
    old = observer.photo.name if observer.photo else ""
    observer.photo.save("photo.jpg", content, save=False)
    with acting_as(actor):
        save_checked(observer, update_fields=["photo"])
    if old:
        storage = observer.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return observer
