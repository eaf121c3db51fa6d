import datetime

import factory

from polling.choices import HoursReason, LocalityKind, ProposingBody, RuleKind, StreetNameKind
from polling.models import (
    Locality,
    PollingStation,
    Street,
    StreetName,
    TerritoryRule,
    VotingHoursDecision,
)
from tests.commissions.factories import (
    ElectionFactory,
    PrecinctCommissionFactory,
    RegionFactory,
    TerritorialCommissionFactory,
)


class PollingStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingStation

    precinct_commission = factory.SubFactory(PrecinctCommissionFactory)
    region = factory.SelfAttribute("precinct_commission.region")
    number = factory.SelfAttribute("precinct_commission.number")
    name = factory.LazyAttribute(lambda s: f"School No. {s.number}")
    address = factory.Sequence(lambda n: f"{n} Abay Avenue")


class VotingHoursDecisionFactory(factory.django.DjangoModelFactory):
    """A draft opening at 06:00; `stations` (a list, in the commission's region) are added after
    it is saved. Adopted and published through the services."""

    class Meta:
        model = VotingHoursDecision
        skip_postgeneration_save = True

    election = factory.SubFactory(ElectionFactory)
    commission = factory.SubFactory(TerritorialCommissionFactory)
    number = factory.Sequence(lambda n: f"{n + 1}/1")
    proposed_by = ProposingBody.AKIM
    opens_at = datetime.time(6, 0)
    reason_kind = HoursReason.REMOTE_AREA
    reason = "A remote pasture; herders leave at dawn."

    @factory.post_generation
    def stations(self, create, extracted, **kwargs):
        if create and extracted:
            self.stations.set(extracted)


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    region = factory.SubFactory(RegionFactory)
    kind = LocalityKind.CITY
    name = factory.Sequence(lambda n: f"Qala {n}")


class StreetFactory(factory.django.DjangoModelFactory):
    """A street with its current name as a searchable name (in Kazakh, or `language`)."""

    class Meta:
        model = Street
        skip_postgeneration_save = True

    locality = factory.SubFactory(LocalityFactory)
    name = factory.Sequence(lambda n: f"Көше {n}")

    @factory.post_generation
    def names(self, create, extracted, **kwargs):
        if not create:
            return
        StreetName.objects.create(street=self, name=self.name, language="kk")
        for name in extracted or ():
            StreetName.objects.create(
                street=self, name=name, language="ru", kind=StreetNameKind.FORMER
            )


class TerritoryRuleFactory(factory.django.DjangoModelFactory):
    """A whole-street rule by default; its station is in the street's region."""

    class Meta:
        model = TerritoryRule

    street = factory.SubFactory(StreetFactory)
    locality = factory.SelfAttribute("street.locality")
    station = factory.SubFactory(
        PollingStationFactory,
        precinct_commission__parent__region=factory.SelfAttribute("....locality.region"),
    )
    kind = RuleKind.STREET
