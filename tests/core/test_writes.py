"""The core's write conventions: `model_update` and the reference-data services."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from commissions.models import Party
from core.choices import Role
from core.services import model_create, model_update, reference_create, reference_update
from tests.commissions.factories import (
    CommissionMemberFactory,
    PartyFactory,
    RegionFactory,
    TerritorialCommissionFactory,
)
from tests.core.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def territorial_staff(commission):
    user = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user, role="staff")
    return user


# model_update


def test_model_update_applies_the_data_and_names_what_changed():
    party = PartyFactory(short_name="AMANAT", website="")

    changed = model_update(
        party,
        fields=("short_name", "website"),
        data={"short_name": "AMANAT", "website": "https://amanat.kz"},
    )

    assert changed == ["website"]
    assert party.website == "https://amanat.kz"
    assert Party.objects.get(pk=party.pk).website == ""  # nothing saved


def test_model_update_refuses_a_field_it_was_not_allowed_and_changes_nothing():
    party = PartyFactory(short_name="AMANAT")

    with pytest.raises(ValueError, match="registration_number"):
        model_update(
            party,
            fields=("short_name",),
            data={"short_name": "AQ", "registration_number": "1"},
        )

    assert party.short_name == "AMANAT"


def test_model_update_validates_what_it_changed():
    party = PartyFactory()

    with pytest.raises(ValidationError) as caught:
        model_update(party, fields=("website",), data={"website": "not an address"})

    assert "website" in caught.value.message_dict


def test_model_update_compares_a_foreign_key_by_its_id():
    commission = TerritorialCommissionFactory()
    same_region = type(commission.region).objects.get(pk=commission.region_id)

    assert model_update(commission, fields=("region",), data={"region": same_region}) == []


# reference data


def test_reference_create_saves_as_the_actor():
    cec = StaffUserFactory(is_superuser=True)

    party = reference_create(actor=cec, instance=Party(name="Respublica", short_name="RESP"))

    entry = LogEntry.objects.get_for_object(party).get(action=LogEntry.Action.CREATE)
    assert entry.actor == cec


def test_reference_create_gives_a_constraints_message_not_a_database_error():
    PartyFactory(short_name="AQ")

    with pytest.raises(ValidationError):
        reference_create(actor=None, instance=Party(name="Ak Zhol", short_name="AQ"))


def test_model_create_refuses_a_row_outside_the_actors_scope_with_the_callers_message():
    here = TerritorialCommissionFactory()
    there = TerritorialCommissionFactory()
    user = territorial_staff(here)
    outside = TerritorialCommissionFactory.build(region=there.region, parent=there.parent)

    with pytest.raises(PermissionDenied, match="Not in your region"):
        model_create(actor=user, instance=outside, refusal="Not in your region")

    assert outside.pk is None


def test_model_create_validates_before_saving():
    with pytest.raises(ValidationError) as error:
        model_create(actor=None, instance=Party(name="", short_name="X"))

    assert "name" in error.value.message_dict
    assert not Party.objects.filter(short_name="X").exists()


def test_reference_update_refuses_a_row_outside_the_actors_scope():
    here = TerritorialCommissionFactory()
    there = TerritorialCommissionFactory()
    user = territorial_staff(here)

    with pytest.raises(PermissionDenied):
        reference_update(actor=user, instance=there, data={"name": "Renamed"})

    there.refresh_from_db()
    assert there.name != "Renamed"


def test_reference_update_refuses_to_move_a_row_out_of_the_actors_scope():
    here = TerritorialCommissionFactory()
    user = territorial_staff(here)

    with pytest.raises(PermissionDenied):
        reference_update(actor=user, instance=here, data={"region": RegionFactory()})

    assert type(here).objects.get(pk=here.pk).region_id == here.region_id


def test_reference_update_saves_the_change_as_the_actor_and_returns_it():
    here = TerritorialCommissionFactory()
    user = territorial_staff(here)

    changed = reference_update(actor=user, instance=here, data={"name": "Renamed"})

    assert changed == ["name"]
    here.refresh_from_db()
    assert here.name == "Renamed"
    entry = LogEntry.objects.get_for_object(here).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == user
