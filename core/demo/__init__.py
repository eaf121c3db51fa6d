"""The demo every app contributes, and what `manage.py load_demo` runs it with.

An app with demo data keeps it as data files in its own `demo/` package (CSV, one table per file,
a header row, UTF-8) and names its loader on its AppConfig:

    class PollingConfig(AppConfig):
        demo_loader = "polling.demo.load"  # dotted path of a function load(demo: Demo) -> None
        demo_after = ("commissions",)  # apps whose demo must be loaded first

`load_demo` imports every loader, orders them (`demo_loaders()`: each after the apps it names in
`demo_after`, otherwise in INSTALLED_APPS order) and runs them in one transaction. A loader reads
its files (`read_csv`), writes each row through its app's services or `Demo.upsert` (found by a
natural key, written only when missing or different, so a second run writes nothing), and tells
the `Demo` how many rows of each model its demo holds (`Demo.expect`) for the report. An app
without a demo declares nothing.

The fictional people the demo needs (observers now, voters later) come from `core.demo.names`.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string
from modeltranslation.settings import AVAILABLE_LANGUAGES

from core import services

__all__ = [
    "Demo",
    "DemoDataError",
    "DemoLoader",
    "demo_loaders",
    "dependency_order",
    "parse_bool",
    "parse_date",
    "parse_optional_date",
    "parse_optional_int",
    "read_csv",
    "translated",
]


class DemoDataError(ValueError):
    """A demo data file that cannot be read as its loader expects (names the file and line)."""


# THE REGISTRY


@dataclass(frozen=True)
class DemoLoader:
    """An app's demo loader, as its AppConfig declares it."""

    app_label: str
    load: Callable[[Demo], None]
    after: tuple[str, ...] = ()


def dependency_order(labels: Sequence[str], after: Mapping[str, Collection[str]]) -> list[str]:
    """`labels` reordered so that each comes after every label it names in `after`.

    Otherwise the given order is kept (a stable topological sort: at each step the first label
    whose dependencies are all placed). A dependency that is not among `labels` is taken as met.
    Raises ImproperlyConfigured when no order exists, naming the labels left unplaced (those of
    a cycle and those that wait on it).
    """
    pending = list(labels)
    placed: list[str] = []
    while pending:
        ready = next(
            (
                label
                for label in pending
                if all(dep in placed or dep not in pending for dep in after.get(label, ()))
            ),
            None,
        )
        if ready is None:
            raise ImproperlyConfigured(
                "The demo loaders' dependencies (demo_after) form a cycle among: "
                + ", ".join(pending)
            )
        pending.remove(ready)
        placed.append(ready)
    return placed


def demo_loaders() -> list[DemoLoader]:
    """The installed apps' demo loaders, in the order they must run.

    Each app's AppConfig may name `demo_loader` (a dotted path) and `demo_after` (app labels).
    Raises ImproperlyConfigured when `demo_after` names an app that is not installed or the
    dependencies form a cycle; ImportError when a loader's dotted path names nothing.
    """
    configs = [config for config in apps.get_app_configs() if getattr(config, "demo_loader", "")]
    for config in configs:
        for label in getattr(config, "demo_after", ()):
            if label not in apps.app_configs:
                raise ImproperlyConfigured(
                    f"{config.label}.demo_after names {label!r}, which is not an installed app."
                )
    after = {config.label: tuple(getattr(config, "demo_after", ())) for config in configs}
    by_label = {config.label: config for config in configs}
    return [
        DemoLoader(label, import_string(by_label[label].demo_loader), after[label])
        for label in dependency_order(list(by_label), after)
    ]


# WRITING


