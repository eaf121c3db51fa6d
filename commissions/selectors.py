from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from core.scoping import Level, Scope

from .constants import COUNTDOWN_TIMEZONE
from .models import CommissionMember, Election


def scope_for_user(user) -> Scope:
    """The scope of a staff user: the commission of their current membership.

    CEC staff see everything; territorial and district staff their region; a precinct member their
    own commission (and so their own station). A user with no current membership sees nothing
    beyond public data.
    """
    membership = (
        CommissionMember.objects.active()
        .filter(user=user)
        .select_related("commission")
        .order_by("-started_on")
        .first()
    )
    if membership is None:
        return Scope(Level.NONE)
    commission = membership.commission
    return Scope(
        commission.scope_level,
        region_id=commission.region_id,
        commission_id=commission.pk,
    )


@dataclass(frozen=True)
class Countdown:
    """Where `now` stands relative to an election day, for the home page."""

    election_day: date
    now: datetime
    opens_at: datetime
    closes_at: datetime

    @property
    def today(self) -> date:
        return self.now.astimezone(COUNTDOWN_TIMEZONE).date()

    @property
    def days_left(self) -> int:
        """Calendar days until election day (0 on the day itself, negative after it)."""
        return (self.election_day - self.today).days

    @property
    def is_upcoming(self) -> bool:
        """Voting has not opened yet."""
        return self.now < self.opens_at

    @property
    def is_election_day(self) -> bool:
        """Voting has opened and the election day is not over."""
        return not self.is_upcoming and self.today == self.election_day

    @property
    def is_past(self) -> bool:
        return self.today > self.election_day

    @property
    def remaining(self) -> timedelta:
        return max(self.opens_at - self.now, timedelta(0))

    @property
    def remaining_days(self) -> int:
        return self.remaining.days

    @property
    def remaining_hours(self) -> int:
        return self.remaining.seconds // 3600

    @property
    def remaining_minutes(self) -> int:
        return self.remaining.seconds % 3600 // 60


def election_countdown(
    election_day: date, now: datetime | None = None, *, elections: Iterable[Election] = ()
) -> Countdown:
    """The countdown to the opening of the polls on `election_day`, on the capital's clock
    (COUNTDOWN_TIMEZONE), at `now` (default the present).

    The hours are the elections' own (`Election.voting_opens_at`, `voting_closes_at`): of
    `elections`, that day's elections, the earliest opening and the latest closing; given none,
    those fields' defaults (the Law's usual hours). ValueError for an election of another day."""
    now = now or timezone.now()
    elections = list(elections)
    if any(election.election_day != election_day for election in elections):
        raise ValueError("election_countdown: an election of another day")
    if elections:
        opens = min(election.voting_opens_at for election in elections)
        closes = max(election.voting_closes_at for election in elections)
    else:
        opens = Election._meta.get_field("voting_opens_at").get_default()
        closes = Election._meta.get_field("voting_closes_at").get_default()
    return Countdown(
        election_day=election_day,
        now=now,
        opens_at=datetime.combine(election_day, opens, tzinfo=COUNTDOWN_TIMEZONE),
        closes_at=datetime.combine(election_day, closes, tzinfo=COUNTDOWN_TIMEZONE),
    )
