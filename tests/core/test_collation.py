"""Lists by name in each language's alphabet (core.collation)."""

import pytest
from django import forms
from django.utils import translation

from commissions.models import Region
from core.collation import (
    CollatedModelChoiceIterator,
    collate_choices,
    icu_locale,
    sort_key,
    sorted_by_name,
)
from tests.commissions.factories import RegionFactory

# The Kazakh alphabet, as the CEC's Kazakh pages list it.
KAZAKH_ALPHABET = (
    "А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я"
)
KAZAKH_WORDS = [  # in Kazakh order
    "Алматы",
    "Әбілқасым",
    "Балқаш",
    "Ғалым",
    "Есік",
    "Ёлка",
    "Жаңаөзен",
    "Қарағанды",
    "Қостанай",
    "Маңғыстау",
    "Ңа",
    "Орал",
    "Өскемен",
    "Павлодар",
    "Ұлытау",
    "Үржар",
    "Һасан",
    "Шымкент",
    "Ыбырай",
    "Іле",
    "Эмба",
]


def test_kazakh_letters_follow_the_kazakh_alphabet():
    letters = KAZAKH_ALPHABET.split()
    shuffled = sorted(letters)  # code point order: Ә Ғ Қ Ң Ө Ұ Ү Һ І after Я
    assert shuffled != letters
    assert sorted_by_name(shuffled, language="kk") == letters


def test_kazakh_words_follow_the_kazakh_alphabet():
    assert sorted(KAZAKH_WORDS) != KAZAKH_WORDS
    assert sorted_by_name(reversed(KAZAKH_WORDS), language="kk") == KAZAKH_WORDS


def test_the_active_language_decides():
    with translation.override("kk"):
        assert sorted_by_name(["Іле", "Ыбырай", "Ь"]) == ["Ыбырай", "Іле", "Ь"]


def test_russian_sorts_yo_with_ye():
    names = ["Ершов", "Ёлкин", "Елена", "Абаев", "Яковлев"]
    # Code points put Ё (U+0401) before А; Russian puts Ёлкин between Елена and Ершов.
    assert sorted(names)[0] == "Ёлкин"
    assert sorted_by_name(names, language="ru") == ["Абаев", "Елена", "Ёлкин", "Ершов", "Яковлев"]


def test_kazakh_keeps_yo_a_letter_after_ye():
    assert sorted_by_name(["Ёлка", "Ерлан", "Жан"], language="kk") == ["Ерлан", "Ёлка", "Жан"]


def test_english_ignores_case_and_accents_first():
    names = ["zeta", "Élan", "alpha", "Beta", "Ölander", "Oslo"]
    assert sorted_by_name(names, language="en") == [
        "alpha",
        "Beta",
        "Élan",
        "Ölander",
        "Oslo",
        "zeta",
    ]


def test_numbers_in_names_compare_as_numbers():
    names = ["Precinct No. 10", "Precinct No. 2", "Precinct No. 1"]
    assert sorted_by_name(names, language="en") == [
        "Precinct No. 1",
        "Precinct No. 2",
        "Precinct No. 10",
    ]


def test_equal_names_are_ordered_by_the_unique_key_last():
    rows = [(3, "Қазақстан"), (1, "Қазақстан"), (2, "Абай")]
    ordered = sorted_by_name(rows, key=lambda r: r[1], unique=lambda r: r[0], language="kk")
    assert ordered == [(2, "Абай"), (1, "Қазақстан"), (3, "Қазақстан")]


def test_a_language_code_becomes_an_icu_locale():
    assert icu_locale("kk") == "kk"
    assert icu_locale("en-us") == "en_US"
    with translation.override("ru"):
        assert icu_locale() == "ru"


def test_sort_key_takes_lazy_text_and_none():
    key = sort_key("en")
    assert key(None) == key("")
    assert key(translation.gettext_lazy("Total")) == key("Total")


