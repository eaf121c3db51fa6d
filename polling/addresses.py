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

from core.normalize import IDENTIFIER_LOOKALIKES

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
