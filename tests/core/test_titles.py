"""Names of organisations and places (core.fields.TitleField): every model that holds one
refuses invisible and direction-changing characters and stores it NFC with its spaces collapsed,
while digits and punctuation, which such names have, stay allowed."""

import pytest
from django.core.exceptions import ValidationError

from core.normalize import TITLE_NO_TEXT, validate_title
from tests.commissions.factories import (
    CommissionMemberFactory,
    PartyFactory,
    PrecinctCommissionFactory,
    RegionFactory,
)
from tests.core.factories import AgencyFactory
from tests.observers.factories import OrganizationBodyFactory
from tests.polling.factories import PollingStationFactory

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # right-to-left override: reverses how the rest of a list's row is shown
ZWSP = "\u200b"  # zero-width space

# (factory, the field that holds a title or a person's full name)
HOLDERS = [
    (RegionFactory, "name"),
    (PartyFactory, "name"),
    (PartyFactory, "short_name"),
    (PrecinctCommissionFactory, "name"),
    (CommissionMemberFactory, "full_name"),
    (AgencyFactory, "name"),
    (OrganizationBodyFactory, "name"),
    (PollingStationFactory, "name"),
    (PollingStationFactory, "address"),
]


@pytest.mark.parametrize("factory, field", HOLDERS, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("character", [RLO, ZWSP], ids=["RLO", "ZWSP"])
def test_a_name_with_an_invisible_character_is_refused(factory, field, character):
    row = factory()
    setattr(row, field, f"Sch{character}ool")

    with pytest.raises(ValidationError) as error:
        row.full_clean()

    assert field in error.value.message_dict
    assert f"U+{ord(character):04X}" in error.value.message_dict[field][0]


@pytest.mark.parametrize("factory, field", HOLDERS, ids=lambda v: getattr(v, "__name__", v))
def test_a_name_is_stored_nfc_with_its_spaces_collapsed(factory, field):
    row = factory()
    setattr(row, field, "  И\u0306  Aba\u0301y\u00a0Avenue  ")  # decomposed Й and á, an NBSP

    row.save()
    row.refresh_from_db()

    assert getattr(row, field) == "\u0419 Ab\u00e1y Avenue"


def test_a_title_keeps_digits_and_punctuation():
    validate_title("School-lyceum No. 12 «Bilim», 7/1 Abay Avenue")


def test_a_title_of_nothing_but_punctuation_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_title("— … —")

    assert error.value.messages == [str(TITLE_NO_TEXT)]
