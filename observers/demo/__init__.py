"""The demo's observers: accreditation for the Mazhilis election of 19 March 2023.

Loaded by `python manage.py load_demo` (core.demo) after the commissions' demo. The figures are
the CEC's, from its meeting of 7 March 2023 (the seed file `cec-meeting-2023-03-07.txt`): 165
observers from 16 foreign states and 4 international organisations accredited before 7 March, and
on 7 March 157 from 23 states and 6 organisations, state by state and mission by mission. How the
first 165 were spread over earlier decision days, which states and organisations they came from,
and every person are invented: the split is plausible, the totals are the seed's. The people are
fictional (`core.demo.names`: common first and last names of their country, put together by
index), as are their dates of birth and document numbers; nobody has a photo.

The data are the files of this package:

- `scenario.json`: the election (kind and day), and the desk's hours: a batch is submitted at
  `submission_time` on the working day before its decision, decided at `decision_time`;
- `agencies.csv`: the API clients that submit nominations (`key` names them in the other files;
  no token: `manage.py create_api_token` makes one);
- `states.csv`: the nominating states (ISO code), the agency that submits for them (the Ministry
  of Foreign Affairs), the language the CEC writes to them in and their address;
- `organizations.csv`: international organisations and missions (`key`), their member states
  (`citizenships`, space-separated: their observers' citizenships, in turn);
- `associations.csv`: two domestic public associations accredited for a year (one nationwide,
  one by Almaty's territorial commission);
- `batches.csv`: one body's nominees decided on one day, in the order they are numbered
  ("DEMO-<body>-<YYYYMMDD>" is the batch's reference): `accredited` granted, then one refusal per
  line of `refusals.csv` for that day and body;
- `revocations.csv`: accreditations revoked later (the batch's reference and the nominee's
  position in it, from 0; `at` in the CEC's time zone).

Agencies, nominating bodies and the public associations are found by natural key and updated only
when they differ. Observers are nominated and decided through the desk's services
(`observers.services`) at the historic times, one batch per body and day, found again by its
reference: a second load writes nothing. The first load enqueues the decisions' notifications to
the bodies' example.org addresses, as a real desk would. Two nominations are refused and one
accreditation is revoked, so the demo shows those features; the seed's figures still hold, since a
refusal is never counted and a revoked accreditation still counts on the day it was granted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, partial
from importlib import resources
from zoneinfo import ZoneInfo

from django.conf import settings

from commissions.models import Election, Region
from core.demo import Demo, parse_date, parse_optional_date, read_csv, translated
from core.demo.names import fictional_person
from core.models import Agency
from core.services import agency_create

from ..choices import BatchSource, BodyKind, ObserverStatus
from ..models import NominatingBody, NominationBatch, Observer
from ..services import (
    nominating_body_create,
    nomination_batch_submit,
    observer_refuse,
    observer_revoke,
    observers_accredit,
)

ZONE = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class BatchData:
    """One body's nominees decided on one day: `accredited` granted, one refusal per reason."""

    day: date
    body: str  # a state's ISO code or an organisation's key
    accredited: int
    refused: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return self.accredited + len(self.refused)

    @property
    def reference(self) -> str:
        return f"DEMO-{self.body}-{self.day:%Y%m%d}"


@dataclass(frozen=True)
class RevocationData:
    batch: str  # the batch's reference
    position: int  # which of its nominees (from 0)
    at: datetime
    reason: str


def _rows(name: str) -> list[dict[str, str]]:
    return read_csv(__name__, name)


@cache
def scenario() -> dict:
    """scenario.json, parsed: {"election": {"kind", "election_day"}, "submission_time", ...}."""
    text = resources.files(__name__).joinpath("scenario.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {
        "election": {
            "kind": data["election"]["kind"],
            "election_day": parse_date(data["election"]["election_day"]),
        },
        "submission_time": time.fromisoformat(data["submission_time"]),
        "decision_time": time.fromisoformat(data["decision_time"]),
    }


