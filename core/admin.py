"""The admin's shared pieces: row scope (`RestrictedAdminMixin`), one write path through the
services (`ServiceAdminMixin`), audit history, and the core's own models."""

from auditlog.mixins import AuditlogHistoryAdminMixin
from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.admin import AccessLogAdmin as AxesAccessLogAdmin
from axes.models import AccessAttempt, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin import widgets as admin_widgets
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from . import services
from .api.jobs import job_file_response
from .choices import JobStatus, Role
from .collation import CollatedChoicesAdminMixin
from .jobs import kind_label
from .models import Agency, ApiToken, Job, Notification, User
from .scoping import CHANGE, DELETE, Level, OutOfScope, ScopedModel, can, scope_of

NOT_IN_SCOPE = _("There is no such object among those you work on.")
EMPTY_IN_REGION = _(
    "This list shows only the {items} of your region, and there are none there yet; those of "
    "other regions are their territorial commissions' to manage."
)
EMPTY_IN_PRECINCT = _(
    "This list shows only the {items} of your precinct commission, and there are none yet."
)
EMPTY_IN_SCOPE = _("This list shows only the {items} you work on, and there are none yet.")
JOB_PAGE_REFRESH = 2  # seconds between two reloads of the page of a job under way
SELECTION_INVALID = _("The selection names rows that do not exist: {ids}. Nothing was changed.")
SELECTION_GONE = _(
    "None of the selected rows exists any more among those you work on. Nothing was changed."
)


def is_id(field, value) -> bool:
    """Whether `value` (from a request) is a value `field` (a primary key, or the field a
    foreign key points to) can hold: "abc" is no integer id, and a query with it is a server
    error."""
    if value in field.empty_values:
        return False
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


def _target_field(db_field):
    """The field of the related model whose values a relation's widget shows."""
    remote = db_field.remote_field
    name = getattr(remote, "field_name", None)
    return remote.model._meta.get_field(name) if name else remote.model._meta.pk


class _OnlyIdsMixin:
    """Django's autocomplete widgets, minus the values that are no ids of the related model: a
    pre-filled `?commission=abc` or a refused form's posted "abc" shows an empty choice (and the
    form's error), not a server error."""

    def optgroups(self, name, value, attr=None):
        target = _target_field(self.field)
        return super().optgroups(name, [v for v in value if is_id(target, v)], attr)


class AutocompleteSelect(_OnlyIdsMixin, admin_widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_OnlyIdsMixin, admin_widgets.AutocompleteSelectMultiple):
    pass


