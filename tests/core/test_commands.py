"""Management commands of core: `create_api_token` and `demo_admin`."""

import re
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.urls import reverse

from core.models import Agency, AgencyKind, ApiToken
from tests.core.factories import AgencyFactory

pytestmark = pytest.mark.django_db

ADMIN_PASSWORD = "admin-password-for-tests"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def create_api_token(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def demo_admin() -> str:
    out = StringIO()
    call_command("demo_admin", stdout=out)
    return out.getvalue()


# CREATE_API_TOKEN


def test_create_api_token_prints_a_key_whose_hash_is_stored():
    out, err = create_api_token(
        "Ministry of Digital Development",
        "--scope",
        "read:all",
        "--scope",
        "observers:submit",
        "--kind",
        "ministry",
        "--name",
        "voter list checks",
    )

    key = out.strip()
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    assert token.key_hash != key
    assert token.name == "voter list checks"
    assert token.scopes == ["observers:submit", "read:all"]
    assert token.agency.name == "Ministry of Digital Development"
    assert token.agency.kind == AgencyKind.MINISTRY
    assert key not in err


def test_the_printed_key_authenticates_api_calls(api_client):
    out, _ = create_api_token("Khabar Agency", "--scope", "read:all")
    url = reverse("commissions-api:region-list")

    accepted = api_client.get(url, HTTP_AUTHORIZATION=f"Token {out.strip()}")
    refused = api_client.get(url, HTTP_AUTHORIZATION="Token not-the-key")

    assert accepted.status_code == 200
    assert refused.status_code == 401


def test_create_api_token_gives_an_existing_agency_another_token():
    agency = AgencyFactory(name="OSCE/ODIHR Election Observation Mission", kind=AgencyKind.MISSION)
    create_api_token(agency.name, "--scope", "observers:submit")

    create_api_token(agency.name, "--scope", "observers:read")

    assert Agency.objects.filter(pk=agency.pk).count() == Agency.objects.count() == 1
    assert agency.tokens.count() == 2


def test_create_api_token_refuses_an_unknown_scope_and_writes_nothing():
    with pytest.raises(CommandError, match="Unknown scope.*read:everything"):
        create_api_token("Ministry of Finance", "--scope", "read:everything")

    assert not Agency.objects.exists()
    assert not ApiToken.objects.exists()


def test_create_api_token_refuses_an_unknown_agency_kind():
    with pytest.raises(CommandError, match="Unknown agency kind"):
        create_api_token("Ministry of Finance", "--kind", "bank")


# DEMO_ADMIN


def test_demo_admin_is_idempotent_and_its_printed_password_signs_in(client, monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("PORT", "8123")
    demo_admin()
    log_entries = LogEntry.objects.count()

    output = demo_admin()

    assert LogEntry.objects.count() == log_entries
    assert get_user_model().objects.filter(username="admin").count() == 1
    assert "Demo admin: http://127.0.0.1:8123/en/admin/  user: admin  password: " in output
    password = re.search(r"user: admin  password: (\S+)", output).group(1)
    assert password == ADMIN_PASSWORD
    # Signing in is counted per address (django-axes), so it takes a request.
    assert client.login(request=HttpRequest(), username="admin", password=password)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200


def test_demo_admin_resets_a_changed_admin(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", ADMIN_PASSWORD)
    admin = get_user_model().objects.create_user("admin", password="something else")

    demo_admin()

    admin.refresh_from_db()
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert admin.check_password(ADMIN_PASSWORD)


def test_demo_admin_uses_its_default_password_only_with_debug_on(settings, monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEMO_ADMIN_PASSWORD"):
        demo_admin()
    assert not get_user_model().objects.filter(username="admin").exists()

    settings.DEBUG = True
    output = demo_admin()

    assert "password: saylau-admin-2023" in output
