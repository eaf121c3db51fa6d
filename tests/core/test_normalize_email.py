"""E-mail addresses compared as one: core.normalize.normalize_email and validate_email_address."""

import pytest
from django.core.exceptions import ValidationError

from core.normalize import EMAIL_USER_NOT_LATIN, normalize_email, validate_email_address


@pytest.mark.parametrize(
    "typed",
    ["Voter@Mail.KZ", "  voter@mail.kz ", "ＶＯＴＥＲ＠ＭＡＩＬ．ＫＺ", "VOTER@mail.kz\u00a0"],
)
def test_one_address_however_it_is_typed(typed):
    assert normalize_email(typed) == "voter@mail.kz"


def test_nothing_is_empty():
    assert normalize_email(None) == "" and normalize_email("  ") == ""


@pytest.mark.parametrize(
    "typed", ["voter", "voter@", "@mail.kz", "a b@mail.kz", "", "x@localhost", "x@b..kz"]
)
def test_what_is_not_an_address_is_refused(typed):
    with pytest.raises(ValidationError) as refused:
        validate_email_address(typed)
    assert refused.value.code == "email"


def test_an_address_is_accepted():
    validate_email_address(" Voter@Mail.KZ ")


@pytest.mark.parametrize(
    "typed", ["user@例え.jp", "user@пример.қаз", "user@XN--E1AFMKFD.xn--80ao21a"]
)
def test_an_internationalised_domain_is_accepted(typed):
    validate_email_address(typed)


def test_an_internationalised_domain_is_stored_in_its_unicode_form():
    assert normalize_email("User@XN--E1AFMKFD.xn--80ao21a") == "user@пример.қаз"
    assert normalize_email("user@Пример.ҚАЗ") == "user@пример.қаз"


def test_a_part_before_the_at_not_in_latin_is_refused_with_its_own_message():
    with pytest.raises(ValidationError) as refused:
        validate_email_address("тест@пример.қаз")
    assert refused.value.code == "email_user"
    assert refused.value.messages == [str(EMAIL_USER_NOT_LATIN).format(value="тест@пример.қаз")]
