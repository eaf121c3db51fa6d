"""The public polling pages: the station finder (by number; by address through the territories'
look-up), the station's page, the open-now page, the lists of stations with changed hours and
the open-data downloads; in kk, ru and en; cached and made fresh on change; bad input never 500."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as gettext_now

from core.caching import CACHE_HEADER
from polling import views
from polling.choices import Parity, RuleKind
from polling.models import StreetName
from tests.commissions.factories import RegionFactory, TerritorialCommissionFactory
from tests.polling.factories import (
    LocalityFactory,
    PollingStationFactory,
    StreetFactory,
    TerritoryRuleFactory,
)
from tests.polling.hours import (
    ALMATY,
    UTC,
    draft,
    election_2023,
    published,
    station_abroad,
    station_in,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru", "en"]


def url(name, language="en", query="", **kwargs):
    with translation.override(language):
        path = reverse(f"polling:{name}", kwargs=kwargs or None)
    return f"{path}?{query}" if query else path


def get(client, path, **headers):
    return client.get(path, **headers)


@pytest.fixture
def election():
    return election_2023(name_en="Mazhilis 2023", name_ru="Мажилис 2023", name_kk="Мәжіліс 2023")


@pytest.fixture
def aqtobe_station():
    """A station in an Aktobe region (UTC+5 in 2023) with everything a page shows."""
    return station_in(
        "Asia/Aqtobe",
        name="School No. 12",
        address="12 Abylkhair Khan Avenue",
        latitude=Decimal("50.283937"),
        longitude=Decimal("57.166978"),
        step_free_entrance=True,
        has_ramp=False,
        accessible_booth=True,
        phone="+77132123456",
    )


# EVERY PAGE, EVERY LANGUAGE


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["station_finder", "changed_hours", "station_detail"])
def test_every_page_answers_in_each_language(client, election, aqtobe_station, name, language):
    kwargs = {"pk": aqtobe_station.pk} if name == "station_detail" else {}
    response = client.get(url(name, language, f"election={election.pk}", **kwargs))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    # The section's navigation and the language switch link to this page in the others.
    for other in set(LANGUAGES) - {language}:
        assert f'hreflang="{other}"' in html
    with translation.override(language):
        assert str(views.ABROAD_LABEL) in html or name == "station_detail"


def test_the_home_page_and_navigation_lead_to_the_finder(client):
    html = client.get("/kk/").content.decode()
    assert url("station_finder", "kk") in html


# THE STATION'S PAGE


def test_station_page_shows_where_access_phone_map_and_local_hours(
    client, election, aqtobe_station
):
    html = client.get(url("station_detail", query=f"election={election.pk}", pk=aqtobe_station.pk))
    html = html.content.decode()
    assert f"Polling station No. {aqtobe_station.number}" in html
    assert "School No. 12" in html and "12 Abylkhair Khan Avenue" in html
    assert aqtobe_station.region.name in html
    assert "07:00–20:00" in html
    assert "UTC+05:00" in html
    assert "The premises open at 06:00" in html
    assert 'href="tel:+77132123456"' in html
    assert (
        "https://www.openstreetmap.org/?mlat=50.283937&amp;mlon=57.166978#map=17/50.283937/57.166978"
        in html
    )
    assert 'data-access="step_free_entrance"' in html
    assert 'class="access access--yes" data-access="step_free_entrance"' in html
    assert 'class="access access--no" data-access="ramp"' in html
    assert 'class="access access--yes" data-access="accessible_booth"' in html
    # "Open now" is the script's (from the instants), never the cached page's.
    assert 'data-opens="2023-03-19T07:00:00+05:00"' in html
    assert 'data-closes="2023-03-19T20:00:00+05:00"' in html


def test_station_page_shows_the_published_decision(client, election):
    station = station_in("Asia/Almaty")
    published(station, election, number="12/45", reason="Herders leave at dawn.")
    html = client.get(url("station_detail", query=f"election={election.pk}", pk=station.pk))
    html = html.content.decode()
    assert "06:00–20:00" in html and "UTC+06:00" in html
    assert "The premises open at 05:00" in html
    commission = station.precinct_commission.parent.name
    assert f"{commission}: decision No. 12/45 of March 3, 2023" in html
    assert "Remote area" in html and "Herders leave at dawn." in html
    assert "Changed hours" in html


def test_a_draft_decision_is_not_shown(client, election):
    station = station_in()
    draft(station, election, number="9/9", reason="Not yet decided.")
    html = client.get(url("station_detail", query=f"election={election.pk}", pk=station.pk))
    html = html.content.decode()
    assert "07:00–20:00" in html
    assert "9/9" not in html and "Not yet decided." not in html


def test_a_station_abroad_keeps_its_country_time(client, election):
    station = station_abroad("America/New_York", "US", name="Embassy", address="Washington")
    html = client.get(url("station_detail", query=f"election={election.pk}", pk=station.pk))
    html = html.content.decode()
    assert "United States of America" in html
    assert "UTC\u221204:00" in html  # daylight time since 12 March 2023


def test_a_station_without_coordinates_or_phone_has_no_map_link_nor_tel(client, election):
    station = station_in(latitude=None, longitude=None, phone="")
    html = client.get(url("station_detail", pk=station.pk)).content.decode()
    assert "openstreetmap.org" not in html and "tel:" not in html


def test_without_an_election_the_station_page_still_answers(client):
    station = station_in()
    response = client.get(url("station_detail", pk=station.pk))
    assert response.status_code == 200
    assert "No election has been called yet." in response.content.decode()


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (datetime.datetime(2023, 3, 19, 6, 59, 59, tzinfo=ALMATY), "before"),
        (datetime.datetime(2023, 3, 19, 7, 0, tzinfo=ALMATY), "open"),
        (datetime.datetime(2023, 3, 19, 13, 59, 59, tzinfo=UTC), "open"),
        (datetime.datetime(2023, 3, 19, 14, 0, tzinfo=UTC), "closed"),  # 20:00 Almaty
    ],
)
def test_open_now_is_computed_at_request_time_and_never_cached(
    client, election, monkeypatch, moment, state, public_cache
):
    station = station_in("Asia/Almaty")
    monkeypatch.setattr(views, "clock", lambda: moment)
    path = url("station_open_now", query=f"election={election.pk}", pk=station.pk)
    response = client.get(path)
    assert response.status_code == 200
    assert f'data-state="{state}"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert CACHE_HEADER not in response


# FINDING A STATION BY NUMBER


def test_a_number_and_region_lead_to_the_station(client):
    station = station_in(number=4321)
    response = client.get(url("station_finder", query=f"number=4321&region={station.region_id}"))
    assert response.status_code == 302
    assert response["Location"] == url("station_detail", pk=station.pk)


def test_a_number_in_several_regions_lists_them(client):
    first = station_in(number=77)
    second = station_in(number=77)
    abroad = station_abroad("Europe/Berlin", "DE", number=77)
    html = client.get(url("station_finder", query="number=77")).content.decode()
    assert "3 stations have this number" in html
    for station in (first, second, abroad):
        assert url("station_detail", pk=station.pk) in html
    response = client.get(url("station_finder", query="number=77&region=abroad"))
    assert response["Location"] == url("station_detail", pk=abroad.pk)


def test_an_unknown_number_says_so(client):
    station_in(number=5)
    html = client.get(url("station_finder", query="number=6")).content.decode()
    assert "No polling station has this number here." in html


@pytest.mark.parametrize(
    "query",
    [
        "number=abc",
        "number=%D9%A3",  # Arabic-Indic three
        "number=+3",
        "number=-3",
        "number=0",
        "number=" + "9" * 40,
        "number=1&region=abc",
        "number=1&region=999999999",
        "number=1&region=" + "9" * 40,
        "number=1%00",
        "street=" + "Абай" * 2000,
        "street=%00%FF&street_id=abc&building=" + "1" * 500,
    ],
)
def test_bad_finder_input_is_an_answer_never_an_error(client, query):
    response = client.get(url("station_finder", query=query))
    assert response.status_code == 200


# FINDING A STATION BY ADDRESS


@pytest.fixture
def abay_avenue():
    """Abay Avenue in Astana (formerly Ленина in Russian), its even side 2–40 served by one
    station, building 12А by another; another street whose name starts the same."""
    region = RegionFactory(code="astana", name_en="Astana", name_kk="Астана", name_ru="Астана")
    locality = LocalityFactory(region=region, name_en="Astana", name_kk="Астана", name_ru="Астана")
    street = StreetFactory(locality=locality, name="Абай даңғылы", names=["проспект Ленина"])
    StreetFactory(locality=locality, name="Абайұлы көшесі")
    even = PollingStationFactory(precinct_commission__parent__region=region, name="School 7")
    corner = PollingStationFactory(precinct_commission__parent__region=region, name="College")
    TerritoryRuleFactory(
        street=street,
        station=even,
        kind=RuleKind.RANGE,
        parity=Parity.EVEN,
        number_from=2,
        number_to=40,
    )
    TerritoryRuleFactory(street=street, station=corner, kind=RuleKind.BUILDING, building="12А")
    return street, even, corner


def test_typeahead_offers_streets_by_current_or_former_name(client, abay_avenue):
    street, _even, _corner = abay_avenue
    data = client.get(url("street_suggestions", "kk", "q=Абай")).json()
    assert [s["name"] for s in data["streets"]] == ["Абай даңғылы", "Абайұлы көшесі"]
    assert data["streets"][0] == {
        "id": street.pk,
        "name": "Абай даңғылы",
        "locality": "Астана",
        "label": "Абай даңғылы, Астана",
    }
    former = client.get(url("street_suggestions", "ru", "q=ленин")).json()["streets"]
    assert [s["id"] for s in former] == [street.pk]
    assert "проспект Ленина" in former[0]["label"]
    for query in ("q=a", "q=", "q=" + "я" * 5000, "q=%00%00", "q=Zzzz"):
        response = client.get(url("street_suggestions", query=query))
        assert response.status_code == 200 and response.json()["streets"] == []


def test_a_current_name_in_another_language_is_not_called_a_former_name(client):
    """Кенесары көшесі is улица Кенесары in Russian: both current, neither "formerly"."""
    street = StreetFactory(name="Кенесары көшесі")
    StreetName.objects.create(street=street, name="улица Кенесары", language="ru")
    for language, query in (("ru", "кенес"), ("kk", "улица кенесары"), ("en", "kenesary")):
        (found,) = client.get(url("street_suggestions", language, f"q={query}")).json()["streets"]
        assert found["id"] == street.pk
        with translation.override(language):
            formerly = gettext_now("{name} (formerly {former})").split("{former}")[0]
        assert formerly.replace("{name}", "").strip() not in found["label"], found["label"]


def test_without_scripts_a_street_then_a_building_lead_to_the_station(client, abay_avenue):
    street, even, corner = abay_avenue
    html = client.get(url("station_finder", query="street=Абай")).content.decode()
    assert "Абай даңғылы" in html and "Абайұлы көшесі" in html
    assert f"street_id={street.pk}" in html
    chosen = client.get(url("station_finder", query=f"street=Абай&street_id={street.pk}"))
    assert "data-street-chosen" in chosen.content.decode()
    response = client.get(url("station_finder", query=f"street_id={street.pk}&building=14"))
    assert response.status_code == 302
    assert response["Location"] == url("station_detail", pk=even.pk)
    response = client.get(url("station_finder", query=f"street_id={street.pk}&building=12а"))
    assert response["Location"] == url("station_detail", pk=corner.pk)


def test_an_address_leads_to_its_station_in_two_queries(
    client, abay_avenue, django_assert_num_queries
):
    """The finder's answer to a street chosen and a building is a redirect, never cached: the
    street, then the look-up; the page's lists (regions) are not read."""
    street, even, _corner = abay_avenue
    path = url("station_finder", query=f"street={street.name}&street_id={street.pk}&building=14")
    with django_assert_num_queries(2):
        response = client.get(path)
    assert response["Location"] == url("station_detail", pk=even.pk)


