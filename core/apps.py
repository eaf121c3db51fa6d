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
        from django.contrib.admin.widgets import SELECT2_TRANSLATIONS
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import caching, models

        # Any saved or deleted row of the project's apps makes their cached public reads stale.
        for name, signal in {"save": post_save, "delete": post_delete, "m2m": m2m_changed}.items():
            signal.connect(caching.model_changed, dispatch_uid=f"core.caching.{name}")

        # The admin's autocomplete pickers in Kazakh: select2 ships no Kazakh, so Django loads
        # none; the project's own is static/admin/js/vendor/select2/i18n/kk.js.
        SELECT2_TRANSLATIONS.setdefault("kk", "kk")

        auditlog.register(models.User, exclude_fields=["password", "last_login"])
        auditlog.register(models.Agency)
        auditlog.register(models.ApiToken, exclude_fields=["key_hash", "last_used_at"])
