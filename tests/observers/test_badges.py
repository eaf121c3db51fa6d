"""Badges: the PDF card, the job that makes a mission's badges, and the badge API."""

import datetime
import io
import json
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from auditlog.models import LogEntry
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import translation
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from commissions.choices import MemberRole
from core import jobs as core_jobs
from core.choices import JobStatus, Role, TokenScope
from core.models import Job
from core.pdf import merge_pdfs
from observers import services
from observers.badges import BADGE_LAYOUT, badge_pdf, badges_html
from observers.jobs import badges_job
from observers.models import Observer
from tests.celery import real_worker, wait_until
from tests.commissions.factories import CecFactory, CommissionMemberFactory
from tests.core.factories import AgencyFactory, StaffUserFactory, make_token
from tests.observers.factories import (
    AssociationBodyFactory,
    ObserverFactory,
    OpenElectionFactory,
    OrganizationBodyFactory,
    StateBodyFactory,
    person,
)
from tests.openapi import api_schema, assert_matches_schema

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


def accredited(**kwargs):
    observer = ObserverFactory(**kwargs)
    return services.observer_accredit(actor=None, observer=observer)


def jpeg(size=(300, 400), colour=(90, 120, 200)) -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return ContentFile(out.getvalue(), name="photo.jpg")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def drawn_images(page) -> list:
    """The images a page draws (weasyprint gives the pages of a document shared resources, so
    `page.images` would list every page's)."""
    operations = ContentStream(page.get_contents(), page.pdf).operations
    names = [operands[0] for operands, operator in operations if operator == b"Do"]
    return [page.images[name].image for name in names]


def page_qr_codes(page) -> list[str]:
    codes = []
    for image in drawn_images(page):
        codes += [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]
    return codes


def qr_codes(pdf: bytes) -> list[str]:
    return [code for page in PdfReader(io.BytesIO(pdf)).pages for code in page_qr_codes(page)]


def cec_staff():
    user = StaffUserFactory(role=Role.CEC_STAFF)
    CommissionMemberFactory(commission=CecFactory(), user=user, role=MemberRole.STAFF)
    return user


@pytest.fixture
def mission():
    """An observer mission's agency, its nominating body and a token reading its nominations."""
    agency = AgencyFactory()
    body = OrganizationBodyFactory(name="CIS Observer Mission", agency=agency)
    _token, key = make_token(agency, [TokenScope.OBSERVERS_READ])
    return agency, body, key


# THE CARD


def test_badge_shows_names_body_election_number_and_validity():
    election = OpenElectionFactory(name="Early Mazhilis election")
    observer = accredited(
        election=election,
        body=OrganizationBodyFactory(name="CIS Observer Mission"),
        last_name_latin="Ivanova",
        first_name_latin="Maria",
        last_name_cyrillic="Иванова",
        first_name_cyrillic="Мария",
    )
    text = pdf_text(badge_pdf(observer, language="en"))
    assert "Ivanova Maria" in text
    assert "Иванова Мария" in text
    assert "CIS Observer Mission" in text
    assert "Early Mazhilis election" in text
    assert observer.number_display in text
    assert f"{observer.valid_until:%d.%m.%Y}" in text


def test_badge_rendered_in_kazakh_keeps_every_kazakh_letter():
    election = OpenElectionFactory(name_en="Mazhilis election", name_kk="Мәжіліс сайлауы")
    observer = accredited(
        election=election, last_name_cyrillic="Қасымова", first_name_cyrillic=KAZAKH_LETTERS
    )
    text = pdf_text(badge_pdf(observer, language="kk"))
    assert "Мәжіліс сайлауы" in text
    assert "Mazhilis election" not in text
    assert f"Қасымова {KAZAKH_LETTERS}" in text


def test_badge_names_a_state_in_the_language_of_the_card():
    observer = accredited(body=StateBodyFactory(country="DE"))
    assert "Германия" in pdf_text(badge_pdf(observer, language="ru"))
    assert "Germany" in pdf_text(badge_pdf(observer, language="en"))


def test_badge_qr_code_opens_the_public_verification_page(client, settings):
    settings.PUBLIC_BASE_URL = "https://saylau.example.kz"
    observer = accredited()
    pdf = badge_pdf(observer, language="ru")
    url = f"https://saylau.example.kz/observers/verify/{observer.verification_code}/"
    assert qr_codes(pdf) == [url]
    # No language in the printed address: the reader's phone chooses it.
    path = url.removeprefix(settings.PUBLIC_BASE_URL)
    for language in ("kk", "ru", "en"):
        response = client.get(path, headers={"accept-language": language})
        assert response.status_code == 302
        assert response["Location"] == f"/{language}{path}"
        assert client.get(response["Location"]).status_code == 200


