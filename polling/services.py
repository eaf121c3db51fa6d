from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from core.audit import acting_as
from core.constraints import save_checked
from core.scoping import CHANGE, can

from .models import PollingStation

OUTSIDE_SCOPE = _("You may not change this polling station.")

# What may change on a station once it exists; its number, region and commission are fixed.
TRANSLATED_FIELDS = ("name", "address")
UPDATABLE_FIELDS = frozenset(
    {
        *TRANSLATED_FIELDS,
        *(
            build_localized_fieldname(field, code)
            for field in TRANSLATED_FIELDS
            for code, _name in settings.LANGUAGES
        ),
        "timezone",
        "egov_check_available",
        "temporary_registration_allowed",
        "special_kind",
    }
)


@transaction.atomic
def polling_station_update(*, actor, station: PollingStation, **changes) -> PollingStation:
    """Change a station's description or voting-day facilities, within the actor's scope."""
    if actor is not None and not can(actor, CHANGE, station):
        raise PermissionDenied(OUTSIDE_SCOPE)
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    station = PollingStation.objects.select_for_update().get(pk=station.pk)
    for name, value in changes.items():
        setattr(station, name, value)
    station.full_clean()
    with acting_as(actor):
        save_checked(station)
    return station
