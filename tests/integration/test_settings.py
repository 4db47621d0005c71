"""Production settings refuse to start half-configured and pass the deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    base.update(env)
    base["DJANGO_SETTINGS_MODULE"] = "cms.settings.production"
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DJANGO_ALLOWED_HOSTS": "surveys.example.com"},
            "DJANGO_SECRET_KEY is not set",
        ),
        ({"DJANGO_SECRET_KEY": "x" * 60}, "DJANGO_ALLOWED_HOSTS is not set"),
    ],
    ids=["no-secret", "no-hosts"],
)
def test_production_refuses_to_start(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_passes_the_deploy_check(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="k7#Qv9!pZ2@xL4$wR8^tB6&nM1*cJ5(hF3)dG0-sY7+eU2=aK9",
        DJANGO_ALLOWED_HOSTS="surveys.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bad_boolean_in_the_environment_is_named():
    result = run_manage(
        "check",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="a.example",
        DJANGO_DEBUG="perhaps",
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr
