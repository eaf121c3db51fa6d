"""What the observers API reads and writes. Serializers parse input; the services decide."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissions.models import Election
from core.api.serializers import ModelSerializer
from core.normalize import IDENTIFIER_NOT_TEXT, validate_country, validate_identifier
from observers.badges import verification_url
from observers.choices import ObserverStatus
from observers.models import NominatingBody, NominationBatch, Observer

BOTH_DATES = _("Give a day (date) or a closing day (until), not both.")
NOT_A_LIST = _("Expected a list of nominees.")
# The API's documentation (English only, like the rest of the schema's help texts).
LATIN_NAME = (
    "Latin letters (accents included), spaces, hyphens, apostrophes and periods; no invisible "
    "characters."
)
CYRILLIC_NAME = (
    "Cyrillic letters (Kazakh Ә Ғ Қ Ң Ө Ұ Ү Һ І included), spaces, hyphens, apostrophes and "
    "periods; no invisible characters."
)


@extend_schema_field({"type": "string", "example": "TR"})
class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 or alpha-3 code, in either case (`de`, `DEU` are DE), stored as
    alpha-2: the rule of every write and filter (`core.normalize.validate_country`)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return validate_country(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from None


class DocumentNumberField(serializers.CharField):
    """A document number as printed, sent as a JSON string: a JSON number is refused (it has
    lost any leading zeros, and a large one was rounded), and so is what
    `core.normalize.validate_identifier` refuses (scientific notation, other characters)."""

    default_error_messages = {"not_text": IDENTIFIER_NOT_TEXT}

    def __init__(self, **kwargs):
        super().__init__(validators=[validate_identifier], **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


# NOMINATING BODIES


class NominatingBodySerializer(ModelSerializer):
    """A nominating body's public facts: its contacts and submitting agency stay with the CEC."""

    name = serializers.CharField(
        source="display_name",
        read_only=True,
        help_text="In the request's language: a state by its country's name.",
    )
    country = serializers.SerializerMethodField(help_text="ISO 3166-1 alpha-2, for a state.")

    class Meta:
        model = NominatingBody
        fields = [
            "id",
            "kind",
            "name",
            "short_name",
            "country",
            "accredited_from",
            "accredited_until",
        ]

    @extend_schema_field({"type": ["string", "null"], "example": "DE"})
    def get_country(self, body) -> str | None:
        return body.country.code or None


# NOMINATIONS


class NomineeSerializer(serializers.Serializer):
    """One nominee: a single nomination's person fields, or one row of a batch."""

    last_name_latin = serializers.CharField(max_length=100, help_text=LATIN_NAME)
    first_name_latin = serializers.CharField(max_length=100, help_text=LATIN_NAME)
    last_name_cyrillic = serializers.CharField(max_length=100, help_text=CYRILLIC_NAME)
    first_name_cyrillic = serializers.CharField(max_length=100, help_text=CYRILLIC_NAME)
    citizenship = CountryCodeField(
        help_text="ISO 3166-1 code of the passport's state: alpha-2 (TR) or alpha-3 (TUR), "
        "either case; answered as alpha-2."
    )
    date_of_birth = serializers.DateField()
    document_number = DocumentNumberField(
        max_length=40,
        help_text="Passport or ID number as printed, as a string (a JSON number is refused: its "
        "leading zeros are lost): spaces, dashes, dots and slashes are dropped, letters "
        "capitalised, full-width characters and other scripts' digits read as ASCII, Cyrillic "
        "and Greek capitals drawn like Latin ones (А В Е К М Н О Р С Т Х) read as those Latin "
        "letters; what remains must be letters A-Z and digits 0-9. A number in scientific "
        "notation (1.23457E+11) is refused.",
    )


class ObserverCreateSerializer(NomineeSerializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all())
    body = serializers.PrimaryKeyRelatedField(
        queryset=NominatingBody.objects.all(), help_text="A nominating body the token submits for."
    )


class ObserverSerializer(ModelSerializer):
    """A nomination and its decision, with the nominee's personal data: only for the nominating
    body's own token, the ministry and CEC staff."""

    citizenship = serializers.CharField(source="citizenship.code", read_only=True)
    number_display = serializers.CharField(
        read_only=True, help_text="The badge's number (year and serial); empty until accredited."
    )
    has_photo = serializers.SerializerMethodField()
    verification_url = serializers.SerializerMethodField(
        help_text="The public page a badge's QR code opens; only for a valid accreditation."
    )

    class Meta:
        model = Observer
        fields = [
            "id",
            "election",
            "body",
            "batch",
            "last_name_latin",
            "first_name_latin",
            "last_name_cyrillic",
            "first_name_cyrillic",
            "citizenship",
            "date_of_birth",
            "document_number",
            "status",
            "submitted_at",
            "number",
            "number_display",
            "decision_date",
            "valid_until",
            "refusal_reason",
            "revoked_at",
            "revocation_reason",
            "has_photo",
            "verification_url",
        ]
        read_only_fields = fields

    def get_has_photo(self, observer) -> bool:
        return bool(observer.photo)

    @extend_schema_field({"type": ["string", "null"], "format": "uri"})
    def get_verification_url(self, observer) -> str | None:
        if observer.status != ObserverStatus.ACCREDITED or not observer.verification_code:
            return None
        return verification_url(observer)


