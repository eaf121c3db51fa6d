"""The accreditation desk's rules, through the services every entry point calls."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from core.choices import Role
from core.models import AgencyKind, Notification
from observers import services
from observers.choices import ObserverStatus
from observers.models import NominationBatch, Observer
from tests.core.factories import AgencyFactory, StaffUserFactory, UserFactory
from tests.observers.factories import (
    AssociationBodyFactory,
    ObserverFactory,
    OpenElectionFactory,
    OrganizationBodyFactory,
    StateBodyFactory,
    person,
)

ASTANA = ZoneInfo("Asia/Almaty")
pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """A CEC staff member of the accreditation desk."""
    return StaffUserFactory(is_superuser=True)


# DEADLINE


def test_deadline_is_six_pm_astana_time_six_days_before_election_day():
    election = OpenElectionFactory(election_day=datetime.date(2023, 3, 19))
    deadline = services.accreditation_deadline(election)
    assert deadline == datetime.datetime(2023, 3, 13, 18, 0, tzinfo=ASTANA)


def test_a_nomination_a_minute_before_the_deadline_is_accepted(desk):
    election = OpenElectionFactory(election_day=datetime.date(2023, 3, 19))
    at = datetime.datetime(2023, 3, 13, 17, 59, tzinfo=ASTANA)
    observer = services.observer_nominate(
        actor=desk, election=election, body=OrganizationBodyFactory(), at=at, **person()
    )
    assert observer.status == ObserverStatus.SUBMITTED


def test_a_nomination_at_the_deadline_is_refused_with_a_clear_message(desk):
    election = OpenElectionFactory(election_day=datetime.date(2023, 3, 19))
    at = datetime.datetime(2023, 3, 13, 18, 0, tzinfo=ASTANA)
    with pytest.raises(ValidationError) as raised:
        services.observer_nominate(
            actor=desk, election=election, body=OrganizationBodyFactory(), at=at, **person()
        )
    assert "closed on 13.03.2023 18:00" in raised.value.messages[0]
    assert not Observer.objects.exists()


def test_the_deadline_is_a_setting(desk, settings):
    settings.OBSERVER_ACCREDITATION_DEADLINE = "E-10 12:00"
    election = OpenElectionFactory(election_day=datetime.date(2023, 3, 19))
    assert services.accreditation_deadline(election) == datetime.datetime(
        2023, 3, 9, 12, 0, tzinfo=ASTANA
    )


def test_accrediting_after_the_deadline_is_refused(desk):
    election = OpenElectionFactory(election_day=datetime.date(2023, 3, 19))
    before = datetime.datetime(2023, 3, 10, 10, 0, tzinfo=ASTANA)
    observer = services.observer_nominate(
        actor=desk, election=election, body=OrganizationBodyFactory(), at=before, **person()
    )
    with pytest.raises(ValidationError, match="closed"):
        services.observer_accredit(
            actor=desk, observer=observer, at=datetime.datetime(2023, 3, 14, tzinfo=ASTANA)
        )


# ONE ACCREDITATION PER PERSON


def test_a_second_nomination_of_the_same_passport_is_refused_naming_the_first(desk):
    election = OpenElectionFactory()
    first_body = StateBodyFactory(country="DE")
    services.observer_nominate(actor=desk, election=election, body=first_body, **person(1))
    with pytest.raises(ValidationError) as raised:
        services.observer_nominate(
            actor=desk,
            election=election,
            body=OrganizationBodyFactory(),
            **person(1, document_number="p-100 001"),  # the same number, written differently
        )
    message = raised.value.message_dict["document_number"][0]
    assert "already submitted" in message and "Germany" in message
    assert Observer.objects.count() == 1


def test_a_refused_person_may_be_nominated_again(desk):
    election = OpenElectionFactory()
    body = OrganizationBodyFactory()
    first = services.observer_nominate(actor=desk, election=election, body=body, **person(1))
    services.observer_refuse(actor=desk, observer=first, reason="Incomplete documents")
    again = services.observer_nominate(actor=desk, election=election, body=body, **person(1))
    assert again.pk != first.pk


def test_the_same_person_may_observe_another_election(desk):
    body = OrganizationBodyFactory()
    services.observer_nominate(actor=desk, election=OpenElectionFactory(), body=body, **person())
    services.observer_nominate(actor=desk, election=OpenElectionFactory(), body=body, **person())
    assert Observer.objects.count() == 2


def test_the_database_refuses_a_second_holding_nomination():
    first = ObserverFactory()
    twin = ObserverFactory.build(
        election=first.election,
        body=first.body,
        citizenship=first.citizenship,
        document_number=first.document_number,
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.django_db(transaction=True)
def test_concurrent_nominations_of_one_person_accredit_one():
    """Two desks nominate the same passport at the same instant: one wins, the other is told."""
    desk = StaffUserFactory(is_superuser=True)
    election = OpenElectionFactory()
    bodies = [OrganizationBodyFactory(), OrganizationBodyFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def nominate(body):
        translation.activate("en")  # a thread starts in the default language
        try:
            barrier.wait()
            services.observer_nominate(actor=desk, election=election, body=body, **person(7))
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["document_number"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=nominate, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=len)[0] == "saved"
    assert "already submitted" in sorted(outcomes, key=len)[1]
    assert Observer.objects.filter(document_number="P100007").count() == 1


# BATCHES


def test_a_batch_is_saved_whole(desk):
    election = OpenElectionFactory()
    body = OrganizationBodyFactory()
    result = services.nomination_batch_submit(
        actor=desk, election=election, body=body, rows=[person(n) for n in range(77)]
    )
    assert result.created and result.batch.size == 77
    assert result.batch.observers.count() == 77


def test_a_batch_with_bad_rows_saves_nothing_and_lists_every_error(desk):
    election = OpenElectionFactory()
    body = OrganizationBodyFactory()
    services.observer_nominate(actor=desk, election=election, body=body, **person(5))
    rows = [person(n) for n in range(10)]
    rows[1]["citizenship"] = "XX"  # no such state
    rows[2]["last_name_latin"] = ""
    rows[7] = person(3)  # the same person as row 4
    with pytest.raises(services.BatchInvalid) as raised:
        services.nomination_batch_submit(actor=desk, election=election, body=body, rows=rows)
    errors = raised.value.rows
    assert set(errors) == {2, 3, 6, 8}
    assert "citizenship" in errors[2]
    assert "last_name_latin" in errors[3]
    assert "already submitted" in errors[6]["document_number"][0]  # person 5, nominated before
    assert errors[8]["document_number"] == ["The same person is already in row 4 of this batch."]
    assert Observer.objects.count() == 1
    assert NominationBatch.objects.count() == 1  # the earlier single nomination's


def test_a_batch_sent_twice_with_its_reference_is_one_batch(desk):
    election = OpenElectionFactory()
    body = OrganizationBodyFactory()
    rows = [person(n) for n in range(3)]
    first = services.nomination_batch_submit(
        actor=desk, election=election, body=body, rows=rows, reference="Note 12/345"
    )
    again = services.nomination_batch_submit(
        actor=desk, election=election, body=body, rows=rows, reference="Note 12/345"
    )
    assert not again.created and again.batch == first.batch
    assert Observer.objects.count() == 3


def test_an_empty_batch_is_refused(desk):
    with pytest.raises(services.BatchInvalid):
        services.nomination_batch_submit(
            actor=desk, election=OpenElectionFactory(), body=OrganizationBodyFactory(), rows=[]
        )


# SCOPE


def test_a_mission_nominates_only_for_its_own_body():
    agency = AgencyFactory()
    own = OrganizationBodyFactory(agency=agency)
    other = OrganizationBodyFactory()
    election = OpenElectionFactory()
    services.observer_nominate(actor=agency.user, election=election, body=own, **person(1))
    with pytest.raises(PermissionDenied):
        services.observer_nominate(actor=agency.user, election=election, body=other, **person(2))


def test_an_association_outside_its_accreditation_term_cannot_nominate(desk):
    body = AssociationBodyFactory(
        accredited_from=datetime.date(2020, 1, 1), accredited_until=datetime.date(2020, 12, 31)
    )
    with pytest.raises(ValidationError) as raised:
        services.observer_nominate(
            actor=desk, election=OpenElectionFactory(), body=body, **person(citizenship="KZ")
        )
    assert "is not accredited" in raised.value.message_dict["body"][0]


def test_only_the_desk_decides():
    observer = ObserverFactory()
    agency = AgencyFactory()
    observer.body.agency = agency
    observer.body.save()
    with pytest.raises(PermissionDenied):
        services.observer_accredit(actor=agency.user, observer=observer)
    with pytest.raises(PermissionDenied):
        services.observer_accredit(actor=UserFactory(role=Role.CEC_STAFF), observer=observer)


# DECISIONS


def test_accreditation_gives_numbers_in_order_a_date_a_validity_and_a_code(desk):
    election = OpenElectionFactory()
    observers = ObserverFactory.create_batch(3, election=election)
    granted = services.observers_accredit(actor=desk, observers=observers)
    assert [o.number for o in granted] == [1, 2, 3]
    assert granted[0].number_display == f"{election.election_day:%Y}-00001"
    assert all(o.decision_date and o.valid_until and o.verification_code for o in granted)
    assert len({o.verification_code for o in granted}) == 3
    assert granted[0].valid_until == election.election_day + datetime.timedelta(days=10)


def test_accreditation_notifies_the_body_once_listing_its_nominees(desk):
    election = OpenElectionFactory()
    body = OrganizationBodyFactory(contact_email="cis@example.org")
    observers = ObserverFactory.create_batch(2, election=election, body=body)
    services.observers_accredit(actor=desk, observers=observers)
    notification = Notification.objects.get()
    assert notification.recipient == "cis@example.org"
    assert "2 observers accredited" in notification.subject
    assert observers[0].last_name_latin in notification.body
    assert observers[0].document_number not in notification.body


def test_a_refusal_needs_a_reason(desk):
    observer = ObserverFactory()
    with pytest.raises(ValidationError):
        services.observer_refuse(actor=desk, observer=observer, reason="  ")
    refused = services.observer_refuse(actor=desk, observer=observer, reason="Not a member")
    assert refused.status == ObserverStatus.REFUSED and refused.decision_date


def test_revoking_needs_an_accreditation_and_a_reason(desk):
    observer = ObserverFactory()
    with pytest.raises(ValidationError, match="Only a valid accreditation"):
        services.observer_revoke(actor=desk, observer=observer, reason="Breach")
    services.observer_accredit(actor=desk, observer=observer)
    revoked = services.observer_revoke(actor=desk, observer=observer, reason="Breach of rules")
    assert revoked.status == ObserverStatus.REVOKED
    assert revoked.verification() == "revoked"


def test_an_accreditation_cannot_be_decided_twice(desk):
    observer = ObserverFactory()
    services.observer_accredit(actor=desk, observer=observer)
    with pytest.raises(ValidationError, match="this one is accredited"):
        services.observer_accredit(actor=desk, observer=observer)


# PHOTOS


def _image(fmt="JPEG", size=(480, 640), exif=False):
    import io

    from PIL import Image

    image = Image.new("RGB", size, (200, 180, 160))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam Inc."  # Make
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    out.seek(0)
    out.name = f"photo.{fmt.lower()}"
    return out


def test_a_photo_is_re_encoded_as_a_jpeg_without_metadata():
    import io

    from PIL import Image

    content = services.photo_clean(_image("PNG", (1200, 1600), exif=True))
    with Image.open(io.BytesIO(content.read())) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (600, 800)
        assert not stored.getexif()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _named(b"%PDF-1.4 not an image"), "must be a JPEG, PNG or WebP"),
        (lambda: _image("GIF"), "must be a JPEG, PNG or WebP"),
        (lambda: _image("JPEG", (100, 100)), "at least 240×320"),
    ],
)
def test_a_bad_photo_is_refused_with_a_clear_message(upload, message):
    with pytest.raises(ValidationError) as raised:
        services.photo_clean(upload())
    assert message in raised.value.message_dict["photo"][0]


def test_a_photo_over_the_size_limit_is_refused(settings):
    settings.OBSERVER_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="larger than"):
        services.photo_clean(_image("PNG", (800, 800)))


def _named(data: bytes):
    import io

    out = io.BytesIO(data)
    out.name = "photo.jpg"
    return out


def test_a_photo_is_stored_privately_and_replaced(desk, settings):
    from pathlib import Path

    observer = ObserverFactory()
    services.observer_photo_set(actor=desk, observer=observer, upload=_image())
    first = Path(settings.PRIVATE_MEDIA_ROOT) / observer.photo.name
    assert first.exists() and oct(first.stat().st_mode)[-3:] == "600"
    with pytest.raises(ValueError):
        observer.photo.url  # noqa: B018 (private files have no URL)


def test_batch_errors_carry_the_callers_row_numbers(desk):
    """An upload passes the spreadsheet's own row numbers (it skips rows it could not read)."""
    election = OpenElectionFactory()
    rows = [person(1), person(2, last_name_latin=""), person(1)]
    with pytest.raises(services.BatchInvalid) as raised:
        services.nomination_batch_submit(
            actor=desk,
            election=election,
            body=OrganizationBodyFactory(),
            rows=rows,
            row_numbers=[2, 5, 9],
        )
    assert set(raised.value.rows) == {5, 9}
    assert raised.value.rows[9]["document_number"] == [
        "The same person is already in row 2 of this batch."
    ]


