"""The site's frame and shared pieces in a real browser, on a phone and a desktop: every app's
entry in the navigation, the section's navigation, the list filter and the pagination."""

import pytest
from django.utils import translation

from core import frame
from observers import views
from tests.commissions.factories import ElectionFactory
from tests.observers.factories import E_DAY, MARCH_6, Desk, state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def observers(monkeypatch):
    """3 observers from Germany and 1 from the United States, 2 to a page."""
    monkeypatch.setattr(views.ObserverListView, "paginate_by", 2)
    election = ElectionFactory(election_day=E_DAY, name_en="Mazhilis elections")
    desk = Desk(election)
    germans = [desk.accredit(state("DE"), MARCH_6) for _ in range(3)]
    american = desk.accredit(state("US"), MARCH_6)
    return election, germans, american


def _open(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200
    return page


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("size", ["page", "phone_page"])
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_apps_entry_is_a_visible_link_on_every_page(
    request, page_problems, live_server, observers, size, language
):
    page = request.getfixturevalue(size)
    with translation.override(language):
        urls = [entry.url() for entry in frame.app_entries()]
    for path in ("/", "/observers/", "/observers/stats/", "/observers/revoked/"):
        _open(page, live_server, f"/{language}{path}")
        nav = page.locator(".site-nav")
        for url in urls:
            assert nav.locator(f'a[href="{url}"]').is_visible(), (path, url)
        assert _overflow(page) <= 0, path
    assert not page_problems, page_problems


def test_the_list_filter_and_pagination_work_on_a_phone(
    phone_page, page_problems, live_server, observers
):
    election, germans, american = observers
    page = _open(phone_page, live_server, "/en/observers/")
    assert page.locator('.pagination [aria-current="page"]').inner_text() == "Page 1 of 2"
    with page.expect_navigation():
        page.get_by_role("link", name="Next page").click()
    assert "page=2" in page.url
    assert page.locator('.pagination [aria-current="page"]').inner_text() == "Page 2 of 2"

    page.get_by_label("Nominated by").select_option(label="United States of America")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert f"election={election.pk}" in page.url and "page=" not in page.url
    table = page.locator(".data-table tbody").inner_text()
    assert american.full_name_latin in table
    assert germans[0].full_name_latin not in table
    assert page.locator(".pagination").count() == 0
    button = page.get_by_role("button", name="Show").bounding_box()
    assert button is not None and button["height"] >= 44
    assert _overflow(page) <= 0
    assert not page_problems, page_problems


def test_the_section_navigation_marks_the_page_and_keeps_the_election(page, live_server, observers):
    election, *_ = observers
    _open(page, live_server, "/en/observers/stats/")
    with page.expect_navigation():
        page.locator(".sub-nav").get_by_role("link", name="Revoked accreditations").click()
    assert page.url == f"{live_server.url}/en/observers/revoked/?election={election.pk}"
    current = page.locator('.sub-nav [aria-current="page"]')
    assert current.inner_text() == "Revoked accreditations"
    assert page.locator('.site-nav [aria-current="page"]').inner_text() == "Observers"
