"""Polling stations' rules: who opens one and what may change once it exists; voting hours
decisions from draft to publication, and the one rule every decision keeps
(`voting_hours_decision_check`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from commissions.constants import VOTING_EARLIEST_OPENING, VOTING_LATEST_CLOSING
from commissions.models import Commission, Election
from core.audit import acting_as
from core.constraints import save_checked
from core.deadlines import RelativeDeadline
from core.locks import lock_namespace, xact_lock
from core.normalize import normalize_name
from core.scoping import ADD, CHANGE, DELETE, require, require_permission
from core.services import model_create, model_update

from .choices import DecisionStatus, HoursReason, Parity, RuleKind, StreetNameKind
from .models import (
    Locality,
    PollingStation,
    Street,
    StreetName,
    TerritoryRule,
    VotingHoursDecision,
)

OUTSIDE_SCOPE = _("You may not change this polling station.")

# What may change on a station once it exists; its number, region and commission are fixed.
TRANSLATED_FIELDS = ("name", "address")
UPDATABLE_FIELDS = frozenset(
    {
        *TRANSLATED_FIELDS,
        *(
            build_localized_fieldname(field, code)
            for field in TRANSLATED_FIELDS
            for code, _name in settings.LANGUAGES
        ),
        "timezone",
        "egov_check_available",
        "temporary_registration_allowed",
        "special_kind",
        "latitude",
        "longitude",
        "step_free_entrance",
        "has_ramp",
        "accessible_booth",
        "phone",
    }
)


NO_STATION_PERMISSION = _("You may not open or change polling stations.")


@transaction.atomic
def polling_station_create(*, actor, station: PollingStation) -> PollingStation:
    """Open a new polling station: the CEC anywhere, territorial staff in their own region (its
    precinct commission decides where it is). The actor needs `polling.add_pollingstation` and
    the station in their add scope: PermissionDenied (NO_STATION_PERMISSION, OUTSIDE_SCOPE)."""
    require_permission(actor, "polling.add_pollingstation", NO_STATION_PERMISSION, agencies=True)
    return model_create(actor=actor, instance=station, refusal=OUTSIDE_SCOPE)


@transaction.atomic
def polling_station_update(*, actor, station: PollingStation, **changes) -> PollingStation:
    """Change a station's description or voting-day facilities, within the actor's scope. Only
    UPDATABLE_FIELDS may change (anything else is a ValueError, see `core.services.model_update`);
    the actor needs `polling.change_pollingstation` (NO_STATION_PERMISSION) and the stored
    station in their change scope (OUTSIDE_SCOPE), both PermissionDenied."""
    require_permission(actor, "polling.change_pollingstation", NO_STATION_PERMISSION, agencies=True)
    station = PollingStation.objects.select_for_update().get(pk=station.pk)
    require(actor, CHANGE, station, OUTSIDE_SCOPE)
    changed = model_update(station, fields=UPDATABLE_FIELDS, data=changes)
    if changed:
        with acting_as(actor):
            save_checked(station)
    return station


# VOTING HOURS DECISIONS

DECISION_OUTSIDE_SCOPE = _("You may not decide voting hours for this commission.")
HOURS_OUTSIDE_LAW = _(
    "Voting may not start before 06:00 nor end after 22:00 local time; {time} is outside."
)
NO_TIME_SET = _("Set another opening time, another closing time, or both.")
OPENING_NOT_BEFORE_CLOSING = _("Voting would open at {opening} and close at {closing}.")
NO_STATIONS = _("Name the polling stations the decision concerns.")
REASON_REQUIRED = _("Say why, when the reason is none of those listed.")
STATIONS_OUTSIDE_TERRITORY = _(
    "Polling stations No. {numbers} are outside the commission's territory."
)
EARLY_CLOSING_NOT_SPECIAL = _(
    "Only stations in military units, hospitals, sanatoria, detention centres, remote pastures "
    "and shift camps may close early; No. {numbers} are not such stations."
)
ADOPTED_TOO_LATE = _(
    "Voters must be informed by {deadline} (local time): the decision cannot be adopted on {day}."
)
PUBLISHED_TOO_LATE = _(
    "Voters must be informed by {deadline} (local time): the decision can no longer be published."
)
DRAFT_PAST_DEADLINE = _(
    "Saved as a draft, but voters had to be informed by {deadline} (local time): this decision "
    "can no longer be adopted."
)
ADOPTED_IN_FUTURE = _("A decision cannot be adopted on a day still to come ({day}).")
PUBLISHED_BEFORE_ADOPTED = _("A decision is published after it is adopted ({day}).")
NOT_A_DRAFT = _("Only a draft decision can be changed; this one is {status}.")
NOT_ADOPTABLE = _("Only a draft decision can be adopted; this one is {status}.")
NOT_PUBLISHABLE = _("Only an adopted decision can be published; this one is {status}.")
NOT_SUPERSEDABLE = _("Only a published decision can be superseded; this one is {status}.")
PUBLISHED_NOT_WITHDRAWN = _(
    "A published decision cannot be withdrawn: voters have been told. Supersede it with a new "
    "decision instead."
)
NOT_WITHDRAWABLE = _("Only an adopted decision can be withdrawn; this one is {status}.")
WITHDRAWAL_REASON_REQUIRED = _("Say why the decision is withdrawn.")
ALREADY_SUPERSEDED = _("This decision is already superseded by decision No. {number}.")
SUPERSEDES_OTHER_ELECTION = _(
    "A decision supersedes a published decision of the same commission and election."
)
STATION_HOURS_ALREADY_SET = _(
    "Polling station No. {station} already votes at the hours of decision No. {number}: "
    "supersede that decision instead."
)

DECISION_TRANSLATED_FIELDS = ("reason",)
# What may change on a draft; its election and commission are fixed once it exists.
DECISION_UPDATABLE_FIELDS = frozenset(
    {
        "number",
        "proposed_by",
        "opens_at",
        "closes_at",
        "reason_kind",
        "early_closing_allowed",
        *DECISION_TRANSLATED_FIELDS,
        *(
            build_localized_fieldname(field, code)
            for field in DECISION_TRANSLATED_FIELDS
            for code, _name in settings.LANGUAGES
        ),
    }
)
# Copied from a superseded decision to the one that supersedes it, unless changed.
# The untranslated name of a translated field is left out: it reads the current language's
# value, with fallbacks, and would write it into that language's field.
SUPERSEDING_COPIES = DECISION_UPDATABLE_FIELDS - {"number", *DECISION_TRANSLATED_FIELDS}

# Publication of an election's decisions is serialised: two decisions published at once cannot
# both set one station's hours. Scope: an election.
HOURS_PUBLICATION = lock_namespace("polling.voting_hours_publication")


def informing_deadline(election: Election, commission: Commission) -> datetime:
    """By when voters are told of another voting time (settings.VOTING_HOURS_INFORM_DEADLINE),
    in the deciding commission's zone."""
    deadline = RelativeDeadline.parse(settings.VOTING_HOURS_INFORM_DEADLINE)
    return deadline.resolve(election.election_day, commission.region.zone)


