"""The demo's observers reproduce the CEC's figures of 7 March 2023; country names in Kazakh.

The demo is loaded once for the module (it takes a few seconds) inside a transaction that is
rolled back at the end; each test runs in a savepoint of its own within it.
"""

from datetime import date
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from django_countries import countries
from django_countries.fields import Country

from commissions.choices import ElectionKind
from commissions.models import Election
from core.models import Agency, AgencyKind, ApiToken, Notification
from observers import demo
from observers.choices import BodyKind, ObserverStatus
from observers.models import NominatingBody, NominationBatch, Observer
from observers.selectors import observer_stats
from observers.services import accreditation_deadline

pytestmark = pytest.mark.django_db

BEFORE, SEED_DAY = date(2023, 3, 6), date(2023, 3, 7)
SEED_DAY_BY_STATE = {
    **dict.fromkeys(
        ["AM", "AZ", "GB", "DE", "GE", "IQ", "ES", "IT", "NO", "RU", "RO", "RS", "SK"], 1
    ),
    **dict.fromkeys(["CA", "MN", "KG", "PK", "PL", "HR"], 2),
    **dict.fromkeys(["HU", "LT", "TR"], 3),
    "US": 4,
}
SEED_DAY_BY_ORGANIZATION = {
    "CIS Observer Mission": 77,
    "CSTO Parliamentary Assembly": 11,
    "Organization of Turkic States": 6,
    "Parliamentary Assembly of Turkic States": 20,
    "Conference on Interaction and Confidence Building Measures in Asia": 2,
    "International Turkic Academy": 3,
}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module", autouse=True)
def _demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        patch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def mazhilis():
    return Election.objects.get(kind=ElectionKind.MAZHILIS, election_day=date(2023, 3, 19))


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def snapshot() -> dict[str, int]:
    models = (NominatingBody, NominationBatch, Observer, Agency, ApiToken, get_user_model())
    counts = {model.__name__: model.objects.count() for model in models}
    counts["decisions"] = Observer.objects.exclude(status=ObserverStatus.SUBMITTED).count()
    counts["log entries"] = LogEntry.objects.count()
    counts["notifications"] = Notification.objects.count()
    return counts


# THE SEED'S FIGURES


def test_on_7_march_157_observers_from_23_states_and_6_organizations(mazhilis):
    stats = observer_stats(election=mazhilis, day=SEED_DAY)

    assert (stats.observers, stats.states, stats.organizations) == (157, 23, 6)


def test_on_7_march_each_state_accredited_the_seeds_number(mazhilis):
    stats = observer_stats(election=mazhilis, day=SEED_DAY)

    assert stats.by_state == SEED_DAY_BY_STATE


def test_on_7_march_each_mission_accredited_the_seeds_number(mazhilis, english):
    stats = observer_stats(election=mazhilis, day=SEED_DAY)

    assert stats.by_organization == SEED_DAY_BY_ORGANIZATION


def test_before_7_march_165_observers_from_16_states_and_4_organizations(mazhilis):
    stats = observer_stats(election=mazhilis, until=BEFORE)

    assert (stats.observers, stats.states, stats.organizations) == (165, 16, 4)


def test_up_to_7_march_322_observers_in_all(mazhilis):
    assert observer_stats(election=mazhilis, until=SEED_DAY).observers == 322


def test_earlier_accreditations_are_spread_over_several_days(mazhilis):
    days = set(
        Observer.objects.granted()
        .filter(election=mazhilis, decision_date__lt=SEED_DAY)
        .values_list("decision_date", flat=True)
    )

    assert len(days) >= 3
    assert sum(observer_stats(election=mazhilis, day=day).observers for day in days) == 165


def test_nobody_is_accredited_after_7_march(mazhilis):
    assert observer_stats(election=mazhilis).observers == 322


