"""The non-standard voting hours report: for an election, the stations whose hours a published
decision changed, counted by region and listed one by one, as a PDF (kk, ru or en, in the
shipped font) or a CSV; made by a Celery worker as a core job (`core.jobs`), with progress.

Stations abroad (run by a region's commissions, Astana's mostly) are a group of their own after
the regions ("Abroad"), never counted with the region that runs them; each station is listed with
its zone and that zone's UTC offset on election day.

Who may ask: the CEC for the whole country, territorial staff for their own region (and the
stations abroad its precinct commissions run). Asking again for the same report
(the same election, format and language, the same asker — the CEC's staff share theirs — and the
same decisions in force) finds the same job, running or done; a decision published since makes a
new one.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from datetime import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissions.models import Commission, Election, Region
from core.collation import sort_key
from core.csv import csv_lines
from core.jobs import job_handler, job_scratch
from core.pdf import html_to_pdf, render_html
from core.scoping import Level, scope_of

from .models import PollingStation, VotingHoursDecision
from .selectors import (
    effective_hours,
    hours_decision,
    in_force_decisions,
    utc_offset,
    with_voting_hours,
)

HOURS_REPORT_JOB = "polling.hours_report"
REPORT_FORMATS = ("pdf", "csv")
REPORT_NOT_YOURS = gettext_lazy(
    "Only the CEC and territorial staff make the voting hours report (territorial staff: of "
    "their own region)."
)
UNKNOWN_FORMAT = gettext_lazy("The report is made as a PDF (pdf) or a spreadsheet (csv).")
UNKNOWN_LANGUAGE = gettext_lazy("The report is made in Kazakh (kk), Russian (ru) or English (en).")


@dataclass
class StationHours:
    """One station whose hours a decision in force changed."""

    station: PollingStation
    opens: time
    closes: time
    decision: VotingHoursDecision
    offset: str = ""  # the station's zone's UTC offset on election day ("UTC−04:00")


@dataclass
class RegionHours:
    """A region's line of the summary (or the stations abroad's: `region` None), and its
    stations."""

    region: Region | None
    total: int
    name: str = ""
    stations: list[StationHours] = field(default_factory=list)
    opens_earlier: int = 0
    closes_later: int = 0
    closes_earlier: int = 0
    may_close_early: int = 0


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


def report_regions(election: Election, *, region_id: int | None = None) -> list[Region]:
    """The regions of the report: the cities of republican significance, then the oblasts, each
    in the alphabet of the active language (Kazakh: Ақмола before Атырау, Қарағанды after
    Жетісу), the id breaking ties."""
    regions = Region.objects.filter(pk=region_id) if region_id else Region.objects.all()
    text_key = sort_key()
    return sorted(regions, key=lambda region: (region.kind, text_key(region.name), region.pk))


def region_hours(election: Election, region: Region) -> RegionHours:
    """One region's stations at home with changed hours, in four queries whatever their
    number."""
    stations = PollingStation.objects.at_home().filter(precinct_commission__region=region)
    return _group_hours(election, stations, RegionHours(region=region, total=0, name=region.name))


def abroad_hours(election: Election, *, region_id: int | None = None) -> RegionHours:
    """The stations abroad with changed hours (those run by the region's precinct commissions
    if `region_id`), in four queries whatever their number."""
    stations = PollingStation.objects.abroad()
    if region_id:
        stations = stations.filter(precinct_commission__region=region_id)
    return _group_hours(election, stations, RegionHours(region=None, total=0, name=_("Abroad")))


def _group_hours(election: Election, stations, row: RegionHours) -> RegionHours:
    changed = stations.filter(
        Exists(in_force_decisions(election).filter(stations=OuterRef("pk")).order_by().values("pk"))
    )
    row.total = stations.count()
    default_opens, default_closes = election.voting_opens_at, election.voting_closes_at
    listed = list(with_voting_hours(changed, election).order_by("number", "pk"))
    # The deciding commissions, once for the region (not a query per station).
    commissions = Commission.objects.select_related("region").in_bulk(
        {hours_decision(s, election).commission_id for s in listed}
    )
    for station in listed:
        opening, closing, decision = effective_hours(station, election)
        decision.commission = commissions[decision.commission_id]
        opens, closes = opening.time(), closing.time()
        row.stations.append(
            StationHours(station, opens, closes, decision, offset=utc_offset(opening))
        )
        row.opens_earlier += opens < default_opens
        row.closes_later += closes > default_closes
        row.closes_earlier += closes < default_closes
        row.may_close_early += decision.early_closing_allowed
    return row


def _state(election: Election, region_id: int | None) -> list:
    """What the report shows depends on: the decisions in force (and their stations)."""
    decisions = in_force_decisions(election)
    if region_id:
        decisions = decisions.filter(commission__region=region_id)
    return list(
        decisions.annotate(count=Count("stations")).values_list("pk", "published_at", "count")
    )


def hours_report_submit(
    *, actor, election: Election, format: str = "pdf", language: str | None = None
):
    """The job that makes the report (core.services.job_submit), in the actor's scope."""
    from core.services import job_submit

    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": UNKNOWN_LANGUAGE})
    if format not in REPORT_FORMATS:
        raise ValidationError({"format": UNKNOWN_FORMAT})
    scope = scope_of(actor)
    if actor is None or scope.is_national:
        region_id, owner = None, "cec"
    elif scope.level is Level.REGION and scope.region_id:
        # Their own job: the job pages show a territorial staff member the jobs they started.
        region_id, owner = scope.region_id, f"user{actor.pk}"
    else:
        raise PermissionDenied(REPORT_NOT_YOURS)
    regions = report_regions(election, region_id=region_id)
    digest = hashlib.sha256(repr(_state(election, region_id)).encode()).hexdigest()[:24]
    key = f"{HOURS_REPORT_JOB}:{election.pk}:{owner}:{format}:{language}:{digest}"

    def title() -> str:
        text = _("Non-standard voting hours ({format})").format(format=format.upper())
        if region_id:
            text = f"{text}, {regions[0].name}" if regions else text
        return f"{text}: {election.name}"

    day = f"{election.election_day:%Y%m%d}"
    where = f"-{regions[0].code}" if region_id and regions else ""
    return job_submit(
        actor=actor,
        kind=HOURS_REPORT_JOB,
        key=key,
        title=title,
        params={
            "election": election.pk,
            "region": region_id,
            "format": format,
            "language": language,
        },
        total=len(regions) + 1,  # the regions, then the stations abroad
        result_name=f"voting-hours-{day}{where}-{language}.{format}",
    )


