"""The territories' admin: localities, streets (with their former names), territory rules, the
import of a territorial commission's file and the report of a locality's unserved addresses.
Every write goes through `polling.services`; the import is a job of the core's
(`polling.territory_imports.territories_import_job_submit`), its progress and per-row report on
the job's page."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_translation_fields

from core.admin import (
    AuditedModelAdmin,
    AuditedTranslationAdmin,
    CapitalisedLabels,
    ReadOnlyTabularInline,
)
from core.collation import CollatedRelatedOnlyFieldListFilter
from core.spreadsheets import SpreadsheetError, read_spreadsheet

from . import services, territory_imports
from .admin_forms import UPLOAD_TOO_LARGE, territorial_commissions
from .models import Locality, Street, StreetName, TerritoryRule
from .selectors import unserved_addresses

IMPORT_STARTED = _("The territories are being imported.")


@admin.register(Locality)
class LocalityAdmin(AuditedTranslationAdmin):
    list_display = ("name", "kind", "region", "parent")
    list_filter = (("region", CollatedRelatedOnlyFieldListFilter), "kind")
    list_select_related = ("region", "parent")
    search_fields = get_translation_fields("name")
    autocomplete_fields = ("region", "parent")
    fields = ("region", "kind", "name", "parent")

    def service_create(self, request, obj, form):
        return services.locality_create(actor=request.user, locality=obj)

    def get_urls(self):
        return [
            path(
                "<int:locality_id>/unserved/",
                self.admin_site.admin_view(self.unserved_view),
                name="polling_locality_unserved",
            ),
            *super().get_urls(),
        ]

    def unserved_view(self, request, locality_id):
        """The locality's streets, sides and stretches no station serves."""
        rows = Locality.objects.restrict(request.user, Locality.work_action())
        locality = get_object_or_404(rows, pk=locality_id)
        if not self.has_view_permission(request, locality):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Addresses of {locality} no station serves").format(locality=locality),
            "locality": locality,
            "report": unserved_addresses(locality),
        }
        return TemplateResponse(request, "admin/polling/locality/unserved.html", context)


class StreetNameInline(ReadOnlyTabularInline):
    """A street's names; their search keys are the finder's internals, not shown to staff (the
    admin's search finds a street by any of its names)."""

    model = StreetName
    fields = ("name", "language", "kind")
    show_change_link = False


class StreetForm(forms.ModelForm):
    former_names = forms.CharField(
        label=_("add former names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. ул. Ленина; the language is told by the letters."),
    )

    class Meta:
        model = Street
        fields = ["locality", "name"]


@admin.register(Street)
class StreetAdmin(AuditedTranslationAdmin):
    form = StreetForm
    list_display = ("name", "locality")
    list_select_related = ("locality",)
    list_filter = (("locality__region", CollatedRelatedOnlyFieldListFilter),)
    search_fields = ("names__name", *get_translation_fields("name"))
    autocomplete_fields = ("locality",)
    fields = ("locality", "name", "former_names")
    inlines = (StreetNameInline,)

    @staticmethod
    def _former(form) -> list[str]:
        text = form.cleaned_data.get("former_names") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def service_create(self, request, obj, form):
        return services.street_create(
            actor=request.user, street=obj, former_names=self._former(form)
        )

    def service_update(self, request, obj, form):
        changed = {
            name: value
            for name, value in self.changed_values(obj, form).items()
            if name in services.STREET_UPDATABLE_FIELDS
        }
        if changed:
            services.street_update(actor=request.user, street=obj, **changed)
        for name in self._former(form):
            services.street_name_add(actor=request.user, street=obj, name=name)
        return obj

    def get_readonly_fields(self, request, obj=None):
        return ("locality",) if obj is not None else ()


class TerritoryImportForm(CapitalisedLabels, forms.Form):
    commission = forms.ModelChoiceField(label=_("territorial commission"), queryset=None)
    file = forms.FileField(
        label=_("file"),
        help_text=_("CSV (UTF-8, Windows-1251 or UTF-16; comma, semicolon or tab) or XLSX."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        commissions = territorial_commissions(user)
        self.fields["commission"].queryset = commissions
        if len(commissions) == 1:
            self.fields["commission"].initial = commissions[0].pk

    def clean_file(self):
        """What makes the whole file unusable (its size, type, encoding, header) is said at
        once; its rows are the job's to check."""
        upload = self.cleaned_data["file"]
        limits = territory_imports.LIMITS
        if upload.size > limits.max_bytes:
            raise forms.ValidationError(
                UPLOAD_TOO_LARGE.format(limit=limits.max_bytes // (1024 * 1024))
            )
        try:
            sheet = read_spreadsheet(
                upload, name=upload.name, columns=territory_imports.COLUMNS, limits=limits
            )
            sheet.rows.close()
        except SpreadsheetError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


@admin.register(TerritoryRule)
class TerritoryRuleAdmin(AuditedModelAdmin):
    list_display = ("__str__", "station", "kind", "parity", "locality")
    list_select_related = ("station", "locality", "street")
    list_filter = (("locality__region", CollatedRelatedOnlyFieldListFilter), "kind", "parity")
    search_fields = ("=station__number", "street__names__name", "building")
    autocomplete_fields = ("station", "locality", "street")
    fields = (
        "station",
        "kind",
        "locality",
        "street",
        "parity",
        "number_from",
        "number_to",
        "building",
        "registration_code",
    )
    change_list_template = "admin/polling/territoryrule/change_list.html"

    def service_create(self, request, obj, form):
        return services.territory_rule_create(actor=request.user, rule=obj)

    def service_update(self, request, obj, form):
        changes = {
            name: value
            for name, value in self.changed_values(obj, form).items()
            if name in services.RULE_UPDATABLE_FIELDS
        }
        return services.territory_rule_update(actor=request.user, rule=obj, **changes)

    def delete_model(self, request, obj):
        services.territory_rule_delete(actor=request.user, rule=obj)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            services.territory_rule_delete(actor=request.user, rule=rule)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="polling_territoryrule_import",
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_delete_permission(request)

    def import_view(self, request):
        """Upload a territorial commission's file: a job imports it (all or nothing), and its
        page shows the progress and, for a file with errors, each error's row and column."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = TerritoryImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                job = territory_imports.territories_import_job_submit(
                    actor=request.user,
                    commission=form.cleaned_data["commission"],
                    upload=form.cleaned_data["file"],
                    language=translation.get_language(),
                )
            except (PermissionDenied, ValidationError) as refusal:
                form.add_error(None, getattr(refusal, "messages", None) or str(refusal))
            else:
                self.message_user(request, IMPORT_STARTED, messages.INFO)
                return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import territories"),
            "form": form,
            "media": self.media + form.media,
            "max_rows": territory_imports.LIMITS.max_rows,
            "max_mb": territory_imports.LIMITS.max_bytes // (1024 * 1024),
        }
        return TemplateResponse(request, "admin/polling/territoryrule/import.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)
