import factory

from polling.models import PollingStation
from tests.commissions.factories import PrecinctCommissionFactory


class PollingStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingStation

    precinct_commission = factory.SubFactory(PrecinctCommissionFactory)
    region = factory.SelfAttribute("precinct_commission.region")
    number = factory.SelfAttribute("precinct_commission.number")
    name = factory.LazyAttribute(lambda s: f"School No. {s.number}")
    address = factory.Sequence(lambda n: f"{n} Abay Avenue")
