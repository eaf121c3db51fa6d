import pytest
from django.contrib.messages import get_messages

from core.choices import NotificationStatus, TokenScope
from core.models import ApiToken, Notification
from core.services import notification_enqueue
from tests.core.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_token_added_in_the_admin_shows_its_key_once_and_stores_only_the_hash(superuser_client):
    agency = AgencyFactory()
    response = superuser_client.post(
        "/en/admin/core/apitoken/add/",
        {"agency": agency.pk, "name": "ministry feed", "scopes": TokenScope.READ_ALL},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(agency=agency)
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    key = next(m for m in shown if "Copy it now" in m).split(" is ", 1)[1].split(".", 1)[0]
    assert ApiToken.hash_key(key) == token.key_hash
    assert (
        key
        not in superuser_client.get(f"/en/admin/core/apitoken/{token.pk}/change/").content.decode()
    )


def test_agency_added_in_the_admin_gets_a_service_account(superuser_client):
    response = superuser_client.post(
        "/en/admin/core/agency/add/",
        {
            "name_en": "Khabar Agency",
            "name_ru": "Агентство «Хабар»",
            "name_kk": "«Хабар» агенттігі",
            "kind": "broadcaster",
            "contact_email": "",
            "tokens-TOTAL_FORMS": "0",
            "tokens-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    from core.models import Agency

    agency = Agency.objects.get(name_en="Khabar Agency")
    assert agency.user.role == "agency"
    assert not agency.user.has_usable_password()


def test_failed_notifications_can_be_sent_again(superuser_client):
    notification = notification_enqueue(channel="sms", recipient="+77010000009", body="x")
    Notification.objects.filter(pk=notification.pk).update(status=NotificationStatus.FAILED)
    response = superuser_client.post(
        "/en/admin/core/notification/",
        {"action": "retry", "_selected_action": [notification.pk]},
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 0


def test_staff_without_permission_cannot_open_tokens(client):
    client.force_login(UserFactory(is_staff=True, role="territorial"))
    assert client.get("/en/admin/core/apitoken/").status_code == 403


# ONE WRITE PATH: ServiceAdminMixin


def _refusing_party_admin(error):
    """The party admin with a service that refuses, registered on a site of its own."""
    from django.contrib.admin import AdminSite

    from commissions.admin import PartyAdmin
    from commissions.models import Party

    class RefusingPartyAdmin(PartyAdmin):
        def service_create(self, request, obj, form):
            raise error

    return RefusingPartyAdmin(Party, AdminSite())


def _post_party(rf, user):
    request = rf.post(
        "/en/admin/commissions/party/add/",
        {"name_en": "Ak Zhol", "short_name_en": "AZ", "registration_number": "", "website": ""},
    )
    request.user = user
    request._dont_enforce_csrf_checks = True
    return request


@pytest.mark.parametrize("refusal", ["validation", "field", "permission"])
def test_a_services_refusal_shows_on_the_form_and_saves_nothing(rf, refusal):
    from django.core.exceptions import PermissionDenied, ValidationError

    from commissions.models import Party

    error = {
        "validation": ValidationError("Parties are closed today."),
        "field": ValidationError({"short_name_en": "Parties are closed today."}),
        "permission": PermissionDenied("Parties are closed today."),
    }[refusal]
    admin = _refusing_party_admin(error)

    response = admin.changeform_view(_post_party(rf, UserFactory(is_superuser=True)))

    assert response.status_code == 200
    form = response.context_data["adminform"].form
    field = "short_name_en" if refusal == "field" else "__all__"
    assert form.errors[field] == ["Parties are closed today."]
    assert not Party.objects.exists()


def test_a_refusal_the_form_already_shows_is_said_once(rf):
    """A race the service lost: re-validated, the form's own unique check now says what the
    service said; the page shows it once, and any other message of the service too."""
    from django.core.exceptions import ValidationError

    admin = _refusing_party_admin(ValidationError("unused"))
    request = _post_party(rf, UserFactory(is_superuser=True))
    form = admin.get_form(request)(request.POST)
    form.is_valid()
    form.add_error("short_name_en", "This short name is taken.")

    admin.add_service_errors(
        form,
        ValidationError({"short_name_en": ["This short name is taken.", "It is also too short."]}),
    )

    assert form.errors["short_name_en"] == ["This short name is taken.", "It is also too short."]


def test_a_refused_save_rolls_back_what_the_service_wrote_first(rf):
    from django.core.exceptions import ValidationError

    from commissions.admin import PartyAdmin
    from commissions.models import Party
    from core.services import reference_create

    class HalfwayPartyAdmin(PartyAdmin):
        def service_create(self, request, obj, form):
            reference_create(actor=request.user, instance=Party(name="Early", short_name="E"))
            raise ValidationError("Refused after a first write.")

    from django.contrib.admin import AdminSite

    admin = HalfwayPartyAdmin(Party, AdminSite())
    response = admin.changeform_view(_post_party(rf, UserFactory(is_superuser=True)))

    assert response.status_code == 200
    assert not Party.objects.exists()


def test_an_agency_added_in_the_admin_is_audited_as_the_admin(superuser_client):
    from auditlog.models import LogEntry

    from core.models import Agency

    superuser_client.post(
        "/en/admin/core/agency/add/",
        {
            "name_en": "Kazinform",
            "kind": "broadcaster",
            "contact_email": "desk@kazinform.kz",
            "tokens-TOTAL_FORMS": "0",
            "tokens-INITIAL_FORMS": "0",
        },
    )

    agency = Agency.objects.get(name_en="Kazinform")
    entry = LogEntry.objects.get_for_object(agency).get(action=LogEntry.Action.CREATE)
    assert entry.actor.is_superuser
    assert agency.user.role == "agency"


def test_revoking_tokens_in_the_admin_is_audited_as_the_admin(superuser_client):
    from auditlog.models import LogEntry

    from tests.core.factories import make_token

    token, _key = make_token()

    superuser_client.post(
        "/en/admin/core/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = LogEntry.objects.get_for_object(token).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor.is_superuser


def test_accounts_are_added_and_changed_in_the_admin_through_the_service(superuser_client):
    from auditlog.models import LogEntry
    from django.utils import timezone

    from core.models import User

    added = superuser_client.post(
        "/en/admin/core/user/add/",
        {
            "username": "aigerim",
            "password1": "a-long-enough-passphrase-2023",
            "password2": "a-long-enough-passphrase-2023",
            "usable_password": "true",
            "role": "territorial",
            "preferred_language": "kk",
        },
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    user = User.objects.get(username="aigerim")
    assert user.check_password("a-long-enough-passphrase-2023")

    page = superuser_client.get(f"/en/admin/core/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: form.initial.get(name)
        for name in form.fields
        if form.initial.get(name) not in (None, False, [])
    }
    data.pop("password", None)
    joined = timezone.localtime(data.pop("date_joined"))
    data.update(date_joined_0=f"{joined:%Y-%m-%d}", date_joined_1=f"{joined:%H:%M:%S}")
    changed = superuser_client.post(
        f"/en/admin/core/user/{user.pk}/change/", {**data, "first_name": "Aigerim"}
    )

    assert changed.status_code == 302, changed.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.first_name == "Aigerim"
    assert user.check_password("a-long-enough-passphrase-2023")
    entry = LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor.is_superuser
