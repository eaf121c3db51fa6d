from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commissions.choices import CommissionLevel
from polling.models import (
    ABROAD_HAS_NO_REGION,
    COMMISSION_OUTSIDE_REGION,
    NOT_A_PRECINCT_COMMISSION,
    PollingStation,
)
from tests.commissions.factories import (
    ElectionFactory,
    PrecinctCommissionFactory,
    RegionFactory,
    TerritorialCommissionFactory,
)
from tests.polling.factories import PollingStationFactory, VotingHoursDecisionFactory

pytestmark = pytest.mark.django_db


def test_station_numbers_are_unique_in_a_region():
    station = PollingStationFactory()
    with (
        pytest.raises(IntegrityError, match="polling_pollingstation_unique_number_in_region"),
        transaction.atomic(),
    ):
        PollingStationFactory(
            number=station.number,
            region=station.region,
            precinct_commission__parent=station.precinct_commission.parent,
        )


def test_one_station_per_precinct_commission():
    station = PollingStationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PollingStationFactory(precinct_commission=station.precinct_commission, number=999)


def test_station_abroad_has_no_region_and_a_foreign_country():
    commission = PrecinctCommissionFactory()
    station = PollingStation(
        number=5001,
        name="Embassy in Ankara",
        address="Ankara",
        precinct_commission=commission,
        is_abroad=True,
        country="TR",
        timezone="Europe/Istanbul",
    )
    station.full_clean()
    station.save()
    assert station.timezone_name == "Europe/Istanbul"
    station.country = "KZ"
    with pytest.raises(ValidationError, match=str(ABROAD_HAS_NO_REGION)):
        station.full_clean()


def test_station_at_home_needs_a_region():
    with (
        pytest.raises(IntegrityError, match="polling_pollingstation_abroad_or_region"),
        transaction.atomic(),
    ):
        PollingStationFactory(region=None)


def test_station_abroad_needs_its_own_time_zone():
    with (
        pytest.raises(IntegrityError, match="polling_pollingstation_abroad_has_timezone"),
        transaction.atomic(),
    ):
        PollingStationFactory(region=None, is_abroad=True, country="TR", timezone="")


def test_station_is_run_by_a_precinct_commission_of_its_region():
    territorial = TerritorialCommissionFactory()
    station = PollingStationFactory.build(
        precinct_commission=territorial, region=territorial.region
    )
    with pytest.raises(ValidationError) as error:
        station.full_clean()
    assert str(NOT_A_PRECINCT_COMMISSION) in error.value.message_dict["precinct_commission"]
    assert territorial.level == CommissionLevel.TERRITORIAL

    station = PollingStationFactory.build(
        precinct_commission=PrecinctCommissionFactory(), region=RegionFactory()
    )
    with pytest.raises(ValidationError) as error:
        station.full_clean()
    assert error.value.message_dict["precinct_commission"] == [str(COMMISSION_OUTSIDE_REGION)]


def test_station_time_zone_defaults_to_its_region():
    station = PollingStationFactory(precinct_commission__parent__region__timezone="Asia/Oral")
    assert station.timezone == ""
    assert station.zone.key == "Asia/Oral"


# COORDINATES, ACCESSIBILITY, CONTACT PHONE


def test_a_station_has_both_coordinates_or_neither():
    station = PollingStationFactory.build(
        precinct_commission=PrecinctCommissionFactory(), latitude=Decimal("51.128207")
    )
    station.region = station.precinct_commission.region
    with pytest.raises(ValidationError, match="both the latitude and the longitude"):
        station.full_clean()


@pytest.mark.parametrize(
    ("latitude", "longitude", "constraint"),
    [
        (Decimal("90.000001"), Decimal("0"), "polling_pollingstation_latitude_range"),
        (Decimal("-90.5"), Decimal("0"), "polling_pollingstation_latitude_range"),
        (Decimal("0"), Decimal("180.5"), "polling_pollingstation_longitude_range"),
        (Decimal("0"), Decimal("-180.5"), "polling_pollingstation_longitude_range"),
    ],
)
def test_the_database_keeps_coordinates_in_range(latitude, longitude, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        PollingStationFactory(latitude=latitude, longitude=longitude)


def test_coordinates_at_the_edges_are_accepted():
    station = PollingStationFactory(latitude=Decimal("-90"), longitude=Decimal("180"))
    station.full_clean()


def test_a_stations_phone_is_stored_in_international_form():
    station = PollingStationFactory(phone="8 (7172) 12-34-56")
    station.refresh_from_db()
    assert station.phone == "+77172123456"


def test_a_stations_phone_that_is_not_a_number_is_refused():
    station = PollingStationFactory()
    station.phone = "call the akimat"
    with pytest.raises(ValidationError) as excinfo:
        station.full_clean()
    assert "phone" in excinfo.value.message_dict


def test_the_voting_hours_decision_factory_builds_a_valid_row():
    VotingHoursDecisionFactory().full_clean()


def test_an_election_votes_from_0700_to_2000_by_default():
    election = ElectionFactory()
    assert (election.voting_opens_at, election.voting_closes_at) == (time(7, 0), time(20, 0))


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(time(5, 59), time(20, 0)), (time(7, 0), time(22, 1)), (time(20, 0), time(7, 0))],
)
def test_an_elections_default_hours_keep_within_the_law(opens, closes):
    with (
        pytest.raises(IntegrityError, match="commissions_election_voting_hours"),
        transaction.atomic(),
    ):
        ElectionFactory(voting_opens_at=opens, voting_closes_at=closes)
