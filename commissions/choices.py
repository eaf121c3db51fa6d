from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    OBLAST = "oblast", _("Oblast")
    CITY = "city", _("City of republican significance")


class ElectionKind(models.TextChoices):
    MAZHILIS = "mazhilis", _("Mazhilis of Parliament")
    MASLIKHAT = "maslikhat", _("Maslikhats")
    SENATE = "senate", _("Senate of Parliament")
    PRESIDENTIAL = "presidential", _("President")
    REFERENDUM = "referendum", _("Referendum")


class CommissionLevel(models.TextChoices):
    """From the top down; the order of the values is the order of the hierarchy."""

    CEC = "cec", _("Central Election Commission")
    TERRITORIAL = "territorial", _("Territorial election commission")
    DISTRICT = "district", _("District election commission")
    PRECINCT = "precinct", _("Precinct election commission")


LEVEL_RANK = {level: rank for rank, level in enumerate(CommissionLevel.values)}


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    STAFF = "staff", _("Staff (non-voting)")


# Offices held by one person at a time in a commission.
SINGLE_HOLDER_ROLES = (MemberRole.CHAIR, MemberRole.DEPUTY_CHAIR, MemberRole.SECRETARY)
