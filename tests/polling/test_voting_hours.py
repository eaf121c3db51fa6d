"""Voting hours decisions: the one rule (`voting_hours_decision_check`) at its boundaries, and
the services from draft to publication and supersession, with their scope."""

import datetime
import zoneinfo

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from core.choices import Role
from polling import services
from polling.choices import DecisionStatus, SpecialKind
from polling.models import VotingHoursDecision
from tests.commissions.factories import CecFactory
from tests.core.factories import UserFactory
from tests.polling.factories import PollingStationFactory, VotingHoursDecisionFactory
from tests.polling.hours import (
    ADOPTED_ON,
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


def end_of_9_march():
    """The informing deadline of the 2023 election (midnight of 10 March) as staff read it, in
    the active language (translations land later)."""
    return str(services.DEADLINE_END_OF_DAY).format(day="09.03.2023")


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
        (
            {"status": DecisionStatus.WITHDRAWN, "adopted_on": datetime.date(2023, 3, 3)},
            "polling_votinghoursdecision_withdrawal",
        ),
        (
            {"withdrawal_reason": "Not withdrawn, yet a reason."},
            "polling_votinghoursdecision_withdrawal",
        ),
        (
            {
                "status": DecisionStatus.WITHDRAWN,
                "withdrawal_reason": "Never adopted.",
                "withdrawn_at": datetime.datetime(2023, 3, 4, tzinfo=datetime.UTC),
            },
            "polling_votinghoursdecision_dates_for_status",
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
        services.ADOPTED_TOO_LATE.format(deadline=end_of_9_march(), day="10.03.2023")
    ]
    late.refresh_from_db()
    assert late.status == DecisionStatus.DRAFT


@pytest.mark.parametrize("zone", ["Asia/Almaty", "Asia/Aqtobe"])
def test_a_draft_warns_once_it_can_no_longer_be_adopted_in_the_commissions_zone(zone):
    decision = draft(station_in(zone), election_2023())
    local = zoneinfo.ZoneInfo(zone)
    last_day = datetime.datetime(2023, 3, 9, 23, 59, tzinfo=local)
    assert services.voting_hours_decision_late_warning(decision, now=last_day) is None
    warning = services.voting_hours_decision_late_warning(
        decision, now=last_day + datetime.timedelta(minutes=1)
    )
    assert warning == services.DRAFT_PAST_DEADLINE.format(deadline=end_of_9_march())
    # The same rule as adoption's: adopting on that day is refused.
    with pytest.raises(ValidationError, match="cannot be adopted on 10.03.2023"):
        services.voting_hours_decision_adopt(
            actor=None, decision=decision, on=datetime.date(2023, 3, 10)
        )


def test_a_decision_that_is_no_draft_has_no_deadline_warning():
    decision = published(station_in(), election_2023())
    late = datetime.datetime(2023, 3, 18, tzinfo=ALMATY)
    assert services.voting_hours_decision_late_warning(decision, now=late) is None


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
        services.PUBLISHED_TOO_LATE.format(deadline=end_of_9_march())
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


def test_a_midnight_deadline_is_shown_as_the_end_of_the_day_before():
    midnight = datetime.datetime(2023, 3, 10, 0, 0, tzinfo=ALMATY)
    assert services.deadline_shown(midnight) == "09.03.2023, end of the day"
    with translation.override("ru"):
        assert services.deadline_shown(midnight) == str(services.DEADLINE_END_OF_DAY).format(
            day="09.03.2023"
        )
    assert services.deadline_shown(midnight.replace(hour=18, minute=30)) == "10.03.2023 18:30"
    # In another zone the same instant is another local time.
    assert services.deadline_shown(midnight, AQTOBE) == "09.03.2023 23:00"


def test_a_decision_for_a_station_another_in_force_sets_is_not_even_adopted():
    station = station_in()
    election = election_2023()
    published(station, election)
    second = draft(station, election, number="2/1", closes_at=T(21, 0))
    with pytest.raises(ValidationError) as excinfo:
        services.voting_hours_decision_adopt(
            actor=None, decision=second, on=datetime.date(2023, 3, 4)
        )
    assert messages(excinfo, "stations") == [
        services.STATION_HOURS_ALREADY_SET.format(station=station.number, number="1/1")
    ]
    second.refresh_from_db()
    assert second.status == DecisionStatus.DRAFT


def test_of_two_adopted_decisions_for_one_station_only_the_first_is_published():
    station = station_in()
    election = election_2023()
    first = draft(station, election, number="1/1")
    second = draft(station, election, number="2/1", closes_at=T(21, 0))
    for decision in (first, second):
        services.voting_hours_decision_adopt(actor=None, decision=decision, on=ADOPTED_ON)
    services.voting_hours_decision_publish(actor=None, decision=first, at=PUBLISHED_AT)
    with pytest.raises(ValidationError) as excinfo:
        services.voting_hours_decision_publish(actor=None, decision=second, at=PUBLISHED_AT)
    assert messages(excinfo, "stations") == [
        services.STATION_HOURS_ALREADY_SET.format(station=station.number, number="1/1")
    ]


def test_a_new_decision_not_superseding_the_one_in_force_is_not_adopted():
    """A decision superseded already: its station is set by its successor, which the new
    decision must supersede (the admin's "Supersede…" of a superseded decision, #9 trial)."""
    station = station_in()
    election = election_2023()
    old = published(station, election)
    successor = services.voting_hours_decision_supersede(
        actor=None, decision=old, number="2/1", closes_at=T(21, 0)
    )
    publish(successor)
    stray = draft(station, election, number="3/1", closes_at=T(21, 30))
    with pytest.raises(ValidationError) as excinfo:
        services.voting_hours_decision_adopt(actor=None, decision=stray, on=ADOPTED_ON)
    assert messages(excinfo, "stations") == [
        services.STATION_HOURS_ALREADY_SET.format(station=station.number, number="2/1")
    ]


def test_the_number_is_unique_for_a_commission_and_election():
    station = station_in()
    election = election_2023()
    draft(station, election, number="5/1")
    with pytest.raises(ValidationError, match="decision with this number"):
        draft(station, election, number="5/1")


# WITHDRAWAL OF AN ADOPTED DECISION NEVER PUBLISHED

WITHDRAWN_AT = datetime.datetime(2023, 3, 4, 9, 0, tzinfo=ALMATY)


def adopted(station, election, **fields):
    decision = draft(station, election, **fields)
    return services.voting_hours_decision_adopt(actor=None, decision=decision, on=ADOPTED_ON)


def withdraw(decision, *, actor=None, reason="Adopted for the wrong station.", at=WITHDRAWN_AT):
    return services.voting_hours_decision_withdraw(
        actor=actor, decision=decision, reason=reason, at=at
    )


def test_an_adopted_decision_is_withdrawn_with_its_reason_who_and_when_audited():
    station = station_in()
    actor = staff(station.precinct_commission.parent)
    decision = adopted(station, election_2023())

    withdraw(decision, actor=actor, reason="  Adopted for the wrong station. ")

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.WITHDRAWN
    assert decision.withdrawal_reason == "Adopted for the wrong station."
    assert (decision.withdrawn_by, decision.withdrawn_at) == (actor, WITHDRAWN_AT)
    assert decision.adopted_on == ADOPTED_ON  # what was adopted stays on record
    entry = LogEntry.objects.get_for_object(decision).order_by("pk").last()
    assert entry.actor == actor
    assert entry.changes_dict["status"] == [DecisionStatus.ADOPTED, DecisionStatus.WITHDRAWN]


def test_a_published_decision_is_not_withdrawn_but_superseded():
    decision = published(station_in(), election_2023())
    with pytest.raises(ValidationError) as excinfo:
        withdraw(decision)
    assert excinfo.value.messages == [str(services.PUBLISHED_NOT_WITHDRAWN)]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PUBLISHED


@pytest.mark.parametrize("twice", [False, True])
def test_only_an_adopted_decision_is_withdrawn(twice):
    decision = draft(station_in(), election_2023())
    if twice:
        services.voting_hours_decision_adopt(actor=None, decision=decision, on=ADOPTED_ON)
        withdraw(decision)
    with pytest.raises(ValidationError, match="Only an adopted decision can be withdrawn"):
        withdraw(decision, reason="Again.")
    decision.refresh_from_db()
    assert decision.withdrawal_reason == ("Adopted for the wrong station." if twice else "")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_withdrawal_says_why(reason):
    decision = adopted(station_in(), election_2023())
    with pytest.raises(ValidationError) as excinfo:
        withdraw(decision, reason=reason)
    assert messages(excinfo, "withdrawal_reason") == [str(services.WITHDRAWAL_REASON_REQUIRED)]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED


def test_a_withdrawn_decision_is_neither_published_nor_adopted_again():
    decision = withdraw(adopted(station_in(), election_2023()))
    with pytest.raises(ValidationError, match="Only an adopted decision can be published"):
        services.voting_hours_decision_publish(actor=None, decision=decision, at=PUBLISHED_AT)
    with pytest.raises(ValidationError, match="Only a draft decision can be adopted"):
        services.voting_hours_decision_adopt(actor=None, decision=decision)
    with pytest.raises(ValidationError, match="Only a draft decision can be changed"):
        services.voting_hours_decision_update(actor=None, decision=decision, opens_at=T(6, 30))


def test_territorial_staff_of_another_region_cannot_withdraw():
    decision = adopted(station_in(), election_2023())
    outsider = staff(station_in().precinct_commission.parent)
    with pytest.raises(PermissionDenied, match=str(services.DECISION_OUTSIDE_SCOPE)):
        withdraw(decision, actor=outsider)
    precinct_member = staff(decision.stations.get().precinct_commission, Role.PRECINCT_MEMBER)
    with pytest.raises(PermissionDenied):
        withdraw(decision, actor=precinct_member)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED


def test_cec_staff_withdraw_any_commissions_decision():
    decision = adopted(station_in(), election_2023())
    withdraw(decision, actor=staff(CecFactory(), Role.CEC_STAFF))
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.WITHDRAWN


def test_a_withdrawn_decision_sets_no_hours_and_lets_another_set_them():
    from polling.selectors import effective_hours

    station = station_in()
    election = election_2023()
    wrong = withdraw(adopted(station, election, opens_at=T(6, 0)))
    assert not VotingHoursDecision.objects.in_force().exists()
    right = published(station, election, number="1/2", opens_at=T(6, 30))
    assert list(VotingHoursDecision.objects.in_force()) == [right]
    assert effective_hours(station, election)[0].time() == T(6, 30)
    assert wrong not in VotingHoursDecision.objects.restrict(None, "view")


def test_the_public_api_and_pages_never_show_a_withdrawn_decision(api_client, client):
    station = station_in()
    election = election_2023()
    wrong = withdraw(adopted(station, election))
    right = published(station, election, number="1/2", opens_at=T(6, 30))
    rows = api_client.get("/api/v1/voting-hours-decisions/").json()["results"]
    assert [row["id"] for row in rows] == [right.pk]
    assert api_client.get(f"/api/v1/voting-hours-decisions/{wrong.pk}/").status_code == 404
    page = client.get(f"/en/polling/stations/{station.pk}/?election={election.pk}")
    assert page.status_code == 200
    assert "06:30" in page.content.decode()


def test_a_withdrawn_successor_lets_the_decision_be_superseded_again():
    station = station_in()
    election = election_2023()
    old = published(station, election, closes_at=T(21, 0))
    wrong = services.voting_hours_decision_supersede(actor=None, decision=old, number="2/1")
    services.voting_hours_decision_adopt(actor=None, decision=wrong, on=ADOPTED_ON)
    withdraw(wrong)
    assert list(VotingHoursDecision.objects.in_force()) == [old]
    assert old.successor() is None

    right = services.voting_hours_decision_supersede(
        actor=None, decision=old, number="3/1", closes_at=T(21, 30)
    )
    publish(right, at=PUBLISHED_AT + datetime.timedelta(hours=1))

    assert old.successor() == right
    assert list(VotingHoursDecision.objects.in_force()) == [right]


def test_the_database_supersedes_a_decision_once_but_for_withdrawn_successors():
    station = station_in()
    election = election_2023()
    old = published(station, election)
    services.voting_hours_decision_supersede(actor=None, decision=old, number="2/1")
    with pytest.raises(IntegrityError), transaction.atomic():
        VotingHoursDecisionFactory(
            election=election, commission=old.commission, number="3/1", supersedes=old
        )


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
