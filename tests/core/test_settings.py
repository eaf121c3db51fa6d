"""Production mode: refuses to start without a secret, and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

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
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
