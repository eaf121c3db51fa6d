"""Accreditation of observers: who nominates them, each nomination and its decision."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from commissions.models import Election, Region
from core.fields import IdentifierField, NameField, TitleField
from core.models import Agency
from core.normalize import search_key
from core.scoping import VIEW, Level, RestrictedQuerySet, Scope, ScopedModel
from core.storage import private_storage

from .choices import (
    GRANTED_STATUSES,
    HOLDING_STATUSES,
    BatchSource,
    BodyKind,
    ObserverStatus,
    Verification,
)

STATE_NEEDS_COUNTRY = _("A foreign state is named by its country; other bodies have none.")
ASSOCIATION_NEEDS_TERM = _(
    "A public association is accredited for a term (from, until); other bodies have none."
)
TERM_TOO_LONG = _("A public association is accredited for one year at most.")
TERM_BACKWARDS = _("The accreditation term ends after it starts.")
BODY_NEEDS_NAME = _("An organisation or association needs its name.")
BORN_IN_THE_FUTURE = _("The date of birth must be in the past.")
TOO_YOUNG = _("An observer is at least {age} years old.")
BORN_TOO_EARLY = _("Check the date of birth: it is before 1900.")
OBSERVER_MIN_AGE = 18
STATE_NOT_KAZAKHSTAN = _("Kazakhstan does not nominate foreign observers.")


# The names a search reads, and the text search configuration of their index: "simple" (no
# language's stemming, no stop words; PostgreSQL's own, no extension needed).
SEARCHED_NAME_FIELDS = (
    "last_name_latin",
    "first_name_latin",
    "last_name_cyrillic",
    "first_name_cyrillic",
)
SEARCH_CONFIG = "simple"


def observer_search_key(observer) -> str:
    return search_key(" ".join(getattr(observer, name) or "" for name in SEARCHED_NAME_FIELDS))


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def badge_code() -> str:
    """The unguessable code a badge's QR code carries (128 bits)."""
    return secrets.token_urlsafe(16)


def photo_path(observer, filename: str) -> str:
    # A random name: the file name says nothing about the person.
    return f"observers/photos/{observer.election_id}/{secrets.token_hex(12)}.jpg"


class NominatingBodyQuerySet(RestrictedQuerySet):
    def international(self):
        return self.exclude(kind=BodyKind.ASSOCIATION)


