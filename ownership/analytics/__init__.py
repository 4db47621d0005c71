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

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from ownership.models import Department, OrganisationEvent
from surveys.models import Invitation, Response, Wave

# Submodules are imported here, before the functions of the same names below
# (``trends``, ``reliability``, ``comments``, ...) are defined: importing a
# submodule binds it on the package, so a later first import would replace
# the function with the module.
from .comments import build_comments
from .concentration import build_concentration, scoped_concentration, with_verdict_text
from .heatmap import build_heatmap
from .loading import load_wave
from .rates import build_rates
from .reliability import build_reliability
from .reports import Concentration, EventRef, Heatmap, to_data
from .scoping import scope_of, scoped_rows
from .trends import build_trends

__all__ = [
    "Concentration",
    "Heatmap",
    "concentration",
    "heatmap",
    "report",
    "report_version",
    "to_data",
]

# Bump when a report's content changes shape or meaning, to drop old caches.
REPORT_FORMAT = 1


def _counts(wave: Wave) -> str:
    responses = Response.objects.filter(wave=wave).count()
    invitations = Invitation.objects.filter(wave=wave).count()
    return f"{wave.pk}:{wave.min_group_size}:{responses}:{invitations}"


def report_version(wave: Wave) -> str:
    """Changes whenever anything a wave's reports show could change: its
    answers and invitations, its k and label, the department tree (roll-ups,
    names) and the previous wave (the heatmap's change column)."""
    tree = hashlib.sha256(
        repr(list(Department.objects.values_list("code", "name", "path"))).encode()
    ).hexdigest()[:12]
    previous = wave.previous_wave()
    earlier = _counts(previous) if previous else "-"
    label = hashlib.sha256(wave.label.encode()).hexdigest()[:8]
    return f"{REPORT_FORMAT}:{_counts(wave)}:{label}:{tree}:{earlier}"


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


def _cco_baseline(wave: Wave) -> tuple[OrganisationEvent | None, bool, Wave | None]:
    """The latest "CCO appointed" event, whether ``wave`` opened on or after
    its date, and the latest frozen wave of the same survey that opened before
    it (the baseline of the before/after comparison)."""
    event = OrganisationEvent.objects.latest_cco_appointment()
    if event is None:
        return None, False, None
    # ``opens_at__date`` compares in the current time zone; so does this.
    opened_after = timezone.localdate(wave.opens_at) >= event.date
    baseline = (
        Wave.objects.frozen()
        .filter(survey_id=wave.survey_id, opens_at__date__lt=event.date)
        .exclude(pk=wave.pk)
        .order_by("-opens_at")
        .first()
        if opened_after
        else None
    )
    return event, opened_after, baseline


def full_concentration(wave: Wave) -> Concentration:
    """The whole organisation's concentration report (suppressed, not scoped).

    Besides the wave's own data the report depends on the CCO event, on the
    baseline wave's answers and on the thresholds, so all of them are in the
    cache key. The verdict text is built in the default language; views get it
    re-rendered in theirs by :func:`concentration`.
    """
    event, opened_after, baseline = _cco_baseline(wave)
    inputs = ":".join(
        str(part)
        for part in (
            event and (event.pk, event.date.isoformat(), event.title),
            opened_after,
            baseline and report_version(baseline),
            settings.CONCENTRATION_DESIGNATED_SHARE,
            settings.CONCENTRATION_DESIGNATED_LOWER,
            settings.BOOTSTRAP_RESAMPLES,
            settings.PERMUTATION_RESAMPLES,
            settings.RESULTS_FDR_LEVEL,
        )
    )
    digest = hashlib.sha256(inputs.encode()).hexdigest()[:16]

    def build() -> Concentration:
        with translation.override(settings.LANGUAGE_CODE):
            return build_concentration(
                load_wave(wave),
                event=EventRef(event.title, event.date.isoformat()) if event else None,
                opened_after_event=opened_after,
                baseline=load_wave(baseline) if baseline else None,
            )

    return _cached(wave, f"concentration:{digest}", build)


def concentration(wave: Wave, viewer: Any) -> Concentration:
    """Responsibility concentration as ``viewer`` may see it.

    A department head gets the rows of their subtree (plus the organisation's)
    and a verdict about those; the Lorenz curve and Gini, which compare
    departments across the organisation, are left out of a scoped view.
    """
    scope = scope_of(viewer)
    full = full_concentration(wave)
    scoped = scoped_rows(full, scope)
    if scoped is not full:
        return scoped_concentration(scoped)
    return with_verdict_text(full)


REPORTS = {"heatmap": heatmap, "concentration": concentration}


def report(kind: str, wave: Wave, viewer: Any) -> Any:
    """Any wave report by name (``manage.py report`` and the API use this)."""
    return REPORTS[kind](wave, viewer)


def _wave_report(kind: str, build):
    """A wave report: built once for the whole organisation, cached, then scoped."""

    def full(wave: Wave):
        return _cached(wave, kind, lambda: build(wave))

    def scoped(wave: Wave, viewer: Any):
        scope = scope_of(viewer)
        return scoped_rows(full(wave), scope)

    return full, scoped


def _build_reliability(wave: Wave):
    return build_reliability(load_wave(wave), full_heatmap(wave))


def _build_comments(wave: Wave):
    return build_comments(load_wave(wave), wave)


def _build_rates(wave: Wave):
    return build_rates(load_wave(wave), is_open=wave.is_open)


full_reliability, reliability = _wave_report("reliability", _build_reliability)
full_comments, comments = _wave_report("comments", _build_comments)
full_response_rates, response_rates = _wave_report("response_rates", _build_rates)


def trends(survey, viewer: Any, construct: str | None = None):
    """Each department's results wave by wave for one survey (oldest first),
    from the waves' own suppressed heatmaps, with organisation events."""
    scope = scope_of(viewer)
    waves = list(Wave.objects.frozen().filter(survey=survey).order_by("opens_at"))
    report = build_trends(survey, waves, [full_heatmap(w) for w in waves], construct)
    return scoped_rows(report, scope)


REPORTS.update(
    reliability=reliability,
    comments=comments,
    response_rates=response_rates,
)
