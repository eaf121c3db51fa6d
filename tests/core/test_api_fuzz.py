"""Schema-driven fuzzing of the API (schemathesis): no input makes it answer 5xx, and every
answer matches the OpenAPI schema the API publishes."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# A NUL character in a query is refused with a field-level 400 (Django's form fields reject it,
# tested in test_api_errors); OpenAPI cannot express that, so the fuzzer does not send one.
schema.config.generation.update(allow_x00=False)


@pytest.fixture
def reference_data(db):
    """Rows to find, and the test's connection kept open across requests, as Django's own test
    client does (a bare WSGI call closes it when the request ends). The look-up's documented
    example address (ул. Абая, 12/1) names a street of two localities, so that its answer by
    contract, a 400 listing the streets as candidates, is checked against the schema too."""
    from tests.polling.factories import (
        LocalityFactory,
        PollingStationFactory,
        StreetFactory,
        TerritoryRuleFactory,
    )

    PollingStationFactory.create_batch(2)
    for place in LocalityFactory.create_batch(2):
        TerritoryRuleFactory(street=StreetFactory(locality=place, name="улица Абая"))
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Where a schema-valid query may be refused with a 400 by contract, for what OpenAPI cannot say.
REFUSED_BY_CONTRACT = {
    "/api/v1/observers/stats/": "an unknown election; date together with until",
    "/api/v1/polling-stations/": "an unknown election (hours are those of an election)",
    "/api/v1/polling-stations/lookup/": (
        "an address, a street or a locality is required (an address not with a street or a "
        "building), and an id must name a row; an address must name a known street (or a "
        "village served whole) and one only: several matching streets are a 400 listing them "
        "in candidates; a street not served whole needs a building"
    ),
    "/api/v1/streets/": "a locality that is no id (a negative number)",
}


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),  # FUZZ_EXAMPLES=500 for a long run
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema_under_fuzzing(case, reference_data):
    # Query parsing is lenient on purpose (an unknown or empty filter is ignored, a page size
    # above the maximum is clamped), so a schema-violating query may be answered 200; every
    # other check applies: no 5xx, documented statuses, content types and bodies.
    excluded = [negative_data_rejection]
    if case.operation.path in REFUSED_BY_CONTRACT:
        excluded.append(positive_data_acceptance)
    case.call_and_validate(excluded_checks=excluded)
