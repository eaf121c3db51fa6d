"""Smoke test: every observers factory builds a valid row, and the history desk accredits."""

import pytest

from observers.choices import ObserverStatus
from tests.observers.factories import (
    MARCH_7,
    AssociationBodyFactory,
    Desk,
    ObserverFactory,
    OpenElectionFactory,
    OrganizationBodyFactory,
    StateBodyFactory,
    state,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [
        OpenElectionFactory,
        StateBodyFactory,
        OrganizationBodyFactory,
        AssociationBodyFactory,
        ObserverFactory,
    ],
)
def test_factory_builds_a_valid_row(factory):
    factory().full_clean()


def test_the_desk_accredits_on_the_day_it_is_told():
    observer = Desk(OpenElectionFactory()).accredit(state("NO"), MARCH_7)
    assert observer.status == ObserverStatus.ACCREDITED
    assert observer.decision_date == MARCH_7
