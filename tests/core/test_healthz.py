import pytest

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "broker": "up"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "up", "broker": "down"}


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_down(client):
    from django.db import connection

    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="9", OPTIONS={"connect_timeout": 1})
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down", "broker": "up"}


def test_healthz_answers_head_and_options_as_health_checkers_send_them(client):
    head = client.head("/healthz")
    assert head.status_code == 200
    assert head.content == b""
    options = client.options("/healthz")
    assert options.status_code == 200
    assert options["Allow"] == "GET, HEAD, OPTIONS"
    assert client.post("/healthz").status_code == 405
