"""The admin in a real browser: its header and pages draw Kazakh letters in the site's shipped
font (Noto Sans, static/css/fonts.css), not in a fallback font of the machine."""

import pytest

from tests.core.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # UserFactory's
SITE_HEADER_KK = "Saylau: сайлауды басқару"


def _fonts_drawing(page, selector: str) -> list[dict]:
    """The fonts the renderer really used for the element's text (Chrome DevTools Protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def _assert_shipped_font(page, selector: str):
    fonts = _fonts_drawing(page, selector)
    assert {font["familyName"] for font in fonts} == {"Noto Sans"}, (selector, fonts)
    assert all(font["isCustomFont"] for font in fonts), (selector, fonts)


def _open(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200
    page.evaluate("document.fonts.ready.then(() => true)")


def test_the_admin_sign_in_page_draws_kazakh_letters_in_the_shipped_font(
    page, page_problems, live_server
):
    _open(page, live_server, "/kk/admin/login/")
    assert page.locator("#site-name").inner_text() == SITE_HEADER_KK
    family = page.evaluate("getComputedStyle(document.querySelector('#header')).fontFamily")
    assert family.startswith('"Saylau Sans"')
    _assert_shipped_font(page, "#site-name a")
    assert not page_problems, page_problems


def test_the_admin_header_and_index_draw_kazakh_letters_in_the_shipped_font(
    page, page_problems, live_server
):
    staff = UserFactory(is_staff=True, is_superuser=True, first_name="Әлия")
    _open(page, live_server, "/kk/admin/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click('input[type="submit"]')
    _open(page, live_server, "/kk/admin/")
    assert "қ" in page.locator("#site-name").inner_text()
    _assert_shipped_font(page, "#site-name a")
    _assert_shipped_font(page, "#user-tools")
    _assert_shipped_font(page, "#content h1")
    assert not page_problems, page_problems