def test_a_street_only_one_matches_needs_no_choosing(client, abay_avenue):
    _street, even, _corner = abay_avenue
    response = client.get(url("station_finder", query="street=Ленина&building=20"))
    assert response["Location"] == url("station_detail", pk=even.pk)


def test_an_address_no_station_serves_or_an_unreadable_building_says_so(client, abay_avenue):
    street, _even, _corner = abay_avenue
    missed = client.get(url("station_finder", query=f"street_id={street.pk}&building=13"))
    assert missed.status_code == 200
    assert "No polling station serves" in missed.content.decode()
    bad = client.get(url("station_finder", query=f"street_id={street.pk}&building=%21%21"))
    assert bad.status_code == 200 and "building-errors" in bad.content.decode()


def test_a_chosen_street_then_another_name_typed_searches_the_new_name(client, abay_avenue):
    street, _even, _corner = abay_avenue
    path = url("station_finder", query=f"street=Абайұлы&street_id={street.pk}")
    html = client.get(path).content.decode()
    assert "data-street-chosen" not in html and "Абайұлы көшесі" in html


# BAD INPUT


@pytest.mark.parametrize("value", ["abc", "0", "999999999", "1.5", "-1", "%D9%A3", "9" * 40])
@pytest.mark.parametrize(
    "name", ["station_detail", "changed_hours", "stations_csv", "stations_xlsx"]
)
def test_a_bad_election_is_a_400_page(client, name, value):
    station = station_in()
    kwargs = {"pk": station.pk} if name == "station_detail" else {}
    response = client.get(url(name, query=f"election={value}", **kwargs))
    assert response.status_code == 400
    assert "No election has this id." in response.content.decode()


