from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebatesConfig(AppConfig):
    """TV debates: regulations, rounds, participants (filled by its own issue)."""

    name = "debates"
    verbose_name = _("TV debates")
