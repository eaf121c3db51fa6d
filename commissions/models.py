"""Reference data every other app stands on: regions, elections, parties, the commission
hierarchy and its members."""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import NameField, TitleField
from core.scoping import ADD, Level, RestrictedQuerySet, Scope, ScopedModel

from .choices import (
    LEVEL_RANK,
    SINGLE_HOLDER_ROLES,
    CommissionLevel,
    ElectionKind,
    MemberRole,
    RegionKind,
)
from .constants import (
    VOTING_CLOSES_AT,
    VOTING_EARLIEST_OPENING,
    VOTING_LATEST_CLOSING,
    VOTING_OPENS_AT,
)

TIMEZONE_UNKNOWN = _("“{value}” is not a time zone of the IANA database (e.g. Asia/Almaty).")
CEC_HAS_PARENT = _("The Central Election Commission has no parent commission and no region.")
PARENT_REQUIRED = _("Every commission but the CEC has a parent commission and a region.")
PARENT_NOT_HIGHER = _("A {level} cannot be under a {parent_level}.")
VOTING_HOURS_OUT_OF_RANGE = _(
    "Voting must open before it closes, not before 06:00 nor after 22:00 local time."
)
REGION_OUTSIDE_PARENT = _("The commission's region must be that of its parent commission.")


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(TIMEZONE_UNKNOWN.format(value=value), code="timezone")


class Region(ScopedModel, models.Model):
    """An oblast or a city of republican significance, with the time zone its voting runs in."""

    code = models.SlugField(_("code"), max_length=32)
    name = TitleField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=RegionKind.choices)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_timezone],
        help_text=_("IANA name, e.g. Asia/Almaty or Asia/Aqtobe; never an offset."),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)

    scope_public = True
    scope_region_path = "pk"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="commissions_region_unique_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


# Elections of one day are listed in the order of ElectionKind (Mazhilis before maslikhats).
KIND_ORDER = models.Case(
    *(models.When(kind=kind, then=rank) for rank, kind in enumerate(ElectionKind.values)),
    output_field=models.IntegerField(),
)


class ElectionQuerySet(RestrictedQuerySet):
    def upcoming(self, today: date | None = None):
        return self.filter(election_day__gte=today or timezone.localdate()).order_by(
            "election_day", "kind"
        )

    def current(self, today: date | None = None):
        """The elections shown on the home page: the next election day's, else the last one's."""
        today = today or timezone.localdate()
        nearest = self.upcoming(today).values_list("election_day", flat=True).first()
        if nearest is None:
            nearest = (
                self.filter(election_day__lt=today)
                .order_by("-election_day")
                .values_list("election_day", flat=True)
                .first()
            )
        if nearest is None:
            return self.none()
        return self.filter(election_day=nearest).order_by(KIND_ORDER, "pk")


class Election(ScopedModel, models.Model):
    name = TitleField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=ElectionKind.choices)
    election_day = models.DateField(_("election day"))
    is_early = models.BooleanField(_("early election"), default=False)
    called_on = models.DateField(_("called on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    voting_opens_at = models.TimeField(
        _("voting opens at"),
        default=VOTING_OPENS_AT,
        help_text=_("Local time of each polling station, unless a decision sets another."),
    )
    voting_closes_at = models.TimeField(
        _("voting closes at"),
        default=VOTING_CLOSES_AT,
        help_text=_("Local time of each polling station, unless a decision sets another."),
    )

    scope_public = True
    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-election_day", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "election_day"], name="commissions_election_unique_kind_day"
            ),
            models.CheckConstraint(
                condition=Q(called_on__isnull=True) | Q(called_on__lt=models.F("election_day")),
                name="commissions_election_called_before_day",
                violation_error_message=_("An election is called before its election day."),
            ),
            models.CheckConstraint(
                condition=Q(
                    voting_opens_at__gte=VOTING_EARLIEST_OPENING,
                    voting_closes_at__lte=VOTING_LATEST_CLOSING,
                    voting_opens_at__lt=models.F("voting_closes_at"),
                ),
                name="commissions_election_voting_hours",
                violation_error_message=VOTING_HOURS_OUT_OF_RANGE,
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.election_day:%d.%m.%Y})"


