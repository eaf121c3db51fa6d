"""Addresses as residents and old documents write them: building numbers and street names.

Building numbers (`parse_building`): a house number, an optional letter suffix and an optional
block, in whatever way it is typed: `12`, `12А`, `12 а`, `12-А`, `12/1`, `12А/1`, `12 корпус 2`,
`12 корп. 2`, `12к2`, `12 блок 2`. The text is read as identifiers are (`core.normalize`:
NFKC, Unicode digits as ASCII digits, upper case, Cyrillic look-alike capitals read as the Latin
ones), so a Cyrillic `12А` and a Latin `12A` are one building, and `12Б` keeps its Б (it has no
Latin look-alike). Its key is `<number><suffix>` plus `/<block>` when there is a block:
`12A`, `12A/1`, `12/2`.

Which rule covers a building (`polling.selectors.station_for_address`):
- a single-building rule covers exactly its key: `12` covers neither `12А` nor `12/1`;
- a range from–to (whole numbers) covers every building whose number lies in it, letters and
  blocks included: `12А` and `12/1` are inside 10–14, since they stand on plot 12; an odd or
  even side looks at the number only (12А is on the even side);
- a whole street covers every building of it (or of its odd or even side); a whole locality
  every address in it.

Street names (`street_key`): a search key that finds a street by any of its names in Kazakh,
Russian or Latin letters. Lower case (NFKC), `ё` read as `е`, the street-type words dropped
wherever they stand (`ул.`, `улица`, `көшесі`, `даңғылы`, `проспект`, `пр-т`, `мкр`,
`шағын ауданы`, `переулок`, `бульвар`, `street`, `avenue`...), punctuation made a space, the
Kazakh letters read as their Russian neighbours (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ ү→у, һ→х, і→и),
then everything spelt in plain Latin letters (а→a, ж→zh, ш щ→sh, ч→ch, ц→ts, ю→iu, я→ia;
ъ ь dropped; й ы and a Latin y read as i; a Latin q as k, w as u, kh as h). So `ул. Абая`,
`Абай көшесі`, `Abay` and `ABAI` give `abaia`, `abai`, `abai`, `abai`: typing `Абай` or
`Abai` finds the street by a prefix of each key. It is coarse on purpose: a typeahead offers
candidates, a person picks one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.normalize import IDENTIFIER_LOOKALIKES, validate_title

BUILDING_INVALID = _(
    "“{value}” is not a building number: write a number with an optional letter and block, "
    "e.g. 12, 12А, 12/1 or 12 корпус 2."
)

# Markers of a block (корпус) between the number (with its letter) and the block's own number.
_BLOCK_MARKERS = r"(?:/|\\|КОРПУС|КОРП\.?|КОР\.?|К\.?|БЛОК|BLOCK|BLK\.?|KORPUS)"
_BUILDING = re.compile(
    r"^(?:(?:ДОМ|Д\.|№|NO\.?|N)\s*)?"  # a leading "дом", "д.", "№"
    r"(?P<number>\d{1,6})"
    r"\s*-?\s*(?P<suffix>[^\W\d_]{1,2})?"
    r"(?:\s*" + _BLOCK_MARKERS + r"\s*(?P<block>[0-9]{1,4}[^\W\d_]?|[^\W\d_]))?$"
)


@dataclass(frozen=True)
class Building:
    number: int
    suffix: str = ""  # a letter, look-alikes folded: "A", "Б"
    block: str = ""  # "1", "2A"

    @property
    def key(self) -> str:
        return f"{self.number}{self.suffix}" + (f"/{self.block}" if self.block else "")


def _fold(text: str) -> str:
    return text.upper().translate(IDENTIFIER_LOOKALIKES)


def parse_building(value) -> Building:
    """The building a text names; ValidationError(BUILDING_INVALID, code="building")
    otherwise."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = "".join(
        str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c for c in text
    )
    text = " ".join(text.upper().split())
    match = _BUILDING.match(text)
    if not match:
        raise ValidationError(
            BUILDING_INVALID.format(value=str(value or "").strip()), code="building"
        )
    number = int(match["number"])
    if number == 0:
        raise ValidationError(
            BUILDING_INVALID.format(value=str(value or "").strip()), code="building"
        )
    return Building(number, _fold(match["suffix"] or ""), _fold(match["block"] or ""))


