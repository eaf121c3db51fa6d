"""The voting hours report in the admin: a button on the decisions' list opens a page that
asks for the election, format and language, and starts the job (`polling.reports`); the job's
page (core's job admin) shows its progress and, once done, its file."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from commissions.models import Election
from core.admin import refusal_messages

from .reports import hours_report_submit


class HoursReportForm(forms.Form):
    election = forms.ModelChoiceField(
        label=_("election"), queryset=Election.objects.order_by("-election_day", "pk")
    )
    format = forms.ChoiceField(
        label=_("format"), choices=[("pdf", "PDF"), ("csv", "CSV")], initial="pdf"
    )
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)


def hours_report_view(model_admin, request):
    """GET: the form; POST: the job, then its page."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = HoursReportForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            job = hours_report_submit(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            for message in refusal_messages(exc):
                model_admin.message_user(request, message, messages.ERROR)
        else:
            return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Voting hours report"),
        "form": form,
    }
    return TemplateResponse(request, "admin/polling/votinghoursdecision/hours_report.html", context)


def informing_html(decision) -> str:
    """A published decision's informing in the admin: the notices job's status and progress
    (a link to its page) and the notices written, delivered, pending and failed. No contact."""
    from django.utils.html import format_html, format_html_join

    from core.choices import NotificationStatus

    from .informing import hours_notices_state

    state = hours_notices_state(decision)
    job = state["job"]
    if job is None:
        return _("No notices job yet.")
    counts = state["counts"]
    rows = format_html_join(
        "",
        "<li>{}: {}</li>",
        ((label, counts.get(value, 0)) for value, label in NotificationStatus.choices),
    )
    return format_html(
        '<a href="{}">{}</a>: {} ({} / {})<ul class="informing-counts">{}</ul>',
        reverse("admin:core_job_change", args=[job.pk]),
        job.display_title,
        job.get_status_display(),
        job.done,
        job.total,
        rows,
    )
