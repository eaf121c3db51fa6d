"""The data migration that reads stored document numbers as the identifier rule now does
(Cyrillic and Greek look-alikes as Latin letters): rows are written around the normalisation
with raw SQL, as rows stored before the rule changed are."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from observers import services
from observers.models import Observer
from tests.observers.factories import ObserverFactory, OpenElectionFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("observers.migrations.0006_lookalike_document_numbers")


def store_raw(observer, document_number: str) -> None:
    """Write a row's number as it was stored before the rule, past every field."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE observers_observer SET document_number = %s WHERE id = %s",
            [document_number, observer.pk],
        )


def stored_number(observer) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document_number FROM observers_observer WHERE id = %s", [observer.pk]
        )
        return cursor.fetchone()[0]


@pytest.fixture
def election():
    return OpenElectionFactory()


def test_a_number_stored_with_cyrillic_letters_is_stored_latin(election):
    observer = ObserverFactory(election=election)
    store_raw(observer, "АВ1234567")  # Cyrillic А, В
    assert stored_number(observer) == "АВ1234567"

    migration.normalize_document_numbers(apps, None)

    assert stored_number(observer) == "AB1234567"
    assert Observer.objects.get(document_number="AB1234567") == observer


def test_two_places_that_become_one_person_are_listed_and_nothing_is_changed(election):
    latin = ObserverFactory(election=election, citizenship="TR", document_number="AB1234567")
    cyrillic = ObserverFactory(election=election, citizenship="TR")
    store_raw(cyrillic, "АВ1234567")
    other = ObserverFactory(election=election)
    store_raw(other, "СХ1")  # would become CX1: not changed either, since the migration stops

    with pytest.raises(migration.DuplicateNominations) as raised:
        migration.normalize_document_numbers(apps, None)

    assert raised.value.groups == [(election.pk, [latin.pk, cyrillic.pk])]
    assert f"election {election.pk}: observers {latin.pk}, {cyrillic.pk}" in str(raised.value)
    assert "AB1234567" not in str(raised.value)  # ids only: numbers are personal data
    assert stored_number(cyrillic) == "АВ1234567"
    assert stored_number(other) == "СХ1"


def test_every_group_of_a_person_is_listed_whole(election):
    first = ObserverFactory(election=election, citizenship="TR", document_number="AB1234567")
    second = ObserverFactory(election=election, citizenship="TR")
    third = ObserverFactory(election=election, citizenship="TR")
    store_raw(second, "АВ1234567")
    store_raw(third, "ав1234567")
    elsewhere = OpenElectionFactory()
    fourth = ObserverFactory(election=elsewhere, citizenship="US", document_number="PX1")
    fifth = ObserverFactory(election=elsewhere, citizenship="US")
    store_raw(fifth, "РХ1")

    with pytest.raises(migration.DuplicateNominations) as raised:
        migration.normalize_document_numbers(apps, None)

    assert raised.value.groups == sorted(
        [(election.pk, [first.pk, second.pk, third.pk]), (elsewhere.pk, [fourth.pk, fifth.pk])]
    )


def test_a_refused_nomination_of_the_same_person_is_no_duplicate(election):
    holder = ObserverFactory(election=election, citizenship="TR", document_number="AB1234567")
    refused = ObserverFactory(election=election, citizenship="TR")
    services.observer_refuse(actor=None, observer=refused, reason="Incomplete documents")
    store_raw(refused, "АВ1234567")

    migration.normalize_document_numbers(apps, None)

    assert stored_number(refused) == "AB1234567"
    assert stored_number(holder) == "AB1234567"


def test_the_same_number_of_two_states_is_two_people(election):
    ObserverFactory(election=election, citizenship="TR", document_number="AB1234567")
    german = ObserverFactory(election=election, citizenship="DE")
    store_raw(german, "АВ1234567")

    migration.normalize_document_numbers(apps, None)

    assert stored_number(german) == "AB1234567"


def test_a_number_left_invalid_is_reported_and_kept(election, capsys):
    observer = ObserverFactory(election=election)
    store_raw(observer, "123457E+11")  # a spreadsheet's scientific notation, stored before

    migration.normalize_document_numbers(apps, None)

    assert stored_number(observer) == "123457E+11"
    assert str(observer.pk) in capsys.readouterr().out


def test_after_the_migration_the_service_sees_the_place_held(election):
    observer = ObserverFactory(election=election, citizenship="US")
    store_raw(observer, "АВ1234567")
    migration.normalize_document_numbers(apps, None)

    assert services.holding_nomination(election, "US", "AB1234567") == observer


def test_the_search_keys_of_existing_observers_are_filled(election):
    search_keys = importlib.import_module("observers.migrations.0008_observer_search_key")
    observer = ObserverFactory(
        election=election, last_name_latin="Gökçe", last_name_cyrillic="Гёкче"
    )
    Observer.objects.filter(pk=observer.pk).update(search_key="")  # as stored before 0008

    search_keys.fill_search_keys(apps, None)

    observer.refresh_from_db()
    assert observer.search_key.startswith("gokce ")
    assert "гекче" in observer.search_key
