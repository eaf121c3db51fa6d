"""The commissions' demo: the early Mazhilis and maslikhat elections of 19 March 2023.

Loaded by `python manage.py load_demo` (core.demo) before every other app's demo, from the CSV
files in this package:

- `regions.csv`: the 17 oblasts and 3 cities of republican significance of March 2023, their
  IANA time zones, and for Abai, Zhetysu and Ulytau the day they were formed (8 June 2022);
- `elections.csv`: both early elections, held on 19 March 2023 and called on 19 January 2023;
- `parties.csv`: the seven parties that ran (the English short name is the natural key);
- `commissions.csv`: the CEC, each region's territorial commission and the demo's precinct
  commissions (`level`, `region`, `number`); a territorial commission sits under the CEC, a
  precinct commission under its region's territorial commission (stations abroad are run by
  precinct commissions of Astana's);
- `accounts.csv`: the demo staff accounts (usernames start with "demo-": `demo_admin` lists
  them; their password is DEMO_PASSWORD);
- `members.csv`: the CEC's members of 2023, then staff and precinct commission members with one
  nominee per party per commission, each found by the commission and their English name.

Regions, elections, parties and the CEC's members are public facts. Precinct commissions, their
members and the demo accounts are invented: the numbers, addresses and people are plausible, not
real. Names are given in English, Russian and Kazakh (`<field>_en`, `_ru`, `_kk` columns).
A new member is added through `commission_member_add`, which tells them; everything else is
written by `Demo.upsert` and only when it differs, so a second load writes nothing.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth import get_user_model
from django.db import models

from core.demo import (
    Demo,
    parse_bool,
    parse_date,
    parse_optional_date,
    parse_optional_int,
    read_csv,
    translated,
)
from core.management.commands.demo_admin import demo_password

from ..choices import CommissionLevel
from ..models import Commission, CommissionMember, Election, Party, Region
from ..services import commission_member_add

CommissionKey = tuple[CommissionLevel, str, int | None]  # (level, region code or "", number)


def load(demo: Demo) -> None:
    """Load the commissions' demo (the files above) into `demo`."""
    password = demo_password()
    regions = _load_regions(demo)
    _load_elections(demo)
    parties = _load_parties(demo)
    commissions = _load_commissions(demo, regions)
    accounts = _load_accounts(demo, password)
    _load_members(demo, commissions, parties, accounts)
    demo.note(
        "Demo accounts: " + ", ".join(accounts) + " (`manage.py demo_admin` prints how to sign in)"
    )


def _rows(name: str) -> list[dict[str, str]]:
    return read_csv(__name__, name)


def _commission_key(level: str, region: str, number: str) -> CommissionKey:
    return CommissionLevel(level), region, parse_optional_int(number)


def _load_regions(demo: Demo) -> dict[str, Region]:
    rows = _rows("regions.csv")
    demo.expect(Region, len(rows))
    return {
        row["code"]: demo.upsert(
            Region,
            {"code": row["code"]},
            {
                **translated(row, "name"),
                "kind": row["kind"],
                "timezone": row["timezone"],
                "established_on": parse_optional_date(row["established_on"]),
            },
        )
        for row in rows
    }


def _load_elections(demo: Demo) -> None:
    rows = _rows("elections.csv")
    demo.expect(Election, len(rows))
    for row in rows:
        demo.upsert(
            Election,
            {"kind": row["kind"], "election_day": parse_date(row["election_day"])},
            {
                **translated(row, "name"),
                **translated(row, "description"),
                "is_early": parse_bool(row["is_early"]),
                "called_on": parse_date(row["called_on"]),
            },
        )


def _load_parties(demo: Demo) -> dict[str, Party]:
    rows = _rows("parties.csv")
    demo.expect(Party, len(rows))
    parties = {}
    for row in rows:
        short_names = translated(row, "short_name")
        key = {"short_name_en": short_names.pop("short_name_en")}
        parties[key["short_name_en"]] = demo.upsert(
            Party, key, {**translated(row, "name"), **short_names}
        )
    return parties


def _load_commissions(demo: Demo, regions: dict[str, Region]) -> dict[CommissionKey, Commission]:
    rows = _rows("commissions.csv")
    demo.expect(Commission, len(rows))
    commissions: dict[CommissionKey, Commission] = {}
    for row in rows:
        level, region, number = key = _commission_key(row["level"], row["region"], row["number"])
        parent = {
            CommissionLevel.CEC: None,
            CommissionLevel.TERRITORIAL: (CommissionLevel.CEC, "", None),
            CommissionLevel.PRECINCT: (CommissionLevel.TERRITORIAL, region, None),
        }[level]
        values = {**translated(row, "name"), "parent": commissions[parent] if parent else None}
        if row["address_en"]:
            values.update(translated(row, "address"))
        commissions[key] = demo.upsert(
            Commission,
            {"level": level, "region": regions[region] if region else None, "number": number},
            values,
        )
    return commissions


def _load_accounts(demo: Demo, password: str) -> dict[str, models.Model]:
    User = get_user_model()
    rows = _rows("accounts.csv")
    accounts = {}
    for row in rows:
        username = row["username"]
        values = {
            "role": row["role"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "email": f"{username}@example.org",
            "preferred_language": row["preferred_language"],
            "is_staff": True,
            "is_active": True,
        }
        user = demo.upsert(
            User,
            {"username": username},
            values,
            create=partial(_new_account, username, values, password),
        )
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            demo.count(User, updated=1)
        accounts[username] = user
    return accounts


def _new_account(username: str, values: dict, password: str) -> models.Model:
    user = get_user_model()(username=username, **values)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def _load_members(
    demo: Demo,
    commissions: dict[CommissionKey, Commission],
    parties: dict[str, Party],
    accounts: dict[str, models.Model],
) -> None:
    rows = _rows("members.csv")
    demo.expect(CommissionMember, len(rows))
    demo.expect(get_user_model(), len(accounts))
    for row in rows:
        commission = commissions[
            _commission_key(
                row["commission_level"], row["commission_region"], row["commission_number"]
            )
        ]
        values = {
            **translated(row, "full_name"),
            "role": row["role"],
            "party": parties[row["party"]] if row["party"] else None,
            "email": row["email"],
            "user": accounts[row["account"]] if row["account"] else None,
            "started_on": parse_date(row["started_on"]),
        }
        demo.upsert(
            CommissionMember,
            {"commission": commission, "full_name_en": row["full_name_en"]},
            values,
            # A new member is added through the service, which tells them (once: a member
            # already there is only updated).
            create=partial(
                commission_member_add,
                actor=None,
                commission=commission,
                full_name=row["full_name_en"],
                **values,
            ),
        )