class Party(ScopedModel, models.Model):
    name = TitleField(_("name"), max_length=255)
    short_name = TitleField(_("short name"), max_length=64)
    registration_number = models.CharField(_("registration number"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)

    scope_public = True
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("political party")
        verbose_name_plural = _("political parties")
        ordering = ["short_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["short_name"], name="commissions_party_unique_short"),
        ]

    def __str__(self):
        return self.short_name


class CommissionQuerySet(RestrictedQuerySet):
    def cec(self):
        return self.get(level=CommissionLevel.CEC)


class Commission(ScopedModel, models.Model):
    """An election commission at one level of the hierarchy CEC → territorial → district →
    precinct. Every commission but the CEC has a parent and a region."""

    level = models.CharField(_("level"), max_length=12, choices=CommissionLevel.choices)
    name = TitleField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent commission"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commissions",
    )
    number = models.PositiveIntegerField(
        _("number"), null=True, blank=True, help_text=_("District or precinct number.")
    )
    address = TitleField(_("address"), max_length=255, blank=True)
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    scope_public = True
    scope_region_path = "region"
    scope_commission_path = "pk"
    objects = CommissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["level", "region__name", "number", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["level"],
                condition=Q(level=CommissionLevel.CEC),
                name="commissions_commission_one_cec",
                violation_error_message=_("There is only one Central Election Commission."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(level=CommissionLevel.CEC, parent__isnull=True, region__isnull=True)
                    | (
                        ~Q(level=CommissionLevel.CEC)
                        & Q(parent__isnull=False, region__isnull=False)
                    )
                ),
                name="commissions_commission_place_in_hierarchy",
                violation_error_message=PARENT_REQUIRED,
            ),
            models.UniqueConstraint(
                fields=["region", "level", "number"],
                condition=Q(number__isnull=False),
                name="commissions_commission_unique_number",
                violation_error_message=_(
                    "A commission of this level with this number already exists in the region."
                ),
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gt=models.F("term_start")),
                name="commissions_commission_term_order",
                violation_error_message=_("The term ends after it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.level == CommissionLevel.CEC:
            if self.parent_id or self.region_id:
                raise ValidationError(CEC_HAS_PARENT)
            return
        if not self.parent_id or not self.region_id:
            raise ValidationError(PARENT_REQUIRED)
        if self.level not in LEVEL_RANK:  # no level, or an unknown one: the field says so
            return
        parent = self.parent
        if LEVEL_RANK[parent.level] >= LEVEL_RANK[self.level]:
            raise ValidationError(
                {
                    "parent": PARENT_NOT_HIGHER.format(
                        level=self.get_level_display(), parent_level=parent.get_level_display()
                    )
                }
            )
        if parent.region_id and parent.region_id != self.region_id:
            raise ValidationError({"region": REGION_OUTSIDE_PARENT})

    @staticmethod
    def levels_addable(scope: Scope) -> list[str]:
        """The levels of commission a scope may add: those below its own (the CEC's staff add
        territorial, district and precinct commissions; a territorial commission's staff add
        district and precinct ones in their region; nobody adds a second CEC)."""
        below = {
            Level.NATIONAL: CommissionLevel.TERRITORIAL,
            Level.REGION: CommissionLevel.DISTRICT,
        }.get(scope.level)
        if below is None:
            return []
        return [value for value in CommissionLevel.values if LEVEL_RANK[value] >= LEVEL_RANK[below]]

    @classmethod
    def scope_q(cls, scope: Scope, action: str) -> Q | None:
        condition = super().scope_q(scope, action)
        if action != ADD or condition is None:
            return condition
        levels = cls.levels_addable(scope)
        if not levels:
            return None
        allowed = Q()
        for level in levels:
            allowed |= Q(level=level)
        return condition & allowed

    @property
    def scope_level(self) -> Level:
        if self.level == CommissionLevel.CEC:
            return Level.NATIONAL
        if self.level == CommissionLevel.PRECINCT:
            return Level.PRECINCT
        return Level.REGION


class CommissionMemberQuerySet(RestrictedQuerySet):
    def active(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


class CommissionMember(ScopedModel, models.Model):
    """A person on a commission: an office (chair, deputy chair, secretary, member) or staff.

    A member with a user account works in Saylau within their commission's scope.
    """

    commission = models.ForeignKey(
        Commission, verbose_name=_("commission"), on_delete=models.CASCADE, related_name="members"
    )
    full_name = NameField(_("full name"), max_length=255)
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    party = models.ForeignKey(
        Party,
        verbose_name=_("nominating party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commission_members",
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commission_membership",
    )
    started_on = models.DateField(_("member since"), default=timezone.localdate)
    ended_on = models.DateField(_("member until"), null=True, blank=True)

    scope_public = True
    scope_region_path = "commission__region"
    scope_commission_path = "commission"
    objects = CommissionMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["commission", "role", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "role"],
                condition=Q(role__in=SINGLE_HOLDER_ROLES, ended_on__isnull=True),
                name="commissions_commissionmember_one_holder_per_office",
                violation_error_message=_("This office of the commission is already held."),
            ),
            models.UniqueConstraint(
                fields=["commission", "party"],
                condition=Q(party__isnull=False, ended_on__isnull=True) & ~Q(role=MemberRole.STAFF),
                name="commissions_commissionmember_one_nominee_per_party",
                violation_error_message=_(
                    "The party already has its one nominee on this commission."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="commissions_commissionmember_dates_order",
                violation_error_message=_("Membership cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()}, {self.commission})"