@cache
def organizations() -> dict[str, dict[str, str]]:
    """organizations.csv's rows by key."""
    return {row["key"]: row for row in _rows("organizations.csv")}


@cache
def states() -> dict[str, dict[str, str]]:
    """states.csv's rows by ISO code."""
    return {row["country"]: row for row in _rows("states.csv")}


@cache
def batches() -> tuple[BatchData, ...]:
    """Every batch, in the order its nominees are numbered (batches.csv with refusals.csv)."""
    refusals: dict[tuple[date, str], list[str]] = defaultdict(list)
    for row in _rows("refusals.csv"):
        refusals[parse_date(row["day"]), row["body"]].append(row["reason"])
    result = []
    for row in _rows("batches.csv"):
        day, body = parse_date(row["day"]), row["body"]
        if body not in states() and body not in organizations():
            raise ValueError(f"batches.csv: {body!r} is neither a state nor an organisation.")
        result.append(BatchData(day, body, int(row["accredited"]), tuple(refusals[day, body])))
    unused = set(refusals) - {(batch.day, batch.body) for batch in result}
    if unused:
        raise ValueError(f"refusals.csv: no batch for {sorted(unused)}.")
    return tuple(result)


@cache
def revocations() -> tuple[RevocationData, ...]:
    return tuple(
        RevocationData(
            row["batch"],
            int(row["position"]),
            datetime.fromisoformat(row["at"]).replace(tzinfo=ZONE),
            row["reason"],
        )
        for row in _rows("revocations.csv")
    )


def person(index: int, citizenship: str) -> dict:
    """The index-th demo person (unique per index): a batch row for the desk's services."""
    someone = fictional_person(index, citizenship)
    (first_latin, first_cyrillic), (last_latin, last_cyrillic) = (
        someone.first_name,
        someone.last_name,
    )
    return {
        "last_name_latin": last_latin,
        "first_name_latin": first_latin,
        "last_name_cyrillic": last_cyrillic,
        "first_name_cyrillic": first_cyrillic,
        "citizenship": citizenship,
        "date_of_birth": someone.date_of_birth,
        "document_number": someone.document_number,
    }


def batch_rows() -> dict[str, list[dict]]:
    """Every batch's nominees by reference, numbered through all batches in order.

    A state's nominees are its citizens; an organisation's take its member states in turn.
    """
    rows: dict[str, list[dict]] = {}
    index = 0
    for batch in batches():
        organization = organizations().get(batch.body)
        nominees = []
        for _ in range(batch.size):
            if organization is None:
                citizenship = batch.body
            else:
                citizenships = organization["citizenships"].split()
                citizenship = citizenships[index % len(citizenships)]
            nominees.append(person(index, citizenship))
            index += 1
        rows[batch.reference] = nominees
    return rows


def working_day_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def astana_time(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=ZONE)


# LOADING


def load(demo: Demo) -> None:
    """Load the demo's accreditation (the files above) into `demo`."""
    agency_rows, associations = _rows("agencies.csv"), _rows("associations.csv")
    demo.expect(Agency, len(agency_rows))
    demo.expect(NominatingBody, len(states()) + len(organizations()) + len(associations))
    demo.expect(NominationBatch, len(batches()))
    demo.expect(Observer, sum(data.size for data in batches()))
    election = Election.objects.get(**scenario()["election"])
    agencies = {row["key"]: _load_agency(demo, row) for row in agency_rows}
    bodies = _load_bodies(demo, agencies, associations)
    rows = batch_rows()
    for data in batches():
        _load_batch(demo, data, bodies[data.body], rows[data.reference], election)
    for data in revocations():
        _load_revocation(demo, data, rows, election)


