"""Row scope: which rows a user may see or change. One mechanism for the admin, views and API.

A user's scope comes from the commission they work for (resolved by the function named in
settings.SAYLAU_SCOPE_RESOLVER, which lives in the commissions app so that core depends on no
domain app). A model says how its rows relate to a region and to a precinct commission; then
`Model.objects.restrict(user, action)` gives the rows that user may act on.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.module_loading import import_string

from .choices import Role

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)


class Level(enum.Enum):
    NATIONAL = "national"  # CEC staff and superusers: everything
    REGION = "region"  # territorial staff: one region
    PRECINCT = "precinct"  # precinct member: one station's commission
    AGENCY = "agency"  # an API client: public data plus what its token scopes allow
    PUBLIC = "public"  # anyone else
    NONE = "none"  # a staff account with a role but no commission yet: nothing


@dataclass(frozen=True)
class Scope:
    level: Level
    region_id: int | None = None
    commission_id: int | None = None
    agency_id: int | None = None

    @property
    def is_national(self) -> bool:
        return self.level is Level.NATIONAL


PUBLIC_SCOPE = Scope(Level.PUBLIC)
NATIONAL_SCOPE = Scope(Level.NATIONAL)


@cache
def _resolver():
    return import_string(settings.SAYLAU_SCOPE_RESOLVER)


def scope_of(user) -> Scope:
    """The scope of a user, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return PUBLIC_SCOPE
    cached = getattr(user, "_saylau_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = NATIONAL_SCOPE
    elif user.role == Role.AGENCY:
        agency = getattr(user, "agency", None)
        scope = Scope(Level.AGENCY, agency_id=agency.pk if agency else None)
    else:
        scope = _resolver()(user)
    user._saylau_scope = scope
    return scope


class ScopedModel:
    """Declares how a model's rows fall into a scope. Subclasses set the class attributes.

    - `scope_public`: anyone (public pages, agencies) may view every row.
    - `scope_region_path`: lookup from the row to its region's id ("region", "commission__region").
    - `scope_commission_path`: lookup from the row to the precinct commission it belongs to.
    A model with special rules overrides `scope_q`.
    """

    scope_public = False
    scope_region_path: str | None = None
    scope_commission_path: str | None = None

    @classmethod
    def work_action(cls) -> str:
        """The action that lists the rows a staff member works on (the admin's lists).

        Rows tied to a region or a commission are listed within the user's change scope, even when
        the public may view them all; reference data without such a tie is listed whole.
        """
        return CHANGE if cls.scope_region_path or cls.scope_commission_path else VIEW

    @classmethod
    def scope_q(cls, scope: Scope, action: str) -> Q | None:
        """A filter for the rows the scope may act on; Q() for all of them, None for none."""
        if scope.is_national:
            return Q()
        if action == VIEW and cls.scope_public:
            return Q()
        if scope.level is Level.REGION and cls.scope_region_path and scope.region_id:
            return Q(**{cls.scope_region_path: scope.region_id})
        if scope.level is Level.PRECINCT and cls.scope_commission_path and scope.commission_id:
            return Q(**{cls.scope_commission_path: scope.commission_id})
        return None


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r}")
        model = self.model
        if not issubclass(model, ScopedModel):
            raise TypeError(f"{model.__name__} does not declare a scope")
        condition = model.scope_q(scope_of(user), action)
        if condition is None:
            return self.none()
        return self.filter(condition)


def can(user, action: str, obj) -> bool:
    """Whether the user's scope covers this one object (the model permission is checked apart)."""
    condition = type(obj).scope_q(scope_of(user), action)
    if condition is None:
        return False
    if not condition:  # Q(): every row, no query needed
        return True
    return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()
