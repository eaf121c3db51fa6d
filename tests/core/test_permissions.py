"""Who may call the frame's and the core's endpoints (the home page, the API's schema and
documentation, jobs, the admin site and the core's models), and the check that every URL of the
project is declared in some app's tests/<app>/test_permissions.py (generated cases:
tests/permissions.py)."""

import pytest

from tests.permissions import (
    ADMIN,
    PAGE,
    Case,
    Endpoint,
    admin_endpoints,
    declared_endpoints,
    permission_test,
    run_case,
    undeclared_methods,
    undeclared_routes,
    world,  # noqa: F401 (the module's world)
)

JOB = "/api/v1/jobs/{job_a.pk}/"
# Agencies and their keys, accounts, groups, the audit log and the outbox: the superuser's.
SUPERUSER_ONLY = {
    "view": ("superuser",),
    "add": ("superuser",),
    "change": ("superuser",),
    "delete": ("superuser",),
    "denied": ("signed_in", "cec", "territorial"),
}
STAFF = ("signed_in", "cec", "precinct")

ENDPOINTS = [
    # The frame, public.
    Endpoint("home", "/en/", kind=PAGE, public=True, allowed=("cec",)),
    Endpoint("healthz", "/healthz", kind=PAGE, public=True),
    Endpoint(
        "set_language",
        "/i18n/setlang/",
        methods=("POST",),
        kind=PAGE,
        public=True,
        status=302,
        stateless=True,
        data=lambda w: {"language": "ru", "next": "/ru/"},
    ),
    Endpoint("api-index", "/api/v1/", public=True, allowed=("cec", "token")),
    Endpoint("schema", "/api/schema/", public=True),
    Endpoint("api-docs", "/api/docs/", public=True),
    Endpoint("api-redoc", "/api/redoc/", public=True),
    # Jobs: a caller sees the jobs it started (an agency: its tokens'), the CEC every job.
    Endpoint(
        "core-api:job-detail",
        JOB,
        allowed=("cec", "token", "token_read_all"),
        denied=("token_noscope",),
        out_of_scope=("token_other", "territorial", "signed_in"),
    ),
    Endpoint(
        "core-api:job-download",
        JOB + "download/",
        allowed=("cec", "token"),
        denied=("token_noscope",),
        out_of_scope=("token_other", "territorial"),
        prepare=lambda w: w.finish_job(w.job_a),
    ),
    # The admin site's own pages: any staff account, nothing of a model's.
    Endpoint("admin:index", "/en/admin/", kind=ADMIN, allowed=STAFF),
    Endpoint("admin:login", "/en/admin/login/", kind=ADMIN, public=True),
    Endpoint(
        "admin:logout",
        "/en/admin/logout/",
        methods=("POST",),
        kind=ADMIN,
        allowed=("cec",),
        status=200,
        stateless=True,
        anonymous_to="/en/admin/",  # which asks for the sign-in
    ),
    Endpoint("admin:password_change", "/en/admin/password_change/", kind=ADMIN, allowed=STAFF),
    Endpoint(
        "admin:password_change_done",
        "/en/admin/password_change/done/",
        kind=ADMIN,
        allowed=STAFF,
    ),
    Endpoint("admin:jsi18n", "/en/admin/jsi18n/", kind=ADMIN, allowed=STAFF),
    # An app's index shows what its models the user may see; none of them: 404.
    Endpoint(
        "admin:app_list",
        "/en/admin/polling/",
        kind=ADMIN,
        allowed=("cec", "precinct"),
        denied=("signed_in",),
        refused=(404,),
    ),
    # An unknown admin address is 404 to staff, whatever their permissions.
    Endpoint("admin:catch_all", "/en/admin/no-such-page/", kind=ADMIN, allowed=STAFF, status=404),
    # "View on site": no model has a public address of its own, so 404 for every staff account.
    Endpoint(
        "admin:view_on_site",
        "/en/admin/r/1/{station_a.pk}/",
        kind=ADMIN,
        allowed=STAFF,
        status=404,
    ),
    # The autocomplete of a member's commission lists the commissions the user works on.
    Endpoint(
        "admin:autocomplete",
        "/en/admin/autocomplete/",
        kind=ADMIN,
        allowed=("cec", "territorial"),
        denied=("signed_in",),
        out_of_scope=("territorial_other",),
        row="precinct_commission_a",
        data=lambda w: {
            "term": "",
            "app_label": "commissions",
            "model_name": "commissionmember",
            "field_name": "commission",
        },
    ),
    # The core's models.
    *admin_endpoints("core.user", edit={}, row="user_cec", **SUPERUSER_ONLY),
    Endpoint(
        "admin:auth_user_password_change",
        "/en/admin/core/user/{user_cec.pk}/password/",
        kind=ADMIN,
        allowed=("superuser",),
        denied=("signed_in", "cec"),
    ),
    *admin_endpoints(
        "auth.group", deletable=True, edit={}, row="group", audited=False, **SUPERUSER_ONLY
    ),
    *admin_endpoints("core.agency", edit={}, row="agency_a", **SUPERUSER_ONLY),
    *admin_endpoints("core.apitoken", deletable=True, edit={}, row="api_token_a", **SUPERUSER_ONLY),
    # The audit log and the outbox are records: nobody adds or edits them in the admin.
    *admin_endpoints(
        "auditlog.logentry",
        edit={},
        row="log_entry",
        view=("superuser",),
        denied=("signed_in", "cec"),
        audited=False,
    ),
    *admin_endpoints(
        "core.notification",
        deletable=True,
        edit={},
        row="notification",
        view=("superuser",),
        delete=("superuser",),
        denied=("signed_in", "cec"),
        audited=False,
    ),
    # Sign-in records (django-axes) hold addresses: the failed attempts are the CEC's, which
    # lifts a lock-out by deleting one; the log of sign-ins is the superuser's. Nobody edits them.
    *admin_endpoints(
        "axes.accessattempt",
        deletable=True,
        edit={},
        row="access_attempt",
        view=("cec", "superuser"),
        delete=("cec", "superuser"),
        denied=("signed_in", "territorial", "precinct"),
        audited=False,
    ),
    *admin_endpoints(
        "axes.accesslog",
        edit={},
        row="access_log",
        view=("superuser",),
        denied=("signed_in", "cec"),
        audited=False,
    ),
    # Jobs: the CEC sees every job, other staff the jobs they started; read-only.
    *admin_endpoints(
        "core.job",
        edit={},
        row="job_a",
        view=("cec", "superuser"),
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial",),
        audited=False,
    ),
    Endpoint(
        "admin:core_job_download",
        "/en/admin/core/job/{job_a.pk}/download/",
        kind=ADMIN,
        allowed=("cec", "superuser"),
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial",),
        prepare=lambda w: w.finish_job(w.job_a),
    ),
]