def test_a_bad_election_in_the_json_download_is_a_json_400(client):
    response = client.get(url("stations_json", query="election=abc"))
    assert response.status_code == 400
    assert response.json()["errors"]["election"] == ["No election has this id."]


def test_an_unknown_station_is_a_404(client, election):
    assert client.get(url("station_detail", pk=999999)).status_code == 404
    assert client.get(url("station_open_now", pk=999999)).status_code == 404
    assert client.get("/en/polling/stations/abc/").status_code == 404
    assert client.get("/en/polling/stations/" + "9" * 40 + "/").status_code == 404


def test_a_huge_query_string_is_answered(client, election):
    station = station_in()
    query = "x=" + "y" * 20000 + f"&election={election.pk}"
    assert client.get(url("station_detail", query=query, pk=station.pk)).status_code == 200
    assert client.get(url("changed_hours", query=query)).status_code == 200


# STATIONS WITH CHANGED HOURS


def _region(name_kk, name_ru, code):
    return RegionFactory(code=code, name_en=code, name_kk=name_kk, name_ru=name_ru)


def test_changed_hours_are_listed_by_region_in_the_languages_alphabet(client, election):
    # Kazakh: Ақмола before Алматы (Қ after К), Ұлытау before Шымкент; by code point the reverse.
    regions = {
        code: _region(kk, ru, code)
        for kk, ru, code in [
            ("Шымкент", "Шымкент", "shymkent"),
            ("Ұлытау", "Улытау", "ulytau"),
            ("Алматы", "Алматы", "almaty"),
            ("Ақмола", "Акмола", "akmola"),
        ]
    }
    stations = []
    for code, region in regions.items():
        commission = TerritorialCommissionFactory(region=region)
        for number in (20, 3):
            station = PollingStationFactory(
                precinct_commission__parent=commission, number=number + len(stations)
            )
            stations.append(station)
            published(station, election, number=f"{code}/{number}")
    station_in()  # usual hours: not listed
    html = client.get(url("changed_hours", "kk", f"election={election.pk}")).content.decode()
    order = [html.index(f'data-region="{r.pk}"') for r in regions.values()]
    kk_order = ["akmola", "almaty", "ulytau", "shymkent"]
    assert [c for _i, c in sorted(zip(order, regions, strict=True))] == kk_order
    # Inside a region by number.
    akmola = [s for s in stations if s.region_id == regions["akmola"].pk]
    first, second = sorted(akmola, key=lambda s: s.number)
    assert html.index(f'data-station="{first.pk}"') < html.index(f'data-station="{second.pk}"')
    assert 'data-count="8"' in html
    ru = client.get(url("changed_hours", "ru", f"election={election.pk}")).content.decode()
    ru_order = [ru.index(f'data-region="{r.pk}"') for r in regions.values()]
    assert [c for _i, c in sorted(zip(ru_order, regions, strict=True))] == [
        "akmola",
        "almaty",
        "ulytau",
        "shymkent",
    ]


