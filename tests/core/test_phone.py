"""Phone numbers as core.normalize reads them, and the field that stores them."""

import pytest
from django.core.exceptions import ValidationError

from core.fields import PhoneField
from core.normalize import (
    PHONE_INVALID,
    PHONE_NOT_MOBILE,
    normalize_phone,
    validate_mobile_phone,
    validate_phone,
)


@pytest.mark.parametrize(
    "typed",
    [
        "+7 7172 12 34 56",
        "+7 (7172) 12-34-56",
        "8 (7172) 12-34-56",
        "8-7172-123456",
        "7 7172 123456",
        "7172 123456",
        "007 7172 12 34 56",
        "＋７ ７１７２ １２３４５６",  # full-width
        "+7 7172 12\u00a034\u00a056",  # no-break spaces
        "+7\u20117172\u2011123456",  # non-breaking hyphens
    ],
)
def test_a_kazakh_number_however_written_is_one_number(typed):
    assert normalize_phone(typed) == "+77172123456"
    validate_phone(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+1 (202) 555-0143", "+12025550143"),
        ("0044 20 7946 0958", "+442079460958"),
        ("8 916 123-45-67", "+79161234567"),  # Russia shares +7 and the trunk prefix 8
    ],
)
def test_numbers_abroad_are_kept_with_their_country_code(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12345", "+0 7172 123456", "call 112", "+7 7172 12 34 56 789 01"]
)
def test_what_is_not_a_phone_number_is_refused(typed):
    with pytest.raises(ValidationError) as excinfo:
        validate_phone(typed)
    assert excinfo.value.messages == [PHONE_INVALID.format(value=typed)]
    assert excinfo.value.code == "phone"


def test_nothing_is_empty():
    assert normalize_phone(None) == ""
    assert normalize_phone("  ") == ""


def test_the_field_stores_the_normalised_number_and_refuses_others():
    field = PhoneField(blank=True)
    assert field.clean("8 (7172) 12-34-56", None) == "+77172123456"
    assert field.clean("", None) == ""
    with pytest.raises(ValidationError):
        field.clean("12345", None)


def test_a_forms_phone_is_normalised_before_its_length_is_checked():
    form_field = PhoneField(blank=True).formfield()
    assert form_field.clean("8 (7172) 12-34-56") == "+77172123456"
    assert "maxlength" not in form_field.widget.attrs


@pytest.mark.parametrize(
    "typed",
    [
        "+7 701 123 45 67",
        "8 747 123 45 67",
        "+7 750 123 45 67",
        "+7 764 123 45 67",
        "+7 771 123 45 67",
        "+7 778 123 45 67",
        "+7 916 123 45 67",  # Russia
        "+49 151 2345 6789",  # elsewhere: taken as a mobile number
    ],
)
def test_a_mobile_number_is_accepted_for_sms(typed):
    validate_mobile_phone(typed)


@pytest.mark.parametrize(
    "typed", ["+7 (7172) 55-12-34", "8 727 250 00 00", "+7 495 123 45 67", "+7 779 123 45 67"]
)
def test_a_landline_is_refused_for_sms(typed):
    with pytest.raises(ValidationError) as refused:
        validate_mobile_phone(typed)
    assert refused.value.code == "mobile"
    assert refused.value.messages == [str(PHONE_NOT_MOBILE)]


def test_what_is_no_phone_number_is_refused_as_such_for_sms():
    with pytest.raises(ValidationError) as refused:
        validate_mobile_phone("12")
    assert refused.value.code == "phone"
