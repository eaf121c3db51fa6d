"""Polling stations' rules: who opens one, and what may change once it exists."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from core.audit import acting_as
from core.constraints import save_checked
from core.scoping import CHANGE, require
from core.services import model_create, model_update

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
def polling_station_create(*, actor, station: PollingStation) -> PollingStation:
    """Open a new polling station: the CEC anywhere, territorial staff in their own region (its
    precinct commission decides where it is)."""
    return model_create(actor=actor, instance=station, refusal=OUTSIDE_SCOPE)


@transaction.atomic
def polling_station_update(*, actor, station: PollingStation, **changes) -> PollingStation:
    """Change a station's description or voting-day facilities, within the actor's scope. Only
    UPDATABLE_FIELDS may change (anything else is a ValueError, see `core.services.model_update`);
    the actor's change scope is checked on the stored station."""
    station = PollingStation.objects.select_for_update().get(pk=station.pk)
    require(actor, CHANGE, station, OUTSIDE_SCOPE)
    changed = model_update(station, fields=UPDATABLE_FIELDS, data=changes)
    if changed:
        with acting_as(actor):
            save_checked(station)
    return station
