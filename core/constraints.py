"""Database constraints as user-facing errors.

`full_clean()` checks a model's constraints before saving, but two requests can both pass that
check; the database then refuses the second write. `save_checked` turns that refusal into the
same ValidationError (the constraint's own message) that `full_clean` would have raised, so a race
never becomes a server error.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


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
