"""The home page in a real browser: languages, the language switcher, fonts, phone and desktop."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.commissions.factories import ElectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІәғқңөұүһі"
TAGLINE = {
    "kk": "Сайлау комиссиясының ақпараттық жүйесі",
    "ru": "Информационная система избирательной комиссии",
    "en": "Election commission information system",
}
HEADING = {
    "kk": "Сайлау күні 19.03.2023 ж.",
    "ru": "День выборов 19 марта 2023 г.",
    "en": "Election day 19 March 2023",
}
NAME = {
    "kk": "Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын кезектен тыс сайлау",
    "ru": "Внеочередные выборы депутатов Мажилиса Парламента Республики Казахстан",
    "en": "Early elections of deputies of the Mazhilis of the Parliament",
}


@pytest.fixture
def mazhilis_2023():
    return ElectionFactory(
        election_day=datetime.date(2023, 3, 19),
        name_kk=NAME["kk"],
        name_ru=NAME["ru"],
        name_en=NAME["en"],
    )


def _open(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_home_speaks_the_language_of_its_address(
    page, page_problems, live_server, mazhilis_2023, language
):
    _open(page, live_server, f"/{language}/")
    assert page.locator("html").get_attribute("lang") == language
    assert _squash(page.locator("h1").inner_text()).lower() == HEADING[language].lower()
    assert page.locator(".brand__tagline").inner_text() == TAGLINE[language]
    assert NAME[language] in page.locator("main").inner_text()
    assert not page_problems, page_problems


def test_language_switcher_works_by_keyboard(page, live_server, mazhilis_2023):
    _open(page, live_server, "/en/")
    page.get_by_role("link", name="Қазақ").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + "/kk/"
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator(".brand__tagline").inner_text() == TAGLINE["kk"]


def test_language_switcher_works_by_click(page, live_server, mazhilis_2023):
    _open(page, live_server, "/kk/")
    with page.expect_navigation():
        page.get_by_role("link", name="Русский").click()
    assert page.url == live_server.url + "/ru/"
    assert page.locator(".brand__tagline").inner_text() == TAGLINE["ru"]
    # The current language is marked, not offered.
    assert page.locator('.lang-switcher [aria-current="true"]').inner_text() == "Русский"
    assert page.get_by_role("link", name="Русский").count() == 0


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, live_server):
    _open(page, live_server, "/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_kazakh_letters_render_in_the_shipped_font(page, live_server, mazhilis_2023):
    _open(page, live_server, "/kk/")
    name = page.locator(".election-card__name").first
    assert "Қ" in name.inner_text()
    assert page.evaluate(f"document.fonts.check('16px \"Saylau Sans\"', '{KAZAKH_LETTERS}')")
    # Ask the renderer which font really drew the glyphs: no fallback font for any letter.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    for selector in (".election-card__name", ".brand__tagline", "h1"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        assert {font["familyName"] for font in fonts} == {"Noto Sans"}, (selector, fonts)
        assert all(font["isCustomFont"] for font in fonts)


def test_countdown_ticks_without_breaking_the_content_security_policy(
    page, page_problems, live_server
):
    day = timezone.localdate() + datetime.timedelta(days=3)
    ElectionFactory(election_day=day, name_en="Upcoming election")
    _open(page, live_server, "/en/")
    assert "Election day is in 3 days." in _squash(page.locator(".hero").inner_text())
    minutes = page.locator('[data-unit="minutes"]')
    assert re.fullmatch(r"\d\d", minutes.inner_text())
    # The script ran (a CSP refusal would leave the attribute off and log an error).
    page.wait_for_selector("[data-countdown-live]", state="attached")
    assert int(page.locator('[data-unit="days"]').inner_text()) in (2, 3)
    assert not page_problems, page_problems


def test_home_fits_a_phone_screen(phone_page, page_problems, live_server, mazhilis_2023, tmp_path):
    _open(phone_page, live_server, "/kk/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    for button in phone_page.locator(".lang-switcher__link").all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    shot = tmp_path / "home-kk-phone.png"
    phone_page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert not page_problems, page_problems


def test_home_desktop_screenshot(page, page_problems, live_server, mazhilis_2023, tmp_path):
    _open(page, live_server, "/ru/")
    shot = tmp_path / "home-ru-desktop.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert not page_problems, page_problems
