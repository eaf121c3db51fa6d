"""The public observer pages: statistics and their downloads, the public lists, badge checks."""

import csv
import datetime
import io
import json
import logging
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image

from observers import services, views
from observers.models import Observer
from tests.commissions.factories import ElectionFactory
from tests.core.factories import AgencyFactory
from tests.observers.factories import (
    E_DAY,
    MARCH_6,
    MARCH_7,
    Desk,
    OpenElectionFactory,
    association,
    organization,
    state,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru", "en"]
ELECTION_NAME = {
    "kk": "Мәжіліс депутаттарын кезектен тыс сайлау",
    "ru": "Внеочередные выборы депутатов Мажилиса",
    "en": "Early elections of deputies of the Mazhilis",
}
MARCH_7_SHOWN = {"kk": "07.03.2023 ж.", "ru": "7 марта 2023 г.", "en": "7 March 2023"}
CIS_NAME = {
    "kk": "ТМД байқаушылар миссиясы",
    "ru": "Миссия наблюдателей от СНГ",
    "en": "CIS Observer Mission",
}
GERMANY = {"ru": "Германия", "en": "Germany"}

# The personal data of one observer, which no public page, download or log may show.
DOCUMENT = "N98765432"
BIRTH = datetime.date(1975, 4, 23)
BIRTH_SHOWN = ["1975-04-23", "23.04.1975", "23 April 1975", "23 апреля 1975", "April 23, 1975"]


def url(name, language="en", **query):
    with translation.override(language):
        path = reverse(f"observers:{name}")
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def figure(response, group: str, name: str) -> int:
    """A figure of the statistics page: group "day" or "until", name "observers", "states"…"""
    page = response.content.decode()
    block = page.split(f'data-figures="{group}"', 1)[1]
    return int(re.search(rf'data-figure="{name}">(\d+)<', block).group(1))


@pytest.fixture
def election():
    return ElectionFactory(
        election_day=E_DAY,
        name_kk=ELECTION_NAME["kk"],
        name_ru=ELECTION_NAME["ru"],
        name_en=ELECTION_NAME["en"],
    )


@pytest.fixture
def desk(election):
    return Desk(election)


@pytest.fixture
def two_days(desk):
    """6 March: 2 from Germany, 1 from the US, 3 from the CIS mission (one revoked later).
    7 March: 1 from Germany, 2 from Türkiye, 1 from the CIS mission, 4 from the OTS."""
    germany, usa, turkey = state("DE"), state("US"), state("TR")
    cis = organization(name_en=CIS_NAME["en"], name_ru=CIS_NAME["ru"], name_kk=CIS_NAME["kk"])
    ots = organization(name_en="Organization of Turkic States", short_name_en="OTS")
    desk.accredit_many(germany, MARCH_6, 2)
    desk.accredit_many(usa, MARCH_6, 1)
    desk.accredit_many(cis, MARCH_6, 2)
    desk.accredit(cis, MARCH_6, revoke_on=MARCH_7)
    desk.accredit_many(germany, MARCH_7, 1)
    desk.accredit_many(turkey, MARCH_7, 2)
    desk.accredit_many(cis, MARCH_7, 1)
    desk.accredit_many(ots, MARCH_7, 4)
    return desk


def _photo() -> SimpleUploadedFile:
    image = Image.new("RGB", (300, 400), (120, 140, 160))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("face.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def private_person(desk):
    """An accredited observer with a known passport number, date of birth and photo, and a
    revoked one with the same birthday."""
    germany = state("DE")
    observer = desk.accredit(germany, MARCH_6, document_number=DOCUMENT, date_of_birth=BIRTH)
    services.observer_photo_set(actor=None, observer=observer, upload=_photo())
    desk.accredit(germany, MARCH_6, revoke_on=MARCH_7, date_of_birth=BIRTH)
    observer.refresh_from_db()
    assert observer.photo
    return observer


# STATISTICS PAGE


@pytest.mark.parametrize("language", LANGUAGES)
def test_statistics_page_speaks_the_language_of_its_address(client, election, two_days, language):
    response = client.get(url("stats", language))
    assert response.status_code == 200
    page = text(response)
    assert f'<html lang="{language}"' in page
    assert ELECTION_NAME[language] in page
    assert MARCH_7_SHOWN[language] in page
    assert CIS_NAME[language] in page


def test_statistics_page_names_states_in_the_page_language(client, election, two_days):
    assert GERMANY["ru"] in text(client.get(url("stats", "ru")))
    assert GERMANY["en"] in text(client.get(url("stats", "en")))


def test_statistics_page_opens_on_the_last_accreditation_day(client, election, two_days):
    response = client.get(url("stats"))
    assert response.context["day"] == MARCH_7
    assert response.context["election"] == election
    assert figure(response, "day", "observers") == 8
    assert figure(response, "day", "states") == 2
    assert figure(response, "day", "organizations") == 2


def test_statistics_page_shows_the_figures_up_to_the_day(client, election, two_days):
    response = client.get(url("stats"))
    assert figure(response, "until", "observers") == 14
    assert figure(response, "until", "states") == 3
    assert figure(response, "until", "organizations") == 2


def test_statistics_page_shows_a_chosen_day(client, election, two_days):
    response = client.get(url("stats", election=election.pk, date="2023-03-06"))
    assert figure(response, "day", "observers") == 6
    assert figure(response, "until", "observers") == 6
    assert figure(response, "day", "organizations") == 1


def test_statistics_page_lists_the_accreditation_days_with_the_chosen_one_marked(
    client, election, two_days
):
    page = client.get(url("stats", election=election.pk, date="2023-03-06")).content.decode()
    assert 'data-day="2023-03-06" aria-current="date"' in page
    assert 'data-day="2023-03-07">' in page


def test_statistics_page_breaks_down_the_chosen_day(client, election, two_days):
    response = client.get(url("stats", election=election.pk, date="2023-03-07"))
    shown = response.context["shown"]
    assert shown.by_state == {"TR": 2, "DE": 1}
    assert "Observers by state and organisation on 7 March 2023" in text(response)


def test_statistics_page_breaks_down_cumulatively_with_until(client, election, two_days):
    response = client.get(url("stats", election=election.pk, until="2023-03-07"))
    assert response.context["cumulative"] is True
    assert response.context["shown"].by_state == {"DE": 3, "TR": 2, "US": 1}
    assert "Observers by state and organisation up to and including 7 March 2023" in text(response)
    # The day's own figures are still shown beside the cumulative ones.
    assert figure(response, "day", "observers") == 8


def test_statistics_chart_is_an_accessible_image_with_a_bar_per_row(client, election, two_days):
    response = client.get(url("stats", election=election.pk, until="2023-03-07"))
    page = response.content.decode()
    assert page.count('<div class="chart" role="img"') == 2
    assert page.count('class="chart__bar"') == 3 + 2  # 3 states, 2 organisations
    assert 'id="chart-states-title" hidden>Observers by nominating state</span>' in page
    assert (
        'id="chart-states-desc" hidden>Germany: 3; Türkiye: 2; United States of America: 1</span>'
        in page
    )


def test_statistics_charts_are_drawn_on_one_scale(client, election, two_days):
    # Up to 7 March: Germany 3, Türkiye 2, the US 1; the CIS mission 4, the OTS 4. The longest
    # bar is the largest of both charts (4), so Germany's 3 is three quarters of it, not all.
    response = client.get(url("stats", election=election.pk, until="2023-03-07"))
    widths = {
        bar.label: bar.width
        for chart in ("state_chart", "organization_chart")
        for bar in response.context[chart].bars
    }
    assert widths["Germany"] == "63.75%"
    assert widths["United States of America"] == "21.25%"
    assert widths["Organization of Turkic States"] == "85.00%"
    assert widths[CIS_NAME["en"]] == "85.00%"
    assert 'style="width: 63.75%"' in response.content.decode()


def test_bar_chart_scales_to_the_longest_given():
    chart = views.bar_chart([("A", 2), ("B", 1)], longest=4)
    assert [bar.width for bar in chart.bars] == ["42.50%", "21.25%"]
    assert [bar.width for bar in views.bar_chart([("A", 2), ("B", 1)]).bars] == [
        "85.00%",
        "42.50%",
    ]


def test_statistics_chart_names_organisations_in_full_as_the_table_does(client, election, two_days):
    page = text(client.get(url("stats", election=election.pk, date="2023-03-07")))
    assert '<span class="chart__label">Organization of Turkic States</span>' in page
    assert '<span class="chart__label">OTS</span>' not in page
    assert '<th scope="row">Organization of Turkic States</th>' in page


def test_statistics_chart_numbers_are_not_localised(client, election, two_days):
    page = client.get(url("stats", "ru", election=election.pk, date="2023-03-07")).content.decode()
    assert 'style="width: 42.50%"' in page  # Türkiye's 2 of the OTS's 4
    assert "42,50%" not in page


def test_statistics_page_tells_of_revoked_and_domestic_observers(client, election, desk):
    desk.accredit(state("DE"), MARCH_6, revoke_on=MARCH_7)
    desk.accredit(association(), MARCH_6)
    page = text(client.get(url("stats", election=election.pk, date="2023-03-06")))
    assert "Up to this day, 1 of the accreditations counted was revoked later" in page
    assert "Not counted above: 1 domestic observer nominated by public associations." in page


def test_statistics_page_on_a_day_without_accreditations_shows_zeros(client, election, two_days):
    response = client.get(url("stats", election=election.pk, date="2023-03-01"))
    assert response.status_code == 200
    assert figure(response, "day", "observers") == 0
    assert "No observers from foreign states or international organisations" in text(response)


def test_statistics_page_of_an_election_without_accreditations_says_so(client, election):
    response = client.get(url("stats", election=election.pk))
    assert response.status_code == 200
    assert "No observers have been accredited for this election yet." in text(response)


def test_statistics_page_without_any_election_says_so(client):
    response = client.get(url("stats"))
    assert response.status_code == 200
    assert "No election has been called yet." in text(response)


def test_statistics_page_offers_downloads_of_what_it_shows(client, election, two_days):
    page = client.get(url("stats", election=election.pk, until="2023-03-06")).content.decode()
    query = f"?election={election.pk}&amp;until=2023-03-06"
    assert f'href="/en/observers/stats.csv{query}"' in page
    assert f'href="/en/observers/stats.json{query}"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"election": "99999"}, "There is no election with the number “99999”."),
        ({"election": "abc"}, "There is no election with the number “abc”."),
        ({"election": "99999999999999999999"}, "There is no election with the number"),
        ({"date": "2023-13-01"}, "Give the day as YYYY-MM-DD, for example 2023-03-07."),
        ({"date": "07.03.2023"}, "Give the day as YYYY-MM-DD"),
        ({"until": "yesterday"}, "Give the day as YYYY-MM-DD"),
        ({"date": "2023-03-07", "until": "2023-03-07"}, "Give either a day (date) or a last"),
    ],
)
@pytest.mark.parametrize("name", ["stats", "stats_csv"])
def test_a_bad_statistics_query_gets_a_page_that_says_why(client, election, name, query, message):
    response = client.get(url(name, **query))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in text(response)


