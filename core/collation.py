"""Collation: lists sorted by name follow the alphabet of the language they are shown in.

Kazakh orders А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я;
Russian sorts Ё with Е; English sorts by its own rules. Python's `sorted` orders by code
point, which puts Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І after Я and Ё before А.

The decision: collation is done in Python with ICU (the CLDR rules of each language), through
PyICU's `icu` module, installed from the `pyicu-wheels` package (wheels of PyICU with ICU
bundled, for Linux x86_64 and aarch64, macOS and Windows, so a clean machine needs no compiler
and no libicu-dev). Not chosen: database ICU collations (`COLLATE "kk-x-icu"`), since the
embedded PostgreSQL (pgserver) is built without ICU although a system PostgreSQL has them;
the `PyICU` package itself, which is only a source distribution (it needs libicu-dev,
pkg-config and a compiler, which the CI's clean machine does not install); `icu4py`, which
has no collator. Lists sorted by name are small (states, organisations, regions, bodies:
hundreds at most), so sorting them in Python after the query costs nothing that matters. Long
lists of people (observers: thousands) are sorted the same way by `QuerySetByName`, which reads
only the names and the unique key of every row, sorts those, and loads only the rows of the
page (or of the download's chunk) it is asked for.

Numbers inside names compare as numbers ("No. 2" before "No. 10"). Give `sorted_by_name` a
unique key (`unique=`, e.g. the primary key) to order by last, so that equal names keep one
order (STYLE.md: lists order by a unique key last); the choice iterators and list filters here
do so by the choice's value.

Use `sorted_by_name(items, key=..., unique=...)` for a list, `sort_key()` for a key function
of your own, `collate_choices()` for a form field's choices, `CollatedModelChoiceIterator` for
a ModelChoiceField, `CollatedChoicesAdminMixin` (in every audited admin: country fields always,
other fields named in `collated_choices`) for admin forms, and `CollatedRelatedFieldListFilter`
/ `CollatedRelatedOnlyFieldListFilter` for admin list filters, `QuerySetByName` for a long
list paged or downloaded in the alphabet's order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

import icu
from django.conf import settings
from django.contrib import admin
from django.forms.models import ModelChoiceIterator
from django.utils import translation

T = TypeVar("T")

_cache = threading.local()  # ICU collators are not shared between threads


def icu_locale(language: str | None = None) -> str:
    """The ICU locale of a Django language code ("kk", "ru", "en-us" → "en_US"); by default the
    active language, else LANGUAGE_CODE."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return translation.to_locale(language)


def collator(language: str | None = None) -> icu.Collator:
    """The language's ICU collator (tertiary strength, numbers compared as numbers), one per
    thread and language."""
    locale = icu_locale(language)
    collators = getattr(_cache, "collators", None)
    if collators is None:
        collators = _cache.collators = {}
    found = collators.get(locale)
    if found is None:
        found = icu.Collator.createInstance(icu.Locale(locale))
        found.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
        collators[locale] = found
    return found


def sort_key(language: str | None = None) -> Callable[[object], bytes]:
    """A key function for `sorted`: a text's ICU sort key in the language (default: the active
    one). None counts as ""; anything else by its str() (lazy translations included)."""
    key = collator(language).getSortKey

    def text_key(text: object) -> bytes:
        return key("" if text is None else str(text))

    return text_key


def sorted_by_name(
    items: Iterable[T],
    *,
    key: Callable[[T], object] = str,
    unique: Callable[[T], object] | None = None,
    language: str | None = None,
    reverse: bool = False,
) -> list[T]:
    """`items` sorted by `key(item)` (their name) in the language's alphabet, then by
    `unique(item)` (e.g. the primary key) so that equal names keep one order."""
    text_key = sort_key(language)
    if unique is None:
        return sorted(items, key=lambda item: text_key(key(item)), reverse=reverse)
    return sorted(items, key=lambda item: (text_key(key(item)), unique(item)), reverse=reverse)


