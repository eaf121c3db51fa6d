"""Who did it: the actor of audit records for every entry point.

Web requests get their actor from auditlog's middleware. API calls authenticated by a token are
authenticated after the middleware ran, so the token authentication binds the actor here. Celery
tasks and management commands run inside `acting_as(user)`.
"""

from __future__ import annotations

import contextlib

from auditlog.context import auditlog_value, set_actor
from auditlog.signals import accessed
from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "saylau-system"


def bind_actor(user) -> None:
    """Name `user` as the actor of the audit records written for the rest of this request."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    context["actor"] = user


@contextlib.contextmanager
def acting_as(user):
    """Audit records written inside this block name `user` (or the system account) as actor.

    Opens an audit context of its own and, on the way out, restores the one that was there (the
    request's, inside a web request), which auditlog's own `set_actor` does not do.
    """
    try:
        outer = auditlog_value.get()
    except LookupError:
        outer = None
    token = auditlog_value.set(None)
    try:
        with set_actor(user or system_user(), remote_addr=(outer or {}).get("remote_addr")):
            yield
    finally:
        auditlog_value.reset(token)


def system_user():
    """The account that jobs and commands act as when no person started them."""
    user, _ = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "Saylau", "last_name": "system"},
    )
    return user


def log_access(instance) -> None:
    """Record that personal data of `instance` was read (its model must be registered)."""
    accessed.send(type(instance), instance=instance)
