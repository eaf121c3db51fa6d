"""The observers' statistics page in a real browser: figures, the chart, switching the day and the
breakdown, in Kazakh, Russian and English, on a desktop and a phone."""

import re

import pytest

from commissions.choices import ElectionKind
from tests.commissions.factories import ElectionFactory
from tests.observers.factories import E_DAY, MARCH_6, MARCH_7, Desk, organization, state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ELECTION_NAME = {
    "kk": "Мәжіліс депутаттарын кезектен тыс сайлау",
    "ru": "Внеочередные выборы депутатов Мажилиса",
    "en": "Early elections of deputies of the Mazhilis",
}
MARCH_6_SHOWN = {"kk": "06.03.2023 ж.", "ru": "6 марта 2023 г.", "en": "6 March 2023"}
MARCH_7_SHOWN = {"kk": "07.03.2023 ж.", "ru": "7 марта 2023 г.", "en": "7 March 2023"}
CIS_NAME = {
    "kk": "ТМД байқаушылар миссиясы",
    "ru": "Миссия наблюдателей от СНГ",
    "en": "CIS Observer Mission",
}
GERMANY = {"ru": "Германия", "en": "Germany"}


@pytest.fixture
def accreditations():
    """6 March: 2 from Germany, 1 from the US, 2 from the CIS mission. 7 March: 1 from Germany,
    2 from Türkiye, 1 from Hungary, 1 from the CIS mission, 4 from the OTS."""
    election = ElectionFactory(
        election_day=E_DAY,
        name_kk=ELECTION_NAME["kk"],
        name_ru=ELECTION_NAME["ru"],
        name_en=ELECTION_NAME["en"],
    )
    desk = Desk(election)
    germany = state("DE")
    cis = organization(name_en=CIS_NAME["en"], name_ru=CIS_NAME["ru"], name_kk=CIS_NAME["kk"])
    ots = organization(name_en="Organization of Turkic States", short_name_en="OTS")
    desk.accredit_many(germany, MARCH_6, 2)
    desk.accredit_many(state("US"), MARCH_6, 1)
    desk.accredit_many(cis, MARCH_6, 2)
    desk.accredit_many(germany, MARCH_7, 1)
    desk.accredit_many(state("TR"), MARCH_7, 2)
    desk.accredit_many(state("HU"), MARCH_7, 1)
    desk.accredit_many(cis, MARCH_7, 1)
    desk.accredit_many(ots, MARCH_7, 4)
    return election


