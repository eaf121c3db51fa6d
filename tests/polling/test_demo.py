"""The polling demo: stations in both zones of 2023 and abroad, and voting hours decisions
published before 9 March 2023 through the services, loaded once however often it runs."""

import datetime

import pytest

from commissions import demo as commissions_demo
from commissions.models import Election
from core.demo import Demo
from polling import demo
from polling.choices import DecisionStatus
from polling.models import PollingStation, VotingHoursDecision
from polling.selectors import effective_hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    commissions_demo.load(Demo())
    demo.load(Demo())


def station(region, number):
    return PollingStation.objects.get(precinct_commission__region__code=region, number=number)


def test_every_decision_is_published_before_9_march_2023(loaded):
    decisions = VotingHoursDecision.objects.all()
    assert decisions.count() == 10  # five for each election of 19 March 2023
    assert set(decisions.values_list("status", flat=True)) == {DecisionStatus.PUBLISHED}
    for decision in decisions:
        local = decision.published_at.astimezone(decision.commission.region.zone)
        assert local.date() < datetime.date(2023, 3, 9)
        assert decision.adopted_on < datetime.date(2023, 3, 9)


def test_stations_in_both_zones_open_at_0600(loaded):
    mazhilis = Election.objects.get(kind="mazhilis")
    shift_camp, _closing, _decision = effective_hours(station("mangystau", 540), mazhilis)
    mine, _closing, _decision = effective_hours(station("karaganda", 612), mazhilis)
    assert shift_camp.isoformat() == "2023-03-19T06:00:00+05:00"
    assert mine.isoformat() == "2023-03-19T06:00:00+06:00"


def test_the_hospital_closes_at_the_superseding_decisions_time(loaded):
    for election in Election.objects.filter(election_day=datetime.date(2023, 3, 19)):
        _opening, closing, decision = effective_hours(station("astana", 230), election)
        assert closing.isoformat() == "2023-03-19T19:00:00+06:00"
        assert decision.number == "23/1"
        assert decision.supersedes.number == "21/3"
        assert decision.early_closing_allowed


def test_a_second_load_writes_nothing(loaded):
    again = Demo()
    demo.load(again)
    assert again.written[VotingHoursDecision, "created"] == 0
    assert again.written[PollingStation, "updated"] == 0
