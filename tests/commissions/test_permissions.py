"""Who may call the commissions' endpoints: the public reference data (regions, elections,
parties, the commission hierarchy) and their admin (generated cases: tests/permissions.py)."""

from tests.permissions import Endpoint, admin_endpoints, permission_test, world  # noqa: F401

SIGNED_IN = ("signed_in", "precinct_other", "token_noscope")  # public: credentials change nothing

ENDPOINTS = [
    Endpoint(
        "commissions-api:region-list",
        "/api/v1/regions/",
        public=True,
        allowed=SIGNED_IN,
        row="region_a",
    ),
    Endpoint("commissions-api:region-detail", "/api/v1/regions/{region_a.pk}/", public=True),
    Endpoint(
        "commissions-api:election-list",
        "/api/v1/elections/",
        public=True,
        allowed=SIGNED_IN,
        row="election",
    ),
    Endpoint("commissions-api:election-detail", "/api/v1/elections/{election.pk}/", public=True),
    Endpoint(
        "commissions-api:party-list",
        "/api/v1/parties/",
        public=True,
        allowed=SIGNED_IN,
        row="party",
    ),
    Endpoint("commissions-api:party-detail", "/api/v1/parties/{party.pk}/", public=True),
    Endpoint(
        "commissions-api:commission-list",
        "/api/v1/commissions/",
        public=True,
        allowed=SIGNED_IN,
        row="precinct_commission_a",
    ),
    Endpoint(
        "commissions-api:commission-detail",
        "/api/v1/commissions/{precinct_commission_a.pk}/",
        public=True,
        allowed=("territorial_other",),
    ),
    # Reference data: the CEC keeps it; territorial staff see their own region in the admin,
    # precinct members (who work on no region) none.
    *admin_endpoints(
        "commissions.region",
        edit={},
        row="region_a",
        view=("cec", "territorial", "superuser"),
        add=("cec", "superuser"),
        change=("cec", "superuser"),
        delete=("cec", "superuser"),
        out_of_scope=("territorial_other", "precinct"),
    ),
    *admin_endpoints(
        "commissions.election",
        edit={},
        row="election",
        view=("cec", "territorial", "territorial_other", "precinct", "superuser"),
        add=("cec", "superuser"),
        change=("cec", "superuser"),
        delete=("cec", "superuser"),
    ),
    *admin_endpoints(
        "commissions.party",
        deletable=True,
        edit={},
        row="party",
        view=("cec", "territorial", "precinct", "superuser"),
        add=("cec", "superuser"),
        change=("cec", "superuser"),
        delete=("cec", "superuser"),
    ),
    # Territorial commissions form their region's precinct commissions and name their members.
    *admin_endpoints(
        "commissions.commission",
        edit={},
        row="precinct_commission_a",
        view=("cec", "territorial", "precinct", "superuser"),
        add=("cec", "territorial", "territorial_other", "superuser"),
        change=("cec", "territorial", "superuser"),
        delete=("cec", "superuser"),
        out_of_scope=("territorial_other", "precinct_other"),
    ),
    *admin_endpoints(
        "commissions.commissionmember",
        edit={},
        row="member_a",
        view=("cec", "territorial", "precinct", "superuser"),
        add=("cec", "territorial", "territorial_other", "superuser"),
        change=("cec", "territorial", "superuser"),
        delete=("cec", "superuser"),
        out_of_scope=("territorial_other", "precinct_other"),
    ),
]

test_permissions = permission_test(ENDPOINTS)
