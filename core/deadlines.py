"""Deadlines relative to election day: one representation, one computation.

A deadline is written as the law writes it, "E-6 18:00" (six days before election day, at 18:00
local time), or "E+10 24:00"; it resolves to an aware datetime in a given IANA zone for a given
election day, so it moves when the day moves. The calendar plan, observer accreditation, voting
hours decisions and voter-list rules all use it.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEADLINE_FORMAT = re.compile(r"^\s*E\s*([+-]\s*\d{1,3})?\s+(\d{1,2}):(\d{2})\s*$")
DEADLINE_MALFORMED = _("“{value}” is not a deadline such as “E-6 18:00”.")


@dataclass(frozen=True)
class RelativeDeadline:
    days: int  # relative to election day: -6 is six days before
    at: time  # local time of that day; 24:00 is kept as the end of the day
    end_of_day: bool = False

    @classmethod
    def parse(cls, value: str) -> RelativeDeadline:
        match = DEADLINE_FORMAT.match(value or "")
        if not match:
            raise ValidationError(DEADLINE_MALFORMED.format(value=value), code="deadline")
        offset, hour, minute = match.groups()
        days = int(offset.replace(" ", "")) if offset else 0
        hour, minute = int(hour), int(minute)
        if (hour, minute) == (24, 0):
            return cls(days=days, at=time(0, 0), end_of_day=True)
        if hour > 23 or minute > 59:
            raise ValidationError(DEADLINE_MALFORMED.format(value=value), code="deadline")
        return cls(days=days, at=time(hour, minute))

    def day(self, election_day: date) -> date:
        return election_day + timedelta(days=self.days)

    def resolve(self, election_day: date, zone: str | zoneinfo.ZoneInfo) -> datetime:
        """The moment of the deadline for this election day, in the zone's local time."""
        if isinstance(zone, str):
            zone = zoneinfo.ZoneInfo(zone)
        day = self.day(election_day) + timedelta(days=1 if self.end_of_day else 0)
        return datetime.combine(day, self.at, tzinfo=zone)

    def __str__(self) -> str:
        sign = "" if self.days == 0 else f"{self.days:+d}"
        clock = "24:00" if self.end_of_day else self.at.strftime("%H:%M")
        return f"E{sign} {clock}"
