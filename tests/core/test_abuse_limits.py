"""Abuse limits: failed sign-ins to the admin (django-axes, per account and address) and bad API
tokens (core.abuse, per address), with the limits from settings."""

import logging

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from core.abuse import TOO_MANY_BAD_TOKENS
from tests.core.factories import UserFactory, make_token

PASSWORD = "correct horse battery"  # UserFactory's
HERE = "192.0.2.10"
ELSEWHERE = "192.0.2.20"
LOGIN = "/en/admin/login/"


def sign_in(client, username, password, address=HERE, language="en", **headers):
    return client.post(
        f"/{language}/admin/login/",
        {"username": username, "password": password, "next": f"/{language}/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def fail_until_locked(client, username, address=HERE, **headers):
    """The limit's worth of wrong passwords; the last one is already answered with the lock."""
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, username, "wrong", address, **headers).status_code == 200
    return sign_in(client, username, "wrong", address, **headers)


def templates(response):
    return [template.name for template in response.templates]


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, username="desk-officer")


# SIGN-IN


def test_failed_signins_up_to_the_limit_lock_the_account_out_from_that_address(client, staff):
    assert fail_until_locked(client, staff.username).status_code == 429

    refused = sign_in(client, staff.username, PASSWORD)

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(int(django_settings.AXES_COOLOFF_TIME.total_seconds()))
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_leave_the_sign_in_open(client, staff):
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, staff.username, "wrong")

    assert sign_in(client, staff.username, PASSWORD).status_code == 302


def test_a_locked_account_still_signs_in_from_another_address(client, staff):
    fail_until_locked(client, staff.username, HERE)

    response = sign_in(client, staff.username, PASSWORD, ELSEWHERE)

    assert response.status_code == 302
    assert response["Location"] == "/en/admin/"


def test_another_account_still_signs_in_from_a_locked_address(client, staff):
    other = UserFactory(is_staff=True)
    fail_until_locked(client, staff.username, HERE)

    assert sign_in(client, other.username, PASSWORD, HERE).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, staff):
    limit = django_settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        sign_in(client, staff.username, "wrong")
    assert sign_in(client, staff.username, PASSWORD).status_code == 302
    client.logout()

    for _attempt in range(limit - 1):
        assert sign_in(client, staff.username, "wrong").status_code == 200
    assert sign_in(client, staff.username, PASSWORD).status_code == 302


def test_the_limits_are_settings(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 2

    assert sign_in(client, staff.username, "wrong").status_code == 200
    assert sign_in(client, staff.username, "wrong").status_code == 429


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("kk", "Кіру уақытша тоқтатылды"),
        ("ru", "Вход приостановлен"),
        ("en", "Sign-in paused"),
    ],
)
def test_the_lock_out_page_is_the_sites_in_the_requests_language(client, staff, language, heading):
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, staff.username, "wrong", language=language)

    assert response.status_code == 429
    assert "signin_locked.html" in templates(response)
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert heading in page
    assert "no-store" in response["Cache-Control"]


def test_the_lock_out_page_names_no_account_and_is_the_same_for_an_unknown_one(client, staff):
    known = fail_until_locked(client, staff.username)
    unknown = fail_until_locked(client, "no-such-account")

    assert known.status_code == unknown.status_code == 429
    assert staff.username not in known.content.decode()
    assert "no-such-account" not in unknown.content.decode()
    assert "signin_locked.html" in templates(known)
    assert "signin_locked.html" in templates(unknown)


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client, staff):
    """A client cannot escape the lock by sending a new address in the header each time."""
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        response = sign_in(
            client, staff.username, "wrong", HERE, HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}"
        )

    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_address_is_the_one_it_forwarded(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    fail_until_locked(client, staff.username, proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {HERE}")

    # Another client behind the same proxy, whatever it claims further left.
    response = sign_in(
        client, staff.username, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=f"{HERE}, {ELSEWHERE}"
    )

    assert response.status_code == 302


def test_failed_sign_ins_log_neither_address_nor_account(client, staff, caplog):
    with caplog.at_level(logging.DEBUG):
        fail_until_locked(client, staff.username)

    assert caplog.records
    assert HERE not in caplog.text
    assert staff.username not in caplog.text


# API TOKENS

REGIONS = "/api/v1/regions/"


def with_token(api_client, key, address=HERE):
    return api_client.get(REGIONS, HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=address)


def send_bad_tokens(api_client, count, address=HERE):
    return [with_token(api_client, f"guess-{n}", address).status_code for n in range(count)]


@pytest.mark.django_db
def test_bad_tokens_up_to_the_limit_are_401_then_429_with_retry_after(api_client):
    limit = django_settings.API_BAD_TOKEN_LIMIT
    assert reverse("commissions-api:region-list") == REGIONS

    assert send_bad_tokens(api_client, limit) == [401] * limit
    response = with_token(api_client, "one-more-guess")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= django_settings.API_BAD_TOKEN_WINDOW
    assert response.json()["detail"].startswith(str(TOO_MANY_BAD_TOKENS))
    assert "one-more-guess" not in response.content.decode()


@pytest.mark.django_db
def test_a_malformed_token_header_counts_as_a_bad_token(api_client, settings):
    settings.API_BAD_TOKEN_LIMIT = 1
    first = api_client.get(REGIONS, HTTP_AUTHORIZATION="Token a b", REMOTE_ADDR=HERE)
    second = api_client.get(REGIONS, HTTP_AUTHORIZATION="Token a b", REMOTE_ADDR=HERE)

    assert (first.status_code, second.status_code) == (401, 429)


@pytest.mark.django_db
def test_a_valid_token_still_authenticates_from_an_address_past_the_limit(api_client):
    _token, key = make_token()
    send_bad_tokens(api_client, django_settings.API_BAD_TOKEN_LIMIT + 1)

    assert with_token(api_client, key).status_code == 200


@pytest.mark.django_db
def test_bad_tokens_are_counted_per_address(api_client):
    send_bad_tokens(api_client, django_settings.API_BAD_TOKEN_LIMIT + 1, HERE)

    assert with_token(api_client, "guess", ELSEWHERE).status_code == 401


@pytest.mark.django_db
def test_the_bad_token_limit_is_a_setting(api_client, settings):
    settings.API_BAD_TOKEN_LIMIT = 2

    assert send_bad_tokens(api_client, 3) == [401, 401, 429]


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["project", "django.core.cache.backends.redis.RedisCache"])
def test_without_redis_tokens_are_still_checked_and_nothing_breaks(
    api_client, settings, caplog, backend
):
    """The counter fails open, behind the project's cache backend or Django's own: an
    unreachable Redis (a closed port) costs the limit, not the API."""
    _token, key = make_token()
    closed = {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    if backend != "project":
        closed = {"BACKEND": backend, "LOCATION": closed["LOCATION"]}
    settings.CACHES = {"default": closed}

    with caplog.at_level(logging.WARNING):
        bad = send_bad_tokens(api_client, django_settings.API_BAD_TOKEN_LIMIT + 1)
        good = with_token(api_client, key)

    assert bad == [401] * (django_settings.API_BAD_TOKEN_LIMIT + 1)
    assert good.status_code == 200
    assert "unavailable" in caplog.text
    assert "guess-" not in caplog.text
    assert key not in caplog.text
    assert HERE not in caplog.text
