"""core.demo: the loaders each app registers, their order, the writer, the data files, the names.

The demo's contents are tested with the apps (tests/commissions/test_load_demo.py,
tests/observers/test_demo.py); here the machinery, with loaders of the tests' own.
"""

import fnmatch
import sys
import tomllib
from collections import Counter
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from commissions.models import Region
from core.audit import SYSTEM_USERNAME
from core.demo import (
    Demo,
    DemoDataError,
    demo_loaders,
    dependency_order,
    parse_bool,
    read_csv,
    translated,
)
from core.demo.names import FictionalPerson, fictional_person, name_sets

ROOT = Path(__file__).resolve().parents[2]

# What the test loaders below saw, in order.
CALLS: list[str] = []


def _region_loader(code: str):
    def load(demo: Demo) -> None:
        CALLS.append(code)
        demo.expect(Region, 1)
        demo.upsert(
            Region,
            {"code": code},
            {"name": code.title(), "kind": "oblast", "timezone": "Asia/Almaty"},
        )

    return load


load_first = _region_loader("first")
load_second = _region_loader("second")


def load_and_fail(demo: Demo) -> None:
    CALLS.append("fail")
    raise RuntimeError("a loader failed")


@pytest.fixture
def test_loaders(monkeypatch):
    """The installed apps' loaders replaced by the tests' own (observers' needs commissions')."""
    CALLS.clear()
    for label in ("commissions", "polling", "observers"):
        monkeypatch.setattr(apps.get_app_config(label), "demo_loader", "", raising=False)

    def use(label: str, loader: str, after: tuple[str, ...] = ()) -> None:
        config = apps.get_app_config(label)
        monkeypatch.setattr(config, "demo_loader", f"{__name__}.{loader}", raising=False)
        monkeypatch.setattr(config, "demo_after", after, raising=False)

    return use


def region(code: str = "upserted") -> dict:
    return {"code": code}


# ORDER


def test_without_dependencies_the_given_order_is_kept():
    assert dependency_order(["a", "b", "c"], {}) == ["a", "b", "c"]


def test_an_app_comes_after_the_apps_it_names():
    order = dependency_order(
        ["observers", "polling", "commissions"],
        {
            "observers": ["commissions"],
            "polling": ["commissions"],
        },
    )

    assert order == ["commissions", "observers", "polling"]


def test_a_chain_of_dependencies_is_followed():
    after = {"voterlists": ["polling"], "polling": ["commissions"]}

    assert dependency_order(["voterlists", "polling", "commissions"], after) == [
        "commissions",
        "polling",
        "voterlists",
    ]


def test_a_dependency_without_a_demo_is_met():
    assert dependency_order(["polling"], {"polling": ["core"]}) == ["polling"]


def test_a_cycle_is_refused_with_its_apps():
    with pytest.raises(ImproperlyConfigured, match="cycle among: a, b"):
        dependency_order(["a", "b", "c"], {"a": ["b"], "b": ["a"]})


def test_the_installed_apps_loaders_run_commissions_first():
    loaders = demo_loaders()

    assert [loader.app_label for loader in loaders] == ["commissions", "polling", "observers"]
    assert {loader.app_label: loader.after for loader in loaders} == {
        "commissions": (),
        "polling": ("commissions",),
        "observers": ("commissions",),
    }
    assert all(loader.load.__module__ == f"{loader.app_label}.demo" for loader in loaders)


def test_a_dependency_on_an_app_that_is_not_installed_is_refused(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("polling"), "demo_after", ("precincts",))

    with pytest.raises(ImproperlyConfigured, match="polling.demo_after names 'precincts'"):
        demo_loaders()


def test_a_cycle_between_installed_apps_is_refused(monkeypatch):
    config = apps.get_app_config("commissions")
    monkeypatch.setattr(config, "demo_after", ("observers",), raising=False)

    with pytest.raises(ImproperlyConfigured, match="cycle"):
        demo_loaders()


# THE COMMAND


