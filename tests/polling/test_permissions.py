"""Who may call the polling stations' and voting hours decisions' endpoints (generated cases:
tests/permissions.py)."""

from polling.choices import RuleKind
from tests.permissions import (  # noqa: F401
    ADMIN,
    Endpoint,
    admin_endpoints,
    permission_test,
    world,
)
from tests.polling.factories import TerritoryRuleFactory

STATION = "/api/v1/polling-stations/{station_a.pk}/"
FACILITIES = {"egov_check_available": True, "temporary_registration_allowed": True}
DECISION = "/api/v1/voting-hours-decisions/{published_decision_a.pk}/"

ENDPOINTS = [
    Endpoint(
        "polling-api:pollingstation-list",
        "/api/v1/polling-stations/",
        public=True,
        allowed=("precinct_other", "token_noscope"),
        row="station_a",
    ),
    Endpoint("polling-api:pollingstation-detail", STATION, public=True, allowed=("token_noscope",)),
    Endpoint(
        "polling-api:pollingstation-detail",
        STATION,
        methods=("PATCH", "PUT"),
        # Staff change their own region's stations; an agency (e-Gov) with polling:write any.
        allowed=("cec", "territorial", "token"),
        denied=("signed_in", "precinct", "token_noscope", "token_read_all"),
        out_of_scope=("territorial_other",),
        data=lambda w: FACILITIES,
    ),
    *admin_endpoints(
        "polling.pollingstation",
        deletable=True,
        edit={"egov_check_available": "on"},
        row="station_a",
        view=("cec", "territorial", "precinct", "superuser"),
        add=("cec", "territorial", "territorial_other", "superuser"),
        change=("cec", "territorial", "superuser"),
        delete=("cec", "superuser"),
        # Stations are public on the site, but the admin shows staff the stations they work on.
        out_of_scope=("territorial_other", "precinct_other"),
    ),
    # Published decisions are public, to everyone alike.
    Endpoint(
        "polling-api:votinghoursdecision-list",
        "/api/v1/voting-hours-decisions/",
        public=True,
        allowed=("territorial_other", "precinct_other", "token_noscope"),
        row="published_decision_a",
    ),
    Endpoint(
        "polling-api:votinghoursdecision-detail",
        DECISION,
        public=True,
        allowed=("territorial_other", "token_noscope"),
    ),
    # Drafts are worked on by the deciding commission's region and the CEC.
    *admin_endpoints(
        "polling.votinghoursdecision",
        deletable=True,
        edit={"opens_at": "06:30"},
        row="hours_decision_a",
        view=("cec", "territorial", "superuser"),
        add=("cec", "territorial", "territorial_other", "superuser"),
        change=("cec", "territorial", "superuser"),
        delete=("cec", "territorial", "superuser"),
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial_other",),
    ),
]

# The non-standard voting hours report (polling.reports): staff who read decisions, each in their
# own scope (territorial staff: their region's report); no agency token.
ENDPOINTS += [
    Endpoint(
        "polling-api:hours_report",
        "/api/v1/voting-hours-reports/",
        methods=("POST",),
        allowed=("cec", "territorial", "territorial_other", "superuser"),
        denied=("signed_in", "precinct", "token", "token_noscope", "token_read_all"),
        status=202,
        data=lambda w: {"election": w.election.pk, "format": "csv"},
    ),
    Endpoint(
        "admin:polling_votinghoursdecision_report",
        "/en/admin/polling/votinghoursdecision/report/",
        kind=ADMIN,
        allowed=("cec", "territorial", "territorial_other", "superuser"),
        denied=("signed_in", "precinct"),
    ),
    Endpoint(
        "admin:polling_votinghoursdecision_report",
        "/en/admin/polling/votinghoursdecision/report/",
        methods=("POST",),
        kind=ADMIN,
        allowed=("cec", "territorial", "territorial_other", "superuser"),
        denied=("signed_in", "precinct"),
        status=302,
        data=lambda w: {"election": w.election.pk, "format": "pdf", "language": "en"},
    ),
]

# Territories (polling.selectors): the address look-up and the street typeahead are public.


def _served_address(w):
    rule = TerritoryRuleFactory(
        station=w.station_a,
        street__locality__region=w.region_a,
        kind=RuleKind.RANGE,
        number_from=1,
        number_to=99,
    )
    return {"street": rule.street_id, "building": "12А"}


ENDPOINTS += [
    Endpoint(
        "polling-api:pollingstation-lookup",
        "/api/v1/polling-stations/lookup/",
        public=True,
        allowed=("territorial_other", "precinct_other", "token_noscope"),
        data=_served_address,
    ),
    Endpoint(
        "polling-api:street-list",
        "/api/v1/streets/",
        public=True,
        allowed=("territorial_other", "precinct_other", "token_noscope"),
        data=lambda w: {"q": "Абай"},
    ),
]

test_permissions = permission_test(ENDPOINTS)
