"""Row scope: which rows a user may see or change. One mechanism for the admin, views and API.

A user's scope comes from the commission they work for (resolved by the function named in
settings.SAYLAU_SCOPE_RESOLVER, which lives in the commissions app so that core depends on no
domain app). A model says how its rows relate to a region and to a precinct commission; then
`Model.objects.restrict(user, action)` gives the rows that user may act on, `can(user, action,
obj)` says whether one object is among them, and `require(actor, action, obj, message)` is the
services' check (PermissionDenied). There is no other row-scope check: a model with a special rule
declares it (its `scope_q`), and every caller goes through these three.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
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
    # Whose scope it is (for rows a user owns, `ScopedModel.scope_owner_path`); not part of the
    # scope's identity: two staff of one region have equal scopes.
    user_id: int | None = dataclasses.field(default=None, compare=False)

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
    scope = dataclasses.replace(scope, user_id=user.pk)
    user._saylau_scope = scope
    return scope


class OutOfScope(Http404):
    """A row that exists but not among those the user works on: answered as "not found" (its
    existence is not confirmed), with the site's 404 page (core.views.OutOfScopeMiddleware)."""


class ScopedModel:
    """Declares how a model's rows fall into a scope. Subclasses set the class attributes.

    - `scope_public`: anyone (public pages, agencies) may view every row.
    - `scope_region_path`: lookup from the row to its region's id ("region", "commission__region").
    - `scope_commission_path`: lookup from the row to the precinct commission it belongs to.
    - `scope_owner_path`: lookup from the row to the user who owns it (a job: who started it);
      an owner acts on their own rows whatever their level.
    A model with special rules overrides `scope_q`, keeping to equality lookups along foreign
    keys (`Q(region=...)`, `Q(kind=...)`, `&`, `|`): then `can()` judges an unsaved object too.
    """

    scope_public = False
    scope_region_path: str | None = None
    scope_commission_path: str | None = None
    scope_owner_path: str | None = None

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
        if cls.scope_owner_path and scope.user_id is not None:
            return Q(**{cls.scope_owner_path: scope.user_id})
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
    """Whether the user's scope covers this one object, as it is in memory: an unsaved object
    (a nomination being made) and unsaved changes (a body moved to another region) count. The
    model permission is checked apart.

    The model's scope condition is evaluated on the object's own attributes when it consists of
    plain equality lookups along foreign keys (every declaration in Saylau does); any other
    condition is asked of the database for the stored row."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    condition = type(obj).scope_q(scope_of(user), action)
    if condition is None:
        return False
    if not condition:  # Q(): every row, no query needed
        return True
    try:
        return _holds(condition, obj)
    except _NotInMemory:
        if obj.pk is None:
            raise TypeError(
                f"{type(obj).__name__}'s scope cannot be checked before it is saved"
            ) from None
        return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def require(actor, action: str, obj, message) -> None:
    """A service's scope check: PermissionDenied(message) unless `can(actor, action, obj)`.

    `actor=None` is the system (a Celery job, a management command, the demo loader), which acts
    everywhere; a person's or an agency's account is checked."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def require_permission(actor, permission: str, message, *, agencies: bool = False) -> None:
    """A service's model-permission check ("app.codename"), next to its scope check (`require`):
    PermissionDenied(message) unless the actor holds `permission`. `actor=None` is the system,
    which may. An agency's account holds no model permissions: with `agencies=True` it is let
    through, what it may do being its API token's scopes, which the API checks before calling
    the service (core.api.permissions.ScopedPermission); else it is refused."""
    if actor is None:
        return
    if getattr(actor, "role", "") == Role.AGENCY:
        if agencies:
            return
        raise PermissionDenied(message)
    if not actor.has_perm(permission):
        raise PermissionDenied(message)


class _NotInMemory(Exception):
    """The condition needs the database (a lookup other than equality, a reverse relation)."""


def _holds(condition: Q, obj) -> bool:
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_holds(child, obj))
        else:
            lookup, expected = child
            results.append(_value_at(obj, lookup) == _comparable(expected))
    held = all(results) if condition.connector == Q.AND else any(results)
    return not held if condition.negated else held


def _value_at(obj, lookup: str):
    """The value a lookup such as "body__region" or "commission__region_id" finds from obj."""
    parts = lookup.split("__")
    if parts[-1] == "exact":
        parts = parts[:-1]
    current = obj
    for index, part in enumerate(parts):
        if current is None:
            return None
        if part == "pk":
            current = current.pk
            continue
        try:
            field = current._meta.get_field(part)
        except (FieldDoesNotExist, AttributeError):
            raise _NotInMemory(lookup) from None
        if not field.concrete or field.many_to_many:
            raise _NotInMemory(lookup)
        if index == len(parts) - 1 or getattr(current, field.attname) is None:
            current = getattr(current, field.attname)
        else:
            current = getattr(current, field.name)
    return _comparable(current)


def _comparable(value):
    return value.pk if isinstance(value, models.Model) else value
