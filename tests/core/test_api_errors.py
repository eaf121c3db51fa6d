"""Errors raised by services reach API clients as field-level 400s in their language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.test import APIRequestFactory

from core.api.exceptions import exception_handler


def handle(exc):
    request = APIRequestFactory().get("/api/v1/regions/")
    return exception_handler(exc, {"request": request, "view": None})


def test_field_errors_of_a_service_become_a_400_by_field():
    response = handle(ValidationError({"role": ["Bad role."], "__all__": ["Whole thing."]}))
    assert response.status_code == 400
    assert response.data == {"role": ["Bad role."], "non_field_errors": ["Whole thing."]}


def test_a_plain_service_error_becomes_non_field_errors():
    response = handle(ValidationError("This office of the commission is already held."))
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["This office of the commission is already held."]}


def test_the_message_is_in_the_active_language():
    from commissions.models import CommissionMember

    constraint = next(
        c
        for c in CommissionMember._meta.constraints
        if c.name == "commissions_commissionmember_one_holder_per_office"
    )
    with translation.override("ru"):
        response = handle(ValidationError(constraint.get_violation_error_message()))
    assert response.data["non_field_errors"][0] != "This office of the commission is already held."


def test_a_nul_character_in_a_filter_is_a_field_level_400(client, db):
    response = client.get("/api/v1/parties/", {"short_name": "ab\x00c"})
    assert response.status_code == 400
    assert list(response.json()) == ["short_name"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "Будет доступно через 5 с."), ("kk", "5 секундтан кейін")],
)
def test_drf_messages_its_catalogue_lacks_are_in_the_readers_language(language, expected):
    """A Russian 429 once ended in Kazakh (DRF has no Russian for it; Django filled it in from
    the default language)."""
    from rest_framework.exceptions import Throttled

    with translation.override(language):
        assert expected in str(Throttled(wait=5).detail)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_missing_row_is_not_found_in_the_requests_language(api_client, language):
    from django.utils import translation
    from rest_framework.exceptions import NotFound

    response = api_client.get("/api/v1/regions/999999/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    with translation.override(language):
        assert response.json() == {"detail": str(NotFound.default_detail)}
    assert "Region" not in response.json()["detail"]


def test_options_on_the_api_docs_page_lists_its_methods(client):
    response = client.options("/api/docs/")
    assert response.status_code == 200
    assert "GET" in response["Allow"]