def test_territorial_staff_register_only_their_regions_associations():
    from tests.commissions.factories import CommissionMemberFactory, TerritorialCommissionFactory

    commission = TerritorialCommissionFactory()
    user = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user)
    term = {
        "accredited_from": datetime.date(2023, 1, 10),
        "accredited_until": datetime.date(2024, 1, 9),
    }
    own = services.nominating_body_create(
        actor=user, kind="association", name="Own", region=commission.region, **term
    )
    assert own.pk
    with pytest.raises(PermissionDenied):
        services.nominating_body_create(actor=user, kind="association", name="National", **term)
    with pytest.raises(PermissionDenied):
        services.nominating_body_create(actor=user, kind="state", country="FR")


def test_territorial_staff_cannot_move_an_association_out_of_their_region():
    from tests.commissions.factories import (
        CommissionMemberFactory,
        RegionFactory,
        TerritorialCommissionFactory,
    )

    commission = TerritorialCommissionFactory()
    user = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user)
    body = AssociationBodyFactory(region=commission.region)
    services.nominating_body_update(actor=user, body=body, short_name="PA")
    with pytest.raises(PermissionDenied):
        services.nominating_body_update(actor=user, body=body, region=RegionFactory())
    body.refresh_from_db()
    assert body.region == commission.region and body.short_name == "PA"


