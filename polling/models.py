from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissions.choices import CommissionLevel
from commissions.constants import VOTING_EARLIEST_OPENING, VOTING_LATEST_CLOSING
from commissions.models import Commission, Election, Region, validate_timezone
from core.fields import PhoneField, TitleField
from core.scoping import VIEW, Level, RestrictedQuerySet, Scope, ScopedModel

from .choices import DecisionStatus, HoursReason, ProposingBody, SpecialKind

ABROAD_HAS_NO_REGION = _(
    "A station abroad has a country other than Kazakhstan and no region; "
    "a station at home has a region and the country KZ."
)
NOT_A_PRECINCT_COMMISSION = _("A polling station is run by a precinct election commission.")
COMMISSION_OUTSIDE_REGION = _("The precinct commission belongs to another region.")
COORDINATES_TOGETHER = _("Give both the latitude and the longitude, or neither.")
LATITUDE_RANGE = _("A latitude lies between -90 and 90 degrees.")
LONGITUDE_RANGE = _("A longitude lies between -180 and 180 degrees.")

# Precinct premises open one hour before voting starts (Law).
PREMISES_OPEN_BEFORE_VOTING = timedelta(hours=1)


class PollingStationQuerySet(RestrictedQuerySet):
    def at_home(self):
        return self.filter(is_abroad=False)

    def abroad(self):
        return self.filter(is_abroad=True)


class PollingStation(ScopedModel, models.Model):
    """A polling station and its precinct: where it is, in which time zone, what it offers."""

    number = models.PositiveIntegerField(_("number"))
    name = TitleField(_("name"), max_length=255, help_text=_("E.g. the school it is in."))
    address = TitleField(_("address"), max_length=255)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polling_stations",
    )
    country = models.CharField(
        _("country"), max_length=2, default="KZ", help_text=_("ISO 3166-1 alpha-2 code.")
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_timezone],
        blank=True,
        help_text=_("IANA name; left empty, the region's zone is used."),
    )
    precinct_commission = models.OneToOneField(
        Commission,
        verbose_name=_("precinct commission"),
        on_delete=models.PROTECT,
        related_name="polling_station",
        limit_choices_to={"level": CommissionLevel.PRECINCT},
    )
    is_abroad = models.BooleanField(_("abroad"), default=False)
    egov_check_available = models.BooleanField(
        _("e-Gov registration check available"),
        default=False,
        help_text=_("Members can look up a voter's permanent registration on voting day."),
    )
    temporary_registration_allowed = models.BooleanField(
        _("temporary registration allowed"),
        default=False,
        help_text=_("Voters with no registration may register at the station's address."),
    )
    special_kind = models.CharField(
        _("special station"), max_length=16, choices=SpecialKind.choices, blank=True, default=""
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        help_text=_("Degrees north (WGS 84), e.g. 51.128207; for a link to a map service."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
        help_text=_("Degrees east (WGS 84), e.g. 71.430411."),
    )
    step_free_entrance = models.BooleanField(_("step-free entrance"), default=False)
    has_ramp = models.BooleanField(_("ramp"), default=False)
    accessible_booth = models.BooleanField(
        _("accessible voting booth"),
        default=False,
        help_text=_("A booth a wheelchair user can vote in."),
    )
    phone = PhoneField(_("contact phone"), blank=True)

    scope_public = True
    # Through the commission: stations abroad have no region, but their commission has one.
    scope_region_path = "precinct_commission__region"
    scope_commission_path = "precinct_commission"
    objects = PollingStationQuerySet.as_manager()

    class Meta:
        verbose_name = _("polling station")
        verbose_name_plural = _("polling stations")
        ordering = ["region__name", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "number"],
                condition=Q(region__isnull=False),
                name="polling_pollingstation_unique_number_in_region",
                violation_error_message=_("A station with this number exists in the region."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(is_abroad=True),
                name="polling_pollingstation_unique_number_abroad",
                violation_error_message=_("A station abroad with this number exists."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(is_abroad=False, region__isnull=False, country="KZ")
                    | (Q(is_abroad=True, region__isnull=True) & ~Q(country="KZ"))
                ),
                name="polling_pollingstation_abroad_or_region",
                violation_error_message=ABROAD_HAS_NO_REGION,
            ),
            models.CheckConstraint(
                condition=Q(is_abroad=False) | ~Q(timezone=""),
                name="polling_pollingstation_abroad_has_timezone",
                violation_error_message=_("A station abroad needs its own time zone."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="polling_pollingstation_coordinates_together",
                violation_error_message=COORDINATES_TOGETHER,
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="polling_pollingstation_latitude_range",
                violation_error_message=LATITUDE_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="polling_pollingstation_longitude_range",
                violation_error_message=LONGITUDE_RANGE,
            ),
        ]

    def __str__(self):
        return _("Polling station No. {number}").format(number=self.number)

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        # An agency acts nationwide; what it may do at all is its token's scopes.
        if scope.level is Level.AGENCY:
            return Q()
        return super().scope_q(scope, action)

    def clean(self):
        super().clean()
        commission = getattr(self, "precinct_commission", None)
        if commission is None:
            return
        if commission.level != CommissionLevel.PRECINCT:
            raise ValidationError({"precinct_commission": NOT_A_PRECINCT_COMMISSION})
        if self.region_id and commission.region_id != self.region_id:
            raise ValidationError({"precinct_commission": COMMISSION_OUTSIDE_REGION})

    @property
    def timezone_name(self) -> str:
        """The zone voting hours are kept in: the station's own, else its region's."""
        return self.timezone or self.region.timezone

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone_name)

    def premises_open_at(self, election: Election) -> datetime:
        """When the precinct's premises open for this election: an hour before voting starts
        (its effective opening, `polling.selectors.effective_hours`), in the station's zone."""
        from .selectors import effective_hours

        opening, _closing, _decision = effective_hours(self, election)
        return opening - PREMISES_OPEN_BEFORE_VOTING


