"""The polling stations of the demo of 19 March 2023 (`stations.csv`).

Loaded by `python manage.py load_demo` (core.demo) after the commissions' demo, whose precinct
commissions run the stations: a station numbered N is run by precinct commission No. N of the
region in `commission_region` (its own region; Astana for the two stations abroad, which have no
region and keep their country's time zone). The stations are invented but plausible: both time
zones of 2023, e-Gov checks, temporary registration, a hospital, a shift camp, and embassies in
Ankara and Moscow, with coordinates (approximate: somewhere in the right city) and accessibility.
Each is found by its region and number and written only when it differs, so a second load writes
nothing.

`hours_decisions.csv`: voting hours decisions of territorial commissions, adopted and published
before the informing deadline (9 March 2023) in both zones of that year, for each election of
19 March 2023: a shift camp and remote pastures opening at 06:00 (Mangystau, Atyrau: UTC+5), a
mine's morning shift (Karaganda: UTC+6), and a hospital closing early (Astana), whose first
decision a second one supersedes. Each goes through the services (draft, adopt on its day,
publish at its local time, supersede); one that exists (by commission, election and number) is
left as it is: a published decision never changes.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from commissions.choices import CommissionLevel
from commissions.models import Commission, Election, Region
from core.demo import Demo, parse_bool, parse_date, read_csv, translated

from .. import services
from ..models import PollingStation, VotingHoursDecision
from . import territories

ELECTION_DAY = "2023-03-19"


def load(demo: Demo) -> None:
    """Load `stations.csv`, then `hours_decisions.csv`, into `demo`; with `load_demo
    --stations N`, then a generated national-size registry (`polling.demo.national`)."""
    _load_stations(demo)
    _load_hours_decisions(demo)
    territories.load(demo)  # localities and the demo stations' territories
    if demo.options.get("stations"):
        from .national import load_national

        load_national(demo, demo.options["stations"])


def _load_stations(demo: Demo) -> None:
    rows = read_csv(__name__, "stations.csv")
    demo.expect(PollingStation, len(rows))
    regions = Region.objects.in_bulk(field_name="code")
    commissions = {
        (commission.region.code, commission.number): commission
        for commission in Commission.objects.filter(level=CommissionLevel.PRECINCT).select_related(
            "region"
        )
    }
    for row in rows:
        number = int(row["number"])
        demo.upsert(
            PollingStation,
            {"region": regions[row["region"]] if row["region"] else None, "number": number},
            {
                **translated(row, "name"),
                **translated(row, "address"),
                "country": row["country"],
                "timezone": row["timezone"],
                "is_abroad": not row["region"],
                "egov_check_available": parse_bool(row["egov_check_available"]),
                "temporary_registration_allowed": parse_bool(row["temporary_registration_allowed"]),
                "special_kind": row["special_kind"],
                "latitude": Decimal(row["latitude"]) if row["latitude"] else None,
                "longitude": Decimal(row["longitude"]) if row["longitude"] else None,
                "step_free_entrance": parse_bool(row["step_free_entrance"]),
                "has_ramp": parse_bool(row["has_ramp"]),
                "accessible_booth": parse_bool(row["accessible_booth"]),
                "precinct_commission": commissions[row["commission_region"], number],
            },
        )


def _time(value: str) -> time | None:
    return time.fromisoformat(value) if value else None


def _load_hours_decisions(demo: Demo) -> None:
    rows = read_csv(__name__, "hours_decisions.csv")
    elections = list(Election.objects.filter(election_day=parse_date(ELECTION_DAY)))
    demo.expect(VotingHoursDecision, len(rows) * len(elections))
    territorial = {
        commission.region.code: commission
        for commission in Commission.objects.filter(
            level=CommissionLevel.TERRITORIAL
        ).select_related("region")
    }
    for election in elections:
        for row in rows:
            commission = territorial[row["region"]]
            existing = VotingHoursDecision.objects.filter(
                commission=commission, election=election, number=row["number"]
            )
            if existing.exists():
                continue
            stations = PollingStation.objects.filter(
                precinct_commission__region=commission.region,
                number__in=[int(number) for number in row["stations"].split()],
            )
            content = {
                "proposed_by": row["proposed_by"],
                "opens_at": _time(row["opens_at"]),
                "closes_at": _time(row["closes_at"]),
                "reason_kind": row["reason_kind"],
                "early_closing_allowed": parse_bool(row["early_closing_allowed"]),
                **translated(row, "reason"),
            }
            if row["supersedes"]:
                decision = services.voting_hours_decision_supersede(
                    actor=None,
                    decision=VotingHoursDecision.objects.get(
                        commission=commission, election=election, number=row["supersedes"]
                    ),
                    number=row["number"],
                    stations=stations,
                    **content,
                )
            else:
                decision = services.voting_hours_decision_create(
                    actor=None,
                    election=election,
                    commission=commission,
                    number=row["number"],
                    stations=stations,
                    **content,
                )
            services.voting_hours_decision_adopt(
                actor=None, decision=decision, on=parse_date(row["adopted_on"])
            )
            published_at = datetime.fromisoformat(row["published_at"]).replace(
                tzinfo=commission.region.zone
            )
            services.voting_hours_decision_publish(actor=None, decision=decision, at=published_at)
            demo.count(VotingHoursDecision, created=1)