DEADLINE_END_OF_DAY = _("{day}, end of the day")


def deadline_shown(deadline: datetime, zone=None) -> str:
    """A deadline as staff read it, in the active language, in `zone` (default: the deadline's
    own): "dd.mm.yyyy HH:MM", except that midnight is the end of the day before
    (DEADLINE_END_OF_DAY: "09.03.2023, end of the day", not "10.03.2023 00:00", which staff
    took for a day later; the informing deadline "E-10 24:00" is such a midnight)."""
    local = deadline.astimezone(zone) if zone is not None else deadline
    if local.time() == time(0):
        day = local.date() - timedelta(days=1)
        return str(DEADLINE_END_OF_DAY).format(day=f"{day:%d.%m.%Y}")
    return f"{local:%d.%m.%Y %H:%M}"


def _adopted_too_late(day: date, deadline: datetime) -> bool:
    """Whether a decision adopted on `day` (in the deadline's zone) is adopted too late: its day
    begins at or after the informing deadline."""
    return datetime.combine(day, time(0), tzinfo=deadline.tzinfo) >= deadline


def voting_hours_decision_late_warning(
    decision: VotingHoursDecision, *, now: datetime | None = None
) -> str | None:
    """For a draft saved now (`now`, default the present): the warning (DRAFT_PAST_DEADLINE,
    in the current language, with the deadline in the commission's local time) that it can no
    longer be adopted, adopting it today being past the informing deadline by
    `voting_hours_decision_check`'s rule; None while it still can be, or for a decision that is
    no draft."""
    if decision.status != DecisionStatus.DRAFT:
        return None
    zone = decision.commission.region.zone
    deadline = informing_deadline(decision.election, decision.commission)
    today = timezone.localdate(now or timezone.now(), zone)
    if not _adopted_too_late(today, deadline):
        return None
    return str(DRAFT_PAST_DEADLINE.format(deadline=deadline_shown(deadline)))


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


