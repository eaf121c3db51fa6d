from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.choices import Role


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")
    # CEC staff see failed sign-ins and lift a lock-out by deleting its record (django-axes).
    role_permissions = {
        Role.CEC_STAFF: ["axes.view_accessattempt", "axes.delete_accessattempt"],
    }

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.User, exclude_fields=["password", "last_login"])
        auditlog.register(models.Agency)
        auditlog.register(models.ApiToken, exclude_fields=["key_hash", "last_used_at"])
