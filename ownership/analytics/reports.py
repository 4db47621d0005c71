"""The report objects every view, export and API renders.

Plain frozen dataclasses: no Django objects inside, and no number in them has
escaped disclosure control (a suppressed value is ``None``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import types
import typing
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Published:
    """Where a report's figures come from: every report carries it."""

    release: int | None = None  # the release's sequence number within its wave
    provisional: bool = False  # True for an interim release of an open wave
    released_on: dt.date | None = None


@dataclass(frozen=True)
class DepartmentRef:
    code: str | None  # None for the organisation
    name: str
    parent_code: str | None
    depth: int


@dataclass(frozen=True)
class HeatmapColumn:
    key: str  # construct slug, "nps" or "response_rate"
    label: str
    kind: str  # "construct", "nps" or "response_rate"
    favourable_when: str | None = None
    labels: dict[str, str] | None = None  # by language, for constructs


@dataclass(frozen=True)
class HeatmapCell:
    construct: str
    n: int | None
    mean: float | None
    favourable: float | None
    favourable_low: float | None
    favourable_high: float | None
    delta: float | None
    significant: bool
    suppressed: bool
    # Shown instead of an exact 0 % or 100 % in a small group: (low, high).
    favourable_band: tuple[float, float] | None = None
    delta_low: float | None = None
    delta_high: float | None = None
    p_value: float | None = None
    q_value: float | None = None
    change: float | None = None
    rwg_j: float | None = None
    reliability: float | None = None
    # The change since the previous wave in the figure the page shows: the
    # favourable share (constructs) or NPS points, with its 95 % interval and
    # BH-adjusted p-value over the report's visible changes.
    # 95 % interval of 'mean' where one is published (NPS: Rocks' adjusted Wald).
    mean_low: float | None = None
    mean_high: float | None = None
    change_favourable: float | None = None
    change_low: float | None = None
    change_high: float | None = None
    change_q: float | None = None
    change_significant: bool = False


@dataclass(frozen=True)
class HeatmapRow:
    department: DepartmentRef
    n: int | None
    suppressed: bool
    cells: tuple[HeatmapCell, ...]


@dataclass(frozen=True)
class Heatmap(Published):
    wave_id: int
    wave_label: str
    min_group_size: int
    previous_wave_id: int | None
    columns: tuple[HeatmapColumn, ...]
    rows: tuple[HeatmapRow, ...]
    practical_minimum: dict[str, float]
    alpha: float


# --------------------------------------------------------------------------
# Responsibility concentration


@dataclass(frozen=True)
class LocusRef:
    """A locus of ownership offered by the wave (a column of the report)."""

    slug: str
    label: str  # in the survey's source language
    kind: str  # "designated", "distributed" or "other"
    labels: dict[str, str] | None = None  # by language


@dataclass(frozen=True)
class LocusShare:
    """A department's mean share of the points for one locus (0..1)."""

    locus: str
    label: str
    kind: str
    mean_share: float | None


@dataclass(frozen=True)
class OwnerShare:
    """Share of a department's respondents naming this locus the primary owner
    (shown for groups of at least the comment threshold). ``band`` stays
    null: a share that would need one is withheld instead."""

    locus: str
    share: float | None
    band: tuple[float, float] | None = None


@dataclass(frozen=True)
class ConcentrationRow:
    department: DepartmentRef
    n: int | None  # respondents in the subtree; None when suppressed
    suppressed: bool
    # Respondents who answered the allocation question, and whether those
    # figures had to be hidden (complementary suppression runs per column).
    n_allocation: int | None
    allocation_suppressed: bool
    shares: tuple[LocusShare, ...]
    designated_share: float | None
    designated_low: float | None
    designated_high: float | None
    distributed_share: float | None
    distributed_low: float | None
    distributed_high: float | None
    mean_hhi: float | None
    hhi_of_mean: float | None
    n_primary_owner: int | None
    primary_owner_suppressed: bool
    primary_owner: tuple[OwnerShare, ...]
    # Before/after the latest "CCO appointed" event: the baseline wave against
    # this one. All None when there is no comparison or either side is hidden.
    n_before: int | None = None
    n_after: int | None = None
    before_designated: float | None = None
    after_designated: float | None = None
    p_value: float | None = None
    q_value: float | None = None
    method: str | None = None  # "hotelling" or "permutation"
    significant: bool = False
    # A group below the comment threshold where all or all but one gave some
    # locus nothing (or everything): n is shown, the allocation figures not.
    allocation_withheld: bool = False
    # Primary-owner shares are shown for groups of at least the comment
    # threshold only; True where n_primary_owner is shown without them.
    primary_owner_withheld: bool = False
    # The interval of the (bias-corrected) HHI of the mean composition, and
    # its effective number of loci, 1 / hhi_of_mean. None in releases made
    # before they were reported.
    hhi_of_mean_low: float | None = None
    hhi_of_mean_high: float | None = None
    effective_number: float | None = None