# VOTING HOURS DECISIONS

HOURS_OUTSIDE_LAW = _("Voting may not start before 06:00 nor end after 22:00 local time.")
NO_TIME_SET = _("Set another opening time, another closing time, or both.")
OPENING_NOT_BEFORE_CLOSING = _("Voting opens before it closes.")
DECISION_DATES_FOR_STATUS = _(
    "A draft has no adoption date; an adopted decision has one; a published decision has its "
    "adoption date and its publication time."
)
NOT_TERRITORIAL = _("Voting hours are decided by a territorial election commission.")


def _within_law(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": VOTING_EARLIEST_OPENING, f"{field}__lte": VOTING_LATEST_CLOSING}
    )


class VotingHoursDecisionQuerySet(RestrictedQuerySet):
    def published(self):
        return self.filter(status=DecisionStatus.PUBLISHED)

    def in_force(self):
        """Published decisions that no published decision supersedes: what sets voting hours."""
        return self.published().exclude(superseded_by__status=DecisionStatus.PUBLISHED)


class VotingHoursDecision(ScopedModel, models.Model):
    """A territorial commission's decision that particular stations vote at another time than
    the election's default (Law, art. 38): on a proposal of the akim or of the precinct
    commission, within 06:00–22:00 local time, made known to voters by the informing deadline.

    Drafted, adopted, then published; a published decision is never changed: another decision
    supersedes it. The rules across rows are `polling.services.voting_hours_decision_check`.
    """

    election = models.ForeignKey(
        Election,
        verbose_name=_("election"),
        on_delete=models.PROTECT,
        related_name="voting_hours_decisions",
    )
    commission = models.ForeignKey(
        Commission,
        verbose_name=_("territorial commission"),
        on_delete=models.PROTECT,
        related_name="voting_hours_decisions",
        limit_choices_to={"level": CommissionLevel.TERRITORIAL},
    )
    number = TitleField(
        _("number"), max_length=32, help_text=_("As the commission numbers it, e.g. 12/45.")
    )
    proposed_by = models.CharField(_("proposed by"), max_length=24, choices=ProposingBody.choices)
    stations = models.ManyToManyField(
        PollingStation,
        verbose_name=_("polling stations"),
        related_name="voting_hours_decisions",
        blank=True,
    )
    opens_at = models.TimeField(
        _("voting opens at"),
        null=True,
        blank=True,
        help_text=_("Local time; empty: the election's usual opening."),
    )
    closes_at = models.TimeField(
        _("voting closes at"),
        null=True,
        blank=True,
        help_text=_("Local time; empty: the election's usual closing."),
    )
    reason_kind = models.CharField(_("reason"), max_length=16, choices=HoursReason.choices)
    reason = models.TextField(_("grounds"), blank=True)
    early_closing_allowed = models.BooleanField(
        _("may close early"),
        default=False,
        help_text=_(
            "Voting may end once every voter on the list has voted (stations in military "
            "units, hospitals, sanatoria, detention centres, remote pastures and shift camps)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text=_("The published decision this one replaces once it is published."),
    )

    # Anyone sees published decisions; territorial staff their commissions' drafts too.
    scope_region_path = "commission__region"
    objects = VotingHoursDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("voting hours decision")
        verbose_name_plural = _("voting hours decisions")
        ordering = ["-adopted_on", "commission__name", "number", "pk"]
        permissions = [
            ("adopt_votinghoursdecision", _("Can adopt and publish voting hours decisions")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "election", "number"],
                name="polling_votinghoursdecision_unique_number",
                violation_error_message=_(
                    "The commission has a decision with this number for this election."
                ),
            ),
            models.CheckConstraint(
                condition=_within_law("opens_at") & _within_law("closes_at"),
                name="polling_votinghoursdecision_within_law",
                violation_error_message=HOURS_OUTSIDE_LAW,
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=False) | Q(closes_at__isnull=False),
                name="polling_votinghoursdecision_some_time",
                violation_error_message=NO_TIME_SET,
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(opens_at__lt=models.F("closes_at")),
                name="polling_votinghoursdecision_opens_before_closing",
                violation_error_message=OPENING_NOT_BEFORE_CLOSING,
            ),
            models.CheckConstraint(
                condition=Q(
                    status=DecisionStatus.DRAFT, adopted_on__isnull=True, published_at__isnull=True
                )
                | Q(
                    status=DecisionStatus.ADOPTED,
                    adopted_on__isnull=False,
                    published_at__isnull=True,
                )
                | Q(
                    status=DecisionStatus.PUBLISHED,
                    adopted_on__isnull=False,
                    published_at__isnull=False,
                ),
                name="polling_votinghoursdecision_dates_for_status",
                violation_error_message=DECISION_DATES_FOR_STATUS,
            ),
        ]

    def __str__(self):
        return _("Decision No. {number} of {commission}").format(
            number=self.number, commission=self.commission
        )

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        if scope.is_national:
            return Q()
        own = None
        if scope.level is Level.REGION and scope.region_id:
            own = Q(commission__region=scope.region_id)
        if action == VIEW:
            published = Q(status=DecisionStatus.PUBLISHED)
            return published if own is None else own | published
        return own

    def clean(self):
        super().clean()
        commission = getattr(self, "commission", None)
        if commission is not None and commission.level != CommissionLevel.TERRITORIAL:
            raise ValidationError({"commission": NOT_TERRITORIAL})
