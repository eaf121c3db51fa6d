"""Input normalisation of identifiers and personal names: one rule for every app and entry point.

Identifiers (document numbers now; IINs and polling-station numbers later) are compared as
printed characters, not as typed keystrokes: `normalize_identifier` applies Unicode NFKC (so
full-width `ＡＢ１２` is `AB12`), maps every Unicode decimal digit to its ASCII digit (NFKC leaves
Arabic-Indic `٠١٢` alone; `unicodedata.decimal` does not), upper-cases, reads the Cyrillic and
Greek capitals drawn exactly like Latin ones as those Latin letters (a passport number typed on
a Russian or Kazakh keyboard: Cyrillic `А В Е К М Н О Р С Т Х` are `A B E K M H O P C T X`), and
drops spaces and separators (spaces of every kind, hyphens and Unicode dashes, dots, slashes,
invisible format characters). What is left must be ASCII letters and digits
(`validate_identifier`), so `ＰＲＢＯ０００２`, `PRBO٠٠٠٢`, `prbo 0002`, `РRВО0002` (Cyrillic Р and
В) and `PRBO0002` are one passport. A number a spreadsheet turned into scientific notation
(`1,23457E+11`: its digits are lost) is refused as such, and an identifier sent as a number
rather than text (its leading zeros may be lost) is refused by the API (`IDENTIFIER_NOT_TEXT`)
and by the spreadsheet reader (`core.spreadsheets`).

Names are Unicode NFC with their spaces collapsed (`normalize_name`); `validate_name` refuses
control and invisible format characters (Unicode categories Cc and Cf: right-to-left overrides,
zero-width spaces and joiners, the byte-order mark, the soft hyphen), invisible fillers, and names
with no letter at all; `ScriptValidator` keeps a column to one script (a name in Latin letters,
a name in Cyrillic, Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І included), with spaces, hyphens, apostrophes
and periods. A `?` in a name means the letters were lost when a spreadsheet was saved in an
encoding that lacks them (Windows-1251 has no Ә, Windows-1252 no Cyrillic at all): refused
with a message that says how to save the file.

The model fields that apply these rules on every path (forms, admin, API, uploads, lookups)
are in `core.fields`.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# IDENTIFIERS

IDENTIFIER_NOT_ASCII = _(
    "Use only Latin letters A-Z and digits 0-9 (spaces, dashes, dots and slashes are dropped); "
    "“{characters}” cannot be part of it."
)

IDENTIFIER_SCIENTIFIC = _(
    "“{value}” is a number a spreadsheet rounded to scientific notation, so the real number is "
    "lost; type the number as it is printed (in a spreadsheet, format the column as text first)."
)
IDENTIFIER_NOT_TEXT = _(
    "Send the number as text (a JSON string): as a number it loses its leading zeros and may be "
    "rounded."
)

# Letters of other scripts drawn exactly like a Latin capital (their lower-case forms are
# upper-cased first): what a keyboard in another layout types for a Latin letter of a passport
# number. Cyrillic А В Е К М Н О Р С Т Х (and І Ј Ѕ, Kazakh Ү), Greek Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ.
IDENTIFIER_LOOKALIKES = str.maketrans(
    "АВЕКМНОРСТХІЈЅҮΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "ABEKMHOPCTXIJSYABEZHIKMNOPTYX",
)
# A number Excel showed in scientific notation ("1,23457E+11", "9.87654E+11", "1E+15"), also
# once its dot is dropped as a separator ("123457E+11"): the sign after E is never part of an
# identifier.
SCIENTIFIC_NOTATION = re.compile(r"^[+-]?\d+(?:[.,]?\d+)?E[+-]\d+$", re.IGNORECASE)

# Dropped from identifiers besides every space (Unicode category Z*, and other whitespace),
# every dash (Pd) and every invisible format character (Cf).
IDENTIFIER_SEPARATORS = frozenset(
    ".\u00b7\u2024\u2027\u30fb"  # full stop, middle dots, one-dot leader, katakana middle dot
    "/\\\u2044\u2215\u29f8"  # slashes: solidus, reverse solidus, fraction, division, big
    "\u2212\u02d7\u2043"  # minus sign, modifier minus, hyphen bullet (dashes outside Pd)
)


def _is_identifier_separator(character: str) -> bool:
    category = unicodedata.category(character)
    return (
        character in IDENTIFIER_SEPARATORS
        or character.isspace()
        or category[0] == "Z"
        or category in ("Pd", "Cf")
    )


def normalize_identifier(value) -> str:
    """An identifier as it is stored and compared: NFKC, Unicode digits as ASCII digits,
    upper case, no spaces or separators. `None` gives ""; a number (a spreadsheet's cell) is
    read as its text. The result may still hold characters that `validate_identifier` refuses
    (`AB#1` stays `AB#1`): nothing but separators is silently dropped."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    characters = []
    for character in text:
        if _is_identifier_separator(character):
            continue
        digit = unicodedata.decimal(character, None)
        characters.append(str(digit) if digit is not None else character)
    # Upper-case after the digits, then NFKC again: "ß".upper() is "SS", "ﬀ" is already "ff".
    # Look-alike capitals are read as Latin once everything is upper case.
    text = "".join(characters).upper().translate(IDENTIFIER_LOOKALIKES)
    return unicodedata.normalize("NFKC", text)


def _shown(characters) -> str:
    """Characters for a message: each once, in order; invisible ones by their code point."""
    seen: list[str] = []
    for character in characters:
        if character not in seen:
            seen.append(character)
    return " ".join(
        character if character.isprintable() and not character.isspace() else _code(character)
        for character in seen
    )


def _code(character: str) -> str:
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X} {name}".strip()