def building_key(value) -> str:
    """The one comparable form of a building number (`parse_building(value).key`)."""
    return parse_building(value).key


# STREET NAMES

STREET_TYPE_WORDS = frozenset(
    {
        # Russian
        "ул",
        "улица",
        "пр",
        "пр-т",
        "прт",
        "просп",
        "проспект",
        "пер",
        "переулок",
        "мкр",
        "мкрн",
        "микрорайон",
        "б-р",
        "бр",
        "бульвар",
        "пл",
        "площадь",
        "ш",
        "шоссе",
        "тупик",
        "туп",
        "проезд",
        "пр-д",
        "наб",
        "набережная",
        "кв-л",
        "квартал",
        "тракт",
        # Kazakh
        "көшесі",
        "көше",
        "көш",
        "даңғылы",
        "даңғ",
        "даң",
        "шағын",
        "ауданы",
        "ауд",
        "ш.а",
        "тұйық",
        "тұйығы",
        "алаңы",
        "алаң",
        "бульвары",
        "жолы",
        "өткелі",
        "орамы",
        "kosh",
        "koshesi",
        "dangyly",
        # Latin
        "st",
        "str",
        "street",
        "ave",
        "av",
        "avenue",
        "prospekt",
        "ulitsa",
        "ul",
        "mkr",
        "microdistrict",
        "lane",
        "blvd",
        "boulevard",
    }
)
# What kind of thoroughfare a type word names: "Абай даңғылы" and "проспект Абая" are one
# avenue, "Абай көшесі" and "улица Абая" one street, so a typed type word tells two streets of one
# name apart (`street_kind`). A word of no kind here ("пр": проспект or проезд) tells nothing.
STREET_KINDS = {
    "avenue": {"проспект", "просп", "пр-т", "прт", "даңғылы", "даңғ", "даң", "dangyly", "ave", "av",
               "avenue", "prospekt"},
    "street": {"улица", "ул", "көшесі", "көше", "көш", "kosh", "koshesi", "st", "str", "street",
               "ulitsa", "ul"},
    "lane": {"переулок", "пер", "тұйық", "тұйығы", "lane", "тупик", "туп"},
    "boulevard": {"бульвар", "б-р", "бр", "бульвары", "blvd", "boulevard"},
    "microdistrict": {"мкр", "мкрн", "микрорайон", "шағын", "mkr", "microdistrict"},
    "square": {"площадь", "пл", "алаңы", "алаң"},
}  # fmt: skip
_KIND_OF_WORD = {word: kind for kind, words in STREET_KINDS.items() for word in words}


def street_kind(value) -> str | None:
    """The kind of thoroughfare the name's first type word names ("avenue" for "Абай даңғылы",
    "пр-т Абая", "Abai avenue"), None for a name with no such word."""
    text = unicodedata.normalize("NFKC", str(value or "")).lower()
    for word in re.split(r"[\s,;:()\"'«»“”„`’]+", text):
        kind = _KIND_OF_WORD.get(word.strip("-.").replace("ё", "е"))
        if kind:
            return kind
    return None


_KAZAKH_TO_RUSSIAN = str.maketrans("әғқңөұүһі", "агкноуухи")
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip
_LATIN_FOLD = (("kh", "h"), ("y", "i"), ("q", "k"), ("w", "u"), ("j", "zh"), ("x", "ks"))


def _latin(word: str) -> str:
    word = "".join(_CYRILLIC_TO_LATIN.get(c, c) for c in word)
    for before, after in _LATIN_FOLD:
        word = word.replace(before, after)
    return "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii() and c.isalnum())


def street_key(value) -> str:
    """A street name's search key (see the module's documentation); "" for no name."""
    text = unicodedata.normalize("NFKC", str(value or "")).lower()
    words = re.split(r"[\s,;:()\"'«»“”„`’]+|(?<!\w)\.|\.(?!\w)|\.", text)
    kept = []
    for word in words:
        word = word.strip("-.")
        if not word or word in STREET_TYPE_WORDS or word.replace("ё", "е") in STREET_TYPE_WORDS:
            continue
        folded = _latin(word.replace("ё", "е").translate(_KAZAKH_TO_RUSSIAN))
        if folded:
            kept.append(folded)
    return " ".join(kept)


