"""What the public and the agencies read of accreditation: statistics, days, lists, badge codes."""

import datetime

import pytest
from django.utils import translation

from commissions.choices import ElectionKind
from observers import selectors, services
from observers.selectors import observer_stats
from tests.commissions.factories import ElectionFactory
from tests.observers.factories import (
    E_DAY,
    MARCH_1,
    MARCH_6,
    MARCH_7,
    Desk,
    ObserverFactory,
    association,
    at,
    organization,
    person,
    state,
)

pytestmark = pytest.mark.django_db

PERSONAL_COLUMNS = {"date_of_birth", "document_number", "photo"}


@pytest.fixture
def election():
    return ElectionFactory(election_day=E_DAY, name_en="Mazhilis 2023")


@pytest.fixture
def desk(election):
    return Desk(election)


@pytest.fixture
def two_days(desk):
    """On 6 March: 2 from Germany, 1 from the US, 3 from the CIS mission. On 7 March: 1 from
    Germany, 2 from Turkey, 1 from the CIS mission, 4 from the OTS."""
    germany, usa, turkey = state("DE"), state("US"), state("TR")
    cis = organization(name_en="CIS Observer Mission", name_ru="Миссия наблюдателей от СНГ")
    ots = organization(name_en="Organization of Turkic States", short_name_en="OTS")
    desk.accredit_many(germany, MARCH_6, 2)
    desk.accredit_many(usa, MARCH_6, 1)
    desk.accredit_many(cis, MARCH_6, 3)
    desk.accredit_many(germany, MARCH_7, 1)
    desk.accredit_many(turkey, MARCH_7, 2)
    desk.accredit_many(cis, MARCH_7, 1)
    desk.accredit_many(ots, MARCH_7, 4)
    return desk


# STATISTICS


def test_a_days_figures_count_only_that_days_accreditations(election, two_days):
    stats = observer_stats(election=election, day=MARCH_7)
    assert (stats.observers, stats.states, stats.organizations) == (8, 2, 2)
    assert stats.by_state == {"TR": 2, "DE": 1}
    assert stats.by_organization == {"Organization of Turkic States": 4, "CIS Observer Mission": 1}


def test_cumulative_figures_count_every_day_up_to_and_including_the_last(election, two_days):
    stats = observer_stats(election=election, until=MARCH_7)
    assert (stats.observers, stats.states, stats.organizations) == (14, 3, 2)
    assert stats.by_state == {"DE": 3, "TR": 2, "US": 1}
    assert stats.by_organization == {"Organization of Turkic States": 4, "CIS Observer Mission": 4}


def test_cumulative_figures_leave_out_later_days(election, two_days):
    stats = observer_stats(election=election, until=MARCH_6)
    assert (stats.observers, stats.states, stats.organizations) == (6, 2, 1)


def test_without_a_day_the_figures_count_every_accreditation(election, two_days):
    assert observer_stats(election=election).observers == 14


def test_a_day_and_an_until_date_together_are_refused(election):
    with pytest.raises(ValueError):
        observer_stats(election=election, day=MARCH_7, until=MARCH_7)


def test_a_revoked_accreditation_still_counts_on_the_day_it_was_granted(election, desk):
    germany = state("DE")
    desk.accredit(germany, MARCH_6, revoke_on=MARCH_7)
    desk.accredit(germany, MARCH_6)
    on_the_6th = observer_stats(election=election, day=MARCH_6)
    assert (on_the_6th.observers, on_the_6th.revoked) == (2, 1)
    on_the_7th = observer_stats(election=election, day=MARCH_7)
    assert (on_the_7th.observers, on_the_7th.revoked) == (0, 0)


def test_domestic_observers_are_counted_apart(election, desk):
    desk.accredit(association(), MARCH_6)
    desk.accredit(association(), MARCH_6, revoke_on=MARCH_7)
    desk.accredit(state("DE"), MARCH_6)
    stats = observer_stats(election=election, day=MARCH_6)
    assert stats.domestic == 2
    assert (stats.observers, stats.states, stats.organizations, stats.revoked) == (1, 1, 0, 0)
    assert stats.by_organization == {}


