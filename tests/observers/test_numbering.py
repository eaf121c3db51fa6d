"""Accreditation numbers under the core's numbering lock (core.locks): per election, gap-free
and unique when desks decide at the same instant, without locking the election itself."""

import pytest
from django.db import connection, transaction

from commissions.models import Election
from core.locks import registered_namespaces
from observers import services
from observers.models import Observer
from tests.concurrency import held_transactions, in_threads
from tests.core.factories import StaffUserFactory
from tests.observers.factories import ObserverFactory, OpenElectionFactory

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 10


@pytest.fixture
def desk():
    return StaffUserFactory(is_superuser=True)


def test_the_accreditation_numbers_namespace_is_declared():
    assert "observers.accreditation_number" in {n.name for n in registered_namespaces()}


def test_desks_accrediting_at_the_same_instant_get_consecutive_numbers(desk):
    election = OpenElectionFactory()
    observers = ObserverFactory.create_batch(6, election=election)
    raised = in_threads(
        lambda observer: services.observer_accredit(actor=desk, observer=observer),
        [(observer,) for observer in observers],
    )
    assert raised == [None] * len(observers)
    numbers = Observer.objects.filter(election=election).values_list("number", flat=True)
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]


@pytest.fixture
def accrediting(desk):
    """Accredits an observer in another thread and keeps its transaction open (so its
    election's numbering stays locked) until the test ends."""
    with held_transactions(WAIT) as hold:
        yield lambda observer: hold(
            lambda: services.observer_accredit(actor=desk, observer=observer)
        )


def within_a_second(function) -> None:
    """Run `function` in a transaction that gives up on any lock not free within a second."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
        function()


def test_an_election_can_be_edited_while_its_observers_are_numbered(accrediting):
    election = OpenElectionFactory()
    accrediting(ObserverFactory(election=election))
    within_a_second(lambda: Election.objects.filter(pk=election.pk).update(name="Renamed"))
    assert Election.objects.get(pk=election.pk).name == "Renamed"


def test_another_elections_numbering_proceeds_while_one_is_held(accrediting, desk):
    accrediting(ObserverFactory(election=OpenElectionFactory()))
    other = ObserverFactory(election=OpenElectionFactory())
    within_a_second(lambda: services.observer_accredit(actor=desk, observer=other))
    other.refresh_from_db()
    assert other.number == 1
