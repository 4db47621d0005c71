"""The results home: what HR and department heads see first after signing in.

Read from releases only, like every results page: the participation of an
open wave is that of its latest interim release, never a live count (a count
that ticks up as someone says "I just answered" tells who answered).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ownership import analytics
from ownership.analytics.drivers import driver_sentence, outcome_label
from ownership.charts import construct_label
from ownership.permissions import ResultsScope, results_scope
from ownership.presentation import number, points
from surveys.models import Commitment, CommitmentStatus, Wave

MAX_CHANGES = 6
#: Commitments due within this many days (or overdue) are listed.
COMMITMENTS_AHEAD = dt.timedelta(days=14)
MAX_COMMITMENTS = 8
MAX_THEMES = 3


@dataclass(frozen=True)
class OpenWave:
    wave: Wave
    department: str  # the part of the organisation the figures cover
    invited: int | None
    responded: int | None
    rate: float | None
    released_on: dt.date | None  # None: no release yet
    waiting: str  # why there is no figure yet


@dataclass(frozen=True)
class Change:
    department: str
    code: str | None
    theme: str
    text: str  # "+12 pts", "-15" (NPS)
    better: bool


@dataclass(frozen=True)
class CommitmentDue:
    commitment: Commitment
    text: str  # in the viewer's language
    overdue: bool


@dataclass(frozen=True)
class Home:
    open_waves: list[OpenWave]
    latest: Wave | None  # the latest closed wave with a final release
    verdict: str
    previous_label: str | None
    changes: list[Change]
    commitments: list[CommitmentDue]
    # No commitment in the viewer's departments answers the latest results yet.
    record_commitments: bool
    # What to work on first, from the latest final release's key drivers.
    drivers: str = ""
    drivers_for: str = ""  # the part of the organisation it speaks for
    # The latest final release's largest comment themes: (label, count).
    themes: tuple[tuple[str, int], ...] = ()


def _whole(rows) -> Any:
    """The widest row of a scoped report: the organisation, else the top of
    the viewer's subtree."""
    return min(rows, key=lambda r: r.department.depth) if rows else None


def _open_wave(wave: Wave, viewer) -> OpenWave:
    try:
        rates = analytics.response_rates(wave, viewer)
    except analytics.NoRelease as exc:
        return OpenWave(wave, "", None, None, None, None, str(exc))
    row = _whole([r for r in rates.rows if not r.suppressed])
    if row is None:
        return OpenWave(
            wave,
            "",
            None,
            None,
            None,
            rates.released_on,
            _("Fewer than %(k)d respondents so far.") % {"k": rates.min_group_size},
        )
    name = row.department.name if row.department.code else _("Whole organisation")
    return OpenWave(
        wave, name, row.invited, row.responded, row.rate, rates.released_on, ""
    )


def _changes(report) -> list[Change]:
    labels = {c.key: c.label for c in report.columns}
    found: list[tuple[float, Change]] = []
    for row in report.rows:
        d = row.department
        for cell in row.cells:
            value = cell.change_favourable
            if not cell.change_significant or value is None:
                continue
            nps = cell.construct == "nps"
            change = Change(
                d.name if d.code else _("Whole organisation"),
                d.code,
                labels.get(cell.construct) or construct_label(cell.construct),
                number(value, 0, True) if nps else points(value),
                value > 0,
            )
            # NPS points and share points on one scale: the largest first.
            found.append((abs(value) / (100 if nps else 1), change))
    found.sort(key=lambda pair: -pair[0])
    return [change for _size, change in found[:MAX_CHANGES]]


def _commitments(scope, today: dt.date) -> list[CommitmentDue]:
    """Open commitments of the viewer's departments due soon or overdue,
    the earliest first."""
    due = (
        Commitment.objects.within(scope)
        .filter(
            status__in=[CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS],
            due_on__lte=today + COMMITMENTS_AHEAD,
        )
        .select_related("department")
        .order_by("due_on", "pk")[:MAX_COMMITMENTS]
    )
    language = translation.get_language() or ""
    return [CommitmentDue(c, c.text(language[:2]), c.due_on < today) for c in due]


def _drivers(wave: Wave, viewer) -> tuple[str, str]:
    """The key-driver sentence of the first outcome for the widest group the
    viewer may see, and that group's name; empty when there is none."""
    try:
        report = analytics.report("drivers", wave, viewer)
    except analytics.NoRelease:
        return "", ""
    if not report.outcomes:
        return "", ""
    outcome = report.outcomes[0]
    row = _whole([r for r in report.rows if r.outcome == outcome.key])
    if row is None:
        return "", ""
    language = translation.get_language() or ""
    label = outcome_label(outcome, language[:2])
    name = row.department.name if row.department.code else _("Whole organisation")
    return driver_sentence(row, label, report.construct_names), name


def _themes(wave: Wave, viewer) -> tuple[tuple[str, int], ...]:
    try:
        report = analytics.report("themes", wave, viewer)
    except analytics.NoRelease:
        return ()
    language = (translation.get_language() or "")[:2]
    return tuple(
        (t.labels.get(language) or t.label, t.count) for t in report.themes[:MAX_THEMES]
    )


def home(viewer, *, now: dt.datetime | None = None) -> Home:
    """The results home for ``viewer`` (who must have a results scope)."""
    now = now or timezone.now()
    waves = Wave.objects.frozen().select_related("survey")
    open_waves = [_open_wave(w, viewer) for w in waves.open(now).order_by("closes_at")]
    latest, verdict, previous_label, changes = None, "", None, []
    drivers: tuple[str, str] = ("", "")
    themes: tuple[tuple[str, int], ...] = ()
    for wave in waves.closed(now).order_by("-closes_at")[:5]:
        try:
            if not analytics.release_for(wave).final:
                continue
            concentration = analytics.concentration(wave, viewer)
            heat = analytics.heatmap(wave, viewer)
        except (analytics.NoRelease, PermissionDenied):
            continue
        latest = wave
        drivers = _drivers(wave, viewer)
        themes = _themes(wave, viewer)
        verdict = concentration.verdict.text if concentration.verdict else ""
        changes = _changes(heat)
        if heat.previous_wave_id is not None:
            previous_label = (
                Wave.objects.filter(pk=heat.previous_wave_id)
                .values_list("label", flat=True)
                .first()
            )
        break
    scope = viewer if isinstance(viewer, ResultsScope) else results_scope(viewer)
    due = _commitments(scope, timezone.localdate(now))
    record = latest is not None and not (
        Commitment.objects.within(scope).filter(wave=latest).exists()
    )
    return Home(
        open_waves,
        latest,
        verdict,
        previous_label,
        changes,
        due,
        record,
        *drivers,
        themes=themes,
    )