def is_scientific_notation(value) -> bool:
    """Whether a value meant as an identifier is a number a spreadsheet showed in scientific
    notation ("1,23457E+11", "1E+15", "123457E+11"): its digits are lost. The one test of it,
    for the identifier rule here and the spreadsheet reader's cells (core.spreadsheets)."""
    text = str(value)
    return bool(
        SCIENTIFIC_NOTATION.match(normalize_identifier(text))
        or SCIENTIFIC_NOTATION.match("".join(unicodedata.normalize("NFKC", text).split()))
    )


def validate_identifier(value: str) -> None:
    """Refuse an identifier that, once normalised, is not ASCII letters and digits only.

    Raises ValidationError with code "scientific" for a number in scientific notation (a
    spreadsheet lost its digits), else code "identifier" naming the characters that cannot be
    part of it.
    """
    normalized = normalize_identifier(value)
    if is_scientific_notation(value):
        raise ValidationError(
            IDENTIFIER_SCIENTIFIC.format(value=str(value).strip()), code="scientific"
        )
    wrong = [c for c in normalized if not (c.isascii() and c.isalnum())]
    if wrong:
        raise ValidationError(
            IDENTIFIER_NOT_ASCII.format(characters=_shown(wrong)), code="identifier"
        )


# COUNTRIES

COUNTRY_UNKNOWN = _("“{value}” is not an ISO 3166-1 country code (e.g. DE or DEU).")


def normalize_country(value) -> str:
    """A country as it is stored: its ISO 3166-1 alpha-2 code, from an alpha-2 or alpha-3 code
    in either case (`tr`, `TUR`, full-width or with Cyrillic look-alikes read as identifiers
    are); "" for anything else. What every write (the API, the upload) and every filter reads."""
    from django_countries import countries  # its registry reads the settings

    if value is None:
        return ""
    text = "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()
    text = text.translate(IDENTIFIER_LOOKALIKES)
    if not (text.isascii() and text.isalpha() and len(text) in (2, 3)):
        return ""
    return countries.alpha2(text) or ""


def validate_country(value) -> str:
    """`normalize_country`'s code, or ValidationError (code "unknown_country") naming the value."""
    code = normalize_country(value)
    if not code:
        raise ValidationError(
            COUNTRY_UNKNOWN.format(value=str(value).strip()), code="unknown_country"
        )
    return code


# PHONE NUMBERS

PHONE_INVALID = _("“{value}” is not a phone number (e.g. +7 7172 12 34 56).")
PHONE_SEPARATORS = frozenset(" -‐‑‒–—―.()/\u00a0\u2007\u202f")
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def normalize_phone(value) -> str:
    """A phone number as it is stored and compared: E.164, "+" and digits (`+77172123456`).

    NFKC and Unicode digits as ASCII digits (full-width or Arabic-Indic digits are digits);
    spaces, hyphens, dashes, dots, slashes and brackets dropped; the international prefix 00 read
    as "+". Eleven digits starting with 8 (the trunk prefix) or 7 are a number of the +7 zone
    (Kazakhstan and Russia), and ten starting with 7 a Kazakh national number: `8 (7172)
    12-34-56`, `7 7172 12 34 56` and `7172 123456` are all `+77172123456`. "" for None or
    nothing; what is left otherwise may still be refused by `validate_phone`."""
    if value is None:
        return ""
    characters = []
    for character in unicodedata.normalize("NFKC", str(value)).strip():
        if character in PHONE_SEPARATORS or character.isspace():
            continue
        digit = unicodedata.decimal(character, None)
        characters.append(str(digit) if digit is not None else character)
    text = "".join(characters)
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.startswith("+") or not text.isdigit():
        return text
    if len(text) == 11 and text[0] in "78":
        return "+7" + text[1:]
    if len(text) == 10 and text[0] == "7":
        return "+7" + text
    return text


