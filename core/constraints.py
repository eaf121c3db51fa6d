"""Database constraints as user-facing errors.

`full_clean()` checks a model's constraints before saving, but two requests can both pass that
check; the database then refuses the second write. `save_checked` turns that refusal into the
same ValidationError (the constraint's own message) that `full_clean` would have raised, so a race
never becomes a server error.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, F, Q


def violated_constraint(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def save_checked(instance, **save_kwargs) -> None:
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError as exc:
        name = violated_constraint(exc)
        for constraint in instance._meta.constraints:
            if constraint.name == name:
                raise ValidationError(
                    constraint.get_violation_error_message(), code=constraint.name
                ) from exc
        raise


# CHECK CONSTRAINTS IN PYTHON


class _Unsupported(Exception):
    pass


LOOKUPS = {
    "exact": lambda value, other: value == other,
    "lt": lambda value, other: value < other,
    "lte": lambda value, other: value <= other,
    "gt": lambda value, other: value > other,
    "gte": lambda value, other: value >= other,
    "in": lambda value, other: value in other,
}


def _holds(condition, instance):
    """A check constraint's condition (a Q of plain lookups on the model's own fields) for an
    unsaved instance, as the database decides it: True, False, or None where SQL yields NULL
    (a comparison with a NULL), which a CHECK lets pass. _Unsupported for anything else."""
    if isinstance(condition, Q):
        results = [_holds(child, instance) for child in condition.children]
        if condition.connector == Q.AND:
            result = False if False in results else None if None in results else True
        else:
            result = True if True in results else None if None in results else False
        return (None if result is None else not result) if condition.negated else result
    lookup, other = condition
    name, _sep, operator = lookup.partition("__")
    operator = operator or "exact"
    try:
        value = getattr(instance, instance._meta.get_field(name).attname)
        if isinstance(other, F):
            other = getattr(instance, instance._meta.get_field(other.name).attname)
    except Exception:  # a relation's field, an expression: the database's to decide
        raise _Unsupported from None
    if operator == "isnull":
        return (value is None) == bool(other)
    if operator not in LOOKUPS or not isinstance(other, (str, int, list, tuple, type(None))):
        raise _Unsupported
    if other is None and operator == "exact":
        return value is None
    if value is None or other is None:
        return None
    return LOOKUPS[operator](value, other)


def check_constraints(instance) -> None:
    """The model's check constraints for an unsaved `instance` (ValidationError with the
    constraint's message and code), as `CheckConstraint.validate` decides them but without a
    query each (`validate` asks the database, in a savepoint: three queries a constraint, most
    of the time of a city's territory import): a condition of plain lookups on the model's own
    fields is decided in Python, anything else by the constraint's own `validate`."""
    model = type(instance)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        try:
            held = _holds(constraint.condition, instance)
        except _Unsupported:
            constraint.validate(model, instance)
            continue
        if held is False:
            raise ValidationError(
                constraint.get_violation_error_message(),
                code=constraint.violation_error_code,
            )
