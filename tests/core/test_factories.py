"""Smoke test: every factory builds a valid row (full_clean passes)."""

import pytest

from tests.commissions.factories import (
    CecFactory,
    CommissionMemberFactory,
    ElectionFactory,
    PartyFactory,
    PrecinctCommissionFactory,
    RegionFactory,
    TerritorialCommissionFactory,
)
from tests.core.factories import AgencyFactory, UserFactory, make_token
from tests.polling.factories import PollingStationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [
        UserFactory,
        AgencyFactory,
        RegionFactory,
        ElectionFactory,
        PartyFactory,
        CecFactory,
        TerritorialCommissionFactory,
        PrecinctCommissionFactory,
        CommissionMemberFactory,
        PollingStationFactory,
    ],
)
def test_factory_builds_a_valid_row(factory):
    obj = factory()
    obj.full_clean()


def test_make_token_returns_a_key_that_is_not_stored():
    token, key = make_token(scopes=["read:all"])
    assert token.key_hash != key
    assert token.prefix == key[:8]
