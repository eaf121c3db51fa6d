"""Signing in to the admin in a real browser, with failed attempts limited (django-axes): the
form's CSRF and session work with the limit in front, and the lock-out is the site's page."""

import pytest
from django.conf import settings

from tests.core.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # UserFactory's


def _sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/en/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as navigation:
        page.click('input[type="submit"]')
    return navigation.value


def test_a_staff_member_signs_in_to_the_admin(page, page_problems, live_server):
    staff = UserFactory(is_staff=True)

    response = _sign_in(page, live_server, staff.username, PASSWORD)

    assert response.status == 200
    assert page.url == f"{live_server.url}/en/admin/"
    assert not page_problems, page_problems


def test_too_many_failures_show_the_lock_out_page_even_for_the_right_password(
    page, page_problems, live_server
):
    staff = UserFactory(is_staff=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(page, live_server, staff.username, "wrong").status == 200

    locked = _sign_in(page, live_server, staff.username, "wrong")
    assert locked.status == 429
    assert page.locator("h1").inner_text() == "Sign-in paused"

    again = _sign_in(page, live_server, staff.username, PASSWORD)
    assert again.status == 429
    assert page.locator("h1").inner_text() == "Sign-in paused"
    # The browser reports each 429 page in the console; nothing else may go wrong.
    assert all("status of 429" in error for error in page_problems.console_errors)
    assert not page_problems.page_errors and not page_problems.outside_requests, page_problems
