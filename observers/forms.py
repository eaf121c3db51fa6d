"""Query forms of the public observer pages: they parse the address's parameters, nothing more."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commissions.models import Election

from .models import NominatingBody

DATE_OR_UNTIL = _("Give either a day (date) or a last day (until), not both.")
DATE_MALFORMED = _("Give the day as YYYY-MM-DD, for example 2023-03-07.")
ELECTION_UNKNOWN = _("There is no election with the number “%(value)s”.")
BODY_UNKNOWN = _("There is no nominating body with the number “%(value)s”.")
ISO_DATE = ["%Y-%m-%d"]


class _ElectionQueryForm(forms.Form):
    election = forms.ModelChoiceField(
        label=_("Election"),
        queryset=Election.objects.none(),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": ELECTION_UNKNOWN},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = Election.objects.restrict(user)


class ObserverStatsForm(_ElectionQueryForm):
    """`election`, and `date` (that day's figures) or `until` (cumulative up to that day)."""

    date = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=ISO_DATE,
        error_messages={"invalid": DATE_MALFORMED},
    )
    until = forms.DateField(
        label=_("Up to and including"),
        required=False,
        input_formats=ISO_DATE,
        error_messages={"invalid": DATE_MALFORMED},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("until"):
            raise ValidationError(DATE_OR_UNTIL, code="date_or_until")
        return cleaned


class ObserverListForm(_ElectionQueryForm):
    """The public list's `election` and its filter by nominating `body`."""

    body = forms.ModelChoiceField(
        label=_("Nominated by"),
        queryset=NominatingBody.objects.none(),
        required=False,
        error_messages={"invalid_choice": BODY_UNKNOWN},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["body"].queryset = NominatingBody.objects.restrict(user)
