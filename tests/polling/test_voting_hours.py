"""Voting hours decisions: the one rule (`voting_hours_decision_check`) at its boundaries, and
the services from draft to publication and supersession, with their scope."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.choices import Role
from polling import services
from polling.choices import DecisionStatus, SpecialKind
from polling.models import VotingHoursDecision
from tests.commissions.factories import CecFactory
from tests.core.factories import UserFactory
from tests.polling.factories import PollingStationFactory, VotingHoursDecisionFactory
from tests.polling.hours import (
    ALMATY,
    AQTOBE,
    PUBLISHED_AT,
    draft,
    election_2023,
    publish,
    published,
    staff,
    station_abroad,
    station_in,
)

pytestmark = pytest.mark.django_db

T = datetime.time


def messages(excinfo, field):
    return [str(m) for m in excinfo.value.message_dict[field]]


# THE RULE AT ITS BOUNDARIES


@pytest.mark.parametrize("opens_at", [T(6, 0), T(6, 30)])
def test_an_opening_from_0600_is_accepted(opens_at):
    decision = draft(station_in(), election_2023(), opens_at=opens_at)
    assert decision.opens_at == opens_at


def test_an_opening_at_0559_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        draft(station_in(), election_2023(), opens_at=T(5, 59))
    assert messages(excinfo, "opens_at") == [services.HOURS_OUTSIDE_LAW.format(time="05:59")]
    assert not VotingHoursDecision.objects.exists()


def test_a_closing_at_2200_is_accepted():
    decision = draft(station_in(), election_2023(), opens_at=None, closes_at=T(22, 0))
    assert decision.closes_at == T(22, 0)


def test_a_closing_at_2201_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        draft(station_in(), election_2023(), opens_at=None, closes_at=T(22, 1))
    assert messages(excinfo, "closes_at") == [services.HOURS_OUTSIDE_LAW.format(time="22:01")]


def test_a_decision_sets_at_least_one_time():
    with pytest.raises(ValidationError) as excinfo:
        draft(station_in(), election_2023(), opens_at=None, closes_at=None)
    assert str(services.NO_TIME_SET) in excinfo.value.messages


def test_an_opening_is_checked_against_the_elections_usual_closing():
    election = election_2023(voting_closes_at=T(20, 0))
    with pytest.raises(ValidationError) as excinfo:
        draft(station_in(), election, opens_at=T(20, 0))
    assert messages(excinfo, "opens_at") == [
        services.OPENING_NOT_BEFORE_CLOSING.format(opening="20:00", closing="20:00")
    ]


def test_a_closing_is_checked_against_the_elections_usual_opening():
    with pytest.raises(ValidationError) as excinfo:
        draft(station_in(), election_2023(), opens_at=None, closes_at=T(7, 0))
    assert messages(excinfo, "closes_at") == [
        services.OPENING_NOT_BEFORE_CLOSING.format(opening="07:00", closing="07:00")
    ]


def test_both_times_set_open_before_closing():
    with pytest.raises(ValidationError) as excinfo:
        draft(station_in(), election_2023(), opens_at=T(21, 0), closes_at=T(8, 0))
    assert messages(excinfo, "closes_at") == [
        services.OPENING_NOT_BEFORE_CLOSING.format(opening="21:00", closing="08:00")
    ]


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"opens_at": T(5, 59)}, "polling_votinghoursdecision_within_law"),
        ({"opens_at": None, "closes_at": T(22, 1)}, "polling_votinghoursdecision_within_law"),
        ({"opens_at": None, "closes_at": None}, "polling_votinghoursdecision_some_time"),
        (
            {"opens_at": T(9, 0), "closes_at": T(8, 0)},
            "polling_votinghoursdecision_opens_before_closing",
        ),
    ],
)
def test_the_database_holds_the_single_row_rules(fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        VotingHoursDecisionFactory(**fields)


def test_a_station_outside_the_commissions_territory_is_refused():
    station = station_in()
    elsewhere = station_in()
    with pytest.raises(ValidationError) as excinfo:
        draft(station, election_2023(), stations=[station, elsewhere])
    assert messages(excinfo, "stations") == [
        services.STATIONS_OUTSIDE_TERRITORY.format(numbers=elsewhere.number)
    ]


def test_a_station_abroad_belongs_to_its_precinct_commissions_region():
    home = station_in()
    embassy = station_abroad("Europe/London", "GB", home=home.region)
    decision = draft(home, election_2023(), stations=[home, embassy])
    assert set(decision.stations.all()) == {home, embassy}


def test_early_closing_is_only_for_special_stations():
    hospital = station_in(special_kind=SpecialKind.HOSPITAL)
    school = PollingStationFactory(precinct_commission__parent=hospital.precinct_commission.parent)
    with pytest.raises(ValidationError) as excinfo:
        draft(hospital, election_2023(), stations=[hospital, school], early_closing_allowed=True)
    assert messages(excinfo, "early_closing_allowed") == [
        services.EARLY_CLOSING_NOT_SPECIAL.format(numbers=school.number)
    ]
    assert draft(hospital, election_2023(kind="maslikhat"), early_closing_allowed=True).pk


def test_the_informing_deadline_is_ten_days_before_election_day_in_the_commissions_zone():
    station = station_in("Asia/Aqtobe")
    deadline = services.informing_deadline(election_2023(), station.precinct_commission.parent)
    assert deadline == datetime.datetime(2023, 3, 10, 0, 0, tzinfo=AQTOBE)


def test_adopted_on_9_march_is_in_time_and_on_10_march_too_late():
    station = station_in()
    election = election_2023()
    services.voting_hours_decision_adopt(
        actor=None, decision=draft(station, election), on=datetime.date(2023, 3, 9)
    )
    late = draft(station, election, number="2/1")
    with pytest.raises(ValidationError) as excinfo:
        services.voting_hours_decision_adopt(
            actor=None, decision=late, on=datetime.date(2023, 3, 10)
        )
    assert messages(excinfo, "adopted_on") == [
        services.ADOPTED_TOO_LATE.format(deadline="10.03.2023 00:00", day="10.03.2023")
    ]
    late.refresh_from_db()
    assert late.status == DecisionStatus.DRAFT


def test_publication_by_the_deadline_is_in_time_and_after_it_too_late():
    station = station_in("Asia/Aqtobe")
    election = election_2023()
    deadline = datetime.datetime(2023, 3, 10, 0, 0, tzinfo=AQTOBE)
    in_time = publish(draft(station, election), at=deadline)
    assert in_time.status == DecisionStatus.PUBLISHED
    other = station_in("Asia/Aqtobe")
    late = draft(other, election, number="2/1")
    services.voting_hours_decision_adopt(actor=None, decision=late, on=datetime.date(2023, 3, 9))
    with pytest.raises(ValidationError) as excinfo:
        services.voting_hours_decision_publish(
            actor=None, decision=late, at=deadline + datetime.timedelta(seconds=1)
        )
    assert messages(excinfo, "published_at") == [
        services.PUBLISHED_TOO_LATE.format(deadline="10.03.2023 00:00")
    ]


def test_the_deadline_is_a_setting(settings):
    settings.VOTING_HOURS_INFORM_DEADLINE = "E-12 18:00"
    station = station_in()
    with pytest.raises(ValidationError, match="07.03.2023 18:00"):
        services.voting_hours_decision_adopt(
            actor=None, decision=draft(station, election_2023()), on=datetime.date(2023, 3, 8)
        )


def test_a_decision_is_adopted_with_stations():
    station = station_in()
    decision = draft(station, election_2023(), stations=[])
    with pytest.raises(ValidationError) as excinfo:
        services.voting_hours_decision_adopt(
            actor=None, decision=decision, on=datetime.date(2023, 3, 1)
        )
    assert messages(excinfo, "stations") == [str(services.NO_STATIONS)]


def test_a_decision_is_not_published_before_it_is_adopted():
    decision = draft(station_in(), election_2023())
    services.voting_hours_decision_adopt(
        actor=None, decision=decision, on=datetime.date(2023, 3, 6)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.voting_hours_decision_publish(
            actor=None, decision=decision, at=datetime.datetime(2023, 3, 5, 12, tzinfo=ALMATY)
        )
    assert messages(excinfo, "published_at") == [
        services.PUBLISHED_BEFORE_ADOPTED.format(day="06.03.2023")
    ]


def test_a_reason_other_than_those_listed_is_given_in_words():
    from polling.choices import HoursReason

    station = station_in()
    election = election_2023()
    with pytest.raises(ValidationError) as excinfo:
        draft(station, election, reason_kind=HoursReason.OTHER, reason="")
    assert messages(excinfo, "reason") == [str(services.REASON_REQUIRED)]
    decision = draft(station, election, reason_kind=HoursReason.OTHER, reason_kk="Кеншілер")
    assert decision.reason_kk == "Кеншілер"


# SERVICES: STATES, IMMUTABILITY, SUPERSEDING


def test_a_decision_goes_from_draft_to_adopted_to_published_audited_as_the_actor():
    station = station_in()
    actor = staff(station.precinct_commission.parent)
    decision = draft(station, election_2023(), actor=actor)
    assert decision.status == DecisionStatus.DRAFT
    publish(decision, actor=actor)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PUBLISHED
    assert decision.adopted_on == datetime.date(2023, 3, 3)
    assert decision.published_at == PUBLISHED_AT
    entries = LogEntry.objects.get_for_object(decision)
    assert entries.count() >= 3
    assert {entry.actor for entry in entries} == {actor}


def test_a_draft_can_be_changed():
    station = station_in()
    decision = draft(station, election_2023())
    services.voting_hours_decision_update(actor=None, decision=decision, opens_at=T(6, 30))
    decision.refresh_from_db()
    assert decision.opens_at == T(6, 30)


def test_a_draft_change_keeps_to_the_rule():
    decision = draft(station_in(), election_2023())
    with pytest.raises(ValidationError) as excinfo:
        services.voting_hours_decision_update(actor=None, decision=decision, opens_at=T(5, 0))
    assert messages(excinfo, "opens_at") == [services.HOURS_OUTSIDE_LAW.format(time="05:00")]
    decision.refresh_from_db()
    assert decision.opens_at == T(6, 0)


@pytest.mark.parametrize("adopted_only", [True, False])
def test_an_adopted_or_published_decision_cannot_be_changed(adopted_only):
    decision = draft(station_in(), election_2023())
    if adopted_only:
        services.voting_hours_decision_adopt(
            actor=None, decision=decision, on=datetime.date(2023, 3, 3)
        )
    else:
        publish(decision)
    with pytest.raises(ValidationError, match="Only a draft decision can be changed"):
        services.voting_hours_decision_update(actor=None, decision=decision, opens_at=T(6, 30))
    with pytest.raises(ValidationError):
        services.voting_hours_decision_adopt(actor=None, decision=decision)
    decision.refresh_from_db()
    assert decision.opens_at == T(6, 0)


def test_the_election_and_commission_of_a_decision_are_fixed():
    decision = draft(station_in(), election_2023())
    with pytest.raises(ValueError, match="election"):
        services.voting_hours_decision_update(
            actor=None, decision=decision, election=election_2023(kind="maslikhat")
        )


def test_a_published_decision_is_superseded_by_a_new_one_with_its_content():
    station = station_in()
    election = election_2023()
    old = published(station, election, closes_at=T(21, 0))
    new = services.voting_hours_decision_supersede(
        actor=None, decision=old, number="7/2", opens_at=T(6, 30)
    )
    assert new.supersedes == old
    assert new.status == DecisionStatus.DRAFT
    assert (new.election, new.commission) == (election, old.commission)
    assert (new.opens_at, new.closes_at, new.reason_kind) == (T(6, 30), T(21, 0), old.reason_kind)
    assert new.reason_en == old.reason_en
    assert list(new.stations.all()) == [station]


def test_superseding_names_the_old_decisions_election_or_is_refused():
    """A form that asks for the election must not see its choice moved silently to the old
    decision's: another election (or commission) is refused on "supersedes"."""
    station = station_in()
    old = published(station, election_2023())
    other = election_2023(kind="maslikhat")
    with pytest.raises(ValidationError) as refused:
        services.voting_hours_decision_supersede(
            actor=None, decision=old, number="2/1", election=other, commission=old.commission
        )
    assert "supersedes" in refused.value.message_dict
    assert not VotingHoursDecision.objects.filter(supersedes=old).exists()
    new = services.voting_hours_decision_supersede(
        actor=None, decision=old, number="2/1", election=old.election, commission=old.commission
    )
    assert new.election == old.election


