from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoterlistsConfig(AppConfig):
    """Voter-list checks on voting day (filled by its own issue)."""

    name = "voterlists"
    verbose_name = _("Voter lists")
