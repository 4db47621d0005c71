"""Trends: each department's results wave by wave, with organisation events.

Read from each wave's latest release (its final one once it has closed), so
every point is a figure that release published, with the same disclosure
control; a department is matched across waves by its code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ownership.models import OrganisationEvent

from .reports import DepartmentRef, Heatmap


@dataclass(frozen=True)
class TrendPoint:
    wave_id: int
    wave_label: str
    opens_at: dt.datetime
    n: int | None
    mean: float | None
    favourable: float | None
    favourable_low: float | None
    favourable_high: float | None
    suppressed: bool
    release: int | None = None  # the release the point was read from
    provisional: bool = False  # from an interim release of an open wave


@dataclass(frozen=True)
class TrendSeries:
    department: DepartmentRef
    construct: str
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class TrendEvent:
    date: dt.date
    kind: str
    title: str


@dataclass(frozen=True)
class TrendWave:
    wave_id: int
    label: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    min_group_size: int
    release: int | None = None
    provisional: bool = False


@dataclass(frozen=True)
class Trends:
    survey_id: int
    survey_title: str
    construct: str | None
    waves: tuple[TrendWave, ...]
    events: tuple[TrendEvent, ...]
    rows: tuple[TrendSeries, ...]
    # Each column's name in the survey's language, from the latest release.
    construct_labels: dict[str, str] = field(default_factory=dict)


def trend_events(waves) -> tuple[TrendEvent, ...]:
    """The organisation's events from a year before the first wave to the end
    of the last."""
    if not waves:
        return ()
    start, end = waves[0].opens_at.date(), waves[-1].closes_at.date()
    events = OrganisationEvent.objects.filter(
        date__gte=start - dt.timedelta(days=366), date__lte=end
    ).order_by("date")
    return tuple(TrendEvent(e.date, e.kind, e.title) for e in events)


def build_trends(
    survey, releases: list[tuple[Any, Any, Heatmap]], construct: str | None
) -> Trends:
    """Series per (department, column) over ``releases``: (wave, release,
    heatmap) triples, oldest wave first."""
    series: dict[tuple[str | None, str], list[TrendPoint]] = {}
    departments: dict[str | None, DepartmentRef] = {}
    waves = [wave for wave, _release, _report in releases]
    for wave, release, report in releases:
        for row in report.rows:
            departments.setdefault(row.department.code, row.department)
            for cell in row.cells:
                if construct is not None and cell.construct != construct:
                    continue
                series.setdefault((row.department.code, cell.construct), []).append(
                    TrendPoint(
                        wave_id=wave.pk,
                        wave_label=report.wave_label,
                        opens_at=wave.opens_at,
                        n=cell.n,
                        mean=cell.mean,
                        favourable=cell.favourable,
                        favourable_low=cell.favourable_low,
                        favourable_high=cell.favourable_high,
                        suppressed=cell.suppressed,
                        release=release.sequence,
                        provisional=not release.final,
                    )
                )
    return Trends(
        survey_id=survey.pk,
        survey_title=survey.title,
        construct=construct,
        waves=tuple(
            TrendWave(
                w.pk,
                report.wave_label,
                w.opens_at,
                w.closes_at,
                w.min_group_size,
                release=r.sequence,
                provisional=not r.final,
            )
            for w, r, report in releases
        ),
        events=trend_events(waves),
        construct_labels={
            column.key: column.label
            for _wave, _release, report in releases
            for column in report.columns
            if construct is None or column.key == construct
        },
        rows=tuple(
            TrendSeries(departments[code], key, tuple(points))
            for (code, key), points in series.items()
        ),
    )
