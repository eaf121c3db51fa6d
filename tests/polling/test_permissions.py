"""Who may call the polling stations' and voting hours decisions' endpoints (generated cases:
tests/permissions.py)."""

from polling.choices import RuleKind
from tests.permissions import (  # noqa: F401
    ADMIN,
    PAGE,
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

# Withdrawing an adopted decision never published: its commission's region and the CEC, with
# the adopt permission; another region's decision is not found.
ENDPOINTS += [
    Endpoint(
        "admin:polling_votinghoursdecision_withdraw",
        "/en/admin/polling/votinghoursdecision/{hours_decision_a.pk}/withdraw/",
        kind=ADMIN,
        allowed=("cec", "territorial", "superuser"),
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial_other",),
    ),
]

# Station import and export in the admin (polling.imports): territorial staff for their own
# commission's stations, the CEC for any; another region's export is not found.
ENDPOINTS += [
    Endpoint(
        "admin:polling_pollingstation_import",
        "/en/admin/polling/pollingstation/import/",
        kind=ADMIN,
        allowed=("cec", "territorial", "territorial_other", "superuser"),
        denied=("signed_in", "precinct"),
    ),
    Endpoint(
        "admin:polling_pollingstation_export",
        "/en/admin/polling/pollingstation/export/{territorial_commission_a.pk}/csv/",
        kind=ADMIN,
        allowed=("cec", "territorial", "superuser"),
        denied=("signed_in",),
        out_of_scope=("territorial_other", "precinct"),
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

# Territories in the admin: CEC staff everywhere, territorial staff in their own region.
TERRITORY_STAFF = ("cec", "territorial", "superuser")
ENDPOINTS += [
    *admin_endpoints(
        "polling.locality",
        edit={"name_en": "Astana"},
        row="locality_a",
        view=TERRITORY_STAFF,
        add=(*TERRITORY_STAFF, "territorial_other"),
        change=TERRITORY_STAFF,
        delete=TERRITORY_STAFF,
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial_other",),
    ),
    *admin_endpoints(
        "polling.street",
        edit={"name_en": "Abay Street"},
        row="street_a",
        view=TERRITORY_STAFF,
        add=(*TERRITORY_STAFF, "territorial_other"),
        change=TERRITORY_STAFF,
        delete=TERRITORY_STAFF,
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial_other",),
    ),
    *admin_endpoints(
        "polling.territoryrule",
        deletable=True,
        edit={"registration_code": "RCA-1"},
        row="territory_rule_a",
        view=TERRITORY_STAFF,
        add=(*TERRITORY_STAFF, "territorial_other"),
        change=TERRITORY_STAFF,
        delete=TERRITORY_STAFF,
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial_other",),
    ),
    Endpoint(
        "admin:polling_territoryrule_import",
        "/en/admin/polling/territoryrule/import/",
        kind=ADMIN,
        allowed=(*TERRITORY_STAFF, "territorial_other"),
        denied=("signed_in", "precinct"),
    ),
    Endpoint(
        "admin:polling_locality_unserved",
        "/en/admin/polling/locality/{locality_a.pk}/unserved/",
        kind=ADMIN,
        allowed=TERRITORY_STAFF,
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial_other",),
    ),
]

# The public polling pages (polling.views, polling.subscriptions): anyone, signed in or not. A
# voter subscribes to a station's notices without signing in; the confirmation and unsubscribe
# pages take the token in the address as the key (a subscription made by `prepare`).
SUBSCRIBE = "/en/polling/stations/{station_a.pk}/subscribe/"
CONFIRM = "/en/polling/subscriptions/confirm/permission-test-confirm/"
UNSUBSCRIBE = "/en/polling/subscriptions/unsubscribe/permission-test-unsubscribe/"
UNSUBSCRIBE_SMS = "/en/polling/u/permtestcode/"


def _election(w):
    return {"election": w.election.pk}


def _subscription(w):
    from polling.models import StationSubscription

    StationSubscription.objects.create(
        station=w.station_a,
        channel="email",
        contact="voter@example.kz",
        language="en",
        confirmation_token="permission-test-confirm",
        confirmation_code="424242",
        unsubscribe_token="permission-test-unsubscribe",
        unsubscribe_code="permtestcode",
    )


def _subscriptions(w):
    from polling.models import StationSubscription

    return (
        StationSubscription.objects.count(),
        StationSubscription.objects.filter(confirmed_at__isnull=False).count(),
    )


ENDPOINTS += [
    Endpoint("polling:station_finder", "/en/polling/", kind=PAGE, public=True),
    Endpoint(
        "polling:street_suggestions",
        "/en/polling/streets.json",
        kind=PAGE,
        public=True,
        data=lambda w: {"q": "Абай"},
    ),
    Endpoint(
        "polling:station_detail",
        "/en/polling/stations/{station_a.pk}/",
        kind=PAGE,
        public=True,
        allowed=("cec",),
    ),
    Endpoint(
        "polling:station_open_now",
        "/en/polling/stations/{station_a.pk}/open-now/",
        kind=PAGE,
        public=True,
        data=_election,
    ),
    Endpoint("polling:changed_hours", "/en/polling/changed-hours/", kind=PAGE, public=True),
    Endpoint(
        "polling:stations_csv", "/en/polling/stations.csv", kind=PAGE, public=True, data=_election
    ),
    Endpoint(
        "polling:stations_xlsx", "/en/polling/stations.xlsx", kind=PAGE, public=True, data=_election
    ),
    Endpoint(
        "polling:stations_json", "/en/polling/stations.json", kind=PAGE, public=True, data=_election
    ),
    Endpoint("polling:station_subscribe", SUBSCRIBE, kind=PAGE, public=True),
    Endpoint(
        "polling:station_subscribe",
        SUBSCRIBE,
        methods=("POST",),
        kind=PAGE,
        public=True,
        allowed=("cec",),
        status=302,
        data=lambda w: {"contact": "voter@example.kz"},
        state=_subscriptions,
    ),
    Endpoint(
        "polling:subscription_confirm", CONFIRM, kind=PAGE, public=True, prepare=_subscription
    ),
    Endpoint(
        "polling:subscription_confirm",
        CONFIRM,
        methods=("POST",),
        kind=PAGE,
        public=True,
        status=200,
        data=lambda w: {"code": "424242"},  # the code the e-mail's link carries
        prepare=_subscription,
        state=_subscriptions,
    ),
    Endpoint(
        "polling:subscription_unsubscribe",
        UNSUBSCRIBE,
        kind=PAGE,
        public=True,
        prepare=_subscription,
    ),
    Endpoint(
        "polling:subscription_unsubscribe",
        UNSUBSCRIBE,
        methods=("POST",),
        kind=PAGE,
        public=True,
        status=200,
        prepare=_subscription,
        state=_subscriptions,
    ),
    Endpoint(
        "polling:subscription_unsubscribe_sms",
        UNSUBSCRIBE_SMS,
        kind=PAGE,
        public=True,
        prepare=_subscription,
    ),
    Endpoint(
        "polling:subscription_unsubscribe_sms",
        UNSUBSCRIBE_SMS,
        methods=("POST",),
        kind=PAGE,
        public=True,
        status=200,
        prepare=_subscription,
        state=_subscriptions,
    ),
]

test_permissions = permission_test(ENDPOINTS)