def _same(obj: models.Model, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


class Demo:
    """The demo being loaded: what the loaders wrote, and what it holds, for the report."""

    def __init__(self, **options) -> None:
        # What `load_demo` was asked for beyond the demo itself (`stations`: a generated
        # national-size registry); a loader reads what concerns it.
        self.options = options
        self.written: Counter[tuple[type[models.Model], str]] = Counter()
        self.expected: dict[type[models.Model], int] = {}
        self.notes: list[str] = []

    def upsert(
        self,
        model: type[models.Model],
        key: dict,
        values: dict,
        *,
        create: Callable[[], models.Model] | None = None,
    ) -> models.Model:
        """update_or_create on a natural key, through the core's write services (validated,
        saved as the system, constraints' own messages), saved only on a change.

        `create`, when given, makes a missing row instead (the app's service, with its side
        effects); a row that exists is updated (`core.services.reference_update`) only in the
        fields that differ from `values`. Counted as created or updated.
        """
        obj = model._default_manager.filter(**key).first()
        if obj is None:
            if create is not None:
                obj = create()
            else:
                obj = services.model_create(actor=None, instance=model(**key, **values))
            self.written[model, "created"] += 1
            return obj
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if changed:
            data = {name: values[name] for name in changed}
            services.reference_update(actor=None, instance=obj, data=data, fields=changed)
            self.written[model, "updated"] += 1
        return obj

    def count(self, model: type[models.Model], *, created: int = 0, updated: int = 0) -> None:
        """Count rows a service wrote outside `upsert` (a batch of nominations, decisions)."""
        self.written[model, "created"] += created
        self.written[model, "updated"] += updated

    def expect(self, model: type[models.Model], rows: int) -> None:
        """The demo holds `rows` rows of `model`: a line of the report, in the order given."""
        self.expected[model] = rows

    def note(self, line: str) -> None:
        """A line printed after the counts (e.g. the demo accounts)."""
        self.notes.append(line)

    def report(self) -> list[str]:
        """One line per expected model: its rows, and how many this run created and updated."""
        lines = []
        for model, rows in self.expected.items():
            created = self.written[model, "created"]
            updated = self.written[model, "updated"]
            label = model._meta.model_name
            lines.append(f"  {label:<18} {rows:>3}  (created {created}, updated {updated})")
        return lines + self.notes


# READING


def read_csv(package: str, name: str) -> list[dict[str, str]]:
    """The rows of the CSV file `name` in `package` (e.g. "polling.demo", "stations.csv").

    UTF-8, comma-separated, standard quoting, a header row naming the columns; every row has
    exactly the header's cells (DemoDataError naming the file and line otherwise). Cells are
    strings: the loader parses them (`parse_date`, `parse_bool`, `parse_optional_int`).
    """
    where = f"{package.replace('.', '/')}/{name}"
    with resources.files(package).joinpath(name).open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        header = next(reader, None)
        if not header:
            raise DemoDataError(f"{where}: no header row.")
        if len(set(header)) != len(header):
            raise DemoDataError(f"{where}: a column is named twice in the header.")
        rows = []
        for cells in reader:
            if len(cells) != len(header):
                raise DemoDataError(
                    f"{where}, line {reader.line_num}: {len(cells)} cells, "
                    f"the header has {len(header)}."
                )
            rows.append(dict(zip(header, cells, strict=True)))
    return rows


def parse_date(value: str) -> date:
    """An ISO date cell ("2023-03-19")."""
    return date.fromisoformat(value)


def parse_optional_date(value: str) -> date | None:
    """An ISO date cell, or None when empty."""
    return date.fromisoformat(value) if value else None


def parse_bool(value: str) -> bool:
    """ "true" or "false"; anything else is a DemoDataError."""
    if value not in ("true", "false"):
        raise DemoDataError(f"Expected true or false, not {value!r}.")
    return value == "true"


def parse_optional_int(value: str) -> int | None:
    """An integer cell, or None when empty."""
    return int(value) if value else None


def translated(row: Mapping[str, str], field: str) -> dict[str, str]:
    """A row's `<field>_<language>` cells as model fields: {"name_en": .., "name_ru": .., ..}."""
    return {f"{field}_{language}": row[f"{field}_{language}"] for language in AVAILABLE_LANGUAGES}
