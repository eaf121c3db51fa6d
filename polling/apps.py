from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.choices import Role


class PollingConfig(AppConfig):
    name = "polling"
    verbose_name = _("Polling stations")
    # Its demo (core.demo), loaded after the precinct commissions that run the stations.
    demo_loader = "polling.demo.load"
    demo_after = ("commissions",)

    role_permissions = {
        Role.CEC_STAFF: [
            *(f"polling.{action}_pollingstation" for action in ("view", "add", "change", "delete")),
            *(
                f"polling.{action}_votinghoursdecision"
                for action in ("view", "add", "change", "delete", "adopt")
            ),
        ],
        Role.TERRITORIAL_STAFF: [
            *(f"polling.{action}_pollingstation" for action in ("view", "add", "change")),
            *(
                f"polling.{action}_votinghoursdecision"
                for action in ("view", "add", "change", "delete", "adopt")
            ),
        ],
        Role.PRECINCT_MEMBER: ["polling.view_pollingstation"],
    }

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, reports  # noqa: F401 (reports: registers the report job)

        auditlog.register(models.PollingStation)
        auditlog.register(models.VotingHoursDecision, m2m_fields={"stations"})