def test_badge_never_shows_the_passport_number_or_the_date_of_birth():
    observer = accredited(document_number="N12345678", date_of_birth=datetime.date(1975, 4, 23))
    text = pdf_text(badge_pdf(observer, language="en"))
    assert "N12345678" not in text
    for form in ("23.04.1975", "1975-04-23", "23/04/1975", "04/23/1975"):
        assert form not in text


def test_badge_prints_the_observers_photo():
    observer = ObserverFactory()
    services.observer_photo_set(actor=None, observer=observer, upload=jpeg())
    observer = services.observer_accredit(actor=None, observer=observer)
    page = PdfReader(io.BytesIO(badge_pdf(observer, language="en"))).pages[0]
    photos = [image for image in drawn_images(page) if image.size == (300, 400)]
    assert len(photos) == 1
    assert "Photo" not in page.extract_text()


def test_badge_without_a_photo_has_no_empty_photo_box():
    observer = accredited()
    page = PdfReader(io.BytesIO(badge_pdf(observer, language="en"))).pages[0]
    assert len(drawn_images(page)) == 1  # the QR code alone
    assert "Photo" not in page.extract_text()
    texts = element(badge_layout(observer), "texts")
    assert texts[0] == pytest.approx(MARGIN, abs=0.01)  # the texts take the photo's place


def test_badge_with_a_photo_puts_the_texts_beside_it():
    observer = ObserverFactory()
    services.observer_photo_set(actor=None, observer=observer, upload=jpeg())
    layout = badge_layout(services.observer_accredit(actor=None, observer=observer))
    photo, texts = element(layout, "photo"), element(layout, "texts")
    assert photo[0] == pytest.approx(MARGIN, abs=0.01)
    assert texts[0] > photo[2]


# A CARD FOR EVERY NAME: THE WHOLE NAME, INSIDE ITS BOX, THE QR CODE ON THE PAGE AND READABLE

LONG_NAMES = {
    "35-letter surname": (
        "Wolfeschlegelsteinhausenbergerdorff",
        "Hubertus",
        "Вольфешлегельштайнхаузенбергердорф",
        "Хубертус",
    ),
    "54-letter surname": (
        "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewis",
        "Hubertus Blaine",
        "Вольфешлегельштайнхаузенбергердорффоральтернваренгевис",
        "Хубертус Блейн",
    ),
    "five-part Spanish name": (
        "Hernández de la Santísima Trinidad y Pérez-García de los Ríos",
        "María Guadalupe Concepción Fernanda",
        "Эрнандес де ла Сантисима Тринидад-и-Перес-Гарсия де лос Риос",
        "Мария Гуадалупе Консепсьон Фернанда",
    ),
    "Kazakh name with patronymic": (
        "Zhumabekova-Seiitkassymova",
        "Akmaral-Gulnaz Nursultankyzy",
        "Жұмабекова-Сейітқасымова",
        "Ақмарал-Гүлназ Нұрсұлтанқызы",
    ),
    "short name": ("Li", "Na", "Ли", "На"),
}
LONG_BODY = (
    "Office for Democratic Institutions and Human Rights of the Organization for Security and "
    "Co-operation in Europe"
)
MM_PER_PX = 25.4 / 96
MARGIN = BADGE_LAYOUT["margin"]
SAFE_AREA = (
    MARGIN,
    MARGIN,
    BADGE_LAYOUT["page_width"] - MARGIN,
    BADGE_LAYOUT["page_height"] - MARGIN,
)


def badge_layout(observer, language="en"):
    """The laid-out page of the observer's card (weasyprint's boxes, as the PDF draws them)."""
    from weasyprint import HTML

    html = badges_html([observer], language)
    return HTML(string=html, base_url=str(django_settings.BASE_DIR)).render().pages[0]


def mm(x0, y0, width, height):
    return tuple(round(v * MM_PER_PX, 3) for v in (x0, y0, x0 + width, y0 + height))


def rect(box):
    return mm(box.border_box_x(), box.border_box_y(), box.border_width(), box.border_height())


def classes(box) -> set[str]:
    return set((box.element.get("class") or "").split()) if box.element is not None else set()


def boxes_of(page):
    """(box, the rectangles of the boxes that clip it) for every box of the page, in order."""
    found = []

    def walk(box, clips):
        found.append((box, clips))
        if box.style["overflow"] != "visible":
            clips = [*clips, rect(box)]
        for child in getattr(box, "children", ()):
            walk(child, clips)

    walk(page._page_box, [])
    return found