def test_choices_keep_the_empty_line_first_and_sort_groups_inside():
    choices = [
        ("", "---------"),
        ("KZ", "Қазақстан"),
        ("AZ", "Әзірбайжан"),
        ("AT", "Австрия"),
        ("Ұйымдар", [("2", "Ұлы"), ("1", "Азия")]),
    ]
    assert collate_choices(choices, language="kk") == [
        ("", "---------"),
        ("AT", "Австрия"),
        ("AZ", "Әзірбайжан"),
        ("KZ", "Қазақстан"),
        ("Ұйымдар", [("1", "Азия"), ("2", "Ұлы")]),
    ]


@pytest.mark.django_db
def test_a_model_choice_field_lists_by_name_in_the_active_language():
    names = ("Ұлытау", "Қостанай", "Алматы", "Іле")
    regions = [RegionFactory(name=n, name_kk=n, name_ru=n, name_en=n) for n in names]
    queryset = Region.objects.filter(pk__in=[r.pk for r in regions])
    field = forms.ModelChoiceField(queryset=queryset)
    field.iterator = CollatedModelChoiceIterator
    with translation.override("kk"):
        labels = [label for _value, label in field.choices][1:]
    assert labels == ["Алматы", "Қостанай", "Ұлытау", "Іле"]


@pytest.mark.django_db
def test_the_admins_region_filter_lists_regions_in_the_kazakh_alphabet(client):
    from django.urls import reverse

    from tests.core.factories import StaffUserFactory

    names = ("Іле ауданы", "Ыбырай ауданы", "Әлия ауданы", "Бату ауданы")
    from tests.commissions.factories import TerritorialCommissionFactory

    for n in names:  # the filter offers the regions of the listed commissions
        TerritorialCommissionFactory(region=RegionFactory(name=n, name_kk=n, name_ru=n, name_en=n))
    client.force_login(StaffUserFactory(is_superuser=True))

    with translation.override("kk"):
        response = client.get(reverse("admin:commissions_commission_changelist"))
    region_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.field_path == "region"
    )

    assert [label for _pk, label in region_filter.lookup_choices] == [
        "Әлия ауданы",
        "Бату ауданы",
        "Ыбырай ауданы",
        "Іле ауданы",
    ]


# A LONG LIST, PAGED (QuerySetByName)


@pytest.fixture
def people():
    from tests.core.factories import UserFactory

    # Made in another order than the Kazakh alphabet's; two with the same name.
    names = [("Ясин", "Ұлан"), ("Әлиев", "Бақыт"), ("Ахмет", "Ерлан"), ("Әлиев", "Арман")]
    made = [UserFactory(last_name=last, first_name=first) for last, first in names]
    made.append(UserFactory(last_name="Ахмет", first_name="Ерлан"))
    return made


@pytest.mark.django_db
def test_a_long_list_is_ordered_by_its_names_in_the_alphabet_then_its_unique_key(people):
    from django.contrib.auth import get_user_model

    from core.collation import QuerySetByName

    users = get_user_model().objects.filter(pk__in=[p.pk for p in people])
    ordered = QuerySetByName(users, names=("last_name", "first_name"), language="kk")
    twins = sorted(p.pk for p in people if p.last_name == "Ахмет")
    assert [(u.last_name, u.first_name) for u in ordered] == [
        ("Ахмет", "Ерлан"),
        ("Ахмет", "Ерлан"),
        ("Әлиев", "Арман"),
        ("Әлиев", "Бақыт"),
        ("Ясин", "Ұлан"),
    ]
    assert [u.pk for u in ordered[:2]] == twins
    assert len(ordered) == ordered.count() == 5


@pytest.mark.django_db
def test_a_long_list_reads_its_names_once_and_each_page_in_one_query(
    people, django_assert_num_queries
):
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator

    from core.collation import QuerySetByName

    users = get_user_model().objects.filter(pk__in=[p.pk for p in people])
    with translation.override("kk"):
        ordered = QuerySetByName(users, names=("last_name", "first_name"))
    paginator = Paginator(ordered, 2)
    with django_assert_num_queries(2):
        page = paginator.page(3)
        assert [u.last_name for u in page.object_list] == ["Ясин"]
    with django_assert_num_queries(3):
        assert [len(chunk) for chunk in ordered.chunks(2)] == [2, 2, 1]
