"""The observers' public pages in a real browser, as a journalist on a phone and a foreign
observer scanning a badge meet them: the statistics, the list of accredited observers, the list
of revoked accreditations and the badge check, in Kazakh, Russian and English, at 390 px and at
a desktop's width.

Screenshots of every page go to $SCREENSHOT_DIR when it is set (to look at them), else to the
test's temporary directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.observers.factories import Desk, OpenElectionFactory, organization, state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["kk", "ru", "en"]
ELECTION_NAME = {
    "kk": "Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын кезектен тыс сайлау",
    "ru": "Внеочередные выборы депутатов Мажилиса Парламента Республики Казахстан",
    "en": "Early elections of deputies of the Mazhilis of the Parliament of Kazakhstan",
}
ODIHR = {
    "kk": "ЕҚЫҰ Демократиялық институттар және адам құқықтары жөніндегі бюросының миссиясы",
    "ru": "Миссия Бюро по демократическим институтам и правам человека ОБСЕ",
    "en": "OSCE Office for Democratic Institutions and Human Rights Election Observation Mission",
}
CIS = {
    "kk": "ТМД байқаушылар миссиясы",
    "ru": "Миссия наблюдателей от СНГ",
    "en": "CIS Observer Mission",
}
LONG_SURNAME = "Wolfeschlegelsteinhausenbergerdorff"
LONG_CYRILLIC = "Вольфешлегельштайнхаузенбергердорф"
# The page's heading (English msgid) by page: what a switch to another language must show.
HEADINGS = {
    "stats": "Accreditation statistics",
    "observer_list": "Accredited observers",
    "revoked_list": "Revoked accreditations",
    "verify": "Observer badge check",
    "verify_unknown": "Observer badge check",
}
PAGES = list(HEADINGS)


@pytest.fixture
def public_site():
    """An open election: observers from four states and two organisations (one with a very long
    name), one with a 35-letter surname, one revoked. The paths of every public page."""
    election = OpenElectionFactory(
        name_kk=ELECTION_NAME["kk"], name_ru=ELECTION_NAME["ru"], name_en=ELECTION_NAME["en"]
    )
    desk = Desk(election)
    today = timezone.localdate()
    odihr = organization(
        name_en=ODIHR["en"],
        name_ru=ODIHR["ru"],
        name_kk=ODIHR["kk"],
        short_name_en="OSCE/ODIHR",
        short_name_ru="БДИПЧ ОБСЕ",
        short_name_kk="ЕҚЫҰ ДИАҚБ",
    )
    cis = organization(name_en=CIS["en"], name_ru=CIS["ru"], name_kk=CIS["kk"])
    valid = desk.accredit(
        odihr,
        today,
        last_name_latin=LONG_SURNAME,
        first_name_latin="Hubert Blaine",
        last_name_cyrillic=LONG_CYRILLIC,
        first_name_cyrillic="Хьюберт Блейн",
    )
    desk.accredit_many(odihr, today, 11)
    desk.accredit_many(cis, today, 3)
    for code, n in (("DE", 3), ("TR", 2), ("KG", 1), ("US", 1)):
        desk.accredit_many(state(code), today, n)
    revoked = desk.accredit(state("DE"), today, revoke_on=today)
    return {
        "stats": "observers/stats/",
        "observer_list": "observers/",
        "revoked_list": "observers/revoked/",
        "verify": f"observers/verify/{valid.verification_code}/",
        "verify_revoked": f"observers/verify/{revoked.verification_code}/",
        "verify_unknown": "observers/verify/no-such-badge/",
    }


def _open(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response is not None and response.status in (200, 404), response.status
    page.evaluate("document.fonts.ready.then(() => true)")
    return response


def _heading(language: str, page_name: str) -> str:
    with translation.override(language):
        return gettext(HEADINGS[page_name])


# What runs off the viewport sideways: every visible element whose box reaches past the
# viewport's left or right edge (a pixel of rounding allowed), outermost first.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.bottom < 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      const name = element.tagName.toLowerCase() + (element.className && typeof element.className
        === 'string' ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
      found.push(`${name} [${Math.round(box.left)}, ${Math.round(box.right)}] of ${width}`);
    }
  }
  return found;
}"""

# Pairs of boxes that overlap among the elements a selector finds (each a sibling's text).
OVERLAPPING = """(selector) => {
  const boxes = [...document.querySelectorAll(selector)].map(e => [e, e.getBoundingClientRect()]);
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i], [b, q] = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (x > 1 && y > 1) found.push(`${a.textContent.trim()} / ${b.textContent.trim()}`);
    }
  }
  return found;
}"""


