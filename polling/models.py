from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissions.choices import CommissionLevel
from commissions.models import Commission, Region, validate_timezone
from core.fields import TitleField
from core.scoping import Level, RestrictedQuerySet, Scope, ScopedModel

from .choices import SpecialKind

ABROAD_HAS_NO_REGION = _(
    "A station abroad has a country other than Kazakhstan and no region; "
    "a station at home has a region and the country KZ."
)
NOT_A_PRECINCT_COMMISSION = _("A polling station is run by a precinct election commission.")
COMMISSION_OUTSIDE_REGION = _("The precinct commission belongs to another region.")


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