def element(page, name):
    """The rectangle (mm) of the page's first box of the class `name`."""
    return next(rect(box) for box, _clips in boxes_of(page) if name in classes(box))


def drawn(page):
    """What the page draws, each with its rectangle (mm) and its clips: every line of text (its
    height, and the width its words take) and every image."""
    from weasyprint.formatting_structure import boxes

    def texts(box):
        if isinstance(box, boxes.TextBox):
            return [box]
        return [t for child in getattr(box, "children", ()) for t in texts(child)]

    found = []
    for box, clips in boxes_of(page):
        if isinstance(box, boxes.LineBox):
            words = [t for t in texts(box) if t.text.strip()]
            if words:
                x0 = min(t.position_x for t in words)
                x1 = max(t.position_x + t.width for t in words)
                line = mm(x0, box.position_y, x1 - x0, box.height)
                found.append(("".join(t.text for t in words), line, clips))
        elif isinstance(box, boxes.ReplacedBox):
            found.append((f"image {' '.join(sorted(classes(box)))}", rect(box), clips))
    return found


def inside(inner, outer, tolerance=0.05) -> bool:
    return (
        inner[0] >= outer[0] - tolerance
        and inner[1] >= outer[1] - tolerance
        and inner[2] <= outer[2] + tolerance
        and inner[3] <= outer[3] + tolerance
    )


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def squashed(text: str) -> str:
    return "".join(text.split())


def assert_prints_right(observer, language="en"):
    """The card shows the whole names, every line and image lies inside the page's safe area
    and is clipped by nothing, the names stay clear of the photo, the QR code and the footer,
    and the QR code decodes to the verification page."""
    layout = badge_layout(observer, language)
    assert element(layout, "badge") == pytest.approx(SAFE_AREA, abs=0.01)  # equal margins
    qr, foot = element(layout, "qr"), element(layout, "foot")
    assert inside(qr, SAFE_AREA) and not overlap(qr, foot)
    photo = [rect for name, rect, _clips in drawn(layout) if name == "image photo"]
    for name, line, clips in drawn(layout):
        assert inside(line, SAFE_AREA), f"{name!r} at {line} runs off the card"
        for clip in clips:
            assert inside(line, clip), f"{name!r} at {line} is cut by its box {clip}"
    texts = element(layout, "texts")
    for obstacle in [qr, foot, *photo]:
        assert not overlap(texts, obstacle)
    pdf = badge_pdf(observer, language=language)
    text = squashed(pdf_text(pdf))
    assert squashed(observer.full_name_latin) in text
    assert squashed(observer.full_name_cyrillic) in text
    code = observer.verification_code
    url = f"{django_settings.PUBLIC_BASE_URL}/observers/verify/{code}/"
    assert qr_codes(pdf) == [url]


@pytest.mark.parametrize("photo", [True, False], ids=["photo", "no photo"])
@pytest.mark.parametrize("names", list(LONG_NAMES.values()), ids=list(LONG_NAMES))
def test_a_name_of_any_length_fits_the_card(names, photo):
    last_latin, first_latin, last_cyrillic, first_cyrillic = names
    observer = ObserverFactory(
        body=OrganizationBodyFactory(name=LONG_BODY),
        last_name_latin=last_latin,
        first_name_latin=first_latin,
        last_name_cyrillic=last_cyrillic,
        first_name_cyrillic=first_cyrillic,
    )
    if photo:
        services.observer_photo_set(actor=None, observer=observer, upload=jpeg())
    assert_prints_right(services.observer_accredit(actor=None, observer=observer))


@pytest.mark.parametrize(
    "sample",
    ["p1_png_transparent_background.png", "p2_mpo_multi_picture.jpg", "p5_png_16bit_grey.png"],
)
def test_every_kind_of_photo_prints_with_the_person_on_a_light_background(sample):
    observer = ObserverFactory()
    upload = ContentFile((DATA / "photos" / sample).read_bytes(), name=sample)
    services.observer_photo_set(actor=None, observer=observer, upload=upload)
    observer = services.observer_accredit(actor=None, observer=observer)
    assert_prints_right(observer)
    page = PdfReader(io.BytesIO(badge_pdf(observer, language="en"))).pages[0]
    (photo,) = [image for image in drawn_images(page) if image.size == (600, 800)]
    background, face = photo.convert("L").getpixel((5, 5)), photo.convert("L").getpixel((300, 400))
    assert background > 200  # white or light grey, not black
    assert 100 < face < 200  # the person, not a white square


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_long_name_fits_the_card_in_kazakh_and_russian(language):
    last, first, last_cyrillic, first_cyrillic = LONG_NAMES["54-letter surname"]
    observer = accredited(
        body=StateBodyFactory(country="DE"),
        last_name_latin=last,
        first_name_latin=first,
        last_name_cyrillic=last_cyrillic,
        first_name_cyrillic=first_cyrillic,
    )
    assert_prints_right(observer, language)


