"""A request Django cannot read (too many query parameters) is a 400 in the site's look, JSON
under /api/, never a 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOO_MANY = "&".join(f"a{n}=1" for n in range(1100))  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1000


@pytest.fixture
def client(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Bad request"), ("ru", "Неверный запрос"), ("kk", "Қате сұрау")],
)
def test_a_page_with_too_many_parameters_is_the_sites_400_page(client, language, title):
    response = client.get(f"/{language}/observers/stats/?{TOO_MANY}")
    assert response.status_code == 400
    text = response.content.decode()
    assert title in text
    assert 'class="site-header' in text or "site-header" in text


def test_an_api_read_with_too_many_parameters_is_a_json_400(client):
    response = client.get(f"/api/v1/regions/?{TOO_MANY}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
