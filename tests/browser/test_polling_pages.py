"""The public polling pages in a real browser, as a voter on a phone meets them: typing a street
(Kazakh or Russian, current or former name), choosing it, typing the building, landing on the
station's page; the same without scripts; by station number; the language switch on every page;
nothing running off a 390 px screen; screenshots at 390 px and 1366 px.

Screenshots go to $SCREENSHOT_DIR when it is set (to look at them), else to the test's
temporary directory.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from polling.choices import Parity, RuleKind
from tests.browser.conftest import PHONE, PageProblems, _open_context, _track
from tests.browser.test_public_pages import OVERFLOWING, OVERLAPPING
from tests.commissions.factories import RegionFactory, TerritorialCommissionFactory
from tests.polling.factories import (
    LocalityFactory,
    PollingStationFactory,
    StreetFactory,
    TerritoryRuleFactory,
)
from tests.polling.hours import election_2023, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["kk", "ru", "en"]
DESKTOP_WIDE = {"width": 1366, "height": 900}
STATION_NAME = {
    "kk": "№ 14 мектеп-гимназия",
    "ru": "Школа-гимназия № 14",
    "en": "School-gymnasium No. 14",
}


def _names(**names):
    return {f"name_{language}": value for language, value in names.items()}


@pytest.fixture
def polling_site():
    """An election; Astana with Abay Avenue (formerly Lenin Avenue in Russian) whose even side
    is served by a station with everything a page shows; Aktobe (UTC+5) with a station opening
    at 06:00 by a published decision. The paths of every page (without the language)."""
    election = election_2023(
        **_names(
            kk="Мәжіліс депутаттарын кезектен тыс сайлау",
            ru="Внеочередные выборы депутатов Мажилиса",
            en="Early elections of deputies of the Mazhilis",
        )
    )
    astana = RegionFactory(code="astana", **_names(kk="Астана", ru="Астана", en="Astana"))
    city = LocalityFactory(region=astana, **_names(kk="Астана", ru="Астана", en="Astana"))
    abay = StreetFactory(locality=city, name="Абай даңғылы", names=["проспект Ленина"])
    StreetFactory(locality=city, name="Абайұлы көшесі")
    station = PollingStationFactory(
        precinct_commission__parent=TerritorialCommissionFactory(region=astana),
        number=14,
        **_names(**STATION_NAME),
        address_kk="Абай даңғылы, 14",
        address_ru="проспект Абая, 14",
        address_en="14 Abay Avenue",
        latitude=Decimal("51.169392"),
        longitude=Decimal("71.449074"),
        step_free_entrance=True,
        has_ramp=True,
        accessible_booth=False,
        phone="+77172123456",
    )
    TerritoryRuleFactory(
        street=abay,
        station=station,
        kind=RuleKind.RANGE,
        parity=Parity.EVEN,
        number_from=2,
        number_to=40,
    )
    aktobe = RegionFactory(
        code="aktobe", timezone="Asia/Aqtobe", **_names(kk="Ақтөбе", ru="Актюбе", en="Aktobe")
    )
    camp = PollingStationFactory(
        precinct_commission__parent=TerritorialCommissionFactory(region=aktobe),
        number=301,
        **_names(kk="Вахталық кент", ru="Вахтовый посёлок", en="Shift camp"),
        address_en="Zhanazhol field",
    )
    published(camp, election, number="17/3", reason="Shift changes at 07:00.")
    return {
        "station": station,
        "paths": {
            "finder": "polling/",
            "station": f"polling/stations/{station.pk}/",
            "changed_hours": "polling/changed-hours/",
            "open_now": f"polling/stations/{station.pk}/open-now/",
            "camp": f"polling/stations/{camp.pk}/",
        },
    }


def _open(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200, response.status
    page.evaluate("document.fonts.ready.then(() => true)")
    return response


def _screenshot_dir(tmp_path) -> Path:
    directory = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


# FROM A STREET TO THE STATION


@pytest.mark.parametrize("size", ["phone_page", "page"])
@pytest.mark.parametrize(("language", "typed"), [("kk", "Абай"), ("ru", "Ленин")])
def test_from_typing_a_street_to_the_station_page(
    request, live_server, polling_site, page_problems, size, language, typed
):
    page = request.getfixturevalue(size)
    _open(page, live_server, f"/{language}/polling/")
    page.locator("#id_street").press_sequentially(typed, delay=40)
    option = page.locator("#street-suggestions [role=option]").first
    option.wait_for()
    assert page.locator("#id_street").get_attribute("aria-expanded") == "true"
    assert "Абай даңғылы" in option.text_content()
    option.click()
    assert page.locator("#id_street").input_value() == "Абай даңғылы"
    assert page.evaluate("document.activeElement.id") == "id_building"
    page.locator("#id_building").fill("14")
    with page.expect_navigation():
        page.locator("#id_building").press("Enter")
    station = polling_site["station"]
    assert page.url == f"{live_server.url}/{language}/polling/stations/{station.pk}/"
    assert STATION_NAME[language] in page.locator("h1").inner_text()
    status = page.locator("[data-open-now]")
    assert status.is_visible()
    assert status.get_attribute("data-state") == "closed"  # 19 March 2023 is over
    assert page.locator('a[href="tel:+77172123456"]').is_visible()
    assert "openstreetmap.org/?mlat=51.169392" in page.locator("[data-map-link]").get_attribute(
        "href"
    )
    assert not page_problems, page_problems


def test_the_keyboard_chooses_a_suggestion(page, live_server, polling_site, page_problems):
    _open(page, live_server, "/kk/polling/")
    street = page.locator("#id_street")
    street.press_sequentially("Абай", delay=40)
    page.locator("#street-suggestions [role=option]").nth(1).wait_for()
    street.press("ArrowDown")
    assert street.get_attribute("aria-activedescendant") == "street-option-0"
    street.press("Enter")
    assert street.input_value() == "Абай даңғылы"
    assert page.locator("#street-suggestions").is_hidden()
    assert not page_problems, page_problems


def test_without_scripts_the_finder_lists_streets_then_finds_the_station(
    browser, live_server, polling_site
):
    problems = PageProblems()
    context = _open_context(
        browser, live_server, problems, viewport=PHONE, java_script_enabled=False
    )
    page = _track(context.new_page(), problems)
    try:
        _open(page, live_server, "/ru/polling/")
        page.locator("#id_street").fill("Ленина")
        with page.expect_navigation():
            page.locator("#id_street").press("Enter")
        with page.expect_navigation():
            page.locator(".street-results a").first.click()
        page.locator("#id_building").fill("22")
        with page.expect_navigation():
            page.locator("#id_building").press("Enter")
        station = polling_site["station"]
        assert page.url == f"{live_server.url}/ru/polling/stations/{station.pk}/"
        # The open-now line needs a script: without one, a link to the page that says it.
        with page.expect_navigation():
            page.locator("noscript a, a[href*='open-now']").first.click()
        assert page.locator("[data-state]").get_attribute("data-state") == "closed"
    finally:
        context.close()
    assert not problems, problems


def test_by_number_and_region_to_the_station(phone_page, live_server, polling_site, page_problems):
    _open(phone_page, live_server, "/kk/polling/")
    phone_page.locator("#id_number").fill("14")
    phone_page.locator("#id_region").select_option(label="Астана")
    with phone_page.expect_navigation():
        phone_page.locator("#by-number button[type=submit]").click()
    station = polling_site["station"]
    assert phone_page.url == f"{live_server.url}/kk/polling/stations/{station.pk}/"
    assert not page_problems, page_problems


# THE LANGUAGE SWITCH


@pytest.mark.parametrize("target", LANGUAGES)
@pytest.mark.parametrize("page_name", ["finder", "station", "changed_hours", "open_now", "camp"])
def test_the_language_switcher_opens_the_page_in_the_chosen_language(
    page, page_problems, live_server, polling_site, page_name, target
):
    start = "en" if target != "en" else "kk"
    path = polling_site["paths"][page_name]
    _open(page, live_server, f"/{start}/{path}")
    with page.expect_navigation():
        page.locator(f'.lang-switcher a[data-language="{target}"]').click()
    assert page.url == f"{live_server.url}/{target}/{path}"
    assert page.locator("html").get_attribute("lang") == target
    assert page.locator(".lang-switcher [aria-current]").get_attribute("lang") == target
    if page_name == "station":
        assert STATION_NAME[target] in page.locator("h1").inner_text()
    assert not page_problems, page_problems


# A PHONE'S WIDTH


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", ["finder", "station", "changed_hours", "open_now", "camp"])
def test_nothing_runs_off_a_phone_screen(
    phone_page, page_problems, live_server, polling_site, page_name, language
):
    _open(phone_page, live_server, f"/{language}/{polling_site['paths'][page_name]}")
    assert phone_page.evaluate(OVERFLOWING) == []
    assert phone_page.evaluate(OVERLAPPING, ".brand, .site-nav li, .lang-switcher li") == []
    assert phone_page.evaluate(OVERLAPPING, ".access__icon, .access__label, .access__value") == []
    assert not page_problems, page_problems


def test_the_changed_hours_cards_fit_a_phone(phone_page, live_server, polling_site):
    _open(phone_page, live_server, "/kk/polling/changed-hours/")
    row = phone_page.locator(".data-table tbody tr").first
    for cell in row.locator("th, td").all():
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert "06:00–20:00" in row.inner_text() and "UTC+05:00" in row.inner_text()


# SCREENSHOTS


@pytest.mark.parametrize("width", [390, 1366])
def test_screenshots_of_every_polling_page(browser, live_server, polling_site, tmp_path, width):
    directory = _screenshot_dir(tmp_path)
    problems = PageProblems()
    if width == 390:
        options = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    else:
        options = {"viewport": DESKTOP_WIDE}
    context = _open_context(browser, live_server, problems, **options)
    page = _track(context.new_page(), problems)
    try:
        for language in LANGUAGES:
            for page_name in ("finder", "station", "changed_hours", "camp"):
                _open(page, live_server, f"/{language}/{polling_site['paths'][page_name]}")
                shot = directory / f"polling-{page_name}-{language}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
            # The finder with its suggestions open.
            _open(page, live_server, f"/{language}/polling/")
            page.locator("#id_street").press_sequentially("Абай", delay=20)
            page.locator("#street-suggestions [role=option]").first.wait_for()
            shot = directory / f"polling-suggestions-{language}-{width}.png"
            page.screenshot(path=str(shot), full_page=False)
    finally:
        context.close()
    assert not problems, problems
