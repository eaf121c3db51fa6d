"""E-mail addresses compared as one: core.normalize.normalize_email and validate_email_address."""

import pytest
from django.core.exceptions import ValidationError

from core.normalize import normalize_email, validate_email_address


@pytest.mark.parametrize(
    "typed",
    ["Voter@Mail.KZ", "  voter@mail.kz ", "ＶＯＴＥＲ＠ＭＡＩＬ．ＫＺ", "VOTER@mail.kz\u00a0"],
)
def test_one_address_however_it_is_typed(typed):
    assert normalize_email(typed) == "voter@mail.kz"


def test_nothing_is_empty():
    assert normalize_email(None) == "" and normalize_email("  ") == ""


@pytest.mark.parametrize("typed", ["voter", "voter@", "@mail.kz", "a b@mail.kz", ""])
def test_what_is_not_an_address_is_refused(typed):
    with pytest.raises(ValidationError) as refused:
        validate_email_address(typed)
    assert refused.value.code == "email"


def test_an_address_is_accepted():
    validate_email_address(" Voter@Mail.KZ ")
