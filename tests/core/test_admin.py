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