def csv_header() -> list[str]:
    return [
        _("Region"),
        _("Station number"),
        _("Station"),
        _("Abroad"),
        _("Time zone"),
        _("UTC offset"),
        _("Voting opens"),
        _("Voting closes"),
        _("May close early"),
        _("Decision"),
        _("Commission"),
        _("Published on"),
    ]


def csv_rows(rows: list[RegionHours]):
    yes, no = _("yes"), _("no")
    for row in rows:
        for item in row.stations:
            station, decision = item.station, item.decision
            zone = decision.commission.region.zone if decision.commission.region_id else None
            yield [
                row.name,
                station.number,
                station.name,
                yes if station.is_abroad else no,
                station.timezone_name,
                item.offset.replace("\u2212", "-"),
                _clock(item.opens),
                _clock(item.closes),
                yes if decision.early_closing_allowed else no,
                decision.number,
                decision.commission.name,
                f"{timezone.localtime(decision.published_at, zone):%d.%m.%Y}",
            ]


@job_handler(HOURS_REPORT_JOB, label=gettext_lazy("Voting hours report"))
def hours_report_job(job, progress) -> File:
    election = Election.objects.get(pk=job.params["election"])
    language = job.params["language"]
    regions = report_regions(election, region_id=job.params.get("region"))
    rows: list[RegionHours] = []
    with translation.override(language):
        for done, region in enumerate(regions, start=1):
            rows.append(region_hours(election, region))
            progress(done)
        abroad = abroad_hours(election, region_id=job.params.get("region"))
        if abroad.total:  # a region that runs no station abroad has no such line
            rows.append(abroad)
        progress(len(regions) + 1)
        result = tempfile.TemporaryFile(prefix="saylau-hours-report-")  # noqa: SIM115
        try:
            if job.params["format"] == "csv":
                for line in csv_lines(csv_rows(rows), csv_header()):
                    result.write(line.encode("utf-8"))
            else:
                html = render_html(
                    "polling/pdf/hours_report.html",
                    hours_report_context(election, rows),
                    language=language,
                )
                with job_scratch(job) as folder:
                    result.write(html_to_pdf(html, scratch=folder))
            result.seek(0)
        except BaseException:
            result.close()
            raise
    return File(result, name=job.result_name)


def hours_report_context(election: Election, rows: list[RegionHours]) -> dict:
    totals = RegionHours(region=None, total=sum(row.total for row in rows))
    for name in ("opens_earlier", "closes_later", "closes_earlier", "may_close_early"):
        setattr(totals, name, sum(getattr(row, name) for row in rows))
    return {
        "election": election,
        "rows": rows,
        "totals": totals,
        "changed": sum(len(row.stations) for row in rows),
        "default_opens": _clock(election.voting_opens_at),
        "default_closes": _clock(election.voting_closes_at),
        "made_at": timezone.localtime(timezone.now()),
        "single_region": len(rows) == 1,
    }