def test_changed_hours_filter_by_region_and_abroad(client, election):
    home = station_in()
    abroad = station_abroad("Europe/Berlin", "DE")
    published(home, election, number="1/1")
    published(abroad, election, number="2/2")
    path = url("changed_hours", query=f"election={election.pk}&region={home.region_id}")
    html = client.get(path).content.decode()
    assert f'data-station="{home.pk}"' in html and f'data-station="{abroad.pk}"' not in html
    html = client.get(url("changed_hours", query=f"election={election.pk}&region=abroad"))
    html = html.content.decode()
    assert f'data-station="{abroad.pk}"' in html and f'data-station="{home.pk}"' not in html
    assert 'data-region="abroad"' in html


@pytest.mark.parametrize("stations", [2, 12])
def test_changed_hours_list_reads_in_a_fixed_number_of_queries(
    client, election, django_assert_num_queries, stations
):
    region = RegionFactory()
    commission = TerritorialCommissionFactory(region=region)
    for n in range(stations):
        station = PollingStationFactory(precinct_commission__parent=commission)
        published(station, election, number=f"{n}/1")
    # The elections (the picker's, and the one chosen), the regions (the picker's, and the one
    # chosen), the stations, their decisions in force.
    for query in (f"election={election.pk}", f"election={election.pk}&region={region.pk}"):
        with django_assert_num_queries(4):
            response = client.get(url("changed_hours", query=query))
        assert f'data-count="{stations}"' in response.content.decode()


