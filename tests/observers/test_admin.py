"""The accreditation desk in the admin: pages, scope, decisions through the services, uploads,
photos and badges."""

import csv
import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from PIL import Image

from commissions.choices import MemberRole
from core.choices import Role
from core.models import Job, Notification
from observers import imports, services
from observers.choices import BatchSource, BodyKind, ObserverStatus
from observers.models import NominatingBody, NominationBatch, Observer
from tests.commissions.factories import (
    CecFactory,
    CommissionMemberFactory,
    PrecinctCommissionFactory,
    TerritorialCommissionFactory,
)
from tests.core.factories import StaffUserFactory, UserFactory
from tests.observers.factories import (
    AssociationBodyFactory,
    ObserverFactory,
    OpenElectionFactory,
    OrganizationBodyFactory,
    StateBodyFactory,
    person,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:observers_observer_changelist"
UPLOAD = "admin:observers_observer_upload"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def staff_of(commission, role):
    user = (StaffUserFactory if role == Role.CEC_STAFF else UserFactory)(role=role, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


@pytest.fixture
def cec_staff():
    return staff_of(CecFactory(), Role.CEC_STAFF)


@pytest.fixture
def desk(client, cec_staff):
    client.force_login(cec_staff)
    return client


@pytest.fixture
def election():
    return OpenElectionFactory()


@pytest.fixture
def mission():
    return OrganizationBodyFactory(name="CIS Observer Mission")


def photo_bytes(size=(300, 400), image_format="JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 180, 160)).save(out, format=image_format)
    return out.getvalue()


def photo_upload(**kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile("face.jpg", photo_bytes(**kwargs), content_type="image/jpeg")


def post_action(client, action, observers, **data):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [o.pk for o in observers], **data},
    )


def shown_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def accredited(observer, actor):
    return services.observer_accredit(actor=actor, observer=observer)


# PAGES AND QUERY COUNTS


@pytest.fixture
def desk_with_nominations(cec_staff, election):
    """Nominations of several bodies, some in a batch, some accredited: enough for an N+1."""
    bodies = [StateBodyFactory(country=c) for c in ("DE", "FR", "US")]
    bodies += OrganizationBodyFactory.create_batch(2)
    for n, body in enumerate(bodies[-2:]):
        services.nomination_batch_submit(
            actor=cec_staff,
            election=election,
            body=body,
            rows=[person(10 * n + k) for k in range(6)],
            reference=f"N-{n}",
        )
    observers = [ObserverFactory(election=election, body=body) for body in bodies for _ in range(3)]
    services.observers_accredit(actor=cec_staff, observers=observers[:6])
    return election


@pytest.mark.parametrize(
    ("url_name", "max_queries"),
    [
        ("admin:observers_observer_changelist", 12),
        ("admin:observers_nominationbatch_changelist", 13),
        ("admin:observers_nominatingbody_changelist", 10),
    ],
)
def test_changelist_takes_a_fixed_number_of_queries(
    desk, desk_with_nominations, url_name, max_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(max_queries):
        response = desk.get(reverse(url_name))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 2


def test_observer_changelist_shows_no_personal_data(desk, election):
    observer = ObserverFactory(election=election, document_number="X7777777")

    response = desk.get(reverse(CHANGELIST))

    page = response.content.decode()
    assert observer.last_name_latin in page
    assert "X7777777" not in page
    assert "17.05.1980" not in page and "1980-05-17" not in page


def test_observer_changelist_links_to_the_upload_page(desk):
    response = desk.get(reverse(CHANGELIST))

    assert reverse(UPLOAD) in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:observers_observer_add",
        UPLOAD,
        "admin:observers_nominatingbody_add",
    ],
)
def test_desk_pages_load_for_cec_staff(desk, url_name):
    assert desk.get(reverse(url_name)).status_code == 200


def test_observer_page_shows_personal_data_and_logs_the_read(desk, cec_staff, election):
    observer = ObserverFactory(election=election, document_number="X7777777")

    response = desk.get(reverse("admin:observers_observer_change", args=[observer.pk]))

    assert response.status_code == 200
    assert "X7777777" in response.content.decode()
    entry = LogEntry.objects.get_for_object(observer).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == cec_staff


def test_batch_page_lists_its_observers(desk, cec_staff, election, mission):
    result = services.nomination_batch_submit(
        actor=cec_staff, election=election, body=mission, rows=[person(n) for n in range(3)]
    )

    response = desk.get(reverse("admin:observers_nominationbatch_change", args=[result.batch.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert all(person(n)["last_name_latin"] in page for n in range(3))
    assert "P100000" not in page  # document numbers stay on each observer's own page


def test_search_finds_a_passport_and_an_accreditation_number(desk, cec_staff, election):
    first, second = ObserverFactory.create_batch(2, election=election)
    accredited(second, cec_staff)
    second.refresh_from_db()

    by_passport = desk.get(reverse(CHANGELIST), {"q": first.document_number.lower()})
    by_number = desk.get(reverse(CHANGELIST), {"q": second.number_display})
    by_name = desk.get(reverse(CHANGELIST), {"q": first.last_name_cyrillic})

    assert [o.pk for o in by_passport.context["cl"].result_list] == [first.pk]
    assert [o.pk for o in by_number.context["cl"].result_list] == [second.pk]
    assert [o.pk for o in by_name.context["cl"].result_list] == [first.pk]


# WHO MAY


def test_anonymous_visitors_are_sent_to_sign_in(client, election):
    observer = ObserverFactory(election=election)
    urls = [
        reverse(CHANGELIST),
        reverse(UPLOAD),
        reverse("admin:observers_observer_photo", args=[observer.pk]),
        reverse("admin:observers_observer_change", args=[observer.pk]),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_a_precinct_member_may_not_open_the_desk(client, election):
    user = staff_of(PrecinctCommissionFactory(), Role.PRECINCT_MEMBER)
    observer = ObserverFactory(election=election)
    client.force_login(user)

    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(reverse(UPLOAD)).status_code == 403
    photo = client.get(reverse("admin:observers_observer_photo", args=[observer.pk]))
    assert photo.status_code == 403


@pytest.fixture
def territorial(client):
    commission = TerritorialCommissionFactory()
    user = staff_of(commission, Role.TERRITORIAL_STAFF)
    client.force_login(user)
    client.region = commission.region
    return client


def test_territorial_staff_see_only_their_regions_associations_nominees(territorial, election):
    own = ObserverFactory(election=election, body=AssociationBodyFactory(region=territorial.region))
    ObserverFactory(election=election)  # a mission's nominee
    ObserverFactory(election=election, body=AssociationBodyFactory())  # another region's

    response = territorial.get(reverse(CHANGELIST))

    assert [o.pk for o in response.context["cl"].result_list] == [own.pk]


def test_territorial_staff_cannot_open_a_missions_nominee(territorial, election):
    other = ObserverFactory(election=election)

    page = territorial.get(reverse("admin:observers_observer_change", args=[other.pk]))
    photo = territorial.get(reverse("admin:observers_observer_photo", args=[other.pk]))

    assert page.status_code == 404
    assert photo.status_code == 404


def test_territorial_staff_may_not_upload_or_add_nominations(territorial):
    assert territorial.get(reverse(UPLOAD)).status_code == 403
    assert territorial.get(reverse("admin:observers_observer_upload_template")).status_code == 403
    assert territorial.get(reverse("admin:observers_observer_add")).status_code == 403


def test_territorial_staff_are_offered_no_decisions(territorial, election):
    observer = ObserverFactory(
        election=election, body=AssociationBodyFactory(region=territorial.region)
    )

    page = territorial.get(reverse(CHANGELIST))
    post_action(territorial, "accredit", [observer], apply="yes")

    assert page.context["action_form"] is None  # no action at all is offered
    observer.refresh_from_db()
    assert observer.status == ObserverStatus.SUBMITTED


# ADDING ONE OBSERVER


def add_form(election, body, **overrides):
    data = person(1, date_of_birth="1970-01-02")
    return {"election": election.pk, "body": body.pk, **data, **overrides}


def test_adding_an_observer_nominates_through_the_service(desk, cec_staff, election, mission):
    data = add_form(election, mission, document_number="ab-12 345", new_photo=photo_upload())

    response = desk.post(reverse("admin:observers_observer_add"), data)

    assert response.status_code == 302
    observer = Observer.objects.get()
    assert observer.status == ObserverStatus.SUBMITTED
    assert observer.document_number == "AB12345"
    assert observer.photo.name.endswith(".jpg")
    assert (observer.batch.source, observer.batch.submitted_by) == (BatchSource.DESK, cec_staff)
    entry = LogEntry.objects.get_for_object(observer).get(action=LogEntry.Action.CREATE)
    assert entry.actor == cec_staff


def test_adding_a_person_already_nominated_names_the_first_nomination(desk, election, mission):
    first = ObserverFactory(election=election, citizenship="US", document_number="P100001")

    response = desk.post(reverse("admin:observers_observer_add"), add_form(election, mission))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["document_number"]
    assert first.body.name in errors[0]
    assert Observer.objects.count() == 1


def test_adding_after_the_deadline_is_refused_on_the_form(desk, mission):
    election = OpenElectionFactory(election_day=datetime.date(2023, 3, 19))

    response = desk.post(reverse("admin:observers_observer_add"), add_form(election, mission))

    assert response.status_code == 200
    assert "closed on 13.03.2023 18:00" in str(response.context["adminform"].form.errors)
    assert not Observer.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused_on_the_add_form(desk, election, mission):
    fake = SimpleUploadedFile("face.jpg", b"not an image", content_type="image/jpeg")

    response = desk.post(
        reverse("admin:observers_observer_add"), add_form(election, mission, new_photo=fake)
    )

    assert response.status_code == 200
    assert "new_photo" in response.context["adminform"].form.errors
    assert not Observer.objects.exists()


# PHOTOS AND CORRECTIONS


def nominee_data(observer) -> dict:
    """The change form's person fields as they stand (a nomination awaiting its decision)."""
    return {
        **{name: getattr(observer, name) for name in services.PERSON_FIELDS},
        "citizenship": observer.citizenship.code,
        "date_of_birth": observer.date_of_birth.isoformat(),
    }


def test_the_desk_corrects_a_nominees_name_before_the_decision(desk, election):
    observer = ObserverFactory(election=election, last_name_latin="Smiht")
    url = reverse("admin:observers_observer_change", args=[observer.pk])

    response = desk.post(url, {**nominee_data(observer), "last_name_latin": "Smith"})

    assert response.status_code == 302
    observer.refresh_from_db()
    assert observer.last_name_latin == "Smith"
    entry = LogEntry.objects.get_for_object(observer).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["last_name_latin"] == ["Smiht", "Smith"]


def test_a_correction_to_someone_elses_passport_shows_the_first_nomination(desk, election):
    first = ObserverFactory(election=election)
    second = ObserverFactory(election=election, citizenship=first.citizenship)
    url = reverse("admin:observers_observer_change", args=[second.pk])

    response = desk.post(url, {**nominee_data(second), "document_number": first.document_number})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "already submitted" in str(errors["document_number"])


def test_an_accredited_nominees_details_are_read_only(desk, cec_staff, election):
    observer = ObserverFactory(election=election)
    services.observer_accredit(actor=cec_staff, observer=observer)
    url = reverse("admin:observers_observer_change", args=[observer.pk])

    desk.post(url, {**nominee_data(observer), "last_name_latin": "Changed"})

    observer.refresh_from_db()
    assert observer.last_name_latin != "Changed"


def test_a_photo_uploaded_on_the_change_page_is_re_encoded_and_served_to_staff(desk, election):
    observer = ObserverFactory(election=election)
    url = reverse("admin:observers_observer_change", args=[observer.pk])

    response = desk.post(
        url, {**nominee_data(observer), "new_photo": photo_upload(image_format="PNG")}
    )

    assert response.status_code == 302
    observer.refresh_from_db()
    photo = desk.get(reverse("admin:observers_observer_photo", args=[observer.pk]))
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert "no-store" in photo["Cache-Control"]
    assert Image.open(io.BytesIO(photo.content)).format == "JPEG"


def test_a_too_small_photo_is_refused_on_the_change_page(desk, election):
    observer = ObserverFactory(election=election)
    url = reverse("admin:observers_observer_change", args=[observer.pk])

    response = desk.post(url, {**nominee_data(observer), "new_photo": photo_upload(size=(60, 80))})

    assert response.status_code == 200
    assert "at least 240×320" in str(response.context["adminform"].form.errors)
    observer.refresh_from_db()
    assert not observer.photo


def test_the_observer_page_shows_the_photo_through_the_admin_view(desk, cec_staff, election):
    observer = ObserverFactory(election=election)
    services.observer_photo_set(actor=cec_staff, observer=observer, upload=photo_upload())

    page = desk.get(reverse("admin:observers_observer_change", args=[observer.pk]))

    photo_url = reverse("admin:observers_observer_photo", args=[observer.pk])
    assert f'src="{photo_url}"' in page.content.decode()
    assert "/media/" not in page.content.decode()


def test_a_missing_photo_is_not_found(desk, election):
    observer = ObserverFactory(election=election)

    response = desk.get(reverse("admin:observers_observer_photo", args=[observer.pk]))

    assert response.status_code == 404


# DECISIONS


def test_accrediting_the_selected_observers_numbers_them_and_notifies_the_body(
    desk, cec_staff, election, mission
):
    observers = ObserverFactory.create_batch(3, election=election, body=mission)

    response = post_action(desk, "accredit", observers, apply="yes")

    assert response.status_code == 302
    assert "3 observers accredited." in shown_messages(response)
    assert sorted(Observer.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert set(Observer.objects.values_list("status", flat=True)) == {ObserverStatus.ACCREDITED}
    notification = Notification.objects.get()
    assert notification.recipient == mission.contact_email
    entry = LogEntry.objects.get_for_object(observers[0]).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == cec_staff
    assert entry.changes_dict["status"] == [ObserverStatus.SUBMITTED, ObserverStatus.ACCREDITED]


def test_accrediting_after_the_deadline_shows_the_error_and_changes_nothing(desk, mission):
    election = OpenElectionFactory(election_day=datetime.date(2023, 3, 19))
    observers = ObserverFactory.create_batch(2, election=election, body=mission)

    response = post_action(desk, "accredit", observers, apply="yes")

    shown = shown_messages(response)
    assert any("closed on 13.03.2023 18:00" in m for m in shown)
    assert "No observer was accredited." in shown
    assert not Observer.objects.filter(status=ObserverStatus.ACCREDITED).exists()
    assert not Notification.objects.exists()


def test_accrediting_a_selection_with_an_accredited_observer_changes_nothing(
    desk, cec_staff, election, mission
):
    done, waiting = ObserverFactory.create_batch(2, election=election, body=mission)
    accredited(done, cec_staff)

    response = post_action(desk, "accredit", [done, waiting], apply="yes")

    assert any("this one is accredited" in m for m in shown_messages(response))
    waiting.refresh_from_db()
    assert waiting.status == ObserverStatus.SUBMITTED


def test_accrediting_first_asks_for_confirmation_saying_how_many(desk, election, mission):
    observers = ObserverFactory.create_batch(3, election=election, body=mission)

    response = post_action(desk, "accredit", observers)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This decision applies to 3 observers" in page
    assert all(o.last_name_latin in page for o in observers)
    assert not Observer.objects.filter(status=ObserverStatus.ACCREDITED).exists()


def test_the_observer_page_offers_the_decisions_its_status_allows(desk, cec_staff, election):
    waiting, done = ObserverFactory.create_batch(2, election=election)
    accredited(done, cec_staff)

    def buttons(observer):
        page = desk.get(reverse("admin:observers_observer_change", args=[observer.pk]))
        return {
            action
            for action in ("accredit", "refuse", "revoke")
            if reverse("admin:observers_observer_decide", args=[observer.pk, action])
            in page.content.decode()
        }

    assert buttons(waiting) == {"accredit", "refuse"}
    assert buttons(done) == {"revoke"}


def test_the_accredit_button_confirms_then_accredits_that_observer_only(desk, election, mission):
    observer, other = ObserverFactory.create_batch(2, election=election, body=mission)
    url = reverse("admin:observers_observer_decide", args=[observer.pk, "accredit"])

    assert "This decision applies to 1 observer" in desk.get(url).content.decode()
    response = desk.post(url, {"apply": "yes"})

    assert response["Location"] == reverse("admin:observers_observer_change", args=[observer.pk])
    observer.refresh_from_db(), other.refresh_from_db()
    assert (observer.status, other.status) == (ObserverStatus.ACCREDITED, ObserverStatus.SUBMITTED)


def test_the_revoke_button_asks_for_the_reason_then_revokes(desk, cec_staff, election):
    observer = ObserverFactory(election=election)
    accredited(observer, cec_staff)
    url = reverse("admin:observers_observer_decide", args=[observer.pk, "revoke"])

    assert "reason" in desk.get(url).context["form"].fields
    desk.post(url, {"apply": "yes", "reason": "Left the mission"})

    observer.refresh_from_db()
    assert observer.status == ObserverStatus.REVOKED
    assert observer.revocation_reason == "Left the mission"


def test_decision_buttons_change_nothing_for_territorial_staff(territorial, election):
    observer = ObserverFactory(election=election)  # a mission's nominee: the CEC's to decide
    url = reverse("admin:observers_observer_decide", args=[observer.pk, "accredit"])

    response = territorial.post(url, {"apply": "yes"})

    assert response.status_code in (403, 404)
    assert {"403.html", "404.html"} & {t.name for t in response.templates}  # the site's page
    observer.refresh_from_db()
    assert observer.status == ObserverStatus.SUBMITTED


def test_an_unknown_decision_is_refused(desk, election):
    observer = ObserverFactory(election=election)
    url = reverse("admin:observers_observer_decide", args=[observer.pk, "delete-all"])

    assert desk.post(url, {"apply": "yes"}).status_code == 403
    assert Observer.objects.filter(pk=observer.pk, status=ObserverStatus.SUBMITTED).exists()


def test_refusing_first_asks_for_the_reason(desk, election):
    observer = ObserverFactory(election=election)

    response = post_action(desk, "refuse", [observer])

    assert response.status_code == 200
    assert "reason" in response.context["form"].fields
    assert observer.last_name_latin in response.content.decode()
    observer.refresh_from_db()
    assert observer.status == ObserverStatus.SUBMITTED


def test_refusing_with_a_reason_refuses_and_notifies(desk, election, mission):
    observers = ObserverFactory.create_batch(2, election=election, body=mission)

    response = post_action(desk, "refuse", observers, apply="yes", reason="Not a member of staff")

    assert response.status_code == 302
    assert "2 nominations refused." in shown_messages(response)
    for observer in observers:
        observer.refresh_from_db()
        assert observer.status == ObserverStatus.REFUSED
        assert observer.refusal_reason == "Not a member of staff"
    assert Notification.objects.filter(recipient=mission.contact_email).count() == 2


def test_refusing_without_a_reason_asks_again_and_changes_nothing(desk, election):
    observer = ObserverFactory(election=election)

    response = post_action(desk, "refuse", [observer], apply="yes", reason="  ")

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    observer.refresh_from_db()
    assert observer.status == ObserverStatus.SUBMITTED


def test_revoking_with_a_reason_revokes(desk, cec_staff, election, mission):
    observer = accredited(ObserverFactory(election=election, body=mission), cec_staff)

    response = post_action(desk, "revoke", [observer], apply="yes", reason="Campaigned for a party")

    assert "1 accreditation revoked." in shown_messages(response)
    observer.refresh_from_db()
    assert observer.status == ObserverStatus.REVOKED
    assert observer.revocation_reason == "Campaigned for a party"


def test_revoking_a_selection_with_a_mere_nomination_changes_nothing(desk, cec_staff, election):
    holder = accredited(ObserverFactory(election=election), cec_staff)
    nominee = ObserverFactory(election=election)

    response = post_action(desk, "revoke", [holder, nominee], apply="yes", reason="Misconduct")

    shown = shown_messages(response)
    assert any(nominee.full_name_latin in m and "only a valid" in m.lower() for m in shown)
    assert "Nothing was changed." in shown
    holder.refresh_from_db()
    assert holder.status == ObserverStatus.ACCREDITED


# BADGES


def test_making_badges_starts_a_job_and_opens_its_page(desk, cec_staff, election, mission):
    observers = ObserverFactory.create_batch(2, election=election, body=mission)
    services.observers_accredit(actor=cec_staff, observers=observers)

    response = post_action(desk, "make_badges", observers[:1])

    job = Job.objects.get()
    assert job.total == 2  # the body's badges
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:core_job_change", args=[job.pk])


def test_the_badge_button_makes_that_observers_badge_only(desk, cec_staff, election, mission):
    observer, other = ObserverFactory.create_batch(2, election=election, body=mission)
    services.observers_accredit(actor=cec_staff, observers=[observer, other])

    url = reverse("admin:observers_observer_decide", args=[observer.pk, "badge"])

    assert desk.get(url).status_code == 200  # the confirmation page: opening it makes nothing
    assert not Job.objects.exists()
    response = desk.post(url, {"apply": "yes"})

    job = Job.objects.get()
    assert (job.total, job.params["observers"]) == (1, [observer.pk])
    assert observer.full_name_latin in job.title
    assert response["Location"] == reverse("admin:core_job_change", args=[job.pk])


def test_one_observers_badge_is_refused_for_another_body_or_election(cec_staff, election):
    observer = ObserverFactory(election=election)
    services.observers_accredit(actor=cec_staff, observers=[observer])
    with pytest.raises(ValidationError):
        services.badge_job_submit(
            actor=cec_staff, election=election, body=StateBodyFactory(), observer=observer
        )
    with pytest.raises(ValidationError):
        services.badge_job_submit(
            actor=cec_staff, election=OpenElectionFactory(), observer=observer
        )


def test_making_badges_of_a_batch_starts_its_job(desk, cec_staff, election, mission):
    result = services.nomination_batch_submit(
        actor=cec_staff, election=election, body=mission, rows=[person(n) for n in range(3)]
    )
    services.observers_accredit(actor=cec_staff, observers=result.batch.observers.all())
    ObserverFactory(election=election, body=mission)  # the same body, not in the batch

    response = desk.post(
        reverse("admin:observers_nominationbatch_changelist"),
        {"action": "make_badges", "_selected_action": [result.batch.pk]},
    )

    job = Job.objects.get()
    assert job.params["batch"] == result.batch.pk
    assert job.total == 3
    assert response["Location"] == reverse("admin:core_job_change", args=[job.pk])


def test_making_badges_without_accredited_observers_says_so(desk, election):
    observer = ObserverFactory(election=election)

    response = post_action(desk, "make_badges", [observer])

    assert str(services.NO_BADGES) in shown_messages(response)
    assert not Job.objects.exists()


# UPLOADS


def csv_upload(rows, name="mission.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(imports.COLUMNS)
    for values in rows:
        writer.writerow([values[c] for c in imports.COLUMNS])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def upload(client, election, body, file, **extra):
    """ "Upload and check": the preview page, or the errors (nothing is saved either way)."""
    return client.post(
        reverse(UPLOAD), {"election": election.pk, "body": body.pk, "file": file, **extra}
    )


def save_previewed(client, preview):
    """ "Save" on a preview page (tests/observers/test_upload_preview.py tests both steps)."""
    kept = preview.context["kept"]
    return client.post(reverse(UPLOAD), {"token": kept.token, "digest": kept.digest, "save": "1"})


def test_uploading_77_nominees_makes_one_batch_and_opens_it(desk, cec_staff, election, mission):
    preview = upload(desk, election, mission, csv_upload([person(n) for n in range(77)]))
    response = save_previewed(desk, preview)

    batch = NominationBatch.objects.get()
    assert batch.size == 77
    assert batch.source == BatchSource.CSV
    assert batch.submitted_by == cec_staff
    assert response["Location"] == reverse(
        "admin:observers_nominationbatch_change", args=[batch.pk]
    )
    assert "77 nominees saved in one batch." in shown_messages(response)
    assert Observer.objects.filter(batch=batch).count() == 77


def test_an_upload_with_bad_rows_lists_every_error_and_saves_nothing(desk, election, mission):
    ObserverFactory(election=election, citizenship="US", document_number="P100006")
    rows = [
        person(1),
        person(2, citizenship="ZZ"),  # row 3
        person(3, date_of_birth="1970-13-01"),  # row 4
        person(4, first_name_cyrillic=""),  # row 5
        person(5, document_number="P100001"),  # row 6: row 2's passport
        person(6),  # row 7: nominated before
    ]

    response = upload(desk, election, mission, csv_upload(rows))

    assert response.status_code == 200
    shown = {(e.row, e.column) for e in response.context["errors"]}
    assert shown == {
        (3, "citizenship"),
        (4, "date_of_birth"),
        (5, "first_name_cyrillic"),
        (6, "document_number"),
        (7, "document_number"),
    }
    page = response.content.decode()
    assert 'id="upload-errors"' in page
    assert "The same person is already in row 2 of this batch." in page
    assert Observer.objects.count() == 1
    assert not NominationBatch.objects.exists()


def test_an_xlsx_upload_makes_a_batch(desk, election, mission):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(imports.COLUMNS))
    for n in range(4):
        values = person(n)
        sheet.append([values[c] for c in imports.COLUMNS])
    out = io.BytesIO()
    workbook.save(out)

    preview = upload(desk, election, mission, SimpleUploadedFile("mission.xlsx", out.getvalue()))
    response = save_previewed(desk, preview)

    assert response.status_code == 302
    assert NominationBatch.objects.get().source == BatchSource.XLSX
    assert Observer.objects.count() == 4


def test_an_upload_of_another_file_type_is_refused(desk, election, mission):
    file = SimpleUploadedFile("mission.docx", b"PK\x03\x04 word document")

    response = upload(desk, election, mission, file)

    assert response.status_code == 200
    assert str(imports.FILE_TYPE_REFUSED) in response.context["form"].errors["file"]
    assert not Observer.objects.exists()


def test_an_upload_of_a_malformed_csv_shows_the_reason(desk, election, mission):
    file = SimpleUploadedFile("mission.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    response = upload(desk, election, mission, file)

    assert response.status_code == 200
    assert str(imports.CSV_NOT_TEXT) in response.context["form"].errors["file"]


def test_the_upload_template_has_the_header_row(desk):
    response = desk.get(reverse("admin:observers_observer_upload_template"))

    text = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"].startswith("attachment")
    assert next(csv.reader(io.StringIO(text))) == list(imports.COLUMNS)


# NOMINATING BODIES


def test_adding_a_nominating_body_goes_through_its_service(desk, cec_staff):
    response = desk.post(
        reverse("admin:observers_nominatingbody_add"),
        {
            "kind": BodyKind.ORGANIZATION,
            "name_en": "International Turkic Academy",
            "name_ru": "Международная тюркская академия",
            "name_kk": "Халықаралық Түркі академиясы",
            "country": "",
            "contact_email": "academy@example.org",
            "language": "en",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    body = NominatingBody.objects.get(name_en="International Turkic Academy")
    assert body.name_kk == "Халықаралық Түркі академиясы"
    entry = LogEntry.objects.get_for_object(body).get(action=LogEntry.Action.CREATE)
    assert entry.actor == cec_staff


def test_a_state_without_a_country_is_refused(desk):
    response = desk.post(
        reverse("admin:observers_nominatingbody_add"),
        {"kind": BodyKind.STATE, "country": "", "language": "en"},
    )

    assert response.status_code == 200
    assert not NominatingBody.objects.exists()


def association_form(region, **overrides):
    return {
        "kind": BodyKind.ASSOCIATION,
        "name_en": "Young Voters of the Steppe",
        "country": "",
        "language": "kk",
        "region": region.pk,
        "accredited_from": "2023-01-10",
        "accredited_until": "2024-01-09",
        **overrides,
    }


def test_territorial_staff_add_their_regions_associations(territorial):
    response = territorial.post(
        reverse("admin:observers_nominatingbody_add"), association_form(territorial.region)
    )

    assert response.status_code == 302
    body = NominatingBody.objects.get()
    assert body.region == territorial.region


def test_territorial_staff_may_not_add_a_foreign_state(territorial):
    response = territorial.post(
        reverse("admin:observers_nominatingbody_add"),
        {"kind": BodyKind.STATE, "country": "DE", "language": "en"},
    )

    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    assert not NominatingBody.objects.exists()


def test_territorial_staff_may_not_add_an_association_of_another_region(territorial):
    other = TerritorialCommissionFactory().region

    response = territorial.post(
        reverse("admin:observers_nominatingbody_add"), association_form(other)
    )

    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    assert not NominatingBody.objects.exists()


def test_an_association_term_over_a_year_is_refused(desk):
    region = TerritorialCommissionFactory().region

    response = desk.post(
        reverse("admin:observers_nominatingbody_add"),
        association_form(region, accredited_until="2024-01-10"),
    )

    assert response.status_code == 200
    assert "accredited_until" in response.context["adminform"].form.errors
    assert not NominatingBody.objects.exists()


def test_territorial_staff_view_their_associations_nominee_without_changing_it(
    territorial, election
):
    observer = ObserverFactory(
        election=election, body=AssociationBodyFactory(region=territorial.region)
    )

    response = territorial.get(reverse("admin:observers_observer_change", args=[observer.pk]))

    assert response.status_code == 200
    assert observer.document_number in response.content.decode()
    assert "new_photo" not in response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("url_name", [CHANGELIST, UPLOAD])
def test_desk_pages_speak_every_language(desk, language, url_name):
    with translation.override(language):
        url = reverse(url_name)

    response = desk.get(url)

    assert response.status_code == 200
    assert response.headers["Content-Language"] == language


def test_a_photo_changed_on_the_observer_page_is_audited_without_the_image(
    desk, cec_staff, election
):
    observer = ObserverFactory(election=election)
    url = reverse("admin:observers_observer_change", args=[observer.pk])

    response = desk.post(url, {**nominee_data(observer), "new_photo": photo_upload()})

    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(observer).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == cec_staff
    old, new = entry.changes_dict["photo"]
    observer.refresh_from_db()
    assert new != old and new.endswith(".jpg")
    assert observer.photo.name not in new  # masked: the stored file's name is not given away


@pytest.mark.parametrize("status", [ObserverStatus.SUBMITTED, ObserverStatus.REFUSED])
def test_the_new_photo_label_is_capitalised_as_the_admins_labels(desk, election, status):
    observer = ObserverFactory(election=election)
    if status == ObserverStatus.REFUSED:  # the page then offers the photo only
        Observer.objects.filter(pk=observer.pk).update(
            status=status, decided_at=datetime.datetime.now(datetime.UTC), refusal_reason="Late."
        )

    response = desk.get(reverse("admin:observers_observer_change", args=[observer.pk]))

    assert 'for="id_new_photo">New photo:</label>' in response.content.decode()


def test_every_desk_form_field_label_is_capitalised(cec_staff):
    from observers.admin_forms import NominationUploadForm, ObserverAddForm, ReasonForm

    for form in (ObserverAddForm(), ReasonForm(), NominationUploadForm(user=cec_staff)):
        for name, field in form.fields.items():
            assert str(field.label)[0].isupper(), name


def test_the_confirmation_tells_namesakes_apart_and_warns_of_them(
    desk, cec_staff, election, mission
):
    def nominee(n, born):  # each in a batch of its own (the desk's single nominations)
        return services.observer_nominate(
            actor=cec_staff,
            election=election,
            body=mission,
            **person(n, last_name_latin="Testaaa", first_name_latin="Ivan", date_of_birth=born),
        )

    twins = [nominee(n, datetime.date(1980, 5, 6)) for n in range(2)]
    other = nominee(2, datetime.date(1981, 1, 2))

    response = post_action(desk, "accredit", [*twins, other])

    page = response.content.decode()
    assert "06.05.1980" in page and "02.01.1981" in page
    for observer in (*twins, other):
        assert imports.masked(observer.document_number) in page
        assert observer.document_number not in page
        assert reverse("admin:observers_nominationbatch_change", args=[observer.batch_id]) in page
    assert response.context["namesakes"] == ["Testaaa Ivan, born 06.05.1980: 2 of the selected"]
    assert 'id="decision-namesakes"' in page
    assert not Observer.objects.filter(status=ObserverStatus.ACCREDITED).exists()


def test_the_confirmation_warns_of_no_namesakes_among_different_people(desk, election, mission):
    observers = ObserverFactory.create_batch(2, election=election, body=mission)

    response = post_action(desk, "accredit", observers)

    assert response.context["namesakes"] == []
    assert 'id="decision-namesakes"' not in response.content.decode()