def test_nominations_not_accredited_are_not_counted(election, desk):
    desk.accredit(state("DE"), MARCH_6)
    submitted = services.observer_nominate(
        actor=None, election=election, body=state("FR"), at=at(MARCH_6, 9), **person(1)
    )
    refused = services.observer_nominate(
        actor=None, election=election, body=state("IT"), at=at(MARCH_6, 9), **person(2)
    )
    services.observer_refuse(actor=None, observer=refused, reason="Late.", at=at(MARCH_6, 12))
    stats = observer_stats(election=election, day=MARCH_6)
    assert (stats.observers, stats.states) == (1, 1)
    assert submitted.pk and "FR" not in stats.by_state


def test_another_elections_accreditations_are_not_counted(election, desk):
    other = ElectionFactory(election_day=E_DAY, kind=ElectionKind.MASLIKHAT)
    Desk(other).accredit(state("DE"), MARCH_6)
    desk.accredit(state("US"), MARCH_6)
    assert observer_stats(election=election, day=MARCH_6).by_state == {"US": 1}


def test_organisations_are_named_in_the_active_language(election, two_days):
    with translation.override("ru"):
        stats = observer_stats(election=election, until=MARCH_7)
    assert stats.by_organization["Миссия наблюдателей от СНГ"] == 4
    # No Russian name: the English one (the fallback) stands.
    assert stats.by_organization["Organization of Turkic States"] == 4


def test_states_are_named_in_the_active_language_and_keyed_by_their_iso_code(election, desk):
    desk.accredit(state("DE"), MARCH_6)
    with translation.override("ru"):
        stats = observer_stats(election=election, day=MARCH_6)
    assert stats.by_state == {"DE": 1}
    assert stats.rows() == [("state", "DE", "Германия", 1)]


def test_rows_list_states_then_organisations_by_number_of_observers(election, two_days):
    rows = observer_stats(election=election, day=MARCH_7).rows()
    assert rows == [
        ("state", "TR", "Türkiye", 2),
        ("state", "DE", "Germany", 1),
        ("organization", "", "Organization of Turkic States", 4),
        ("organization", "", "CIS Observer Mission", 1),
    ]


def test_states_with_as_many_observers_are_in_the_order_of_their_names(election, desk):
    desk.accredit(state("HU"), MARCH_6)
    desk.accredit(state("DE"), MARCH_6)
    assert list(observer_stats(election=election, day=MARCH_6).by_state) == ["DE", "HU"]
    with translation.override("ru"):  # Венгрия before Германия
        assert list(observer_stats(election=election, day=MARCH_6).by_state) == ["HU", "DE"]


def test_an_organisations_short_name_labels_it_where_space_is_short(election, two_days):
    stats = observer_stats(election=election, day=MARCH_7)
    assert stats.short_names == {
        "Organization of Turkic States": "OTS",
        "CIS Observer Mission": "CIS Observer Mission",
    }


def test_the_statistics_keep_the_apis_keys(election, two_days):
    data = observer_stats(election=election, day=MARCH_7).as_dict()
    assert list(data) == [
        "election",
        "date",
        "until",
        "observers",
        "states",
        "organizations",
        "revoked",
        "domestic",
        "by_state",
        "by_organization",
    ]
    assert (data["election"], data["date"], data["until"]) == (election.pk, "2023-03-07", None)


def test_the_statistics_take_two_queries_however_many_bodies(
    election, two_days, django_assert_num_queries
):
    with django_assert_num_queries(2):
        observer_stats(election=election, until=MARCH_7)


# DAYS AND ELECTIONS


