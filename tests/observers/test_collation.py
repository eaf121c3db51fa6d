"""Lists of states and organisations follow the alphabet of the page's language: statistics
(page, CSV, JSON), the public lists' filter, and the desk's choices in the admin."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from observers import selectors
from observers.choices import BodyKind
from observers.selectors import observer_stats
from tests.commissions.factories import ElectionFactory
from tests.core.factories import StaffUserFactory
from tests.observers.factories import E_DAY, MARCH_7, Desk, organization, state

pytestmark = pytest.mark.django_db

# Kazakh names (CLDR) in the Kazakh alphabet's order; code points would put Ә, Қ, Ө, Ұ, Ү last
# and in another order (Қ U+049A, Ү U+04AE, Ұ U+04B0, Ә U+04D8, Ө U+04E8).
KAZAKH_ORDER = [
    ("AT", "Аустрия"),
    ("AZ", "Әзірбайжан"),
    ("BY", "Беларусь"),
    ("KG", "Қырғызстан"),
    ("UZ", "Өзбекстан"),
    ("TR", "Түркия"),
    ("GB", "Ұлыбритания"),
    ("IN", "Үндістан"),
]


@pytest.fixture
def election():
    return ElectionFactory(election_day=E_DAY, name_en="Mazhilis 2023")


@pytest.fixture
def one_each(election):
    """One observer from each state of KAZAKH_ORDER, accredited on 7 March (added in reverse)."""
    desk = Desk(election)
    for code, _name in reversed(KAZAKH_ORDER):
        desk.accredit(state(code), MARCH_7)
    return desk


def test_states_with_as_many_observers_follow_the_kazakh_alphabet(election, one_each):
    with translation.override("kk"):
        stats = observer_stats(election=election, day=MARCH_7)

    assert [stats.state_names[code] for code in stats.by_state] == [n for _c, n in KAZAKH_ORDER]
    assert sorted(stats.state_names.values()) != [n for _c, n in KAZAKH_ORDER]


def test_more_observers_still_come_first(election, one_each):
    one_each.accredit(state("IN"), MARCH_7)

    with translation.override("kk"):
        stats = observer_stats(election=election, day=MARCH_7)

    assert list(stats.by_state)[:3] == ["IN", "AT", "AZ"]


def test_organisations_with_as_many_observers_follow_the_russian_alphabet(election):
    desk = Desk(election)
    for name in ("Ёлочная миссия", "Европейская сеть", "Жетысуская миссия", "Азиатский форум"):
        desk.accredit(organization(name_ru=name, name_en=name), MARCH_7)

    with translation.override("ru"):
        stats = observer_stats(election=election, day=MARCH_7)

    assert list(stats.by_organization) == [
        "Азиатский форум",
        "Европейская сеть",
        "Ёлочная миссия",
        "Жетысуская миссия",
    ]


def test_the_statistics_csv_and_json_follow_the_page_language(client, election, one_each):
    query = {"election": election.pk, "date": MARCH_7.isoformat()}

    with translation.override("kk"):
        csv_url, json_url = reverse("observers:stats_csv"), reverse("observers:stats_json")
    csv_text = client.get(csv_url, query).content.decode("utf-8-sig")
    data = client.get(json_url, query).json()

    rows = list(csv.reader(io.StringIO(csv_text)))[1:-1]
    assert [row[2] for row in rows] == [name for _code, name in KAZAKH_ORDER]
    assert list(data["by_state"]) == [code for code, _name in KAZAKH_ORDER]


def test_the_public_filter_lists_states_then_organisations_each_by_name(election):
    desk = Desk(election)
    for code in ("GB", "AZ", "AT"):
        desk.accredit(state(code), MARCH_7)
    for name in ("Ұйым", "Қоғам", "Азия"):
        desk.accredit(organization(name_kk=name, name_en=name), MARCH_7)

    with translation.override("kk"):
        bodies = selectors.public_bodies(election)
        names = [(body.kind, body.display_name) for body in bodies]

    assert names == [
        (BodyKind.STATE, "Аустрия"),
        (BodyKind.STATE, "Әзірбайжан"),
        (BodyKind.STATE, "Ұлыбритания"),
        (BodyKind.ORGANIZATION, "Азия"),
        (BodyKind.ORGANIZATION, "Қоғам"),
        (BodyKind.ORGANIZATION, "Ұйым"),
    ]


def test_the_desk_chooses_a_country_in_the_kazakh_alphabet(client):
    client.force_login(StaffUserFactory(is_superuser=True))

    with translation.override("kk"):
        response = client.get(reverse("admin:observers_nominatingbody_add"))
        choices = response.context["adminform"].form.fields["country"].choices
        labels = [str(label) for _value, label in choices]
    assert labels.index("Аустрия") < labels.index("Әзірбайжан") < labels.index("Беларусь")
    assert labels.index("Қырғызстан") < labels.index("Латвия")  # К Қ Л
    assert labels.index("Ұлыбритания") < labels.index("Үндістан") < labels.index("Франция")


def test_the_desks_body_filter_lists_bodies_in_the_kazakh_alphabet(client, election):
    desk = Desk(election)
    for code in ("GB", "TR", "AT"):  # by code: AT, GB, TR
        desk.accredit(state(code), MARCH_7)
    client.force_login(StaffUserFactory(is_superuser=True))

    with translation.override("kk"):
        response = client.get(reverse("admin:observers_observer_changelist"))
    body_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.field_path == "body"
    )

    labels = [label for _pk, label in body_filter.lookup_choices]
    assert labels == ["Аустрия", "Түркия", "Ұлыбритания"]


def test_the_upload_form_lists_bodies_in_the_kazakh_alphabet(client):
    for code in ("GB", "TR", "AT", "KG"):  # by code: AT, GB, KG, TR
        state(code)
    client.force_login(StaffUserFactory(is_superuser=True))

    with translation.override("kk"):
        response = client.get(reverse("admin:observers_observer_upload"))
        labels = [str(label) for value, label in response.context["form"].fields["body"].choices]

    assert labels[1:] == ["Аустрия", "Қырғызстан", "Түркия", "Ұлыбритания"]


def _in_order_of_appearance(page: str, names: list[str], after: str) -> list[str]:
    part = page.split(after, 1)[1]
    return sorted(names, key=part.index)


def test_the_statistics_table_and_chart_follow_the_kazakh_alphabet(client, election, one_each):
    with translation.override("kk"):
        path = reverse("observers:stats")
    page = client.get(path, {"election": election.pk, "date": MARCH_7.isoformat()}).content
    page = page.decode()
    names = [name for _code, name in KAZAKH_ORDER]

    assert _in_order_of_appearance(page, names, 'data-chart="chart-states"') == names
    assert _in_order_of_appearance(page, names, 'data-table="states"') == names


def test_the_statistics_xlsx_follows_the_page_language(client, election, one_each):
    from openpyxl import load_workbook

    with translation.override("kk"):
        path = reverse("observers:stats_xlsx")
    content = client.get(path, {"election": election.pk, "date": MARCH_7.isoformat()}).content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))[1:-1]

    assert [row[2] for row in rows] == [name for _code, name in KAZAKH_ORDER]


@pytest.mark.parametrize("name", ["observer_list", "revoked_list"])
def test_the_public_lists_filter_offers_bodies_in_the_kazakh_alphabet(client, election, name):
    desk = Desk(election)
    for code in ("GB", "AZ", "AT"):
        desk.accredit(state(code), MARCH_7, revoke_on=MARCH_7 if name == "revoked_list" else None)
        desk.accredit(state(code), MARCH_7)

    with translation.override("kk"):
        path = reverse(f"observers:{name}")
    page = client.get(path).content.decode()
    names = ["Аустрия", "Әзірбайжан", "Ұлыбритания"]

    assert _in_order_of_appearance(page, names, 'name="body"') == names


# THE PUBLIC LISTS OF OBSERVERS

# Accredited in this order (so that the accreditation number orders them otherwise): the Kazakh
# alphabet puts them Ахметов, Әлиев, Кенжеев, Құсайынов, Ясинов; code points would put Қ and Ә
# after Я. Their Latin names follow another order, which English pages read.
PEOPLE = [
    # last (Cyrillic), first (Cyrillic), last (Latin), first (Latin)
    ("Ясинов", "Бауыржан", "Akhmetov", "Zhan"),
    ("Әлиев", "Ерлан", "Zhunusov", "Arman"),
    ("Құсайынов", "Дәулет", "Bekov", "Dias"),
    ("Ахметов", "Асан", "Yassinov", "Bauyrzhan"),
    ("Кенжеев", "Нұрлан", "Mukanov", "Nurlan"),
]
KAZAKH_NAMES = ["Ахметов", "Әлиев", "Кенжеев", "Құсайынов", "Ясинов"]
LATIN_NAMES = ["Akhmetov", "Bekov", "Mukanov", "Yassinov", "Zhunusov"]


@pytest.fixture
def people(election):
    desk = Desk(election)
    kazakhstan_neighbour = state("KG")
    for last, first, last_latin, first_latin in PEOPLE:
        desk.accredit(
            kazakhstan_neighbour,
            MARCH_7,
            last_name_cyrillic=last,
            first_name_cyrillic=first,
            last_name_latin=last_latin,
            first_name_latin=first_latin,
        )
    return desk


def _list_url(name, language):
    with translation.override(language):
        return reverse(f"observers:{name}")


def _last_names(response, cyrillic: bool) -> list[str]:
    return [
        (o.last_name_cyrillic if cyrillic else o.last_name_latin)
        for o in response.context["observers"]
    ]


def test_the_public_list_in_kazakh_follows_the_kazakh_alphabet_of_cyrillic_names(client, people):
    response = client.get(_list_url("observer_list", "kk"))
    assert _last_names(response, cyrillic=True) == KAZAKH_NAMES
    assert sorted(KAZAKH_NAMES) != KAZAKH_NAMES  # code points would not


def test_the_public_list_in_english_follows_the_latin_names(client, people):
    response = client.get(_list_url("observer_list", "en"))
    assert _last_names(response, cyrillic=False) == LATIN_NAMES


def test_the_public_list_in_russian_sorts_yo_with_ye(client, election):
    desk = Desk(election)
    for last in ("Жуков", "Ёлкин", "Ершов", "Ажаров"):
        desk.accredit(state("DE"), MARCH_7, last_name_cyrillic=last)
    response = client.get(_list_url("observer_list", "ru"))
    assert _last_names(response, cyrillic=True) == ["Ажаров", "Ёлкин", "Ершов", "Жуков"]


def test_the_public_list_orders_by_first_name_after_last_name(client, election):
    desk = Desk(election)
    for first in ("Ұлан", "Әсет", "Бақыт"):
        desk.accredit(state("DE"), MARCH_7, last_name_cyrillic="Сейітов", first_name_cyrillic=first)
    response = client.get(_list_url("observer_list", "kk"))
    firsts = [o.first_name_cyrillic for o in response.context["observers"]]
    assert firsts == ["Әсет", "Бақыт", "Ұлан"]


def test_equal_names_page_in_one_order_by_their_key(client, election, monkeypatch):
    from observers import views

    monkeypatch.setattr(views.ObserverListView, "paginate_by", 1)
    desk = Desk(election)
    same = {"last_name_latin": "Schmidt", "first_name_latin": "Anna"}
    twins = [desk.accredit(state("DE"), MARCH_7, **same) for _ in range(3)]
    shown = [
        client.get(_list_url("observer_list", "en"), {"page": page}).context["observers"][0]
        for page in (1, 2, 3)
    ]
    assert [o.pk for o in shown] == sorted(o.pk for o in twins)


def test_the_revoked_list_follows_the_alphabet_too(client, election):
    desk = Desk(election)
    for last in ("Ясинов", "Әлиев", "Ахметов"):
        desk.accredit(state("DE"), MARCH_7, revoke_on=MARCH_7, last_name_cyrillic=last)
    response = client.get(_list_url("revoked_list", "kk"))
    assert _last_names(response, cyrillic=True) == ["Ахметов", "Әлиев", "Ясинов"]


@pytest.mark.parametrize(
    ("language", "column", "names"), [("kk", 3, KAZAKH_NAMES), ("en", 1, LATIN_NAMES)]
)
def test_the_list_downloads_follow_the_page_order(
    client, election, people, language, column, names
):
    from openpyxl import load_workbook

    query = {"election": election.pk}
    csv_text = client.get(_list_url("observer_list_csv", language), query)
    csv_rows = list(
        csv.reader(io.StringIO(b"".join(csv_text.streaming_content).decode("utf-8-sig")))
    )
    xlsx = client.get(_list_url("observer_list_xlsx", language), query)
    xlsx_rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert [row[column] for row in csv_rows[1:]] == names
    assert [row[column] for row in xlsx_rows[1:]] == names
