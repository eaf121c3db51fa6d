"""Nominating bodies: who registers which (the CEC states and organisations, a territorial
commission its own region's associations: `NominatingBody.scope_q`, checked through
`core.scoping.require`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.constraints import save_checked
from core.scoping import CHANGE, require
from core.services import model_create, model_update

from ..choices import BodyKind
from ..models import NominatingBody

BODY_NOT_YOURS_TO_REGISTER = gettext_lazy(
    "The CEC registers states and organisations; a territorial commission, the public "
    "associations of its own region."
)

# What a body's page may change: everything but its id.
BODY_FIELDS = tuple(
    field.name
    for field in NominatingBody._meta.concrete_fields
    if field.editable and not field.primary_key
)


@transaction.atomic
def nominating_body_create(*, actor, kind: str, **fields) -> NominatingBody:
    """Register a nominating body. States and international organisations are the CEC's to
    register; a territorial commission accredits the public associations of its region. Two
    registrations of the same state at once: the second gets the constraint's message."""
    body = NominatingBody(kind=kind, **fields)
    if kind == BodyKind.STATE:
        body.name = ""
    return model_create(actor=actor, instance=body, refusal=BODY_NOT_YOURS_TO_REGISTER)


@transaction.atomic
def nominating_body_update(*, actor, body: NominatingBody, **fields) -> NominatingBody:
    """Change a nominating body's details (any of BODY_FIELDS; ValueError for others); the
    registrar's rule holds before and after (a territorial commission cannot move an
    association out of its region, or make it a state)."""
    stored = NominatingBody.objects.select_for_update().get(pk=body.pk)
    require(actor, CHANGE, stored, BODY_NOT_YOURS_TO_REGISTER)
    if fields.get("kind", stored.kind) == BodyKind.STATE:
        fields["name"] = ""
    changed = model_update(stored, fields=BODY_FIELDS, data=fields)
    require(actor, CHANGE, stored, BODY_NOT_YOURS_TO_REGISTER)
    if changed:
        with acting_as(actor):
            save_checked(stored)
    for name in changed:  # the caller's object shows what was saved
        setattr(body, name, getattr(stored, name))
    return stored
