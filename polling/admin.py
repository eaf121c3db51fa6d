"""Polling stations and voting hours decisions in the admin, saved through `polling.services`.

A station is opened with `polling_station_create`; once it exists only what
`polling_station_update` lets change is offered (its number, place and commission are fixed).
A voting hours decision is drafted and changed on its page, adopted and published by the list's
actions; an adopted or published one is shown read-only, and a published one is replaced by a
new decision that supersedes it ("Supersede" on its page opens the add page filled in). An
adopted decision never published is withdrawn from its page ("Withdraw…" asks the reason)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.utils import get_translation_fields

from core.admin import AuditedTranslationAdmin, refusal_messages
from core.collation import CollatedRelatedOnlyFieldListFilter
from core.csv import csv_response
from core.scoping import CHANGE, OutOfScope
from core.xlsx import xlsx_response

from . import imports, services
from .admin_forms import (
    DecisionWithdrawalForm,
    StationExportForm,
    StationImportForm,
    territorial_commissions,
)
from .choices import DecisionStatus
from .models import PollingStation, VotingHoursDecision

SUPERSEDED_ALREADY = _(
    "Decision No. {number} is already superseded by decision No. {successor}: supersede the "
    "decision in force instead."
)
NOT_SUPERSEDABLE_HERE = _(
    "Decision No. {number} cannot be superseded: only a published decision can be; this one is "
    "{status}."
)


@admin.register(PollingStation)
class PollingStationAdmin(AuditedTranslationAdmin):
    list_display = (
        "number",
        "name",
        "region",
        "country",
        "zone",
        "precinct_commission",
        "egov_check_available",
        "temporary_registration_allowed",
        "special_kind",
    )
    list_display_links = ("number", "name")
    list_filter = (
        ("region", CollatedRelatedOnlyFieldListFilter),
        "is_abroad",
        "step_free_entrance",
        "egov_check_available",
        "temporary_registration_allowed",
        "special_kind",
    )
    list_select_related = ("region", "precinct_commission")
    search_fields = (
        "=number",
        *get_translation_fields("name"),
        *get_translation_fields("address"),
    )
    autocomplete_fields = ("region", "precinct_commission")
    fieldsets = (
        (None, {"fields": ("number", "name", "address", "precinct_commission")}),
        (_("Place and time zone"), {"fields": ("is_abroad", "region", "country", "timezone")}),
        (_("Contact and map"), {"fields": ("phone", "latitude", "longitude")}),
        (
            _("Accessibility"),
            {"fields": ("step_free_entrance", "has_ramp", "accessible_booth")},
        ),
        (
            _("Voting day"),
            {
                "fields": (
                    "egov_check_available",
                    "temporary_registration_allowed",
                    "special_kind",
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        shown = [name for _title, options in self.fieldsets for name in options["fields"]]
        return tuple(name for name in shown if name not in services.UPDATABLE_FIELDS)

    def service_create(self, request, obj, form):
        return services.polling_station_create(actor=request.user, station=obj)

    def service_update(self, request, obj, form):
        return services.polling_station_update(
            actor=request.user, station=obj, **self.changed_values(obj, form)
        )

    @admin.display(description=_("time zone"))
    def zone(self, obj):
        """The zone voting hours are kept in: the station's own, else its region's."""
        return obj.timezone_name

    # Import and export of a territorial commission's stations (`polling.imports`): the
    # import is a job (its progress and per-row report on the job's page); the export a
    # CSV or XLSX download with the import's columns.

    change_list_template = "admin/polling/pollingstation/change_list.html"
    actions = ["export_csv", "export_xlsx"]

    def get_urls(self):
        prefix = "polling_pollingstation"
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{prefix}_import",
            ),
            path(
                "export/<int:commission_id>/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name=f"{prefix}_export",
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "export" in request.POST:
            export = StationExportForm(request.POST, user=request.user)
            if export.is_valid():
                url = reverse(
                    "admin:polling_pollingstation_export",
                    args=[export.cleaned_data["commission"].pk, request.POST["export"]],
                )
                return HttpResponseRedirect(url)
        form = StationImportForm(
            request.POST if "file" in request.FILES else None,
            request.FILES or None,
            user=request.user,
        )
        if form.is_bound and form.is_valid():
            job = imports.import_job_submit(
                actor=request.user,
                commission=form.cleaned_data["commission"],
                upload=form.cleaned_data["file"],
                language=translation.get_language(),
            )
            self.message_user(request, _("The stations are being imported."), messages.INFO)
            return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import and export polling stations"),
            "opts": self.opts,
            "form": form,
            "export_form": StationExportForm(user=request.user),
            "columns": imports.COLUMNS,
            "required": imports.REQUIRED,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/polling/pollingstation/import.html", context)

    def export_view(self, request, commission_id, fmt):
        """A territorial commission's stations (within the user's scope, else not found)."""
        if not self.has_view_permission(request) or fmt not in ("csv", "xlsx"):
            raise OutOfScope
        commission = territorial_commissions(request.user).filter(pk=commission_id).first()
        if commission is None:
            raise OutOfScope
        stations = imports.export_queryset(commission, self.get_queryset(request))
        return self._export(stations, fmt, f"stations-{commission.region.code}")

    def _export(self, stations, fmt, filename):
        rows = imports.export_rows(stations)
        if fmt == "xlsx":
            return xlsx_response(rows, filename=filename, header=imports.COLUMNS)
        return csv_response(rows, filename=filename, header=imports.COLUMNS, streaming=True)

    @admin.action(description=_("Export the selected stations (CSV)"))
    def export_csv(self, request, queryset):
        return self._export(imports.export_queryset(queryset=queryset), "csv", "stations")

    @admin.action(description=_("Export the selected stations (XLSX)"))
    def export_xlsx(self, request, queryset):
        return self._export(imports.export_queryset(queryset=queryset), "xlsx", "stations")


@admin.register(VotingHoursDecision)
class VotingHoursDecisionAdmin(AuditedTranslationAdmin):
    list_display = (
        "number",
        "commission",
        "election",
        "status_shown",
        "opens_at",
        "closes_at",
        "reason_kind",
        "adopted_on",
        "published_at",
    )
    list_display_links = ("number",)
    list_filter = (
        "status",
        "election",
        ("commission", CollatedRelatedOnlyFieldListFilter),
        "reason_kind",
    )
    list_select_related = ("commission", "election")
    search_fields = ("number",)
    autocomplete_fields = ("stations",)
    actions = ["adopt", "publish"]
    fieldsets = (
        (None, {"fields": ("election", "commission", "number", "proposed_by", "supersedes")}),
        (_("Polling stations and hours"), {"fields": ("stations", "opens_at", "closes_at")}),
        (_("Reason"), {"fields": ("reason_kind", "reason", "early_closing_allowed")}),
        (_("Adoption and publication"), {"fields": ("status", "adopted_on", "published_at")}),
    )
    # Set by the services (adoption, publication, withdrawal), never typed in.
    state_fields = ("status", "adopted_on", "published_at")
    withdrawal_fields = ("withdrawn_at", "withdrawn_by", "withdrawal_reason")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (title, options), *rest = fieldsets
        fields = (*options["fields"], "superseded_by_link")
        if obj.status == DecisionStatus.PUBLISHED:
            rest = (*rest, (_("Informing voters"), {"fields": ("informing",)}))
        if obj.status == DecisionStatus.WITHDRAWN:
            rest = (*rest, (_("Withdrawal"), {"fields": self.withdrawal_fields}))
        return ((title, {**options, "fields": fields}), *rest)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.state_fields
        # A draft's election, commission and predecessor are fixed once it exists.
        return (
            "election",
            "commission",
            "supersedes",
            "superseded_by_link",
            "informing",
            *self.state_fields,
            *self.withdrawal_fields,
        )

    @admin.display(description=_("notices"))
    def informing(self, obj):
        """The notices job of a published decision (polling.informing): its progress, and its
        notices by delivery status."""
        from .admin_reports import informing_html

        return informing_html(obj)

    def get_queryset(self, request):
        # The number of the published decision superseding each one (the list's status).
        superseding = VotingHoursDecision.objects.filter(
            supersedes=OuterRef("pk"), status=DecisionStatus.PUBLISHED
        ).order_by("pk")
        return (
            super()
            .get_queryset(request)
            .annotate(superseded_by_number=Subquery(superseding.values("number")[:1]))
        )

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, obj):
        """The status; a published decision another published one supersedes says by which."""
        number = getattr(obj, "superseded_by_number", None)
        if obj.status == DecisionStatus.PUBLISHED and number:
            return _("Published, superseded by No. {number}").format(number=number)
        return obj.get_status_display()

    def get_changeform_initial_data(self, request):
        """The add page opened from a published decision ("Supersede"): its content. A decision
        that cannot be superseded (superseded already, or not published) is said so, and the
        page starts empty."""
        initial = super().get_changeform_initial_data(request)
        old_id = initial.get("supersedes")
        old = (
            VotingHoursDecision.objects.restrict(request.user, CHANGE).filter(pk=old_id).first()
            if str(old_id or "").isdigit()
            else None
        )
        if old is not None and old.status != DecisionStatus.PUBLISHED:
            self.message_user(
                request,
                NOT_SUPERSEDABLE_HERE.format(
                    number=old.number, status=str(old.get_status_display()).lower()
                ),
                messages.WARNING,
            )
            old = None
        elif old is not None and (successor := old.successor()) is not None:
            self.message_user(
                request,
                SUPERSEDED_ALREADY.format(number=old.number, successor=successor.number),
                messages.WARNING,
            )
            old = None
        if old is None:
            initial.pop("supersedes", None)
            return initial
        for name in ("election", "commission"):
            initial[name] = getattr(old, f"{name}_id")
        for name in services.SUPERSEDING_COPIES:
            initial[name] = getattr(old, name)
        initial["stations"] = list(old.stations.values_list("pk", flat=True))
        return initial

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The opening and closing times: a plain 24-hour input showing HH:MM, not the admin's
        # clock and "Now" link (whose "hours behind server time" note confused staff).
        if db_field.name in ("opens_at", "closes_at"):
            kwargs["widget"] = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "supersedes":
            kwargs["queryset"] = (
                VotingHoursDecision.objects.restrict(request.user, CHANGE)
                .open_to_supersede()
                .select_related("election", "commission")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            # Two elections may each have a decision No. 23/1 of one commission: name its election.
            field.label_from_instance = lambda decision: f"{decision} ({decision.election})"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "stations":
            # Staff pick among the stations they work on: territorial staff their region's.
            kwargs["queryset"] = PollingStation.objects.restrict(request.user, CHANGE)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        """Only a draft changes; an adopted or published decision is shown read-only."""
        if obj is not None and obj.status != DecisionStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != DecisionStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def has_adopt_permission(self, request):
        return request.user.has_perm("polling.adopt_votinghoursdecision")

    def _content(self, form) -> dict:
        names = (services.DECISION_UPDATABLE_FIELDS - {"reason"}) & set(form.fields)
        return {name: form.cleaned_data[name] for name in names}

    def service_create(self, request, obj, form):
        content = self._content(form)
        stations = form.cleaned_data.get("stations", [])
        old = form.cleaned_data.get("supersedes")
        if old is not None:
            return services.voting_hours_decision_supersede(
                actor=request.user,
                decision=old,
                stations=stations,
                election=form.cleaned_data.get("election"),
                commission=form.cleaned_data.get("commission"),
                **content,
            )
        return services.voting_hours_decision_create(
            actor=request.user,
            election=form.cleaned_data["election"],
            commission=form.cleaned_data["commission"],
            stations=stations,
            **content,
        )

    def service_update(self, request, obj, form):
        changes = {
            name: value for name, value in self._content(form).items() if name in form.changed_data
        }
        stations = form.cleaned_data["stations"] if "stations" in form.changed_data else None
        return services.voting_hours_decision_update(
            actor=request.user, decision=obj, stations=stations, **changes
        )

    def save_model(self, request, obj, form, change):
        """Saved through the services; a draft saved past the informing deadline is saved, with
        a warning that it can no longer be adopted (`voting_hours_decision_late_warning`)."""
        super().save_model(request, obj, form, change)
        warning = services.voting_hours_decision_late_warning(obj)
        if warning:
            self.message_user(request, warning, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        """The stations are saved by the service, with the rest of the decision."""

    change_list_template = "admin/polling/votinghoursdecision/change_list.html"

    def get_urls(self):
        from django.urls import path

        from .admin_reports import hours_report_view

        report = path(
            "report/",
            self.admin_site.admin_view(lambda request: hours_report_view(self, request)),
            name="polling_votinghoursdecision_report",
        )
        withdraw = path(
            "<path:object_id>/withdraw/",
            self.admin_site.admin_view(self.withdraw_view),
            name="polling_votinghoursdecision_withdraw",
        )
        return [report, withdraw, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.status == DecisionStatus.PUBLISHED:
            target = self._to_supersede(request, obj)
            if target is not None:
                context["supersede_url"] = (
                    reverse("admin:polling_votinghoursdecision_add") + f"?supersedes={target.pk}"
                )
                if target != obj:
                    context["supersede_label"] = _("Supersede No. {number}…").format(
                        number=target.number
                    )
        adopted = obj is not None and obj.status == DecisionStatus.ADOPTED
        if adopted and self.has_adopt_permission(request):
            context["withdraw_url"] = reverse(
                "admin:polling_votinghoursdecision_withdraw", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _to_supersede(self, request, decision):
        """What "Supersede…" on a published decision's page supersedes: the decision itself
        while nothing supersedes it; else the last published decision of its chain of
        successors when that one is open to superseding and in the user's scope; else nothing
        (a successor still a draft or adopted is finished first)."""
        current = decision
        for _step in range(100):  # a chain is short; bounded all the same
            successor = current.successor()
            if successor is None:
                break
            current = successor
        if current.status != DecisionStatus.PUBLISHED:
            return None
        if current != decision and not (
            VotingHoursDecision.objects.restrict(request.user, CHANGE)
            .filter(pk=current.pk)
            .exists()
        ):
            return None
        return current

    def withdraw_view(self, request, object_id):
        """Withdraw an adopted decision never published (`voting_hours_decision_withdraw`): the
        reason asked on this page, then back to the decision's page. A decision outside the
        user's scope is not found; without the adopt permission, 403."""
        decision = self.get_object(request, object_id)
        if not self.has_adopt_permission(request):
            raise PermissionDenied
        change_url = reverse("admin:polling_votinghoursdecision_change", args=[decision.pk])
        form = DecisionWithdrawalForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                services.voting_hours_decision_withdraw(
                    actor=request.user, decision=decision, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "withdrawal_reason" in exc.error_dict:
                    form.add_error("reason", exc.error_dict["withdrawal_reason"])
                else:
                    for message in refusal_messages(exc):
                        self.message_user(request, message, messages.ERROR)
                    return HttpResponseRedirect(change_url)
            except PermissionDenied as exc:
                for message in refusal_messages(exc):
                    self.message_user(request, message, messages.ERROR)
                return HttpResponseRedirect(change_url)
            else:
                self.message_user(
                    request,
                    _("Decision No. {number} is withdrawn.").format(number=decision.number),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Withdraw the decision"),
            "opts": self.opts,
            "decision": decision,
            "object": decision,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/polling/votinghoursdecision/withdraw.html", context)

    @admin.display(description=_("superseded by"))
    def superseded_by_link(self, obj):
        successor = obj.successor()
        if successor is None:
            return "—"
        url = reverse("admin:polling_votinghoursdecision_change", args=[successor.pk])
        return format_html('<a href="{}">{}</a>', url, successor.number)

    def _decide(self, request, queryset, service, done):
        decided = []
        for decision in queryset.order_by("pk"):
            try:
                decided.append(service(actor=request.user, decision=decision))
            except (ValidationError, PermissionDenied) as exc:
                for message in refusal_messages(exc):
                    self.message_user(request, f"{decision.number}: {message}", messages.ERROR)
        if decided:
            self.message_user(request, done(len(decided)), messages.SUCCESS)

    @admin.action(description=_("Adopt the selected drafts (today)"), permissions=["adopt"])
    def adopt(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.voting_hours_decision_adopt,
            lambda count: ngettext(
                "{count} decision adopted.", "{count} decisions adopted.", count
            ).format(count=count),
        )

    @admin.action(
        description=_("Publish the selected adopted decisions (now)"), permissions=["adopt"]
    )
    def publish(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.voting_hours_decision_publish,
            lambda count: ngettext(
                "{count} decision published.", "{count} decisions published.", count
            ).format(count=count),
        )


from . import admin_territories  # noqa: E402,F401