def test_the_long_names_a_mission_sends_are_accepted_and_print_right(api_client, mission):
    """tests/data/api/a4_long_names_for_badge.json, sent as a batch through the API."""
    agency, body, _key = mission
    _token, key = make_token(agency, [TokenScope.OBSERVERS_SUBMIT])
    election = OpenElectionFactory()
    payload = json.loads((DATA / "api" / "a4_long_names_for_badge.json").read_text())
    payload.update(election=election.pk, body=body.pk)
    response = api_client.post(
        "/api/v1/observers/batches/", payload, format="json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 201, response.content
    observers = services.observers_accredit(
        actor=None, observers=list(Observer.objects.filter(election=election).order_by("pk"))
    )
    assert len(observers) == 2
    for observer in observers:
        assert_prints_right(observer)


def test_number_and_validity_stand_on_one_baseline():
    observer = accredited()
    page = PdfReader(io.BytesIO(badge_pdf(observer, language="en"))).pages[0]
    baselines = {}

    def visit(text, cm, tm, font, size):
        for key in (observer.number_display, f"{observer.valid_until:%d.%m.%Y}"):
            if key in text:
                baselines[key] = tm[5] * cm[3] + cm[5]

    page.extract_text(visitor_text=visit)
    assert len(baselines) == 2
    number, validity = baselines.values()
    assert number == pytest.approx(validity, abs=0.1)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_badge_labels_are_in_kazakh_russian_and_english_whatever_its_language(language):
    text = pdf_text(badge_pdf(accredited(), language=language))
    for label in (
        "Қазақстан Республикасының Орталық сайлау комиссиясы",
        "Центральная избирательная комиссия Республики Казахстан",
        "Central Election Commission of the Republic of Kazakhstan",
        "Халықаралық байқаушы",
        "Международный наблюдатель",
        "International observer",
        "САЙЛАУ · ВЫБОРЫ · ELECTION",
        "АККРЕДИТТЕУ № · № АККРЕДИТАЦИИ · ACCREDITATION NO.",
        "ЖАРАМДЫ · ДЕЙСТВИТЕЛЕН · VALID",
        "Scan to check this badge",
        "Отсканируйте для проверки",
    ):
        assert label in text


@pytest.mark.parametrize("decision", ["submitted", "refused", "revoked"])
def test_only_an_accredited_observer_has_a_badge(decision):
    observer = ObserverFactory()
    if decision == "refused":
        observer = services.observer_refuse(actor=None, observer=observer, reason="Late")
    elif decision == "revoked":
        observer = services.observer_accredit(actor=None, observer=observer)
        observer = services.observer_revoke(actor=None, observer=observer, reason="Misconduct")
    with pytest.raises(ValidationError, match="Only an accredited observer has a badge"):
        badge_pdf(observer, language="en")


def test_rendering_badges_logs_no_personal_data(caplog):
    observer = ObserverFactory(document_number="N99887766", date_of_birth=datetime.date(1966, 6, 6))
    observer.photo.name = "observers/photos/missing.jpg"  # a file that is gone: logged
    observer.save(update_fields=["photo"])
    observer = services.observer_accredit(actor=None, observer=observer)
    with caplog.at_level("DEBUG"):
        badge_pdf(observer, language="en")
    assert "missing" in caplog.text  # something was logged, and it names no personal data
    assert "N99887766" not in caplog.text
    assert "1966" not in caplog.text


# THE BADGE JOB


@pytest.fixture
def job_tmp(tmp_path, monkeypatch):
    """The folder the job's temporary files go to, so a test can count them."""
    folder = tmp_path / "job-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_badge_job_renders_batch_by_batch_reporting_progress(settings, job_tmp):
    settings.OBSERVER_BADGE_BATCH_SIZE = 2
    body = OrganizationBodyFactory()
    election = OpenElectionFactory()
    observers = [accredited(election=election, body=body) for _ in range(5)]
    job = services.badge_job_submit(actor=None, election=election, body=body, language="en")
    calls = []

    def progress(done):
        parts = list(job_tmp.glob("*/part-*.pdf"))
        pages = [len(PdfReader(part).pages) for part in sorted(parts)]
        calls.append((done, pages))

    result = badges_job(job, progress)
    # After each batch: the batch is a file of its own, of at most two badges.
    assert calls == [(2, [2]), (4, [2, 2]), (5, [2, 2, 1])]
    pdf = result.read()
    result.close()
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 5
    for page, observer in zip(pages, observers, strict=True):
        assert observer.number_display in page.extract_text()
    assert list(job_tmp.rglob("part-*.pdf")) == []  # the parts are cleaned up


def test_merged_badges_are_a_valid_pdf_with_each_observers_qr_code(settings, tmp_path):
    settings.OBSERVER_BADGE_BATCH_SIZE = 2
    election = OpenElectionFactory()
    observers = [accredited(election=election) for _ in range(3)]
    job = services.badge_job_submit(actor=None, election=election, language="kk")
    result = badges_job(job, lambda done: None)
    reader = PdfReader(io.BytesIO(result.read()), strict=True)
    result.close()
    codes = [page_qr_codes(page) for page in reader.pages]
    assert codes == [
        [f"{settings.PUBLIC_BASE_URL}/observers/verify/{o.verification_code}/"] for o in observers
    ]


def test_merging_keeps_pages_in_order(tmp_path):
    election = OpenElectionFactory()
    observers = [accredited(election=election) for _ in range(3)]
    paths = []
    for index, observer in enumerate(observers):
        path = tmp_path / f"{index}.pdf"
        path.write_bytes(badge_pdf(observer, language="en"))
        paths.append(path)
    out = io.BytesIO()
    assert merge_pdfs(paths, out) == 3
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages]
    assert [o.number_display in t for o, t in zip(observers, texts, strict=True)] == [True] * 3


