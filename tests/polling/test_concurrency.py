"""Two decisions for one station published at the same instant: the election's publication
lock makes the second wait for the first and then refuses it, never both in force."""

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction

from polling import services
from polling.choices import DecisionStatus
from polling.models import VotingHoursDecision
from tests.concurrency import held_transactions, in_threads
from tests.polling.hours import ADOPTED_ON, PUBLISHED_AT, draft, election_2023, station_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_publication_lock_is_declared():
    from core.locks import registered_namespaces

    assert "polling.voting_hours_publication" in {n.name for n in registered_namespaces()}


def test_two_decisions_for_one_station_published_at_once_one_is_refused():
    decisions = adopted_pair()
    raised = in_threads(
        lambda decision: services.voting_hours_decision_publish(
            actor=None, decision=decision, at=PUBLISHED_AT
        ),
        [(decision,) for decision in decisions],
    )
    assert sorted(type(exc).__name__ for exc in raised if exc) == [ValidationError.__name__]
    assert VotingHoursDecision.objects.filter(status=DecisionStatus.PUBLISHED).count() == 1


def adopted_pair():
    station = station_in()
    election = election_2023()
    decisions = [draft(station, election, number=f"{n}/1") for n in (1, 2)]
    for decision in decisions:
        services.voting_hours_decision_adopt(actor=None, decision=decision, on=ADOPTED_ON)
    return decisions


def test_a_publication_waits_while_another_of_the_election_is_under_way():
    first, second = adopted_pair()
    with held_transactions() as hold:
        hold(
            lambda: services.voting_hours_decision_publish(
                actor=None, decision=first, at=PUBLISHED_AT
            )
        )
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            services.voting_hours_decision_publish(actor=None, decision=second, at=PUBLISHED_AT)
    with pytest.raises(ValidationError, match="already votes at the hours of decision No. 1/1"):
        services.voting_hours_decision_publish(actor=None, decision=second, at=PUBLISHED_AT)
