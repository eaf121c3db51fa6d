from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.frame import NavEntry

MODELS = ("nominatingbody", "nominationbatch", "observer")


class ObserversConfig(AppConfig):
    """Accreditation of foreign, international and domestic observers."""

    name = "observers"
    verbose_name = _("Observers")
    # Its demo (core.demo): the accreditation of 2023, for an election of the commissions' demo.
    demo_loader = "observers.demo.load"
    demo_after = ("commissions",)
    # The site's navigation and the home page's card (core.frame).
    nav_entries = (
        NavEntry(
            _("Observers"),
            "observers:stats",
            order=40,
            description=_(
                "Accreditation statistics by day, state and organisation; the lists of "
                "accredited observers and of revoked accreditations."
            ),
            sections=("observers",),
            children=(
                NavEntry(_("Statistics"), "observers:stats"),
                NavEntry(_("Accredited observers"), "observers:observer_list"),
                NavEntry(_("Revoked accreditations"), "observers:revoked_list"),
            ),
        ),
    )

    role_permissions = {
        Role.CEC_STAFF: [
            *(f"observers.{a}_{m}" for m in MODELS for a in ("view", "add", "change")),
            "observers.delete_nominatingbody",
            "observers.accredit_observer",
            # The badge jobs they start, with their progress and result (scoped to their own).
            "core.view_job",
        ],
        # Territorial commissions accredit regional public associations and see their nominees.
        Role.TERRITORIAL_STAFF: [
            "observers.view_nominatingbody",
            "observers.add_nominatingbody",
            "observers.change_nominatingbody",
            "observers.view_nominationbatch",
            "observers.view_observer",
            "core.view_job",
        ],
    }

    def ready(self):
        from auditlog.registry import auditlog

        from . import jobs, models  # noqa: F401 (jobs: registers the badge job's handler)

        auditlog.register(models.NominatingBody)
        auditlog.register(models.NominationBatch)
        # A photo's change is audited (who, when) by its stored file's name, masked: never the
        # image itself.
        auditlog.register(
            models.Observer,
            mask_fields=["document_number", "date_of_birth", "photo"],
            exclude_fields=["verification_code"],
        )