def _besides_the_404(problems, page_name: str):
    """The page's problems, but for the 404 the unknown badge is answered with (which the browser
    logs as an error)."""
    if page_name == "verify_unknown":
        problems.console_errors = [e for e in problems.console_errors if "404" not in e]
    return problems


def _screenshot_dir(tmp_path) -> Path:
    directory = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


# THE LANGUAGE SWITCH


@pytest.mark.parametrize("target", LANGUAGES)
@pytest.mark.parametrize("page_name", PAGES)
def test_the_language_switcher_opens_the_page_in_the_chosen_language(
    page, page_problems, live_server, public_site, page_name, target
):
    start = "en" if target != "en" else "kk"
    first = _open(page, live_server, f"/{start}/{public_site[page_name]}")
    with page.expect_navigation():
        page.locator(f'.lang-switcher a[data-language="{target}"]').click()
    status = page.evaluate("performance.getEntriesByType('navigation')[0].responseStatus")
    assert status == first.status  # the same page (a 404 stays the unknown badge's 404)
    assert page.url == f"{live_server.url}/{target}/{public_site[page_name]}"
    assert page.locator("html").get_attribute("lang") == target
    heading = page.locator("h1").text_content()
    assert _heading(target, page_name) in heading
    if target != "en":
        assert _heading("en", page_name) not in heading  # translated, not the English source
    current = page.locator(".lang-switcher [aria-current]")
    assert current.get_attribute("lang") == target
    assert not _besides_the_404(page_problems, page_name), page_problems


def test_the_language_switcher_keeps_the_query_of_a_filtered_list(page, live_server, public_site):
    _open(page, live_server, f"/en/{public_site['observer_list']}?q=hubert")
    with page.expect_navigation():
        page.locator('.lang-switcher a[data-language="kk"]').click()
    assert page.url.endswith("/kk/observers/?q=hubert")
    assert LONG_SURNAME in page.locator("main").inner_text()


# A PHONE'S WIDTH


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", [*PAGES, "verify_revoked"])
def test_nothing_runs_off_a_phone_screen(
    phone_page, page_problems, live_server, public_site, page_name, language
):
    _open(phone_page, live_server, f"/{language}/{public_site[page_name]}")
    assert phone_page.evaluate(OVERFLOWING) == []
    assert phone_page.evaluate(OVERLAPPING, ".figure dt, .figure dd") == []
    assert phone_page.evaluate(OVERLAPPING, ".brand, .site-nav li, .lang-switcher li") == []
    assert phone_page.evaluate(OVERLAPPING, ".chart__label, .chart__track") == []
    assert not _besides_the_404(page_problems, page_name), page_problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_lists_key_columns_are_visible_on_a_phone_without_scrolling(
    phone_page, live_server, public_site, language
):
    _open(phone_page, live_server, f"/{language}/{public_site['observer_list']}")
    row = phone_page.locator(".data-table tbody tr").first
    for cell in row.locator("th, td").all():
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # Each card says what its values are (the column's name), as a table's head would.
    number = row.locator("[data-label]").first
    with translation.override(language):
        assert number.get_attribute("data-label") == gettext("Accreditation No.")


@pytest.mark.parametrize("width", [1280, 1024])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_keeps_the_language_buttons_on_one_line_at_a_desktops_width(
    page, live_server, public_site, language, width
):
    page.set_viewport_size({"width": width, "height": 900})
    _open(page, live_server, f"/{language}/{public_site['stats']}")
    tops = [item.bounding_box()["y"] for item in page.locator(".lang-switcher li").all()]
    assert len(tops) == 3 and max(tops) - min(tops) < 2
    header = page.locator(".site-header__inner").bounding_box()
    brand = page.locator(".brand").bounding_box()
    assert header["height"] < brand["height"] + 48  # one row: the brand, the nav, the languages


# SCREENSHOTS


@pytest.mark.parametrize("size", ["phone_page", "page"])
def test_screenshots_of_every_public_page(request, live_server, public_site, tmp_path, size):
    page = request.getfixturevalue(size)
    directory = _screenshot_dir(tmp_path)
    width = 390 if size == "phone_page" else 1280
    for language in LANGUAGES:
        for page_name in [*PAGES, "verify_revoked"]:
            _open(page, live_server, f"/{language}/{public_site[page_name]}")
            shot = directory / f"{page_name}-{language}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
