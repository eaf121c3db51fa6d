"""Every list of the API pages stably: walking all its pages, a few rows at a time, returns every
row exactly once, whatever `ordering` is asked for, ascending or descending, or none.

The lists are found in the API's own OpenAPI schema (every GET answering a page of `results`),
so a new list is tested without being named here; its rows come from `ROWS` (a new model's list
fails until it has a maker there). The rows are then made to tie: every field a list may be
ordered by, and every field of its model's default ordering, is given one value in all rows
(where a unique constraint allows), so that only the unique key the ordering must end in tells
them apart.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from core.filters import StableOrderingFilter
from tests.openapi import api_schema

pytestmark = pytest.mark.django_db

ROWS_PER_LIST = 9
PAGE_SIZE = 2


def _observers(n):
    from tests.observers.factories import ObserverFactory, OpenElectionFactory

    election = OpenElectionFactory()
    return [ObserverFactory(election=election) for _ in range(n)]


def _batches(n):
    from observers import services
    from tests.observers.factories import OpenElectionFactory, OrganizationBodyFactory, person

    election, body = OpenElectionFactory(), OrganizationBodyFactory()
    for i in range(n):
        services.observer_nominate(actor=None, election=election, body=body, **person(i))


def _published_decisions(n):
    from tests.polling.hours import election_2023, published, station_in

    election = election_2023()
    for i in range(n):
        published(station_in(), election, number=f"{i + 1}/1")


def _factory(path: str):
    def make(n):
        module, name = path.rsplit(".", 1)
        factory = getattr(__import__(module, fromlist=[name]), name)
        factory.create_batch(n)

    return make


# Each model listed by the API: how to make n of its rows.
ROWS = {
    "commissions.region": _factory("tests.commissions.factories.RegionFactory"),
    "commissions.election": _factory("tests.commissions.factories.ElectionFactory"),
    "commissions.party": _factory("tests.commissions.factories.PartyFactory"),
    "commissions.commission": _factory("tests.commissions.factories.TerritorialCommissionFactory"),
    "polling.pollingstation": _factory("tests.polling.factories.PollingStationFactory"),
    "polling.votinghoursdecision": _published_decisions,
    "observers.nominatingbody": _factory("tests.observers.factories.OrganizationBodyFactory"),
    "observers.observer": _observers,
    "observers.nominationbatch": _batches,
}


# Lists that are no pages on purpose: a typeahead answers at most a few suggestions for what
# was typed (ordered by name, then key), never a list to walk.
CAPPED_LISTS = {"/api/v1/streets/": 10}


def _is_page(schema: dict, components: dict) -> bool:
    ref = schema.get("$ref", "")
    if ref:
        schema = components[ref.rsplit("/", 1)[-1]]
    return "results" in schema.get("properties", {})


def list_paths() -> list[str]:
    """The API's GET operations whose answer is a page of results (and no path parameters)."""
    schema = api_schema()
    components = schema["components"]["schemas"]
    found = []
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        content = operation["responses"].get("200", {}).get("content", {})
        body = content.get("application/json", {}).get("schema", {})
        if body.get("type") == "array":
            if path in CAPPED_LISTS:
                continue
            raise AssertionError(f"{path} answers a list without pages")
        if _is_page(body, components):
            found.append(path)
    return sorted(found)


LISTS = list_paths()


def resolver_lists(resolver=None, prefix: str = "") -> list[str]:
    """The paths of every view the URL resolver maps a GET "list" action to (a viewset's list),
    whether or not the schema shows it."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += resolver_lists(pattern, route)
        elif isinstance(pattern, URLPattern):
            actions = getattr(pattern.callback, "actions", None) or {}
            if actions.get("get") == "list" and "<format>" not in route:  # not a .json suffix
                found.append("/" + route.replace("^", "").replace("$", ""))
    return sorted(found)


def list_view(path: str):
    """The list's view as DRF builds it for a GET of `path` (its action, request, kwargs)."""
    match = resolve(path)
    view = match.func.cls(**match.func.initkwargs)
    view.action_map = getattr(match.func, "actions", {})
    view.action = view.action_map.get("get")
    view.args, view.kwargs = (), {}
    view.format_kwarg = None
    view.request = Request(APIRequestFactory().get(path))
    return view