def test_a_decision_is_superseded_once():
    old = published(station_in(), election_2023())
    services.voting_hours_decision_supersede(actor=None, decision=old, number="2/1")
    with pytest.raises(ValidationError, match="already superseded by decision No. 2/1"):
        services.voting_hours_decision_supersede(actor=None, decision=old, number="3/1")


def test_only_a_published_decision_is_superseded():
    decision = draft(station_in(), election_2023())
    with pytest.raises(ValidationError, match="Only a published decision"):
        services.voting_hours_decision_supersede(actor=None, decision=decision, number="2/1")


def test_a_station_gets_its_hours_from_one_decision_in_force():
    station = station_in()
    election = election_2023()
    published(station, election)
    second = draft(station, election, number="2/1", closes_at=T(21, 0))
    services.voting_hours_decision_adopt(actor=None, decision=second, on=datetime.date(2023, 3, 4))
    with pytest.raises(ValidationError) as excinfo:
        services.voting_hours_decision_publish(actor=None, decision=second, at=PUBLISHED_AT)
    assert messages(excinfo, "stations") == [
        services.STATION_HOURS_ALREADY_SET.format(station=station.number, number="1/1")
    ]


def test_the_number_is_unique_for_a_commission_and_election():
    station = station_in()
    election = election_2023()
    draft(station, election, number="5/1")
    with pytest.raises(ValidationError, match="decision with this number"):
        draft(station, election, number="5/1")