def test_badge_job_leaves_out_an_observer_revoked_since_it_was_asked_for():
    election = OpenElectionFactory()
    kept, revoked = accredited(election=election), accredited(election=election)
    job = services.badge_job_submit(actor=None, election=election, language="en")
    services.observer_revoke(actor=None, observer=revoked, reason="Misconduct")
    result = badges_job(job, lambda done: None)
    text = pdf_text(result.read())
    result.close()
    assert kept.number_display in text
    assert revoked.number_display not in text


def test_asking_twice_for_the_same_badges_gives_one_job():
    observer = accredited()
    first = services.badge_job_submit(actor=None, election=observer.election, language="en")
    again = services.badge_job_submit(actor=None, election=observer.election, language="en")
    assert again.pk == first.pk
    assert Job.objects.count() == 1
    assert first.total == 1 and first.params["observers"] == [observer.pk]


def test_a_changed_selection_or_language_gives_a_new_job():
    observer = accredited()
    election = observer.election
    first = services.badge_job_submit(actor=None, election=election, language="en")
    in_russian = services.badge_job_submit(actor=None, election=election, language="ru")
    accredited(election=election)
    with_another = services.badge_job_submit(actor=None, election=election, language="en")
    assert len({first.pk, in_russian.pk, with_another.pk}) == 3
    assert with_another.total == 2


def test_a_new_badge_design_gives_a_new_job(monkeypatch):
    """PDFs made with the last design are not handed out once the card has changed."""
    from observers.services import badges as badge_services

    observer = accredited()
    first = services.badge_job_submit(actor=None, election=observer.election, language="en")
    monkeypatch.setattr(badge_services, "BADGE_DESIGN", badge_services.BADGE_DESIGN + 1)
    again = services.badge_job_submit(actor=None, election=observer.election, language="en")
    assert again.pk != first.pk


def test_a_new_photo_gives_a_new_job():
    observer = accredited()
    first = services.badge_job_submit(actor=None, election=observer.election, language="en")
    services.observer_photo_set(actor=None, observer=observer, upload=jpeg())
    again = services.badge_job_submit(actor=None, election=observer.election, language="en")
    assert again.pk != first.pk


def test_a_mission_cannot_make_another_bodys_badges(mission):
    agency, _own, _key = mission
    observer = accredited(body=OrganizationBodyFactory())
    with pytest.raises(PermissionDenied):
        services.badge_job_submit(actor=agency.user, election=observer.election, body=observer.body)


def test_a_mission_makes_its_own_bodys_badges(mission):
    agency, body, _key = mission
    observer = accredited(body=body)
    job = services.badge_job_submit(actor=agency.user, election=observer.election, body=body)
    assert job.created_by == agency.user
    assert job.params["observers"] == [observer.pk]


def test_only_the_cec_makes_a_whole_elections_badges(mission):
    agency, body, _key = mission
    observer = accredited(body=body)
    with pytest.raises(PermissionDenied):
        services.badge_job_submit(actor=agency.user, election=observer.election)
    job = services.badge_job_submit(actor=cec_staff(), election=observer.election)
    assert job.total == 1


