"""Fictional people for the demo: common first and last names of a country, put together by index.

The names are in `names.json` next to this module: per set, men's and women's first names and
surnames (with the women's forms where a woman's surname has its own, as in Russian or Polish),
each as (Latin, as in a passport; Cyrillic), and which set each country (ISO 3166 alpha-2 code)
uses. Nobody is real: the demo puts names together, and invents dates of birth and document
numbers, by index, so the same index always gives the same person and different indexes give
different document numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

__all__ = ["FictionalPerson", "Name", "NameSet", "fictional_person", "name_sets"]

Name = tuple[str, str]  # (Latin, as in the passport; Cyrillic)

_DOCUMENT_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O or Q: they read as digits
_BORN_FROM = date(1956, 1, 1)
_BORN_SPAN_DAYS = 38 * 365  # born from 1956 to 1993


@dataclass(frozen=True)
class NameSet:
    """A country's (or a language's) common names."""

    men: tuple[Name, ...]
    women: tuple[Name, ...]
    surnames: tuple[Name, ...]
    women_surnames: tuple[Name, ...] = ()  # where a woman's surname has its own form

    def person(self, index: int) -> tuple[Name, Name]:
        """(first name, last name) of the index-th person: men and women alternately."""
        woman = index % 2 == 1
        firsts = self.women if woman else self.men
        lasts = self.women_surnames if woman and self.women_surnames else self.surnames
        return firsts[(index // 2) % len(firsts)], lasts[(index * 5 + index // 7) % len(lasts)]


@dataclass(frozen=True)
class FictionalPerson:
    first_name: Name
    last_name: Name
    date_of_birth: date
    document_number: str  # two letters and seven digits, e.g. "AB1234567"


def _names(pairs: list[list[str]]) -> tuple[Name, ...]:
    return tuple((latin, cyrillic) for latin, cyrillic in pairs)


@cache
def name_sets() -> dict[str, NameSet]:
    """Each country's name set, by ISO code (from names.json)."""
    text = resources.files(__package__).joinpath("names.json").read_text(encoding="utf-8")
    data = json.loads(text)
    sets = {
        key: NameSet(
            men=_names(value["men"]),
            women=_names(value["women"]),
            surnames=_names(value["surnames"]),
            women_surnames=_names(value.get("women_surnames", [])),
        )
        for key, value in data["name_sets"].items()
    }
    return {country: sets[key] for country, key in data["countries"].items()}


def fictional_person(index: int, country: str) -> FictionalPerson:
    """The index-th fictional citizen of `country` (an ISO code with a name set).

    The same (index, country) always gives the same person; the document number depends on the
    index alone and differs for every index below ten million. Born between 1956 and 1993.
    Raises ValueError for a country without a name set.
    """
    try:
        name_set = name_sets()[country]
    except KeyError:
        raise ValueError(f"The demo has no names for the country {country!r}.") from None
    first_name, last_name = name_set.person(index)
    # 7919 is prime to 10**7: every index below ten million gets its own serial.
    serial = (index * 7919 + 1_234_567) % 10_000_000
    letters = _DOCUMENT_LETTERS[index % 23] + _DOCUMENT_LETTERS[(index // 23) % 23]
    return FictionalPerson(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=_BORN_FROM + timedelta(days=(index * 2741) % _BORN_SPAN_DAYS),
        document_number=f"{letters}{serial:07d}",
    )