def orderings(path: str) -> list[str]:
    """Every `ordering` the list accepts, ascending and descending, and none at all ("")."""
    view = list_view(path)
    queryset = view.get_queryset() if hasattr(view, "get_queryset") else None
    fields = StableOrderingFilter().get_valid_fields(queryset, view, {"request": view.request})
    return ["", *(f"{sign}{name}" for name, _label in fields for sign in ("", "-"))]


def _tie(model, names) -> None:
    """Give every row of `model` the first row's value of each field in `names`, where the
    database allows it (a unique field cannot tie, and needs no tiebreaker)."""
    first = model._default_manager.order_by("pk").first()
    languages = [code.replace("-", "_") for code, _name in settings.LANGUAGES]
    for name in names:
        candidates = [name, *(f"{name}_{code}" for code in languages)]
        for column in candidates:
            try:
                field = model._meta.get_field(column)
            except FieldDoesNotExist:  # a lookup across a relation, or no such translation
                continue
            if not field.concrete or field.primary_key:
                continue
            value = getattr(first, field.attname)
            try:
                with transaction.atomic():
                    model._base_manager.update(**{field.attname: value})
            except IntegrityError:
                pass


def _model_of(path: str):
    view = list_view(path)
    return view.get_queryset().model


def walk(client, path: str, ordering: str) -> list:
    """The ids of every row, page after page, by following each page's `next` link."""
    query = {"page_size": PAGE_SIZE, **({"ordering": ordering} if ordering else {})}
    url = f"{path}?{urlencode(query)}"
    ids = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        parts = urlsplit(body["next"] or "")
        url = f"{parts.path}?{parts.query}" if body["next"] else None
        pages += 1
        assert pages <= 500, f"{path}: no end of pages"
    return ids


def test_every_list_the_url_resolver_knows_is_walked():
    assert [path for path in resolver_lists() if path not in CAPPED_LISTS] == LISTS


def test_the_api_has_lists_and_every_list_has_rows_to_make():
    assert len(LISTS) >= 8
    missing = {
        path: f"{model._meta.app_label}.{model._meta.model_name}"
        for path in LISTS
        if f"{(model := _model_of(path))._meta.app_label}.{model._meta.model_name}" not in ROWS
    }
    assert not missing, f"add a row maker to ROWS for {missing}"


@pytest.mark.parametrize("path", LISTS)
def test_walking_every_page_returns_every_row_exactly_once(path):
    from tests.core.factories import UserFactory

    model = _model_of(path)
    ROWS[f"{model._meta.app_label}.{model._meta.model_name}"](ROWS_PER_LIST)
    allowed = orderings(path)
    default = [key.lstrip("-") for key in model._meta.ordering if isinstance(key, str)]
    _tie(model, {*default, *(value.lstrip("-") for value in allowed if value)})
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(is_superuser=True, is_staff=True, password=None))

    everything = client.get(path, {"page_size": 500}).json()
    expected = sorted(row["id"] for row in everything["results"])
    assert everything["count"] == len(expected) >= ROWS_PER_LIST

    for ordering in allowed:
        ids = walk(client, path, ordering)
        assert len(ids) == len(set(ids)), f"{path}?ordering={ordering}: a row twice"
        assert sorted(ids) == expected, f"{path}?ordering={ordering}: rows missing"


@pytest.mark.parametrize(("path", "cap"), CAPPED_LISTS.items())
@pytest.mark.django_db
def test_a_list_without_pages_is_capped(path, cap):
    """A typeahead list answers at most its cap whatever matches (here: more streets than the
    cap, all matching the letter typed)."""
    import factory

    from tests.polling.factories import StreetFactory

    StreetFactory.create_batch(cap + 5, name=factory.Sequence(lambda n: f"Абай {n}"))
    response = APIClient().get(path, {"q": "Абай"})
    assert response.status_code == 200
    assert 0 < len(response.json()) <= cap
