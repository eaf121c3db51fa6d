from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from commissions.choices import CommissionLevel
from commissions.constants import VOTING_EARLIEST_OPENING, VOTING_LATEST_CLOSING
from commissions.models import Commission, Election, Region, validate_timezone
from core.fields import PhoneField, TitleField
from core.scoping import VIEW, Level, RestrictedQuerySet, Scope, ScopedModel

from .choices import (
    DecisionStatus,
    HoursReason,
    LocalityKind,
    Parity,
    ProposingBody,
    RuleKind,
    SpecialKind,
    StreetNameKind,
)

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
OPENING_NOT_BEFORE_CLOSING = _("Voting must open before it closes.")
DECISION_DATES_FOR_STATUS = _(
    "A draft has no adoption date; an adopted decision has one; a published decision has its "
    "adoption date and its publication time; a withdrawn decision has its adoption date and no "
    "publication time."
)
NOT_TERRITORIAL = _("Voting hours are decided by a territorial election commission.")
WITHDRAWAL_SHAPE = _(
    "A withdrawn decision has the time it was withdrawn and the reason; no other decision has "
    "either."
)
SUPERSEDED_ONCE = _("Another decision supersedes this published decision already.")


def _within_law(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": VOTING_EARLIEST_OPENING, f"{field}__lte": VOTING_LATEST_CLOSING}
    )


class VotingHoursDecisionQuerySet(RestrictedQuerySet):
    def published(self):
        return self.filter(status=DecisionStatus.PUBLISHED)

    def in_force(self):
        """Published decisions that no published decision supersedes: what sets voting hours.
        A withdrawn decision (never published) is none of them and supersedes nothing."""
        return self.published().exclude(superseded_by__status=DecisionStatus.PUBLISHED)

    def open_to_supersede(self):
        """Published decisions that no decision supersedes or is drafted to supersede (a
        withdrawn one holds none): those a new decision may supersede."""
        holders = VotingHoursDecision.objects.filter(supersedes=OuterRef("pk")).exclude(
            status=DecisionStatus.WITHDRAWN
        )
        return self.published().exclude(Exists(holders))

    def with_superseded_by(self):
        """Each decision with `superseded_by_id`: the id of the published decision that
        supersedes it, or None (a draft or adopted successor does not supersede it yet), read
        in the same query."""
        successors = VotingHoursDecision.objects.filter(
            supersedes=OuterRef("pk"), status=DecisionStatus.PUBLISHED
        ).values("pk")[:1]
        return self.annotate(superseded_by_id=Subquery(successors))