def test_territorial_staff_make_their_regions_association_badges():
    member = CommissionMemberFactory(user=StaffUserFactory(role=Role.TERRITORIAL_STAFF))
    own = AssociationBodyFactory(region=member.commission.region)
    other = AssociationBodyFactory()
    election = OpenElectionFactory()
    accredited(election=election, body=own)
    accredited(election=election, body=other)
    assert services.badge_job_submit(actor=member.user, election=election, body=own).total == 1
    with pytest.raises(PermissionDenied):
        services.badge_job_submit(actor=member.user, election=election, body=other)


def test_a_selection_without_an_accredited_observer_makes_no_job():
    observer = ObserverFactory()  # submitted, not accredited
    with pytest.raises(ValidationError, match="no accredited observer"):
        services.badge_job_submit(actor=None, election=observer.election, body=observer.body)
    assert not Job.objects.exists()


def test_a_batch_of_another_election_is_refused():
    body = OrganizationBodyFactory()
    result = services.nomination_batch_submit(
        actor=cec_staff(), election=OpenElectionFactory(), body=body, rows=[person(1)]
    )
    with pytest.raises(ValidationError) as raised:
        services.badge_job_submit(
            actor=None, election=OpenElectionFactory(), batch=result.batch, language="en"
        )
    assert "batch" in raised.value.message_dict


def test_a_batchs_badges_are_only_that_batchs():
    body = OrganizationBodyFactory()
    election = OpenElectionFactory()
    batch = services.nomination_batch_submit(
        actor=cec_staff(), election=election, body=body, rows=[person(1), person(2)]
    ).batch
    services.observers_accredit(actor=None, observers=list(batch.observers.all()))
    accredited(election=election, body=body)  # nominated alone, not in the batch
    job = services.badge_job_submit(actor=None, election=election, batch=batch, language="en")
    assert sorted(job.params["observers"]) == sorted(batch.observers.values_list("pk", flat=True))


def test_a_badge_job_keeps_no_personal_data():
    observer = accredited(document_number="N55554444", date_of_birth=datetime.date(1971, 2, 3))
    job = services.badge_job_submit(actor=None, election=observer.election, language="en")
    stored = f"{job.key} {job.title} {job.params} {job.result_name}"
    assert "N55554444" not in stored
    assert "1971" not in stored


# THE BADGE API


def badge_url(observer, **query):
    suffix = "".join(f"?{k}={v}" for k, v in query.items())
    return f"/api/v1/observers/{observer.pk}/badge/{suffix}"


