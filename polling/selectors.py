"""Voting hours as voters live them: every page, PDF, API answer and notice asks these.

A station votes from its election's default hours (07:00–20:00) unless a decision in force (a
published voting hours decision that no published decision supersedes) covering it sets another
opening, closing or both. Times are the station's local time, in its own IANA zone (its region's
at home, its country's abroad), so an aware datetime of election day in that zone: Aktobe's
07:00 is an hour after Astana's in 2023, New York's is ten hours after Almaty's.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from commissions.models import Election

from .models import PollingStation, VotingHoursDecision

EffectiveHours = tuple[datetime, datetime, VotingHoursDecision | None]


def _prefetch_name(election: Election) -> str:
    return f"_voting_hours_decisions_{election.pk}"


def in_force_decisions(election: Election | int) -> QuerySet[VotingHoursDecision]:
    """The election's (an election or its id) decisions that set voting hours now, the latest
    published first."""
    return (
        VotingHoursDecision.objects.in_force()
        .filter(election=election)
        .order_by("-published_at", "-pk")
    )


def with_voting_hours(
    stations: QuerySet[PollingStation], election: Election
) -> QuerySet[PollingStation]:
    """`stations` ready for `effective_hours(station, election)` without a query per station:
    their regions joined (the zone) and the election's decisions in force prefetched (one more
    query for the whole list)."""
    return stations.select_related("region").prefetch_related(
        Prefetch(
            "voting_hours_decisions",
            queryset=in_force_decisions(election),
            to_attr=_prefetch_name(election),
        )
    )


def hours_decision(station: PollingStation, election: Election) -> VotingHoursDecision | None:
    """The decision in force that sets the station's hours for the election, or None."""
    prefetched = getattr(station, _prefetch_name(election), None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return in_force_decisions(election).filter(stations=station).first()


def effective_hours(station: PollingStation, election: Election) -> EffectiveHours:
    """When the station votes in the election: (opening, closing, decision or None), the two
    times aware datetimes of election day in the station's zone. The side a decision leaves
    empty is the election's default."""
    decision = hours_decision(station, election)
    opens = election.voting_opens_at
    closes = election.voting_closes_at
    if decision is not None:
        opens = decision.opens_at or opens
        closes = decision.closes_at or closes
    zone = station.zone
    day = election.election_day
    return (
        datetime.combine(day, opens, tzinfo=zone),
        datetime.combine(day, closes, tzinfo=zone),
        decision,
    )


def is_open(station: PollingStation, election: Election, at: datetime) -> bool:
    """Whether voting at the station is open at the instant `at` (aware, any zone): from its
    opening (included) to its closing (excluded). A special station that may close early once
    everyone on its list has voted is shown open until its closing time."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("is_open needs an aware datetime")
    opening, closing, _decision = effective_hours(station, election)
    return opening <= at < closing