def _open(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


def _figures(page, group: str) -> tuple[int, int, int]:
    block = page.locator(f'[data-figures="{group}"]')
    return tuple(
        int(block.locator(f'[data-figure="{name}"]').inner_text())
        for name in ("observers", "states", "organizations")
    )


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_statistics_page_shows_the_figures_and_the_chart(
    page, page_problems, live_server, accreditations
):
    _open(page, live_server, "/en/observers/stats/")
    assert _figures(page, "day") == (9, 3, 2)
    assert _figures(page, "until") == (14, 4, 2)

    states_chart = page.get_by_role("img", name="Observers by nominating state")
    assert states_chart.is_visible()
    assert states_chart.locator(".chart__bar").count() == 3
    organizations_chart = page.get_by_role("img", name="Observers by nominating international")
    assert organizations_chart.locator(".chart__bar").count() == 2
    # The chart draws what the table lists: a bar per row, the longest for the largest number.
    state_rows = page.locator('[data-table="states"] tbody tr')
    assert state_rows.count() == 3
    widths = [bar.bounding_box()["width"] for bar in states_chart.locator(".chart__bar").all()]
    assert widths[0] == max(widths)
    assert widths[0] == pytest.approx(2 * widths[-1], rel=0.02)
    assert states_chart.locator(".chart__value").all_text_contents() == ["2", "1", "1"]
    labels = organizations_chart.locator(".chart__label").all_text_contents()
    assert labels == ["Organization of Turkic States", "CIS Observer Mission"]  # as in the table
    # Both charts on one scale: the OTS's 4 observers are twice Germany's 2 in length.
    ots = organizations_chart.locator(".chart__bar").first.bounding_box()["width"]
    assert ots == pytest.approx(2 * widths[0], rel=0.02)
    assert not page_problems, page_problems


def test_choosing_another_day_shows_its_figures(page, page_problems, live_server, accreditations):
    _open(page, live_server, "/en/observers/stats/")
    day_link = page.get_by_role("link", name="6 March 2023")
    with page.expect_navigation():
        day_link.click()
    assert "date=2023-03-06" in page.url
    assert _figures(page, "day") == (5, 2, 1)
    assert _figures(page, "until") == (5, 2, 1)
    assert page.locator('[aria-current="date"]').inner_text() == "6 March 2023"
    assert (
        page.get_by_role("img", name="Observers by nominating state").locator(".chart__bar").count()
        == 2
    )
    assert not page_problems, page_problems


def test_switching_to_the_cumulative_breakdown_by_keyboard(page, live_server, accreditations):
    _open(page, live_server, "/en/observers/stats/")
    page.get_by_role("link", name="Up to and including that day").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "until=2023-03-07" in page.url
    heading = _squash(page.locator("#breakdown-heading").inner_text())
    assert heading == "Observers by state and organisation up to and including 7 March 2023"
    chart = page.get_by_role("img", name="Observers by nominating state")
    assert chart.locator(".chart__bar").count() == 4
    assert page.locator('[data-table="states"] tbody tr').first.locator("th").inner_text() == (
        "Germany"
    )
    # The day links keep the cumulative view.
    with page.expect_navigation():
        page.get_by_role("link", name="6 March 2023").click()
    assert "until=2023-03-06" in page.url
    assert chart.locator(".chart__bar").count() == 2


def test_choosing_the_election_with_the_form(page, live_server, accreditations):
    maslikhats = ElectionFactory(
        election_day=E_DAY, kind=ElectionKind.MASLIKHAT, name_en="Maslikhat elections"
    )
    Desk(maslikhats).accredit(state("PL"), MARCH_6)
    _open(page, live_server, "/en/observers/stats/")
    assert _figures(page, "day") == (9, 3, 2)
    page.get_by_label("Election", exact=True).select_option(
        label="Maslikhat elections (19.03.2023)"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert f"election={maslikhats.pk}" in page.url
    assert _figures(page, "day") == (1, 1, 0)
    assert page.locator('[aria-current="date"]').inner_text() == "6 March 2023"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_statistics_page_reads_in_its_language(
    page, page_problems, live_server, accreditations, language
):
    _open(page, live_server, f"/{language}/observers/stats/")
    assert page.locator("html").get_attribute("lang") == language
    main = _squash(page.locator("main").inner_text())
    assert ELECTION_NAME[language] in main
    assert MARCH_6_SHOWN[language] in main and MARCH_7_SHOWN[language] in main
    table = page.locator('[data-table="organizations"]').inner_text()
    assert CIS_NAME[language] in table
    if language in GERMANY:
        assert GERMANY[language] in page.locator('[data-table="states"]').inner_text()
    # The chart's description, read out instead of the bars, is in the same language.
    description = page.locator("#chart-organizations-desc").text_content()
    assert description.startswith("Organization of Turkic States: 4")
    assert CIS_NAME[language] in description
    assert _figures(page, "day") == (9, 3, 2)
    assert not page_problems, page_problems


def test_statistics_page_fits_a_phone_screen(
    phone_page, page_problems, live_server, accreditations, tmp_path
):
    _open(phone_page, live_server, "/kk/observers/stats/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    chart = phone_page.locator(".chart").first
    assert chart.is_visible()
    label = chart.locator(".chart__label").first.bounding_box()
    assert label is not None and label["height"] >= 12  # the labels keep a readable size
    for link in phone_page.locator(".chips a").all():
        box = link.bounding_box()
        assert box is not None and box["height"] >= 44
    shot = tmp_path / "observer-stats-kk-phone.png"
    phone_page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert not page_problems, page_problems