def validate_phone(value) -> None:
    """Refuse a phone number that, once normalised, is not E.164 (a "+", a country code not
    starting with 0, 8 to 15 digits in all); code "phone"."""
    if not E164.match(normalize_phone(value)):
        raise ValidationError(PHONE_INVALID.format(value=str(value).strip()), code="phone")


PHONE_NOT_MOBILE = _(
    "This is not a mobile number: SMS cannot reach it; give a mobile number or an e-mail address."
)
# The +7 zone's mobile numbers: Kazakhstan's by their three-digit code, Russia's all start with 9.
KAZAKH_MOBILE_CODES = frozenset(
    {*range(700, 710), 747, 750, 751, *range(760, 765), 771, *range(775, 779)}
)


def is_mobile_phone(value) -> bool:
    """Whether a valid phone number (`validate_phone`) can receive SMS: in the +7 zone, a
    Kazakh mobile code (700–709, 747, 750–751, 760–764, 771, 775–778) or a Russian number
    starting with 9; a number of any other country is taken to be a mobile one."""
    number = normalize_phone(value)
    if not number.startswith("+7"):
        return True
    national = number[2:]
    if len(national) != 10:
        return False
    return national[0] == "9" or int(national[:3]) in KAZAKH_MOBILE_CODES


def validate_mobile_phone(value) -> None:
    """`validate_phone`, and refuse a number SMS cannot reach (`is_mobile_phone`: a Kazakh or
    Russian landline); code "mobile"."""
    validate_phone(value)
    if not is_mobile_phone(value):
        raise ValidationError(PHONE_NOT_MOBILE, code="mobile")


# E-MAIL ADDRESSES

EMAIL_INVALID = _("“{value}” is not an e-mail address.")
EMAIL_USER_NOT_LATIN = _(
    "“{value}” cannot receive mail from this site: write the part before the @ in Latin "
    "letters and digits."
)


def _domain_ascii(domain: str) -> str | None:
    """A domain's ASCII form (IDNA, Python's `idna` codec: `пример.қаз` is
    `xn--e1afmkfd.xn--80ao21a`); None when it is no domain name (an empty label, one too long)."""
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def normalize_email(value) -> str:
    """An e-mail address as it is stored and compared: NFKC (full-width letters are letters),
    without surrounding spaces, in lower case (`Voter@Mail.KZ` and `voter@mail.kz` are one
    address: no provider a voter uses tells them apart). An internationalised domain is stored
    in its Unicode form, however it was typed: `user@xn--e1afmkfd.xn--80ao21a` is
    `user@пример.қаз` (the mail sender IDNA-encodes it). "" for None or nothing; what is left
    may still be refused by `validate_email_address`."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    user, at, domain = text.rpartition("@")
    ascii_domain = _domain_ascii(domain) if at and domain else None
    if ascii_domain is not None:
        try:
            return f"{user}@{ascii_domain.encode('ascii').decode('idna')}"
        except UnicodeError:
            pass
    return text


def validate_email_address(value) -> None:
    """Refuse what, once normalised, is not an e-mail address: Django's rule applied to the
    address with its domain IDNA-encoded, so that every internationalised domain is read alike,
    and with no exception for a domain without a dot (`x@localhost`); code "email". A part
    before the @ in other than ASCII (`тест@mail.kz`) is refused with its own message and code
    "email_user": Django's mail sender cannot deliver to it (no SMTPUTF8)."""
    from django.core.validators import EmailValidator

    address = normalize_email(value)
    user, at, domain = address.rpartition("@")
    ascii_domain = _domain_ascii(domain) if at else None
    try:
        if ascii_domain is None:
            raise ValidationError("")
        EmailValidator(allowlist=[])(f"{user}@{ascii_domain}")
    except ValidationError:
        if user and not user.isascii() and ascii_domain:
            raise ValidationError(
                EMAIL_USER_NOT_LATIN.format(value=str(value).strip()), code="email_user"
            ) from None
        raise ValidationError(
            EMAIL_INVALID.format(value=str(value).strip()), code="email"
        ) from None


