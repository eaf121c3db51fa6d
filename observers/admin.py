"""The accreditation desk: nominating bodies, nominations and their decisions, batches, uploads.

Row scope and audit history come from `core.admin`. Every write goes through
`observers.services`: a nomination entered here (`observer_nominate`), a photo
(`observer_photo_set`), the decisions (`observers_accredit`, `observer_refuse`,
`observer_revoke`), an uploaded spreadsheet (`imports.nominations_preview` checks it, saving
nothing; `imports.nominations_submit` saves it) and badges (`badge_job_submit`). Personal data
(document number, date of birth, photo) shows only on an observer's own page, to staff whose
scope covers it, and each such read is logged; an upload's preview masks document numbers.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.utils import get_translation_fields

from core.admin import (
    AuditedModelAdmin,
    AuditedTranslationAdmin,
    ReadOnlyTabularInline,
    refusal_messages,
)
from core.audit import log_access
from core.collation import CollatedRelatedOnlyFieldListFilter
from core.csv import csv_response
from core.locks import lock_namespace, xact_lock
from core.normalize import normalize_identifier
from core.scoping import scope_of

from . import imports, services
from .admin_forms import (
    NominationSaveForm,
    NominationUploadForm,
    ObserverAddForm,
    ObserverCorrectionForm,
    ObserverPhotoForm,
    ReasonForm,
)
from .choices import BatchSource, BodyKind, ObserverStatus
from .models import NominatingBody, NominationBatch, Observer

ACCREDIT_PERMISSION = "observers.accredit_observer"
UPLOAD_SAVES = lock_namespace("observers.upload_save")  # scope: a kept upload's token
# "2023-00012" (as printed on a badge) or "12": an accreditation number typed into the search.
NUMBER_SEARCH = re.compile(r"^(?:\d{4}-)?(\d{1,9})$")
TEMPLATE_EXAMPLE = {
    "last_name_latin": "Smith",
    "first_name_latin": "John",
    "last_name_cyrillic": "Смит",
    "first_name_cyrillic": "Джон",
    "citizenship": "GB",
    "date_of_birth": "1975-04-21",
    "document_number": "123456789",
}


# NOMINATING BODIES


@admin.register(NominatingBody)
class NominatingBodyAdmin(AuditedTranslationAdmin):
    list_display = (
        "__str__",
        "kind",
        "country",
        "agency",
        "region",
        "accredited_from",
        "accredited_until",
        "contact_email",
    )
    list_filter = (
        "kind",
        ("agency", CollatedRelatedOnlyFieldListFilter),
        ("region", CollatedRelatedOnlyFieldListFilter),
    )
    list_select_related = ("agency", "region")
    collated_choices = ("agency", "region")
    search_fields = (
        "country",
        *get_translation_fields("name"),
        *get_translation_fields("short_name"),
    )
    fieldsets = (
        (None, {"fields": ("kind", "name", "short_name", "country")}),
        (_("Correspondence"), {"fields": ("contact_email", "language", "agency")}),
        (
            _("Public association"),
            {"fields": ("region", "accredited_from", "accredited_until")},
        ),
    )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not scope_of(request.user).is_national:
            # A territorial commission accredits its own region's public associations only.
            form.base_fields["kind"].choices = [(BodyKind.ASSOCIATION, BodyKind.ASSOCIATION.label)]
            form.base_fields["region"].required = True
        return form

    def service_create(self, request, obj, form):
        fields = {
            field.name: getattr(obj, field.name)
            for field in obj._meta.concrete_fields
            if field.name not in ("id", "kind")
        }
        return services.nominating_body_create(actor=request.user, kind=obj.kind, **fields)

    def service_update(self, request, obj, form):
        return services.nominating_body_update(
            actor=request.user, body=obj, **self.changed_values(obj, form)
        )


# OBSERVERS


class ObserverAdminMixin:
    """What the observer and batch pages share: the badge job and its redirect."""

    def has_accredit_permission(self, request):
        return request.user.has_perm(ACCREDIT_PERMISSION)

    def _submit_badges(self, request, *, election, body=None, batch=None, observer=None):
        try:
            job = services.badge_job_submit(
                actor=request.user, election=election, body=body, batch=batch, observer=observer
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in refusal_messages(exc):
                self.message_user(request, message, messages.ERROR)
            return None
        return job

    def _job_redirect(self, request, jobs):
        jobs = [job for job in jobs if job is not None]
        if not jobs:
            return None
        for job in jobs:
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Badges are being made:"),
                    reverse("admin:core_job_change", args=[job.pk]),
                    job,
                ),
            )
        if len(jobs) == 1:
            return HttpResponseRedirect(reverse("admin:core_job_change", args=[jobs[0].pk]))
        return HttpResponseRedirect(reverse("admin:core_job_changelist"))


@admin.register(Observer)
class ObserverAdmin(ObserverAdminMixin, AuditedModelAdmin):
    # The key columns first, so that the status shows on a laptop without scrolling sideways.
    list_display = (
        "number_shown",
        "name_shown",
        "status",
        "body",
        "citizenship",
        "decision_date",
        "batch_link",
    )
    list_display_links = ("number_shown", "name_shown")
    list_filter = (
        "election",
        "status",
        "body__kind",
        ("body", CollatedRelatedOnlyFieldListFilter),
        "decision_date",
    )
    collated_choices = ("body",)
    list_select_related = ("election", "body", "batch")
    search_fields = (
        "last_name_latin",
        "first_name_latin",
        "last_name_cyrillic",
        "first_name_cyrillic",
    )
    search_help_text = _("Name (Latin or Cyrillic), accreditation number or passport number.")
    date_hierarchy = "submitted_at"
    actions = ["accredit", "refuse", "revoke", "make_badges"]
    change_list_template = "admin/observers/observer/change_list.html"
    decision_fields = (
        "status",
        "number_shown",
        "decided_at",
        "decision_date",
        "valid_until",
        "refusal_reason",
        "revoked_at",
        "revocation_reason",
    )
    person_fields = services.PERSON_FIELDS

    # Lists

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("election", "body", "batch")

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if not term:
            return results, may_have_duplicates
        extra = Q()
        number = NUMBER_SEARCH.match(term)
        if number:
            extra |= Q(number=int(number.group(1)))
        document = normalize_identifier(term)
        if document:
            extra |= Q(document_number=document)
        if extra:
            results = results | queryset.filter(extra)
        return results, may_have_duplicates

    @admin.display(description=_("accreditation number"), ordering="number")
    def number_shown(self, obj):
        return obj.number_display or "—"

    @admin.display(description=_("name"), ordering="last_name_latin")
    def name_shown(self, obj):
        """The Latin name, and the Cyrillic one under it as the badge prints both."""
        return format_html(
            '{}<br><span class="quiet">{}</span>', obj.full_name_latin, obj.full_name_cyrillic
        )

    @admin.display(description=_("batch"), ordering="batch")
    def batch_link(self, obj):
        if obj.batch_id is None:
            return "—"
        label = obj.batch.reference or _("No. {id}").format(id=obj.batch_id)
        url = reverse("admin:observers_nominationbatch_change", args=[obj.batch_id])
        return format_html('<a href="{}">{}</a>', url, label)

    # The observer's page

    def _correctable(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.status == ObserverStatus.SUBMITTED
            and self.has_change_permission(request, obj)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ObserverAddForm
        elif self._correctable(request, obj):
            kwargs["form"] = ObserverCorrectionForm
        else:
            kwargs["form"] = ObserverPhotoForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (
                (None, {"fields": ("election", "body")}),
                (_("Nominee"), {"fields": (*self.person_fields, "new_photo")}),
            )
        photo = (
            ("photo_shown", "new_photo")
            if self.has_change_permission(request, obj)
            else ("photo_shown",)
        )
        return (
            (None, {"fields": ("election", "body", "batch", "submitted_at")}),
            (_("Nominee (personal data)"), {"fields": (*self.person_fields, *photo)}),
            (_("Decision"), {"fields": self.decision_fields}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        person = () if self._correctable(request, obj) else self.person_fields
        return (
            "election",
            "body",
            "batch",
            "submitted_at",
            *person,
            "photo_shown",
            *self.decision_fields,
        )

    @admin.display(description=_("photo"))
    def photo_shown(self, obj):
        if not obj.photo:
            return _("No photo")
        url = reverse("admin:observers_observer_photo", args=[obj.pk])
        return format_html('<img src="{}" alt="" width="150">', url)

    service_error_fields = {"photo": "new_photo"}

    def service_create(self, request, obj, form):
        return services.observer_nominate(
            actor=request.user,
            source=BatchSource.DESK,
            election=form.cleaned_data["election"],
            body=form.cleaned_data["body"],
            photo=form.cleaned_data.get("new_photo"),
            **{name: form.cleaned_data[name] for name in services.PERSON_FIELDS},
        )

    def service_update(self, request, obj, form):
        """A correction of the nominee's details (while awaiting the decision), then the photo."""
        corrections = {
            name: form.cleaned_data[name]
            for name in services.PERSON_FIELDS
            if name in form.fields and name in form.changed_data
        }
        if corrections:
            obj = services.observer_correct(actor=request.user, observer=obj, **corrections)
        upload = form.cleaned_data.get("new_photo")
        if upload:
            obj = services.observer_photo_set(actor=request.user, observer=obj, upload=upload)
        return obj

    def save_related(self, request, form, formsets, change):
        """An observer has no many-to-many fields or inlines to save."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        observer = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and observer is not None:
            log_access(observer)  # the document number and date of birth were shown
        return response

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name=f"{prefix}_upload",
            ),
            path(
                "upload/template.csv",
                self.admin_site.admin_view(self.upload_template_view),
                name=f"{prefix}_upload_template",
            ),
            path(
                "<path:object_id>/photo/",
                self.admin_site.admin_view(self.photo_view),
                name=f"{prefix}_photo",
            ),
            path(
                "<path:object_id>/decide/<str:action>/",
                self.admin_site.admin_view(self.decide_view),
                name=f"{prefix}_decide",
            ),
            *super().get_urls(),
        ]

    def photo_view(self, request, object_id):
        """The photo, read from private storage for staff whose scope covers the observer."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        observer = self.get_object(request, object_id)  # 404 outside the user's scope
        if not observer.photo:
            return HttpResponse(status=404)
        with observer.photo.open("rb") as photo:
            content = photo.read()
        log_access(observer)
        response = HttpResponse(content, content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        response["Content-Disposition"] = "inline"
        return response

    def decide_view(self, request, object_id, action):
        """The Accredit, Refuse, Revoke and Badge buttons of one observer's page: the list's
        actions on that one observer (the same confirmation or reason page, the same services),
        then back to the observer's page."""
        decisions = {
            "accredit": self.accredit,
            "refuse": self.refuse,
            "revoke": self.revoke,
            "badge": self.make_badge,
        }
        if action not in decisions or not self.has_accredit_permission(request):
            raise PermissionDenied
        observer = self.get_object(request, object_id)  # None outside the user's scope
        if observer is None:
            raise Http404
        queryset = self.get_queryset(request).filter(pk=observer.pk)
        response = decisions[action](request, queryset)
        if response is None:  # decided (or refused with a message): back to the observer
            return HttpResponseRedirect(
                reverse("admin:observers_observer_change", args=[observer.pk])
            )
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_accredit_permission(request):
            context["decisions"] = self.decisions_for(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def decisions_for(observer) -> list[tuple[str, str]]:
        """The buttons an observer's page offers: (action, label), by its status."""
        if observer.status == ObserverStatus.SUBMITTED:
            return [("accredit", _("Accredit")), ("refuse", _("Refuse…"))]
        if observer.status == ObserverStatus.ACCREDITED:
            return [("badge", _("Badge")), ("revoke", _("Revoke…"))]
        return []

    # Actions (shown only to users with the accredit permission)

    @admin.action(description=_("Accredit the selected observers…"), permissions=["accredit"])
    def accredit(self, request, queryset):
        """Asks for confirmation (how many, who), then accredits all of them or none."""
        observers = list(queryset)
        if "apply" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": _("Accredit observers"),
                "opts": self.opts,
                "form": None,
                **self._confirmation(observers),
                "action": "accredit",
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "media": self.media,
            }
            return TemplateResponse(
                request, "admin/observers/observer/decision_reason.html", context
            )
        try:
            granted = services.observers_accredit(actor=request.user, observers=observers)
        except (ValidationError, PermissionDenied) as exc:
            for message in refusal_messages(exc):
                self.message_user(request, message, messages.ERROR)
            self.message_user(request, _("No observer was accredited."), messages.WARNING)
            return None
        self.message_user(
            request,
            ngettext(
                "{count} observer accredited.", "{count} observers accredited.", len(granted)
            ).format(count=len(granted)),
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Refuse the selected nominations…"), permissions=["accredit"])
    def refuse(self, request, queryset):
        return self._decide_with_reason(
            request,
            queryset,
            action="refuse",
            service=services.observer_refuse,
            title=_("Refuse accreditation"),
            done=lambda n: ngettext(
                "{count} nomination refused.", "{count} nominations refused.", n
            ).format(count=n),
        )

    @admin.action(description=_("Revoke the selected accreditations…"), permissions=["accredit"])
    def revoke(self, request, queryset):
        return self._decide_with_reason(
            request,
            queryset,
            action="revoke",
            service=services.observer_revoke,
            title=_("Revoke accreditation"),
            done=lambda n: ngettext(
                "{count} accreditation revoked.", "{count} accreditations revoked.", n
            ).format(count=n),
        )

    @staticmethod
    def _confirmation(observers) -> dict:
        """A decision's confirmation page tells the selected people apart: each with the date
        of birth, the masked document number (`imports.masked`) and the batch (the reads are
        logged). `namesakes`: the names given more than once with one date of birth, a warning
        (the same person nominated twice under two numbers, or two people)."""
        people: dict[tuple, list] = {}
        for observer in observers:
            observer.document_masked = imports.masked(observer.document_number)
            key = (
                observer.last_name_latin.casefold(),
                observer.first_name_latin.casefold(),
                observer.date_of_birth,
            )
            people.setdefault(key, []).append(observer)
            log_access(observer)
        namesakes = [
            _("{name}, born {day}: {count} of the selected").format(
                name=same[0].full_name_latin,
                day=f"{same[0].date_of_birth:%d.%m.%Y}",
                count=len(same),
            )
            for same in people.values()
            if len(same) > 1
        ]
        return {"observers": observers, "namesakes": namesakes}

    def _decide_with_reason(self, request, queryset, *, action, service, title, done):
        """Ask for the reason on an intermediate page, then decide on every selected observer
        in one transaction: any refusal by the service leaves all of them as they were."""
        observers = list(queryset)
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            errors = []
            with transaction.atomic():
                for observer in observers:
                    try:
                        service(
                            actor=request.user,
                            observer=observer,
                            reason=form.cleaned_data["reason"],
                        )
                    except (ValidationError, PermissionDenied) as exc:
                        errors += [
                            _("{name}: {message}").format(name=observer, message=message)
                            for message in refusal_messages(exc)
                        ]
                if errors:
                    transaction.set_rollback(True)
            if errors:
                for message in errors:
                    self.message_user(request, message, messages.ERROR)
                self.message_user(request, _("Nothing was changed."), messages.WARNING)
            else:
                self.message_user(request, done(len(observers)), messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            **self._confirmation(observers),
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/observers/observer/decision_reason.html", context)

    @admin.action(
        description=_("Make badges of the selected observers' nominating bodies"),
        permissions=["accredit"],
    )
    def make_badges(self, request, queryset):
        groups = sorted(set(queryset.values_list("election_id", "body_id")))
        elections = {election for election, _body in groups}
        if len(elections) > 1:
            self.message_user(request, _("Select the observers of one election."), messages.ERROR)
            return None
        bodies = NominatingBody.objects.in_bulk([body for _election, body in groups])
        election = queryset.first().election if groups else None
        jobs = [
            self._submit_badges(request, election=election, body=bodies[body_id])
            for _election_id, body_id in groups
        ]
        return self._job_redirect(request, jobs)

    def make_badge(self, request, queryset):
        """The observer page's Badge button: that one observer's badge, not the whole body's,
        made once asked on the confirmation page (opening the button's address makes nothing)."""
        observer = queryset.select_related("election", "body").get()
        if "apply" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": _("Make the badge"),
                "opts": self.opts,
                "form": None,
                **self._confirmation([observer]),
                "action": "badge",
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "media": self.media,
            }
            return TemplateResponse(
                request, "admin/observers/observer/decision_reason.html", context
            )
        job = self._submit_badges(
            request, election=observer.election, body=observer.body, observer=observer
        )
        return self._job_redirect(request, [job])

    # Uploading a spreadsheet: "Upload and check" previews it (nothing saved; the file kept
    # server-side, imports.upload_keep), "Save" submits the kept file as previewed.

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._upload_save(request)
        form = NominationUploadForm(request.POST or None, request.FILES or None, user=request.user)
        errors: list[imports.RowError] = []
        if request.method == "POST" and form.is_valid():
            election, body = form.cleaned_data["election"], form.cleaned_data["body"]
            reference = form.cleaned_data["reference"] or imports.generated_reference()
            try:
                preview = imports.nominations_preview(
                    actor=request.user,
                    election=election,
                    body=body,
                    nominations=form.cleaned_data["file"],  # read and parsed by the form
                    reference=reference,
                )
            except imports.ImportInvalid as exc:
                errors = exc.errors
            else:
                if preview.same_file is not None:
                    batch = preview.same_file
                    url = reverse("admin:observers_nominationbatch_change", args=[batch.pk])
                    message = format_html(
                        '{} <a href="{}">{}</a>',
                        _(
                            "This file was already saved as batch {id}; nothing new was saved."
                        ).format(id=batch.pk),
                        url,
                        _("Open batch {id}").format(id=batch.pk),
                    )
                    self.message_user(request, message, messages.WARNING)
                    return HttpResponseRedirect(reverse("admin:observers_observer_upload"))
                if preview.existing is not None:
                    return self._batch_redirect(request, preview.existing, created=False)
                kept = imports.upload_keep(
                    user=request.user,
                    upload=request.FILES["file"],
                    election=election,
                    body=body,
                    reference=reference,
                )
                return self._upload_page(
                    request,
                    preview=preview,
                    kept=kept,
                    election=election,
                    body=body,
                    reference_given=bool(form.cleaned_data["reference"]),
                )
        return self._upload_page(request, form=form, errors=errors)

    def _upload_save(self, request):
        """Save (or cancel) a previewed upload: its kept file is read again and submitted, so
        what is saved is what was previewed, unless the state changed meanwhile (then the
        service's errors are shown and nothing is saved)."""
        confirm = NominationSaveForm(request.POST)
        try:
            if not confirm.is_valid():
                raise imports.UploadNotKept
            kept = imports.upload_kept(user=request.user, **confirm.cleaned_data)
            saved = None
            if kept.batch_id is not None:  # saved already (a second click, the back button)
                saved = NominationBatch.objects.filter(pk=kept.batch_id).first()
                if saved is None:
                    raise imports.UploadNotKept
        except imports.UploadNotKept:
            self.message_user(request, imports.UPLOAD_NOT_KEPT, messages.ERROR)
            return self._upload_page(request, form=NominationUploadForm(user=request.user))
        if saved is not None:
            return self._batch_redirect(request, saved, created=False)
        if "cancel" in request.POST:
            imports.upload_forget(kept)
            self.message_user(request, _("Nothing was saved."), messages.INFO)
            return HttpResponseRedirect(reverse("admin:observers_observer_upload"))
        # One saving of a kept file at a time: a second click waits, then finds the batch
        # saved under the preview's reference (the service returns it, created=False).
        with xact_lock(UPLOAD_SAVES, kept.token):
            form = NominationUploadForm(
                {
                    "election": kept.election_id,
                    "body": kept.body_id,
                    "reference": kept.reference,
                },
                {"file": kept.upload()},
                user=request.user,
            )
            if not form.is_valid():
                imports.upload_forget(kept)
                return self._upload_page(request, form=form)
            try:
                result = imports.nominations_submit(
                    actor=request.user,
                    election=form.cleaned_data["election"],
                    body=form.cleaned_data["body"],
                    nominations=form.cleaned_data["file"],
                    reference=kept.reference,
                )
            except imports.ImportInvalid as exc:
                imports.upload_forget(kept)
                initial = {"election": kept.election_id, "body": kept.body_id}
                if not kept.reference.startswith(imports.GENERATED_REFERENCE.format(code="")):
                    initial["reference"] = kept.reference
                return self._upload_page(
                    request,
                    form=NominationUploadForm(initial=initial, user=request.user),
                    errors=exc.errors,
                )
        imports.upload_saved(kept, result.batch)
        return self._batch_redirect(request, result.batch, created=result.created)

    def _batch_redirect(self, request, batch, *, created: bool):
        if created:
            message = ngettext(
                "{count} nominee saved in one batch.",
                "{count} nominees saved in one batch.",
                batch.size,
            ).format(count=batch.size)
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(
                request,
                _("A batch with this reference was already submitted; nothing new was saved."),
                messages.WARNING,
            )
        return HttpResponseRedirect(
            reverse("admin:observers_nominationbatch_change", args=[batch.pk])
        )

    def _upload_page(self, request, *, form=None, errors=(), preview=None, **preview_context):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Check the nominations before saving")
            if preview
            else _("Upload nominations"),
            "opts": self.opts,
            "form": form,
            "errors": errors,
            "preview": preview,
            **preview_context,
            "columns": imports.COLUMNS,
            "upload_limit_mb": imports.UPLOAD_MAX_BYTES // (1024 * 1024),
            "batch_limit": services.BATCH_LIMIT,
            "preview_minutes": imports.PREVIEW_SECONDS // 60,
            "media": self.media + (form.media if form else forms.Media()),
        }
        return TemplateResponse(request, "admin/observers/observer/upload.html", context)

    def upload_template_view(self, request):
        """A CSV with the header row and one example row, to fill in."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        example = [TEMPLATE_EXAMPLE[column] for column in imports.COLUMNS]
        return csv_response([example], filename="nominations.csv", header=imports.COLUMNS)


# BATCHES


class BatchObserverInline(ReadOnlyTabularInline):
    model = Observer
    fields = (
        "number",
        "last_name_latin",
        "first_name_latin",
        "last_name_cyrillic",
        "first_name_cyrillic",
        "citizenship",
        "status",
        "decision_date",
    )
    ordering = ("pk",)


@admin.register(NominationBatch)
class NominationBatchAdmin(ObserverAdminMixin, AuditedModelAdmin):
    list_display = (
        "id",
        "body",
        "election",
        "size",
        "source_shown",
        "reference",
        "submitted_at",
        "submitted_by",
    )
    list_filter = ("election", "source", ("body", CollatedRelatedOnlyFieldListFilter))
    collated_choices = ("body",)
    list_select_related = ("body", "election", "submitted_by")
    list_display_links = ("id", "body")
    search_fields = ("reference",)
    date_hierarchy = "submitted_at"
    fields = list_display[1:]
    readonly_fields = fields
    inlines = [BatchObserverInline]
    actions = ["make_badges"]

    def has_add_permission(self, request):
        return False  # batches are submitted through the API or an upload

    def has_change_permission(self, request, obj=None):
        return False  # a batch is a record of what was sent

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("source"), ordering="source")
    def source_shown(self, obj):
        return BatchSource(obj.source).label if obj.source in BatchSource.values else obj.source

    @admin.action(description=_("Make badges for the selected batches"), permissions=["accredit"])
    def make_badges(self, request, queryset):
        jobs = [
            self._submit_badges(request, election=batch.election, batch=batch) for batch in queryset
        ]
        return self._job_redirect(request, jobs)