def _numbers(stations: Iterable[PollingStation]) -> str:
    return ", ".join(str(number) for number in sorted({s.number for s in stations}))


def voting_hours_decision_check(
    decision: VotingHoursDecision, *, stations: Iterable[PollingStation]
) -> None:
    """The one rule of voting hours decisions (Law, art. 38), raising a ValidationError that
    names every field at fault:

    - another opening or closing time (or both), each within 06:00–22:00 local time;
    - voting opens before it closes, the side left unchanged being the election's default;
    - the stations are in the deciding commission's territory (its region; stations abroad
      belong to the region of their precinct commission), at least one once adopted;
    - early closing only for special stations (`SpecialKind`);
    - grounds in words (in some language) when the reason is "other";
    - adopted (its day) and published (its instant) by the informing deadline, in the
      commission's zone, published no earlier than adopted, adopted on no day still to come.
    """
    stations = list(stations)
    election = decision.election
    commission = decision.commission
    errors: dict[str, list] = {}

    def refuse(field: str, message) -> None:
        errors.setdefault(field, []).append(message)

    for field in ("opens_at", "closes_at"):
        value = getattr(decision, field)
        if value is not None and not VOTING_EARLIEST_OPENING <= value <= VOTING_LATEST_CLOSING:
            refuse(field, HOURS_OUTSIDE_LAW.format(time=_clock(value)))
    if decision.opens_at is None and decision.closes_at is None:
        refuse(NON_FIELD_ERRORS, NO_TIME_SET)
    elif not errors:
        opening = decision.opens_at or election.voting_opens_at
        closing = decision.closes_at or election.voting_closes_at
        if opening >= closing:
            field = "closes_at" if decision.closes_at is not None else "opens_at"
            refuse(
                field,
                OPENING_NOT_BEFORE_CLOSING.format(opening=_clock(opening), closing=_clock(closing)),
            )

    if decision.adopted_on is not None and not stations:
        refuse("stations", NO_STATIONS)
    outside = [s for s in stations if s.precinct_commission.region_id != commission.region_id]
    if outside:
        refuse("stations", STATIONS_OUTSIDE_TERRITORY.format(numbers=_numbers(outside)))
    if decision.early_closing_allowed:
        ordinary = [s for s in stations if not s.special_kind]
        if ordinary:
            refuse(
                "early_closing_allowed",
                EARLY_CLOSING_NOT_SPECIAL.format(numbers=_numbers(ordinary)),
            )

    if decision.reason_kind == HoursReason.OTHER and not any(
        (getattr(decision, build_localized_fieldname("reason", code)) or "").strip()
        for code, _name in settings.LANGUAGES
    ):
        refuse("reason", REASON_REQUIRED)

    if decision.adopted_on is not None or decision.published_at is not None:
        zone = commission.region.zone
        deadline = informing_deadline(election, commission)
        shown = deadline_shown(deadline)
        if decision.adopted_on is not None:
            day = decision.adopted_on
            if _adopted_too_late(day, deadline):
                refuse("adopted_on", ADOPTED_TOO_LATE.format(deadline=shown, day=f"{day:%d.%m.%Y}"))
            elif day > timezone.localdate(timezone.now(), zone):
                refuse("adopted_on", ADOPTED_IN_FUTURE.format(day=f"{day:%d.%m.%Y}"))
        if decision.published_at is not None:
            if decision.published_at > deadline:
                refuse("published_at", PUBLISHED_TOO_LATE.format(deadline=shown))
            elif (
                decision.adopted_on is not None
                and timezone.localdate(decision.published_at, zone) < decision.adopted_on
            ):
                refuse(
                    "published_at",
                    PUBLISHED_BEFORE_ADOPTED.format(day=f"{decision.adopted_on:%d.%m.%Y}"),
                )
    old = decision.supersedes
    if old is not None and (
        old.election_id != decision.election_id or old.commission_id != decision.commission_id
    ):
        refuse("supersedes", SUPERSEDES_OTHER_ELECTION)
    if errors:
        raise ValidationError(errors)


