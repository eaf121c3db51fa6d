"""Load the demo scenario: the elections of 19 March 2023 (data in `commissions.demo`, and the
observers' accreditation in `observers.demo`).

    python manage.py load_demo

Idempotent: every row is found by its natural key and written only when it is missing or differs
from the data, so a second run writes nothing (no audit records, no notifications). Everything is
loaded in one transaction, as the system actor, with English as the language of the untranslated
columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import translation
from modeltranslation.settings import DEFAULT_LANGUAGE

from commissions import demo
from commissions.choices import CommissionLevel, ElectionKind
from commissions.models import Commission, CommissionMember, Election, Party, Region
from commissions.services import commission_member_add
from core.audit import acting_as
from core.management.commands.demo_admin import demo_password
from observers import demo as observers_demo
from polling.models import PollingStation


def translated(field: str, names: demo.Names) -> dict[str, str]:
    """{"name": {"en": ..}} as model fields: {"name_en": .., "name_ru": .., "name_kk": ..}."""
    return {f"{field}_{language}": value for language, value in names.items()}


def _same(obj: models.Model, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


class Command(BaseCommand):
    help = "Load the demo of the 19 March 2023 elections (safe to run again)."

    def handle(self, *args, **options):
        password = demo_password()
        self.written: Counter[tuple[type[models.Model], str]] = Counter()
        with translation.override(DEFAULT_LANGUAGE), transaction.atomic(), acting_as(None):
            regions = self.load_regions()
            self.load_elections()
            parties = self.load_parties()
            commissions = self.load_commissions(regions)
            self.load_stations(regions, commissions)
            accounts = self.load_accounts(password)
            self.load_members(commissions, parties, accounts)
            self.load_observers()
        self.report()

    # WRITING

    def upsert(
        self,
        model: type[models.Model],
        key: dict,
        values: dict,
        *,
        create: Callable[[], models.Model] | None = None,
    ) -> models.Model:
        """update_or_create on a natural key, validated with full_clean, saved only on a change.

        `create`, when given, makes a missing row instead (a service with side effects).
        """
        obj = model._default_manager.filter(**key).first()
        if obj is None:
            if create is not None:
                obj = create()
            else:
                obj = model(**key, **values)
                obj.full_clean()
                obj.save()
            self.written[model, "created"] += 1
            return obj
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save()
            self.written[model, "updated"] += 1
        return obj

    def load_regions(self) -> dict[str, Region]:
        return {
            data.code: self.upsert(
                Region,
                {"code": data.code},
                {
                    **translated("name", data.name),
                    "kind": data.kind,
                    "timezone": data.timezone,
                    "established_on": data.established_on,
                },
            )
            for data in demo.REGIONS
        }

    def load_elections(self) -> None:
        for data in demo.ELECTIONS:
            self.upsert(
                Election,
                {"kind": data.kind, "election_day": demo.ELECTION_DAY},
                {
                    **translated("name", data.name),
                    **translated("description", data.description),
                    "is_early": True,
                    "called_on": demo.CALLED_ON,
                },
            )

    def load_parties(self) -> dict[str, Party]:
        parties = {}
        for data in demo.PARTIES:
            short_names = translated("short_name", data.short_name)
            key = {"short_name_en": short_names.pop("short_name_en")}
            parties[data.short_name["en"]] = self.upsert(
                Party, key, {**translated("name", data.name), **short_names}
            )
        return parties

    def load_commissions(self, regions: dict[str, Region]) -> dict[demo.CommissionRef, Commission]:
        cec = self.upsert(
            Commission,
            {"level": CommissionLevel.CEC, "region": None, "number": None},
            {**translated("name", demo.CEC_NAME), "parent": None},
        )
        commissions = {demo.CEC: cec}
        for data in demo.REGIONS:
            commissions[demo.territorial(data.code)] = self.upsert(
                Commission,
                {
                    "level": CommissionLevel.TERRITORIAL,
                    "region": regions[data.code],
                    "number": None,
                },
                {**translated("name", data.commission), "parent": cec},
            )
        for station in demo.STATIONS:
            region = station.commission_region
            name = {
                language: template.format(number=station.number)
                for language, template in demo.PRECINCT_COMMISSION_NAME.items()
            }
            commissions[demo.precinct(region, station.number)] = self.upsert(
                Commission,
                {
                    "level": CommissionLevel.PRECINCT,
                    "region": regions[region],
                    "number": station.number,
                },
                {
                    **translated("name", name),
                    **translated("address", station.address),
                    "parent": commissions[demo.territorial(region)],
                },
            )
        return commissions

    def load_stations(
        self, regions: dict[str, Region], commissions: dict[demo.CommissionRef, Commission]
    ) -> None:
        for data in demo.STATIONS:
            self.upsert(
                PollingStation,
                {"region": regions[data.region] if data.region else None, "number": data.number},
                {
                    **translated("name", data.name),
                    **translated("address", data.address),
                    "country": data.country,
                    "timezone": data.timezone,
                    "is_abroad": data.is_abroad,
                    "egov_check_available": data.egov_check_available,
                    "temporary_registration_allowed": data.temporary_registration_allowed,
                    "special_kind": data.special_kind,
                    "precinct_commission": commissions[
                        demo.precinct(data.commission_region, data.number)
                    ],
                },
            )

    def load_accounts(self, password: str) -> dict[str, models.Model]:
        User = get_user_model()
        accounts = {}
        for data in demo.ACCOUNTS:
            values = {
                "role": data.role,
                "first_name": data.first_name,
                "last_name": data.last_name,
                "email": f"{data.username}@example.org",
                "preferred_language": data.preferred_language,
                "is_staff": True,
                "is_active": True,
            }
            user = self.upsert(
                User,
                {"username": data.username},
                values,
                create=partial(self._new_account, data.username, values, password),
            )
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
                self.written[User, "updated"] += 1
            accounts[data.username] = user
        return accounts

    @staticmethod
    def _new_account(username: str, values: dict, password: str) -> models.Model:
        user = get_user_model()(username=username, **values)
        user.set_password(password)
        user.full_clean()
        user.save()
        return user

    def load_members(
        self,
        commissions: dict[demo.CommissionRef, Commission],
        parties: dict[str, Party],
        accounts: dict[str, models.Model],
    ) -> None:
        for data in demo.MEMBERS:
            commission = commissions[data.commission]
            values = {
                **translated("full_name", data.full_name),
                "role": data.role,
                "party": parties[data.party] if data.party else None,
                "email": data.email,
                "user": accounts[data.account] if data.account else None,
                "started_on": demo.MEMBERS_SINCE,
            }
            self.upsert(
                CommissionMember,
                {"commission": commission, "full_name_en": data.full_name["en"]},
                values,
                # A new member is added through the service, which tells them (once: a member
                # already there is only updated).
                create=partial(
                    commission_member_add,
                    actor=None,
                    commission=commission,
                    full_name=data.full_name["en"],
                    **values,
                ),
            )

    def load_observers(self) -> None:
        """Observers of the Mazhilis election, accredited on the CEC's figures (observers.demo)."""
        election = Election.objects.get(kind=ElectionKind.MAZHILIS, election_day=demo.ELECTION_DAY)
        self.written.update(observers_demo.load(upsert=self.upsert, election=election))

    # REPORT

    def report(self) -> None:
        rows = [
            (Region, len(demo.REGIONS)),
            (Election, len(demo.ELECTIONS)),
            (Party, len(demo.PARTIES)),
            (Commission, 1 + len(demo.REGIONS) + len(demo.STATIONS)),
            (PollingStation, len(demo.STATIONS)),
            (CommissionMember, len(demo.MEMBERS)),
            (get_user_model(), len(demo.ACCOUNTS)),
            *observers_demo.expected_rows().items(),
        ]
        self.stdout.write("Demo of the 19 March 2023 elections loaded:")
        for model, count in rows:
            label = model._meta.model_name
            created = self.written[model, "created"]
            updated = self.written[model, "updated"]
            self.stdout.write(f"  {label:<18} {count:>3}  (created {created}, updated {updated})")
        self.stdout.write(
            "Demo accounts: "
            + ", ".join(data.username for data in demo.ACCOUNTS)
            + " (`manage.py demo_admin` prints how to sign in)"
        )