def typed_street_key(value) -> str:
    """`street_key` of a name being typed: a last word that is the start of a street-type word
    after other words ("Абай к" for "Абай көшесі", "Абая ули") is left out, as the voter has not
    typed a word of the name there yet; the key of the name before it is a prefix of the key of
    any name that goes on with that word ("Абай Кунанбаев"), so nothing is lost."""
    text = unicodedata.normalize("NFKC", str(value or "")).lower()
    words = text.split()
    if len(words) > 1:
        last = words[-1].strip(".").replace("ё", "е")
        if last and any(word.startswith(last) for word in STREET_TYPE_WORDS):
            return street_key(" ".join(words[:-1])) or street_key(text)
    return street_key(text)


# ADDRESSES AS TEXT

ADDRESS_MAX_LENGTH = 200
ADDRESS_TOO_LONG = _("An address is at most {limit} characters long.")
ADDRESS_INVISIBLE = _(
    "The address holds invisible or control characters; type it again without them."
)
ADDRESS_NEEDS_STREET = _("Write a street and a building number, e.g. “Абай даңғылы, 12А”.")
ADDRESS_NO_STREET = _("No street is known by the name “{value}”.")
ADDRESS_SEVERAL_STREETS = _(
    "Several streets match “{value}”: choose one and ask again with its id (street=<id>)."
)

# Words that say what kind of place a locality is: dropped from a locality's name as typed
# ("г. Алматы", "Алматы қаласы", "село Саты", "Saty village" name Алматы and Саты).
LOCALITY_TYPE_WORDS = frozenset(
    {
        # Russian
        "г",
        "гор",
        "город",
        "с",
        "село",
        "п",
        "пос",
        "поселок",
        "посёлок",
        "пгт",
        "аул",
        "ст",
        "станция",
        # Kazakh
        "қ",
        "қала",
        "қаласы",
        "а",
        "ауыл",
        "ауылы",
        "кент",
        "кенті",
        # Latin
        "city",
        "town",
        "village",
        "aul",
    }
)
# An apartment at the end ("кв. 5", "пәтер 12", "apt 3"): a station serves buildings, so it is
# dropped (and never read or kept).
_APARTMENT = re.compile(
    r"(?:^|\s)(?:кв|квартира|пәтер|apt|apartment|flat)\.?\s*(?:№\s*)?\d+\S*$", re.IGNORECASE
)
# How many localities (comma-separated parts before the street) are read: the two nearest the
# street ("Алматы, Алмалинский район, ул. Абая 12"); what comes before them is a region's name
# or a postcode, which the street's locality does not name.
ADDRESS_LOCALITY_PARTS = 2
# How many leading words of an address without commas may name its locality ("Алматы Ленина 5",
# "г. Алматы Ленина 5").
ADDRESS_LOCALITY_WORDS = 2


@dataclass(frozen=True)
class AddressReading:
    """One way of reading a typed address: the words naming the street, the building number (as
    typed; "" for none) and the names its locality may have (each as typed, and without its
    type words: "г. Алматы" gives "г. Алматы" and "Алматы"; empty: any locality)."""

    street: str
    building: str = ""
    locality: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The street's search key (`street_key`)."""
        return street_key(self.street)


def _is_building(text: str) -> bool:
    try:
        parse_building(text)
    except ValidationError:
        return False
    return True


def locality_names(part: str) -> tuple[str, ...]:
    """A locality's name as typed, and without its type words (LOCALITY_TYPE_WORDS: "г. Алматы"
    gives "г. Алматы" and "Алматы"); nothing when no letter is left ("г.", "12")."""
    words = [w for w in re.split(r"[\s.]+", part) if w.strip("-")]
    plain = " ".join(w for w in words if w.lower().replace("ё", "е") not in LOCALITY_TYPE_WORDS)
    if not re.search(r"[^\W\d_]", plain):
        return ()
    typed = " ".join(part.split()).strip(" .-")
    return tuple(dict.fromkeys(name for name in (typed, plain) if name))


def _names_a_street(words: list[str]) -> bool:
    """Whether words hold a street's type word (ул., даңғылы, avenue): then they are no
    locality's name."""
    return any(
        word.lower().replace("ё", "е").strip(".,") in STREET_TYPE_WORDS
        for text in words
        for word in re.split(r"[\s.]+", text)
    )


