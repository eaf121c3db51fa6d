"""Signing in to the admin lands on a page Saylau has."""

import pytest

from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # UserFactory's


@pytest.mark.parametrize("data", [{}, {"next": ""}], ids=["no next", "empty next"])
def test_a_sign_in_with_nowhere_to_return_lands_on_the_admin_index(client, data):
    user = UserFactory(is_staff=True)
    response = client.post(
        "/en/admin/login/", {"username": user.username, "password": PASSWORD, **data}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_sign_in_returns_to_the_page_that_asked_for_it(client):
    user = UserFactory(is_staff=True)
    response = client.post(
        "/en/admin/login/",
        {"username": user.username, "password": PASSWORD, "next": "/en/admin/core/job/"},
    )
    assert response["Location"] == "/en/admin/core/job/"