@dataclass(frozen=True)
class LorenzPoints:
    """Lorenz curve of the ownership scores of departments, poorest first."""

    population: tuple[float, ...]
    share: tuple[float, ...]


@dataclass(frozen=True)
class EventRef:
    title: str
    date: str  # ISO 8601


@dataclass(frozen=True)
class Verdict:
    """The report's conclusion, as numbers and as a sentence or three.

    ``text`` is rendered from the other fields in the active language
    (:func:`ownership.analytics.concentration.verdict_text`).
    """

    text: str
    level: int  # tree depth of the departments counted
    departments: int  # visible departments at that level
    hidden: int  # departments at that level too small to show
    concentrated: tuple[DepartmentRef, ...]
    above_share: int  # designated share above the threshold, whatever the CI
    share_threshold: float
    lower_threshold: float
    # The department with the highest designated share (for "spread").
    highest: DepartmentRef | None
    highest_share: float | None
    highest_low: float | None
    highest_high: float | None
    organisation_share: float | None
    organisation_low: float | None
    organisation_high: float | None
    # "no_event", "before_event", "no_baseline" or "compared".
    comparison: str
    event: EventRef | None
    compared: int  # departments with a before/after test
    significant_moves: int
    alpha: float
    move: DepartmentRef | None  # the biggest significant change
    move_before: float | None
    move_after: float | None
    move_p: float | None
    move_q: float | None
    allocation_asked: bool = True  # False: the wave had no allocation question


@dataclass(frozen=True)
class Concentration(Published):
    wave_id: int
    wave_label: str
    min_group_size: int
    loci: tuple[LocusRef, ...]  # allocation loci, the columns of ``shares``
    owner_loci: tuple[LocusRef, ...]  # loci of the primary-owner question
    rows: tuple[ConcentrationRow, ...]
    # Ownership score (distributed share) of the visible departments at
    # ``level``; None with fewer than two of them, or in a scoped view.
    level: int
    lorenz: LorenzPoints | None
    gini: float | None
    event: EventRef | None
    baseline_wave_id: int | None
    baseline_wave_label: str | None
    confidence: float
    bootstrap_method: str  # "none" since the intervals are analytic
    bootstrap_resamples: int
    verdict: Verdict
    # How the intervals were computed ("beta": Korn-Graubard for the mean
    # shares, "jackknife-t" for the HHI); None in releases made before, whose
    # share intervals were bootstrap_method's.
    share_interval_method: str | None = None
    hhi_interval_method: str | None = None


def to_data(report: Any) -> Any:
    """A report as JSON-ready data: dataclasses to dicts, NaN to ``None``."""
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        return {
            f.name: to_data(getattr(report, f.name)) for f in dataclasses.fields(report)
        }
    if isinstance(report, dict):
        return {str(k): to_data(v) for k, v in report.items()}
    if isinstance(report, (list, tuple)):
        return [to_data(v) for v in report]
    if isinstance(report, float):
        return None if math.isnan(report) or math.isinf(report) else report
    if isinstance(report, (dt.date, dt.datetime)):
        return report.isoformat()
    if hasattr(report, "item"):  # numpy scalars
        return to_data(report.item())
    return report


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(kind: Any, data: Any) -> Any:
    """The inverse of :func:`to_data` for a report type: JSON-ready data back
    into frozen dataclasses, tuples, dates and floats, guided by type hints."""
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return from_data(options[0], data) if len(options) == 1 else data
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(
            **{
                f.name: from_data(hints[f.name], data[f.name])
                for f in dataclasses.fields(kind)
                if f.name in data
            }
        )
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(args[0], v) for v in data)
        return tuple(from_data(a, v) for a, v in zip(args, data, strict=True))
    if origin is dict:
        _key, value = typing.get_args(kind)
        return {k: from_data(value, v) for k, v in data.items()}
    if kind is float:
        return float(data)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if kind is dt.date:
        return dt.date.fromisoformat(data)
    return data