# NAMES

NAME_INVISIBLE = _(
    "The name holds invisible or control characters ({characters}); type it again without them."
)
NAME_NO_LETTERS = _("A name must have letters.")
NAME_LETTERS_LOST = _(
    "“?” stands where letters were lost when the file was saved in an encoding that lacks them. "
    "Save the spreadsheet as “CSV UTF-8” (or as XLSX) and upload it again."
)
# Per script, so that each language words it well: (no letter of it but "?", no letter of it,
# characters that are not its own).
LATIN_LOST = _(
    "The name in Latin letters holds no Latin letter, only “?”: its letters were lost when the "
    "file was saved. Save the spreadsheet as “CSV UTF-8” (or as XLSX) and upload it again."
)
LATIN_NO_LETTERS = _("The name in Latin letters holds no Latin letter.")
LATIN_WRONG = _(
    "A name in Latin letters holds Latin letters, spaces, hyphens, apostrophes and periods "
    "only; “{characters}” cannot be part of it."
)
CYRILLIC_LOST = _(
    "The name in Cyrillic holds no Cyrillic letter, only “?”: its letters were lost when the "
    "file was saved. Save the spreadsheet as “CSV UTF-8” (or as XLSX) and upload it again."
)
CYRILLIC_NO_LETTERS = _("The name in Cyrillic holds no Cyrillic letter.")
CYRILLIC_WRONG = _(
    "A name in Cyrillic holds Cyrillic letters (Kazakh Ә Ғ Қ Ң Ө Ұ Ү Һ І included), spaces, "
    "hyphens, apostrophes and periods only; “{characters}” cannot be part of it (a Latin letter "
    "that looks like a Cyrillic one, such as I for І, counts as Latin)."
)

# Characters that show nothing although Unicode calls them letters, marks or symbols.
INVISIBLE_FILLERS = frozenset(
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u2800"  # braille pattern blank
    "\u034f"  # combining grapheme joiner
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07"  # variation selectors
    "\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f"
)
# Unicode categories refused anywhere in a name: control (Cc), format (Cf: RLO, LRO, PDF, LRI,
# RLI, FSI, PDI, ZWSP, ZWJ, ZWNJ, BOM, soft hyphen...), surrogates, private use, unassigned,
# line and paragraph separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# What a name has besides letters: spaces, hyphens, apostrophes, periods.
NAME_PUNCTUATION = frozenset(
    " -\u2010"  # space, hyphen-minus, hyphen
    "'\u2019\u02bc"  # apostrophe, right single quotation mark, modifier letter apostrophe
    "."
)
LOST_LETTER = "?"