@pytest.mark.django_db
def test_load_demo_runs_each_loader_after_its_dependencies(test_loaders):
    test_loaders("observers", "load_second", after=("commissions",))
    test_loaders("commissions", "load_first")
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert CALLS == ["first", "second"]
    assert "loaded (commissions, observers)" in out.getvalue()
    assert "region               1  (created 2, updated 0)" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_writes_as_the_system_actor(test_loaders):
    test_loaders("commissions", "load_first")

    call_command("load_demo", stdout=StringIO())

    entry = LogEntry.objects.get_for_object(Region.objects.get(code="first")).get()
    assert entry.actor.username == SYSTEM_USERNAME


@pytest.mark.django_db
def test_a_failing_loader_leaves_nothing_behind(test_loaders):
    test_loaders("commissions", "load_first")
    test_loaders("observers", "load_and_fail", after=("commissions",))

    with pytest.raises(RuntimeError, match="a loader failed"):
        call_command("load_demo", stdout=StringIO())

    assert CALLS == ["first", "fail"]
    assert not Region.objects.filter(code="first").exists()


# WRITING


@pytest.mark.django_db
def test_upsert_creates_a_missing_row():
    demo = Demo()

    created = demo.upsert(Region, region(), {"name": "A", "kind": "oblast", "timezone": "UTC"})

    assert Region.objects.get(code="upserted") == created
    assert demo.written == Counter({(Region, "created"): 1})


@pytest.mark.django_db
def test_upsert_writes_nothing_when_the_row_is_as_given():
    values = {"name": "A", "kind": "oblast", "timezone": "UTC"}
    Demo().upsert(Region, region(), values)
    entries = LogEntry.objects.count()
    demo = Demo()

    demo.upsert(Region, region(), values)

    assert LogEntry.objects.count() == entries
    assert not +demo.written


@pytest.mark.django_db
def test_upsert_puts_back_a_changed_field():
    values = {"name": "A", "kind": "oblast", "timezone": "Asia/Qostanay"}
    Demo().upsert(Region, region(), values)
    Region.objects.filter(code="upserted").update(timezone="Asia/Almaty")
    demo = Demo()

    demo.upsert(Region, region(), values)

    assert Region.objects.get(code="upserted").timezone == "Asia/Qostanay"
    assert demo.written == Counter({(Region, "updated"): 1})


@pytest.mark.django_db
def test_upsert_validates_a_new_row():
    with pytest.raises(Exception, match="timezone"):
        Demo().upsert(Region, region(), {"name": "A", "kind": "oblast", "timezone": "UTC+6"})

    assert not Region.objects.filter(code="upserted").exists()


@pytest.mark.django_db
def test_upsert_makes_a_missing_row_with_the_given_service():
    made = []

    def create():
        made.append(Region.objects.create(code="upserted", name="B", kind="city", timezone="UTC"))
        return made[-1]

    demo = Demo()
    row = demo.upsert(Region, region(), {"name": "B"}, create=create)

    assert made == [row]
    assert demo.written[Region, "created"] == 1


def test_the_report_has_a_line_per_expected_model_and_the_notes():
    demo = Demo()
    demo.expect(Region, 20)
    demo.count(Region, created=2, updated=1)
    demo.note("Demo accounts: demo-cec")

    assert demo.report() == [
        "  region              20  (created 2, updated 1)",
        "Demo accounts: demo-cec",
    ]


# READING


def test_read_csv_gives_each_row_by_its_header():
    rows = read_csv("polling.demo", "stations.csv")

    assert len(rows) == 14
    assert rows[0]["number"] == "12"
    assert rows[0]["address_en"] == "Astana, 14 Kenesary Street"  # a quoted comma stays


@pytest.fixture
def data_package(tmp_path, monkeypatch):
    """A package `demo_data_for_tests` of the test's own (imported afresh for each test)."""
    package = tmp_path / "demo_data_for_tests"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "demo_data_for_tests", raising=False)
    yield package
    sys.modules.pop("demo_data_for_tests", None)


