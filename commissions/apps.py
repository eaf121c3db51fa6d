from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.frame import HomeSection


def _perms(app: str, actions: str, *models: str) -> list[str]:
    return [f"{app}.{action}_{model}" for model in models for action in actions.split()]


class CommissionsConfig(AppConfig):
    name = "commissions"
    verbose_name = _("Commissions")
    # Its demo (core.demo): regions, elections, parties, commissions, members, demo accounts.
    demo_loader = "commissions.demo.load"
    # The election day, its elections and the countdown on the home page (core.frame).
    home_sections = (
        HomeSection(
            "commissions/_home.html", order=10, context="commissions.views.election_day_section"
        ),
    )

    role_permissions = {
        Role.CEC_STAFF: _perms(
            "commissions",
            "view add change delete",
            "region",
            "election",
            "party",
            "commission",
            "commissionmember",
        ),
        Role.TERRITORIAL_STAFF: [
            *_perms("commissions", "view", "region", "election", "party"),
            # Territorial commissions form the precinct commissions of their region.
            *_perms("commissions", "view add change", "commission", "commissionmember"),
        ],
        Role.PRECINCT_MEMBER: _perms(
            "commissions", "view", "region", "election", "party", "commission", "commissionmember"
        ),
    }

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Region, models.Election, models.Party, models.Commission):
            auditlog.register(model)
        auditlog.register(models.CommissionMember, mask_fields=["phone"])
