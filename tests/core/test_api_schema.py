import pytest

from tests.openapi import api_schema

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi():
    schema = api_schema()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/regions/" in schema["paths"]
    assert "/api/v1/polling-stations/{id}/" in schema["paths"]


def test_schema_endpoint_serves_it(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Saylau API"


def test_api_docs_page_uses_no_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


def test_token_scheme_is_documented():
    schemes = api_schema()["components"]["securitySchemes"]
    assert schemes["agencyToken"]["in"] == "header"


def test_unknown_api_address_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_page_address_answers_html_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_documents_its_errors():
    for path, item in api_schema()["paths"].items():
        for method, operation in item.items():
            assert {"401", "429"} <= set(operation["responses"]), (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)
