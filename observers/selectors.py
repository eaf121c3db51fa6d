"""Reads of accreditation for the public and for agencies: statistics and the public lists.

The public sees accreditations only through these selectors, which select the safe columns
(names, nominating body, number, validity) and never a passport number, a date of birth or a
photo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import translation
from modeltranslation.utils import get_translation_fields

from commissions.models import Election
from core.collation import QuerySetByName, sort_key

from .choices import BodyKind, ObserverStatus
from .models import NominatingBody, Observer

# What models.badge_code() makes (URL-safe base64); anything else names no badge.
BADGE_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")
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
    observers (public associations) are counted apart, in `domestic`, and in nothing else.
    """

    election: Election
    day: date | None  # the day's figures
    until: date | None  # cumulative figures up to and including this day
    observers: int = 0
    states: int = 0
    organizations: int = 0
    revoked: int = 0  # of `observers`, revoked since
    domestic: int = 0  # nominated by public associations: not in the figures above
    by_state: dict[str, int] = field(default_factory=dict)  # ISO alpha-2 → observers
    by_organization: dict[str, int] = field(default_factory=dict)  # name → observers
    state_names: dict[str, str] = field(default_factory=dict)  # ISO alpha-2 → name
    short_names: dict[str, str] = field(default_factory=dict)  # organisation's name → short one

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
        return self.state_rows() + self.organization_rows()

    def state_rows(self) -> list[tuple[str, str, str, int]]:
        return [
            ("state", code, self.state_names.get(code, code), count)
            for code, count in self.by_state.items()
        ]

    def organization_rows(self) -> list[tuple[str, str, str, int]]:
        return [("organization", "", name, n) for name, n in self.by_organization.items()]


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
        if body.kind == BodyKind.ASSOCIATION:
            stats.domestic += row["observers"]
            continue
        stats.observers += row["observers"]
        stats.revoked += row["revoked"]
        if body.kind == BodyKind.STATE:
            code = body.country.code
            stats.by_state[code] = stats.by_state.get(code, 0) + row["observers"]
            stats.state_names[code] = str(body.country.name)
        else:
            name = body.name  # modeltranslation: in the active language, with fallbacks
            stats.by_organization[name] = stats.by_organization.get(name, 0) + row["observers"]
            stats.short_names[name] = body.short_name or name
    stats.states = len(stats.by_state)
    stats.organizations = len(stats.by_organization)
    # Most observers first; a tie in the alphabet of the active language, then by the unique code
    # or name (core.collation).
    name_key = sort_key()
    stats.by_state = dict(
        sorted(
            stats.by_state.items(),
            key=lambda kv: (-kv[1], name_key(stats.state_names[kv[0]]), kv[0]),
        )
    )
    stats.by_organization = dict(
        sorted(stats.by_organization.items(), key=lambda kv: (-kv[1], name_key(kv[0]), kv[0]))
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


def elections_with_accreditations(user=None) -> QuerySet:
    """The elections for which observers were accredited, the latest first."""
    granted = Observer.objects.granted().filter(election=OuterRef("pk"))
    return (
        Election.objects.restrict(user)
        .filter(Exists(granted))
        .order_by("-election_day", "kind", "pk")
    )


def default_election(user=None) -> Election | None:
    """The election the public pages open on: of the current election day's elections, the first
    with accreditations; else the latest election with accreditations; else the current one."""
    current = list(Election.objects.restrict(user).current())
    with_accreditations = elections_with_accreditations(user)
    accredited_ids = set(
        with_accreditations.filter(pk__in=[e.pk for e in current]).values_list("pk", flat=True)
    )
    for election in current:
        if election.pk in accredited_ids:
            return election
    return with_accreditations.first() or (current[0] if current else None)


def public_bodies(election: Election, user=None) -> list[NominatingBody]:
    """The bodies with accredited observers in the election: states, then organisations, then
    public associations (BodyKind's order), each by name in the active language's alphabet."""
    bodies = (
        NominatingBody.objects.restrict(user)
        .filter(
            Exists(Observer.objects.accredited().filter(election=election, body=OuterRef("pk")))
        )
        .only("pk", *_body_columns(prefix=""))
    )
    kinds = list(BodyKind.values)
    name_key = sort_key()
    return sorted(
        bodies, key=lambda body: (kinds.index(body.kind), name_key(body.display_name), body.pk)
    )


# The names a public list is ordered by, per language: a page in English reads the names by their
# Latin spelling, a page in Kazakh or Russian by their Cyrillic one (both are shown).
LATIN_ORDER = ("last_name_latin", "first_name_latin")
CYRILLIC_ORDER = ("last_name_cyrillic", "first_name_cyrillic")


def name_order(language: str | None = None) -> tuple[str, str]:
    """The name columns a list in the language is ordered by (default: the active language)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return LATIN_ORDER if language.split("-")[0] == "en" else CYRILLIC_ORDER


def by_name(observers: QuerySet, language: str | None = None) -> QuerySetByName:
    """The observers by last name, then first name, in the language's alphabet (core.collation),
    then by primary key: what the public lists and their downloads show."""
    return QuerySetByName(observers, names=name_order(language), unique="pk", language=language)


def public_accredited(election: Election) -> QuerySet:
    """Accredited observers for the public list: safe columns only, with their body (ordered by
    number here; `by_name` orders a list as the public sees it)."""
    return (
        Observer.objects.accredited()
        .filter(election=election)
        .select_related("body", "election")
        .only(*PUBLIC_COLUMNS, *_body_columns(), *_election_columns())
        .order_by("number")
    )


def public_revoked(election: Election) -> QuerySet:
    """Revoked accreditations for the public list (safe columns), the latest revocation first
    (`by_name` orders a list as the public sees it)."""
    return (
        Observer.objects.revoked()
        .filter(election=election)
        .select_related("body", "election")
        .only(*PUBLIC_COLUMNS, *_body_columns(), *_election_columns())
        .order_by("-revoked_at", "number")
    )


def observer_by_code(code: str) -> Observer | None:
    """The accreditation a badge's code names (safe columns), or None."""
    if not BADGE_CODE.fullmatch(code or ""):
        return None
    return (
        Observer.objects.filter(verification_code=code)
        .select_related("body", "election")
        .only(*PUBLIC_COLUMNS, "verification_code", *_body_columns(), *_election_columns())
        .first()
    )


def _body_columns(prefix: str = "body__") -> list[str]:
    return [
        f"{prefix}kind",
        f"{prefix}country",
        *(f"{prefix}{name}" for name in get_translation_fields("name")),
        f"{prefix}name",
        *(f"{prefix}{name}" for name in get_translation_fields("short_name")),
        f"{prefix}short_name",
    ]


def _election_columns() -> list[str]:
    return [
        "election__election_day",
        *(f"election__{name}" for name in get_translation_fields("name")),
        "election__name",
    ]
