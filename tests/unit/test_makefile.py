"""`make run` serves where it says, and its links point there."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
# Stands in for the virtualenv's Python: prints the base URL links are made
# with instead of running manage.py.
# ($$ is make's escape for a shell variable.)
PRINT_BASE_URL = "sh -c 'echo link-base=$$WAGTAILADMIN_BASE_URL' --"
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")


def make_run(*args: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "WAGTAILADMIN_BASE_URL"}
    result = subprocess.run(  # noqa: S603 - our own Makefile, fixed arguments
        [
            MAKE,
            "--no-print-directory",
            "-o",
            ".venv/.installed",
            "run",
            *args,
            f"PY={PRINT_BASE_URL}",
        ],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def test_links_point_at_the_port_served():
    out = make_run("PORT=8101")
    assert "Serving on http://127.0.0.1:8101/" in out
    assert "link-base=http://127.0.0.1:8101" in out
    assert "8000" not in out


def test_a_configured_base_url_wins():
    out = make_run("PORT=8101", WAGTAILADMIN_BASE_URL="https://survey.example.com")
    assert "link-base=https://survey.example.com" in out


def test_serve_runs_gunicorn_on_the_given_address_with_production_settings():
    # The stand-in Python and gunicorn print what they would run with.
    show = "sh -c 'echo $$DJANGO_SETTINGS_MODULE $$GUNICORN_BIND \"$$@\"' --"
    result = subprocess.run(  # noqa: S603 - our own Makefile, fixed arguments
        [
            MAKE,
            "--no-print-directory",
            "-o",
            ".venv/.installed-production",
            "-o",
            ".venv/.installed",
            "serve",
            "PORT=8102",
            f"PY={show}",
            f"GUNICORN={show} gunicorn",
        ],
        cwd=ROOT,
        env={
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_SETTINGS_MODULE", "GUNICORN_BIND")
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    out = result.stdout + result.stderr
    assert "cms.settings.production 127.0.0.1:8102 manage.py check --deploy" in out
    assert "cms.settings.production 127.0.0.1:8102 manage.py migrate --noinput" in out
    assert "Serving on http://127.0.0.1:8102/ with gunicorn" in out
    # The last step runs gunicorn with the project's config.
    assert (
        "cms.settings.production 127.0.0.1:8102 gunicorn -c cms/gunicorn.conf.py" in out
    )
    assert result.returncode == 0, out