def voting_hours_decision_clash_check(
    decision: VotingHoursDecision, *, stations: Iterable[PollingStation]
) -> None:
    """One station, one decision in force per election: a decision whose stations' hours
    another published decision of its election still sets (other than the one it supersedes)
    is refused, at adoption and again at publication, ValidationError on "stations"
    (STATION_HOURS_ALREADY_SET, naming the first such station and that decision). That
    decision is superseded, not overlapped. Run under the election's HOURS_PUBLICATION lock."""
    in_force = (
        VotingHoursDecision.objects.in_force()
        .filter(election_id=decision.election_id)
        .exclude(pk=decision.pk)
    )
    if decision.supersedes_id is not None:
        in_force = in_force.exclude(pk=decision.supersedes_id)
    clash = (
        VotingHoursDecision.stations.through.objects.filter(
            votinghoursdecision__in=in_force, pollingstation__in=list(stations)
        )
        .select_related("votinghoursdecision", "pollingstation")
        .order_by("pollingstation__number", "pk")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "stations": STATION_HOURS_ALREADY_SET.format(
                    station=clash.pollingstation.number,
                    number=clash.votinghoursdecision.number,
                )
            },
            code="hours_already_set",
        )


def _pk_of(value) -> int | None:
    return getattr(value, "pk", value)


def _locked_decision(decision: VotingHoursDecision) -> VotingHoursDecision:
    return (
        VotingHoursDecision.objects.select_for_update(of=("self",))
        .select_related("election", "commission__region")
        .get(pk=decision.pk)
    )


def _stations_of(decision: VotingHoursDecision) -> list[PollingStation]:
    return list(decision.stations.select_related("precinct_commission"))


def _save(actor, decision: VotingHoursDecision, stations=None) -> None:
    """Validate the row (its constraints too), save it and its stations as the actor."""
    decision.full_clean(exclude=["stations"])
    with acting_as(actor):
        save_checked(decision)
        if stations is not None:
            decision.stations.set(stations)


def _status(decision: VotingHoursDecision) -> str:
    return str(decision.get_status_display()).lower()


@transaction.atomic
def voting_hours_decision_create(
    *,
    actor,
    election: Election,
    commission: Commission,
    number: str,
    proposed_by: str,
    reason_kind: str,
    stations: Iterable[PollingStation] = (),
    opens_at: time | None = None,
    closes_at: time | None = None,
    early_closing_allowed: bool = False,
    supersedes: VotingHoursDecision | None = None,
    **translations: str,
) -> VotingHoursDecision:
    """Draft a territorial commission's voting hours decision: the CEC for any commission,
    territorial staff for their own region's. Checked by `voting_hours_decision_check`.
    `translations`: the grounds, `reason` (the current language's) and/or `reason_<language>`."""
    decision = VotingHoursDecision(
        election=election,
        commission=commission,
        number=number,
        proposed_by=proposed_by,
        reason_kind=reason_kind,
        opens_at=opens_at,
        closes_at=closes_at,
        early_closing_allowed=early_closing_allowed,
        supersedes=supersedes,
        **translations,
    )
    require(actor, ADD, decision, DECISION_OUTSIDE_SCOPE)
    stations = list(stations)
    voting_hours_decision_check(decision, stations=stations)
    _save(actor, decision, stations)
    return decision