# OPEN DATA


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_download_has_every_station_with_its_hours(client, election, aqtobe_station):
    changed = station_in("Asia/Almaty")
    published(changed, election, number="5/5")
    abroad = station_abroad("Europe/Berlin", "DE")
    response = client.get(url("stations_csv", query=f"election={election.pk}"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = {int(row["id"]): row for row in _csv(response)}
    assert set(rows) == {aqtobe_station.pk, changed.pk, abroad.pk}
    row = rows[aqtobe_station.pk]
    assert row["voting_opens_at"] == "2023-03-19T07:00:00+05:00"
    assert row["voting_closes_at"] == "2023-03-19T20:00:00+05:00"
    assert row["premises_open_at"] == "2023-03-19T06:00:00+05:00"
    assert row["utc_offset"] == "UTC+05:00" and row["timezone"] == "Asia/Aqtobe"
    assert (
        row["hours_changed"] == "false" and row["phone"] == "'+77132123456"
    )  # core.csv's formula guard
    assert rows[changed.pk]["voting_opens_at"] == "2023-03-19T06:00:00+06:00"
    assert rows[changed.pk]["decision_number"] == "5/5"
    assert rows[abroad.pk]["utc_offset"] == "UTC+01:00" and rows[abroad.pk]["region"] == ""


def test_xlsx_download_has_the_csv_rows_in_order(client, election, aqtobe_station):
    from openpyxl import load_workbook

    published(station_in("Asia/Almaty"), election, number="5/5")
    station_abroad("Europe/Berlin", "DE")
    query = f"election={election.pk}"
    csv_rows = _csv(client.get(url("stations_csv", "ru", query)))
    response = client.get(url("stations_xlsx", "ru", query))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.title == "Избирательные участки"
    header, *rows = sheet.iter_rows(values_only=True)
    assert list(header) == views.DOWNLOAD_HEADER
    assert [str(row[0]) for row in rows] == [row["id"] for row in csv_rows]
    first = dict(zip(header, rows[0], strict=True))
    assert first["voting_opens_at"] == csv_rows[0]["voting_opens_at"]
    assert first["decision_number"] == (csv_rows[0]["decision_number"] or None)
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_id[aqtobe_station.pk]["phone"] == "'+77132123456"  # the formula guard
    assert by_id[aqtobe_station.pk]["step_free_entrance"] is True


def test_xlsx_download_is_kept_like_the_csv(client, public_cache, election, aqtobe_station):
    path = url("stations_xlsx", query=f"election={election.pk}")
    first = client.get(path)
    assert first[CACHE_HEADER] == "miss"
    content = b"".join(first.streaming_content)
    second = client.get(path)
    assert second[CACHE_HEADER] == "hit"
    assert b"".join(second.streaming_content) == content


def test_json_download_matches_the_csv(client, election, aqtobe_station):
    response = client.get(url("stations_json", "ru", f"election={election.pk}"))
    assert response.status_code == 200 and response.streaming
    data = json.loads(b"".join(response.streaming_content))
    assert data["election"] == {
        "id": election.pk,
        "name": "Мажилис 2023",
        "election_day": "2023-03-19",
    }
    assert data["fields"] == views.DOWNLOAD_HEADER
    (station,) = data["stations"]
    assert station["voting_opens_at"] == "2023-03-19T07:00:00+05:00"
    assert station["step_free_entrance"] is True and station["has_ramp"] is False
    assert station["latitude"] == "50.283937"


def test_downloads_read_in_a_fixed_number_of_queries_per_chunk(
    client, election, django_assert_max_num_queries
):
    for _ in range(15):
        station_in()
    with django_assert_max_num_queries(4):
        response = client.get(url("stations_csv", query=f"election={election.pk}"))
        assert len(_csv(response)) == 15


def test_downloads_without_an_election_are_404(client):
    assert client.get(url("stations_csv")).status_code == 404


# CACHING


def test_pages_are_cached_and_a_changed_station_is_shown_at_once(
    client, public_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        election = election_2023()
        station = station_in(name="Old school")
    path = url("station_detail", query=f"election={election.pk}", pk=station.pk)
    assert client.get(path)[CACHE_HEADER] == "miss"
    cached = client.get(path)
    assert cached[CACHE_HEADER] == "hit" and "Old school" in cached.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        station.name_en = "New school"
        station.save()
    fresh = client.get(path)
    assert fresh[CACHE_HEADER] == "miss" and "New school" in fresh.content.decode()


def test_a_published_decision_is_shown_at_once_on_every_page(
    client, public_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        election = election_2023()
        station = station_in()
    query = f"election={election.pk}"
    paths = [
        url("station_detail", query=query, pk=station.pk),
        url("changed_hours", query=query),
    ]
    for path in paths:
        client.get(path)
        assert client.get(path)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        decision = draft(station, election, number="7/7")
    assert client.get(paths[0])[CACHE_HEADER] == "miss"  # a draft bumps too, but shows nothing
    assert "7/7" not in client.get(paths[0]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        from tests.polling.hours import publish

        publish(decision)
    for path in paths:
        response = client.get(path)
        assert response[CACHE_HEADER] == "miss"
        assert "7/7" in response.content.decode()


def test_downloads_are_kept_and_made_fresh_on_change(
    client, public_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        election = election_2023()
        station = station_in()
    path = url("stations_csv", query=f"election={election.pk}")
    first = client.get(path)
    assert first[CACHE_HEADER] == "miss"
    first_rows = _csv(first)
    second = client.get(path)
    assert second[CACHE_HEADER] == "hit"
    assert _csv(second) == first_rows
    with django_capture_on_commit_callbacks(execute=True):
        published(station, election, number="8/8")
    third = client.get(path)
    assert third[CACHE_HEADER] == "miss"
    assert _csv(third)[0]["decision_number"] == "8/8"


def test_a_download_cut_short_is_not_kept(public_cache):
    body, hit = views.cached_stream("test:cut", iter(["a\n", "b\n"]))
    assert not hit
    next(body)
    body.close()  # the client went away
    assert views.cached_stream("test:cut", iter([]))[1] is False
    body, _hit = views.cached_stream("test:whole", iter(["a\n", "b\n"]))
    assert b"".join(body) == b"a\nb\n"
    kept, hit = views.cached_stream("test:whole", iter([]))
    assert hit and b"".join(kept) == b"a\nb\n"


def test_pages_carry_no_personal_data(client, election):
    """The pages read stations and decisions only; a commission member's name never shows."""
    from tests.commissions.factories import CommissionMemberFactory

    station = station_in()
    CommissionMemberFactory(commission=station.precinct_commission, full_name="Secret Person")
    for path in (
        url("station_detail", query=f"election={election.pk}", pk=station.pk),
        url("changed_hours", query=f"election={election.pk}"),
    ):
        assert "Secret Person" not in client.get(path).content.decode()
    body = b"".join(
        client.get(url("stations_json", query=f"election={election.pk}")).streaming_content
    )
    assert b"Secret Person" not in body


def test_pages_answer_head_and_options_and_refuse_writes(client, election):
    station = station_in()
    path = url("station_detail", query=f"election={election.pk}", pk=station.pk)
    assert client.head(path).status_code == 200
    assert client.options(path).status_code == 200
    assert client.post(path).status_code == 405
    assert client.options(url("changed_hours", query="election=abc")).status_code == 200


@pytest.mark.parametrize("changed", [False, True])
def test_the_station_page_reads_in_a_fixed_number_of_queries(
    client, election, django_assert_num_queries, changed
):
    station = station_in()
    if changed:
        published(station, election, number="3/3")
    path = url("station_detail", query=f"election={election.pk}", pk=station.pk)
    # The elections (the picker's, and the one chosen), the station with its region, its
    # decision in force; the decision's commission when there is one.
    with django_assert_num_queries(4 if changed else 3):
        response = client.get(path)
    assert response.status_code == 200
    assert ("3/3" in response.content.decode()) is changed


def test_the_station_page_without_an_election_chosen_reads_the_current_one(
    client, election, django_assert_num_queries
):
    station = station_in()
    # The current election (commissions' Election.objects.current(): no election day ahead,
    # the latest before, its first election), the elections, the station, its decision.
    with django_assert_num_queries(6):
        response = client.get(url("station_detail", pk=station.pk))
    assert election.name in response.content.decode()


def test_the_station_page_is_cached_whole_for_anonymous_readers(
    client, public_cache, election, django_assert_num_queries
):
    """No cookie set, no CSRF token (the subscription form posts without one, see
    polling.subscriptions.StationSubscribeView), so the second reader costs no query."""
    station = station_in()
    published(station, election, number="3/3")
    path = url("station_detail", "kk", f"election={election.pk}", pk=station.pk)
    first = client.get(path)
    assert first[CACHE_HEADER] == "miss" and not first.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second[CACHE_HEADER] == "hit" and second.content == first.content
