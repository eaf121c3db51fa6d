"""Voting hours decisions in the admin: each territorial commission's own, stations of its
territory, adopted and published by actions through the services, published ones read-only
and superseded from their page."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.messages import get_messages
from django.utils import timezone, translation

from core.choices import Role
from polling import admin as admin_module
from polling import services
from polling.choices import DecisionStatus, HoursReason, ProposingBody
from polling.models import HOURS_OUTSIDE_LAW, VotingHoursDecision
from tests.commissions.factories import CecFactory, ElectionFactory
from tests.polling.factories import PollingStationFactory
from tests.polling.hours import staff, station_in

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/polling/votinghoursdecision/"
ADD = CHANGELIST + "add/"


@pytest.fixture
def election():
    """An election whose informing deadline is still ahead."""
    return ElectionFactory(election_day=timezone.localdate() + datetime.timedelta(days=60))


@pytest.fixture
def station():
    return station_in()


@pytest.fixture
def territorial(client, station):
    user = staff(station.precinct_commission.parent)
    client.force_login(user)
    return user


def create(station, election, number="1/1", **fields):
    return services.voting_hours_decision_create(
        actor=None,
        election=election,
        commission=station.precinct_commission.parent,
        number=number,
        proposed_by=ProposingBody.AKIM,
        reason_kind=HoursReason.SHIFT_CAMP,
        opens_at=datetime.time(6, 0),
        stations=[station],
        **fields,
    )


def form_data(station, election, **fields):
    return {
        "election": election.pk,
        "commission": station.precinct_commission.parent.pk,
        "number": "3/7",
        "proposed_by": ProposingBody.PRECINCT_COMMISSION,
        "stations": [station.pk],
        "opens_at": "06:00",
        "closes_at": "",
        "reason_kind": HoursReason.SHIFT_CAMP,
        "reason_en": "Shift workers leave for the field at 07:00.",
        "reason_ru": "",
        "reason_kk": "",
        **fields,
    }


def errors(response):
    return [str(m) for m in response.context["adminform"].form.non_field_errors()] + [
        str(m) for field in response.context["adminform"].form.errors.values() for m in field
    ]


def test_territorial_staff_list_only_their_commissions_decisions(
    client, territorial, station, election
):
    own = create(station, election)
    other = create(station_in(), election)
    response = client.get(CHANGELIST)
    listed = {row.pk for row in response.context["cl"].result_list}
    assert listed == {own.pk}
    assert other.pk not in listed


def test_the_stations_offered_are_those_of_the_staffs_territory(client, territorial, station):
    PollingStationFactory(precinct_commission__parent=station.precinct_commission.parent)
    station_in()
    response = client.get(ADD)
    offered = response.context["adminform"].form.fields["stations"].queryset
    assert {s.precinct_commission.region_id for s in offered} == {station.region_id}
    assert offered.count() == 2


def test_a_draft_is_added_through_the_service_as_the_actor(client, territorial, station, election):
    response = client.post(ADD, form_data(station, election))
    assert response.status_code == 302, errors(response)
    decision = VotingHoursDecision.objects.get()
    assert (decision.number, decision.status) == ("3/7", DecisionStatus.DRAFT)
    assert list(decision.stations.all()) == [station]
    entry = LogEntry.objects.get_for_object(decision).get(action=LogEntry.Action.CREATE)
    assert entry.actor == territorial


def test_the_rule_refuses_on_the_form_and_nothing_is_saved(client, territorial, station, election):
    response = client.post(ADD, form_data(station, election, opens_at="05:59"))
    assert response.status_code == 200
    # The form checks the row's constraints before the service runs: their message.
    assert str(HOURS_OUTSIDE_LAW) in errors(response)
    assert not VotingHoursDecision.objects.exists()


def test_cec_staff_are_refused_a_station_outside_the_commissions_territory(
    client, station, election
):
    client.force_login(staff(CecFactory(), Role.CEC_STAFF))
    elsewhere = station_in()
    response = client.post(ADD, form_data(station, election, stations=[station.pk, elsewhere.pk]))
    assert response.status_code == 200
    assert services.STATIONS_OUTSIDE_TERRITORY.format(numbers=elsewhere.number) in errors(response)
    assert not VotingHoursDecision.objects.exists()


def test_drafts_are_adopted_then_published_by_the_actions(client, territorial, station, election):
    decision = create(station, election)
    response = client.post(
        CHANGELIST, {"action": "adopt", "_selected_action": [decision.pk]}, follow=True
    )
    assert "1 decision adopted." in [str(m) for m in get_messages(response.wsgi_request)]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [decision.pk]})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PUBLISHED
    assert LogEntry.objects.get_for_object(decision).latest("timestamp").actor == territorial


def test_an_action_the_service_refuses_says_why(client, territorial, station, election):
    decision = create(station, election)
    response = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [decision.pk]}, follow=True
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Only an adopted decision can be published" in m for m in shown)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def published_decision(station, election):
    decision = create(station, election)
    services.voting_hours_decision_adopt(actor=None, decision=decision)
    return services.voting_hours_decision_publish(actor=None, decision=decision)


def test_a_published_decision_is_read_only_and_offers_to_supersede_it(
    client, territorial, station, election
):
    decision = published_decision(station, election)
    url = f"{CHANGELIST}{decision.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert f"add/?supersedes={decision.pk}" in page.content.decode()
    assert not page.context["has_change_permission"]
    response = client.post(url, form_data(station, election, opens_at="06:30"))
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.opens_at == datetime.time(6, 0)


def test_superseding_from_the_admin_starts_from_the_old_decision(
    client, territorial, station, election
):
    old = published_decision(station, election)
    page = client.get(ADD, {"supersedes": old.pk})
    initial = page.context["adminform"].form.initial
    assert initial["opens_at"] == datetime.time(6, 0)
    assert initial["stations"] == [station.pk]
    response = client.post(
        ADD, form_data(station, election, number="1/2", supersedes=old.pk, opens_at="06:30")
    )
    assert response.status_code == 302, errors(response)
    new = VotingHoursDecision.objects.get(number="1/2")
    assert (new.supersedes, new.opens_at) == (old, datetime.time(6, 30))


def test_the_hours_are_plain_24_hour_inputs_showing_hours_and_minutes(
    client, territorial, station, election
):
    decision = create(station, election, closes_at=datetime.time(21, 30))
    page = client.get(f"{CHANGELIST}{decision.pk}/change/")
    html = page.content.decode()
    assert 'type="time"' in html and 'name="opens_at" value="06:00"' in html
    assert 'name="closes_at" value="21:30"' in html
    assert "06:00:00" not in html and "vTimeField" not in html
    data = form_data(station, election, opens_at="07:15")
    response = client.post(f"{CHANGELIST}{decision.pk}/change/", data)
    assert response.status_code == 302, errors(response)
    decision.refresh_from_db()
    assert decision.opens_at == datetime.time(7, 15)


def superseded_pair(station, election):
    old = published_decision(station, election)
    successor = services.voting_hours_decision_supersede(
        actor=None, decision=old, number="1/2", opens_at=datetime.time(6, 30)
    )
    services.voting_hours_decision_adopt(actor=None, decision=successor)
    services.voting_hours_decision_publish(actor=None, decision=successor)
    return old, successor


def test_a_superseded_decision_offers_to_supersede_the_one_in_force(
    client, territorial, station, election
):
    old, successor = superseded_pair(station, election)
    page = client.get(f"{CHANGELIST}{old.pk}/change/").content.decode()
    assert f"add/?supersedes={old.pk}" not in page
    assert f"add/?supersedes={successor.pk}" in page
    assert "Supersede No. 1/2…" in page


def test_a_decision_whose_successor_is_a_draft_offers_no_supersede(
    client, territorial, station, election
):
    old = published_decision(station, election)
    services.voting_hours_decision_supersede(actor=None, decision=old, number="1/2")
    page = client.get(f"{CHANGELIST}{old.pk}/change/").content.decode()
    assert "?supersedes=" not in page


def test_superseding_a_superseded_decision_says_why_the_page_starts_empty(
    client, territorial, station, election
):
    old, successor = superseded_pair(station, election)
    page = client.get(ADD, {"supersedes": old.pk})
    assert "supersedes" not in page.context["adminform"].form.initial
    shown = [str(m) for m in get_messages(page.wsgi_request)]
    assert shown == [
        str(admin_module.SUPERSEDED_ALREADY).format(number=old.number, successor="1/2")
    ]


def test_the_list_shows_a_superseded_decision_as_such(client, territorial, station, election):
    old, successor = superseded_pair(station, election)
    listed = client.get(CHANGELIST).content.decode()
    assert (
        str(translation.gettext("Published, superseded by No. {number}")).format(number="1/2")
        in listed
    )


def test_a_stations_phone_typed_with_its_trunk_prefix_is_saved_in_international_form(
    client, territorial, station
):
    url = f"/en/admin/polling/pollingstation/{station.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else ""
        for name in form.fields
        if not isinstance(form[name].value(), bool)
    }
    data.update({name: "on" for name in form.fields if form[name].value() is True})
    data.update(phone="8 (7172) 12-34-56", has_ramp="on")
    response = client.post(url, data)
    assert response.status_code == 302, errors(response)
    station.refresh_from_db()
    assert (station.phone, station.has_ramp) == ("+77172123456", True)


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_decisions_list_takes_as_many_queries_for_ten_decisions_as_for_two(
    client, territorial, station, election
):
    for number in range(2):
        create(station, election, number=f"{number}/1")
    few = count_queries(client, CHANGELIST)
    for number in range(2, 10):
        create(station, election, number=f"{number}/1")
    assert count_queries(client, CHANGELIST) == few


def test_a_change_of_a_drafts_stations_is_audited(client, territorial, station, election):
    decision = create(station, election)
    other = PollingStationFactory(precinct_commission__parent=station.precinct_commission.parent)
    services.voting_hours_decision_update(
        actor=territorial, decision=decision, stations=[station, other]
    )
    changes = [entry.changes_dict for entry in LogEntry.objects.get_for_object(decision)]
    assert any("stations" in change for change in changes)


# WITHDRAWAL OF AN ADOPTED DECISION NEVER PUBLISHED


def adopted_decision(station, election):
    decision = create(station, election)
    return services.voting_hours_decision_adopt(actor=None, decision=decision)


def withdraw_url(decision):
    return f"{CHANGELIST}{decision.pk}/withdraw/"


def test_an_adopted_decision_offers_to_withdraw_it_and_a_published_one_does_not(
    client, territorial, station, election
):
    decision = adopted_decision(station, election)
    page = client.get(f"{CHANGELIST}{decision.pk}/change/")
    assert withdraw_url(decision) in page.content.decode()
    services.voting_hours_decision_publish(actor=None, decision=decision)
    page = client.get(f"{CHANGELIST}{decision.pk}/change/")
    assert withdraw_url(decision) not in page.content.decode()


def test_a_decision_is_withdrawn_from_its_page_with_the_reason(
    client, territorial, station, election
):
    decision = adopted_decision(station, election)
    assert client.get(withdraw_url(decision)).status_code == 200

    response = client.post(withdraw_url(decision), {"reason": "Adopted for the wrong station."})

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}{decision.pk}/change/"
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.WITHDRAWN
    assert (decision.withdrawal_reason, decision.withdrawn_by) == (
        "Adopted for the wrong station.",
        territorial,
    )
    page = client.get(response["Location"])
    assert "Adopted for the wrong station." in page.content.decode()


def test_a_withdrawal_without_a_reason_is_refused_on_the_field(
    client, territorial, station, election
):
    decision = adopted_decision(station, election)
    response = client.post(withdraw_url(decision), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED


def test_withdrawing_a_published_decision_says_to_supersede_it(
    client, territorial, station, election
):
    decision = published_decision(station, election)
    response = client.post(withdraw_url(decision), {"reason": "Wrong."}, follow=True)
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == [str(services.PUBLISHED_NOT_WITHDRAWN)]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PUBLISHED


def test_another_regions_decision_cannot_be_withdrawn(client, territorial, election):
    decision = adopted_decision(station_in(), election)
    assert client.post(withdraw_url(decision), {"reason": "Not ours."}).status_code == 404
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED


def test_a_precinct_member_cannot_withdraw(client, station, election):
    decision = adopted_decision(station, election)
    client.force_login(staff(station.precinct_commission, Role.PRECINCT_MEMBER))
    assert client.post(withdraw_url(decision), {"reason": "No."}).status_code in (403, 404)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED


# A DRAFT SAVED PAST THE INFORMING DEADLINE


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_draft_saved_past_the_deadline_is_saved_with_a_warning_in_the_users_language(
    client, territorial, station, language
):
    late = ElectionFactory(election_day=timezone.localdate() + datetime.timedelta(days=5))
    response = client.post(
        ADD.replace("/en/", f"/{language}/"), form_data(station, late), follow=True
    )
    decision = VotingHoursDecision.objects.get()
    assert decision.status == DecisionStatus.DRAFT
    deadline = services.informing_deadline(late, decision.commission)
    with translation.override(language):
        day_before = deadline.date() - datetime.timedelta(days=1)
        shown = str(services.DEADLINE_END_OF_DAY).format(day=f"{day_before:%d.%m.%Y}")
        expected = str(services.DRAFT_PAST_DEADLINE).format(deadline=shown)
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.WARNING]
    assert warnings == [expected]


def test_a_draft_changed_past_the_deadline_warns_too(client, territorial, station):
    late = ElectionFactory(election_day=timezone.localdate() + datetime.timedelta(days=5))
    decision = create(station, late)
    response = client.post(
        f"{CHANGELIST}{decision.pk}/change/",
        form_data(station, late, number="1/1", opens_at="06:30"),
        follow=True,
    )
    shown = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
    assert any(level == messages.WARNING and "can no longer be adopted" in m for level, m in shown)
    decision.refresh_from_db()
    assert decision.opens_at == datetime.time(6, 30)


def test_a_draft_saved_in_time_has_no_warning(client, territorial, station, election):
    response = client.post(ADD, form_data(station, election), follow=True)
    assert not [m for m in get_messages(response.wsgi_request) if m.level == messages.WARNING]


def test_a_decision_whose_successor_is_withdrawn_is_offered_to_supersede_again(
    client, territorial, station, election
):
    old = published_decision(station, election)
    successor = services.voting_hours_decision_supersede(actor=None, decision=old, number="1/2")
    page = client.get(ADD)
    assert old not in page.context["adminform"].form.fields["supersedes"].queryset
    services.voting_hours_decision_adopt(actor=None, decision=successor)
    services.voting_hours_decision_withdraw(actor=None, decision=successor, reason="Wrong hours.")
    page = client.get(ADD)
    assert old in page.context["adminform"].form.fields["supersedes"].queryset


# THE STATION IMPORT AND EXPORT PAGE


def test_the_import_page_chooses_the_users_only_commission_for_export_too(
    client, territorial, station
):
    page = client.get("/en/admin/polling/pollingstation/import/")
    commission = station.precinct_commission.parent
    assert page.context["form"]["commission"].value() == commission.pk
    assert page.context["export_form"]["commission"].value() == commission.pk
    html = page.content.decode()
    assert '<button type="submit" name="export" value="csv" class="button">' in html
    assert '<button type="submit" name="export" value="xlsx" class="button">' in html


def test_the_import_page_chooses_no_commission_for_the_cec(client, station):
    station_in()  # a second region's commission
    client.force_login(staff(CecFactory(), Role.CEC_STAFF))
    page = client.get("/en/admin/polling/pollingstation/import/")
    assert page.context["export_form"]["commission"].value() is None