@transaction.atomic
def voting_hours_decision_update(
    *,
    actor,
    decision: VotingHoursDecision,
    stations: Iterable[PollingStation] | None = None,
    **changes,
) -> VotingHoursDecision:
    """Change a draft: its number, proposer, times, reason, early closing and stations (None:
    unchanged). An adopted or published decision is refused (a published one is superseded);
    anything outside DECISION_UPDATABLE_FIELDS is a ValueError (`core.services.model_update`)."""
    decision = _locked_decision(decision)
    require(actor, CHANGE, decision, DECISION_OUTSIDE_SCOPE)
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(NOT_A_DRAFT.format(status=_status(decision)), code="not_draft")
    changed = model_update(
        decision,
        fields=DECISION_UPDATABLE_FIELDS,
        data=changes,
        exclude=["stations"],
        validate_constraints=False,  # the rule first: its messages say more
    )
    stations = list(stations) if stations is not None else None
    if changed or stations is not None:
        voting_hours_decision_check(
            decision, stations=stations if stations is not None else _stations_of(decision)
        )
        _save(actor, decision, stations)
    return decision


@transaction.atomic
def voting_hours_decision_adopt(
    *, actor, decision: VotingHoursDecision, on: date | None = None
) -> VotingHoursDecision:
    """Record that the commission adopted the draft, on `on` (default: today in the
    commission's zone), by the informing deadline; refused (ValidationError on "stations") when
    another decision in force already sets one of its stations' hours
    (`voting_hours_decision_clash_check`, the check publication makes again)."""
    decision = _locked_decision(decision)
    require(actor, CHANGE, decision, DECISION_OUTSIDE_SCOPE)
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(NOT_ADOPTABLE.format(status=_status(decision)), code="not_draft")
    decision.status = DecisionStatus.ADOPTED
    decision.adopted_on = on or timezone.localdate(timezone.now(), decision.commission.region.zone)
    stations = _stations_of(decision)
    voting_hours_decision_check(decision, stations=stations)
    with xact_lock(HOURS_PUBLICATION, decision.election_id):
        voting_hours_decision_clash_check(decision, stations=stations)
        _save(actor, decision)
    return decision


@transaction.atomic
def voting_hours_decision_publish(
    *, actor, decision: VotingHoursDecision, at: datetime | None = None
) -> VotingHoursDecision:
    """Publish an adopted decision (at `at`, default now), by the informing deadline: from then
    on it sets its stations' hours (`polling.selectors.effective_hours`) and the decision it
    supersedes no longer does. A station whose hours another decision in force sets is refused:
    that decision is superseded, not overlapped."""
    decision = _locked_decision(decision)
    require(actor, CHANGE, decision, DECISION_OUTSIDE_SCOPE)
    if decision.status != DecisionStatus.ADOPTED:
        raise ValidationError(NOT_PUBLISHABLE.format(status=_status(decision)), code="not_adopted")
    decision.status = DecisionStatus.PUBLISHED
    decision.published_at = at or timezone.now()
    stations = _stations_of(decision)
    voting_hours_decision_check(decision, stations=stations)
    with xact_lock(HOURS_PUBLICATION, decision.election_id):
        voting_hours_decision_clash_check(decision, stations=stations)
        _save(actor, decision)
    # Voters and the precinct commissions are told (polling.informing): the job is a row of
    # this transaction, queued for a worker once it commits, so a rolled-back publication
    # tells no one and a committed one is never left untold.
    from .informing import hours_notices_submit

    hours_notices_submit(decision=decision, actor=actor)
    return decision