# CORRECTIONS


def test_a_correction_to_another_persons_passport_is_refused_naming_them(desk):
    election = OpenElectionFactory()
    body = OrganizationBodyFactory()
    services.observer_nominate(actor=desk, election=election, body=body, **person(1))
    second = services.observer_nominate(actor=desk, election=election, body=body, **person(2))
    with pytest.raises(ValidationError) as raised:
        services.observer_correct(actor=desk, observer=second, document_number="P100001")
    assert "already submitted" in raised.value.message_dict["document_number"][0]
    second.refresh_from_db()
    assert second.document_number == "P100002"


def test_a_correction_may_keep_the_persons_own_passport(desk):
    observer = ObserverFactory()
    corrected = services.observer_correct(
        actor=desk, observer=observer, document_number=observer.document_number.lower()
    )
    assert corrected.document_number == observer.document_number


def test_a_correction_after_the_deadline_is_refused(desk):
    election = OpenElectionFactory(election_day=datetime.date(2023, 3, 19))
    observer = services.observer_nominate(
        actor=desk,
        election=election,
        body=OrganizationBodyFactory(),
        at=datetime.datetime(2023, 3, 10, tzinfo=ASTANA),
        **person(),
    )
    with pytest.raises(ValidationError, match="closed"):
        services.observer_correct(actor=desk, observer=observer, first_name_latin="Jon")