class RowIdsAdminMixin:
    """Ids the admin reads from the request that name no row are a message, never a server
    error: an action's selected rows (`_selected_action`), which must be ids of the model and
    name at least one row the user works on, and the rows an autocomplete shows as chosen (from
    the add page's query string or a refused form's POST). Every registered admin has it
    (tests/core/test_errors.py posts each action with such ids)."""

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if selected:
            invalid = [value for value in selected if not is_id(self.model._meta.pk, value)]
            if invalid:
                shown = ", ".join(f"“{value}”" for value in invalid[:5])
                self.message_user(request, SELECTION_INVALID.format(ids=shown), messages.ERROR)
                return None
            select_across = forms.BooleanField(required=False).clean(
                request.POST.get("select_across")
            )
            if not select_across and not queryset.filter(pk__in=selected).exists():
                self.message_user(request, SELECTION_GONE, messages.WARNING)
                return None
        return super().response_action(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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
            raise OutOfScope(NOT_IN_SCOPE)
        return obj

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if request.method == "GET" and changelist is not None:
            note = self.empty_scope_note(request, changelist)
            if note:  # the page renders after this: the note shows on it
                self.message_user(request, note, messages.INFO)
        return response

    def empty_scope_note(self, request, changelist) -> str | None:
        """Why a staff member's unfiltered list is empty when the model has rows: they are all
        outside the user's scope (another region's, another commission's)."""
        if changelist.full_result_count or request.GET:
            return None
        if not issubclass(self.model, ScopedModel) or scope_of(request.user).is_national:
            return None
        if not self.model._default_manager.exists():
            return None
        message = {
            Level.REGION: EMPTY_IN_REGION,
            Level.PRECINCT: EMPTY_IN_PRECINCT,
        }.get(scope_of(request.user).level, EMPTY_IN_SCOPE)
        return message.format(items=self.opts.verbose_name_plural)

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


class ServiceRefused(Exception):
    """A service refused an admin's save; carries its ValidationError or PermissionDenied."""

    def __init__(self, error: ValidationError | PermissionDenied):
        super().__init__(str(error))
        self.error = error


class ServiceAdminMixin:
    """Every add and change in the admin goes through the app's service, like the web forms, the
    API and the commands: the admin's form only parses the input.

    `save_model` calls `service_create(request, obj, form)` or `service_update(request, obj,
    form)`, which call the service with `actor=request.user` and return the saved object. By
    default they call the core's reference-data services (`core.services.reference_create`,
    `reference_update`), which is right for a model with no rules of its own; an admin of a
    model that has a service overrides them.

    A ValidationError from the service shows on the form (on the field it names, if the form
    has it, else above the form); so does a PermissionDenied (the service's refusal, e.g. a row
    outside the user's scope), and nothing is saved: the page is rendered again with the
    errors, never a server error. `service_error_fields` renames a model field to the form's
    (e.g. {"photo": "new_photo"}).
    """

    service_error_fields: dict[str, str] = {}

    def service_create(self, request, obj, form):
        return services.reference_create(actor=request.user, instance=obj)

    def service_update(self, request, obj, form):
        services.reference_update(
            actor=request.user, instance=obj, data=self.changed_values(obj, form)
        )
        return obj

    @staticmethod
    def changed_values(obj, form) -> dict:
        """The model fields the form changed, with their parsed values."""
        names = {f.name for f in obj._meta.concrete_fields}
        return {name: form.cleaned_data[name] for name in form.changed_data if name in names}

    def save_model(self, request, obj, form, change):
        try:
            if change:
                saved = self.service_update(request, obj, form)
            else:
                saved = self.service_create(request, obj, form)
        except (ValidationError, PermissionDenied) as exc:
            raise ServiceRefused(exc) from exc
        if saved is not None and saved is not obj:
            obj.pk = saved.pk
            obj._state.adding = False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """On a refusal the transaction is rolled back and the page rendered again, its form
        validated once more with the service's errors added (see `get_form`)."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            if getattr(request, "_service_refusal", None) is not None:
                # The errors did not reach the form (a field it does not show): refuse with
                # them as a 403, never a server error.
                raise PermissionDenied(" ".join(refusal_messages(refused.error))) from None
            request._service_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ServiceRefused as refused:  # a list-editable row the service refused
            for message in refusal_messages(refused.error):
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, *args, **kwargs):
        form = super().get_form(request, obj, *args, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form
        admin = self

        class RefusedForm(form):
            def _post_clean(self):
                super()._post_clean()
                admin.add_service_errors(self, refusal)

        RefusedForm.__name__ = form.__name__
        return RefusedForm

    def add_service_errors(self, form, error) -> None:
        """Put a service's refusal on the form: each field's messages on that field (if the
        form shows it), the rest above the form."""
        if isinstance(error, PermissionDenied):
            targets = [(None, refusal_messages(error))]
        elif not hasattr(error, "error_dict"):
            targets = [(None, error.messages)]
        else:
            targets = []
            for field, errors in error.error_dict.items():
                target = self.service_error_fields.get(field, field)
                if target == NON_FIELD_ERRORS or target not in form.fields:
                    target = None
                targets.append((target, ValidationError(errors).messages))
        for target, messages_ in targets:
            # The form's own validation may already say it (a race the service lost: the row
            # that won now fails the form's unique check too): say it once.
            shown = set(form.errors.get(target or NON_FIELD_ERRORS, ()))
            new = [message for message in messages_ if str(message) not in shown]
            if new:
                form.add_error(target, new)


def refusal_messages(error) -> list[str]:
    """A service's refusal as messages to show: a ValidationError's, or a PermissionDenied's
    own (or a plain "you may not")."""
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [str(error) or str(_("You may not do this."))]


class AuditedModelAdmin(
    RowIdsAdminMixin,
    CollatedChoicesAdminMixin,
    ServiceAdminMixin,
    RestrictedAdminMixin,
    AuditlogHistoryAdminMixin,
    admin.ModelAdmin,
):
    """Base admin of every domain model: scoped, saved through services, with its audit history
    one click away."""


class AuditedTranslationAdmin(
    RowIdsAdminMixin,
    CollatedChoicesAdminMixin,
    ServiceAdminMixin,
    RestrictedAdminMixin,
    AuditlogHistoryAdminMixin,
    TranslationAdmin,
):
    """The same for models with translated fields (one input per language)."""


@admin.register(User)
class UserAdmin(RowIdsAdminMixin, ServiceAdminMixin, AuditlogHistoryAdminMixin, DjangoUserAdmin):
    """Accounts, saved through the core's generic service (the forms set the password hash)."""

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


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(RowIdsAdminMixin, DjangoGroupAdmin):
    """Django's, with the admin's handling of ids that name no row."""


class CapitalisedLabels:
    """Labels as the admin shows its model fields' (`capfirst` of the verbose name): a form's
    own fields are named in lower case like verbose names and capitalised here, in every
    language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)


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

    def service_create(self, request, obj, form):
        translations = {
            name: value
            for name, value in self.changed_values(obj, form).items()
            if name not in ("name", "kind", "contact_email")
        }
        return services.agency_create(
            actor=request.user,
            name=obj.name,
            kind=obj.kind,
            contact_email=obj.contact_email,
            **translations,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ("agency", "name", "prefix", "created_at", "expires_at", "revoked_at")
    list_filter = ("agency",)
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("agency", "name", "scopes", "expires_at", *readonly_fields)
    actions = ["revoke"]

    def service_create(self, request, obj, form):
        token, key = services.api_token_create(
            actor=request.user,
            agency=obj.agency,
            name=obj.name,
            scopes=obj.scopes,
            expires_at=obj.expires_at,
        )
        messages.warning(
            request,
            _("The key of {name} is {key}. Copy it now: it is not shown again.").format(
                name=token.name, key=key
            ),
        )
        return token

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(actor=request.user, token=token)


@admin.register(Notification)
class NotificationAdmin(RowIdsAdminMixin, admin.ModelAdmin):
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


class JobKindFilter(admin.SimpleListFilter):
    """The kinds of the jobs listed, by the names people read (core.jobs.kind_label)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = model_admin.get_queryset(request).order_by("kind").values_list("kind", flat=True)
        return sorted(
            ((kind, kind_label(kind)) for kind in kinds.distinct()), key=lambda k: str(k[1])
        )

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Job)
class JobAdmin(RowIdsAdminMixin, RestrictedAdminMixin, admin.ModelAdmin):
    """Long jobs (badge PDFs, imports) with their progress; read-only. Staff see the jobs they
    started, the CEC every job; a finished job's file is downloaded from here."""

    list_display = (
        "title_shown",
        "kind_shown",
        "status",
        "progress_bar",
        "download_link",
        "created_by",
        "created_at",
        "finished_at",
    )
    list_display_links = ("title_shown",)
    list_filter = ("status", JobKindFilter)
    search_fields = ("title", "titles")  # as submitted, or in any language
    list_select_related = ("created_by",)
    change_form_template = "admin/core/job/change_form.html"

    class Media:
        css = {"all": ["css/admin-jobs.css"]}

    fields = (
        "title_shown",
        "kind_shown",
        "status",
        "progress_bar",
        "done",
        "total",
        "error_message",
        "attempts",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "download_link",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("title"), ordering="title")
    def title_shown(self, obj):
        """The title in the viewer's language (Job.display_title)."""
        return format_html('<span class="job-title">{}</span>', obj.display_title)

    @admin.display(description=_("kind"), ordering="kind")
    def kind_shown(self, obj):
        return kind_label(obj.kind)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A job still under way: its page reloads itself until the job ends (progress, then
        # the download link), every JOB_PAGE_REFRESH seconds.
        if obj is not None and obj.status in (JobStatus.QUEUED, JobStatus.RUNNING):
            context["refresh_seconds"] = JOB_PAGE_REFRESH
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("progress"))
    def progress_bar(self, obj):
        return format_html(
            '<progress value="{}" max="100"></progress> {}&nbsp;%', obj.progress, obj.progress
        )

    @admin.display(description=_("error"))
    def error_message(self, obj):
        # An import's per-row report is one line per error.
        return linebreaksbr(obj.error_message) if obj.error_message else "-"

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
            raise OutOfScope(NOT_IN_SCOPE)
        job = self.get_queryset(request).filter(pk=job_id, status=JobStatus.DONE).first()
        if job is None:
            raise OutOfScope(NOT_IN_SCOPE)
        if not job.result:
            raise Http404(_("This job made no file."))
        return job_file_response(job)


class SignInRecordsAdminMixin:
    """django-axes' records of sign-ins (settings' AUTH section). They hold addresses, personal
    data: only superusers and CEC staff see them, whatever permission a group grants anyone
    else, and nobody adds or edits them. Deleting a failed attempt lifts its lock-out."""

    @staticmethod
    def may_see(request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.role == Role.CEC_STAFF)

    def has_module_permission(self, request):
        return self.may_see(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.may_see(request) and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.may_see(request) and super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessAttempt)
class AccessAttemptAdmin(RowIdsAdminMixin, SignInRecordsAdminMixin, AxesAccessAttemptAdmin):
    """Failed sign-ins per account, address and browser: CEC staff may lift a lock-out."""


@admin.register(AccessLog)
class AccessLogAdmin(RowIdsAdminMixin, SignInRecordsAdminMixin, AxesAccessLogAdmin):
    """Successful sign-ins and sign-outs: the superuser's, a record nobody deletes here (old
    entries go with `manage.py axes_reset_logs --age <days>`)."""

    def has_delete_permission(self, request, obj=None):
        return False


# django-auditlog's LogEntry: the project's own admin in place of the library's (every word
# translatable). Imported last: it builds on the mixins above.
from . import admin_audit  # noqa: E402, F401