@transaction.atomic
def voting_hours_decision_supersede(
    *,
    actor,
    decision: VotingHoursDecision,
    number: str,
    stations: Iterable[PollingStation] | None = None,
    election=None,
    commission=None,
    **changes,
) -> VotingHoursDecision:
    """Draft the decision that replaces a published one (the only way to change it): the same
    election and commission, its own `number`, the old decision's proposer, times, reason and
    stations unless `changes` or `stations` say otherwise. Adopted and published as any other;
    once published, the old decision no longer sets hours. An `election` or `commission` given
    (a form that asks for them) must be the old decision's: else a ValidationError on
    "supersedes", not a decision silently moved to the old one's election."""
    old = _locked_decision(decision)
    require(actor, CHANGE, old, DECISION_OUTSIDE_SCOPE)
    if (election is not None and _pk_of(election) != old.election_id) or (
        commission is not None and _pk_of(commission) != old.commission_id
    ):
        raise ValidationError({"supersedes": SUPERSEDES_OTHER_ELECTION}, code="other_election")
    if old.status != DecisionStatus.PUBLISHED:
        raise ValidationError(NOT_SUPERSEDABLE.format(status=_status(old)), code="not_published")
    successor = old.successor()
    if successor is not None:
        raise ValidationError(ALREADY_SUPERSEDED.format(number=successor.number), code="superseded")
    unknown = set(changes) - SUPERSEDING_COPIES
    if unknown:
        raise ValueError(f"VotingHoursDecision: not changeable here: {', '.join(sorted(unknown))}")
    copied = {name: getattr(old, name) for name in SUPERSEDING_COPIES}
    return voting_hours_decision_create(
        actor=actor,
        election=old.election,
        commission=old.commission,
        number=number,
        stations=_stations_of(old) if stations is None else stations,
        supersedes=old,
        **{**copied, **changes},
    )


@transaction.atomic
def voting_hours_decision_withdraw(
    *, actor, decision: VotingHoursDecision, reason: str, at: datetime | None = None
) -> VotingHoursDecision:
    """Withdraw an adopted decision that was never published (the commission adopted it by
    mistake): its status becomes "withdrawn", with the `reason` (required, in words), the time
    (`at`, default now) and who withdrew it (None: the system), audited as the actor. From then
    on it sets no hours and supersedes nothing: the decision it was to supersede may be
    superseded by another. A published decision is refused (voters were told: it is superseded,
    `voting_hours_decision_supersede`), and so is a draft (it is changed or deleted). Who may:
    the adopt permission (`polling.adopt_votinghoursdecision`), within the actor's territory.
    ValidationError (codes "published", "not_adopted"; `withdrawal_reason`), PermissionDenied."""
    decision = _locked_decision(decision)
    require(actor, CHANGE, decision, DECISION_OUTSIDE_SCOPE)
    require_permission(
        actor, "polling.adopt_votinghoursdecision", DECISION_OUTSIDE_SCOPE, agencies=True
    )
    if decision.status == DecisionStatus.PUBLISHED:
        raise ValidationError(PUBLISHED_NOT_WITHDRAWN, code="published")
    if decision.status != DecisionStatus.ADOPTED:
        raise ValidationError(NOT_WITHDRAWABLE.format(status=_status(decision)), code="not_adopted")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"withdrawal_reason": WITHDRAWAL_REASON_REQUIRED}, code="required")
    decision.status = DecisionStatus.WITHDRAWN
    decision.withdrawal_reason = reason
    decision.withdrawn_at = at or timezone.now()
    decision.withdrawn_by = actor if getattr(actor, "is_authenticated", False) else None
    _save(actor, decision)
    return decision


# TERRITORIES

TERRITORY_OUTSIDE_SCOPE = _("You may not change the territories of this region.")
RULE_OVERLAP = _("These addresses are served by polling station No. {number} already.")
RULE_UPDATABLE_FIELDS = frozenset(
    {
        "station",
        "kind",
        "street",
        "parity",
        "number_from",
        "number_to",
        "building",
        "registration_code",
    }
)

# Territory writes are serialised per locality (scope: the locality's id): the overlap check
# reads the locality's rules and the write follows, so two writers of one locality take turns
# and writers of other localities are not held up. Not an exclusion constraint: whether two
# rules share an address needs the odd/even arithmetic of ranges (11–11 odd and 10–12 even share
# nothing although their intervals do), and an import checks a whole file's rules at once,
# reporting each overlap by its row.
TERRITORY_LOCALITY = lock_namespace("polling.territory_locality")


def _lock_localities(locality_ids: Iterable[int]) -> None:
    for locality_id in sorted(set(locality_ids)):  # one order, so two importers never deadlock
        with xact_lock(TERRITORY_LOCALITY, locality_id):
            pass  # held until the enclosing transaction ends


