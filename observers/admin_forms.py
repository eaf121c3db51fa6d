"""Forms of the accreditation desk in the admin. They parse input and never save; the admin
saves through the services (`core.admin.ServiceAdminMixin`), which decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commissions.models import Election
from core.admin import CapitalisedLabels
from core.collation import collate_field
from core.scoping import CHANGE

from . import imports, services
from .models import NominatingBody, Observer

NO_ELECTION_OPEN = _(
    "No election is open for accreditation now: nominations are uploaded until the "
    "accreditation deadline of an election."
)
PHOTO_HELP = _("JPEG, PNG or WebP, at least 240×320 pixels; it is re-encoded and kept private.")


class ObserverAddForm(CapitalisedLabels, forms.ModelForm):
    """One nomination entered at the desk. It parses the nominee; the admin then nominates
    through `services.observer_nominate`, whose refusals (the deadline, the body's term, an
    earlier nomination of the same person) show as errors on this form."""

    new_photo = forms.FileField(label=_("photo"), required=False, help_text=PHOTO_HELP)

    class Meta:
        model = Observer
        fields = (
            "election",
            "body",
            *services.PERSON_FIELDS,
        )

    def validate_unique(self):
        """Left to the service, whose message names the earlier nomination of the person."""


class ObserverCorrectionForm(CapitalisedLabels, forms.ModelForm):
    """The page of a nomination awaiting its decision: the nominee's details may be corrected
    (the admin saves them through `services.observer_correct`) and the photo replaced."""

    new_photo = forms.FileField(label=_("new photo"), required=False, help_text=PHOTO_HELP)

    class Meta:
        model = Observer
        fields = services.PERSON_FIELDS

    def validate_unique(self):
        """Left to the service, whose message names the earlier nomination of the person."""


class ObserverPhotoForm(CapitalisedLabels, forms.ModelForm):
    """The change page: a nomination's fields are read-only; only its photo is replaced here."""

    new_photo = forms.FileField(
        label=_("new photo"),
        required=False,
        help_text=PHOTO_HELP,
    )

    class Meta:
        model = Observer
        fields = ()


class ReasonForm(CapitalisedLabels, forms.Form):
    """The reason of a refusal or a revocation, asked on the action's intermediate page."""

    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Sent to the nominating body with the decision."),
    )


class NominationUploadForm(CapitalisedLabels, forms.Form):
    """A mission's nominees as a spreadsheet: the election, the nominating body and the file.

    Validating it reads and parses the file (`imports.read_nominations`) and saves nothing: the
    cleaned `file` is the `imports.NominationFile` (its nominees and its rows' errors), which the
    admin view then submits through `imports.nominations_submit`. A file that cannot be read at
    all is an error of the `file` field."""

    election = forms.ModelChoiceField(
        label=_("election"), queryset=Election.objects.order_by("-election_day")
    )
    body = forms.ModelChoiceField(
        label=_("nominating body"), queryset=NominatingBody.objects.none()
    )
    reference = forms.CharField(
        label=_("reference"),
        max_length=100,
        required=False,
        help_text=_("The sender's own reference, e.g. the note number (optional)."),
    )
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "An .xlsx workbook (its first sheet) or a .csv file (UTF-8, UTF-16 or Windows-1251; "
            "commas, semicolons or tabs), with a header row."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = NominatingBody.objects.restrict(user, CHANGE)
        collate_field(self.fields["body"])
        # Offered: the elections open for accreditation (the service's rule). One that closed
        # since the page was opened is still read, so that the service's refusal says when it
        # closed, together with the file's row errors.
        election = self.fields["election"]
        offered = [e for e in election.queryset if services.accreditation_is_open(e)]
        election.choices = [("", election.empty_label)] + [
            (e.pk, election.label_from_instance(e)) for e in offered
        ]
        if not offered:
            election.help_text = NO_ELECTION_OPEN

    def clean_file(self) -> imports.NominationFile:
        try:
            return imports.read_nominations(self.cleaned_data["file"])
        except imports.ImportFileError as exc:
            raise ValidationError(exc.message) from None


class NominationSaveForm(forms.Form):
    """The "Save" (or "Cancel") of a previewed upload: the token of the file kept server-side
    (`imports.upload_keep`) and the SHA-256 of the bytes that were previewed."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