class VotingHoursDecision(ScopedModel, models.Model):
    """A territorial commission's decision that particular stations vote at another time than
    the election's default (Law, art. 38): on a proposal of the akim or of the precinct
    commission, within 06:00–22:00 local time, made known to voters by the informing deadline.

    Drafted, adopted, then published; a published decision is never changed: another decision
    supersedes it. An adopted decision never published may be withdrawn (its reason, who and
    when kept): it then sets no hours and supersedes nothing. The rules across rows are
    `polling.services.voting_hours_decision_check`.
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
    # A foreign key, not one-to-one: a decision is superseded once (the constraint
    # "supersedes_once"), but a successor withdrawn leaves it to be superseded by another.
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text=_("The published decision this one replaces once it is published."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system withdrew it."),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

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
                )
                | Q(
                    status=DecisionStatus.WITHDRAWN,
                    adopted_on__isnull=False,
                    published_at__isnull=True,
                ),
                name="polling_votinghoursdecision_dates_for_status",
                violation_error_message=DECISION_DATES_FOR_STATUS,
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=DecisionStatus.WITHDRAWN, withdrawn_at__isnull=False)
                    & ~Q(withdrawal_reason="")
                )
                | (
                    ~Q(status=DecisionStatus.WITHDRAWN)
                    & Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason="")
                ),
                name="polling_votinghoursdecision_withdrawal",
                violation_error_message=WITHDRAWAL_SHAPE,
            ),
            models.UniqueConstraint(
                fields=["supersedes"],
                condition=~Q(status=DecisionStatus.WITHDRAWN),
                name="polling_votinghoursdecision_supersedes_once",
                violation_error_message=SUPERSEDED_ONCE,
            ),
        ]

    def __str__(self):
        return _("Decision No. {number} of {commission}").format(
            number=self.number, commission=self.commission
        )

    def successor(self) -> VotingHoursDecision | None:
        """The decision that supersedes this one, or is drafted or adopted to: at most one
        (the constraint "supersedes_once"); a withdrawn one is none."""
        return (
            self.superseded_by.exclude(status=DecisionStatus.WITHDRAWN).order_by("pk").first()
            if self.pk
            else None
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


# TERRITORIES: the addresses a station serves (see polling.addresses for building numbers and
# street keys, polling.selectors.station_for_address for the one decision).

STATION_OTHER_REGION = _("The polling station belongs to another region than the locality.")
STREET_OTHER_LOCALITY = _("The street belongs to another locality.")
PARENT_OTHER_REGION = _("A locality lies in the same region as the district it belongs to.")
RULE_SHAPE = _(
    "A whole locality has no street and no buildings; a whole street no buildings; a range its "
    "first and last numbers; a single building its number."
)
RANGE_ORDER = _("A range's first number is not above its last.")
PARITY_ONLY_FOR_SIDES = _("Only a whole street or a range has an odd or even side.")


class Locality(ScopedModel, models.Model):
    """A settlement (city, district town, village) or a district of a city, in a region."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="localities"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LocalityKind.choices)
    name = TitleField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text=_("The district a village is in, or the city a city district is part of."),
    )

    scope_public = True
    scope_region_path = "region"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["region__name", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="polling_locality_not_own_part",
                violation_error_message=_("A locality is not a part of itself."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        parent = self.parent if self.parent_id else None
        if parent is not None and self.region_id and parent.region_id != self.region_id:
            raise ValidationError({"parent": PARENT_OTHER_REGION})


class Street(ScopedModel, models.Model):
    """A street (avenue, microdistrict...) of a locality: its current name in each language
    (`name`, translated); every name it is searched by, current and former, in `names`."""

    locality = models.ForeignKey(
        Locality, verbose_name=_("locality"), on_delete=models.PROTECT, related_name="streets"
    )
    name = TitleField(_("name"), max_length=160, help_text=_("E.g. Абай көшесі / ул. Абая."))

    scope_public = True
    scope_region_path = "locality__region"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["locality__name", "name", "pk"]

    def __str__(self):
        return self.name


class StreetName(models.Model):
    """One name a street is or was known by, in one language, with its search key
    (`polling.addresses.street_key`, set on every save)."""

    street = models.ForeignKey(
        Street, verbose_name=_("street"), on_delete=models.CASCADE, related_name="names"
    )
    name = TitleField(_("name"), max_length=160)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    kind = models.CharField(
        _("kind"), max_length=8, choices=StreetNameKind.choices, default=StreetNameKind.CURRENT
    )
    key = models.CharField(_("search key"), max_length=160, editable=False)

    class Meta:
        verbose_name = _("street name")
        verbose_name_plural = _("street names")
        ordering = ["street", "kind", "language", "pk"]
        indexes = [
            # Prefix search (LIKE 'abai%') on the key, whatever the database's collation.
            models.Index(
                fields=["key"], name="polling_streetname_key_prefix", opclasses=["text_pattern_ops"]
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "language", "kind", "name"],
                name="polling_streetname_unique",
                violation_error_message=_("The street has this name already."),
            ),
            models.CheckConstraint(
                condition=~Q(key=""),
                name="polling_streetname_has_key",
                violation_error_message=_("A street name needs letters or digits."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .addresses import street_key

        self.key = street_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        from .addresses import street_key

        super().clean()
        self.key = street_key(self.name)


class TerritoryRuleQuerySet(RestrictedQuerySet):
    pass


class TerritoryRule(ScopedModel, models.Model):
    """One piece of a station's territory: a whole locality (a village), a whole street (or its
    odd or even side), a range of building numbers (or its odd or even side), or one building.

    Which rule decides an address, and why a range covers 12А, is told in polling.addresses and
    polling.selectors.station_for_address; that no address is served by two stations is
    `polling.services.territory_rule_check`."""

    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.CASCADE,
        related_name="territory_rules",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=RuleKind.choices)
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("locality"),
        on_delete=models.PROTECT,
        related_name="territory_rules",
    )
    street = models.ForeignKey(
        Street,
        verbose_name=_("street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="territory_rules",
    )
    parity = models.CharField(_("side"), max_length=4, choices=Parity.choices, default=Parity.BOTH)
    number_from = models.PositiveIntegerField(_("from number"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("to number"), null=True, blank=True)
    building = models.CharField(
        _("building"), max_length=24, blank=True, help_text=_("E.g. 12, 12А, 12/1.")
    )
    building_key = models.CharField(_("building key"), max_length=24, blank=True, editable=False)
    registration_code = models.CharField(
        _("address register code"),
        max_length=32,
        blank=True,
        help_text=_("The building's code in the state address register, when known."),
    )

    scope_public = True
    scope_region_path = "station__precinct_commission__region"
    objects = TerritoryRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory rule")
        verbose_name_plural = _("territory rules")
        ordering = ["locality_id", "street_id", "kind", "number_from", "building_key", "pk"]
        indexes = [
            models.Index(fields=["street", "kind"], name="polling_terrrule_street_kind"),
            models.Index(fields=["locality", "kind"], name="polling_terrrule_locality_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind=RuleKind.LOCALITY,
                    street__isnull=True,
                    number_from__isnull=True,
                    number_to__isnull=True,
                    building_key="",
                )
                | Q(
                    kind=RuleKind.STREET,
                    street__isnull=False,
                    number_from__isnull=True,
                    number_to__isnull=True,
                    building_key="",
                )
                | Q(
                    kind=RuleKind.RANGE,
                    street__isnull=False,
                    number_from__isnull=False,
                    number_to__isnull=False,
                    building_key="",
                )
                | Q(
                    kind=RuleKind.BUILDING,
                    street__isnull=False,
                    number_from__isnull=True,
                    number_to__isnull=True,
                )
                & ~Q(building_key=""),
                name="polling_territoryrule_shape",
                violation_error_message=RULE_SHAPE,
            ),
            models.CheckConstraint(
                condition=Q(number_from__isnull=True)
                | Q(number_to__isnull=True)
                | Q(number_from__lte=models.F("number_to")),
                name="polling_territoryrule_range_order",
                violation_error_message=RANGE_ORDER,
            ),
            models.CheckConstraint(
                condition=Q(parity=Parity.BOTH) | Q(kind__in=[RuleKind.STREET, RuleKind.RANGE]),
                name="polling_territoryrule_parity_for_sides",
                violation_error_message=PARITY_ONLY_FOR_SIDES,
            ),
            # One station per building and per locality; ranges and sides are checked across
            # rows by the service, under a lock per locality.
            models.UniqueConstraint(
                fields=["street", "building_key"],
                condition=Q(kind=RuleKind.BUILDING),
                name="polling_territoryrule_one_station_per_building",
                violation_error_message=_("Another rule serves this building already."),
            ),
            models.UniqueConstraint(
                fields=["locality"],
                condition=Q(kind=RuleKind.LOCALITY),
                name="polling_territoryrule_one_station_per_locality",
                violation_error_message=_("Another rule serves the whole locality already."),
            ),
        ]

    def __str__(self):
        if self.kind == RuleKind.LOCALITY:
            return str(self.locality)
        place = f"{self.locality}, {self.street}"
        if self.kind == RuleKind.BUILDING:
            return f"{place} {self.building}"
        side = "" if self.parity == Parity.BOTH else f" ({self.get_parity_display()})"
        if self.kind == RuleKind.RANGE:
            return f"{place} {self.number_from}–{self.number_to}{side}"
        return f"{place}{side}"

    def save(self, *args, **kwargs):
        from .addresses import building_key

        if self.kind == RuleKind.BUILDING and self.building and not self.building_key:
            self.building_key = building_key(self.building)
        if self.street_id and not self.locality_id:
            self.locality_id = self.street.locality_id
        super().save(*args, **kwargs)

    def clean(self):
        from .addresses import building_key

        super().clean()
        if self.kind == RuleKind.BUILDING and self.building:
            try:
                self.building_key = building_key(self.building)
            except ValidationError as error:
                raise ValidationError({"building": error.messages}) from None
        elif self.kind != RuleKind.BUILDING:
            self.building_key = ""
        station = self.station if self.station_id else None
        locality = self.locality if self.locality_id else None
        if (
            station is not None
            and locality is not None
            and (station.is_abroad or station.region_id != locality.region_id)
        ):
            raise ValidationError({"station": STATION_OTHER_REGION})
        street = self.street if self.street_id else None
        if street is not None and locality is not None and street.locality_id != locality.pk:
            raise ValidationError({"street": STREET_OTHER_LOCALITY})

    def covers_number(self, number: int) -> bool:
        """Whether a building number falls in this rule's range and side (not for buildings)."""
        if self.number_from is not None and not (self.number_from <= number <= self.number_to):
            return False
        return self.parity == Parity.BOTH or (number % 2 == 1) == (self.parity == Parity.ODD)


# Voters' subscriptions to a station's notices: a module of their own (polling.informing).
from .subscription_models import StationSubscription  # noqa: E402, F401