def _side_numbers(rule: TerritoryRule) -> tuple[int, int, str]:
    low = rule.number_from if rule.number_from is not None else 1
    high = rule.number_to if rule.number_to is not None else 10**9
    return low, high, rule.parity


def rules_overlap(one: TerritoryRule, other: TerritoryRule) -> bool:
    """Whether two rules of one precedence level share an address: a whole locality twice, a
    building twice, or two streets' sides or ranges on one street with a common number of a
    common side. Rules of different levels never overlap: the more precise one decides
    (`polling.selectors.RULE_PRECEDENCE`), which is how a building is taken out of a street."""
    if one.kind != other.kind:
        return False
    if one.kind == RuleKind.LOCALITY:
        return one.locality_id == other.locality_id
    if one.street_id != other.street_id:
        return False
    if one.kind == RuleKind.BUILDING:
        return one.building_key == other.building_key
    low_a, high_a, side_a = _side_numbers(one)
    low_b, high_b, side_b = _side_numbers(other)
    low, high = max(low_a, low_b), min(high_a, high_b)
    if low > high:
        return False
    sides = {side_a, side_b} - {Parity.BOTH}
    if len(sides) > 1:
        return False  # odd against even
    if not sides:
        return True
    wanted = 1 if sides == {Parity.ODD} else 0
    first = low if low % 2 == wanted else low + 1
    return first <= high


def territory_rule_conflict(rule: TerritoryRule, others: Iterable[TerritoryRule]):
    """The first of `others` served by another station that shares an address with `rule`."""
    for other in others:
        if (
            other.station_id != rule.station_id
            and other.pk != rule.pk
            and rules_overlap(rule, other)
        ):
            return other
    return None


def territory_rule_check(rule: TerritoryRule) -> None:
    """Refuse a rule that would give addresses another station serves at the same level of
    precision (ValidationError RULE_OVERLAP naming that station's number only). Run under the
    locality's lock."""
    others = TerritoryRule.objects.filter(locality_id=rule.locality_id, kind=rule.kind)
    if rule.street_id is not None:
        others = others.filter(street_id=rule.street_id)
    conflict = territory_rule_conflict(rule, others.select_related("station"))
    if conflict is not None:
        raise ValidationError(RULE_OVERLAP.format(number=conflict.station.number), code="overlap")


def _prepare(rule: TerritoryRule) -> None:
    if rule.street_id is not None and not rule.locality_id:
        rule.locality_id = rule.street.locality_id


@transaction.atomic
def territory_rule_create(*, actor, rule: TerritoryRule) -> TerritoryRule:
    """Give a station a piece of territory: the CEC anywhere, territorial staff for their own
    region's stations; no address may end up served by two stations (`territory_rule_check`)."""
    _prepare(rule)
    require(actor, ADD, rule, TERRITORY_OUTSIDE_SCOPE)
    rule.full_clean(validate_constraints=False)
    _lock_localities([rule.locality_id])
    territory_rule_check(rule)  # names the other station, before the constraints' words
    rule.validate_constraints()
    with acting_as(actor):
        save_checked(rule)
    return rule


@transaction.atomic
def territory_rule_update(*, actor, rule: TerritoryRule, **changes) -> TerritoryRule:
    """Change a rule within the actor's scope (the stored rule and the changed one), under the
    locality's lock and the overlap check. Only RULE_UPDATABLE_FIELDS may change."""
    stored = TerritoryRule.objects.select_for_update().get(pk=rule.pk)
    require(actor, CHANGE, stored, TERRITORY_OUTSIDE_SCOPE)
    changed = model_update(
        stored, fields=RULE_UPDATABLE_FIELDS, data=changes, validate_constraints=False
    )
    if changed:
        _prepare(stored)
        require(actor, CHANGE, stored, TERRITORY_OUTSIDE_SCOPE)
        _lock_localities([stored.locality_id])
        territory_rule_check(stored)
        stored.validate_constraints()
        with acting_as(actor):
            save_checked(stored)
    return stored


