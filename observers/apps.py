from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObserversConfig(AppConfig):
    """Accreditation of foreign, international and domestic observers (filled by its own issue)."""

    name = "observers"
    verbose_name = _("Observers")