class NominatingBody(ScopedModel, models.Model):
    """Who nominates observers: a foreign state (through the Ministry of Foreign Affairs), an
    international organisation or its mission, or a domestic public association."""

    kind = models.CharField(_("kind"), max_length=16, choices=BodyKind.choices)
    name = TitleField(_("name"), max_length=255, blank=True, help_text=_("Left empty for a state."))
    short_name = TitleField(_("short name"), max_length=64, blank=True)
    country = CountryField(_("country"), blank=True, help_text=_("For a foreign state."))
    contact_email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Where decisions on its nominees are sent.")
    )
    language = models.CharField(
        _("language of correspondence"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language decisions on its nominees are sent in."),
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("submitting agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominating_bodies",
        help_text=_(
            "The API client that submits its nominations (a mission; for states, the Ministry "
            "of Foreign Affairs) and may read them back."
        ),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A regional public association (accredited by a territorial commission)."),
    )
    accredited_from = models.DateField(_("accredited from"), null=True, blank=True)
    accredited_until = models.DateField(_("accredited until"), null=True, blank=True)

    scope_public = True
    scope_region_path = "region"
    objects = NominatingBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("nominating body")
        verbose_name_plural = _("nominating bodies")
        ordering = ["kind", "name", "country", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(kind=BodyKind.STATE),
                name="observers_nominatingbody_unique_state",
                violation_error_message=_("This state is already a nominating body."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=BodyKind.STATE) & ~Q(country=""))
                | (~Q(kind=BodyKind.STATE) & Q(country="")),
                name="observers_nominatingbody_state_has_country",
                violation_error_message=STATE_NEEDS_COUNTRY,
            ),
            models.CheckConstraint(
                condition=~Q(kind=BodyKind.STATE, country="KZ"),
                name="observers_nominatingbody_not_kazakhstan",
                violation_error_message=STATE_NOT_KAZAKHSTAN,
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=BodyKind.ASSOCIATION,
                        accredited_from__isnull=False,
                        accredited_until__isnull=False,
                    )
                    | (
                        ~Q(kind=BodyKind.ASSOCIATION)
                        & Q(accredited_from__isnull=True, accredited_until__isnull=True)
                    )
                ),
                name="observers_nominatingbody_association_has_term",
                violation_error_message=ASSOCIATION_NEEDS_TERM,
            ),
            models.CheckConstraint(
                condition=Q(accredited_until__isnull=True)
                | Q(accredited_until__gt=models.F("accredited_from")),
                name="observers_nominatingbody_term_forwards",
                violation_error_message=TERM_BACKWARDS,
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """In the active language: a state by its country's name, others by their own."""
        if self.kind == BodyKind.STATE:
            return str(self.country.name)
        return self.name

    def clean(self):
        super().clean()
        # (Names are translated fields, so this rule is checked here rather than in a constraint.)
        if self.kind and self.kind != BodyKind.STATE and not self.name:
            raise ValidationError({"name": BODY_NEEDS_NAME})
        if self.accredited_from and self.accredited_until:
            # One year: until the day before the same date a year later.
            try:
                limit = self.accredited_from.replace(year=self.accredited_from.year + 1)
            except ValueError:  # 29 February
                limit = self.accredited_from + timedelta(days=365)
            if self.accredited_until >= limit:
                raise ValidationError({"accredited_until": TERM_TOO_LONG})

    def accreditation_covers(self, day: date) -> bool:
        """Whether the body may nominate on that day (only associations have a term)."""
        if self.kind != BodyKind.ASSOCIATION:
            return True
        return self.accredited_from <= day <= self.accredited_until

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        """The registrar's rule: the CEC registers every body; a territorial commission, the
        public associations of its own region (states and organisations are not theirs)."""
        condition = super().scope_q(scope, action)
        if action != VIEW and scope.level is Level.REGION and condition is not None:
            condition &= Q(kind=BodyKind.ASSOCIATION)
        return condition


class NominationBatch(ScopedModel, models.Model):
    """Nominations submitted together (a mission's 77 nominees): saved whole or not at all."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.ForeignKey(
        NominatingBody,
        verbose_name=_("nominating body"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    source = models.CharField(_("source"), max_length=8, choices=BatchSource.choices)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("The sender's own reference (e.g. its note number); a batch is sent once."),
    )
    size = models.PositiveIntegerField(_("nominees"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    file_sha256 = models.CharField(
        _("file's SHA-256"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Of an uploaded file: the same file uploaded again is recognised."),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination batch")
        verbose_name_plural = _("nomination batches")
        ordering = ["-submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "election", "reference"],
                condition=~Q(reference=""),
                name="observers_nominationbatch_unique_reference",
                violation_error_message=_("A batch with this reference was already submitted."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["body", "election", "file_sha256"],
                condition=~Q(file_sha256=""),
                name="observers_batch_by_file",
            ),
        ]

    def __str__(self):
        return _("{body}: {size} nominees ({day})").format(
            body=self.body, size=self.size, day=f"{self.submitted_at:%d.%m.%Y}"
        )

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return Observer.body_scope_q(scope, "body__")


class ObserverQuerySet(RestrictedQuerySet):
    def accredited(self):
        """Observers holding a valid accreditation now (granted and not revoked)."""
        return self.filter(status=ObserverStatus.ACCREDITED)

    def granted(self):
        """Accreditations ever granted, including those later revoked (the statistics' base)."""
        return self.filter(status__in=GRANTED_STATUSES)

    def revoked(self):
        return self.filter(status=ObserverStatus.REVOKED)


class Observer(ScopedModel, models.Model):
    """One person nominated to observe one election, and the decision on them.

    A person is known by their travel document (citizenship and number). Passport number, date
    of birth and photo are personal data: shown only to staff and to the nominating body's own
    API token, never on public pages or in logs.
    """

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="observers"
    )
    body = models.ForeignKey(
        NominatingBody,
        verbose_name=_("nominating body"),
        on_delete=models.PROTECT,
        related_name="observers",
    )
    batch = models.ForeignKey(
        NominationBatch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observers",
    )
    last_name_latin = NameField(_("last name (Latin)"), max_length=100, script="latin")
    first_name_latin = NameField(_("first name (Latin)"), max_length=100, script="latin")
    last_name_cyrillic = NameField(_("last name (Cyrillic)"), max_length=100, script="cyrillic")
    first_name_cyrillic = NameField(_("first name (Cyrillic)"), max_length=100, script="cyrillic")
    citizenship = CountryField(_("citizenship"))
    date_of_birth = models.DateField(_("date of birth"))
    document_number = IdentifierField(
        _("passport or ID number"),
        max_length=20,
        help_text=_("As printed; spaces and dashes are dropped, letters are capitalised."),
    )
    photo = models.ImageField(_("photo"), storage=private_storage, upload_to=photo_path, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ObserverStatus.choices, default=ObserverStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    number = models.PositiveIntegerField(_("accreditation number"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    verification_code = models.CharField(  # noqa: DJ001 (NULL until accredited, never equal)
        _("verification code"), max_length=32, null=True, blank=True, editable=False
    )
    # The four names as a search compares them (`core.normalize.search_key`: no diacritics,
    # Ё as Е, case folded), kept by `save`; searched through its full-text index.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)

    objects = ObserverQuerySet.as_manager()

    class Meta:
        verbose_name = _("observer")
        verbose_name_plural = _("observers")
        ordering = ["election", "number", "last_name_latin", "first_name_latin", "pk"]
        permissions = [
            ("accredit_observer", _("Can decide on observers' accreditation")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "citizenship", "document_number"],
                condition=Q(status__in=HOLDING_STATUSES),
                name="observers_observer_one_per_person",
                violation_error_message=_(
                    "This person is already nominated or accredited for this election."
                ),
            ),
            models.UniqueConstraint(
                fields=["election", "number"],
                name="observers_observer_unique_number",
                violation_error_message=_("This accreditation number is taken."),
            ),
            models.UniqueConstraint(
                fields=["verification_code"], name="observers_observer_unique_code"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=GRANTED_STATUSES)
                | Q(
                    number__isnull=False,
                    decided_at__isnull=False,
                    decision_date__isnull=False,
                    valid_until__isnull=False,
                    verification_code__isnull=False,
                ),
                name="observers_observer_accredited_has_number",
                violation_error_message=_(
                    "An accreditation has a number, a decision date, a validity and a code."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=ObserverStatus.REFUSED)
                | (Q(decided_at__isnull=False) & ~Q(refusal_reason="")),
                name="observers_observer_refusal_has_reason",
                violation_error_message=_("A refusal states its reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ObserverStatus.REVOKED)
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="observers_observer_revocation_has_reason",
                violation_error_message=_("A revocation states its reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["election", "decision_date"], name="observers_observer_by_day"),
            GinIndex(
                SearchVector("search_key", config=SEARCH_CONFIG), name="observers_observer_search"
            ),
        ]

    def __str__(self):
        return self.full_name_latin

    def save(self, *args, **kwargs):
        self.search_key = observer_search_key(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCHED_NAME_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    @property
    def full_name_latin(self) -> str:
        return f"{self.last_name_latin} {self.first_name_latin}"

    @property
    def full_name_cyrillic(self) -> str:
        return f"{self.last_name_cyrillic} {self.first_name_cyrillic}"

    @property
    def number_display(self) -> str:
        """The number printed on the badge: the election's year and a five-digit serial."""
        if self.number is None:
            return ""
        return f"{self.election.election_day:%Y}-{self.number:05d}"

    def clean(self):
        super().clean()
        if self.date_of_birth:
            on = timezone.localdate(self.submitted_at) if self.submitted_at else None
            on = on or timezone.localdate()
            if self.date_of_birth >= on:
                raise ValidationError({"date_of_birth": BORN_IN_THE_FUTURE})
            adult_on = _years_after(self.date_of_birth, OBSERVER_MIN_AGE)
            if adult_on > on:
                raise ValidationError({"date_of_birth": TOO_YOUNG.format(age=OBSERVER_MIN_AGE)})
            if self.date_of_birth.year < 1900:
                raise ValidationError({"date_of_birth": BORN_TOO_EARLY})

    def verification(self, today: date | None = None) -> str:
        """What the public verification page says of this badge today."""
        today = today or timezone.localdate()
        if self.status == ObserverStatus.REVOKED:
            return Verification.REVOKED
        if self.status != ObserverStatus.ACCREDITED:
            return Verification.UNKNOWN
        if self.valid_until and today > self.valid_until:
            return Verification.EXPIRED
        return Verification.VALID

    @staticmethod
    def body_scope_q(scope: Scope, prefix: str = "") -> Q | None:
        """Nominations are not public: CEC staff see all; an agency its own bodies'; territorial
        staff their region's associations'. (Public pages use the selectors' safe columns.)"""
        if scope.is_national:
            return Q()
        if scope.level is Level.AGENCY and scope.agency_id:
            return Q(**{f"{prefix}agency_id": scope.agency_id})
        if scope.level is Level.REGION and scope.region_id:
            return Q(**{f"{prefix}region_id": scope.region_id})
        return None

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        return cls.body_scope_q(scope, "body__")
