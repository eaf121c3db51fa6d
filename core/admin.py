from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from . import services
from .api.jobs import job_file_response
from .choices import JobStatus
from .models import Agency, ApiToken, Job, Notification, User
from .scoping import CHANGE, DELETE, ScopedModel, can

NOT_IN_SCOPE = _("There is no such object among those you work on.")


class RestrictedAdminMixin:
    """The admin's share of row scope: lists, objects and foreign-key choices go through
    `restrict(user, action)`, like the web views and the API.

    The admin is staff's workplace, so it lists each model's work scope (see
    `ScopedModel.work_action`): a territorial staff member sees their region's stations, not the
    whole country's that the public pages show. A row outside it answers 404.
    """

    show_auditlog_history_link = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if issubclass(self.model, ScopedModel):
            queryset = queryset.restrict(request.user, self.model.work_action())
        return queryset

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(NOT_IN_SCOPE)
        return obj

    def _in_scope(self, request, obj, action):
        return obj is None or not isinstance(obj, ScopedModel) or can(request.user, action, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj, CHANGE)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj, DELETE)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if "queryset" not in kwargs and issubclass(related, ScopedModel):
            kwargs["queryset"] = related._default_manager.restrict(
                request.user, related.work_action()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AuditedModelAdmin(RestrictedAdminMixin, AuditlogHistoryAdminMixin, admin.ModelAdmin):
    """Base admin of every domain model: scoped, with its audit history one click away."""


class AuditedTranslationAdmin(RestrictedAdminMixin, AuditlogHistoryAdminMixin, TranslationAdmin):
    """The same for models with translated fields (one input per language)."""


@admin.register(User)
class UserAdmin(AuditlogHistoryAdminMixin, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_superuser", "is_active")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Saylau"), {"fields": ("role", "preferred_language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Saylau"), {"fields": ("role", "preferred_language")}),
    )


class ReadOnlyTabularInline(admin.TabularInline):
    """Rows listed on their parent's page; each is added and changed on its own page (through
    its service), never here. Subclasses set `model` and `fields`."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class ApiTokenInline(ReadOnlyTabularInline):
    model = ApiToken
    fields = ("name", "prefix", "scopes", "created_at", "expires_at", "revoked_at", "last_used_at")


@admin.register(Agency)
class AgencyAdmin(AuditedTranslationAdmin):
    list_display = ("name", "kind", "contact_email")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [ApiTokenInline]

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj else ()

    def get_exclude(self, request, obj=None):
        return () if obj else ("user",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.user = services.agency_account_create(name=obj.name)
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ("agency", "name", "prefix", "created_at", "expires_at", "revoked_at")
    list_filter = ("agency",)
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("agency", "name", "scopes", "expires_at", *readonly_fields)
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = services.api_token_create(
            agency=obj.agency, name=obj.name, scopes=obj.scopes, expires_at=obj.expires_at
        )
        obj.pk = token.pk
        obj._state.adding = False
        messages.warning(
            request,
            _("The key of {name} is {key}. Copy it now: it is not shown again.").format(
                name=token.name, key=key
            ),
        )

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "subject", "status", "attempts", "created_at", "delivered_at")
    list_filter = ("status", "channel")
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed notifications again"))
    def retry(self, request, queryset):
        queued = services.notification_retry(
            notification_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext("{n} notification queued.", "{n} notifications queued.", queued).format(
                n=queued
            ),
        )


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Long jobs (badge PDFs, imports) with their progress; read-only. Staff see the jobs they
    started, the CEC every job; a finished job's file is downloaded from here."""

    list_display = (
        "title",
        "kind",
        "status",
        "progress_bar",
        "created_by",
        "created_at",
        "finished_at",
        "download_link",
    )
    list_filter = ("status", "kind")
    search_fields = ("title",)
    list_select_related = ("created_by",)
    fields = (
        "title",
        "kind",
        "status",
        "progress_bar",
        "done",
        "total",
        "error",
        "attempts",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "download_link",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("progress"))
    def progress_bar(self, obj):
        return format_html(
            '<progress value="{}" max="100"></progress> {}&nbsp;%', obj.progress, obj.progress
        )

    @admin.display(description=_("result"))
    def download_link(self, obj):
        if obj.status != JobStatus.DONE or not obj.result:
            return "-"
        url = reverse("admin:core_job_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        download = path(
            "<int:job_id>/download/",
            self.admin_site.admin_view(self.download_view),
            name="core_job_download",
        )
        return [download, *super().get_urls()]

    def download_view(self, request, job_id):
        """A finished job's file, to a user who may see the job (else 404: no such job)."""
        if not self.has_view_permission(request):
            raise Http404(NOT_IN_SCOPE)
        job = get_object_or_404(self.get_queryset(request), pk=job_id, status=JobStatus.DONE)
        if not job.result:
            raise Http404(_("This job made no file."))
        return job_file_response(job)