test_permissions = permission_test(ENDPOINTS)

# URL patterns that need no declaration of their own.
EXEMPT = {
    # Files under MEDIA_URL, served by Django only with DEBUG on (public uploads, no private
    # files: photos and job results are in private storage).
    "^media/(?P<path>.*)$",
}


def is_format_suffix(route: str) -> bool:
    """DRF's router adds `.json`-style twins of each route: the same view, the same checks."""
    return "\\.(?P<format>" in route


@pytest.mark.django_db
def test_every_url_of_the_project_is_declared(world):  # noqa: F811 (the module's world)
    endpoints = declared_endpoints()
    missing = [
        route
        for route in undeclared_routes(world, endpoints, EXEMPT)
        if not is_format_suffix(route)
    ]
    assert missing == [], "endpoints without a permission declaration:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_every_method_of_the_api_is_declared(world):  # noqa: F811 (the module's world)
    missing = undeclared_methods(world, declared_endpoints())
    assert missing == [], "API methods without a permission declaration:\n" + "\n".join(missing)


# The helper itself: a declaration that does not hold fails.


@pytest.mark.django_db
def test_a_caller_declared_refused_who_is_let_in_fails(world):  # noqa: F811
    endpoint = Endpoint("regions", "/api/v1/regions/", public=True, denied=("signed_in",))
    with pytest.raises(AssertionError, match=r"regions\[GET-signed_in\]: 200"):
        run_case(Case(endpoint, "GET", "signed_in", "denied"), world)


@pytest.mark.django_db
def test_a_row_listed_to_a_caller_declared_out_of_scope_fails(world):  # noqa: F811
    endpoint = Endpoint("observers", "/api/v1/observers/", row="observer_a", out_of_scope=("cec",))
    with pytest.raises(AssertionError, match="observer_a listed"):
        run_case(Case(endpoint, "GET", "cec", "out_of_scope"), world)


@pytest.mark.django_db
def test_a_write_declared_refused_that_goes_through_fails(world):  # noqa: F811
    endpoint = Endpoint(
        "station",
        "/api/v1/polling-stations/{station_a.pk}/",
        methods=("PATCH",),
        denied=("territorial",),
        data=lambda w: {"egov_check_available": True},
    )
    with pytest.raises(AssertionError, match=r"\[PATCH-territorial\]: 200"):
        run_case(Case(endpoint, "PATCH", "territorial", "denied"), world)


@pytest.mark.django_db
def test_an_allowed_write_that_changes_nothing_fails(world):  # noqa: F811
    endpoint = Endpoint(
        "station",
        "/api/v1/polling-stations/{station_a.pk}/",
        methods=("PATCH",),
        allowed=("cec",),
        data=lambda w: {},  # nothing to change: nothing audited
    )
    with pytest.raises(AssertionError, match="changed nothing"):
        run_case(Case(endpoint, "PATCH", "cec", "allowed"), world)


def test_an_unknown_or_twice_declared_caller_is_refused():
    with pytest.raises(ValueError, match="unknown callers"):
        Endpoint("regions", "/api/v1/regions/", allowed=("mayor",))
    with pytest.raises(ValueError, match="declared twice"):
        Endpoint("regions", "/api/v1/regions/", allowed=("cec",), denied=("cec",))
