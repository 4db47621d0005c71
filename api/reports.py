"""The ``ownership.analytics`` entry points the API calls."""

from __future__ import annotations

import importlib
import types
from typing import Any

from ownership import analytics


def analytics_module(name: str) -> types.ModuleType:
    """The submodule ``ownership.analytics.<name>`` (report dataclasses)."""
    return importlib.import_module(f"{analytics.__name__}.{name}")


def report(kind: str, wave, viewer) -> Any:
    return analytics.report(kind, wave, viewer)


def trends(survey, viewer, construct: str | None = None) -> Any:
    return analytics.trends(survey, viewer, construct=construct)
