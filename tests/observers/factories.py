import datetime
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from observers import services
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


LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC_LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"


def lettered(n: int, alphabet: str = LATIN_LETTERS) -> str:
    """The n-th word of the alphabet's letters (a, b, ... z, ba, bb ...): a name tells nominees
    apart by letters, since a name has no digits."""
    word = alphabet[n % len(alphabet)]
    while n >= len(alphabet):
        n //= len(alphabet)
        word = alphabet[n % len(alphabet)] + word
    return word


def person(n: int = 0, **overrides) -> dict:
    """The fields of one nominee, as a batch row or a single nomination gives them: the n-th
    is `Smith` + lettered(n)."""
    return {
        "last_name_latin": f"Smith{lettered(n)}",
        "first_name_latin": "John",
        "last_name_cyrillic": f"Смит{lettered(n, CYRILLIC_LETTERS)}",
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
    last_name_latin = factory.Sequence(lambda n: f"Observer{lettered(n)}")
    first_name_latin = "Anna"
    last_name_cyrillic = factory.Sequence(lambda n: f"Наблюдатель{lettered(n, CYRILLIC_LETTERS)}")
    first_name_cyrillic = "Анна"
    citizenship = "DE"
    date_of_birth = datetime.date(1980, 5, 17)
    document_number = factory.Sequence(lambda n: f"C{1000000 + n}")


# A HISTORY OF ACCREDITATIONS: bodies and a desk that accredits at given past times


ASTANA = ZoneInfo("Asia/Almaty")
E_DAY = datetime.date(2023, 3, 19)
MARCH_1 = datetime.date(2023, 3, 1)
MARCH_6 = datetime.date(2023, 3, 6)
MARCH_7 = datetime.date(2023, 3, 7)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ASTANA)


class Desk:
    """Accredits observers of one election on given days, through the services, as a job would
    (actor None): each nominee a new person."""

    def __init__(self, election):
        self.election = election
        self.count = 0

    def accredit(self, body, day, *, revoke_on=None, **overrides):
        self.count += 1
        observer = services.observer_nominate(
            actor=None,
            election=self.election,
            body=body,
            at=at(day, 9),
            **person(self.count + 1000 * self.election.pk, **overrides),
        )
        services.observer_accredit(actor=None, observer=observer, at=at(day, 12))
        if revoke_on is not None:
            services.observer_revoke(
                actor=None, observer=observer, reason="Left the mission.", at=at(revoke_on, 15)
            )
        observer.refresh_from_db()
        return observer

    def accredit_many(self, body, day, n):
        return [self.accredit(body, day) for _ in range(n)]


def state(code):
    return StateBodyFactory(country=code, contact_email="")


def organization(**fields):
    return OrganizationBodyFactory(contact_email="", **fields)


def association():
    return AssociationBodyFactory(
        contact_email="",
        accredited_from=datetime.date(2022, 6, 1),
        accredited_until=datetime.date(2023, 5, 31),
    )