def test_a_single_nomination_is_filed_as_a_batch_of_one_with_its_source(desk):
    observer = services.observer_nominate(
        actor=desk,
        election=OpenElectionFactory(),
        body=OrganizationBodyFactory(),
        source="desk",
        **person(),
    )
    assert observer.batch.size == 1
    assert observer.batch.source == "desk"
    assert observer.batch.submitted_by == desk


# THE CORE'S CONVENTIONS: the actor, the constraints' messages, one scope check


@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_one_state_at_once_give_the_constraints_message():
    """Both pass full_clean (neither sees the other's uncommitted row); the database decides,
    and the second desk is told in the constraint's words, not with a server error."""
    from django.db import transaction

    from observers.models import NominatingBody

    desk = StaffUserFactory(is_superuser=True)
    first_saved = threading.Event()
    release_first = threading.Event()
    outcome = {}

    def register_first():
        try:
            with transaction.atomic():
                services.nominating_body_create(actor=desk, kind="state", country="FR")
                first_saved.set()
                release_first.wait(10)
            outcome["first"] = "saved"
        finally:
            connection.close()

    def register_second():
        first_saved.wait(10)
        try:
            threading.Timer(0.5, release_first.set).start()  # commit the first while we wait
            with translation.override("en"):
                services.nominating_body_create(actor=desk, kind="state", country="FR")
            outcome["second"] = "saved"
        except ValidationError as exc:
            outcome["second"] = exc.messages
        finally:
            connection.close()

    threads = [threading.Thread(target=register_first), threading.Thread(target=register_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert outcome == {"first": "saved", "second": ["This state is already a nominating body."]}
    assert NominatingBody.objects.filter(kind="state", country="FR").count() == 1


def test_a_nomination_is_audited_as_its_actor(desk):
    from auditlog.models import LogEntry

    observer = services.observer_nominate(
        actor=desk, election=OpenElectionFactory(), body=OrganizationBodyFactory(), **person(1)
    )

    entry = LogEntry.objects.get_for_object(observer).get(action=LogEntry.Action.CREATE)
    assert entry.actor == desk


def test_a_decision_is_audited_as_its_decider(desk):
    from auditlog.models import LogEntry

    observer = ObserverFactory()
    services.observer_refuse(actor=desk, observer=observer, reason="Incomplete documents")

    entry = LogEntry.objects.get_for_object(observer).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == desk


def test_a_correction_outside_the_nominees_fields_is_a_programming_error(desk):
    observer = ObserverFactory()

    with pytest.raises(ValueError):
        services.observer_correct(actor=desk, observer=observer, status="accredited")


def test_who_acts_for_a_body_is_the_observers_scope_declaration():
    """The services ask `can()` of the model's declaration: the answer matches the rows
    `restrict()` gives each role, for every body."""
    from core.scoping import ADD, can
    from tests.commissions.factories import CommissionMemberFactory, TerritorialCommissionFactory

    territorial = TerritorialCommissionFactory()
    regional = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(commission=territorial, user=regional)
    agency = AgencyFactory()
    bodies = [
        OrganizationBodyFactory(agency=agency),
        OrganizationBodyFactory(),
        StateBodyFactory(),
        AssociationBodyFactory(region=territorial.region),
        AssociationBodyFactory(),
    ]
    for body in bodies:
        ObserverFactory(body=body)
    for user in (regional, agency.user, StaffUserFactory(is_superuser=True)):
        visible = set(Observer.objects.restrict(user, ADD).values_list("body", flat=True))
        for body in bodies:
            assert can(user, ADD, Observer(body=body)) == (body.pk in visible), (user, body)


# WHAT A BODY LEARNS OF ANOTHER BODY'S NOMINEES


def staff_of_region(region=None):
    from tests.commissions.factories import CommissionMemberFactory, TerritorialCommissionFactory

    commission = TerritorialCommissionFactory(**({"region": region} if region else {}))
    user = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user)
    return user, commission.region


def cec_member():
    from tests.commissions.factories import CecFactory, CommissionMemberFactory

    user = UserFactory(role=Role.CEC_STAFF, is_staff=True)
    CommissionMemberFactory(commission=CecFactory(), user=user)
    return user


@pytest.fixture
def held(desk):
    """Person 1's place, held by Germany's nominee, accredited (so it has a number)."""
    election = OpenElectionFactory()
    first = services.observer_nominate(
        actor=desk, election=election, body=StateBodyFactory(country="DE"), **person(1)
    )
    return services.observer_accredit(actor=desk, observer=first)


@pytest.fixture
def mission_body():
    agency = AgencyFactory(kind=AgencyKind.MISSION)
    return OrganizationBodyFactory(agency=agency)


def assert_tells_nothing_of(message: str, first) -> None:
    assert message == str(services.ALREADY_HELD_ELSEWHERE)
    for detail in (
        "Germany",
        "DE",
        first.number_display,
        f"{first.submitted_at:%d.%m.%Y}",
        "accredited",
        "submitted",
    ):
        assert detail not in message


def test_a_mission_nominating_another_bodys_nominee_learns_only_that_the_place_is_held(
    held, mission_body
):
    with pytest.raises(ValidationError) as raised:
        services.observer_nominate(
            actor=mission_body.agency.user,
            election=held.election,
            body=mission_body,
            **person(1, document_number="p 100001"),
        )

    assert_tells_nothing_of(raised.value.message_dict["document_number"][0], held)
    assert Observer.objects.count() == 1


def test_a_missions_batch_with_another_bodys_nominee_learns_only_that_the_place_is_held(
    held, mission_body
):
    with pytest.raises(services.BatchInvalid) as raised:
        services.nomination_batch_submit(
            actor=mission_body.agency.user,
            election=held.election,
            body=mission_body,
            rows=[person(2), person(1)],
        )

    assert list(raised.value.rows) == [2]
    assert_tells_nothing_of(raised.value.rows[2]["document_number"][0], held)
    assert all("Germany" not in message for message in raised.value.messages)


def test_a_mission_nominating_its_own_nominee_again_is_told_which_nomination(mission_body):
    election = OpenElectionFactory()
    own = services.observer_nominate(
        actor=mission_body.agency.user, election=election, body=mission_body, **person(1)
    )

    with pytest.raises(ValidationError) as raised:
        services.observer_nominate(
            actor=mission_body.agency.user, election=election, body=mission_body, **person(1)
        )

    message = raised.value.message_dict["document_number"][0]
    assert mission_body.name in message
    assert f"{own.submitted_at:%d.%m.%Y}" in message


def test_cec_staff_are_told_who_holds_the_place_when_and_under_which_number(held, mission_body):
    with pytest.raises(ValidationError) as raised:
        services.observer_nominate(
            actor=cec_member(), election=held.election, body=mission_body, **person(1)
        )

    message = raised.value.message_dict["document_number"][0]
    assert "Germany" in message
    assert held.number_display in message
    assert "already accredited" in message


def test_territorial_staff_learn_only_that_a_nominee_outside_their_scope_holds_the_place(held):
    user, region = staff_of_region()
    body = AssociationBodyFactory(region=region)

    with pytest.raises(ValidationError) as raised:
        services.observer_nominate(actor=user, election=held.election, body=body, **person(1))

    assert_tells_nothing_of(raised.value.message_dict["document_number"][0], held)


def test_a_correction_onto_another_bodys_nominee_tells_nothing_of_them(held, mission_body):
    own = services.observer_nominate(
        actor=mission_body.agency.user, election=held.election, body=mission_body, **person(2)
    )

    with pytest.raises(ValidationError) as raised:
        services.observer_correct(
            actor=mission_body.agency.user, observer=own, document_number="P100001"
        )

    assert_tells_nothing_of(raised.value.message_dict["document_number"][0], held)
