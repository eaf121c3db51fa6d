"""What the nominating body is told of the desk's decisions: the texts of the observers'
notification kinds (observers/templates/observers/notifications/), word for word."""

import pytest

from core.models import Notification
from observers import services
from tests.core.factories import StaffUserFactory
from tests.observers.factories import ObserverFactory, OpenElectionFactory, OrganizationBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return StaffUserFactory(is_superuser=True)


@pytest.fixture
def body():
    return OrganizationBodyFactory(contact_email="cis@example.org", language="en")


def test_an_accreditation_lists_the_bodys_nominees_with_their_numbers(desk, body):
    election = OpenElectionFactory(name="Early Mazhilis election")
    first, second = ObserverFactory.create_batch(2, election=election, body=body)
    services.observers_accredit(actor=desk, observers=[first, second])
    first.refresh_from_db()
    second.refresh_from_db()
    notification = Notification.objects.get()
    assert notification.subject == "Early Mazhilis election: 2 observers accredited"
    assert notification.body == (
        f"The Central Election Commission has accredited these observers of {body}:\n"
        "\n"
        f"{first.number_display}  {first.full_name_latin}\n"
        f"{second.number_display}  {second.full_name_latin}\n"
        "\n"
        "Their badges can be downloaded through the API or collected at the CEC."
    )
    assert notification.dedupe_key == f"observers-accredited:{body.pk}:{first.pk}:2"
    assert notification.cause == body


def test_one_accreditation_is_told_in_the_singular(desk, body):
    election = OpenElectionFactory(name="Early Mazhilis election")
    services.observer_accredit(actor=desk, observer=ObserverFactory(election=election, body=body))
    subject = Notification.objects.get().subject
    assert subject == "Early Mazhilis election: 1 observer accredited"


def test_a_refusal_gives_its_reason(desk, body):
    observer = ObserverFactory(body=body, election=OpenElectionFactory(name="Maslikhat election"))
    services.observer_refuse(actor=desk, observer=observer, reason="Not a member of O'Brien & Co")
    notification = Notification.objects.get()
    assert notification.subject == f"Accreditation refused: {observer.full_name_latin}"
    assert notification.body == (
        f"The accreditation of {observer.full_name_latin} as an observer of Maslikhat election "
        "is refused: Not a member of O'Brien & Co"
    )
    assert notification.dedupe_key == f"observer-refused:{observer.pk}"
    assert notification.cause == observer


def test_a_revocation_gives_its_reason(desk, body):
    observer = ObserverFactory(body=body, election=OpenElectionFactory(name="Maslikhat election"))
    services.observer_accredit(actor=desk, observer=observer)
    services.observer_revoke(actor=desk, observer=observer, reason="Breach of rules")
    notification = Notification.objects.get(dedupe_key=f"observer-revoked:{observer.pk}")
    assert notification.subject == f"Accreditation revoked: {observer.full_name_latin}"
    assert notification.body == (
        f"The accreditation of {observer.full_name_latin} as an observer of Maslikhat election "
        "is revoked: Breach of rules"
    )


def test_a_body_without_an_address_is_not_told(desk):
    observer = ObserverFactory(body=OrganizationBodyFactory(contact_email=""))
    services.observer_refuse(actor=desk, observer=observer, reason="Late")
    assert not Notification.objects.exists()
