"""Informing voters of voting hours (issue #9): subscriptions to a station's notices, the notices
a published decision sends, and the warning of drafts near the informing deadline.

- `station_subscription_create` (a voter on a station's page): the contact normalised
  (`core.normalize`), a confirmation through the outbox: a link by e-mail, a code by SMS;
  limited per client address (the cache) and per contact and subscription (the database), so
  that nobody can use the site to flood someone's inbox or phone.
- `station_subscription_confirm` (the link, or the code typed on the confirmation page) and
  `station_subscription_delete` (one click on the link in every e-mail: no sign-in, the token
  is the key, a second click finds nothing and says the same). An SMS has no room for the
  token: its link carries the subscription's short unsubscribe code (`sms_unsubscribe_url`),
  which ends every subscription of that phone (`station_subscriptions_delete_by_code`: one
  SMS about several stations has one link); unknown codes are counted per client address
  (`unsubscribe_code_missed`), so that nobody can try codes at length.
- `hours_notices_submit`, called as a decision is published (`polling.services`): a core job
  (`core.jobs`) that makes the public pages read afresh (`core.caching`) and writes a notice to
  the outbox for each member of the precinct commissions concerned and each confirmed
  subscriber of the stations concerned, in the subscriber's language. Each notice has the key
  (decision, recipient): a job run twice, or by two workers, sends nothing twice. SMS go only
  to mobile numbers (`core.normalize.validate_mobile_phone`, members' as subscribers') and say
  only the stations' numbers, hours and a link, in at most SMS_MAX_PARTS messages (`sms_parts`).
- `voting_hours_draft_warn` (a daily beat task): territorial commissions whose decisions are
  still drafts within settings.VOTING_HOURS_DRAFT_WARNING_DAYS of the informing deadline are
  told, once per decision and day.

A subscriber's contact goes to the outbox (to be sent) and nowhere else: no log line, no page
and no API answer shows it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from redis.exceptions import RedisError

from commissions.models import CommissionMember
from core.caching import bump
from core.choices import NotificationChannel
from core.jobs import job_handler
from core.normalize import (
    normalize_email,
    normalize_phone,
    validate_email_address,
    validate_mobile_phone,
    validate_phone,
)
from core.notifications import notify, render_notification

from .choices import DecisionStatus
from .models import PollingStation, VotingHoursDecision
from .selectors import effective_hours
from .services import deadline_shown, informing_deadline
from .subscription_models import (
    UNSUBSCRIBE_CODE_ALPHABET,
    UNSUBSCRIBE_CODE_LENGTH,
    StationSubscription,
    new_code,
    new_token,
)

logger = logging.getLogger(__name__)

HOURS_NOTICE_JOB = "polling.hours_notices"

CONTACT_INVALID = gettext_lazy("Give an e-mail address or a mobile phone number.")
UNKNOWN_LANGUAGE = gettext_lazy("Notices are sent in Kazakh (kk), Russian (ru) or English (en).")
TOO_MANY_SUBSCRIPTIONS = gettext_lazy(
    "Too many subscriptions were asked for from here or for this contact; try again later."
)
CONFIRMATION_UNKNOWN = gettext_lazy(
    "This confirmation link is not valid: it was mistyped, or the subscription was cancelled "
    "or has expired. Subscribe again on the station's page."
)
CODE_WRONG = gettext_lazy("The code is not the one we sent. Check it and type it again.")
CODE_EXHAUSTED = gettext_lazy(
    "Too many wrong codes: subscribe again on the station's page for a new one."
)


# CONTACTS AND LIMITS


def contact_parse(value) -> tuple[str, str]:
    """(channel, contact) of what a voter typed: an e-mail address (`core.normalize`'s form) or
    a mobile phone number (E.164); a ValidationError on `contact` otherwise, saying why when the
    contact is one SMS or mail cannot reach (a landline, a part before the @ not in Latin)."""
    text = str(value or "").strip()
    if "@" in text:
        try:
            validate_email_address(text)
        except ValidationError as error:
            if error.code == "email_user":
                raise ValidationError({"contact": error.messages}, code="contact") from None
            raise ValidationError({"contact": CONTACT_INVALID}, code="contact") from None
        return NotificationChannel.EMAIL, normalize_email(text)
    try:
        validate_phone(text)
    except ValidationError:
        raise ValidationError({"contact": CONTACT_INVALID}, code="contact") from None
    try:
        validate_mobile_phone(text)
    except ValidationError as error:
        raise ValidationError({"contact": error.messages}, code="contact") from None
    return NotificationChannel.SMS, normalize_phone(text)


def _over_address_limit(address: str | None) -> bool:
    """Count one subscription request from `address` in the current window; whether it is past
    settings.SUBSCRIPTION_ADDRESS_LIMIT. Fails open (the database limits still hold)."""
    window = settings.SUBSCRIPTION_ADDRESS_WINDOW
    # Named like DRF's throttles' keys, which the tests clear between tests. The address is
    # personal data: kept in the counter's key only, never logged.
    key = f"throttle_subscribe_{address or '-'}_{int(time.time() // window)}"
    try:
        if cache.add(key, 1, timeout=window):
            return False
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)
            return False
    except (RedisError, OSError) as exc:
        logger.warning(
            "Subscription not counted, the cache is unavailable (%s)", type(exc).__name__
        )
        return False
    return count > settings.SUBSCRIPTION_ADDRESS_LIMIT


def _over_contact_limit(contact: str) -> bool:
    """Whether the contact has had settings.SUBSCRIPTION_CONTACT_DAILY_LIMIT confirmations
    asked for in the last day (all stations): someone else's address typed again and again."""
    since = timezone.now() - timedelta(days=1)
    recent = StationSubscription.objects.filter(
        contact=contact, confirmed_at__isnull=True, created_at__gte=since
    )
    return sum(recent.values_list("confirmations_sent", flat=True)) >= (
        settings.SUBSCRIPTION_CONTACT_DAILY_LIMIT
    )


# LINKS


def subscription_url(name: str, token: str, language: str) -> str:
    """The absolute address of a subscription page (`polling:subscription_confirm`,
    `polling:subscription_unsubscribe`) in `language`."""
    with translation.override(language):
        path = reverse(f"polling:{name}", args=[token])
    return settings.PUBLIC_BASE_URL + path


def sms_unsubscribe_url(code: str, language: str) -> str:
    """The absolute address of the SMS's unsubscribe page (`polling:subscription_unsubscribe_sms`)
    for a subscription's `unsubscribe_code`, in `language`: about 57 characters, where the
    unsubscribe token's page takes about 107."""
    with translation.override(language):
        path = reverse("polling:subscription_unsubscribe_sms", args=[code])
    return settings.PUBLIC_BASE_URL + path


def _changed_hours_page(language: str) -> str:
    try:
        with translation.override(language):
            return settings.PUBLIC_BASE_URL + reverse("polling:changed_hours")
    except Exception:  # the public pages are not there: the notice goes without the link
        return ""


def _station_page(station: PollingStation, language: str) -> str:
    try:
        with translation.override(language):
            return settings.PUBLIC_BASE_URL + reverse("polling:station_detail", args=[station.pk])
    except Exception:  # the public pages are not there: the notice goes without the link
        return ""


# SUBSCRIBING


def station_subscription_create(
    *, station: PollingStation, contact: str, language: str, client_address: str | None = None
) -> StationSubscription | None:
    """Subscribe `contact` (an e-mail address or a phone number, as typed) to the station's
    notices in `language`, and send the confirmation (a link by e-mail, a code by SMS).

    Asked again, confirmed or not: a new confirmation (a new token and code), up to
    settings.SUBSCRIPTION_CONFIRMATIONS_PER_SUBSCRIPTION, exactly as for a new contact, so the
    answer and the next page never tell whether someone is subscribed (a confirmed
    subscription stays confirmed). Past a limit (per address, contact or subscription): a
    ValidationError (code "too_many"). Returns the subscription (its confirmation token is the
    next page's key).
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": UNKNOWN_LANGUAGE})
    channel, contact = contact_parse(contact)
    if _over_address_limit(client_address):
        raise ValidationError(TOO_MANY_SUBSCRIPTIONS, code="too_many")
    for _attempt in range(2):  # two voters subscribing one contact at once: the second finds it
        try:
            with transaction.atomic():
                return _subscribe(station, channel, contact, language)
        except IntegrityError:
            continue
    raise ValidationError(TOO_MANY_SUBSCRIPTIONS, code="too_many")


def _subscribe(station, channel, contact, language) -> StationSubscription:
    subscription = (
        StationSubscription.objects.select_for_update()
        .filter(station=station, contact=contact)
        .order_by("pk")
        .first()
    )
    # A contact already subscribed is answered exactly as a new one: a new confirmation is sent
    # to it (within the same limits) and the next page asks for its code, so the answer never
    # tells anyone whether someone is subscribed. Confirming it again changes nothing.
    if _over_contact_limit(contact):
        raise ValidationError(TOO_MANY_SUBSCRIPTIONS, code="too_many")
    if subscription is None:
        subscription = StationSubscription(station=station, channel=channel, contact=contact)
    elif subscription.confirmations_sent >= settings.SUBSCRIPTION_CONFIRMATIONS_PER_SUBSCRIPTION:
        raise ValidationError(TOO_MANY_SUBSCRIPTIONS, code="too_many")
    subscription.language = language
    subscription.confirmation_token = new_token()
    # A secret for either channel: the SMS carries it as a code, the e-mail in its link. The
    # confirmation page the subscriber's own browser is sent to holds only the token, so
    # whoever typed a contact cannot confirm it without reading what was sent there.
    subscription.confirmation_code = new_code()
    subscription.confirmation_failures = 0
    subscription.confirmations_sent += 1
    subscription.save()
    notify(
        template="polling/notifications/subscription_confirm",
        recipient=contact,
        channel=channel,
        language=language,
        context={
            "station": station,
            "code": subscription.confirmation_code,
            "url": (
                subscription_url("subscription_confirm", subscription.confirmation_token, language)
                + "?"
                + urlencode({"code": subscription.confirmation_code})
                if channel == NotificationChannel.EMAIL
                else ""
            ),
        },
        dedupe_key=(
            f"polling.subscription_confirm:{subscription.pk}:{subscription.confirmations_sent}"
        ),
        cause=subscription,
    )
    return subscription


def station_subscription_confirm(*, token: str, code: str | None = None) -> StationSubscription:
    """Confirm the subscription of the confirmation `token` with the `code` that was sent to the
    contact (in the e-mail's link, or in the SMS): the token alone, which the subscriber's own
    browser is given, confirms nothing. Confirming twice is confirming once. A wrong code is
    counted: past settings.SUBSCRIPTION_CODE_ATTEMPTS the subscription needs a new code."""
    refusal = None
    with transaction.atomic():
        subscription = (
            StationSubscription.objects.select_for_update(of=("self",))
            .select_related("station")
            .filter(confirmation_token=str(token or ""))
            .order_by("pk")
            .first()
        )
        if subscription is None:
            raise ValidationError(CONFIRMATION_UNKNOWN, code="unknown")
        typed = "".join(str(code or "").split())
        if subscription.confirmation_failures >= settings.SUBSCRIPTION_CODE_ATTEMPTS:
            refusal = ValidationError({"code": CODE_EXHAUSTED}, code="exhausted")
        elif not typed or not constant_time_compare(typed, subscription.confirmation_code):
            subscription.confirmation_failures += 1
            subscription.save(update_fields=["confirmation_failures"])
            refusal = ValidationError({"code": CODE_WRONG}, code="wrong_code")
        if refusal is None and subscription.confirmed_at is None:
            # The code stays: the link opened twice confirms twice, and is still needed then.
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
    if refusal is not None:  # raised after the commit: the wrong code stays counted
        raise refusal
    return subscription


def station_subscription_delete(*, token: str) -> bool:
    """End the subscription of the unsubscribe `token` (the link in every notice): its contact
    is deleted with it. Whether there was one to end; a second click finds none."""
    deleted, _counts = StationSubscription.objects.filter(
        unsubscribe_token=str(token or "")
    ).delete()
    return bool(deleted)


# Unknown unsubscribe codes from one client address in UNSUBSCRIBE_MISS_WINDOW seconds before
# its next look-up is refused: with 60 random bits a guess never finds a code anyway, this
# keeps anyone from trying at length.
UNSUBSCRIBE_MISS_LIMIT = 20
UNSUBSCRIBE_MISS_WINDOW = 3600
_UNSUBSCRIBE_CODE = re.compile(f"[{UNSUBSCRIBE_CODE_ALPHABET}]{{{UNSUBSCRIBE_CODE_LENGTH}}}")


def _unsubscribe_code(code) -> str | None:
    """The code as stored (an SMS reader may show it in capitals), or None when it cannot be one
    (then the database is not asked)."""
    text = str(code or "").strip().lower()
    return text if _UNSUBSCRIBE_CODE.fullmatch(text) else None


def _contact_subscriptions(code):
    """Every subscription of the contact of the subscription whose unsubscribe code is `code`
    (a QuerySet, possibly empty)."""
    code = _unsubscribe_code(code)
    if code is None:
        return StationSubscription.objects.none()
    owner = StationSubscription.objects.filter(unsubscribe_code=code)
    return StationSubscription.objects.filter(
        channel__in=owner.values("channel"), contact__in=owner.values("contact")
    )


def sms_unsubscribe_subscriptions(code) -> list[StationSubscription]:
    """What the SMS unsubscribe `code` ends: every subscription of that contact, with its station,
    by station number (empty for an unknown or used code, or text that is no code)."""
    return list(
        _contact_subscriptions(code).select_related("station").order_by("station__number", "pk")
    )


def station_subscriptions_delete_by_code(*, code) -> int:
    """End every subscription of the contact whose SMS unsubscribe `code` it is, the contact
    deleted with them (the link in an SMS, `sms_unsubscribe_url`: one SMS about several stations
    carries one link, and ending it stops the SMS). How many were ended; a second click: 0."""
    with transaction.atomic():
        deleted, _counts = _contact_subscriptions(code).delete()
    return deleted


def _misses_key(address: str | None) -> str:
    # Named like DRF's throttles' keys, which the tests clear between tests. The address is
    # personal data: kept in the counter's key only, never logged.
    window = int(time.time() // UNSUBSCRIBE_MISS_WINDOW)
    return f"throttle_unsubscribe_code_{address or '-'}_{window}"


def unsubscribe_code_refused(address: str | None) -> bool:
    """Whether `address` has tried UNSUBSCRIBE_MISS_LIMIT unknown codes in the current window
    (then its next look-up is refused, known code or not). Fails open."""
    try:
        return int(cache.get(_misses_key(address)) or 0) >= UNSUBSCRIBE_MISS_LIMIT
    except (RedisError, OSError, ValueError):
        return False


def unsubscribe_code_missed(address: str | None) -> None:
    """Count one unknown unsubscribe code from `address` (`unsubscribe_code_refused`)."""
    key = _misses_key(address)
    try:
        if not cache.add(key, 1, timeout=UNSUBSCRIBE_MISS_WINDOW):
            cache.incr(key)
    except (RedisError, OSError, ValueError) as exc:
        logger.warning("Unsubscribe miss not counted (%s)", type(exc).__name__)


def station_subscriptions_prune(*, now: datetime | None = None) -> int:
    """Delete subscriptions never confirmed within settings.SUBSCRIPTION_CONFIRM_DAYS: a contact
    nobody confirmed is not kept."""
    now = now or timezone.now()
    stale = StationSubscription.objects.filter(
        confirmed_at__isnull=True,
        created_at__lt=now - timedelta(days=settings.SUBSCRIPTION_CONFIRM_DAYS),
    )
    deleted, _counts = stale.delete()
    return deleted


# NOTICES OF A PUBLISHED DECISION


def hours_notices_key(decision: VotingHoursDecision) -> str:
    return f"{HOURS_NOTICE_JOB}:{decision.pk}"


def hours_notices_submit(*, decision: VotingHoursDecision, actor=None):
    """The job that tells everyone concerned of a published decision (one per decision),
    started by `actor` (who published it; None: the system) and seen by the deciding
    commission's region's staff too (`core.models.Job.scope_q`), besides the CEC."""
    from core.models import JOB_REGION_PARAM
    from core.services import job_submit

    def title() -> str:
        return _("Notices of voting hours decision No. {number}").format(number=decision.number)

    return job_submit(
        actor=actor,
        kind=HOURS_NOTICE_JOB,
        key=hours_notices_key(decision),
        title=title,
        params={"decision": decision.pk, JOB_REGION_PARAM: decision.commission.region_id},
    )


def _digest(*parts) -> str:
    message = ":".join(str(part) for part in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


@dataclass
class Recipient:
    """One notice of a decision: to a commission member, or to a subscriber (all their
    subscriptions to the stations concerned in one notice)."""

    key: str
    channel: str
    contact: str
    language: str
    template: str
    subscriptions: list[StationSubscription] = field(default_factory=list)
    member: CommissionMember | None = None


def hours_notice_recipients(decision: VotingHoursDecision, stations) -> list[Recipient]:
    """Who a published decision is told to, each once: the active members of the stations'
    precinct commissions (by e-mail, else by SMS; in their account's language, else the site's)
    and the confirmed subscribers of the stations (one notice per contact)."""
    recipients: list[Recipient] = []
    members = (
        CommissionMember.objects.active()
        .filter(commission__in=[s.precinct_commission_id for s in stations])
        .select_related("user")
        .order_by("commission", "pk")
    )
    for member in members:
        if member.email:
            channel, contact = NotificationChannel.EMAIL, normalize_email(member.email)
        elif member.phone and _is_mobile(member.phone):
            # SMS only to a mobile number: the subscribers' rule (`contact_parse`).
            channel, contact = NotificationChannel.SMS, normalize_phone(member.phone)
        else:
            continue
        language = getattr(member.user, "preferred_language", "") or settings.LANGUAGE_CODE
        recipients.append(
            Recipient(
                key=f"{hours_notices_key(decision)}:member:{member.pk}",
                channel=channel,
                contact=contact,
                language=language,
                template="polling/notifications/hours_changed_commission",
                member=member,
            )
        )
    by_contact: dict[tuple[str, str], Recipient] = {}
    subscriptions = (
        StationSubscription.objects.confirmed()
        .filter(station__in=stations)
        .order_by("contact", "station__number", "pk")
    )
    for subscription in subscriptions:
        who = (subscription.channel, subscription.contact)
        if who not in by_contact:
            by_contact[who] = Recipient(
                key=f"{hours_notices_key(decision)}:voter:{_digest(*who)}",
                channel=subscription.channel,
                contact=subscription.contact,
                language=subscription.language,
                template="polling/notifications/hours_changed",
            )
            recipients.append(by_contact[who])
        by_contact[who].subscriptions.append(subscription)
    return recipients


def _is_mobile(value) -> bool:
    """Whether SMS can reach the number: `core.normalize.validate_mobile_phone`, the rule a
    subscriber's number is held to."""
    try:
        validate_mobile_phone(value)
    except ValidationError:
        return False
    return True


# SMS: Cyrillic (and "–") is sent as UCS-2, 70 characters in one message, 67 in each part of a
# concatenated one; text in the GSM 7-bit alphabet alone, 160 and 153.
SMS_MAX_PARTS = 3
SMS_NOTICE = "polling/notifications/hours_changed_sms"
# Station numbers named in the short form, then "…": as many as fit of these.
SMS_SHORT_NUMBERS = (5, 3, 1)
_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def sms_parts(text: str) -> int:
    """How many messages an SMS of `text` takes: one up to 70 UCS-2 characters (160 in the GSM
    7-bit alphabet), else one per 67 (153) characters."""
    single, part = (160, 153) if set(text) <= _GSM7 else (70, 67)
    return 1 if len(text) <= single else math.ceil(len(text) / part)


def _sms_context(context: dict, language: str) -> dict:
    """The context of the SMS notice (SMS_NOTICE), the first form that fits in SMS_MAX_PARTS:
    the full form (each station's number and hours, the station page's link); the full form
    without the pages' links; the short form (the stations' numbers, as many of
    SMS_SHORT_NUMBERS as fit, and the changed-hours page's link); the short form with one
    number and without that link. A subscriber's SMS always ends with its unsubscribe link
    (`context["unsubscribe"]`, `sms_unsubscribe_url`), which comes first: in the longest real
    case (a five-digit number, 06:00–22:00, a long public address) the station page's link
    gives way to it."""
    numbers = [str(line["station"].number) for line in context["lines"]]

    def short(shown: int, changed_hours: str) -> dict:
        named = ", ".join(numbers[:shown]) + ("…" if len(numbers) > shown else "")
        return {**context, "short": True, "numbers": named, "changed_hours": changed_hours}

    changed_hours = _changed_hours_page(language)
    forms = [
        {**context, "short": False},
        {**context, "short": False, "lines": [{**line, "page": ""} for line in context["lines"]]},
        *(short(shown, changed_hours) for shown in SMS_SHORT_NUMBERS),
        short(SMS_SHORT_NUMBERS[-1], ""),
    ]
    for form in forms:
        _subject, body = render_notification(
            SMS_NOTICE, language=language, context=form, channel=NotificationChannel.SMS
        )
        if sms_parts(body) <= SMS_MAX_PARTS:
            return form
    return forms[-1]


def _station_lines(decision, stations, language) -> list[dict]:
    lines = []
    for station in stations:
        opening, closing, _decision = effective_hours(station, decision.election)
        lines.append(
            {
                "station": station,
                "opens": f"{opening:%H:%M}",
                "closes": f"{closing:%H:%M}",
                "zone": station.timezone_name,
                "page": _station_page(station, language),
            }
        )
    return lines


@job_handler(HOURS_NOTICE_JOB, label=gettext_lazy("Voting hours notices"))
def hours_notices_job(job, progress) -> None:
    decision = VotingHoursDecision.objects.select_related("election", "commission__region").get(
        pk=job.params["decision"]
    )
    # The public pages and open data read the new hours at once (every cached answer that read
    # polling stations is stale), whatever else the job does.
    bump("polling", "commissions")
    stations = list(
        decision.stations.select_related("region", "precinct_commission").order_by("number", "pk")
    )
    station_by_pk = {station.pk: station for station in stations}
    recipients = hours_notice_recipients(decision, stations)
    job.total = len(recipients)
    type(job).objects.filter(pk=job.pk).update(total=job.total)
    for done, recipient in enumerate(recipients, start=1):
        if recipient.member is not None:
            concerned = [
                s for s in stations if s.precinct_commission_id == recipient.member.commission_id
            ]
            context = {"member": recipient.member}
            unsubscribe = {}
        else:
            concerned = [station_by_pk[s.station_id] for s in recipient.subscriptions]
            context = {}
            unsubscribe = {
                s.station_id: subscription_url(
                    "subscription_unsubscribe", s.unsubscribe_token, recipient.language
                )
                for s in recipient.subscriptions
            }
        lines = _station_lines(decision, concerned, recipient.language)
        for line in lines:
            line["unsubscribe"] = unsubscribe.get(line["station"].pk, "")
        context = {**context, "decision": decision, "election": decision.election, "lines": lines}
        template = recipient.template
        if recipient.channel == NotificationChannel.SMS:
            # An SMS says only what a phone shows well: numbers, hours, a link (SMS_MAX_PARTS),
            # and a subscriber's one unsubscribe link, which ends all of that phone's.
            template = SMS_NOTICE
            if recipient.subscriptions:
                context["unsubscribe"] = sms_unsubscribe_url(
                    recipient.subscriptions[0].unsubscribe_code, recipient.language
                )
            context = _sms_context(context, recipient.language)
        with transaction.atomic():
            notify(
                template=template,
                recipient=recipient.contact,
                channel=recipient.channel,
                language=recipient.language,
                context=context,
                dedupe_key=recipient.key,
                cause=decision,
            )
        progress(done)


def hours_notices_state(decision: VotingHoursDecision) -> dict:
    """What the admin shows of a decision's informing: its job (or None) and its notices by
    status (pending, delivered, failed)."""
    from django.db.models import Count

    from core.models import Job, Notification

    job = Job.objects.filter(key=hours_notices_key(decision)).first()
    counts = dict(
        Notification.objects.filter(dedupe_key__startswith=hours_notices_key(decision) + ":")
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return {"job": job, "counts": counts}


# DRAFTS NEAR THE DEADLINE


def voting_hours_draft_warn(*, now: datetime | None = None) -> int:
    """Warn each territorial commission of its decisions still drafts whose informing deadline
    is within settings.VOTING_HOURS_DRAFT_WARNING_DAYS (and not past): a notice to each active
    member with an e-mail address, once per decision and day (the commission's day). Returns
    the number of notices written."""
    now = now or timezone.now()
    horizon = timedelta(days=settings.VOTING_HOURS_DRAFT_WARNING_DAYS)
    drafts = (
        VotingHoursDecision.objects.filter(
            status=DecisionStatus.DRAFT, election__election_day__gte=now.date() - timedelta(days=1)
        )
        .select_related("election", "commission__region")
        .order_by("commission", "pk")
    )
    written = 0
    for decision in drafts:
        deadline = informing_deadline(decision.election, decision.commission)
        if not now <= deadline <= now + horizon:
            continue
        zone = decision.commission.region.zone
        day = timezone.localdate(now, zone)
        left = deadline - now
        members = (
            CommissionMember.objects.active(day)
            .filter(commission=decision.commission_id)
            .exclude(email="")
            .select_related("user")
        )
        for member in members.order_by("pk"):
            language = getattr(member.user, "preferred_language", "") or settings.LANGUAGE_CODE
            with translation.override(language):
                deadline_text = deadline_shown(deadline, zone)
            with transaction.atomic():
                notice = notify(
                    template="polling/notifications/draft_warning",
                    recipient=normalize_email(member.email),
                    channel=NotificationChannel.EMAIL,
                    language=language,
                    context={
                        "decision": decision,
                        "member": member,
                        "deadline": deadline_text,
                        "days_left": max(0, math.floor(left.total_seconds() / 86400)),
                    },
                    dedupe_key=f"polling.draft_warning:{decision.pk}:{day:%Y%m%d}:{member.pk}",
                    cause=decision,
                )
            written += notice is not None
    return written
