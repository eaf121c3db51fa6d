"""Informing voters: subscriptions (confirmed by a link or a code, ended in one click, limited
against abuse), the notices a published decision sends (once per recipient, in the
subscriber's language, through a real worker too), the daily warning of drafts, and a
subscriber's contact kept out of every page, log and API answer."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from commissions.choices import MemberRole
from core.choices import JobStatus, NotificationChannel, NotificationStatus, Role
from core.models import Job, Notification
from core.normalize import normalize_phone
from core.services import notification_deliver
from polling import informing
from polling.models import StationSubscription
from tests.celery import real_worker, wait_until
from tests.commissions.factories import CecFactory, CommissionMemberFactory
from tests.core.factories import UserFactory
from tests.polling.factories import PollingStationFactory
from tests.polling.hours import ALMATY, draft, election_2023, publish, staff, station_in

pytestmark = pytest.mark.django_db

EMAIL = "Aigerim.Voter@Mail.KZ"
STORED_EMAIL = "aigerim.voter@mail.kz"
PHONE = "8 (701) 234-56-78"
STORED_PHONE = "+77012345678"


@pytest.fixture
def sms(settings):
    from core import notifications
    from tests.core.sms import RecordingSmsBackend

    settings.SMS_BACKEND = "tests.core.sms.RecordingSmsBackend"
    notifications.sms_backend.cache_clear()
    RecordingSmsBackend.sent = []
    RecordingSmsBackend.fail = False
    yield RecordingSmsBackend
    notifications.sms_backend.cache_clear()


def subscribe(station, contact=EMAIL, language="en", address="10.0.0.1"):
    return informing.station_subscription_create(
        station=station, contact=contact, language=language, client_address=address
    )


def confirmation(subscription):
    return Notification.objects.filter(
        dedupe_key__startswith=f"polling.subscription_confirm:{subscription.pk}:"
    ).latest("pk")


def confirmed(station, contact=EMAIL, language="en"):
    subscription = subscribe(station, contact, language)
    return informing.station_subscription_confirm(
        token=subscription.confirmation_token, code=subscription.confirmation_code
    )


def confirm_path(subscription):
    return f"/en/polling/subscriptions/confirm/{subscription.confirmation_token}/"


def unsubscribe_path(subscription):
    return f"/en/polling/subscriptions/unsubscribe/{subscription.unsubscribe_token}/"


# SUBSCRIBING AND CONFIRMING


def test_an_email_subscription_is_stored_normalised_and_sent_a_link(client):
    station = station_in()
    subscription = subscribe(station)
    assert (subscription.channel, subscription.contact) == ("email", STORED_EMAIL)
    assert subscription.confirmed_at is None
    notice = confirmation(subscription)
    assert notice.recipient == STORED_EMAIL and notice.channel == NotificationChannel.EMAIL
    link = re.search(r"https?://\S+/confirm/\S+", notice.body).group(0)
    code = subscription.confirmation_code
    assert link.endswith(f"{confirm_path(subscription)}?code={code}")
    page = client.get(f"{confirm_path(subscription)}?code={code}")
    assert page.status_code == 200 and b"<form" in page.content  # a GET confirms nothing
    StationSubscription.objects.get(pk=subscription.pk, confirmed_at__isnull=True)
    done = client.post(confirm_path(subscription), {"code": code})
    assert done.status_code == 200 and b'data-state="confirmed"' in done.content
    assert StationSubscription.objects.get(pk=subscription.pk).confirmed_at is not None
    # the link used twice: still confirmed
    again = client.post(confirm_path(subscription), {"code": code})
    assert b'data-state="confirmed"' in again.content


def test_a_phone_subscription_gets_a_code_by_sms_and_the_page_takes_it(client):
    station = station_in()
    subscription = subscribe(station, PHONE, language="ru")
    assert (subscription.channel, subscription.contact) == ("sms", STORED_PHONE)
    notice = confirmation(subscription)
    assert notice.channel == NotificationChannel.SMS and notice.recipient == STORED_PHONE
    assert subscription.confirmation_code in notice.body
    assert "http" not in notice.body  # a code, not a link
    wrong = client.post(confirm_path(subscription), {"code": "000000x"})
    assert wrong.status_code == 400 and b'data-state="error"' in wrong.content
    right = client.post(confirm_path(subscription), {"code": subscription.confirmation_code})
    assert b'data-state="confirmed"' in right.content


def test_too_many_wrong_codes_need_a_new_one(settings):
    settings.SUBSCRIPTION_CODE_ATTEMPTS = 2
    subscription = subscribe(station_in(), PHONE)
    for _ in range(2):
        with pytest.raises(ValidationError) as refused:
            informing.station_subscription_confirm(token=subscription.confirmation_token, code="1")
        assert "The code is not the one we sent" in refused.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as refused:
        informing.station_subscription_confirm(
            token=subscription.confirmation_token, code=subscription.confirmation_code
        )
    assert "Too many wrong codes" in str(refused.value)
    renewed = subscribe(subscription.station, PHONE)  # a new code, a new token
    assert renewed.confirmation_token != subscription.confirmation_token
    informing.station_subscription_confirm(
        token=renewed.confirmation_token, code=renewed.confirmation_code
    )


def test_an_unknown_confirmation_link_says_so_and_a_bad_contact_is_refused(client):
    response = client.get("/en/polling/subscriptions/confirm/no-such-token/")
    assert response.status_code == 404 and b'data-state="unknown"' in response.content
    with pytest.raises(ValidationError) as refused:
        subscribe(station_in(), "not an address")
    assert "contact" in refused.value.message_dict


def test_subscribing_again_once_confirmed_is_answered_as_a_new_subscription():
    """A new confirmation goes to the contact (its owner learns someone asked), the page's
    token changes, and the subscription stays confirmed: the answer tells nobody else anything."""
    station = station_in()
    subscription = confirmed(station)
    count = Notification.objects.count()
    again = subscribe(station, EMAIL.upper())
    assert again.pk == subscription.pk
    assert again.confirmation_token != subscription.confirmation_token
    assert Notification.objects.count() == count + 1
    assert StationSubscription.objects.get(pk=subscription.pk).confirmed_at is not None


def test_one_address_cannot_ask_for_more_than_its_limit(settings):
    settings.SUBSCRIPTION_ADDRESS_LIMIT = 2
    stations = [station_in() for _ in range(3)]
    subscribe(stations[0], "a@example.kz")
    subscribe(stations[1], "b@example.kz")
    with pytest.raises(ValidationError) as refused:
        subscribe(stations[2], "c@example.kz")
    assert refused.value.code == "too_many"
    subscribe(stations[2], "c@example.kz", address="10.0.0.2")  # another address may


def test_one_contact_is_not_sent_more_than_its_daily_confirmations(settings):
    settings.SUBSCRIPTION_CONTACT_DAILY_LIMIT = 3
    settings.SUBSCRIPTION_CONFIRMATIONS_PER_SUBSCRIPTION = 2
    stations = [station_in() for _ in range(3)]
    subscribe(stations[0], address="1.1.1.1")
    subscribe(stations[0], address="1.1.1.2")  # a second confirmation of one subscription
    with pytest.raises(ValidationError):
        subscribe(stations[0], address="1.1.1.3")  # a third: past the subscription's limit
    subscribe(stations[1], address="1.1.1.4")
    with pytest.raises(ValidationError):
        subscribe(stations[2], address="1.1.1.5")  # past the contact's limit, any station
    assert Notification.objects.filter(recipient=STORED_EMAIL).count() == 3


# UNSUBSCRIBING


def test_unsubscribing_is_one_button_without_sign_in_and_idempotent(client):
    subscription = confirmed(station_in())
    page = client.get(unsubscribe_path(subscription))
    assert page.status_code == 200 and b"<form" in page.content
    assert StationSubscription.objects.filter(pk=subscription.pk).exists()  # GET deletes nothing
    done = client.post(unsubscribe_path(subscription))
    assert done.status_code == 200 and b'data-state="unsubscribed"' in done.content
    assert not StationSubscription.objects.filter(pk=subscription.pk).exists()
    again = client.post(unsubscribe_path(subscription))
    assert again.status_code == 200 and b'data-state="unsubscribed"' in again.content
    assert done["Referrer-Policy"] == "no-referrer"


def test_unconfirmed_subscriptions_expire(settings):
    settings.SUBSCRIPTION_CONFIRM_DAYS = 7
    station = station_in()
    pending, kept = subscribe(station, "old@example.kz"), confirmed(station)
    later = pending.created_at + datetime.timedelta(days=8)
    assert informing.station_subscriptions_prune(now=later) == 1
    assert list(StationSubscription.objects.all()) == [kept]


# NOTICES OF A PUBLISHED DECISION


@pytest.fixture
def concerned():
    """A station with two confirmed subscribers (English by e-mail, Russian by phone), one
    unconfirmed, a precinct member with an e-mail address; and a decision adopted, ready to be
    published."""
    election = election_2023()
    station = station_in(name="Shift camp", name_ru="Вахтовый посёлок")
    english = confirmed(station, "voter@example.kz", "en")
    russian = confirmed(station, "+77015550000", "ru")
    subscribe(station, "pending@example.kz")
    member = CommissionMemberFactory(
        commission=station.precinct_commission,
        email="Chair@Precinct.kz",
        role=MemberRole.CHAIR,
        user=UserFactory(preferred_language="kk"),
    )
    decision = draft(station, election, number="12/45", opens_at=datetime.time(6, 0))
    return {
        "station": station,
        "decision": decision,
        "english": english,
        "russian": russian,
        "member": member,
    }


def hours_notices(decision):
    return Notification.objects.filter(
        dedupe_key__startswith=f"{informing.HOURS_NOTICE_JOB}:{decision.pk}:"
    ).order_by("pk")


def test_publishing_makes_one_notices_job_that_tells_each_recipient_once(concerned):
    decision = publish(concerned["decision"])
    job = Job.objects.get(key=informing.hours_notices_key(decision))
    assert job.kind == informing.HOURS_NOTICE_JOB
    informing.hours_notices_job(job, lambda done: None)
    notices = list(hours_notices(decision))
    assert sorted(n.recipient for n in notices) == [
        "+77015550000",
        "chair@precinct.kz",
        "voter@example.kz",
    ]
    by_recipient = {n.recipient: n for n in notices}
    english = by_recipient["voter@example.kz"].body
    assert "06:00–20:00 local time (Asia/Almaty)" in english
    assert "Shift camp" in english and "No. 12/45" in english
    assert concerned["english"].unsubscribe_token in english
    russian = by_recipient["+77015550000"]
    assert russian.channel == NotificationChannel.SMS
    # An SMS: the station's number, its hours, its page in the subscriber's language.
    station = concerned["station"]
    assert f"/ru/polling/stations/{station.pk}/" in russian.body
    assert str(station.number) in russian.body and "06:00" in russian.body
    assert informing.sms_parts(russian.body) <= informing.SMS_MAX_PARTS
    assert concerned["english"].unsubscribe_token not in russian.body
    # Its own short unsubscribe link, in Russian; the member's SMS has none.
    subscriber = StationSubscription.objects.get(contact="+77015550000")
    assert f"/ru/polling/u/{subscriber.unsubscribe_code}/" in russian.body
    informing.hours_notices_job(job, lambda done: None)  # run again: nothing new
    assert hours_notices(decision).count() == 3
    assert "pending@example.kz" not in {n.recipient for n in Notification.objects.all()} - {
        n.recipient for n in Notification.objects.filter(dedupe_key__contains="confirm")
    }


def test_a_rolled_back_publication_makes_no_job(concerned):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(concerned["decision"])
        raise RuntimeError
    assert not Job.objects.filter(kind=informing.HOURS_NOTICE_JOB).exists()


def test_the_notices_job_is_seen_by_the_publishing_region_and_the_cec_only(concerned, client):
    decision = concerned["decision"]
    commission = decision.commission
    publisher = staff(commission)
    colleague = staff(commission)
    other_region = staff(station_in().precinct_commission.parent)
    cec = staff(CecFactory(), Role.CEC_STAFF)
    publish(decision, actor=publisher)
    job = Job.objects.get(key=informing.hours_notices_key(decision))
    assert job.created_by == publisher
    page = f"/en/admin/core/job/{job.pk}/change/"
    for user, seen in ((publisher, True), (colleague, True), (cec, True), (other_region, False)):
        assert (job in Job.objects.restrict(user)) is seen
        client.force_login(user)
        assert client.get(page).status_code == (200 if seen else 404)
        listed = client.get("/en/admin/core/job/")
        assert (f"/en/admin/core/job/{job.pk}/change/" in listed.content.decode()) is seen


def test_the_admin_shows_the_notices_progress_and_delivery_counts(concerned, admin_client):
    decision = publish(concerned["decision"])
    job = Job.objects.get(key=informing.hours_notices_key(decision))
    informing.hours_notices_job(job, lambda done: None)
    Notification.objects.filter(recipient="voter@example.kz").update(
        status=NotificationStatus.DELIVERED, delivered_at=datetime.datetime.now(ALMATY)
    )
    state = informing.hours_notices_state(decision)
    assert state["job"] == job
    assert state["counts"] == {"delivered": 1, "pending": 2}
    page = admin_client.get(f"/en/admin/polling/votinghoursdecision/{decision.pk}/change/")
    html = page.content.decode()
    assert "Informing voters" in html
    assert f"/en/admin/core/job/{job.pk}/change/" in html
    assert "<li>Delivered: 1</li>" in html and "<li>Pending: 2</li>" in html
    assert "<li>Failed: 0</li>" in html
    assert "voter@example.kz" not in html


# SMS NOTICES: ONLY TO MOBILE NUMBERS, WITHIN THREE PARTS


def test_sms_parts_count_ucs2_and_gsm_characters():
    assert informing.sms_parts("ж" * 70) == 1
    assert informing.sms_parts("ж" * 71) == 2
    assert informing.sms_parts("ж" * 134) == 2
    assert informing.sms_parts("ж" * 135) == 3
    assert informing.sms_parts("a" * 160) == 1
    assert informing.sms_parts("a" * 161) == 2
    assert informing.sms_parts("a" * 159 + "–") == 3  # the dash is no GSM character


def test_precinct_members_get_sms_only_on_a_mobile_number():
    station = station_in()
    mobile = CommissionMemberFactory(
        commission=station.precinct_commission, email="", phone="+77015551111"
    )
    CommissionMemberFactory(commission=station.precinct_commission, email="", phone="+77172123456")
    decision = publish(draft(station, election_2023(), number="12/45"))
    job = Job.objects.get(key=informing.hours_notices_key(decision))
    informing.hours_notices_job(job, lambda done: None)
    assert [(n.channel, n.recipient) for n in hours_notices(decision)] == [
        (NotificationChannel.SMS, normalize_phone(mobile.phone))
    ]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_longest_real_sms_notice_takes_at_most_three_parts(settings, language):
    """The longest case: a five-digit station number, a six-digit page id, the widest hours
    (06:00–22:00), a public address as long as a government one."""
    settings.PUBLIC_BASE_URL = "https://saylau.election.gov.kz"
    region_station = station_in()
    station = PollingStationFactory(
        pk=999_999,
        number=99_999,
        region=region_station.region,
        precinct_commission__number=99_999,
        precinct_commission__parent=region_station.precinct_commission.parent,
    )
    confirmed(station, "+77015550000", language)
    CommissionMemberFactory(
        commission=station.precinct_commission,
        email="",
        phone="+77015551111",
        user=UserFactory(preferred_language=language),
    )
    decision = publish(
        draft(
            station,
            election_2023(),
            number="123/4567",
            opens_at=datetime.time(6, 0),
            closes_at=datetime.time(22, 0),
        )
    )
    job = Job.objects.get(key=informing.hours_notices_key(decision))
    informing.hours_notices_job(job, lambda done: None)
    page = f"https://saylau.election.gov.kz/{language}/polling/stations/999999/"
    code = StationSubscription.objects.get(station=station).unsubscribe_code
    with translation.override(language):
        unsubscribe = (
            f"{translation.gettext('Unsubscribe:')} "
            f"https://saylau.election.gov.kz/{language}/polling/u/{code}/"
        )
        hours = translation.gettext(
            "Saylau: polling station No. %(number)s votes on %(day)s from %(opens)s to "
            "%(closes)s local time."
        ) % {"number": 99_999, "day": "19.03", "opens": "06:00", "closes": "22:00"}
    notices = {n.recipient: n for n in hours_notices(decision)}
    assert len(notices) == 2  # the subscriber and the member
    for notice in notices.values():
        assert notice.channel == NotificationChannel.SMS
        assert notice.body.startswith(hours)  # the full form, each station's hours
        assert informing.sms_parts(notice.body) <= informing.SMS_MAX_PARTS, notice.body
    # The subscriber's ends with its unsubscribe link (where both do not fit, the station
    # page's link gives way to it); the member's, unsubscribing from nothing, has the page's.
    subscriber, member = notices["+77015550000"].body, notices["+77015551111"].body
    assert subscriber.endswith(unsubscribe), subscriber
    assert page in member and "/polling/u/" not in member


def test_an_sms_about_many_stations_names_them_briefly_within_three_parts(settings):
    settings.PUBLIC_BASE_URL = "https://saylau.election.gov.kz"
    first = station_in()
    commission = first.precinct_commission.parent
    stations = [first] + [
        PollingStationFactory(region=first.region, precinct_commission__parent=commission)
        for _ in range(6)
    ]
    for station in stations:
        confirmed(station, "+77015550000", "ru")
    decision = publish(draft(first, election_2023(), stations=stations))
    job = Job.objects.get(key=informing.hours_notices_key(decision))
    informing.hours_notices_job(job, lambda done: None)
    notice = hours_notices(decision).get()
    assert "/ru/polling/changed-hours/" in notice.body
    assert str(stations[0].number) in notice.body and "…" in notice.body
    assert informing.sms_parts(notice.body) <= informing.SMS_MAX_PARTS, notice.body
    # One unsubscribe link, which ends the phone's subscriptions to all seven stations.
    codes = re.findall(r"/ru/polling/u/([a-z2-7]+)/", notice.body)
    assert len(codes) == 1
    assert informing.station_subscriptions_delete_by_code(code=codes[0]) == 7
    assert not StationSubscription.objects.exists()


# A REAL WORKER, RUN TWICE


@pytest.mark.django_db(transaction=True)
def test_notices_through_a_real_worker_twice_reach_each_subscriber_once(
    celery_app, mailoutbox, sms
):
    from core.tasks import job_run_task

    election = election_2023()
    station = station_in(name="Shift camp")
    confirmed(station, "voter@example.kz", "en")
    confirmed(station, "+77015550000", "ru")
    decision = draft(station, election, number="12/45")
    mail.outbox.clear()
    sms.sent.clear()
    with real_worker():
        publish(decision)  # committed: the job is queued
        job = wait_until(
            lambda: Job.objects.filter(
                key=informing.hours_notices_key(decision), status=JobStatus.DONE
            ).first(),
            timeout=60.0,
        )
        # Run again, as a redelivered message or a second worker would: reset and queue it.
        Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, finished_at=None)
        job_run_task.delay(job.pk)
        job_run_task.delay(job.pk)
        wait_until(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, timeout=60.0)
        wait_until(
            lambda: not hours_notices(decision).filter(status=NotificationStatus.PENDING).exists()
        )
    assert [m.to for m in mail.outbox if "Voting hours" in m.subject] == [["voter@example.kz"]]
    # (the confirmation codes sent before are delivered by the worker too: not counted here)
    page = f"/polling/stations/{station.pk}/"
    assert [number for number, body in sms.sent if page in body] == ["+77015550000"]
    assert hours_notices(decision).count() == 2


# THE CONTACT NEVER SHOWN


def test_a_subscribers_contact_is_in_no_page_api_answer_or_log(concerned, client, caplog):
    from django.contrib.auth import get_user_model

    with caplog.at_level("DEBUG"):
        decision = publish(concerned["decision"])
        job = Job.objects.get(key=informing.hours_notices_key(decision))
        run_outside = informing.hours_notices_job(job, lambda done: None)
        assert run_outside is None
        station = concerned["station"]
        # Subscribing, confirming, delivering and unsubscribing log nothing of the contact.
        late = subscribe(station, "Late.Voter@Example.kz ", address="10.9.9.9")
        informing.station_subscription_confirm(
            token=late.confirmation_token, code=late.confirmation_code
        )
        for notification in Notification.objects.all():
            notification_deliver(notification_id=notification.pk)
        informing.station_subscription_delete(token=late.unsubscribe_token)
        pages = [
            f"/api/v1/polling-stations/{station.pk}/",
            "/api/v1/polling-stations/",
            f"/api/v1/voting-hours-decisions/{decision.pk}/",
        ]
        with translation.override("en"):
            pages.append(reverse("polling:station_detail", args=[station.pk]))
        bodies = [client.get(page).content.decode() for page in pages]
        superuser = get_user_model().objects.create_superuser("root", "root@example.kz", "x")
        client.force_login(superuser)
        bodies.append(
            client.get(
                f"/en/admin/polling/votinghoursdecision/{decision.pk}/change/"
            ).content.decode()
        )
    for secret in ("voter@example.kz", "+77015550000", "77015550000", "late.voter"):
        assert not any(secret in body for body in bodies), secret
        assert secret not in caplog.text.lower()
    assert str(concerned["english"]) == (
        f"Subscription No. {concerned['english'].pk} to Polling station No. {station.number}"
    )


# THE DAILY WARNING OF DRAFTS


def test_drafts_near_the_deadline_are_warned_once_a_day(settings):
    settings.VOTING_HOURS_DRAFT_WARNING_DAYS = 3
    election = election_2023()  # deadline: 10.03.2023 00:00 (the end of 9 March) there
    station = station_in()
    commission = station.precinct_commission.parent
    staff = CommissionMemberFactory(
        commission=commission, email="staff@territorial.kz", role=MemberRole.STAFF
    )
    CommissionMemberFactory(commission=commission, email="", role=MemberRole.MEMBER)
    draft(station, election, number="7/1")
    far = datetime.datetime(2023, 3, 1, 9, 0, tzinfo=ALMATY)
    near = datetime.datetime(2023, 3, 8, 9, 0, tzinfo=ALMATY)
    assert informing.voting_hours_draft_warn(now=far) == 0
    assert informing.voting_hours_draft_warn(now=near) == 1
    assert informing.voting_hours_draft_warn(now=near.replace(hour=18)) == 0  # same day
    assert informing.voting_hours_draft_warn(now=near + datetime.timedelta(days=1)) == 1
    notice = Notification.objects.filter(dedupe_key__startswith="polling.draft_warning:").first()
    assert notice.recipient == "staff@territorial.kz"
    # In the recipient's language (Kazakh here): the last day, not the midnight after it.
    assert "7/1" in notice.subject and "09.03.2023" in notice.body
    assert "10.03.2023" not in notice.body
    past = datetime.datetime(2023, 3, 10, 9, 0, tzinfo=ALMATY)
    assert informing.voting_hours_draft_warn(now=past) == 0
    assert staff.pk


def test_adopted_decisions_are_not_warned(settings):
    election = election_2023()
    station = station_in()
    CommissionMemberFactory(
        commission=station.precinct_commission.parent, email="staff@territorial.kz"
    )
    from polling import services

    decision = draft(station, election)
    services.voting_hours_decision_adopt(
        actor=None, decision=decision, on=datetime.date(2023, 3, 3)
    )
    near = datetime.datetime(2023, 3, 8, 9, 0, tzinfo=ALMATY)
    assert informing.voting_hours_draft_warn(now=near) == 0


def test_the_beat_schedule_runs_the_warning_daily():
    from config.celery import app

    entries = {e["task"] for e in app.conf.beat_schedule.values()}
    assert "polling.tasks.voting_hours_draft_warn_task" in entries
    assert "polling.tasks.station_subscriptions_prune_task" in entries


def test_whoever_typed_an_email_address_cannot_confirm_it_without_the_mail(client):
    """Double opt-in: the page a subscriber's browser is sent to holds the token only; the code
    is in the e-mail's link. Someone subscribing another person's address cannot confirm it."""
    subscription = subscribe(station_in())
    with pytest.raises(ValidationError):
        informing.station_subscription_confirm(token=subscription.confirmation_token)
    response = client.post(confirm_path(subscription))
    assert response.status_code == 400
    assert client.post(confirm_path(subscription), {"code": "000000"}).status_code == 400
    assert StationSubscription.objects.get(pk=subscription.pk).confirmed_at is None
