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
    PrecinctCommissionFactory,
    RegionFactory,
    TerritorialCommissionFactory,
)
from tests.polling.factories import PollingStationFactory

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
