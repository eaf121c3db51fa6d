"""Production mode: refuses to start without a secret or the public address, and
`check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from core import devstack

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    # The database and broker of this run (settings put them in the environment when read).
    environment = {**os.environ, "REDIS_URL": settings.REDIS_URL, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x7-" + "k3Q9vZ2pL8mN4rT6yB1cF5hJ0wE" * 2,
        ALLOWED_HOSTS="saylau.example.kz",
        PUBLIC_BASE_URL="https://saylau.example.kz",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["", "saylau.example.kz"])
def test_production_mode_refuses_to_start_without_the_public_address(value):
    """Badges' QR codes open PUBLIC_BASE_URL: no silent fallback to a development address."""
    result = manage("check", DEBUG="false", SECRET_KEY="x" * 50, PUBLIC_BASE_URL=value)
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL must be set" in result.stderr


def test_development_mode_falls_back_to_the_local_address():
    code = "from django.conf import settings; print(settings.PUBLIC_BASE_URL)"
    result = manage("shell", "-c", code, DEBUG="true", PUBLIC_BASE_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8000"


def test_make_run_prints_the_port_it_serves_on_in_badges(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "")
    monkeypatch.delenv("PUBLIC_BASE_URL")  # restored after the test
    monkeypatch.setattr(devstack, "_supervise", lambda commands, **options: 0)
    monkeypatch.setattr(devstack, "services_start", lambda: [])
    monkeypatch.setattr(devstack, "_manage", lambda *args: None)
    assert devstack.run(8703) == 0
    assert os.environ["PUBLIC_BASE_URL"] == "http://127.0.0.1:8703"


def test_docker_compose_gives_every_app_container_the_public_address():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for service in ("web", "worker", "beat"):  # the worker renders the badges
        value = compose["services"][service]["environment"]["PUBLIC_BASE_URL"]
        assert value.startswith("${PUBLIC_BASE_URL:?"), service  # required, no default
    example = (ROOT / ".env.example").read_text().splitlines()
    assert any(line.startswith("PUBLIC_BASE_URL=https://") for line in example)