def test_accreditation_days_are_the_distinct_decision_days_in_order(election, two_days):
    refused = services.observer_nominate(
        actor=None, election=election, body=state("IT"), at=at(MARCH_1, 9), **person(1)
    )
    services.observer_refuse(actor=None, observer=refused, reason="Late.", at=at(MARCH_1, 12))
    assert selectors.accreditation_days(election) == [MARCH_6, MARCH_7]


def test_the_default_election_is_the_current_days_one_with_accreditations(election, desk):
    ElectionFactory(election_day=E_DAY, kind=ElectionKind.MASLIKHAT)
    desk.accredit(state("DE"), MARCH_6)
    # No other election day: the latest one, 19 March 2023, is current; the Mazhilis election
    # is the one with accreditations.
    assert selectors.default_election() == election


def test_the_default_election_is_the_latest_with_accreditations_when_the_current_has_none(
    election, desk
):
    desk.accredit(state("DE"), MARCH_6)
    ElectionFactory(election_day=datetime.date(2024, 5, 5))
    assert selectors.default_election() == election


def test_the_default_election_is_the_current_one_when_none_has_accreditations(election):
    later = ElectionFactory(election_day=datetime.date(2024, 5, 5))
    assert selectors.default_election() == later


def test_there_is_no_default_election_without_elections():
    assert selectors.default_election() is None


def test_elections_with_accreditations_leave_out_the_others(election, desk):
    ElectionFactory(election_day=datetime.date(2024, 5, 5))
    desk.accredit(state("DE"), MARCH_6)
    assert list(selectors.elections_with_accreditations()) == [election]


# PUBLIC LISTS AND BADGE CODES


def test_the_public_list_holds_valid_accreditations_only(election, desk):
    valid = desk.accredit(state("DE"), MARCH_6)
    desk.accredit(state("DE"), MARCH_6, revoke_on=MARCH_7)
    services.observer_nominate(
        actor=None, election=election, body=state("FR"), at=at(MARCH_6, 9), **person(1)
    )
    assert list(selectors.public_accredited(election)) == [valid]


def test_the_public_list_loads_no_personal_data(election, desk):
    desk.accredit(state("DE"), MARCH_6)
    observer = selectors.public_accredited(election).get()
    assert observer.get_deferred_fields() >= PERSONAL_COLUMNS


def test_the_revoked_list_has_the_latest_revocation_first(election, desk):
    germany = state("DE")
    first = desk.accredit(germany, MARCH_1, revoke_on=MARCH_6)
    second = desk.accredit(germany, MARCH_1, revoke_on=MARCH_7)
    desk.accredit(germany, MARCH_1)
    revoked = list(selectors.public_revoked(election))
    assert revoked == [second, first]
    assert revoked[0].get_deferred_fields() >= PERSONAL_COLUMNS


def test_public_bodies_are_those_with_accredited_observers(election, desk):
    germany, cis = state("DE"), organization(name_en="CIS Observer Mission")
    revoked_only = state("FR")
    organization(name_en="No nominees")
    desk.accredit(germany, MARCH_6)
    desk.accredit(cis, MARCH_6)
    desk.accredit(revoked_only, MARCH_6, revoke_on=MARCH_7)
    assert selectors.public_bodies(election) == [germany, cis]


def test_a_badge_code_finds_its_accreditation_without_personal_data(election, desk):
    observer = desk.accredit(state("DE"), MARCH_6)
    found = selectors.observer_by_code(observer.verification_code)
    assert found == observer
    assert found.get_deferred_fields() >= PERSONAL_COLUMNS


@pytest.mark.parametrize("code", ["", "x" * 65, "not-a-code", "abc\x00def", "abc def", "код"])
def test_an_unknown_badge_code_finds_nothing(election, desk, code):
    desk.accredit(state("DE"), MARCH_6)
    assert selectors.observer_by_code(code) is None


def test_a_nomination_without_a_decision_has_no_badge_code(election):
    nomination = ObserverFactory(election=election)
    assert nomination.verification_code is None
    assert selectors.observer_by_code("None") is None
