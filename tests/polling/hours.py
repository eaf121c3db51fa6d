"""What the voting hours tests share: the 19 March 2023 election, stations in both of that
year's Kazakh zones and abroad, staff of a territorial commission, decisions through the
services."""

import datetime
import zoneinfo

from commissions.choices import MemberRole
from core.choices import Role
from polling import services
from polling.choices import HoursReason, ProposingBody
from tests.commissions.factories import CommissionMemberFactory, ElectionFactory, RegionFactory
from tests.core.factories import UserFactory
from tests.polling.factories import PollingStationFactory

ELECTION_DAY = datetime.date(2023, 3, 19)
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
AQTOBE = zoneinfo.ZoneInfo("Asia/Aqtobe")
UTC = datetime.UTC
ADOPTED_ON = datetime.date(2023, 3, 3)
PUBLISHED_AT = datetime.datetime(2023, 3, 5, 10, 0, tzinfo=ALMATY)


def election_2023(**fields):
    return ElectionFactory(election_day=ELECTION_DAY, **fields)


def station_in(zone: str = "Asia/Almaty", **fields):
    """A station at home in a new region of that zone (its commission's region)."""
    region = RegionFactory(timezone=zone)
    return PollingStationFactory(precinct_commission__parent__region=region, **fields)


def station_abroad(zone: str, country: str, home=None, **fields):
    """A station abroad, run by a precinct commission of `home` (a region; a new one if None)."""
    home = home or RegionFactory()
    return PollingStationFactory(
        precinct_commission__parent__region=home,
        region=None,
        is_abroad=True,
        country=country,
        timezone=zone,
        **fields,
    )


def staff(commission, role=Role.TERRITORIAL_STAFF):
    user = UserFactory(role=role, is_staff=True, password=None)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


def draft(station, election, *, actor=None, number="1/1", stations=None, **fields):
    fields.setdefault("opens_at", datetime.time(6, 0))
    fields.setdefault("reason_kind", HoursReason.REMOTE_AREA)
    return services.voting_hours_decision_create(
        actor=actor,
        election=election,
        commission=station.precinct_commission.parent,
        number=number,
        proposed_by=ProposingBody.AKIM,
        stations=stations if stations is not None else [station],
        **fields,
    )


def publish(decision, *, actor=None, on=ADOPTED_ON, at=PUBLISHED_AT):
    services.voting_hours_decision_adopt(actor=actor, decision=decision, on=on)
    return services.voting_hours_decision_publish(actor=actor, decision=decision, at=at)


def published(station, election, **fields):
    return publish(draft(station, election, **fields))
