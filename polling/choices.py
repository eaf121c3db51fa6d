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