def test_read_csv_refuses_a_row_with_missing_cells(data_package):
    (data_package / "short.csv").write_text("code,name\na,A\nb\n", encoding="utf-8")

    with pytest.raises(DemoDataError, match="short.csv, line 3: 1 cells, the header has 2"):
        read_csv("demo_data_for_tests", "short.csv")


def test_read_csv_refuses_a_column_named_twice(data_package):
    (data_package / "twice.csv").write_text("code,code\na,b\n", encoding="utf-8")

    with pytest.raises(DemoDataError, match="named twice"):
        read_csv("demo_data_for_tests", "twice.csv")


def test_read_csv_reads_utf8_with_line_breaks_in_quoted_cells(data_package):
    (data_package / "kk.csv").write_text('name_kk\n"Ақтөбе\nоблысы"\n', encoding="utf-8")

    assert read_csv("demo_data_for_tests", "kk.csv") == [{"name_kk": "Ақтөбе\nоблысы"}]


def test_flags_are_true_or_false_only():
    assert (parse_bool("true"), parse_bool("false")) == (True, False)
    with pytest.raises(DemoDataError):
        parse_bool("yes")


def test_translated_gives_each_language_column_as_a_model_field():
    row = {"name_en": "Aktobe", "name_ru": "Актобе", "name_kk": "Ақтөбе", "code": "aktobe"}

    assert translated(row, "name") == {
        "name_en": "Aktobe",
        "name_ru": "Актобе",
        "name_kk": "Ақтөбе",
    }


def _package_data_patterns() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["tool"]["setuptools"]["package-data"]["*"]


def test_every_demo_data_file_is_installed_with_its_package():
    patterns = _package_data_patterns()
    files = [
        path
        for app in ("core", "commissions", "polling", "voterlists", "observers", "debates")
        for path in (ROOT / app / "demo").glob("*")
        if path.is_file() and path.suffix != ".py"
    ]

    assert len(files) >= 15
    missing = [p.name for p in files if not any(fnmatch.fnmatch(p.name, g) for g in patterns)]
    assert missing == []
    assert all((p.parent / "__init__.py").exists() for p in files)  # a package, so installed


# FICTIONAL PEOPLE


def test_the_same_index_gives_the_same_person():
    # The demo's observers depend on these: the 7th nominee is a German woman, and so on.
    assert fictional_person(7, "DE") == FictionalPerson(
        first_name=("Anja", "Аня"),
        last_name=("Krause", "Краузе"),
        date_of_birth=date(1970, 7, 23),
        document_number="HA1290000",
    )
    assert fictional_person(301, "PL").last_name == ("Kowalska", "Ковальская")


def test_every_index_gets_its_own_document_number():
    numbers = {fictional_person(index, "US").document_number for index in range(5000)}

    assert len(numbers) == 5000
    assert all(len(number) == 9 and number[:2].isalpha() for number in numbers)


def test_men_and_women_alternate_with_a_womans_surname_form():
    man, woman = fictional_person(0, "RU"), fictional_person(1, "RU")

    assert man.first_name == ("Aleksei", "Алексей")
    assert woman.first_name == ("Elena", "Елена")
    assert woman.last_name[0].endswith("a") and woman.last_name[1].endswith("а")


def test_names_are_given_in_latin_and_cyrillic_for_every_country():
    for country in name_sets():
        person = fictional_person(3, country)
        for latin, cyrillic in (person.first_name, person.last_name):
            assert latin.replace("-", "").isascii() and latin
            assert not cyrillic.isascii()


def test_people_are_born_between_1956_and_1993():
    births = [fictional_person(index, "DE").date_of_birth for index in range(2000)]

    assert min(births).year == 1956
    assert max(births).year == 1993


def test_a_country_without_names_is_refused():
    with pytest.raises(ValueError, match="no names for the country 'ZZ'"):
        fictional_person(0, "ZZ")
