from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from core.scoping import Level, Scope

from .constants import COUNTDOWN_TIMEZONE, VOTING_CLOSES_AT, VOTING_OPENS_AT
from .models import CommissionMember


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


def election_countdown(election_day: date, now: datetime | None = None) -> Countdown:
    now = now or timezone.now()
    return Countdown(
        election_day=election_day,
        now=now,
        opens_at=datetime.combine(election_day, VOTING_OPENS_AT, tzinfo=COUNTDOWN_TIMEZONE),
        closes_at=datetime.combine(election_day, VOTING_CLOSES_AT, tzinfo=COUNTDOWN_TIMEZONE),
    )
