"""Settings from the environment: a bad value names the variable and the
problem before anything runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.settings.env import env_int


def test_an_integer_within_bounds_is_read(monkeypatch):
    monkeypatch.setenv("DRIVERS_THREADS", " 3 ")
    assert env_int("DRIVERS_THREADS", 2, minimum=1) == 3
    monkeypatch.setenv("DRIVERS_THREADS", "")
    assert env_int("DRIVERS_THREADS", 2, minimum=1) == 2


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0", "DRIVERS_THREADS must be at least 1, got 0"),
        ("-2", "DRIVERS_THREADS must be at least 1, got -2"),
        ("two", "DRIVERS_THREADS must be an integer, got 'two'"),
    ],
)
def test_a_bad_value_names_the_variable(monkeypatch, raw, message):
    monkeypatch.setenv("DRIVERS_THREADS", raw)
    with pytest.raises(ImproperlyConfigured) as raised:
        env_int("DRIVERS_THREADS", 2, minimum=1)
    assert str(raised.value) == message


def test_the_settings_refuse_a_thread_count_of_zero():
    """Through the real settings module, in a fresh interpreter."""
    env = {
        **os.environ,
        "DRIVERS_THREADS": "0",
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    assert "DRIVERS_THREADS must be at least 1, got 0" in result.stderr
