"""Voters' subscription pages: subscribing (the small form on the station's page posts to
`StationSubscribeView`, which shows its errors on a page of its own), confirming a subscription
(the e-mail's link, or the code of the SMS typed on the page the subscription form leads to) and
ending one (the link in every notice: an e-mail's carries the unsubscribe token, an SMS's the
short unsubscribe code, `SmsUnsubscribeView`). None needs a sign-in: for the last ones the token
or code in the address is the key. None shows the contact. They are never cached, never indexed,
and send no Referer (the key is in the URL).

The subscription form is the station page's (`SubscriptionForm`, posted to
`polling:station_subscribe`, which calls `polling.informing.station_subscription_create`); the
public pages include `urlpatterns` here in polling/urls.py, as `station_subscribe`,
`subscription_confirm`, `subscription_unsubscribe` and `subscription_unsubscribe_sms`.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.abuse import client_address
from core.views import same_site_posts

from .informing import (
    sms_unsubscribe_subscriptions,
    station_subscription_confirm,
    station_subscription_create,
    station_subscription_delete,
    station_subscriptions_delete_by_code,
    unsubscribe_code_missed,
    unsubscribe_code_refused,
)
from .models import PollingStation
from .subscription_models import StationSubscription


class SubscriptionForm(forms.Form):
    """The station page's form: an e-mail address or a phone number. Parsed and limited by
    `station_subscription_create`, which the page's view calls with the station, the page's
    language and `core.abuse.client_address(request)`; then it redirects to
    `polling:subscription_confirm` with the subscription's `confirmation_token`."""

    contact = forms.CharField(
        label=_("E-mail address or mobile phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email tel", "inputmode": "email"}),
        help_text=_(
            "We use it only to tell you when this station's voting hours change; it is never "
            "shown to anyone. Every message has a link to unsubscribe."
        ),
    )


class ConfirmationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _private(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@method_decorator([csrf_exempt, same_site_posts, never_cache], name="dispatch")
class StationSubscribeView(View):
    """Subscribing to a station's notices. POST (the station page's form, or this page's own): the
    contact to `station_subscription_create` in the page's language, then a redirect to the
    confirmation page (its token in the address). Refused (a contact that is neither an e-mail
    address nor a phone number, a limit reached): this page, 400, the form with the field's
    error in the page's language and what the voter typed in the field, the only place the
    contact is ever shown. GET: the same page, empty.

    Why without CSRF: the station page is cached whole for anonymous readers (core.caching), and
    a page that uses the CSRF token is never cached, so the form there carries none. What a
    forged cross-site POST could do is what anyone can do by posting here directly: ask for one
    unconfirmed subscription, which sends one confirmation to the contact given. That is bounded
    by `station_subscription_create`'s limits (per client address, per contact and day, per
    subscription), changes nothing until the link or code is used, signs no one in and reads no
    session; and a browser's POST from another site is refused outright
    (core.views.same_site_posts), so no site can make its visitors post here. The confirmation
    and unsubscribe pages skip CSRF on the same grounds. This page itself is never cached (it
    may hold a contact) and not indexed."""

    template_name = "polling/subscriptions/subscribe.html"
    http_method_names = ["get", "post", "head", "options"]

    def station(self, pk) -> PollingStation:
        return get_object_or_404(PollingStation.objects.select_related("region"), pk=pk)

    def render(self, request, *, station, form, status=200):
        context = {"station": station, "form": form}
        return _private(TemplateResponse(request, self.template_name, context, status=status))

    def get(self, request, pk):
        return self.render(request, station=self.station(pk), form=SubscriptionForm())

    def post(self, request, pk):
        station = self.station(pk)
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            try:
                subscription = station_subscription_create(
                    station=station,
                    contact=form.cleaned_data["contact"],
                    language=get_language(),
                    client_address=client_address(request),
                )
            except ValidationError as exc:
                form.add_error("contact", exc.messages)
            else:
                return HttpResponseRedirect(
                    reverse("polling:subscription_confirm", args=[subscription.confirmation_token])
                )
        return self.render(request, station=station, form=form, status=400)


@method_decorator([csrf_exempt, same_site_posts, never_cache], name="dispatch")
class SubscriptionConfirmView(View):
    """GET: the page that confirms (a button for an e-mail's link, the code's field for a
    phone). POST: the confirmation, then the same page saying it is done."""

    template_name = "polling/subscriptions/confirm.html"
    http_method_names = ["get", "post", "head", "options"]

    def render(self, request, *, subscription, form=None, error=None, status=200, done=False):
        context = {
            "subscription": subscription,
            "station": subscription.station if subscription else None,
            # Only the answer to the right code says so: whether a contact is subscribed is
            # never shown to whoever merely holds the page's address.
            "confirmed": done,
            "needs_code": bool(subscription and subscription.channel == "sms"),
            # An e-mail's link carries its code; the page the subscriber is sent to has none.
            "link_code": request.GET.get("code", "")[:12] or request.POST.get("code", "")[:12],
            "form": form or ConfirmationCodeForm(),
            "error": error,
        }
        return _private(TemplateResponse(request, self.template_name, context, status=status))

    def pending(self, token):
        return (
            StationSubscription.objects.select_related("station")
            .filter(confirmation_token=token)
            .first()
        )

    def get(self, request, token):
        subscription = self.pending(token)
        return self.render(request, subscription=subscription, status=200 if subscription else 404)

    def post(self, request, token):
        form = ConfirmationCodeForm(request.POST)
        code = request.POST.get("code", "")
        try:
            subscription = station_subscription_confirm(token=token, code=code)
        except ValidationError as exc:
            subscription = self.pending(token)
            return self.render(
                request,
                subscription=subscription,
                form=form,
                error=" ".join(str(m) for m in exc.messages),
                status=400 if subscription else 404,
            )
        return self.render(request, subscription=subscription, done=True)


@method_decorator([csrf_exempt, same_site_posts, never_cache], name="dispatch")
class SubscriptionUnsubscribeView(View):
    """GET: the page with the one button that unsubscribes (a mail scanner that opens links
    does not unsubscribe anyone). POST: the subscription and its contact deleted; the same page
    says so whether there was one or not (a second click, an old link)."""

    template_name = "polling/subscriptions/unsubscribe.html"
    http_method_names = ["get", "post", "head", "options"]

    def get(self, request, token):
        subscription = (
            StationSubscription.objects.select_related("station")
            .filter(unsubscribe_token=token)
            .first()
        )
        context = {"station": subscription.station if subscription else None, "done": False}
        return _private(TemplateResponse(request, self.template_name, context))

    def post(self, request, token):
        station_subscription_delete(token=token)
        return _private(TemplateResponse(request, self.template_name, {"done": True}))


@method_decorator([csrf_exempt, same_site_posts, never_cache], name="dispatch")
class SmsUnsubscribeView(View):
    """The short link of an SMS (`polling.informing.sms_unsubscribe_url`), in the language the
    voter subscribed in. GET: the stations whose SMS the code stops (its phone's subscriptions:
    one SMS about several stations has one link) and the one button; it unsubscribes no one (a
    link scanner opens links), as the e-mail's unsubscribe page. POST: those subscriptions and
    the phone number deleted, the page says so. An unknown or used code, or text that is no
    code: a polite page, 404, naming no station; counted per client address, and past
    `informing.UNSUBSCRIBE_MISS_LIMIT` in the hour every look-up from it is refused (429).
    CSRF is skipped on the same grounds as `StationSubscribeView`'s: the code is the key."""

    template_name = "polling/subscriptions/unsubscribe_sms.html"
    http_method_names = ["get", "post", "head", "options"]

    def render(self, request, state, *, subscriptions=(), status=200):
        numbers = [str(subscription.station.number) for subscription in subscriptions]
        context = {"state": state, "numbers": ", ".join(numbers), "count": len(numbers)}
        return _private(TemplateResponse(request, self.template_name, context, status=status))

    def get(self, request, code):
        address = client_address(request)
        if unsubscribe_code_refused(address):
            return self.render(request, "refused", status=429)
        subscriptions = sms_unsubscribe_subscriptions(code)
        if not subscriptions:
            unsubscribe_code_missed(address)
            return self.render(request, "unknown", status=404)
        return self.render(request, "ask", subscriptions=subscriptions)

    def post(self, request, code):
        address = client_address(request)
        if unsubscribe_code_refused(address):
            return self.render(request, "refused", status=429)
        if not station_subscriptions_delete_by_code(code=code):
            unsubscribe_code_missed(address)
            return self.render(request, "unknown", status=404)
        return self.render(request, "unsubscribed")


# Included by polling/urls.py (namespace "polling").
urlpatterns = [
    path(
        "stations/<int:pk>/subscribe/",
        StationSubscribeView.as_view(),
        name="station_subscribe",
    ),
    path(
        "subscriptions/confirm/<str:token>/",
        SubscriptionConfirmView.as_view(),
        name="subscription_confirm",
    ),
    path(
        "subscriptions/unsubscribe/<str:token>/",
        SubscriptionUnsubscribeView.as_view(),
        name="subscription_unsubscribe",
    ),
    # Short: an SMS of at most three parts carries it (polling.informing.sms_unsubscribe_url).
    path("u/<str:code>/", SmsUnsubscribeView.as_view(), name="subscription_unsubscribe_sms"),
]
