"""Reads of accreditation for the public and for agencies: statistics and the public lists.

The public sees accreditations only through these selectors, which select the safe columns
(names, nominating body, number, validity) and never a passport number, a date of birth or a
photo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from commissions.models import Election

from .choices import BodyKind, ObserverStatus
from .models import NominatingBody, Observer

PUBLIC_COLUMNS = (
    "pk",
    "election_id",
    "body_id",
    "number",
    "last_name_latin",
    "first_name_latin",
    "last_name_cyrillic",
    "first_name_cyrillic",
    "status",
    "decision_date",
    "valid_until",
    "revoked_at",
)


@dataclass
class ObserverStats:
    """Accreditations granted on a day, or up to a day, by nominating state and organisation.

    A granted accreditation counts on its decision date even if it was revoked later (the
    figures of a day do not change afterwards); `revoked` says how many of them were. Domestic
    observers (public associations) are counted apart, in `domestic`.
    """

    election: Election
    day: date | None  # the day's figures
    until: date | None  # cumulative figures up to and including this day
    observers: int = 0
    states: int = 0
    organizations: int = 0
    revoked: int = 0
    domestic: int = 0
    by_state: dict[str, int] = field(default_factory=dict)  # ISO alpha-2 → observers
    by_organization: dict[str, int] = field(default_factory=dict)  # name → observers
    state_names: dict[str, str] = field(default_factory=dict)  # ISO alpha-2 → name

    def as_dict(self) -> dict:
        return {
            "election": self.election.pk,
            "date": self.day.isoformat() if self.day else None,
            "until": self.until.isoformat() if self.until else None,
            "observers": self.observers,
            "states": self.states,
            "organizations": self.organizations,
            "revoked": self.revoked,
            "domestic": self.domestic,
            "by_state": self.by_state,
            "by_organization": self.by_organization,
        }

    def rows(self) -> list[tuple[str, str, str, int]]:
        """(kind, code, name, observers) per state and organisation, for tables and CSV."""
        states = [
            ("state", code, self.state_names.get(code, code), count)
            for code, count in self.by_state.items()
        ]
        organizations = [("organization", "", name, n) for name, n in self.by_organization.items()]
        return states + organizations


def observer_stats(
    *, election: Election, day: date | None = None, until: date | None = None
) -> ObserverStats:
    """The statistics of one day (`day`) or cumulatively up to a day (`until`; neither: all)."""
    if day is not None and until is not None:
        raise ValueError("give a day or an until date, not both")
    granted = Observer.objects.granted().filter(election=election)
    if day is not None:
        granted = granted.filter(decision_date=day)
    elif until is not None:
        granted = granted.filter(decision_date__lte=until)

    per_body = list(
        granted.values("body_id", "body__kind")
        .annotate(
            observers=Count("pk"),
            revoked=Count("pk", filter=Q(status=ObserverStatus.REVOKED)),
        )
        .order_by()
    )
    bodies = NominatingBody.objects.in_bulk([row["body_id"] for row in per_body])
    stats = ObserverStats(election=election, day=day, until=until)
    for row in per_body:
        body = bodies[row["body_id"]]
        stats.revoked += row["revoked"]
        if body.kind == BodyKind.ASSOCIATION:
            stats.domestic += row["observers"]
            continue
        stats.observers += row["observers"]
        if body.kind == BodyKind.STATE:
            code = body.country.code
            stats.by_state[code] = stats.by_state.get(code, 0) + row["observers"]
            stats.state_names[code] = str(body.country.name)
        else:
            name = body.name  # modeltranslation: in the active language, with fallbacks
            stats.by_organization[name] = stats.by_organization.get(name, 0) + row["observers"]
    stats.states = len(stats.by_state)
    stats.organizations = len(stats.by_organization)
    stats.by_state = dict(sorted(stats.by_state.items(), key=lambda kv: (-kv[1], kv[0])))
    stats.by_organization = dict(
        sorted(stats.by_organization.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return stats


def accreditation_days(election: Election) -> list[date]:
    """The days on which accreditations for the election were granted, in order."""
    return list(
        Observer.objects.granted()
        .filter(election=election)
        .values_list("decision_date", flat=True)
        .distinct()
        .order_by("decision_date")
    )


def public_accredited(election: Election) -> QuerySet:
    """Accredited observers for the public list: safe columns only, with their body."""
    return (
        Observer.objects.accredited()
        .filter(election=election)
        .select_related("body")
        .only(*PUBLIC_COLUMNS, *_body_columns())
        .order_by("number")
    )


def public_revoked(election: Election) -> QuerySet:
    return (
        Observer.objects.revoked()
        .filter(election=election)
        .select_related("body")
        .only(*PUBLIC_COLUMNS, *_body_columns())
        .order_by("-revoked_at", "number")
    )


def observer_by_code(code: str) -> Observer | None:
    """The accreditation a badge's code names (safe columns), or None."""
    if not code or len(code) > 64:
        return None
    return (
        Observer.objects.filter(verification_code=code)
        .select_related("body", "election")
        .only(
            *PUBLIC_COLUMNS,
            "verification_code",
            *_body_columns(),
            "election__name",
            "election__election_day",
        )
        .first()
    )


def _body_columns() -> list[str]:
    from modeltranslation.utils import get_translation_fields

    return [
        "body__kind",
        "body__country",
        *(f"body__{name}" for name in get_translation_fields("name")),
        "body__name",
    ]
