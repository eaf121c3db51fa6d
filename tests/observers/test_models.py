"""Single-row rules of nominating bodies and observers, held by the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from observers.choices import BodyKind, ObserverStatus, Verification
from observers.models import NominatingBody, Observer
from tests.observers.factories import (
    AssociationBodyFactory,
    ObserverFactory,
    OrganizationBodyFactory,
    StateBodyFactory,
)

pytestmark = pytest.mark.django_db


def test_a_state_is_named_by_its_country_in_the_active_language():
    body = StateBodyFactory(country="DE")
    assert str(body) == "Germany"
    with translation.override("ru"):
        assert str(body) == "Германия"


def test_a_state_without_a_country_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        NominatingBody.objects.create(kind=BodyKind.STATE, country="")


def test_an_organisation_with_a_country_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        NominatingBody.objects.create(kind=BodyKind.ORGANIZATION, name="CIS", country="RU")


def test_a_state_is_a_nominating_body_once():
    StateBodyFactory(country="FR")
    with pytest.raises(IntegrityError), transaction.atomic():
        NominatingBody.objects.create(kind=BodyKind.STATE, country="FR")


def test_kazakhstan_does_not_nominate_foreign_observers():
    with pytest.raises(ValidationError):
        NominatingBody(kind=BodyKind.STATE, country="KZ").full_clean()


def test_an_organisation_needs_a_name():
    with pytest.raises(ValidationError) as raised:
        NominatingBody(kind=BodyKind.ORGANIZATION, name="").full_clean()
    assert "name" in raised.value.message_dict


def test_an_association_needs_its_term_and_others_have_none():
    with pytest.raises(IntegrityError), transaction.atomic():
        NominatingBody.objects.create(kind=BodyKind.ASSOCIATION, name="Association")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationBodyFactory(accredited_from=datetime.date(2023, 1, 1))


def test_an_association_is_accredited_for_one_year_at_most():
    body = AssociationBodyFactory.build(
        accredited_from=datetime.date(2023, 1, 10), accredited_until=datetime.date(2024, 1, 10)
    )
    with pytest.raises(ValidationError) as raised:
        body.full_clean()
    assert "accredited_until" in raised.value.message_dict
    body.accredited_until = datetime.date(2024, 1, 9)
    body.full_clean()


def test_an_association_nominates_within_its_term_only():
    body = AssociationBodyFactory.build(
        accredited_from=datetime.date(2023, 1, 10), accredited_until=datetime.date(2024, 1, 9)
    )
    assert body.accreditation_covers(datetime.date(2023, 3, 7))
    assert not body.accreditation_covers(datetime.date(2024, 1, 10))
    assert OrganizationBodyFactory.build().accreditation_covers(datetime.date(1990, 1, 1))


def test_document_numbers_are_compared_without_spaces_dashes_or_case():
    field = Observer._meta.get_field("document_number")
    assert field.clean(" n-12 34ab ", None) == "N1234AB"
    observer = ObserverFactory.build(document_number="ab 12-34")
    others = [f.name for f in Observer._meta.fields if f.name != "document_number"]
    observer.clean_fields(exclude=others)
    assert observer.document_number == "AB1234"


def test_an_accreditation_without_a_number_is_refused_by_the_database():
    observer = ObserverFactory()
    observer.status = ObserverStatus.ACCREDITED
    with pytest.raises(IntegrityError), transaction.atomic():
        observer.save()


def test_a_refusal_without_a_reason_is_refused_by_the_database():
    observer = ObserverFactory()
    observer.status = ObserverStatus.REFUSED
    observer.decided_at = datetime.datetime(2023, 3, 7, 12, tzinfo=datetime.UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        observer.save()


@pytest.mark.parametrize(
    ("status", "valid_until", "expected"),
    [
        (ObserverStatus.SUBMITTED, None, Verification.UNKNOWN),
        (ObserverStatus.REFUSED, None, Verification.UNKNOWN),
        (ObserverStatus.ACCREDITED, datetime.date(2023, 3, 29), Verification.VALID),
        (ObserverStatus.ACCREDITED, datetime.date(2023, 3, 1), Verification.EXPIRED),
        (ObserverStatus.REVOKED, datetime.date(2023, 3, 29), Verification.REVOKED),
    ],
)
def test_what_a_badge_verifies_as(status, valid_until, expected):
    observer = Observer(status=status, valid_until=valid_until)
    assert observer.verification(today=datetime.date(2023, 3, 19)) == expected


@pytest.mark.parametrize(
    ("born", "message"),
    [
        (datetime.date(2023, 3, 8), "must be in the past"),
        (datetime.date(2005, 3, 8), "at least 18 years old"),
        (datetime.date(1899, 12, 31), "before 1900"),
    ],
)
def test_an_implausible_date_of_birth_is_refused(born, message):
    observer = ObserverFactory.build(
        date_of_birth=born, submitted_at=datetime.datetime(2023, 3, 7, 12, tzinfo=datetime.UTC)
    )
    with pytest.raises(ValidationError) as raised:
        observer.clean()
    assert message in raised.value.message_dict["date_of_birth"][0]


def test_an_observer_who_turned_eighteen_that_day_is_accepted():
    observer = ObserverFactory.build(
        date_of_birth=datetime.date(2005, 3, 7),
        submitted_at=datetime.datetime(2023, 3, 7, 12, tzinfo=datetime.UTC),
    )
    observer.clean()
