import datetime

import factory

from commissions.choices import CommissionLevel, ElectionKind, MemberRole, RegionKind
from commissions.models import Commission, CommissionMember, Election, Party, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    kind = RegionKind.OBLAST
    timezone = "Asia/Almaty"


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    name = factory.Sequence(lambda n: f"Election {n}")
    kind = ElectionKind.MAZHILIS
    election_day = factory.Sequence(lambda n: datetime.date(2023, 3, 19) + datetime.timedelta(n))
    is_early = True


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    name = factory.Sequence(lambda n: f"Party number {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")


class CecFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission
        django_get_or_create = ("level",)

    level = CommissionLevel.CEC
    name = "Central Election Commission"


class TerritorialCommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission

    level = CommissionLevel.TERRITORIAL
    region = factory.SubFactory(RegionFactory)
    parent = factory.SubFactory(CecFactory)
    name = factory.LazyAttribute(lambda c: f"Territorial commission of {c.region.name}")


class PrecinctCommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission

    level = CommissionLevel.PRECINCT
    parent = factory.SubFactory(TerritorialCommissionFactory)
    region = factory.SelfAttribute("parent.region")
    number = factory.Sequence(lambda n: 1000 + n)
    name = factory.LazyAttribute(lambda c: f"Precinct commission No. {c.number}")


class CommissionMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissionMember

    commission = factory.SubFactory(TerritorialCommissionFactory)
    full_name = factory.Sequence(lambda n: f"Member {n}")
    role = MemberRole.MEMBER
    started_on = datetime.date(2022, 1, 1)
