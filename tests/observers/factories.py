import datetime

import factory
from django.utils import timezone

from observers.choices import BodyKind
from observers.models import NominatingBody, Observer
from tests.commissions.factories import ElectionFactory


class OpenElectionFactory(ElectionFactory):
    """An election far enough ahead that accreditation is open now."""

    election_day = factory.Sequence(
        lambda n: timezone.localdate() + datetime.timedelta(days=60 + n)
    )


class StateBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NominatingBody
        django_get_or_create = ("kind", "country")

    kind = BodyKind.STATE
    country = factory.Iterator(["DE", "FR", "US", "GB", "IT", "ES", "PL", "TR", "CN", "JP"])
    contact_email = factory.LazyAttribute(lambda b: f"embassy-{b.country}@example.org".lower())


class OrganizationBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NominatingBody

    kind = BodyKind.ORGANIZATION
    name = factory.Sequence(lambda n: f"Observer Mission {n}")
    contact_email = factory.Sequence(lambda n: f"mission{n}@example.org")


class AssociationBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NominatingBody

    kind = BodyKind.ASSOCIATION
    name = factory.Sequence(lambda n: f"Public association {n}")
    accredited_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(30))
    accredited_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(300))


def person(n: int = 0, **overrides) -> dict:
    """The fields of one nominee, as a batch row or a single nomination gives them."""
    return {
        "last_name_latin": f"Smith{n}",
        "first_name_latin": "John",
        "last_name_cyrillic": f"Смит{n}",
        "first_name_cyrillic": "Джон",
        "citizenship": "US",
        "date_of_birth": datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 15000),
        "document_number": f"P{100000 + n}",
        **overrides,
    }


class ObserverFactory(factory.django.DjangoModelFactory):
    """A submitted nomination (accredit it through the service to get a number and a code)."""

    class Meta:
        model = Observer

    election = factory.SubFactory(OpenElectionFactory)
    body = factory.SubFactory(OrganizationBodyFactory)
    last_name_latin = factory.Sequence(lambda n: f"Observer{n}")
    first_name_latin = "Anna"
    last_name_cyrillic = factory.Sequence(lambda n: f"Наблюдатель{n}")
    first_name_cyrillic = "Анна"
    citizenship = "DE"
    date_of_birth = datetime.date(1980, 5, 17)
    document_number = factory.Sequence(lambda n: f"C{1000000 + n}")