def _load_agency(demo: Demo, row: dict[str, str]) -> Agency:
    values = {
        "name_ru": row["name_ru"],
        "name_kk": row["name_kk"],
        "kind": row["kind"],
        "contact_email": row["contact_email"],
    }
    return demo.upsert(
        Agency,
        {"name_en": row["name_en"]},
        values,
        create=partial(agency_create, name=row["name_en"], **values),
    )


def _load_bodies(
    demo: Demo, agencies: dict[str, Agency], associations: list[dict[str, str]]
) -> dict[str, NominatingBody]:
    """States (by ISO code), then organisations (by key); then the public associations."""

    def body(key: dict, values: dict) -> NominatingBody:
        return demo.upsert(
            NominatingBody,
            key,
            values,
            create=partial(nominating_body_create, actor=None, **key, **values),
        )

    bodies: dict[str, NominatingBody] = {}
    for code, row in states().items():
        bodies[code] = body(
            {"kind": BodyKind.STATE, "country": code},
            {
                "contact_email": row["contact_email"],
                "language": row["language"],
                "agency": agencies[row["agency"]],
            },
        )
    for key, row in organizations().items():
        bodies[key] = body(
            {"kind": BodyKind.ORGANIZATION, "name_en": row["name_en"]},
            {
                "name_ru": row["name_ru"],
                "name_kk": row["name_kk"],
                **translated(row, "short_name"),
                "contact_email": row["contact_email"],
                "language": row["language"],
                "agency": agencies[row["agency"]],
            },
        )
    regions = Region.objects.in_bulk(
        [row["region"] for row in associations if row["region"]], field_name="code"
    )
    for row in associations:
        body(
            {"kind": BodyKind.ASSOCIATION, "name_en": row["name_en"]},
            {
                "name_ru": row["name_ru"],
                "name_kk": row["name_kk"],
                **translated(row, "short_name"),
                "contact_email": row["contact_email"],
                "language": row["language"],
                "region": regions[row["region"]] if row["region"] else None,
                "accredited_from": parse_optional_date(row["accredited_from"]),
                "accredited_until": parse_optional_date(row["accredited_until"]),
            },
        )
    return bodies


def _load_batch(
    demo: Demo, data: BatchData, body: NominatingBody, rows: list[dict], election: Election
) -> None:
    """Nominate the batch the working day before its decision, then decide what is undecided."""
    # Submitted through the API by the agency that submits for the body (for states, the
    # Ministry of Foreign Affairs); decided by the desk.
    hours = scenario()
    result = nomination_batch_submit(
        actor=body.agency.user,
        election=election,
        body=body,
        rows=rows,
        source=BatchSource.API,
        reference=data.reference,
        at=astana_time(working_day_before(data.day), hours["submission_time"]),
    )
    if result.created:
        demo.count(NominationBatch, created=1)
        demo.count(Observer, created=len(rows))
    nominees = list(result.batch.observers.order_by("pk"))
    decided_at = astana_time(data.day, hours["decision_time"])
    to_accredit = [o for o in nominees[: data.accredited] if o.status == ObserverStatus.SUBMITTED]
    if to_accredit:
        observers_accredit(actor=None, observers=to_accredit, at=decided_at)
        demo.count(Observer, updated=len(to_accredit))
    for observer, reason in zip(nominees[data.accredited :], data.refused, strict=True):
        if observer.status == ObserverStatus.SUBMITTED:
            observer_refuse(actor=None, observer=observer, reason=reason, at=decided_at)
            demo.count(Observer, updated=1)


def _load_revocation(
    demo: Demo, data: RevocationData, rows: dict[str, list[dict]], election: Election
) -> None:
    row = rows[data.batch][data.position]
    observer = Observer.objects.get(
        election=election,
        batch__reference=data.batch,
        citizenship=row["citizenship"],
        document_number=row["document_number"],
    )
    if observer.status == ObserverStatus.ACCREDITED:
        observer_revoke(actor=None, observer=observer, reason=data.reason, at=data.at)
        demo.count(Observer, updated=1)
