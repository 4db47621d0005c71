"""Reports: a wave's answers, through ``ownership.stats``, past disclosure control.

This package is the only place that reads answers for reporting and the only
place that decides what may be shown. Each public function takes a wave (or a
survey) and a *viewer* (a user or a :class:`~ownership.permissions.ResultsScope`)
and returns a frozen report object; HTML views, CSV/XLSX exports, the API and
``manage.py report`` all render these objects and compute nothing themselves.

Suppression is computed on the whole organisation first, then the viewer's scope
picks rows, so a narrower view can never open a back door.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache

from surveys.models import Invitation, Response, Wave

from .heatmap import build_heatmap
from .loading import load_wave
from .reports import Heatmap, to_data
from .scoping import scope_of, scoped_rows

__all__ = ["Heatmap", "heatmap", "report", "report_version", "to_data"]

# Bump when a report's content changes shape or meaning, to drop old caches.
REPORT_FORMAT = 1


def report_version(wave: Wave) -> str:
    """Changes whenever anything a wave's reports show could change."""
    responses = Response.objects.filter(wave=wave).count()
    invitations = Invitation.objects.filter(wave=wave).count()
    return f"{REPORT_FORMAT}:{wave.pk}:{wave.min_group_size}:{responses}:{invitations}"


def _cached(wave: Wave, kind: str, build) -> Any:
    key = f"report:{kind}:{report_version(wave)}"
    report = cache.get(key)
    if report is None:
        report = build()
        cache.set(key, report, settings.REPORT_CACHE_SECONDS)
    return report


def full_heatmap(wave: Wave) -> Heatmap:
    """The whole organisation's heatmap (suppressed, not scoped)."""

    def build() -> Heatmap:
        previous = wave.previous_wave()
        return build_heatmap(
            load_wave(wave), previous=full_heatmap(previous) if previous else None
        )

    return _cached(wave, "heatmap", build)


def heatmap(wave: Wave, viewer: Any) -> Heatmap:
    scope = scope_of(viewer)
    return scoped_rows(full_heatmap(wave), scope)


REPORTS = {"heatmap": heatmap}


def report(kind: str, wave: Wave, viewer: Any) -> Any:
    """Any wave report by name (``manage.py report`` and the API use this)."""
    return REPORTS[kind](wave, viewer)
