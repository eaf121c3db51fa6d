"""Admin of reference data (regions, elections, parties) and of the commission hierarchy.

Row scope, audit history and the one write path come from `core.admin.AuditedTranslationAdmin`:
reference data (regions, elections, parties, commissions) is saved through the core's
reference-data services; a member is added through `commissions.services.commission_member_add`
(so that they are told through the outbox) and changed through `commission_member_update`.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_translation_fields

from core.admin import AuditedTranslationAdmin, ReadOnlyTabularInline
from core.audit import log_access
from core.choices import Role
from core.collation import CollatedRelatedFieldListFilter, CollatedRelatedOnlyFieldListFilter
from core.scoping import CHANGE, scope_of

from . import services
from .choices import CommissionLevel
from .models import Commission, CommissionMember, Election, Party, Region


@admin.register(Region)
class RegionAdmin(AuditedTranslationAdmin):
    list_display = ("name", "code", "kind", "timezone", "established_on")
    list_filter = ("kind", "timezone")
    search_fields = ("code", *get_translation_fields("name"))


@admin.register(Election)
class ElectionAdmin(AuditedTranslationAdmin):
    list_display = ("name", "kind", "election_day", "is_early", "called_on")
    list_filter = ("kind", "is_early")
    search_fields = get_translation_fields("name")
    date_hierarchy = "election_day"


@admin.register(Party)
class PartyAdmin(AuditedTranslationAdmin):
    list_display = ("short_name", "name", "registration_number", "website")
    search_fields = (
        *get_translation_fields("short_name"),
        *get_translation_fields("name"),
        "registration_number",
    )


class CommissionMemberInline(ReadOnlyTabularInline):
    """The members at a glance; a member is added or changed on their own page."""

    model = CommissionMember
    fields = ("full_name", "role", "party", "user", "started_on", "ended_on")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commission", "party", "user")


@admin.register(Commission)
class CommissionAdmin(AuditedTranslationAdmin):
    list_display = ("name", "level", "number", "region", "parent", "member_count")
    list_filter = ("level", ("region", CollatedRelatedOnlyFieldListFilter))
    list_select_related = ("region", "parent")
    search_fields = ("=number", *get_translation_fields("name"))
    autocomplete_fields = ("parent", "region")
    inlines = [CommissionMemberInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("members", filter=Q(members__ended_on__isnull=True)),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        return ("add_member_link",) if obj else ()

    def get_search_results(self, request, queryset, search_term):
        """The parent picker (an autocomplete) offers only commissions that can be a parent: a
        precinct commission has no commission below it."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "commission" and request.GET.get("field_name") == (
            "parent"
        ):
            results = results.exclude(level=CommissionLevel.PRECINCT)
        return results, duplicates

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "level" in form.base_fields:  # adding: only the levels below one's own
            levels = Commission.levels_addable(scope_of(request.user))
            field = form.base_fields["level"]
            field.choices = [(v, label) for v, label in field.choices if not v or v in levels]
        return form

    @admin.display(description=_("current members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=_("new member"))
    def add_member_link(self, obj):
        url = reverse("admin:commissions_commissionmember_add")
        return format_html(
            '<a href="{}?commission={}">{}</a>', url, obj.pk, _("Add a member to this commission")
        )


@admin.register(CommissionMember)
class CommissionMemberAdmin(AuditedTranslationAdmin):
    """Members, with their contact details: personal data that only the admin shows."""

    list_display = ("full_name", "role", "commission", "party", "started_on", "ended_on")
    list_filter = (
        "role",
        "commission__level",
        ("commission__region", CollatedRelatedOnlyFieldListFilter),
        ("party", CollatedRelatedFieldListFilter),
    )
    list_select_related = ("commission", "party")
    search_fields = get_translation_fields("full_name")
    autocomplete_fields = ("commission", "party")
    fieldsets = (
        (None, {"fields": ("commission", "full_name", "role", "party")}),
        (_("Contact details (personal data)"), {"fields": ("email", "phone")}),
        (_("Membership"), {"fields": ("user", "started_on", "ended_on")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # A membership is ended on the member's page once it exists.
        return () if obj else ("ended_on",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = self._assignable_accounts(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @staticmethod
    def _assignable_accounts(user):
        """Staff accounts that may work for a commission: without one yet, or in the user's
        scope. Outside the CEC, only territorial and precinct accounts."""
        scope = scope_of(user)
        roles = (
            [Role.CEC_STAFF, Role.TERRITORIAL_STAFF, Role.PRECINCT_MEMBER]
            if scope.is_national
            else [Role.TERRITORIAL_STAFF, Role.PRECINCT_MEMBER]
        )
        accounts = get_user_model().objects.filter(is_active=True, role__in=roles)
        if not scope.is_national:
            accounts = accounts.filter(
                Q(commission_membership__isnull=True)
                | Q(commission_membership__commission__in=Commission.objects.restrict(user, CHANGE))
            )
        return accounts.order_by("username")

    def service_create(self, request, obj, form):
        return services.commission_member_add(
            actor=request.user,
            commission=obj.commission,
            full_name=obj.full_name,
            role=obj.role,
            party=obj.party,
            email=obj.email,
            phone=obj.phone,
            user=obj.user,
            started_on=obj.started_on,
            **{name: getattr(obj, name) for name in get_translation_fields("full_name")},
        )

    def service_update(self, request, obj, form):
        return services.commission_member_update(
            actor=request.user, member=obj, **self.changed_values(obj, form)
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        member = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and member is not None and (member.email or member.phone):
            log_access(member)  # contact details were shown
        return response