def test_the_stats_endpoint_answers_the_seeds_figures(client, mazhilis):
    url = "/api/v1/observers/stats/"

    day = client.get(url, {"election": mazhilis.pk, "date": "2023-03-07"}).json()
    cumulative = client.get(url, {"election": mazhilis.pk, "until": "2023-03-07"}).json()

    assert (day["observers"], day["states"], day["organizations"]) == (157, 23, 6)
    assert day["by_state"] == SEED_DAY_BY_STATE
    assert cumulative["observers"] == 322


def test_organisations_are_named_in_the_active_language(mazhilis):
    with translation.override("kk"):
        stats = observer_stats(election=mazhilis, day=SEED_DAY)

    assert stats.by_organization["ТМД-дан байқаушылар миссиясы"] == 77
    assert stats.by_organization["ҰҚШҰ Парламенттік Ассамблеясы"] == 11


# DECISIONS


def test_two_nominations_are_refused_with_their_reasons_and_not_counted(mazhilis):
    refused = Observer.objects.filter(election=mazhilis, status=ObserverStatus.REFUSED)

    assert refused.count() == 2
    assert all(observer.refusal_reason and observer.number is None for observer in refused)
    assert Observer.objects.filter(election=mazhilis).count() == 322 + 2


def test_one_accreditation_is_revoked_and_still_counts_on_its_day(mazhilis):
    revoked = Observer.objects.get(election=mazhilis, status=ObserverStatus.REVOKED)

    assert revoked.revocation_reason
    assert revoked.revoked_at.date() > revoked.decision_date
    stats = observer_stats(election=mazhilis, day=revoked.decision_date)
    assert stats.revoked == 1
    assert revoked.verification() == "revoked"


def test_every_decision_was_taken_before_the_deadline(mazhilis):
    deadline = accreditation_deadline(mazhilis)
    decided = Observer.objects.filter(election=mazhilis).exclude(status=ObserverStatus.SUBMITTED)

    assert not Observer.objects.filter(election=mazhilis, status=ObserverStatus.SUBMITTED).exists()
    assert all(o.submitted_at < o.decided_at < deadline for o in decided)


def test_accreditation_numbers_follow_the_decision_days(mazhilis):
    granted = list(
        Observer.objects.granted()
        .filter(election=mazhilis)
        .order_by("number")
        .values_list("number", "decision_date")
    )

    assert [number for number, _ in granted] == list(range(1, 323))
    assert [day for _, day in granted] == sorted(day for _, day in granted)


def test_each_body_and_day_is_one_batch_with_its_reference(mazhilis):
    batches = NominationBatch.objects.filter(election=mazhilis)

    assert batches.count() == len(demo.batches())
    assert all(batch.reference.startswith("DEMO-") for batch in batches)
    assert all(batch.size == batch.observers.count() for batch in batches)


# PEOPLE


def test_every_person_has_a_document_of_their_own(mazhilis):
    people = Observer.objects.filter(election=mazhilis)

    identities = set(people.values_list("citizenship", "document_number"))
    assert len(identities) == people.count()


def test_names_are_given_in_latin_and_cyrillic(mazhilis):
    for observer in Observer.objects.filter(election=mazhilis):
        assert observer.full_name_latin.replace("-", " ").replace(" ", "").isascii()
        assert any("а" <= ch.lower() <= "я" or ch in "ёөүі" for ch in observer.last_name_cyrillic)


def test_a_states_observers_are_its_citizens(mazhilis):
    states = Observer.objects.filter(election=mazhilis, body__kind=BodyKind.STATE)

    assert all(o.citizenship == o.body.country for o in states.select_related("body"))


def test_a_missions_observers_are_citizens_of_its_member_states(mazhilis, english):
    cis = Observer.objects.filter(election=mazhilis, body__name_en="CIS Observer Mission")

    citizenships = set(cis.values_list("citizenship", flat=True))
    assert citizenships <= {"RU", "BY", "AM", "AZ", "KG", "TJ", "UZ"}
    assert len(citizenships) > 3


