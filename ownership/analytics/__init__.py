"""Reports: a wave's answers, through ``ownership.stats``, past disclosure control.

This package is the only place that reads answers for reporting and the only
place that decides what may be shown. Results are computed once per
*release* (:func:`release_make`), with one disclosure decision for every report
kind, and stored; the functions here read a stored release and narrow it to a
*viewer* (a user or a :class:`~ownership.permissions.ResultsScope`). HTML
views, CSV/XLSX exports, the API and ``manage.py report`` all render these
objects and compute nothing themselves.

Suppression is decided for the whole organisation first, then the viewer's
scope picks rows, so a narrower view can never open a back door.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext as _

from surveys.models import Release, Wave

from .concentration import scoped_concentration, with_verdict_text
from .kinds import KINDS, ReportKind
from .releases import (
    ReleaseRefused,
    due_releases,
    latest_releases,
    release_make,
    release_of,
    stored_report,
)
from .reports import Concentration, Heatmap, to_data
from .scoping import scope_of, scoped_rows, scoped_themes, visible_codes
from .trends import build_trends, trend_events

__all__ = [
    "KINDS",
    "Concentration",
    "Heatmap",
    "NoRelease",
    "ReleaseRefused",
    "ReportKind",
    "due_releases",
    "release_make",
    "release_of",
    "report",
    "to_data",
    "trends",
]


class NoRelease(Exception):
    """A wave has no release (yet) to read; the message says why."""


def _release(wave: Wave, sequence: int | None) -> Release:
    release = release_of(wave, sequence)
    if release is not None:
        return release
    if sequence is not None:
        raise NoRelease(
            _("Wave %(id)d has no release %(n)d.") % {"id": wave.pk, "n": sequence}
        )
    if not wave.is_frozen:
        raise NoRelease(_("This wave has not been opened yet; it has no results."))
    if wave.is_open and not wave.interim_results:
        raise NoRelease(_("Results are published when the wave closes."))
    if wave.is_open:
        raise NoRelease(_("The first interim results have not been released yet."))
    raise NoRelease(_("The results of this wave are being prepared."))


def report(kind: str, wave: Wave, viewer: Any, *, release: int | None = None) -> Any:
    """Report ``kind`` of ``wave`` as ``viewer`` may see it, from release
    ``release`` (default: the latest). Raises :class:`NoRelease`."""
    if kind not in KINDS:
        raise KeyError(kind)
    scope = scope_of(viewer)
    stored = _release(wave, release)
    full = stored_report(stored, kind)
    if full is None:
        raise NoRelease(
            _(
                "This release was made before this report existed; the wave's "
                "next release will have it."
            )
        )
    if kind == "themes":
        return scoped_themes(full, scope, stored.tree)
    scoped = scoped_rows(full, scope, stored.tree)
    if kind == "concentration":
        if scoped is not full:
            return scoped_concentration(scoped)
        return with_verdict_text(full)
    return scoped


def release_for(wave: Wave, sequence: int | None = None) -> Release:
    """The release :func:`report` would read. Raises :class:`NoRelease`."""
    return _release(wave, sequence)


def heatmap(wave: Wave, viewer: Any, *, release: int | None = None) -> Heatmap:
    return report("heatmap", wave, viewer, release=release)


def concentration(
    wave: Wave, viewer: Any, *, release: int | None = None
) -> Concentration:
    """Responsibility concentration as ``viewer`` may see it.

    A department head gets the rows of their subtree (plus the organisation's)
    and a verdict about those; the Lorenz curve and Gini, which compare
    departments across the organisation, are left out of a scoped view.
    """
    return report("concentration", wave, viewer, release=release)


def reliability(wave: Wave, viewer: Any, *, release: int | None = None):
    return report("reliability", wave, viewer, release=release)


def comments(wave: Wave, viewer: Any, *, release: int | None = None):
    return report("comments", wave, viewer, release=release)


def response_rates(wave: Wave, viewer: Any, *, release: int | None = None):
    return report("response_rates", wave, viewer, release=release)


def trend_releases(survey) -> list[tuple[Wave, Release]]:
    """Each frozen wave of ``survey`` that has a release, oldest first, with
    its latest release (the final one once the wave has closed)."""
    waves = list(Wave.objects.frozen().filter(survey=survey).order_by("opens_at"))
    latest = latest_releases(waves)
    return [(wave, latest[wave.pk]) for wave in waves if wave.pk in latest]


_TRENDS: dict[tuple, Any] = {}


def trends(survey, viewer: Any, construct: str | None = None):
    """Each department's results wave by wave for one survey (oldest first),
    read from each wave's latest release heatmap, with organisation events."""
    scope = scope_of(viewer)
    pairs = trend_releases(survey)
    # Releases never change: the series of the same releases are built once
    # per process (events can change, so they are read every time).
    key = (
        survey.pk,
        survey.title,
        construct,
        tuple(
            (w.pk, w.opens_at, w.closes_at, w.min_group_size, r.uid) for w, r in pairs
        ),
    )
    report = _TRENDS.get(key)
    if report is None:
        report = build_trends(
            survey,
            [(w, r, stored_report(r, "heatmap")) for w, r in pairs],
            construct,
        )
        if len(_TRENDS) >= 32:
            _TRENDS.clear()
        _TRENDS[key] = report
    else:
        report = dataclasses.replace(report, events=trend_events([w for w, _ in pairs]))
    if scope.everything:
        return report
    codes: set[str] = set()
    for _wave, release in pairs:
        codes |= visible_codes(scope, release.tree) or set()
    rows = tuple(
        row
        for row in report.rows
        if row.department.code is None or row.department.code in codes
    )
    return dataclasses.replace(report, rows=rows)
