"""Errors the caller can read, whatever DEBUG says: every error under /api/ is JSON in the
request's language (core.api.exceptions), the API has an index (core.api.views), a body nested
too deep is a 400 (core.api.parsers), the site has its own 404 and 500 pages in each language and
a favicon, and an id in the admin that names no row is a message (core.admin.RowIdsAdminMixin)."""

import json
from collections import defaultdict

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import path, reverse
from django.utils import translation
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from config import urls as project_urls
from core.admin import SELECTION_GONE, SELECTION_INVALID
from core.api.exceptions import SLASH_MISSING
from core.api.parsers import MAX_DEPTH, TOO_DEEP, JSONParser, nesting_exceeds
from core.api.views import api_index
from core.views import server_error
from tests.core.factories import UserFactory
from tests.permissions import (
    API,
    declared_endpoints,
    url_patterns,
    world,  # noqa: F401 (the module's world, for the write endpoints)
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru", "en"]
TRACEBACK_SECRET = "the traceback says this"


# A URL configuration with views that fail: the project's, plus three of them (used by the tests
# marked `@pytest.mark.urls(__name__)`).


class FailingApiView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError(TRACEBACK_SECRET)


def failing_view(request):
    raise RuntimeError(TRACEBACK_SECRET)


urlpatterns = [
    path("api/v1/failing/", FailingApiView.as_view()),
    path("api/v1/failing-plain/", failing_view),
    path("failing/", failing_view),
    *project_urls.urlpatterns,
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def client_in(language: str, **kwargs) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language, **kwargs)
    client.raise_request_exception = False  # answer as a server does: with the error page
    return client


def in_language(language: str, message) -> str:
    """`message` (a lazy translation, or a msgid) in `language`."""
    with translation.override(language):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def assert_json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


@pytest.fixture(params=[False, True], ids=["DEBUG-off", "DEBUG-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


# UNKNOWN API ADDRESSES


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "address", ["/api/v1/no-such-thing/", "/api/no-such-version/", "/api/v1/regions/x/y/z"]
)
def test_an_unknown_api_address_is_a_json_404_in_the_request_language(debug, language, address):
    response = client_in(language).get(address)
    assert response.status_code == 404
    assert assert_json(response) == {
        "detail": in_language(language, exceptions.NotFound.default_detail)
    }
    assert b"urlpatterns" not in response.content and b"URLconf" not in response.content


@pytest.mark.parametrize(
    "message",
    [
        exceptions.NotFound.default_detail,
        SLASH_MISSING,
        TOO_DEEP,
        SELECTION_INVALID,
        SELECTION_GONE,
    ],
)
def test_the_messages_are_translated(message):
    assert len({in_language(language, message) for language in LANGUAGES}) == 3


def test_an_unknown_row_of_the_api_is_a_json_404(debug):
    response = client_in("en").get("/api/v1/regions/999999999/")
    assert response.status_code == 404
    assert assert_json(response) == {"detail": "Not found."}  # never the model's English name


def test_a_write_without_its_final_slash_is_a_json_404_naming_the_address(debug):
    response = client_in("en").post("/api/v1/observers", {"x": 1}, format="json")
    assert response.status_code == 404
    assert "/api/v1/observers/" in assert_json(response)["detail"]


def test_a_read_without_its_final_slash_is_redirected_to_the_address_with_it(debug):
    response = client_in("en").get("/api/v1/regions")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/regions/"


# EVERY API ERROR IS JSON


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("address", ["/api/v1/failing/", "/api/v1/failing-plain/"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_server_error_under_the_api_is_json_without_a_traceback(debug, address, language):
    response = client_in(language).get(address)
    assert response.status_code == 500
    assert assert_json(response) == {
        "detail": in_language(language, exceptions.APIException.default_detail)
    }
    assert TRACEBACK_SECRET.encode() not in response.content


def test_a_method_the_api_does_not_answer_is_a_json_405(debug):
    response = client_in("en").put("/api/v1/", {}, format="json")
    assert response.status_code == 405
    assert assert_json(response) == {"detail": 'Method "PUT" not allowed.'}
    assert "GET" in response["Allow"]


def test_malformed_json_is_a_json_400(debug):
    response = client_in("en").post(
        "/api/v1/observers/", "{not json", content_type="application/json"
    )
    # Parsed only once the caller may write; the anonymous are refused first.
    assert response.status_code in (401, 403)
    assert "detail" in assert_json(response)
    client = client_in("en")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post("/api/v1/observers/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert assert_json(response)["detail"].startswith("JSON parse error")


def test_a_refused_host_under_the_api_is_a_json_400(debug, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client_in("en", HTTP_HOST="attacker.example").get("/api/v1/regions/")
    assert response.status_code == 400
    assert assert_json(response) == {"detail": "Malformed request."}
    assert b"attacker.example" not in response.content  # no debug page quoting the request


def test_no_credentials_is_a_json_401_with_its_challenge(debug):
    response = client_in("en").get("/api/v1/jobs/999/")
    assert response.status_code == 401
    assert assert_json(response) == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"]


def test_no_permission_is_a_json_403(debug):
    client = client_in("en")
    client.force_login(UserFactory(is_staff=True))
    response = client.post("/api/v1/observers/", {}, format="json")
    assert response.status_code == 403
    assert assert_json(response) == {"detail": "You do not have permission to perform this action."}


def test_too_many_requests_is_a_json_429_with_retry_after(debug, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", defaultdict(lambda: "1/minute"))
    client = client_in("en")
    # Different queries, so that no cached answer stands in for the throttled one.
    assert client.get("/api/v1/regions/", {"n": 1}).status_code == 200
    response = client.get("/api/v1/regions/", {"n": 2})
    assert response.status_code == 429
    assert assert_json(response)["detail"].startswith("Request was throttled.")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_throttled_documentation_page_is_the_sites_429_page(debug, monkeypatch, language):
    """The API's documentation is an HTML page behind the API's rate limit: when the limit is
    reached it answers the site's page in the reader's language, not a bare text."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", defaultdict(lambda: "1/minute"))
    client = client_in(language)
    assert client.get("/api/v1/regions/", {"n": 1}).status_code == 200
    response = client.get("/api/docs/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert in_language(language, "Too many requests") in page
    assert f'lang="{language}"' in page
    assert "Too Many Requests" not in page


# THE INDEX


def test_the_api_index_links_each_app_and_the_documentation(debug):
    response = client_in("en").get("/api/v1/")
    assert response.status_code == 200
    index = assert_json(response)
    assert index["apps"]["commissions"]["regions"] == "http://testserver/api/v1/regions/"
    assert index["apps"]["observers"]["observers/stats"] == (
        "http://testserver/api/v1/observers/stats/"
    )
    assert "core" not in index["apps"]  # its only address, a job, takes the job's id
    assert index["schema"] == "http://testserver/api/schema/"
    assert index["docs"] == "http://testserver/api/docs/"
    assert index["redoc"] == "http://testserver/api/redoc/"


def test_the_api_index_lists_every_api_address_without_a_parameter():
    every = {
        "/" + route.replace("^", "").replace("$", "")
        for route, name in url_patterns()
        if route.startswith("api/v1/") and name and "(?P<" not in route and "<" not in route
    } - {"/api/v1/"}
    listed = {address for paths in api_index().values() for address in paths}
    assert listed == every


def test_every_address_of_the_api_index_answers():
    client = client_in("en")
    index = client.get("/api/v1/").json()
    for addresses in index["apps"].values():
        for address in addresses.values():
            response = client.get(address)
            # A list the anonymous may not read refuses them, the statistics ask for their
            # election; none is missing or broken.
            assert response.status_code in (200, 400, 401, 403), address
            assert_json(response)


# JSON NESTED TOO DEEP


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_the_parser_refuses_json_nested_deeper_than_its_limit():
    from io import BytesIO

    parser = JSONParser()
    assert parser.parse(BytesIO(deep(MAX_DEPTH).encode())) == json.loads(deep(MAX_DEPTH))
    for depth in (MAX_DEPTH + 1, 1000, 100_000):
        with pytest.raises(exceptions.ParseError, match="nests more than"):
            parser.parse(BytesIO(deep(depth).encode()))


def test_nesting_is_measured_through_objects_and_arrays():
    value = {"a": [{"b": [1, 2, {"c": []}]}]}  # five levels: {, [, {, [, {, and the []
    assert not nesting_exceeds(value, 6)
    assert nesting_exceeds(value, 5)


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_to_the_api_is_a_400(debug, depth):
    client = client_in("ru")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post("/api/v1/observers/", deep(depth), content_type="application/json")
    assert response.status_code == 400
    detail = assert_json(response)["detail"]
    assert str(MAX_DEPTH) in detail
    assert detail == in_language("ru", TOO_DEEP).format(depth=MAX_DEPTH)


def _writes():
    """Every write of the API that takes a JSON body, with a caller allowed to make it."""
    for endpoint in declared_endpoints():
        if endpoint.kind != API or endpoint.format != "json" or not endpoint.allowed:
            continue
        for method in endpoint.methods:
            if method in ("POST", "PUT", "PATCH"):
                yield pytest.param(endpoint, method, id=f"{method} {endpoint.name}")


@pytest.mark.parametrize(("endpoint", "method"), list(_writes()))
def test_every_api_write_answers_deeply_nested_json_with_a_400(world, endpoint, method):  # noqa: F811
    client = world.client_for(endpoint.allowed[0])
    client.raise_request_exception = False
    if endpoint.prepare:
        endpoint.prepare(world)
    response = getattr(client, method.lower())(
        world.url(endpoint.path), deep(1000), content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    assert "nests more than" in assert_json(response)["detail"]


# THE SITE'S PAGES


@pytest.mark.parametrize(
    "path", ["no-such-page/", "polling/stations/999999/", "polling/stations/1/no-such-part/"]
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_site_has_its_own_404_page_in_each_language(client, debug, language, path):
    """An address that matches nothing and a row that is not there: the site's page, with
    DEBUG on too (Django's lists every URL pattern, in English)."""
    response = client.get(f"/{language}/{path}")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert in_language(language, "Page not found") in html
    assert "css/site.css" in html and 'rel="icon"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_500_page_is_rendered_without_the_database_in_each_language(
    rf, django_db_blocker, language
):
    request = rf.get(f"/{language}/observers/")
    with translation.override(language), django_db_blocker.block():
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert in_language(language, "Server error") in html
    assert "css/site.css" in html and 'rel="icon"' in html


def test_the_page_titles_are_translated():
    for message in ("Page not found", "Server error"):
        assert len({in_language(language, message) for language in LANGUAGES}) == 3


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_server_error_on_the_site_shows_the_500_page_in_the_request_language(language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)
    response = client.get("/failing/")
    assert response.status_code == 500
    html = response.content.decode()
    assert in_language(language, "Server error") in html
    assert TRACEBACK_SECRET not in html


def test_favicon_is_served_at_the_root_as_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file's header


def test_the_pages_link_the_favicon(client):
    html = client.get("/en/").content.decode()
    href = html.split('<link rel="icon" href="', 1)[1].split('"', 1)[0]
    response = client.get(href)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


# THE ADMIN: IDS THAT NAME NO ROW


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


def admin_actions(model_admin, user, rf):
    request = rf.get("/")
    request.user = user
    return list(model_admin.get_actions(request))


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


REGISTERED = [
    pytest.param(model, id=f"{model._meta.app_label}.{model._meta.model_name}")
    for model in admin.site._registry
]


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("model", REGISTERED)
@pytest.mark.parametrize("selected", ["abc", "1.5", "1\x00", ""])
def test_an_action_on_a_selection_that_is_no_id_is_a_message(
    client, superuser, rf, model, selected
):
    client.force_login(superuser)
    client.raise_request_exception = False
    model_admin = admin.site._registry[model]
    for action in admin_actions(model_admin, superuser, rf) or ["delete_selected"]:
        response = client.post(
            changelist(model), {"action": action, "index": 0, ACTION_CHECKBOX_NAME: [selected]}
        )
        assert response.status_code in (200, 302), f"{action}: {response.status_code}"
        if response.status_code == 302:  # the admin offers this action
            assert response["Location"] == changelist(model)
            expected = SELECTION_INVALID.format(ids=f"“{selected}”")
            assert expected in shown(response), action


@pytest.mark.parametrize("model", REGISTERED)
@pytest.mark.parametrize("selected", ["999999999", "99999999999999999999"])
def test_an_action_on_rows_that_do_not_exist_is_a_message(client, superuser, rf, model, selected):
    client.force_login(superuser)
    client.raise_request_exception = False
    model_admin = admin.site._registry[model]
    for action in admin_actions(model_admin, superuser, rf):
        response = client.post(
            changelist(model), {"action": action, "index": 0, ACTION_CHECKBOX_NAME: [selected]}
        )
        assert response.status_code == 302, f"{action}: {response.status_code}"
        assert str(SELECTION_GONE) in shown(response), action


def test_the_reason_page_of_a_decision_posted_with_no_id_is_a_message(client, superuser):
    # The second step of "refuse": posted from the reason page, without the action form's index.
    client.force_login(superuser)
    response = client.post(
        "/en/admin/observers/observer/",
        {"action": "refuse", "apply": "1", "reason": "Late", ACTION_CHECKBOX_NAME: ["abc"]},
    )
    assert response.status_code == 302
    assert SELECTION_INVALID.format(ids="“abc”") in shown(response)


AUTOCOMPLETED = [
    pytest.param(model, name, id=f"{model._meta.model_name}.{name}")
    for model, model_admin in admin.site._registry.items()
    for name in model_admin.autocomplete_fields
]


@pytest.mark.parametrize(("model", "field"), AUTOCOMPLETED)
def test_an_add_page_prefilled_with_no_id_shows_an_empty_choice(client, superuser, model, field):
    client.force_login(superuser)
    add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    assert client.get(add, {field: "abc"}).status_code == 200
    assert client.get(add, {field: "999999999"}).status_code == 200
    response = client.post(add, {field: "abc"})
    assert response.status_code == 200  # the form again, with its errors
    assert field in response.context["adminform"].form.errors


# A FORM SENT WITHOUT ITS SAFETY TOKEN (CSRF)

CSRF_TITLE = {"kk": "Пішін жіберілмеді", "ru": "Форма не отправлена", "en": "The form was not sent"}
CSRF_ADVICE = {
    "kk": "Бетті жаңартып, қайта көріңіз.",
    "ru": "Обновите страницу и попробуйте ещё раз.",
    "en": "Reload the page and try again.",
}
DJANGOS_OWN = ["CSRF verification failed", "403 Forbidden", "CSRF cookie not set", "Referer"]


def _assert_the_sites_csrf_page(response, language):
    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert "css/site.css" in html
    assert CSRF_TITLE[language] in html
    assert CSRF_ADVICE[language] in html
    assert not [words for words in DJANGOS_OWN if words in html]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_sent_without_the_csrf_cookie_gets_the_sites_page_in_its_language(language):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/{language}/", {"q": "x"})
    _assert_the_sites_csrf_page(response, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_switch_with_a_stale_token_gets_the_sites_page(language):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    response = client.post("/i18n/setlang/", {"language": "ru", "csrfmiddlewaretoken": "b" * 32})
    _assert_the_sites_csrf_page(response, language)


def test_a_form_without_csrf_under_the_api_is_a_json_403(rf):
    from core.views import csrf_failure

    response = csrf_failure(rf.post("/api/"), reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert "CSRF" not in response.content.decode()