def _street_and_building(words: list[str]) -> list[tuple[list[str], str]]:
    """The ways to split words into a street and a building, most likely first: the building
    last (the longest ending that `parse_building` reads: "Abai avenue 12 korpus 2"), no
    building ("8 Марта", a street named with a number), the building first ("52 Abay
    Avenue", as English writes it)."""
    splits: list[tuple[list[str], str]] = []
    for start in range(1, len(words)):
        if _is_building(" ".join(words[start:])):
            splits.append((words[:start], " ".join(words[start:])))
            break
    splits.append((words, ""))
    for end in range(len(words) - 1, 0, -1):
        if _is_building(" ".join(words[:end])):
            splits.append((words[end:], " ".join(words[:end])))
            break
    return splits


def parse_address(value) -> tuple[AddressReading, ...]:
    """The readings of an address as a voter or an agency types it, most likely first: "ул.
    Абая, 12/1", "Абай даңғылы 12А", "Abai avenue 12 korpus 2", "Алматы, Ленина 5", "г. Алматы,
    Алмалинский район, пр. Абая 52, кв. 7". The one rule of reading them (the API's
    `?address=`, the public finder):

    - commas (or semicolons) separate parts: the last part that is not a building number names
      the street; up to ADDRESS_LOCALITY_PARTS parts before it name the locality (or the city
      a city district is part of), without their type words (г., қаласы, село...);
    - an apartment at the end (кв. 7, пәтер 7, apt 7) is dropped: a station serves buildings;
    - the building is a part of its own ("ул. Абая, 12/1"), else the end of the street's part
      that `parse_building` reads ("Абай даңғылы 12А", "12 корпус 2"); a street may have no
      building ("8 Марта": a street served whole needs none) or have it first ("52 Abay
      Avenue");
    - without commas, the first one or two words may name the locality ("Алматы Ленина 5"):
      those readings come after the ones without a locality.

    A reading whose street has no search key (only type words: "ул. 12") is left out. Raises
    ValidationError: code "address_length" over ADDRESS_MAX_LENGTH characters; "invisible"
    (ADDRESS_INVISIBLE) for control, invisible or direction-changing characters and "no_text"
    for no letter or digit (`core.normalize.validate_title`, the rule of every title);
    "address_street" (ADDRESS_NEEDS_STREET) when no reading names a street.
    """
    text = str(value or "")
    if len(text) > ADDRESS_MAX_LENGTH:
        raise ValidationError(
            ADDRESS_TOO_LONG.format(limit=ADDRESS_MAX_LENGTH), code="address_length"
        )
    try:
        validate_title(text)
    except ValidationError as error:
        if error.code == "invisible":
            raise ValidationError(ADDRESS_INVISIBLE, code="invisible") from None
        raise
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    parts = [part.strip() for part in re.split(r"[,;]", text) if part.strip(" .-")]
    if parts and _APARTMENT.fullmatch(parts[-1].strip()):
        parts.pop()
    if parts:
        parts[-1] = _APARTMENT.sub("", parts[-1]).strip()
    building = ""
    if len(parts) > 1 and _is_building(parts[-1]):
        building = parts.pop()
    parts = [part for part in parts if part]
    if not parts:
        raise ValidationError(ADDRESS_NEEDS_STREET, code="address_street")
    words = parts[-1].split()
    locality = tuple(
        name for part in parts[:-1][-ADDRESS_LOCALITY_PARTS:] for name in locality_names(part)
    )
    splits = [(words, building)] if building else _street_and_building(words)
    readings = [AddressReading(" ".join(street), number, locality) for street, number in splits]
    if not locality:
        for count in range(1, ADDRESS_LOCALITY_WORDS + 1):
            for street, number in splits:
                rest = " ".join(street[count:])
                if len(street) > count and re.search(r"[^\W\d_]", street_key(rest)):
                    names = (
                        ()
                        if _names_a_street(street[:count])
                        else locality_names(" ".join(street[:count]))
                    )
                    if names:
                        readings.append(AddressReading(rest, number, names))
    kept = {}
    for reading in readings:
        if reading.key:
            kept.setdefault((reading.key, reading.building, reading.locality), reading)
    if not kept:
        raise ValidationError(ADDRESS_NEEDS_STREET, code="address_street")
    return tuple(kept.values())
