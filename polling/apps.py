from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import Role
from core.frame import NavEntry

# Territories: CEC staff anywhere, territorial staff in their own region (row scope).
TERRITORY_PERMISSIONS = tuple(
    f"polling.{action}_{model}"
    for model in ("locality", "street", "streetname", "territoryrule")
    for action in ("view", "add", "change", "delete")
)


class PollingConfig(AppConfig):
    name = "polling"
    verbose_name = _("Polling stations")
    # Its demo (core.demo), loaded after the precinct commissions that run the stations.
    demo_loader = "polling.demo.load"
    demo_after = ("commissions",)
    # The site's navigation and the home page's card (core.frame): the public polling pages.
    nav_entries = (
        NavEntry(
            # Short in the header (Учаскелер, Участки), so that it stays one row at 1024 px.
            pgettext_lazy("site navigation", "Stations"),
            "polling:station_finder",
            order=30,
            description=_(
                "Find your polling station by its number or by address: where it is, how to "
                "get in, its voting hours in local time; stations with changed hours; open data."
            ),
            sections=("polling",),
            children=(
                NavEntry(_("Find your station"), "polling:station_finder"),
                NavEntry(_("Changed voting hours"), "polling:changed_hours"),
            ),
        ),
    )

    role_permissions = {
        Role.CEC_STAFF: [
            *(f"polling.{action}_pollingstation" for action in ("view", "add", "change", "delete")),
            *(
                f"polling.{action}_votinghoursdecision"
                for action in ("view", "add", "change", "delete", "adopt")
            ),
            *TERRITORY_PERMISSIONS,
        ],
        Role.TERRITORIAL_STAFF: [
            *(f"polling.{action}_pollingstation" for action in ("view", "add", "change")),
            *(
                f"polling.{action}_votinghoursdecision"
                for action in ("view", "add", "change", "delete", "adopt")
            ),
            *TERRITORY_PERMISSIONS,
        ],
        Role.PRECINCT_MEMBER: ["polling.view_pollingstation"],
    }

    def ready(self):
        from auditlog.registry import auditlog

        # informing, reports, imports, territory_imports: register their jobs (core.jobs)
        from . import imports, informing, models, reports, territory_imports  # noqa: F401

        auditlog.register(models.PollingStation)
        auditlog.register(models.VotingHoursDecision, m2m_fields={"stations"})
        for territory_model in (
            models.Locality,
            models.Street,
            models.StreetName,
            models.TerritoryRule,
        ):
            auditlog.register(territory_model)
        # A subscriber's contact and keys are never written to the audit log.
        auditlog.register(
            models.StationSubscription,
            exclude_fields=[
                "contact",
                "confirmation_token",
                "confirmation_code",
                "unsubscribe_token",
                "unsubscribe_code",
            ],
        )
