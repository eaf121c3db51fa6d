"""Polling stations in the admin, saved through `polling.services`: a station is opened with
`polling_station_create`; once it exists only what `polling_station_update` lets change is
offered (its number, place and commission are fixed)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_translation_fields

from core.admin import AuditedTranslationAdmin
from core.collation import CollatedRelatedOnlyFieldListFilter

from . import services
from .models import PollingStation


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