def test_a_mission_downloads_its_observers_badge(api_client, mission):
    _agency, body, key = mission
    observer = accredited(body=body, last_name_latin="Petrov")
    response = api_client.get(badge_url(observer, language="en"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Petrov" in pdf_text(response.content)


def test_downloading_a_badge_is_logged_as_a_read_of_personal_data(api_client, mission):
    agency, body, key = mission
    observer = accredited(body=body)
    api_client.get(badge_url(observer), HTTP_AUTHORIZATION=f"Token {key}")
    entry = LogEntry.objects.get_for_object(observer).filter(action=LogEntry.Action.ACCESS).get()
    assert entry.actor == agency.user


def test_a_badge_in_the_language_asked_for(api_client, mission):
    _agency, body, key = mission
    observer = accredited(
        body=body, election=OpenElectionFactory(name_en="Election", name_ru="Выборы")
    )
    response = api_client.get(badge_url(observer, language="ru"), HTTP_AUTHORIZATION=f"Token {key}")
    assert "Выборы" in pdf_text(response.content)


def test_a_mission_cannot_download_another_bodys_badge(api_client, mission):
    _agency, _body, key = mission
    observer = accredited()
    response = api_client.get(badge_url(observer), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 404
    assert_matches_schema(response)


def test_the_ministrys_read_all_token_downloads_any_badge(api_client):
    _token, key = make_token(scopes=[TokenScope.READ_ALL])
    response = api_client.get(badge_url(accredited()), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_cec_staff_download_a_badge(client):
    client.force_login(cec_staff())
    assert client.get(badge_url(accredited())).status_code == 200


def test_badge_without_credentials_is_refused(api_client):
    response = api_client.get(badge_url(accredited()))
    assert response.status_code == 401
    assert_matches_schema(response)


def test_badge_with_a_token_without_the_read_scope_is_refused(api_client, mission):
    agency, body, _key = mission
    _token, key = make_token(agency, [TokenScope.OBSERVERS_SUBMIT])
    response = api_client.get(badge_url(accredited(body=body)), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403


def test_badge_for_staff_without_the_view_permission_is_refused(client):
    client.force_login(StaffUserFactory(role=Role.PRECINCT_MEMBER))
    assert client.get(badge_url(accredited())).status_code == 403


def test_a_nomination_not_accredited_has_no_badge(api_client, mission):
    _agency, body, key = mission
    response = api_client.get(
        badge_url(ObserverFactory(body=body)), HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 404
    assert "only an accredited observer" in response.json()["detail"]


def test_a_badge_in_an_unknown_language_is_a_field_error(api_client, mission):
    _agency, body, key = mission
    response = api_client.get(
        badge_url(accredited(body=body), language="de"),
        HTTP_AUTHORIZATION=f"Token {key}",
        HTTP_ACCEPT="application/pdf",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "language" in response.json()


JOBS_URL = "/api/v1/observers/badge-jobs/"


def assert_documented(response, method):
    """The answer's status is one the schema lists for the badge-jobs endpoint (named exactly:
    tests.openapi matches it to the observers' /observers/{id}/ template first)."""
    operation = api_schema()["paths"][JOBS_URL][method.lower()]
    assert str(response.status_code) in operation["responses"]


def test_a_mission_starts_its_badge_job(api_client, mission):
    agency, body, key = mission
    observer = accredited(body=body)
    response = api_client.post(
        JOBS_URL,
        {"election": observer.election_id, "body": body.pk, "language": "en"},
        format="json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 202
    job = Job.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/jobs/{job.pk}/"
    assert response.json()["status"] == "queued" and response.json()["total"] == 1
    assert job.created_by == agency.user
    assert_documented(response, "POST")


def test_asking_twice_through_the_api_answers_the_same_job(api_client, mission):
    _agency, body, key = mission
    observer = accredited(body=body)
    data = {"election": observer.election_id, "body": body.pk}
    ids = {
        api_client.post(JOBS_URL, data, format="json", HTTP_AUTHORIZATION=f"Token {key}").json()[
            "id"
        ]
        for _ in range(2)
    }
    assert len(ids) == 1


def test_a_mission_cannot_start_another_bodys_badge_job(api_client, mission):
    _agency, _body, key = mission
    observer = accredited()
    response = api_client.post(
        JOBS_URL,
        {"election": observer.election_id, "body": observer.body_id},
        format="json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_a_mission_cannot_start_a_whole_elections_badge_job(api_client, mission):
    _agency, body, key = mission
    observer = accredited(body=body)
    response = api_client.post(
        JOBS_URL,
        {"election": observer.election_id},
        format="json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 403


def test_badge_job_without_credentials_is_refused(api_client):
    observer = accredited()
    response = api_client.post(JOBS_URL, {"election": observer.election_id}, format="json")
    assert response.status_code == 401


def test_badge_job_with_a_token_without_the_read_scope_is_refused(api_client, mission):
    agency, body, _key = mission
    _token, key = make_token(agency, [TokenScope.OBSERVERS_SUBMIT])
    observer = accredited(body=body)
    response = api_client.post(
        JOBS_URL,
        {"election": observer.election_id, "body": body.pk},
        format="json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 403


def test_badge_job_for_staff_without_the_view_permission_is_refused(client):
    observer = accredited()
    client.force_login(StaffUserFactory(role=Role.PRECINCT_MEMBER))
    response = client.post(
        JOBS_URL, {"election": observer.election_id}, content_type="application/json"
    )
    assert response.status_code == 403


def test_cec_staff_start_a_whole_elections_badge_job(client):
    observer = accredited()
    client.force_login(cec_staff())
    response = client.post(
        JOBS_URL, {"election": observer.election_id}, content_type="application/json"
    )
    assert response.status_code == 202


@pytest.mark.parametrize(
    ("field", "value"), [("election", 0), ("body", 0), ("language", "de"), ("batch", 0)]
)
def test_bad_badge_job_input_is_a_field_error(api_client, mission, field, value):
    _agency, body, key = mission
    observer = accredited(body=body)
    data = {"election": observer.election_id, "body": body.pk, field: value}
    response = api_client.post(JOBS_URL, data, format="json", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert_documented(response, "POST")


def test_another_bodys_batch_is_not_even_named(api_client, mission):
    _agency, body, key = mission
    election = OpenElectionFactory()
    other = services.nomination_batch_submit(
        actor=cec_staff(), election=election, body=OrganizationBodyFactory(), rows=[person(1)]
    ).batch
    response = api_client.post(
        JOBS_URL,
        {"election": election.pk, "body": body.pk, "batch": other.pk},
        format="json",
        HTTP_AUTHORIZATION=f"Token {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["batch"][0]


def test_a_badge_job_without_accredited_observers_is_a_400(api_client, mission):
    _agency, body, key = mission
    observer = ObserverFactory(body=body)
    response = api_client.post(
        JOBS_URL,
        {"election": observer.election_id, "body": body.pk},
        format="json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 400
    assert "no accredited observer" in response.json()["non_field_errors"][0]


# END TO END: THE API, A REAL CELERY WORKER ON THE REAL REDIS, THE DOWNLOAD


@pytest.mark.django_db(transaction=True)
def test_a_missions_badges_are_made_by_a_worker_and_downloaded(celery_app, api_client, settings):
    settings.OBSERVER_BADGE_BATCH_SIZE = 2
    agency = AgencyFactory()
    body = OrganizationBodyFactory(agency=agency)
    _token, key = make_token(agency, [TokenScope.OBSERVERS_READ])
    election = OpenElectionFactory()
    observers = [accredited(election=election, body=body) for _ in range(3)]
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    with real_worker():
        response = api_client.post(
            JOBS_URL, {"election": election.pk, "body": body.pk}, format="json", **auth
        )
        assert response.status_code == 202

        def finished():
            job = api_client.get(response["Location"], **auth).json()
            return job if job["status"] in ("done", "failed") else None

        job = wait_until(finished, timeout=60.0)
    assert job["status"] == "done", job["error"]
    assert (job["done"], job["total"], job["progress"]) == (3, 3, 100)
    download = api_client.get(job["download"], **auth)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 3
    assert all(o.number_display in pdf_text(pdf) for o in observers)
    stored = Job.objects.get(pk=job["id"])
    assert stored.status == JobStatus.DONE
    assert Path(stored.result.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)


@pytest.mark.django_db(transaction=True)
def test_the_runner_runs_a_badge_job_to_done_once(celery_app):
    observer = accredited()
    job = services.badge_job_submit(actor=None, election=observer.election, language="en")
    celery_app.control.purge()  # no worker here: the runner is called directly
    first = core_jobs.run(job.pk)
    result_name = first.result.name
    second = core_jobs.run(job.pk)
    assert first.status == second.status == JobStatus.DONE
    assert second.result.name == result_name
    assert len(PdfReader(first.result.path).pages) == 1


@pytest.mark.django_db(transaction=True)
def test_a_badge_job_that_fails_leaves_no_temporary_files(celery_app, settings, job_tmp):
    settings.OBSERVER_BADGE_BATCH_SIZE = 1
    observer = accredited()
    job = services.badge_job_submit(actor=None, election=observer.election, language="en")
    celery_app.control.purge()
    services.observer_revoke(actor=None, observer=observer, reason="Misconduct")
    failed = core_jobs.run(job.pk)
    assert failed.status == JobStatus.FAILED
    assert "NoBadgesLeft" in failed.error
    assert list(job_tmp.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_a_badge_job_run_again_after_its_worker_died_starts_clean(celery_app, job_tmp):
    observer = accredited()
    job = services.badge_job_submit(actor=None, election=observer.election, language="en")
    celery_app.control.purge()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    left = core_jobs.scratch_folder(job)  # the parts of the attempt the worker did not finish
    left.mkdir()
    (left / "part-00000.pdf").write_bytes(b"%PDF-1.7 cut sh")
    done = core_jobs.run(job.pk)
    assert (done.status, done.attempts) == (JobStatus.DONE, 2)
    assert len(PdfReader(done.result.path).pages) == 1
    assert list(job_tmp.iterdir()) == []


@pytest.mark.parametrize("reader", ["kk", "ru", "en"])
def test_a_badge_job_asked_for_in_kazakh_reads_in_each_readers_language(reader):
    body = OrganizationBodyFactory(
        name_en="CIS Observer Mission",
        name_ru="Миссия наблюдателей от СНГ",
        name_kk="ТМД байқаушылар миссиясы",
    )
    election = OpenElectionFactory(
        name_en="Early election", name_ru="Досрочные выборы", name_kk="Мерзімінен бұрын сайлау"
    )
    accredited(election=election, body=body)
    with translation.override("kk"):
        job = services.badge_job_submit(actor=None, election=election, body=body, language="kk")
    expected = {
        "kk": "ТМД байқаушылар миссиясы бейдждері (1): Мерзімінен бұрын сайлау",
        "ru": "Бейджи — Миссия наблюдателей от СНГ (1): Досрочные выборы",
        "en": "Badges of CIS Observer Mission (1): Early election",
    }
    with translation.override(reader):
        assert str(job) == expected[reader]
