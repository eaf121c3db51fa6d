"""Nominees' photos: checked, stripped of metadata and re-encoded before they are stored."""

from __future__ import annotations

import contextlib
import io
import threading

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.choices import Role
from core.constraints import save_checked
from core.scoping import CHANGE, require

from ..choices import ObserverStatus
from ..models import Observer
from .deadlines import BODY_NOT_YOURS

PHOTO_NOT_AN_IMAGE = gettext_lazy("The photo must be a JPEG, PNG or WebP image.")
PHOTO_TOO_LARGE = gettext_lazy("The photo is larger than {limit} MB.")
PHOTO_TOO_SMALL = gettext_lazy("The photo must be at least {width}×{height} pixels.")
PHOTO_TOO_BIG = gettext_lazy("The photo must be at most {width}×{height} pixels.")
PHOTO_TOO_MANY_PIXELS = gettext_lazy(
    "The photo has too many pixels: at most {limit} megapixels are accepted."
)
PHOTO_NOT_REPLACEABLE = gettext_lazy(
    "The photo of a nomination that is {status} can no longer be replaced by the nominating "
    "body; ask the Central Election Commission."
)

PHOTO_MIN = (240, 320)  # width, height: enough for a sharp print at 3×4 cm
PHOTO_MAX = (8000, 8000)
# Read from the file's header before anything is decoded: a small file can claim any size, and
# decoding 64 megapixels costs the server half a gigabyte. A 48-megapixel phone photo passes.
PHOTO_MAX_PIXELS = 50_000_000
PHOTO_STORED = (600, 800)
# MPO: a phone camera's JPEG carrying a second picture (depth, preview); its first is the photo.
PHOTO_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# EXIF orientations that swap width and height (rotated by 90° or 270°).
ROTATED = {5, 6, 7, 8}


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        {"photo": PHOTO_TOO_MANY_PIXELS.format(limit=PHOTO_MAX_PIXELS // 1_000_000)}
    )


def _flattened(image):
    """The picture as 8-bit RGB with the person as they look: a transparent background on
    white (not black), a 16-bit greyscale scan scaled to 8 bits (not clipped to white), CMYK
    and palettes converted."""
    from PIL import Image

    if image.mode.startswith("I"):  # 16- or 32-bit greyscale: 0–65535 → 0–255
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    if image.mode == "P" or "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image.convert("RGB")


def _check_dimensions(width: int, height: int) -> None:
    if width < PHOTO_MIN[0] or height < PHOTO_MIN[1]:
        raise ValidationError(
            {"photo": PHOTO_TOO_SMALL.format(width=PHOTO_MIN[0], height=PHOTO_MIN[1])}
        )
    if width > PHOTO_MAX[0] or height > PHOTO_MAX[1]:
        raise ValidationError(
            {"photo": PHOTO_TOO_BIG.format(width=PHOTO_MAX[0], height=PHOTO_MAX[1])}
        )


_STRICT = threading.Lock()


@contextlib.contextmanager
def _strict_decoding():
    """Pillow decodes with ImageFile.LOAD_TRUNCATED_IMAGES off while a photo is checked: image
    data that ends early is an error, not filled in (weasyprint turns the flag on for the whole
    process when imported). Photos are checked one at a time in a process; the flag is put back
    after."""
    from PIL import ImageFile

    with _STRICT:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _complete(data: bytes, image_format: str) -> bool:
    """Whether the file ends as its format ends: a photo cut short in transfer is refused.
    Pillow would otherwise decode it with its missing part filled in whenever another library
    in the process (weasyprint does, on import) has set ImageFile.LOAD_TRUNCATED_IMAGES."""
    if image_format == "PNG":
        return b"IEND" in data[-64:]
    if image_format in ("JPEG", "MPO"):
        return data.rfind(b"\xff\xd9") > 2
    if image_format == "WEBP":
        return len(data) >= 12 and int.from_bytes(data[4:8], "little") + 8 <= len(data)
    return True


def photo_clean(upload) -> ContentFile:
    """Check an uploaded photo (type, size, dimensions) and re-encode it as a plain JPEG: no
    metadata (location, camera) survives, and a file that is not a real image is refused.

    The dimensions come from the file's header, checked before a pixel is decoded."""
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
        with Image.open(upload) as probe:  # reads the header only
            image_format = probe.format
            if probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise _too_many_pixels()
            probe.verify()
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({"photo": PHOTO_NOT_AN_IMAGE}) from None
    if image_format not in PHOTO_FORMATS:
        raise ValidationError({"photo": PHOTO_NOT_AN_IMAGE})
    upload.seek(0)
    if not _complete(upload.read(), image_format):
        raise ValidationError({"photo": PHOTO_NOT_AN_IMAGE})
    upload.seek(0)
    try:
        with _strict_decoding(), Image.open(upload) as image:
            width, height = image.size
            if image.getexif().get(0x0112) in ROTATED:  # as it will stand, upright
                width, height = height, width
            _check_dimensions(width, height)
            # A JPEG is decoded at the smallest scale at least twice the stored size.
            image.draft("RGB", (PHOTO_STORED[1] * 2, PHOTO_STORED[1] * 2))
            image = _flattened(ImageOps.exif_transpose(image))
            image.thumbnail(PHOTO_STORED)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (OSError, ValueError, SyntaxError):
        raise ValidationError({"photo": PHOTO_NOT_AN_IMAGE}) from None
    return ContentFile(out.getvalue(), name="photo.jpg")


def _may_replace_decided(actor) -> bool:
    """Who may replace the photo of a decided nomination: the desk (staff who decide) and the
    system, never the nominating body (its agency's API token or account)."""
    if actor is None:
        return True
    return getattr(actor, "role", "") != Role.AGENCY and actor.has_perm(
        "observers.accredit_observer"
    )


@transaction.atomic
def observer_photo_set(*, actor, observer: Observer, upload) -> Observer:
    """Attach (or replace) a nominee's photo: the nominating body's or the desk's work. Once the
    nomination is decided (accredited, refused, revoked) only the desk replaces it, like every
    other correction: a badge prints what was accredited."""
    require(actor, CHANGE, observer, BODY_NOT_YOURS)
    # The status as it stands, locked: a decision made meanwhile is seen.
    status = (
        Observer.objects.select_for_update().values_list("status", flat=True).get(pk=observer.pk)
    )
    if status != ObserverStatus.SUBMITTED and not _may_replace_decided(actor):
        message = PHOTO_NOT_REPLACEABLE.format(status=ObserverStatus(status).label.lower())
        raise ValidationError({"photo": ValidationError(message, code="not_correctable")})
    content = photo_clean(upload)
    old = observer.photo.name if observer.photo else ""
    observer.photo.save("photo.jpg", content, save=False)
    with acting_as(actor):
        save_checked(observer, update_fields=["photo"])
    if old:
        storage = observer.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return observer