class ObserverPhotoSerializer(serializers.Serializer):
    photo = serializers.FileField(
        help_text="JPEG, PNG or WebP, at least 240×320 pixels; stored re-encoded as JPEG."
    )


# BATCHES


@extend_schema_field(NomineeSerializer(many=True))
class NomineeListField(serializers.Field):
    """The batch's rows, kept raw: each is parsed on its own so that every row's errors are
    reported together (see NominationBatchViewSet.create)."""

    default_error_messages = {"not_a_list": NOT_A_LIST}

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        return data

    def to_representation(self, value):
        return value


class NominationBatchSubmitSerializer(serializers.Serializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all())
    body = serializers.PrimaryKeyRelatedField(
        queryset=NominatingBody.objects.all(), help_text="A nominating body the token submits for."
    )
    reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="Your own reference (e.g. the note's number): the same reference sent again "
        "answers 200 with the batch already received, and saves nothing new.",
    )
    observers = NomineeListField(help_text="The nominees, one object each (rows count from 1).")


class BatchObserverSerializer(ModelSerializer):
    class Meta:
        model = Observer
        fields = ["id", "status", "number_display"]
        read_only_fields = fields


class NominationBatchSerializer(serializers.ModelSerializer):
    observers = BatchObserverSerializer(many=True, read_only=True)

    class Meta:
        model = NominationBatch
        fields = [
            "id",
            "election",
            "body",
            "reference",
            "source",
            "size",
            "submitted_at",
            "observers",
        ]
        read_only_fields = fields


ROW_ERRORS_SCHEMA = {
    "oneOf": [
        {
            "type": "object",
            "description": "Row number (from 1) → field → messages; `non_field_errors` within a "
            "row for the row as a whole.",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "example": {"3": {"date_of_birth": ["Date has wrong format."]}},
        },
        {
            "type": "array",
            "description": "When `observers` is not a list at all.",
            "items": {"type": "string"},
        },
    ]
}


@extend_schema_field(ROW_ERRORS_SCHEMA)
class RowErrorsField(serializers.JSONField):
    pass


class NominationBatchErrorSerializer(serializers.Serializer):
    """Why a batch was refused: every invalid row's errors at once (nothing was saved)."""

    observers = RowErrorsField(required=False)
    non_field_errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Errors of the batch as a whole (the deadline, no nominees, too many).",
    )
    election = serializers.ListField(child=serializers.CharField(), required=False)
    body = serializers.ListField(child=serializers.CharField(), required=False)
    reference = serializers.ListField(child=serializers.CharField(), required=False)
    detail = serializers.CharField(required=False, help_text="A body that could not be read.")


# STATISTICS


class ObserverStatsQuerySerializer(serializers.Serializer):
    election = serializers.PrimaryKeyRelatedField(
        queryset=Election.objects.all(), help_text="The election's id."
    )
    date = serializers.DateField(required=False, help_text="The figures of this day (YYYY-MM-DD).")
    until = serializers.DateField(
        required=False,
        help_text="Cumulative figures up to and including this day (YYYY-MM-DD). Neither date "
        "nor until: all accreditations so far.",
    )

    def validate(self, attrs):
        if attrs.get("date") and attrs.get("until"):
            raise serializers.ValidationError({"until": BOTH_DATES})
        return attrs


class ObserverStatsSerializer(serializers.Serializer):
    """Accreditations granted (including any revoked since) on a day or up to a day."""

    election = serializers.IntegerField()
    date = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)
    observers = serializers.IntegerField(help_text="Foreign and international observers.")
    states = serializers.IntegerField(help_text="Distinct nominating states.")
    organizations = serializers.IntegerField(help_text="Distinct international organisations.")
    revoked = serializers.IntegerField(help_text="Of those counted, accreditations revoked since.")
    domestic = serializers.IntegerField(
        help_text="Observers of public associations (counted apart)."
    )
    by_state = serializers.DictField(
        child=serializers.IntegerField(), help_text="ISO 3166-1 alpha-2 code → observers."
    )
    by_organization = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Organisation's name in the request's language (Accept-Language) → observers.",
    )
