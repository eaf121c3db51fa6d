"""Make sure the demo's superuser exists and print how to sign in.

    python manage.py demo_admin

The superuser `admin` gets the password in DEMO_ADMIN_PASSWORD, reset on every run so that the
printed line always works. The demo staff accounts that `load_demo` writes (usernames starting
with "demo-") are listed with their password, DEMO_PASSWORD. Both variables have a default for a
demo on one's own machine (DEBUG on); with DEBUG off they must be set.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.audit import acting_as
from core.constraints import save_checked
from core.services import model_update, reference_create

ADMIN_USERNAME = "admin"
DEMO_USERNAME_PREFIX = "demo-"
# Known to everyone who reads this file: only for a demo on one's own machine.
DEMO_ADMIN_PASSWORD_DEFAULT = "saylau-admin-2023"  # noqa: S105
DEMO_PASSWORD_DEFAULT = "saylau-demo-2023"  # noqa: S105


def _password(variable: str, default: str) -> str:
    value = os.environ.get(variable, "")
    if value:
        return value
    if not settings.DEBUG:
        raise CommandError(f"Set {variable}: the default demo password is only used with DEBUG on.")
    return default


def demo_admin_password() -> str:
    return _password("DEMO_ADMIN_PASSWORD", DEMO_ADMIN_PASSWORD_DEFAULT)


def demo_password() -> str:
    """The password of the demo staff accounts (`load_demo` sets it)."""
    return _password("DEMO_PASSWORD", DEMO_PASSWORD_DEFAULT)


class Command(BaseCommand):
    help = "Create or reset the demo superuser `admin` and print the demo sign-in details."

    def handle(self, *args, **options):
        password = demo_admin_password()
        with transaction.atomic(), acting_as(None):
            self._ensure_admin(password)
        port = os.environ.get("PORT") or "8000"
        self.stdout.write(
            f"Demo admin: http://127.0.0.1:{port}/en/admin/  user: {ADMIN_USERNAME}  "
            f"password: {password}"
        )
        self._print_demo_accounts()

    def _ensure_admin(self, password: str) -> None:
        """Create the superuser, or put back what was changed since (its flags, its password),
        through the core's write path."""
        User = get_user_model()
        wanted = {"is_staff": True, "is_superuser": True, "is_active": True}
        user = User.objects.filter(username=ADMIN_USERNAME).first()
        if user is None:
            user = User(username=ADMIN_USERNAME, **wanted)
            user.set_password(password)
            reference_create(actor=None, instance=user)
            return
        changed = model_update(user, fields=wanted, data=wanted)
        if not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        if changed:
            save_checked(user, update_fields=changed)

    def _print_demo_accounts(self) -> None:
        accounts = (
            get_user_model()
            .objects.filter(username__startswith=DEMO_USERNAME_PREFIX, is_active=True)
            .order_by("username")
        )
        if not accounts:
            return
        try:
            password = demo_password()
        except CommandError as exc:
            self.stdout.write(f"Demo staff accounts: {exc}")
            return
        self.stdout.write("Demo staff accounts:")
        for user in accounts:
            shown = password if user.check_password(password) else "(changed since load_demo)"
            self.stdout.write(f"  user: {user.username}  password: {shown}  (role: {user.role})")
