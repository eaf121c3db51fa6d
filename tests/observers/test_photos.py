"""Photos: every kind people send keeps the person; a size is refused before it is decoded; a
decided nomination's photo is the desk's alone to replace."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageStat

from core.choices import TokenScope
from observers import services
from observers.services.photos import (
    PHOTO_MAX_PIXELS,
    PHOTO_NOT_REPLACEABLE,
    PHOTO_TOO_MANY_PIXELS,
)
from tests.core.factories import AgencyFactory, StaffUserFactory, make_token
from tests.observers.factories import ObserverFactory, OrganizationBodyFactory

pytestmark = pytest.mark.django_db

PHOTOS = Path(__file__).resolve().parents[1] / "data" / "photos"
SKIN = (200, 160, 130)  # the face in the sample photos


def too_many_pixels() -> str:
    """The refusal in the test's language (read when asserted, not when the module loads)."""
    return str(PHOTO_TOO_MANY_PIXELS).format(limit=PHOTO_MAX_PIXELS // 1_000_000)


def sample(name: str) -> ContentFile:
    return ContentFile((PHOTOS / name).read_bytes(), name=name)


def stored(content: ContentFile) -> Image.Image:
    image = Image.open(io.BytesIO(content.read()))
    image.load()
    return image


def close(colour, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def encoded(image: Image.Image, fmt: str, **options) -> ContentFile:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return ContentFile(out.getvalue(), name=f"photo.{fmt.lower()}")


def png_header_only(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A greyscale PNG of `width`×`height` black pixels, compressed row by row (never held
    whole in memory); with `rows`, only that many rows of pixel data: a truncated file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\0" * (width + 1)  # filter byte 0, then the row's pixels
    data = b"".join(compressor.compress(row) for _ in range(height if rows is None else rows))
    data += compressor.flush(zlib.Z_FINISH if rows is None else zlib.Z_SYNC_FLUSH)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


# KINDS OF PHOTO


def test_a_transparent_png_is_flattened_on_white_not_black():
    image = stored(services.photo_clean(sample("p1_png_transparent_background.png")))
    assert image.format == "JPEG"
    assert close(image.getpixel((5, 5)), (255, 255, 255), tolerance=3)
    assert close(image.getpixel((300, 400)), SKIN)


def test_a_16_bit_greyscale_scan_keeps_the_person():
    image = stored(services.photo_clean(sample("p5_png_16bit_grey.png")))
    grey = image.convert("L")
    assert ImageStat.Stat(grey).stddev[0] > 40  # not a white square
    assert abs(grey.getpixel((300, 400)) - 43433 // 257) <= 3  # the face's grey, scaled to 8 bits
    assert abs(grey.getpixel((5, 5)) - 60395 // 257) <= 3  # the background's


def test_a_phone_jpeg_carrying_mpo_data_is_accepted_as_its_first_picture():
    image = stored(services.photo_clean(sample("p2_mpo_multi_picture.jpg")))
    assert image.format == "JPEG"
    assert image.size == (600, 800)  # the first picture (the second is 300×400)
    assert close(image.getpixel((300, 400)), SKIN)


def test_an_exif_rotated_photo_is_stored_upright():
    sideways = Image.new("RGB", (640, 480), (255, 255, 255))
    sideways.paste((200, 0, 0), (0, 0, 320, 480))  # the left half red: the top once upright
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    image = stored(services.photo_clean(encoded(sideways, "JPEG", exif=exif)))
    assert image.size == (480, 640)
    assert close(image.getpixel((240, 100)), (200, 0, 0), tolerance=30)
    assert close(image.getpixel((240, 540)), (255, 255, 255), tolerance=30)


def test_an_exif_rotated_photo_is_measured_upright():
    """640×240 on the sensor, 240×640 upright: tall enough."""
    exif = Image.Exif()
    exif[0x0112] = 8
    upload = encoded(Image.new("RGB", (640, 240), (90, 90, 90)), "JPEG", exif=exif)
    assert stored(services.photo_clean(upload)).size == (240, 640)


def test_a_cmyk_jpeg_keeps_its_colours():
    cmyk = Image.new("CMYK", (480, 640), (0, 50, 80, 55))
    expected = cmyk.convert("RGB").getpixel((0, 0))
    image = stored(services.photo_clean(encoded(cmyk, "JPEG")))
    assert image.mode == "RGB"
    assert close(image.getpixel((240, 320)), expected, tolerance=15)


# SIZE BEFORE DECODING


def test_a_small_file_that_decodes_to_64_megapixels_is_refused():
    data = png_header_only(8000, 8000)
    assert len(data) < 200_000
    with pytest.raises(ValidationError) as raised:
        services.photo_clean(ContentFile(data, name="photo.png"))
    assert raised.value.message_dict == {"photo": [too_many_pixels()]}


def test_the_size_is_read_from_the_header_before_any_pixel_is_decoded():
    """A file cut after its first rows would fail to decode: refused for its size instead."""
    data = png_header_only(8000, 8000, rows=10)
    with pytest.raises(ValidationError) as raised:
        services.photo_clean(ContentFile(data, name="photo.png"))
    assert raised.value.message_dict == {"photo": [too_many_pixels()]}


def test_a_file_beyond_pillows_own_bomb_limit_is_refused_for_its_size():
    data = png_header_only(20000, 20000, rows=1)
    with pytest.raises(ValidationError) as raised:
        services.photo_clean(ContentFile(data, name="photo.png"))
    assert raised.value.message_dict == {"photo": [too_many_pixels()]}


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_photo_cut_short_is_refused_even_when_pillow_would_fill_it_in(monkeypatch, fmt):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as weasyprint sets it
    whole = encoded(Image.new("RGB", (480, 640), "white"), fmt).read()
    with pytest.raises(ValidationError) as raised:
        services.photo_clean(ContentFile(whole[: len(whole) * 2 // 3], name="photo"))
    assert "must be a JPEG, PNG or WebP" in raised.value.message_dict["photo"][0]
    services.photo_clean(ContentFile(whole, name="photo"))  # the whole file is accepted


@pytest.mark.parametrize("filled_in", [False, True], ids=["strict", "weasyprint's flag on"])
def test_a_truncated_photo_within_the_limits_is_not_an_image(monkeypatch, filled_in):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", filled_in)
    data = png_header_only(480, 640, rows=10)
    with pytest.raises(ValidationError) as raised:
        services.photo_clean(ContentFile(data, name="photo.png"))
    assert "must be a JPEG, PNG or WebP" in raised.value.message_dict["photo"][0]


# WHO REPLACES A DECIDED NOMINATION'S PHOTO


def decided(observer, decision):
    if decision == "accredited":
        return services.observer_accredit(actor=None, observer=observer)
    if decision == "refused":
        return services.observer_refuse(actor=None, observer=observer, reason="Late")
    observer = services.observer_accredit(actor=None, observer=observer)
    return services.observer_revoke(actor=None, observer=observer, reason="Misconduct")


def jpeg(colour) -> ContentFile:
    return encoded(Image.new("RGB", (480, 640), colour), "JPEG")


@pytest.fixture
def mission():
    """A mission's agency and the nominating body it submits for."""
    agency = AgencyFactory()
    return agency, OrganizationBodyFactory(agency=agency)


@pytest.mark.parametrize("decision", ["accredited", "refused", "revoked"])
def test_a_mission_cannot_replace_a_decided_nominations_photo(mission, decision):
    agency, body = mission
    observer = ObserverFactory(body=body)
    services.observer_photo_set(actor=agency.user, observer=observer, upload=jpeg((0, 0, 200)))
    first = observer.photo.name
    observer = decided(observer, decision)
    with pytest.raises(ValidationError) as raised:
        services.observer_photo_set(actor=agency.user, observer=observer, upload=jpeg((200, 0, 0)))
    message = str(PHOTO_NOT_REPLACEABLE).format(status=decision)
    assert raised.value.message_dict == {"photo": [message]}
    assert raised.value.error_dict["photo"][0].code == "not_correctable"
    observer.refresh_from_db()
    assert observer.photo.name == first


@pytest.mark.parametrize("decision", ["accredited", "refused", "revoked"])
def test_a_mission_cannot_replace_a_decided_nominations_photo_through_the_api(
    api_client, mission, decision
):
    agency, body = mission
    _token, key = make_token(agency, [TokenScope.OBSERVERS_SUBMIT])
    observer = decided(ObserverFactory(body=body), decision)
    response = api_client.put(
        f"/api/v1/observers/{observer.pk}/photo/",
        {"photo": jpeg((200, 0, 0))},
        HTTP_AUTHORIZATION=f"Token {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"photo": [str(PHOTO_NOT_REPLACEABLE).format(status=decision)]}
    observer.refresh_from_db()
    assert not observer.photo


def test_a_mission_sets_the_photo_of_a_nomination_awaiting_its_decision(api_client, mission):
    agency, body = mission
    _token, key = make_token(agency, [TokenScope.OBSERVERS_SUBMIT])
    observer = ObserverFactory(body=body)
    response = api_client.put(
        f"/api/v1/observers/{observer.pk}/photo/",
        {"photo": jpeg((200, 0, 0))},
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200
    observer.refresh_from_db()
    assert observer.photo


def test_the_desk_replaces_an_accredited_observers_photo():
    desk = StaffUserFactory(is_superuser=True)
    observer = decided(ObserverFactory(), "accredited")
    services.observer_photo_set(actor=desk, observer=observer, upload=jpeg((200, 0, 0)))
    observer.refresh_from_db()
    with observer.photo.open("rb") as handle:
        assert close(Image.open(handle).getpixel((10, 10)), (200, 0, 0), tolerance=20)