def test_a_bad_json_query_gets_its_errors_as_json(client, election):
    response = client.get(url("stats_json", election="abc", date="2023-02-30"))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["election"] == ["There is no election with the number “abc”."]
    assert errors["date"] == ["Give the day as YYYY-MM-DD, for example 2023-03-07."]


def test_a_bad_query_is_explained_in_the_page_language(client, election):
    response = client.get(url("stats", "ru", date="tomorrow"))
    assert response.status_code == 400
    assert '<html lang="ru"' in text(response)


def test_statistics_page_answers_only_reads(client, election):
    assert client.post(url("stats")).status_code == 405


# DOWNLOADS


def _csv_rows(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")  # spreadsheets then read the Cyrillic right
    return list(csv.reader(io.StringIO(content[1:])))


def test_csv_download_has_a_row_per_state_and_organisation_then_the_total(
    client, election, two_days
):
    response = client.get(url("stats_csv", election=election.pk, date="2023-03-07"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="observer-statistics-{election.pk}-2023-03-07.csv"'
    )
    assert _csv_rows(response) == [
        ["kind", "code", "name", "observers"],
        ["state", "TR", "Türkiye", "2"],
        ["state", "DE", "Germany", "1"],
        ["organization", "", "Organization of Turkic States", "4"],
        ["organization", "", "CIS Observer Mission", "1"],
        ["total", "", "Total", "8"],
    ]


def test_csv_download_is_cumulative_with_until_and_named_in_the_page_language(
    client, election, two_days
):
    response = client.get(url("stats_csv", "ru", election=election.pk, until="2023-03-07"))
    assert response["Content-Disposition"].endswith(f'-{election.pk}-until-2023-03-07.csv"')
    rows = _csv_rows(response)
    assert ["state", "DE", "Германия", "3"] in rows
    assert ["organization", "", CIS_NAME["ru"], "4"] in rows  # one revoked since
    assert rows[-1][0] == "total" and rows[-1][3] == "14"


def test_csv_download_keeps_a_name_from_running_as_a_spreadsheet_formula(client, election, desk):
    desk.accredit(organization(name_en="=HYPERLINK(1)"), MARCH_6)
    rows = _csv_rows(client.get(url("stats_csv", election=election.pk, date="2023-03-06")))
    assert ["organization", "", "'=HYPERLINK(1)", "1"] in rows


def test_csv_download_defaults_to_the_last_accreditation_day(client, election, two_days):
    response = client.get(url("stats_csv", election=election.pk))
    assert response["Content-Disposition"].endswith(f'-{election.pk}-2023-03-07.csv"')
    assert _csv_rows(response)[-1] == ["total", "", "Total", "8"]


def test_statistics_page_offers_an_excel_workbook_beside_the_csv(client, election, two_days):
    page = client.get(url("stats", election=election.pk, until="2023-03-06")).content.decode()
    query = f"?election={election.pk}&amp;until=2023-03-06"
    assert f'href="/en/observers/stats.xlsx{query}"' in page
    assert page.index("stats.xlsx") < page.index("stats.csv")


def test_xlsx_download_has_the_csvs_rows_as_a_workbook(client, election, two_days):
    from openpyxl import load_workbook

    query = {"election": election.pk, "date": "2023-03-07"}
    response = client.get(url("stats_xlsx"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="observer-statistics-{election.pk}-2023-03-07.xlsx"'
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    csv_rows = _csv_rows(client.get(url("stats_csv"), query))
    assert [[str(value) if value is not None else "" for value in row] for row in rows] == (
        csv_rows
    )
    assert rows[1] == ("state", "TR", "Türkiye", 2)  # numbers stay numbers


def test_xlsx_download_is_named_in_the_page_language(client, election, two_days):
    from openpyxl import load_workbook

    response = client.get(url("stats_xlsx", "kk"), {"election": election.pk, "date": "2023-03-07"})
    names = [
        row[2]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    assert CIS_NAME["kk"] in names


def test_xlsx_download_keeps_a_name_from_running_as_a_formula(client, election, desk):
    from openpyxl import load_workbook

    desk.accredit(organization(name_en='=HYPERLINK("http://x")'), MARCH_6)
    response = client.get(url("stats_xlsx"), {"election": election.pk, "date": "2023-03-06"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["C2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["C2"].data_type == "s"


def test_xlsx_download_of_a_bad_query_gets_a_page_that_says_why(client, election):
    response = client.get(url("stats_xlsx"), {"date": "tomorrow"})
    assert response.status_code == 400
    assert "Give the day as YYYY-MM-DD" in text(response)


def test_json_download_is_the_apis_figures(client, election, two_days):
    response = client.get(url("stats_json", election=election.pk, date="2023-03-07"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="observer-statistics-{election.pk}-2023-03-07.json"'
    )
    assert response.json() == {
        "election": election.pk,
        "date": "2023-03-07",
        "until": None,
        "observers": 8,
        "states": 2,
        "organizations": 2,
        "revoked": 0,
        "domestic": 0,
        "by_state": {"TR": 2, "DE": 1},
        "by_organization": {"Organization of Turkic States": 4, "CIS Observer Mission": 1},
    }


def test_json_download_names_organisations_in_the_page_language(client, election, two_days):
    response = client.get(url("stats_json", "kk", election=election.pk, until="2023-03-07"))
    data = json.loads(response.content)
    assert data["by_organization"][CIS_NAME["kk"]] == 4
    assert (data["observers"], data["revoked"]) == (14, 1)
    assert CIS_NAME["kk"].encode() in response.content  # readable UTF-8, not \u escapes


def test_downloads_without_any_election_are_not_found(client):
    assert client.get(url("stats_csv")).status_code == 404
    assert client.get(url("stats_json")).status_code == 404


def test_statistics_page_reads_in_a_fixed_number_of_queries(
    client, election, two_days, django_assert_max_num_queries
):
    more = Desk(election)
    more.count = 500
    for code in ("PL", "HU", "LT", "RO", "RS", "SK"):
        more.accredit(state(code), MARCH_7)
    with django_assert_max_num_queries(10):
        response = client.get(url("stats"))
    assert figure(response, "day", "states") == 8


# PUBLIC LISTS


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_list_speaks_the_language_of_its_address(client, election, two_days, language):
    response = client.get(url("observer_list", language))
    assert response.status_code == 200
    page = text(response)
    assert f'<html lang="{language}"' in page
    assert CIS_NAME[language] in page


def test_public_list_shows_names_body_and_number_of_valid_accreditations(client, election, desk):
    valid = desk.accredit(state("DE"), MARCH_6)
    revoked = desk.accredit(state("DE"), MARCH_6, revoke_on=MARCH_7)
    page = text(client.get(url("observer_list")))
    assert valid.full_name_latin in page
    assert valid.full_name_cyrillic in page
    assert f"2023-{valid.number:05d}" in page
    assert "Germany" in page
    assert revoked.full_name_latin not in page
    assert "1 accredited observer" in page


def test_public_list_filters_by_nominating_body(client, election, desk):
    germany, usa = state("DE"), state("US")
    german = desk.accredit(germany, MARCH_6)
    american = desk.accredit(usa, MARCH_6)
    page = text(client.get(url("observer_list", election=election.pk, body=usa.pk)))
    assert american.full_name_latin in page
    assert german.full_name_latin not in page
    assert f'<option value="{usa.pk}" selected>United States of America</option>' in page


def test_public_list_with_an_unknown_body_says_so(client, election):
    response = client.get(url("observer_list", body="abc"))
    assert response.status_code == 400
    assert "There is no nominating body with the number “abc”." in text(response)


def test_public_list_is_paginated(client, election, desk, monkeypatch):
    monkeypatch.setattr(views.ObserverListView, "paginate_by", 2)
    germany = state("DE")
    observers = [desk.accredit(germany, MARCH_6) for _ in range(3)]
    first = text(client.get(url("observer_list")))
    second = text(client.get(url("observer_list", page=2)))
    assert "Page 1 of 2" in first
    assert observers[2].full_name_latin not in first
    assert observers[2].full_name_latin in second
    assert "3 accredited observers" in second


def _listed(response) -> str:
    """The list's table (the filter's options also name bodies, not observers)."""
    page = response.content.decode()
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""


@pytest.fixture
def named(desk):
    """Three Germans: Anna Schmidt (Анна Шмидт), Hans Schmidt (Ганс Шмидт), Anna Weber (Анна
    Вебер); one of them, Hans, revoked."""
    germany = state("DE")
    people = {
        "anna_schmidt": ("Schmidt", "Anna", "Шмидт", "Анна", None),
        "hans_schmidt": ("Schmidt", "Hans", "Шмидт", "Ганс", MARCH_7),
        "anna_weber": ("Weber", "Anna", "Вебер", "Анна", None),
    }
    return {
        key: desk.accredit(
            germany,
            MARCH_6,
            revoke_on=revoke_on,
            last_name_latin=last,
            first_name_latin=first,
            last_name_cyrillic=last_cyrillic,
            first_name_cyrillic=first_cyrillic,
        )
        for key, (last, first, last_cyrillic, first_cyrillic, revoke_on) in people.items()
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("schmidt", ["anna_schmidt"]),
        ("ANNA", ["anna_schmidt", "anna_weber"]),
        ("anna schmidt", ["anna_schmidt"]),
        ("  Schmidt\u00a0 anna ", ["anna_schmidt"]),
        ("шмидт", ["anna_schmidt"]),
        ("Анна", ["anna_schmidt", "anna_weber"]),
        ("web", ["anna_weber"]),
        ("nobody", []),
    ],
)
def test_public_list_is_searched_by_name_in_either_alphabet(client, election, named, query, found):
    response = client.get(url("observer_list"), {"q": query})
    assert response.status_code == 200
    listed = _listed(response)
    for key, observer in named.items():
        shown = key in found
        assert (observer.full_name_latin in listed) is shown, (query, key)


def test_public_list_search_keeps_its_words_in_the_box_and_says_when_none_match(
    client, election, named
):
    page = text(client.get(url("observer_list"), {"q": "Nobody Here"}))
    assert 'name="q" id="id_q" value="Nobody Here"' in page
    assert "0 accredited observers" in page
    assert "No accredited observer here has a name with “Nobody Here”." in page


def test_public_list_search_box_escapes_what_was_typed_and_is_described(client, election):
    page = client.get(url("observer_list"), {"q": '"><script>x</script>'}).content.decode()
    assert "<script>x</script>" not in page
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in page
    assert 'aria-describedby="name-help"' in page and 'id="name-help"' in page


def test_public_list_search_and_the_body_filter_combine(client, election, named, desk):
    american = desk.accredit(state("US"), MARCH_6, first_name_latin="Anna")
    germany = named["anna_weber"].body
    listed = _listed(client.get(url("observer_list"), {"q": "anna", "body": germany.pk}))
    assert named["anna_weber"].full_name_latin in listed
    assert named["anna_schmidt"].full_name_latin in listed
    assert american.full_name_latin not in listed


def test_revoked_list_is_searched_by_name_too(client, election, named):
    listed = _listed(client.get(url("revoked_list"), {"q": "hans"}))
    assert named["hans_schmidt"].full_name_latin in listed
    assert _listed(client.get(url("revoked_list"), {"q": "anna"})) == ""


def test_the_search_goes_through_the_observers_filterset():
    from observers.filtersets import ObserverFilterSet

    assert "q" in ObserverFilterSet.base_filters


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("abc", 1),
        ("0", 1),
        ("-1", 1),
        ("1.5", 1),
        ("", 1),
        ("9" * 30, 2),
        ("9" * 5000, 1),
        ("last", 2),
        ("2", 2),
    ],
)
def test_a_page_parameter_that_is_not_a_page_number_shows_a_page_not_a_404(
    client, election, desk, monkeypatch, page, shown
):
    monkeypatch.setattr(views.ObserverListView, "paginate_by", 2)
    observers = desk.accredit_many(state("DE"), MARCH_6, 3)
    response = client.get(url("observer_list"), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown
    assert observers[0 if shown == 1 else 2].full_name_latin in _listed(response)


@pytest.mark.parametrize("name", ["observer_list", "revoked_list"])
def test_a_page_past_the_end_shows_the_last_page_not_a_404(client, election, desk, name):
    desk.accredit(state("DE"), MARCH_6, revoke_on=MARCH_7)
    desk.accredit(state("DE"), MARCH_6)
    response = client.get(url(name), {"page": "999"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert _listed(response) != ""


def test_public_list_rows_label_their_values_for_a_phone(client, election, desk):
    desk.accredit(state("DE"), MARCH_6)
    page = text(client.get(url("observer_list", "ru")))
    assert 'class="data-table data-table--cards"' in page
    assert 'data-label="Кем выдвинут"' in page


def test_public_list_downloads_keep_the_lists_filters_but_not_its_page(client, election, named):
    germany = named["anna_weber"].body
    page = client.get(url("observer_list"), {"q": "anna", "body": germany.pk, "page": "1"})
    query = f"?election={election.pk}&amp;body={germany.pk}&amp;q=anna"
    content = page.content.decode()
    assert f'href="/en/observers/observers.xlsx{query}"' in content
    assert f'href="/en/observers/observers.csv{query}"' in content


def test_public_list_csv_has_every_accredited_observer_the_filters_keep(
    client, election, named, desk, monkeypatch
):
    monkeypatch.setattr(views.ObserverListView, "paginate_by", 1)  # every row, not a page
    desk.accredit(state("US"), MARCH_6, first_name_latin="Anna")
    response = client.get(url("observer_list_csv"), {"election": election.pk, "q": "anna"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="observers-accredited-{election.pk}.csv"'
    )
    rows = _csv_rows(type("R", (), {"content": b"".join(response.streaming_content)}))
    assert rows[0] == [
        "number",
        "last_name_latin",
        "first_name_latin",
        "last_name_cyrillic",
        "first_name_cyrillic",
        "nominated_by",
    ]
    anna = named["anna_schmidt"]
    assert rows[1] == [anna.number_display, "Schmidt", "Anna", "Шмидт", "Анна", "Germany"]
    assert len(rows) == 1 + 3  # two Germans named Anna and the American


def test_revoked_list_xlsx_has_the_day_of_revocation_as_a_date(client, election, named):
    from openpyxl import load_workbook

    response = client.get(url("revoked_list_xlsx", "ru"), {"election": election.pk})
    assert response["Content-Disposition"] == (
        f'attachment; filename="observers-revoked-{election.pk}.xlsx"'
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    hans = named["hans_schmidt"]
    assert rows[0][-1] == "revoked_on"
    assert rows[1] == (
        hans.number_display,
        "Schmidt",
        "Hans",
        "Шмидт",
        "Ганс",
        "Германия",
        datetime.datetime(2023, 3, 7),
    )
    assert len(rows) == 2


@pytest.mark.parametrize(
    "name", ["observer_list_csv", "observer_list_xlsx", "revoked_list_csv", "revoked_list_xlsx"]
)
def test_public_list_downloads_without_any_election_are_not_found(client, name):
    assert client.get(url(name)).status_code == 404


def test_public_list_shows_100_observers_a_page():
    assert views.ObserverListView.paginate_by == 100


def test_public_list_reads_in_a_fixed_number_of_queries(
    client, election, two_days, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(url("observer_list"))
    assert len(response.context["observers"]) == 13


def test_public_list_without_any_election_says_so(client):
    response = client.get(url("observer_list"))
    assert response.status_code == 200
    assert "No election has been called yet." in text(response)


def test_revoked_list_shows_revoked_accreditations_with_their_day(client, election, desk):
    kept = desk.accredit(state("DE"), MARCH_6)
    revoked = desk.accredit(state("US"), MARCH_6, revoke_on=MARCH_7)
    page = text(client.get(url("revoked_list")))
    assert revoked.full_name_latin in page
    assert f"2023-{revoked.number:05d}" in page
    assert "United States of America" in page
    assert '<time datetime="2023-03-07">7 March 2023</time>' in page
    assert kept.full_name_latin not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_revoked_list_speaks_the_language_of_its_address(client, election, desk, language):
    desk.accredit(state("DE"), MARCH_6, revoke_on=MARCH_7)
    response = client.get(url("revoked_list", language))
    assert response.status_code == 200
    assert MARCH_7_SHOWN[language] in text(response)


def test_revoked_list_reads_in_a_fixed_number_of_queries(
    client, election, desk, django_assert_max_num_queries
):
    for code in ("DE", "US", "PL", "HU", "LT"):
        desk.accredit(state(code), MARCH_6, revoke_on=MARCH_7)
    with django_assert_max_num_queries(8):
        response = client.get(url("revoked_list"))
    assert len(response.context["observers"]) == 5


# VERIFICATION


@pytest.fixture
def open_desk():
    return Desk(OpenElectionFactory(name_en="The coming election"))


def verify(client, code, language="en"):
    with translation.override(language):
        return client.get(reverse("observers:verify", args=[code]))


def test_a_valid_badge_verifies_as_valid_with_name_body_and_validity(client, open_desk):
    observer = open_desk.accredit(state("DE"), timezone.localdate())
    response = verify(client, observer.verification_code)
    assert response.status_code == 200
    page = text(response)
    assert 'data-verification="valid"' in page
    assert "This badge is valid" in page
    assert observer.full_name_latin in page and observer.full_name_cyrillic in page
    assert "Germany" in page
    assert "The coming election" in page
    assert f"to {observer.valid_until:%-d %B %Y}" in page


def test_a_revoked_badge_verifies_as_revoked(client, open_desk):
    today = timezone.localdate()
    observer = open_desk.accredit(state("DE"), today, revoke_on=today)
    page = text(verify(client, observer.verification_code))
    assert 'data-verification="revoked"' in page
    assert "This accreditation has been revoked" in page


def test_a_badge_past_its_validity_verifies_as_expired(client, election, desk):
    observer = desk.accredit(state("DE"), MARCH_6)  # valid until 29 March 2023
    page = text(verify(client, observer.verification_code))
    assert 'data-verification="expired"' in page
    assert "This accreditation has expired" in page


def test_an_unknown_code_reveals_nothing_but_unknown(client, open_desk):
    observer = open_desk.accredit(state("DE"), timezone.localdate())
    response = verify(client, observer.verification_code[:-1] + "x")
    assert response.status_code == 404
    page = text(response)
    assert 'data-verification="unknown"' in page
    assert "No accreditation matches this code" in page
    assert observer.last_name_latin not in page
    assert "Germany" not in page
    assert "The coming election" not in page


def test_a_badge_check_shows_the_accreditation_number_to_compare_with_the_card(client, open_desk):
    observer = open_desk.accredit(state("DE"), timezone.localdate())
    page = text(verify(client, observer.verification_code))
    assert f"data-number>{observer.number_display}</span>" in page
    assert "The badge must show the same number." in page


def test_a_revoked_badge_shows_no_valid_row(client, open_desk):
    today = timezone.localdate()
    observer = open_desk.accredit(state("DE"), today, revoke_on=today)
    page = text(verify(client, observer.verification_code))
    assert 'data-row="valid"' not in page
    assert "<dt>Valid</dt>" not in page
    assert 'data-row="revoked"' in page and 'data-row="granted"' in page
    assert observer.number_display in page


def test_an_expired_badge_says_it_was_valid(client, election, desk):
    observer = desk.accredit(state("DE"), MARCH_6)
    page = text(verify(client, observer.verification_code))
    assert "<dt>Was valid</dt>" in page
    assert "<dt>Valid</dt>" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_code_says_what_to_do_next(client, language):
    response = verify(client, "no-such-badge", language)
    assert response.status_code == 404
    page = text(response)
    with translation.override(language):
        heading = gettext("What to do now")
        list_url = reverse("observers:observer_list")
    assert "data-next-steps" in page
    assert heading in page
    assert f'href="{list_url}"' in page


@pytest.mark.parametrize("code", ["abc%00def", "%D0%BA%D0%BE%D0%B4", "x" * 200, "'%20OR%201=1"])
def test_a_malformed_code_is_unknown_too(client, code):
    response = client.get(f"/en/observers/verify/{code}/")
    assert response.status_code == 404
    assert 'data-verification="unknown"' in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_verification_page_speaks_the_language_of_its_address(client, open_desk, language):
    observer = open_desk.accredit(state("DE"), timezone.localdate())
    response = verify(client, observer.verification_code, language)
    assert f'<html lang="{language}"' in text(response)


def test_verification_page_is_neither_indexed_nor_cached(client, open_desk):
    observer = open_desk.accredit(state("DE"), timezone.localdate())
    for code in (observer.verification_code, "unknown-code"):
        response = verify(client, code)
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "no-referrer"


# NO PERSONAL DATA, NO PERMISSION NEEDED


def _public_responses(client, election, observer):
    for language in LANGUAGES:
        yield client.get(url("stats", language, election=election.pk))
        yield client.get(url("stats", language, election=election.pk, until="2023-03-07"))
        yield client.get(url("stats_csv", language, election=election.pk, until="2023-03-07"))
        yield client.get(url("stats_json", language, election=election.pk, until="2023-03-07"))
        yield client.get(url("stats_xlsx", language, election=election.pk, until="2023-03-07"))
        yield client.get(url("observer_list", language, election=election.pk))
        yield client.get(url("revoked_list", language, election=election.pk))
        for name in ("observer_list", "revoked_list"):
            yield client.get(url(f"{name}_csv", language, election=election.pk))
            yield client.get(url(f"{name}_xlsx", language, election=election.pk))
        yield verify(client, observer.verification_code, language)


def _read(response) -> str:
    """What a response shows, as text: a page's or CSV's characters, a workbook's cells."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(
            " ".join(str(value) for value in row) for row in sheet.iter_rows(values_only=True)
        )
    return response.content.decode()


def test_no_public_page_or_download_shows_personal_data(client, election, private_person):
    photo_name = private_person.photo.name.rsplit("/", 1)[-1]
    for response in _public_responses(client, election, private_person):
        assert response.status_code == 200, response.request
        content = _read(response)
        assert DOCUMENT not in content
        assert photo_name not in content
        assert "photo" not in content.lower()
        for shown in BIRTH_SHOWN:
            assert shown not in content, (response.request, shown)


def test_public_pages_log_no_personal_data(client, election, private_person, caplog):
    with caplog.at_level(logging.DEBUG):
        for _response in _public_responses(client, election, private_person):
            pass
        client.get(url("stats", date="not-a-date"))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert DOCUMENT not in logged
    assert "1975-04-23" not in logged
    assert private_person.photo.name not in logged


def test_the_public_pages_need_no_sign_in(client, election, two_days):
    for name in ("stats", "stats_csv", "stats_json", "observer_list", "revoked_list"):
        assert client.get(url(name)).status_code == 200, name


def test_a_signed_in_agency_sees_no_more_than_the_public(client, election, private_person):
    anonymous = [_read(r) for r in _public_responses(client, election, private_person)]
    client.force_login(AgencyFactory().user)
    signed_in = [_read(r) for r in _public_responses(client, election, private_person)]
    for before, content in zip(anonymous, signed_in, strict=True):
        assert DOCUMENT not in content
        assert content.count("<td") == before.count("<td")
        assert content.count("\n") == before.count("\n") or "<html" in content


def test_the_site_navigation_leads_to_the_observer_pages(client):
    page = client.get("/en/").content.decode()
    assert f'href="{url("stats")}"' in page


@pytest.mark.parametrize(
    ("language", "query", "title"),
    [
        ("en", {"date": "2023-03-07"}, "Accreditations of 2023-03-07"),
        ("en", {"until": "2023-03-07"}, "Accreditations up to 2023-03-07"),
        ("kk", {"date": "2023-03-07"}, "2023-03-07 күнгі аккредиттеу"),
        ("kk", {"until": "2023-03-07"}, "2023-03-07 дейінгі аккредиттеу"),
        ("ru", {"date": "2023-03-07"}, "Аккредитации за 2023-03-07"),
        ("ru", {"until": "2023-03-07"}, "Аккредитации по 2023-03-07…"),
    ],
)
def test_xlsx_download_names_its_sheet_in_the_page_language_within_excels_limit(
    client, election, two_days, language, query, title
):
    from openpyxl import load_workbook

    response = client.get(url("stats_xlsx", language), {"election": election.pk, **query})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [title]
    assert len(title) <= 31


# METHODS

PUBLIC_PAGES = [
    "stats",
    "stats_csv",
    "stats_xlsx",
    "stats_json",
    "observer_list",
    "revoked_list",
    "observer_list_csv",
    "observer_list_xlsx",
    "revoked_list_csv",
    "revoked_list_xlsx",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_a_public_page_answers_options_with_the_methods_it_allows(client, election, name):
    response = client.options(url(name), {"election": election.pk})
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_options_answers_even_for_a_query_that_is_not_understood(client, election):
    response = client.options(url("observer_list"), {"page": "x", "election": "abc"})
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["stats", "observer_list", "revoked_list"])
def test_a_public_page_answers_head_with_its_headers_and_no_body(client, election, two_days, name):
    get = client.get(url(name))
    head = client.head(url(name))
    assert head.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_public_page_refuses_writes_and_says_what_it_allows(client, election, method):
    response = getattr(client, method)(url("observer_list"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_the_home_and_badge_pages_answer_options_too(client, open_desk):
    for address in ("/en/", reverse("observers:verify", kwargs={"code": "abc"})):
        response = client.options(address)
        assert response.status_code == 200, address
        assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.fixture
def accented(desk):
    """Three Turks (Şahin, Sahin, Şahın) and one Gökçe (Гёкче), accredited."""
    turkey = state("TR")
    people = [
        ("Şahin", "Ayşe", "Шахин", "Айше"),
        ("Sahin", "Mehmet", "Сахин", "Мехмет"),
        ("Şahın", "Ali", "Шахын", "Али"),
        ("Gökçe", "Elif", "Гёкче", "Элиф"),
    ]
    return [
        desk.accredit(
            turkey,
            MARCH_6,
            last_name_latin=last,
            first_name_latin=first,
            last_name_cyrillic=last_cyrillic,
            first_name_cyrillic=first_cyrillic,
        )
        for last, first, last_cyrillic, first_cyrillic in people
    ]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("sahin", {"Şahin", "Sahin", "Şahın"}),
        ("Şahin", {"Şahin", "Sahin", "Şahın"}),
        ("SAHİN", {"Şahin", "Sahin", "Şahın"}),
        ("Gokce", {"Gökçe"}),
        ("Gökçe", {"Gökçe"}),
        ("Гекче", {"Gökçe"}),
        ("Гёкче", {"Gökçe"}),
        ("Ayse sahin", {"Şahin"}),
    ],
)
def test_the_name_search_finds_either_spelling_of_diacritics_and_yo(
    client, election, accented, query, found
):
    listed = _listed(client.get(url("observer_list"), {"q": query}))
    for observer in accented:
        assert (observer.full_name_latin in listed) is (observer.last_name_latin in found), query


def test_the_name_search_is_answered_by_the_search_keys_index(election, accented):
    from django.db import connection

    from observers.filtersets import ObserverFilterSet

    queryset = ObserverFilterSet({"q": "sahin"}, queryset=Observer.objects.all()).qs
    with connection.cursor() as cursor:  # a few rows: the planner would rather read them all
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.order_by().values("pk").explain()
    assert "observers_observer_search" in plan


def test_a_name_change_keeps_the_search_key(election, accented):
    observer = accented[0]
    observer.last_name_cyrillic = "Шахён"
    observer.save(update_fields=["last_name_cyrillic"])

    observer.refresh_from_db()
    assert observer.search_key == "sahin ayse шахен айше"


def test_a_name_search_reads_the_list_in_as_many_queries_as_without(client, election, accented):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url("observer_list"))  # caches warmed alike
    with CaptureQueriesContext(connection) as plain:
        client.get(url("observer_list"))
    with CaptureQueriesContext(connection) as searched:
        response = client.get(url("observer_list"), {"q": "sahin"})
    assert len(response.context["observers"]) == 3
    assert len(searched) == len(plain)


@pytest.mark.parametrize(
    ("name", "language", "title"),
    [
        ("observer_list_xlsx", "kk", "Аккредиттелген байқаушылар"),
        ("observer_list_xlsx", "ru", "Аккредитованные наблюдатели"),
        ("revoked_list_xlsx", "ru", "Отозванные аккредитации"),
        ("revoked_list_xlsx", "en", "Revoked accreditations"),
    ],
)
def test_list_workbooks_name_their_sheet_in_the_page_language(
    client, election, named, name, language, title
):
    from openpyxl import load_workbook

    response = client.get(url(name, language), {"election": election.pk})
    assert load_workbook(io.BytesIO(response.content)).active.title == title
