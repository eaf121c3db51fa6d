"""Two overlapping ranges of one street given to two stations at the same instant: the
locality's lock makes the second wait for the first and then refuses it; never both."""

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction

from polling import services
from polling.choices import RuleKind
from polling.models import TerritoryRule
from tests.concurrency import held_transactions, in_threads
from tests.polling.factories import PollingStationFactory, StreetFactory

pytestmark = pytest.mark.django_db(transaction=True)


def ranges():
    street = StreetFactory()
    region = street.locality.region
    return [
        TerritoryRule(
            station=PollingStationFactory(precinct_commission__parent__region=region),
            kind=RuleKind.RANGE,
            locality=street.locality,
            street=street,
            number_from=low,
            number_to=low + 20,
        )
        for low in (1, 11)
    ]


def test_the_territory_lock_is_declared():
    from core.locks import registered_namespaces

    assert "polling.territory_locality" in {n.name for n in registered_namespaces()}


def test_two_overlapping_rules_created_at_once_one_is_refused():
    raised = in_threads(
        lambda rule: services.territory_rule_create(actor=None, rule=rule),
        [(rule,) for rule in ranges()],
    )

    assert [type(exc).__name__ for exc in raised if exc] == [ValidationError.__name__]
    assert TerritoryRule.objects.count() == 1


def test_a_territory_write_waits_while_another_of_the_locality_is_under_way():
    first, second = ranges()
    with held_transactions() as hold:
        hold(lambda: services.territory_rule_create(actor=None, rule=first))
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            with pytest.raises(OperationalError):
                services.territory_rule_create(actor=None, rule=second)