def test_the_demo_people_are_born_between_1956_and_1994(mazhilis):
    births = Observer.objects.filter(election=mazhilis).values_list("date_of_birth", flat=True)

    assert min(births) >= date(1956, 1, 1)
    assert max(births) < date(1995, 1, 1)


# NOMINATING BODIES AND AGENCIES


def test_states_are_submitted_by_the_ministry_of_foreign_affairs():
    ministry = Agency.objects.get(name_en="Ministry of Foreign Affairs")
    states = NominatingBody.objects.filter(kind=BodyKind.STATE)

    assert ministry.kind == AgencyKind.MINISTRY
    assert states.count() == 16 + 23 - 8  # eight states nominated both before and on 7 March
    assert set(states.values_list("agency", flat=True)) == {ministry.pk}
    assert all(body.contact_email.endswith("@example.org") for body in states)


def test_the_cis_mission_submits_its_own_nominations():
    mission = NominatingBody.objects.get(name_en="CIS Observer Mission")

    assert mission.agency.kind == AgencyKind.MISSION
    assert mission.agency.name_en == "CIS Observer Mission"


def test_organisations_are_named_in_kazakh_russian_and_english():
    body = NominatingBody.objects.get(name_en="CSTO Parliamentary Assembly")

    assert body.name_ru == "Парламентская Ассамблея ОДКБ"
    assert body.name_kk == "ҰҚШҰ Парламенттік Ассамблеясы"
    assert (body.short_name_en, body.short_name_ru, body.short_name_kk) == (
        "CSTO PA",
        "ПА ОДКБ",
        "ҰҚШҰ ПА",
    )


def test_two_public_associations_are_accredited_for_a_year():
    associations = list(NominatingBody.objects.filter(kind=BodyKind.ASSOCIATION))

    assert len(associations) == 2
    for body in associations:
        body.full_clean()
        assert 360 <= (body.accredited_until - body.accredited_from).days < 366
    assert {body.region is None for body in associations} == {True, False}


def test_no_api_token_is_made_with_a_known_key():
    assert not ApiToken.objects.exists()


def test_decisions_were_sent_only_to_example_addresses():
    recipients = set(
        Notification.objects.filter(content_type__app_label="observers").values_list(
            "recipient", flat=True
        )
    )

    assert recipients
    assert all(recipient.endswith("@example.org") for recipient in recipients)


# IDEMPOTENCE


def test_a_second_load_changes_nothing():
    before = snapshot()

    output = load_demo()

    assert snapshot() == before
    assert "observer           324  (created 0, updated 0)" in output


def test_a_second_load_in_kazakh_changes_nothing():
    before = snapshot()

    with translation.override("kk"):
        load_demo()

    assert snapshot() == before


def test_a_changed_body_is_put_back():
    body = NominatingBody.objects.get(short_name_en="CICA")
    NominatingBody.objects.filter(pk=body.pk).update(contact_email="changed@example.org")

    output = load_demo()

    body.refresh_from_db()
    assert body.contact_email == "cica@example.org"
    assert "nominatingbody      42  (created 0, updated 1)" in output


# KAZAKH COUNTRY NAMES (locale/countries)


def test_country_names_are_kazakh_on_a_kazakh_page():
    with translation.override("kk"):
        assert str(Country("DE").name) == "Германия"
        assert str(Country("GB").name) == "Ұлыбритания"
        assert str(Country("US").name) == "Америка Құрама Штаттары"


def test_country_names_stay_russian_on_a_russian_page():
    with translation.override("ru"):
        assert str(Country("GB").name) == "Великобритания"
        assert str(Country("US").name) == "Соединенные Штаты Америки"


def test_every_country_has_a_kazakh_name():
    with translation.override("en"):
        english = dict(countries)
    with translation.override("kk"):
        kazakh = dict(countries)

    untranslated = [code for code in english if kazakh[code] == english[code]]
    assert untranslated == []