def collate_choices(choices, language: str | None = None) -> list:
    """Form choices [(value, label), ...] sorted by label; entries with an empty value (the
    "---------" line) stay first, and the options inside a group are sorted in it."""
    text_key = sort_key(language)
    empty, options = [], []
    for value, label in choices:
        if isinstance(label, list | tuple):
            options.append((value, collate_choices(label, language)))
        elif value in ("", None):
            empty.append((value, label))
        else:
            options.append((value, label))

    def choice_key(choice):
        value, label = choice
        return (text_key(value if isinstance(label, list) else label), str(value))

    return empty + sorted(options, key=choice_key)


class CollatedModelChoiceIterator(ModelChoiceIterator):
    """A ModelChoiceField's choices by label in the active language, then by primary key."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        if not queryset._prefetch_related_lookups:
            queryset = queryset.iterator()
        text_key = sort_key()
        choices = [self.choice(obj) for obj in queryset]
        yield from sorted(choices, key=lambda choice: (text_key(choice[1]), choice[0].value))


def collate_field(field) -> None:
    """Make a form field list its choices by name in the active language."""
    if hasattr(field, "iterator") and hasattr(field, "queryset"):
        field.iterator = CollatedModelChoiceIterator
        field.widget.choices = field.choices  # the widget holds the old iterator
    elif hasattr(field, "choices"):
        field.choices = collate_choices(field.choices)


class CollatedChoicesAdminMixin:
    """Admin forms list choices of the fields named in `collated_choices` (foreign keys,
    many-to-many and choice fields) by name in the admin's language; country fields always.
    Choices whose order means something (elections: by date) are left as their model orders
    them."""

    collated_choices: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and self._collates(db_field):
            collate_field(field)
        return field

    def _collates(self, db_field) -> bool:
        from django_countries.fields import CountryField

        return db_field.name in self.collated_choices or isinstance(db_field, CountryField)


class CollatedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """An admin list filter by a related object, its choices by name in the admin's language."""

    def field_choices(self, field, request, model_admin):
        return collate_choices(super().field_choices(field, request, model_admin))


class CollatedRelatedOnlyFieldListFilter(admin.RelatedOnlyFieldListFilter):
    """The same, offering only the objects the listed rows refer to."""

    def field_choices(self, field, request, model_admin):
        return collate_choices(super().field_choices(field, request, model_admin))


class QuerySetByName(Sequence):
    """A queryset's rows ordered by the text fields `names` (e.g. last name, then first name) in
    the language's alphabet, then by the unique field `unique`: a sequence that a Paginator
    pages (len() and slices) and that `chunks()` walks for a download.

    The first use reads `unique` and the names of every row in one query and sorts them in
    Python; a slice then loads its rows (with the queryset's select_related and only) in one
    more query. The language is the active one when the sequence is made.
    """

    def __init__(self, queryset, *, names: Sequence[str], unique: str = "pk", language=None):
        self.queryset = queryset
        self.names = tuple(names)
        self.unique = unique
        self.language = language or translation.get_language() or settings.LANGUAGE_CODE
        self._keys: list | None = None

    def keys(self) -> list:
        """The rows' unique values, in order."""
        if self._keys is None:
            text_key = sort_key(self.language)
            rows = self.queryset.order_by().values_list(self.unique, *self.names)
            ordered = sorted(rows, key=lambda row: (*(text_key(name) for name in row[1:]), row[0]))
            self._keys = [row[0] for row in ordered]
        return self._keys

    def __len__(self) -> int:
        return len(self.keys())

    def count(self) -> int:  # what Paginator asks first
        return len(self)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self.keys()[index])
        return self._load([self.keys()[index]])[0]

    def __iter__(self) -> Iterator:
        for chunk in self.chunks():
            yield from chunk

    def chunks(self, size: int = 500) -> Iterator[list]:
        """The rows in order, `size` at a time (one query per chunk)."""
        keys = self.keys()
        for start in range(0, len(keys), size):
            yield self._load(keys[start : start + size])

    def _load(self, keys: list) -> list:
        if not keys:
            return []
        found = {
            getattr(row, self.unique): row
            for row in self.queryset.filter(**{f"{self.unique}__in": keys})
        }
        return [found[key] for key in keys if key in found]
