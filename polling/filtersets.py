from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from core.filters import FilterSet, IdFilter, YesNoFilter

from .models import PollingStation, VotingHoursDecision
from .selectors import in_force_decisions

HOURS_CHANGED_NEEDS_ELECTION = _("Say for which election: add election=<id>.")


class PollingStationFilterSet(FilterSet):
    # By id: an id that matches nothing gives an empty list, not an error.
    region = IdFilter(field_name="region_id")
    hours_changed = YesNoFilter(
        method="filter_hours_changed",
        label=_("hours changed"),
        help_text=_(
            "With election=<id>: only the stations whose voting hours a published decision "
            "changed (true) or only the others (false)."
        ),
    )

    def filter_hours_changed(self, queryset, name, value):
        if value is None:
            return queryset
        # The election's existence is the view's to check (a 400 for an unknown id).
        election = _id(self.data.get("election"))
        if election is None:
            raise ValidationError({"hours_changed": [HOURS_CHANGED_NEEDS_ELECTION]})
        changed = Exists(in_force_decisions(election).filter(stations=OuterRef("pk")))
        return queryset.filter(changed if value else ~changed)

    class Meta:
        model = PollingStation
        fields = [
            "region",
            "number",
            "is_abroad",
            "country",
            "egov_check_available",
            "temporary_registration_allowed",
            "special_kind",
            "hours_changed",
        ]


def _id(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() else None


class VotingHoursDecisionFilterSet(FilterSet):
    election = IdFilter(field_name="election_id")
    commission = IdFilter(field_name="commission_id")
    station = IdFilter(field_name="stations")

    class Meta:
        model = VotingHoursDecision
        fields = ["election", "commission", "station", "reason_kind", "early_closing_allowed"]
