import datetime

import factory

from polling.choices import HoursReason, ProposingBody
from polling.models import PollingStation, VotingHoursDecision
from tests.commissions.factories import (
    ElectionFactory,
    PrecinctCommissionFactory,
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
