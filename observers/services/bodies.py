"""Nominating bodies: who registers which (the CEC states and organisations, a territorial
commission its own region's associations)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy

from core.scoping import Level, scope_of

from ..choices import BodyKind
from ..models import NominatingBody

BODY_NOT_YOURS_TO_REGISTER = gettext_lazy(
    "The CEC registers states and organisations; a territorial commission, the public "
    "associations of its own region."
)


@transaction.atomic
def nominating_body_create(*, actor, kind: str, **fields) -> NominatingBody:
    """Register a nominating body. States and international organisations are the CEC's to
    register; a territorial commission accredits the public associations of its region."""
    body = NominatingBody(kind=kind, **fields)
    if kind == BodyKind.STATE:
        body.name = ""
    _check_registrar(actor, body)
    body.full_clean()
    body.save()
    return body


@transaction.atomic
def nominating_body_update(*, actor, body: NominatingBody, **fields) -> NominatingBody:
    """Change a nominating body's details; the registrar's rule holds before and after (a
    territorial commission cannot move an association out of its region, or make it a state)."""
    _check_registrar(actor, NominatingBody.objects.get(pk=body.pk))
    for name, value in fields.items():
        setattr(body, name, value)
    if body.kind == BodyKind.STATE:
        body.name = ""
    _check_registrar(actor, body)
    body.full_clean()
    body.save()
    return body


def _check_registrar(actor, body: NominatingBody) -> None:
    if actor is None:
        return
    scope = scope_of(actor)
    regional = body.kind == BodyKind.ASSOCIATION and scope.level is Level.REGION
    if not scope.is_national and not (regional and body.region_id == scope.region_id):
        raise PermissionDenied(BODY_NOT_YOURS_TO_REGISTER)
