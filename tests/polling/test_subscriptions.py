"""The subscription pages through the real URLs (polling.subscriptions): the station page's form,
subscribing, the confirmation in the outbox (a link by e-mail, a code by SMS), confirming and
unsubscribing, in each language; errors on the subscribe page's field, nothing stored; the
station page still cached with the form on it."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from core.caching import CACHE_HEADER
from core.choices import NotificationChannel
from core.models import Notification
from polling import informing
from polling.models import StationSubscription
from tests.polling.hours import station_in

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru", "en"]
EMAIL = "Aigerim.Voter@Mail.KZ"
STORED_EMAIL = "aigerim.voter@mail.kz"
PHONE = "8 (701) 234-56-78"
STORED_PHONE = "+77012345678"


def station_page(language, station):
    return f"/{language}/polling/stations/{station.pk}/"


def subscribe_page(language, station):
    return f"/{language}/polling/stations/{station.pk}/subscribe/"


def confirmation_notice():
    return Notification.objects.filter(dedupe_key__startswith="polling.subscription_confirm:").get()


def in_language(language, message) -> str:
    with translation.override(language):
        return str(message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_station_page_has_the_form_posting_to_the_subscribe_page(client, language):
    station = station_in()
    html = client.get(station_page(language, station)).content.decode()
    action = f'action="{subscribe_page(language, station)}"'
    assert action in html and 'name="contact"' in html
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_subscribe_by_email_confirm_by_the_link_then_unsubscribe(client, language):
    station = station_in()
    response = client.post(subscribe_page(language, station), {"contact": EMAIL})
    subscription = StationSubscription.objects.get()
    assert (subscription.contact, subscription.language) == (STORED_EMAIL, language)
    confirm = f"/{language}/polling/subscriptions/confirm/{subscription.confirmation_token}/"
    assert (response.status_code, response["Location"]) == (302, confirm)
    notice = confirmation_notice()
    assert (notice.channel, notice.recipient) == (NotificationChannel.EMAIL, STORED_EMAIL)
    link = re.search(r"https?://\S+/confirm/\S+", notice.body).group(0)
    # The page in the language the voter subscribed in, with the code only the mail holds.
    assert link.endswith(f"{confirm}?code={subscription.confirmation_code}")
    page = client.get(confirm)  # where the subscriber's browser was sent: no way to confirm
    assert page.status_code == 200 and page["Content-Language"] == language
    assert b'data-state="sent"' in page.content and b"<form" not in page.content
    assert STORED_EMAIL not in page.content.decode().lower()
    refused = client.post(confirm)  # the token alone confirms nothing
    assert refused.status_code == 400
    assert StationSubscription.objects.get().confirmed_at is None
    opened = client.get(link.removeprefix(settings.PUBLIC_BASE_URL))
    assert b'name="code"' in opened.content and b"<form" in opened.content
    done = client.post(confirm, {"code": subscription.confirmation_code})
    assert done.status_code == 200 and b'data-state="confirmed"' in done.content
    assert StationSubscription.objects.get().confirmed_at is not None
    unsubscribe = f"/{language}/polling/subscriptions/unsubscribe/{subscription.unsubscribe_token}/"
    assert client.get(unsubscribe).status_code == 200
    gone = client.post(unsubscribe)
    assert gone.status_code == 200 and b'data-state="unsubscribed"' in gone.content
    assert not StationSubscription.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_subscribe_by_phone_and_confirm_with_the_sms_code(client, language):
    station = station_in()
    response = client.post(subscribe_page(language, station), {"contact": PHONE})
    subscription = StationSubscription.objects.get()
    assert subscription.contact == STORED_PHONE
    notice = confirmation_notice()
    assert notice.channel == NotificationChannel.SMS and "http" not in notice.body
    assert subscription.confirmation_code in notice.body
    page = client.get(response["Location"])
    assert b'name="code"' in page.content
    done = client.post(response["Location"], {"code": subscription.confirmation_code})
    assert b'data-state="confirmed"' in done.content


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_contact_is_a_field_error_in_the_page_language_and_nothing_is_stored(
    client, language, caplog
):
    station = station_in()
    with caplog.at_level("DEBUG"):
        response = client.post(subscribe_page(language, station), {"contact": "aigerim@"})
    assert response.status_code == 400 and response["Content-Language"] == language
    html = response.content.decode()
    errors = re.search(r'<ul class="field__errors"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert in_language(language, informing.CONTACT_INVALID) in errors
    assert html.count("aigerim@") == 1 and 'value="aigerim@"' in html  # only in the field
    assert "aigerim@" not in caplog.text
    assert not StationSubscription.objects.exists() and not Notification.objects.exists()
    assert "no-store" in response["Cache-Control"]


def test_a_landline_is_refused_on_the_field_and_sent_no_sms(client):
    station = station_in()
    response = client.post(subscribe_page("en", station), {"contact": "+7 (7172) 55-12-34"})
    assert response.status_code == 400
    assert "This is not a mobile number" in response.content.decode()
    assert not StationSubscription.objects.exists() and not Notification.objects.exists()


def test_an_empty_contact_is_refused_on_the_field(client):
    response = client.post(subscribe_page("en", station_in()), {"contact": ""})
    assert response.status_code == 400 and b"field--invalid" in response.content
    assert not StationSubscription.objects.exists()


def test_past_the_address_limit_the_field_says_so_in_the_page_language(client, settings):
    settings.SUBSCRIPTION_ADDRESS_LIMIT = 1
    station = station_in()
    client.post(subscribe_page("ru", station), {"contact": "first@example.kz"})
    response = client.post(subscribe_page("ru", station), {"contact": "second@example.kz"})
    assert response.status_code == 400
    assert in_language("ru", informing.TOO_MANY_SUBSCRIPTIONS) in response.content.decode()
    assert StationSubscription.objects.get().contact == "first@example.kz"


def test_an_unknown_station_has_no_subscribe_page(client):
    assert (
        client.post("/en/polling/stations/999999/subscribe/", {"contact": EMAIL}).status_code == 404
    )


def test_the_subscribe_page_shows_the_empty_form_and_is_never_cached(client):
    response = client.get(subscribe_page("kk", station_in()))
    assert response.status_code == 200 and b'name="contact"' in response.content
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_station_page_with_the_form_stays_cached(client, public_cache, language):
    station = station_in()
    first = client.get(station_page(language, station))
    second = client.get(station_page(language, station))
    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("miss", "hit")
    assert b'name="contact"' in second.content
    # A subscription touches nothing a public page reads: still a hit afterwards.
    client.post(subscribe_page(language, station), {"contact": EMAIL})
    assert client.get(station_page(language, station))[CACHE_HEADER] == "hit"


@pytest.mark.parametrize("contact", [EMAIL, PHONE])
def test_nobody_can_tell_whether_a_contact_is_subscribed(client, contact):
    """Subscribing a contact that is already confirmed answers as for a new one: the same
    redirect to a page asking for what was sent, and a wrong code is wrong either way."""
    subscribed, fresh = station_in(), station_in()
    client.post(subscribe_page("en", subscribed), {"contact": contact})
    first = StationSubscription.objects.get(station=subscribed)
    done = client.post(
        f"/en/polling/subscriptions/confirm/{first.confirmation_token}/",
        {"code": first.confirmation_code},
    )
    assert b'data-state="confirmed"' in done.content

    pages = {}
    for station in (subscribed, fresh):
        response = client.post(subscribe_page("en", station), {"contact": contact})
        assert response.status_code == 302
        page = client.get(response["Location"])
        wrong = client.post(response["Location"], {"code": "000000"})
        pages[station.pk] = (
            page.status_code,
            b'data-state="confirmed"' in page.content,
            b'data-state="sent"' in page.content,
            b'name="code"' in page.content,
            wrong.status_code,
            b'data-state="confirmed"' in wrong.content,
        )
    assert pages[subscribed.pk] == pages[fresh.pk]
    assert StationSubscription.objects.get(station=subscribed).confirmed_at is not None
