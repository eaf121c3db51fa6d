"""Permission tests by declaration: an app lists its endpoints and who may call them, and the
cases are generated, after NetBox's API and view test cases (`utilities/testing/api.py`,
`views.py`: `test_get_object_anonymous`, `test_get_object_without_permission`,
`test_list_objects_with_constrained_permission`), extended with this project's row scope.

A test module declares its endpoints and takes the generated test::

    from tests.permissions import Endpoint, permission_test, world  # noqa: F401 (fixture)

    ENDPOINTS = [
        Endpoint(
            "polling-api:pollingstation-detail",
            "/api/v1/polling-stations/{station_a.pk}/",
            methods=("PATCH",),
            allowed=("cec", "territorial", "token"),
            denied=("signed_in", "precinct", "token_noscope"),
            out_of_scope=("territorial_other",),
            data=lambda w: {"egov_check_available": True},
        ),
    ]
    test_permissions = permission_test(ENDPOINTS)

Each endpoint and method gives one test per caller, with ids like
`polling-api:pollingstation-detail[PATCH-territorial_other]`:

- `anonymous`: a public endpoint's GET answers its success status; otherwise the API refuses as
  the view's first authenticator says (401 with a `WWW-Authenticate` challenge, else 403), and
  the admin redirects to its login page;
- each of `allowed` succeeds (200, 201 for a POST, or the endpoint's `status`); a list with a
  `row` shows that row; a write changes `state`;
- each of `denied` (no model permission, no token scope) gets 403 (an admin object page may
  answer 404, since the admin looks the row up before it checks the permission);
- each of `out_of_scope` (the permission, but a scope that does not hold the object: territorial
  staff of another region, a precinct member of another station, another agency's token) gets
  404 on an object, so its existence is not revealed, does not see `row` in a list, and a write
  is refused (403 or 404, or 400 for a POST naming another's object) with `state` unchanged.

Callers (the keys of `PRINCIPALS`) live in one `World`, built once per test module: two regions
(A, in scope; B, out of it), each with a territorial commission, a precinct commission and a
polling station, a public association (a nominating body) with its agency and an accredited
observer, and a badge job of each agency. The endpoints' paths are templates formatted with the
world (`{observer_a.pk}`). `check_coverage` fails when a URL pattern of the project has no
declaration (see `tests/core/test_permissions.py`).
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone, translation

API = "api"
ADMIN = "admin"
PAGE = "page"

ANONYMOUS = "anonymous"

# Who calls: a short name each, as endpoints declare them.
PRINCIPALS = {
    ANONYMOUS: "no credentials",
    "signed_in": "a staff account with no role, so no permission",
    "superuser": "a superuser",
    "cec": "CEC staff",
    "territorial": "territorial staff of region A",
    "territorial_other": "territorial staff of region B",
    "precinct": "a member of station A's precinct commission",
    "precinct_other": "a member of station B's precinct commission",
    "token": "agency A's token with observers:submit, observers:read and polling:write",
    "token_other": "agency B's token with the same scopes",
    "token_noscope": "agency A's token with no scope",
    "token_read_all": "the ministry's token with read:all",
}

SUCCESS = {"GET": 200, "HEAD": 200, "POST": 201, "PUT": 200, "PATCH": 200, "DELETE": 204}


@dataclass(frozen=True)
class Endpoint:
    """One endpoint (one URL and the methods that share who may call them) and its callers.

    - `name`: the test id's stem, by convention the URL's name (`observers-api:observer-list`);
    - `path`: the URL, a template formatted with the world (`/api/v1/jobs/{job_a.pk}/`);
    - `kind`: `API`, `ADMIN` (a staff page) or `PAGE` (a public page);
    - `public`: anyone may call it (`allowed` then lists signed-in callers checked too);
    - `row`: for a list, the world's attribute naming the object the allowed see and the out of
      scope do not;
    - `data(world)`: a write's body (`format` "json" or "multipart"); a GET's query string;
    - `state(world)`: what a write changes (default: the count of audit log entries and jobs);
    - `prepare(world)`: run in the test's transaction before the request (a job's file);
    - `status`: the success status when not the method's usual one;
    - `anonymous_to`: where a web page sends the anonymous (the admin's sign-in page);
    - `stateless`: a write that changes no stored row (signing out, choosing a language), so
      the allowed's `state` is not compared;
    - `refused`: the statuses that refuse `denied` callers, when not the usual 403;
    - `xfail`: `{"METHOD-principal": reason}` for known permission bugs (strict).
    """

    name: str
    path: str
    methods: tuple[str, ...] = ("GET",)
    kind: str = API
    public: bool = False
    allowed: tuple[str, ...] = ()
    denied: tuple[str, ...] = ()
    out_of_scope: tuple[str, ...] = ()
    row: str | None = None
    data: Callable[[Any], Any] | None = None
    format: str = "json"
    state: Callable[[Any], Any] | None = None
    prepare: Callable[[Any], None] | None = None
    status: int | None = None
    refused: tuple[int, ...] | None = None
    stateless: bool = False
    anonymous_to: str = "/admin/login/"
    xfail: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        callers = [ANONYMOUS, *self.allowed, *self.denied, *self.out_of_scope]
        unknown = set(callers) - set(PRINCIPALS)
        if unknown:
            raise ValueError(f"{self.name}: unknown callers {sorted(unknown)}")
        if len(callers) != len(set(callers)):
            raise ValueError(f"{self.name}: a caller is declared twice")

    def cases(self) -> Iterable[Case]:
        for method in self.methods:
            yield Case(self, method, ANONYMOUS, "public" if self.public else "anonymous")
            for expectation, principals in (
                ("allowed", self.allowed),
                ("denied", self.denied),
                ("out_of_scope", self.out_of_scope),
            ):
                for principal in principals:
                    yield Case(self, method, principal, expectation)


@dataclass(frozen=True)
class Case:
    endpoint: Endpoint
    method: str
    principal: str
    expectation: str  # public, anonymous, allowed, denied, out_of_scope

    @property
    def id(self) -> str:
        return f"{self.endpoint.name}[{self.method}-{self.principal}]"

    @property
    def is_write(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")


# THE WORLD: two regions and their people, built once per test module


class World:
    """The objects and callers every declaration refers to (A in scope, B out of it)."""

    def __init__(self):
        from auditlog.models import LogEntry
        from axes.models import AccessAttempt, AccessLog
        from django.contrib.auth.models import Group

        from commissions.choices import MemberRole
        from core.choices import NotificationChannel, Role, TokenScope
        from core.models import AgencyKind, Job, Notification
        from observers import services as observer_services
        from observers.services import BADGE_JOB
        from tests.commissions.factories import (
            CecFactory,
            CommissionMemberFactory,
            ElectionFactory,
            PartyFactory,
            RegionFactory,
        )
        from tests.core.factories import AgencyFactory, UserFactory, make_token
        from tests.observers.factories import AssociationBodyFactory, OpenElectionFactory, person
        from tests.polling.factories import PollingStationFactory, TerritoryRuleFactory

        def account(role="", **fields):
            # No password: hashing one costs more than the rest of the world together.
            return UserFactory(role=role, is_staff=True, password=None, **fields)

        def staff_of(commission, role):
            user = account(role)
            CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
            return user

        self.cec_commission = CecFactory()
        self.region_a = RegionFactory()
        self.region_b = RegionFactory()
        self.station_a = PollingStationFactory(precinct_commission__parent__region=self.region_a)
        self.station_b = PollingStationFactory(precinct_commission__parent__region=self.region_b)
        self.precinct_commission_a = self.station_a.precinct_commission
        self.territorial_commission_a = self.precinct_commission_a.parent
        self.territorial_commission_b = self.station_b.precinct_commission.parent
        self.election = OpenElectionFactory()
        self.past_election = ElectionFactory()
        self.party = PartyFactory()
        self.published_decision_a, self.hours_decision_a = voting_hours_decisions(
            self.election, self.station_a
        )
        self.territory_rule_a = TerritoryRuleFactory(
            station=self.station_a, street__locality__region=self.region_a
        )
        self.street_a = self.territory_rule_a.street
        self.locality_a = self.street_a.locality

        self.users = {
            ANONYMOUS: None,
            "signed_in": account(),
            "superuser": account(is_superuser=True),
            "cec": staff_of(self.cec_commission, Role.CEC_STAFF),
            "territorial": staff_of(self.territorial_commission_a, Role.TERRITORIAL_STAFF),
            "territorial_other": staff_of(self.territorial_commission_b, Role.TERRITORIAL_STAFF),
            "precinct": staff_of(self.precinct_commission_a, Role.PRECINCT_MEMBER),
            "precinct_other": staff_of(self.station_b.precinct_commission, Role.PRECINCT_MEMBER),
        }
        self.member_a = self.precinct_commission_a.members.get()
        self.member_b = self.station_b.precinct_commission.members.get()

        def agency(name, kind=AgencyKind.MISSION):
            return AgencyFactory(name=name, kind=kind, user__password=None)

        self.agency_a = agency("Mission A")
        self.agency_b = agency("Mission B")
        self.ministry = agency("Ministry", AgencyKind.MINISTRY)
        every = [TokenScope.OBSERVERS_SUBMIT, TokenScope.OBSERVERS_READ, TokenScope.POLLING_WRITE]
        self.api_token_a, token_key = make_token(self.agency_a, every)
        _token, token_other_key = make_token(self.agency_b, every)
        _token, token_noscope_key = make_token(self.agency_a, [])
        _token, token_read_all_key = make_token(self.ministry, [TokenScope.READ_ALL])
        self.keys = {
            "token": token_key,
            "token_other": token_other_key,
            "token_noscope": token_noscope_key,
            "token_read_all": token_read_all_key,
        }
        self.users.update(
            token=self.agency_a.user,
            token_other=self.agency_b.user,
            token_noscope=self.agency_a.user,
            token_read_all=self.ministry.user,
        )

        today = timezone.localdate()
        term = {
            "accredited_from": today - datetime.timedelta(days=30),
            "accredited_until": today + datetime.timedelta(days=300),
        }
        self.body_a = AssociationBodyFactory(region=self.region_a, agency=self.agency_a, **term)
        self.body_b = AssociationBodyFactory(region=self.region_b, agency=self.agency_b, **term)
        self.observer_a = observer_services.observer_nominate(
            actor=None,
            election=self.election,
            body=self.body_a,
            **person(1, last_name_latin="Abay", last_name_cyrillic="Абай"),
        )
        observer_services.observer_accredit(actor=None, observer=self.observer_a)
        self.observer_a.refresh_from_db()
        self.observer_b = observer_services.observer_nominate(
            actor=None,
            election=self.election,
            body=self.body_b,
            **person(2, last_name_latin="Berik", last_name_cyrillic="Берік"),
        )
        observer_services.observer_accredit(actor=None, observer=self.observer_b)
        self.observer_b.refresh_from_db()
        # Awaiting the decision: a nominee's details may still be corrected.
        self.pending_a = observer_services.observer_nominate(
            actor=None,
            election=self.election,
            body=self.body_a,
            **person(3, last_name_latin="Chokan", last_name_cyrillic="Шоқан"),
        )
        self.batch_a = self.observer_a.batch
        self.batch_b = self.observer_b.batch

        def job(user, key):
            # A badge job as the API starts it; never run (its transaction is never committed).
            return Job.objects.create(kind=BADGE_JOB, key=key, title=key, created_by=user)

        self.user_cec = self.users["cec"]
        self.group = Group.objects.create(name="Permissions test")
        self.notification = Notification.objects.create(
            channel=NotificationChannel.EMAIL, recipient="desk@example.org", body="Test."
        )
        self.log_entry = LogEntry.objects.get_for_object(self.station_a).first()
        signin = {
            "username": self.user_cec.username,
            "ip_address": "192.0.2.1",
            "user_agent": "Permissions test",
            "http_accept": "text/html",
            "path_info": "/en/admin/login/",
        }
        self.access_attempt = AccessAttempt.objects.create(
            get_data="", post_data="", failures_since_start=1, **signin
        )
        self.access_log = AccessLog.objects.create(**signin)
        self.job_a = job(self.agency_a.user, "permissions-job-a")
        self.job_b = job(self.agency_b.user, "permissions-job-b")
        self.cec_job = job(self.users["cec"], "permissions-job-cec")

    def finish_job(self, job) -> None:
        """Mark a job done with a small PDF as its file (in the test's own private folder)."""
        from django.core.files.base import ContentFile

        from core.choices import JobStatus

        job.result.save("badges.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        job.status = JobStatus.DONE
        job.finished_at = timezone.now()
        job.save()

    def client_for(self, principal: str):
        """A client acting as the principal: signed in, or sending its agency's token."""
        from rest_framework.test import APIClient

        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if principal in self.keys:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.keys[principal]}")
        elif principal != ANONYMOUS:
            client.force_login(self.users[principal])
        return client

    def url(self, template: str) -> str:
        return template.format(**vars(self))


def voting_hours_decisions(election, station):
    """Station A's voting hours for the election: a published decision (06:00) and a draft
    (No. 2/1) of its territorial commission."""
    from polling import services
    from polling.choices import HoursReason, ProposingBody

    def draft(number):
        return services.voting_hours_decision_create(
            actor=None,
            election=election,
            commission=station.precinct_commission.parent,
            number=number,
            proposed_by=ProposingBody.AKIM,
            reason_kind=HoursReason.REMOTE_AREA,
            opens_at=datetime.time(6, 0),
            stations=[station],
        )

    published = services.voting_hours_decision_adopt(actor=None, decision=draft("1/1"))
    published = services.voting_hours_decision_publish(actor=None, decision=published)
    return published, draft("2/1")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once per module in a transaction rolled back when the module is done;
    each test runs in a savepoint inside it."""
    from django.core.cache import cache

    # The transaction never commits, so what waits for a commit (the outbox's deliveries after
    # an accreditation, a job's task) never runs: no worker is needed.
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with translation.override("en"):  # as every test speaks (tests/conftest.py)
                built = World()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()  # nothing cached from the world's rows outlives them


# RUNNING A CASE


def default_state(world) -> tuple[int, int]:
    """What a refused write must leave as it was: every audited change, every job."""
    from auditlog.models import LogEntry

    from core.models import Job

    return LogEntry.objects.count(), Job.objects.count()


def _anonymous_status(case: Case, url: str) -> tuple[int, ...]:
    """The API's answer to no credentials is its view's: 401 when the first authenticator
    names a challenge (`WWW-Authenticate`), else 403."""
    match = resolve(url.split("?", 1)[0])
    view_class = getattr(match.func, "cls", None)
    if view_class is None:
        return (403,)
    view = view_class(**getattr(match.func, "initkwargs", {}))
    authenticators = view.get_authenticators()
    challenge = authenticators and authenticators[0].authenticate_header(None)
    return (401,) if challenge else (403,)


def _listed_ids(response) -> set:
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return {row["id"] for row in rows}


def _row_shown(case: Case, world: World, response) -> bool:
    obj = getattr(world, case.endpoint.row)
    if response["Content-Type"].startswith("application/json"):
        return str(obj.pk) in {str(pk) for pk in _listed_ids(response)}
    from django.contrib.admin.utils import quote
    from django.urls import reverse

    opts = obj._meta
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    return change in response.content.decode()


def run_case(case: Case, world: World) -> None:
    """Make the case's request as its caller and check the answer (and, for a write, the
    state). Raises AssertionError with the status and the start of the body."""
    endpoint = case.endpoint
    if endpoint.prepare:
        endpoint.prepare(world)
    url = world.url(endpoint.path)
    client = world.client_for(case.principal)
    if isinstance(endpoint.data, AdminForm):
        data = endpoint.data.build(client, url)
    else:
        data = endpoint.data(world) if endpoint.data else None
    state = endpoint.state or default_state
    before = state(world) if case.is_write else None
    request = getattr(client, case.method.lower())
    if case.method in ("GET", "HEAD"):
        response = request(url, data or {})
    elif endpoint.format == "multipart" or endpoint.kind != API:  # a web form's encoding
        response = request(url, data or {}, format="multipart")
    else:
        response = request(url, data or {}, format="json")
    status = response.status_code
    body = b"" if getattr(response, "streaming", False) else response.content[:300]
    what = f"{case.id}: {status} {body!r}"
    context = getattr(response, "context", None)
    if context and "adminform" in context:  # a refused form: its errors say why
        what = f"{case.id}: {status}, form errors {context['adminform'].form.errors.as_data()}"
        for inline in context.get("inline_admin_formsets", []):
            what += f" {inline.formset.errors} {inline.formset.non_form_errors()}"
    expectation = case.expectation

    if expectation in ("public", "allowed"):
        expected = endpoint.status or SUCCESS[case.method]
        assert status == expected, what
        if endpoint.row and case.method == "GET":
            assert _row_shown(case, world, response), f"{case.id}: {endpoint.row} not listed"
        if case.is_write and not endpoint.stateless:
            assert state(world) != before, f"{case.id}: answered {status} but changed nothing"
        return

    if expectation == "anonymous":
        if endpoint.kind == API:
            assert status in _anonymous_status(case, url), what
        else:
            assert status == 302, what
            assert endpoint.anonymous_to in response["Location"], what
    elif expectation == "denied":
        refusals = endpoint.refused or (
            (403, 404) if endpoint.kind == ADMIN and "{" in endpoint.path else (403,)
        )
        assert status in refusals, what
    elif expectation == "out_of_scope":
        if endpoint.row and not case.is_write:
            assert status == 200, what
            assert not _row_shown(case, world, response), f"{case.id}: {endpoint.row} listed"
        elif case.is_write:
            refusals = (400, 403, 404) if case.method == "POST" and endpoint.row else (403, 404)
            assert status in refusals, what
        else:
            assert status == 404, what
    if case.is_write:
        assert state(world) == before, f"{case.id}: refused ({status}) but something changed"


def permission_test(endpoints: list[Endpoint]):
    """The test function for a module's endpoints: one parametrized case per caller and method.
    Cases named in an endpoint's `xfail` are expected to fail (strictly)."""
    params = []
    for endpoint in endpoints:
        for case in endpoint.cases():
            marks = ()
            reason = endpoint.xfail.get(f"{case.method}-{case.principal}")
            if reason:
                marks = (pytest.mark.xfail(strict=True, reason=reason),)
            params.append(pytest.param(case, id=case.id, marks=marks))

    @pytest.mark.django_db
    @pytest.mark.parametrize("case", params)
    def test_permission(case, world):
        run_case(case, world)

    return test_permission


def admin_saves(world) -> tuple[int, int]:
    """What an admin save leaves: an entry in the admin's own log (written for every save,
    changed fields or not) and, for a change, one in the audit log."""
    from django.contrib.admin.models import LogEntry as AdminLogEntry

    return AdminLogEntry.objects.count(), default_state(world)[0]


@dataclass(frozen=True)
class AdminForm:
    """A change page's form as its caller got it (every field and inline as shown), with
    `edit` applied: what the caller's browser would send to save the row."""

    edit: Mapping[str, Any] = field(default_factory=dict)

    def build(self, client, url: str) -> dict:
        response = client.get(url)
        if response.status_code != 200 or not response.context:
            return dict(self.edit)  # refused: the POST is refused before any form is read
        data = _form_data(response.context["adminform"].form)
        for inline in response.context.get("inline_admin_formsets", []):
            formset = inline.formset
            data.update(_form_data(formset.management_form))
            for form in formset.forms:
                data.update(_form_data(form))
        data.update(self.edit)
        return data


def _form_data(form) -> dict:
    """A bound-or-unbound form's values as a browser would post them."""
    from django import forms
    from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

    data = {}
    for bound in form:
        widget = bound.field.widget
        while isinstance(widget, RelatedFieldWidgetWrapper):
            widget = widget.widget
        value = bound.value()
        name = bound.html_name
        if isinstance(widget, forms.MultiWidget):
            values = value if isinstance(value, list | tuple) else widget.decompress(value)
            for suffix, sub, item in zip(
                widget.widgets_names, widget.widgets, values, strict=False
            ):
                data[name + suffix] = sub.format_value(item) or ""
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(widget, forms.SelectMultiple | forms.CheckboxSelectMultiple):
            data[name] = [str(item) for item in value or []]
        elif isinstance(widget, forms.FileInput):
            continue
        else:
            formatted = widget.format_value(value)
            data[name] = "" if formatted is None else formatted
    return data


# ADMIN PAGES: every view of a registered model, generated from who may view, add, change and
# delete its rows


def admin_endpoints(
    model: str,
    *,
    row: str,
    view: tuple[str, ...],
    add: tuple[str, ...] = (),
    change: tuple[str, ...] = (),
    delete: tuple[str, ...] = (),
    denied: tuple[str, ...] = ("signed_in",),
    out_of_scope: tuple[str, ...] = (),
    audited: bool = True,
    edit: Mapping[str, Any] | None = None,
    deletable: bool = False,
    xfail: Mapping[str, str] | None = None,
) -> list[Endpoint]:
    """The admin pages of `model` ("app_label.modelname") for the world's object `row`.

    `view` may see the list and the row; `add`, `change`, `delete` are among them or not;
    `denied` have no permission at all; `out_of_scope` have the view permission but not the row
    in the rows they work on (`ScopedModel.work_action`): 404 on its pages, missing from the
    list, even where the public site shows the row to anyone. Writes are
    checked refused (a POST to the change and delete pages by those who may not); with `edit`
    (fields and the values to post, e.g. `{"address": "1 Abay Avenue"}`), the `change` callers
    also save the change page's form as they got it, with those values, and the save must
    redirect and be logged; with `deletable` (nothing protects the row), the `delete` callers
    delete it.
    """
    app_label, model_name = model.split(".")
    base = f"/en/admin/{app_label}/{model_name}/"
    obj = f"{base}{{{row}.pk}}/"
    name = f"admin:{app_label}_{model_name}"
    everyone = tuple(dict.fromkeys((*view, *add, *denied, *out_of_scope)))
    xfail = dict(xfail or {})

    def xfails(suffix: str) -> dict[str, str]:
        prefix = f"{suffix}:"
        return {k[len(prefix) :]: v for k, v in xfail.items() if k.startswith(prefix)}

    def page(suffix, path, allowed, methods=("GET",), scope=out_of_scope, **extra):
        return Endpoint(
            f"{name}_{suffix}",
            path,
            methods=methods,
            kind=ADMIN,
            allowed=tuple(p for p in everyone if p in allowed and p not in scope),
            denied=tuple(p for p in everyone if p not in allowed and p not in scope),
            out_of_scope=tuple(scope),
            xfail=xfails(suffix),
            **extra,
        )

    endpoints = [
        page("changelist", base, view, row=row),
        page("add", f"{base}add/", add, scope=()),
        page("change", f"{obj}change/", view),
        page("history", f"{obj}history/", view),
        page("delete", f"{obj}delete/", tuple(p for p in view if p in delete)),
        # The admin's short address of a row only redirects to its change page.
        page("object", obj, everyone, scope=(), status=302),
    ]
    refused_change = tuple(p for p in everyone if p not in change and p not in out_of_scope)
    refused_delete = tuple(p for p in everyone if p not in delete and p not in out_of_scope)
    endpoints += [
        Endpoint(
            f"{name}_change",
            f"{obj}change/",
            methods=("POST",),
            kind=ADMIN,
            allowed=tuple(p for p in everyone if p in change) if edit is not None else (),
            denied=refused_change,
            out_of_scope=out_of_scope,
            data=AdminForm(edit or {}),
            state=admin_saves,
            status=302,
            xfail=xfails("change"),
        ),
        Endpoint(
            f"{name}_delete",
            f"{obj}delete/",
            methods=("POST",),
            kind=ADMIN,
            allowed=tuple(p for p in everyone if p in delete) if deletable else (),
            denied=refused_delete,
            out_of_scope=out_of_scope,
            data=lambda w: {"post": "yes"},
            state=admin_saves,
            status=302,
            xfail=xfails("delete"),
        ),
    ]
    if audited:
        endpoints.append(page("auditlog", f"{obj}auditlog/", view))
    return endpoints


# COVERAGE: every URL pattern has a declaration


def url_patterns(resolver=None, prefix: str = "") -> list[tuple[str, str]]:
    """Every URL pattern of the project as (route, name): the route as `ResolverMatch.route`
    gives it, the name with its namespaces."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += url_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            found.append((route, pattern.name or ""))
    return found


def declared_endpoints() -> list[Endpoint]:
    """The endpoints every app's `tests/<app>/test_permissions.py` declares (`ENDPOINTS`)."""
    import tests

    endpoints = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            tests_module = importlib.import_module(f"tests.{module.name}.test_permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{module.name}.test_permissions":
                raise
            continue
        endpoints += tests_module.ENDPOINTS
    return endpoints


def _route(route: str) -> str:
    # ResolverMatch.route drops the "^" of regular-expression patterns when it joins them.
    return route.replace("^", "")


def undeclared_routes(world: World, endpoints: list[Endpoint], exempt: set[str]) -> list[str]:
    """The routes of the project that no endpoint's path resolves to, less the `exempt` ones."""
    declared = {_route(resolve(world.url(e.path).split("?", 1)[0]).route) for e in endpoints}
    exempt = {_route(route) for route in exempt}
    return sorted(
        route
        for route in {_route(route) for route, _name in url_patterns()}
        if route not in declared and route not in exempt
    )


def _api_methods(match) -> set[str]:
    """The methods a DRF view answers (a viewset's route: those its router mapped)."""
    actions = getattr(match.func, "actions", None)
    if actions:
        return {method.upper() for method in actions} - {"HEAD", "OPTIONS"}
    view_class = getattr(match.func, "cls", None)
    if view_class is None:
        return set()
    return {
        method.upper() for method in view_class.http_method_names if hasattr(view_class, method)
    } - {"HEAD", "OPTIONS"}


def undeclared_methods(world: World, endpoints: list[Endpoint]) -> list[str]:
    """API methods that a declared route answers but no declaration calls ("PUT /api/v1/...")."""
    declared: dict[str, set[str]] = {}
    matches = {}
    for endpoint in endpoints:
        if endpoint.kind != API:
            continue
        path = world.url(endpoint.path).split("?", 1)[0]
        match = resolve(path)
        declared.setdefault(match.route, set()).update(endpoint.methods)
        matches[match.route] = (path, match)
    return sorted(
        f"{method} {path}"
        for route, (path, match) in matches.items()
        for method in _api_methods(match) - declared[route]
    )