def normalize_name(value) -> str:
    """A name as it is stored: NFC, every kind of space a plain space, runs of spaces one, no
    spaces at either end. `None` gives ""."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(" " if unicodedata.category(c) == "Zs" else c for c in text)
    return " ".join(part for part in text.split(" ") if part)


def _invisible(character: str) -> bool:
    return character in INVISIBLE_FILLERS or unicodedata.category(character) in INVISIBLE_CATEGORIES


SCRIPTS = {
    # script: (the prefix of its letters' Unicode names, its messages: lost, none, wrong)
    "latin": ("LATIN ", (LATIN_LOST, LATIN_NO_LETTERS, LATIN_WRONG)),
    "cyrillic": ("CYRILLIC ", (CYRILLIC_LOST, CYRILLIC_NO_LETTERS, CYRILLIC_WRONG)),
}


def is_letter_of(character: str, script: str) -> bool:
    """Whether the character is a letter of the script ("latin" or "cyrillic"), by its Unicode
    name (every Latin letter's name starts "LATIN ", every Cyrillic one's "CYRILLIC ")."""
    prefix = SCRIPTS[script][0]
    return unicodedata.category(character).startswith("L") and unicodedata.name(
        character, ""
    ).startswith(prefix)


@deconstructible
class NameValidator:
    """Refuses a name with control or invisible characters, a `?` (letters a spreadsheet lost),
    or no letter; with a `script` ("latin" or "cyrillic"), also one with no letter of the script
    or with characters other than its letters (and combining marks after them), spaces, hyphens,
    apostrophes and periods.

    Raises ValidationError with code "invisible" (naming each character by its code point),
    "letters_lost", "no_letters", "no_script_letters" or "wrong_script".
    """

    def __init__(self, script: str | None = None):
        if script is not None and script not in SCRIPTS:
            raise ValueError(f"unknown script {script!r}; one of {', '.join(SCRIPTS)}")
        self.script = script

    def __call__(self, value: str) -> None:
        name = normalize_name(value)
        invisible = [c for c in name if _invisible(c)]
        if invisible:
            characters = ", ".join(_code(c) for c in dict.fromkeys(invisible))
            raise ValidationError(NAME_INVISIBLE.format(characters=characters), code="invisible")
        if self.script is None:
            if LOST_LETTER in name:
                raise ValidationError(NAME_LETTERS_LOST, code="letters_lost")
            if not any(unicodedata.category(c).startswith("L") for c in name):
                raise ValidationError(NAME_NO_LETTERS, code="no_letters")
            return
        lost, no_letters, wrong_characters = SCRIPTS[self.script][1]
        has_script = any(is_letter_of(c, self.script) for c in name)
        wrong = []
        previous_is_letter = False
        for character in name:
            if is_letter_of(character, self.script):
                previous_is_letter = True
            elif unicodedata.category(character) == "Mn" and previous_is_letter:
                pass  # an accent on the letter before it, with no precomposed form
            elif character in NAME_PUNCTUATION:
                previous_is_letter = False
            else:
                wrong.append(character)
                previous_is_letter = False
        # A "?" among letters is a letter the file lost; among other foreign characters (a
        # formula, a web address) those are the fault to name.
        if LOST_LETTER in name and all(c == LOST_LETTER for c in wrong):
            raise ValidationError(NAME_LETTERS_LOST if has_script else lost, code="letters_lost")
        if not has_script:
            code = "no_script_letters" if name else "no_letters"
            raise ValidationError(no_letters if name else NAME_NO_LETTERS, code=code)
        if wrong:
            raise ValidationError(
                wrong_characters.format(characters=_shown(wrong)), code="wrong_script"
            )

    def __eq__(self, other):
        return isinstance(other, NameValidator) and other.script == self.script

    def __hash__(self):
        return hash((NameValidator, self.script))


validate_name = NameValidator()


# TITLES: the names of organisations, places and documents (a commission, a party, a polling
# station and its address, an agency, a nominating body), where digits and punctuation belong
# ("School No. 12", "7/1 Abay Avenue") but invisible and direction-changing characters do not.

TITLE_NO_TEXT = _("It must have letters or digits.")


@deconstructible
class TitleValidator:
    """Refuses a title with control or invisible characters (Unicode Cc, Cf, fillers: a
    right-to-left override reverses how the rest of a list's row is shown) or with no letter or
    digit at all. Raises ValidationError with code "invisible" (naming each character by its
    code point) or "no_text". Everything visible is allowed otherwise."""

    def __call__(self, value: str) -> None:
        title = normalize_name(value)
        invisible = [c for c in title if _invisible(c)]
        if invisible:
            characters = ", ".join(_code(c) for c in dict.fromkeys(invisible))
            raise ValidationError(NAME_INVISIBLE.format(characters=characters), code="invisible")
        if title and not any(unicodedata.category(c)[0] in "LN" for c in title):
            raise ValidationError(TITLE_NO_TEXT, code="no_text")

    def __eq__(self, other):
        return isinstance(other, TitleValidator)

    def __hash__(self):
        return hash(TitleValidator)


validate_title = TitleValidator()


# SEARCH KEYS

# Letters without a decomposition that people type without their stroke or as two letters.
SEARCH_FOLDS = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th"}
)
BREVE = "\u0306"


def search_key(value) -> str:
    """A text as a search compares it: names typed with or without their diacritics are one
    (`Şahin` and `sahin`, `Gökçe` and `Gokce`, `Гёкче` and `Гекче`). NFKD with the combining
    marks dropped (Ş Ö Ç É ... read as S O C E, Cyrillic Ё as Е), except the breve of Й (a
    letter of its own), case folded, a few letters with no decomposition read as plain Latin
    (ı ł ø đ æ œ), spaces collapsed (`normalize_name`). Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І) have
    no decomposition and stay. The one rule for stored search keys and for the words searched."""
    text = unicodedata.normalize("NFKD", normalize_name(value))
    kept = []
    for character in text:
        # The breve of Й stays: Й is a letter of its own, not an accented И.
        if unicodedata.combining(character) and not (
            character == BREVE and kept and kept[-1] in "иИ"
        ):
            continue
        kept.append(character)
    text = unicodedata.normalize("NFC", "".join(kept)).casefold().translate(SEARCH_FOLDS)
    return normalize_name(text)