# SCOPE


def test_territorial_staff_decide_for_their_own_territory():
    station = station_in()
    actor = staff(station.precinct_commission.parent)
    assert draft(station, election_2023(), actor=actor).pk


def test_cec_staff_decide_for_any_territorial_commission():
    station = station_in()
    actor = staff(CecFactory(), Role.CEC_STAFF)
    decision = publish(draft(station, election_2023(), actor=actor), actor=actor)
    assert decision.status == DecisionStatus.PUBLISHED


def test_territorial_staff_of_another_region_are_refused():
    station = station_in()
    actor = staff(station_in().precinct_commission.parent)
    with pytest.raises(PermissionDenied, match=str(services.DECISION_OUTSIDE_SCOPE)):
        draft(station, election_2023(), actor=actor)
    decision = draft(station, election_2023(kind="maslikhat"))
    for call in (
        lambda: services.voting_hours_decision_update(
            actor=actor, decision=decision, opens_at=T(6, 30)
        ),
        lambda: services.voting_hours_decision_adopt(actor=actor, decision=decision),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not VotingHoursDecision.objects.exclude(status=DecisionStatus.DRAFT).exists()


def test_a_precinct_member_is_refused():
    station = station_in()
    actor = staff(station.precinct_commission, Role.PRECINCT_MEMBER)
    with pytest.raises(PermissionDenied):
        draft(station, election_2023(), actor=actor)


def test_an_anonymous_caller_is_refused():
    from django.contrib.auth.models import AnonymousUser

    station = station_in()
    with pytest.raises(PermissionDenied):
        draft(station, election_2023(), actor=AnonymousUser())
    decision = published(station, election_2023(kind="maslikhat"))
    with pytest.raises(PermissionDenied):
        services.voting_hours_decision_supersede(
            actor=AnonymousUser(), decision=decision, number="9/9"
        )


def test_the_public_sees_only_published_decisions():
    station = station_in()
    decision = draft(station, election_2023())
    visible = VotingHoursDecision.objects.restrict(UserFactory(password=None), "view")
    assert not visible.exists()
    publish(decision)
    assert list(VotingHoursDecision.objects.restrict(None, "view")) == [decision]
