from django.db import models
from django.utils.translation import gettext_lazy as _


class SpecialKind(models.TextChoices):
    """Stations that may close early once every voter on their list has voted."""

    NONE = "", _("Ordinary station")
    MILITARY = "military", _("Military unit")
    HOSPITAL = "hospital", _("Hospital")
    SANATORIUM = "sanatorium", _("Sanatorium or rest home")
    DETENTION = "detention", _("Detention centre")
    REMOTE_PASTURE = "pasture", _("Remote pasture")
    SHIFT_CAMP = "shift_camp", _("Shift camp")


class ProposingBody(models.TextChoices):
    """Who proposed another time of voting to the territorial commission (Law, art. 38)."""

    AKIM = "akim", _("Akim")
    PRECINCT_COMMISSION = "precinct_commission", _("Precinct election commission")


class HoursReason(models.TextChoices):
    """Why a station votes at another time."""

    REMOTE_AREA = "remote_area", _("Remote area")
    SHIFT_CAMP = "shift_camp", _("Shift camp")
    HOSPITAL = "hospital", _("Hospital")
    MILITARY_UNIT = "military_unit", _("Military unit")
    OTHER = "other", _("Other")


class DecisionStatus(models.TextChoices):
    """A voting hours decision's way: drafted, adopted by the commission, published to voters;
    or, adopted by mistake and never published, withdrawn by the commission."""

    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LocalityKind(models.TextChoices):
    """A settlement, as the address register names it."""

    CITY = "city", _("City")
    TOWN = "town", _("District town")
    VILLAGE = "village", _("Village")
    CITY_DISTRICT = "city_district", _("City district")


class RuleKind(models.TextChoices):
    """What a territory rule gives a station; also its precedence, most precise first."""

    BUILDING = "building", _("Single building")
    RANGE = "range", _("Range of buildings")
    STREET = "street", _("Whole street")
    LOCALITY = "locality", _("Whole locality")


class Parity(models.TextChoices):
    """Which side of a street (or of a range) a rule covers, by the building's number."""

    BOTH = "both", _("Both sides")
    ODD = "odd", _("Odd numbers")
    EVEN = "even", _("Even numbers")


class StreetNameKind(models.TextChoices):
    CURRENT = "current", _("Current name")
    FORMER = "former", _("Former name")
