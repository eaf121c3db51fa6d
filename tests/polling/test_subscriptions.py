"""The subscription pages through the real URLs (polling.subscriptions): the station page's form,
subscribing, the confirmation in the outbox (a link by e-mail, a code by SMS), confirming and
unsubscribing (the e-mail's link, and the SMS's short link with its limit on unknown codes), in
each language; errors on the subscribe page's field, nothing stored; the station page still
cached with the form on it."""

import re

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
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


# THE SMS'S SHORT UNSUBSCRIBE LINK


def sms_subscriber(station, language="ru", phone=PHONE):
    subscription = informing.station_subscription_create(
        station=station, contact=phone, language=language, client_address="10.0.0.9"
    )
    return informing.station_subscription_confirm(
        token=subscription.confirmation_token, code=subscription.confirmation_code
    )


def short_link(language, subscription):
    return f"/{language}/polling/u/{subscription.unsubscribe_code}/"


def test_each_subscription_has_its_own_short_random_unsubscribe_code():
    subscriptions = [sms_subscriber(station_in(), phone=f"+7701555000{i}") for i in range(5)]
    codes = {subscription.unsubscribe_code for subscription in subscriptions}
    assert len(codes) == 5
    assert all(re.fullmatch(r"[a-z2-7]{12}", code) for code in codes)  # 60 bits
    taken = subscriptions[0].unsubscribe_code
    with pytest.raises(IntegrityError), transaction.atomic():
        StationSubscription.objects.filter(pk=subscriptions[1].pk).update(unsubscribe_code=taken)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sms_link_asks_first_then_one_click_ends_every_subscription_of_that_phone(
    client, language, caplog
):
    first, second = station_in(), station_in()
    mine = sms_subscriber(first, language)
    sms_subscriber(second, language)
    other = sms_subscriber(first, language, phone="+77015550000")
    link = short_link(language, mine)
    with caplog.at_level("DEBUG"):
        page = client.get(link)
        assert StationSubscription.objects.count() == 3  # a GET (a link scanner) ends nothing
        done = client.post(link)
    assert page.status_code == 200 and page["Content-Language"] == language
    html = page.content.decode()
    numbers = ", ".join(str(s.number) for s in sorted([first, second], key=lambda s: s.number))
    with translation.override(language):
        asked = translation.ngettext(
            "Stop the SMS about polling station No. %(numbers)s.",
            "Stop the SMS about polling stations No. %(numbers)s.",
            2,
        ) % {"numbers": numbers}
    assert asked in html and '<form method="post"' in html
    assert "csrfmiddlewaretoken" not in html and "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "no-referrer" and "noindex" in page["X-Robots-Tag"]
    assert done.status_code == 200 and b'data-state="unsubscribed"' in done.content
    assert list(StationSubscription.objects.values_list("pk", flat=True)) == [other.pk]
    for answer in (page, done):  # the phone is in no page, no URL (the code is random), no log
        assert "7012345678" not in answer.content.decode()
    assert "7012345678" not in caplog.text and "7012345678" not in link
    # A second click, an old link: a polite page that names no station.
    for again in (client.post(link), client.get(link)):
        assert again.status_code == 404 and b'data-state="unknown"' in again.content
        assert str(first.number).encode() not in again.content


def test_the_sms_link_works_in_capitals(client):
    subscription = sms_subscriber(station_in())
    response = client.get(f"/ru/polling/u/{subscription.unsubscribe_code.upper()}/")
    assert response.status_code == 200 and b"<form" in response.content


@pytest.mark.parametrize(
    "code", ["aaaaaaaaaaaa", "abc", "a" * 300, "Жжжжжжжжжжжж", "aaaa'--aaaaa", "0" * 12]
)
def test_an_unknown_or_malformed_code_gets_a_polite_page_and_ends_nothing(client, code):
    station = station_in()
    sms_subscriber(station)
    for response in (client.get(f"/kk/polling/u/{code}/"), client.post(f"/kk/polling/u/{code}/")):
        assert response.status_code == 404 and response["Content-Language"] == "kk"
        assert b'data-state="unknown"' in response.content
        assert str(station.number).encode() not in response.content
    assert StationSubscription.objects.count() == 1


def test_past_the_miss_limit_an_address_is_refused_even_a_right_code(client, monkeypatch):
    monkeypatch.setattr(informing, "UNSUBSCRIBE_MISS_LIMIT", 3)
    subscription = sms_subscriber(station_in())
    for guess in ("aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"):
        assert client.get(f"/en/polling/u/{guess}/").status_code == 404
    link = short_link("en", subscription)
    for refused in (client.get(link), client.post(link)):
        assert refused.status_code == 429 and b'data-state="refused"' in refused.content
    assert StationSubscription.objects.filter(pk=subscription.pk).exists()
    # Another address is not refused.
    assert client.get(link, REMOTE_ADDR="10.9.9.9").status_code == 200


def test_the_audit_log_keeps_no_contact_and_no_key_of_a_subscription():
    """Whoever reads the audit log learns neither the phone nor a key that would unsubscribe it."""
    from auditlog.models import LogEntry

    subscription = sms_subscriber(station_in())
    entries = LogEntry.objects.get_for_object(subscription)
    assert entries.exists()
    secrets = [
        PHONE,
        subscription.confirmation_token,
        subscription.confirmation_code,
        subscription.unsubscribe_token,
        subscription.unsubscribe_code,
    ]
    for entry in entries:
        text = str(entry.changes) + str(entry.object_repr)
        assert not [secret for secret in secrets if secret and str(secret) in text]


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({"Sec-Fetch-Site": "cross-site"}, True),
        ({"Origin": "https://evil.example"}, True),
        ({"Origin": "null"}, True),
        ({"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}, False),
        ({"Origin": "http://testserver"}, False),
        ({}, False),  # a script or an old browser: the service's own limits apply
    ],
    ids=["fetch cross-site", "other origin", "null origin", "same origin", "origin", "none"],
)
def test_a_browsers_post_from_another_site_is_refused(client, headers, refused):
    """The form needs no CSRF token (its page is cached whole), so another site could make its
    visitors' browsers post it: a browser says where a post comes from, and those are refused."""
    station = station_in()
    response = client.post(subscribe_page("en", station), {"contact": EMAIL}, headers=headers)
    assert (response.status_code == 403) is refused
    assert StationSubscription.objects.filter(station=station).exists() is not refused