@transaction.atomic
def territory_rule_delete(*, actor, rule: TerritoryRule) -> None:
    """Take a piece of territory from its station, within the actor's scope."""
    stored = TerritoryRule.objects.select_for_update().get(pk=rule.pk)
    require(actor, DELETE, stored, TERRITORY_OUTSIDE_SCOPE)
    with acting_as(actor):
        stored.delete()


@transaction.atomic
def locality_create(*, actor, locality: Locality) -> Locality:
    """Add a locality to a region: the CEC anywhere, territorial staff in their own region."""
    return model_create(actor=actor, instance=locality, refusal=TERRITORY_OUTSIDE_SCOPE)


def name_language(name: str) -> str:
    """The language a street name is written in, as far as its letters tell: Kazakh when it has
    a letter only Kazakh has, Russian for other Cyrillic, English for Latin letters."""
    if any(c in "әғқңөұүһіӘҒҚҢӨҰҮҺІ" for c in name):
        return "kk"
    if any("\u0400" <= c <= "\u04ff" for c in name):
        return "ru"
    return "en"


@transaction.atomic
def street_create(*, actor, street: Street, former_names: Iterable[str] = ()) -> Street:
    """Add a street with its current names (each language's `name_<code>` given) and former
    names (their language told by their letters), every one searchable."""
    model_create(actor=actor, instance=street, refusal=TERRITORY_OUTSIDE_SCOPE)
    seen = set()
    for code, _name in settings.LANGUAGES:
        name = normalize_name(getattr(street, build_localized_fieldname("name", code), None))
        if name and name not in seen:  # a language without its own name may repeat another's
            seen.add(name)
            _street_name_add(actor, street, name, code, StreetNameKind.CURRENT)
    for name in former_names:
        _street_name_add(actor, street, name, name_language(name), StreetNameKind.FORMER)
    return street


def _street_name_add(actor, street, name, language, kind) -> StreetName | None:
    name = normalize_name(name)
    if not name or street.names.filter(name=name, language=language, kind=kind).exists():
        return None
    street_name = StreetName(street=street, name=name, language=language, kind=kind)
    street_name.full_clean()
    with acting_as(actor):
        save_checked(street_name)
    return street_name


@transaction.atomic
def street_name_add(
    *, actor, street: Street, name: str, language: str = "", kind=StreetNameKind.FORMER
) -> StreetName | None:
    """Record another name of a street (a former one by default); None when it has it already."""
    require(actor, CHANGE, street, TERRITORY_OUTSIDE_SCOPE)
    return _street_name_add(actor, street, name, language or name_language(name), kind)


STREET_UPDATABLE_FIELDS = frozenset(
    {"name", *(build_localized_fieldname("name", code) for code, _name in settings.LANGUAGES)}
)


@transaction.atomic
def street_update(*, actor, street: Street, **changes) -> Street:
    """Rename a street (its names in each language; it stays in its locality). A current name
    that changes becomes a former name, so the street is still found by it."""
    stored = Street.objects.select_for_update().get(pk=street.pk)
    require(actor, CHANGE, stored, TERRITORY_OUTSIDE_SCOPE)
    before = {name: getattr(stored, name) for name in STREET_UPDATABLE_FIELDS}
    changed = model_update(stored, fields=STREET_UPDATABLE_FIELDS, data=changes)
    if not changed:
        return stored
    with acting_as(actor):
        save_checked(stored)
    for code, _name in settings.LANGUAGES:
        field = build_localized_fieldname("name", code)
        old, new = normalize_name(before[field]), normalize_name(getattr(stored, field))
        if old == new:
            continue
        for current in stored.names.filter(language=code, kind=StreetNameKind.CURRENT, name=old):
            with acting_as(actor):
                if stored.names.filter(
                    language=code, kind=StreetNameKind.FORMER, name=old
                ).exists():
                    current.delete()
                else:
                    current.kind = StreetNameKind.FORMER
                    save_checked(current)
        if new:
            _street_name_add(actor, stored, new, code, StreetNameKind.CURRENT)
    for name in changed:
        setattr(street, name, getattr(stored, name))
    return stored
