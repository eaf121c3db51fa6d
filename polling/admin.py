from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_translation_fields

from core.admin import AuditedTranslationAdmin

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
        "region",
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

    @admin.display(description=_("time zone"))
    def zone(self, obj):
        """The zone voting hours are kept in: the station's own, else its region's."""
        return obj.timezone_name
