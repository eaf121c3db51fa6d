"""Forms of the polling stations' admin pages. They parse input and never save: the import
runs as a job through `polling.imports`, which writes through the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from commissions.choices import CommissionLevel
from commissions.models import Commission
from core.admin import CapitalisedLabels
from core.scoping import CHANGE

from .imports import ADMIN_LIMITS, stations_file_check

UPLOAD_TOO_LARGE = _("The file is larger than {limit} MB.")


def territorial_commissions(user):
    """The territorial commissions whose stations the user works on (their own region's; the
    CEC every one)."""
    return (
        Commission.objects.restrict(user, CHANGE)
        .filter(level=CommissionLevel.TERRITORIAL)
        .select_related("region")
        .order_by("region__name", "pk")
    )


class TerritorialCommissionChoice(forms.Form):
    """A form's choice of a territorial commission among the user's (`user`, a keyword
    argument): their only one is chosen already."""

    commission = forms.ModelChoiceField(
        label=_("territorial commission"), queryset=Commission.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        commissions = territorial_commissions(user)
        self.fields["commission"].queryset = commissions
        if len(commissions) == 1:
            self.fields["commission"].initial = commissions[0].pk


class StationImportForm(CapitalisedLabels, TerritorialCommissionChoice):
    file = forms.FileField(
        label=_("file"),
        help_text=_("CSV (UTF-8, Windows-1251 or UTF-16; comma, semicolon or tab) or XLSX."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ADMIN_LIMITS.max_bytes:
            limit = ADMIN_LIMITS.max_bytes // (1024 * 1024)
            raise forms.ValidationError(UPLOAD_TOO_LARGE.format(limit=limit))
        # What makes the whole file unusable (its type, encoding, header, no row at all) is
        # said at once; its rows are the job's to check.
        stations_file_check(upload, limits=ADMIN_LIMITS)  # ValidationError: the field's error
        return upload


class StationExportForm(CapitalisedLabels, TerritorialCommissionChoice):
    pass


class DecisionWithdrawalForm(CapitalisedLabels, forms.Form):
    """Why an adopted voting hours decision is withdrawn (`voting_hours_decision_withdraw`)."""

    reason = forms.CharField(
        label=_("reason for withdrawal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_(
            "Kept with the decision. A withdrawn decision sets no voting hours and cannot be "
            "adopted again: draft a new one if needed."
        ),
    )
