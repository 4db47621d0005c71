"""The report objects every view, export and API renders.

Plain frozen dataclasses: no Django objects inside, and no number in them has
escaped disclosure control (a suppressed value is ``None``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any


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


@dataclass(frozen=True)
class HeatmapRow:
    department: DepartmentRef
    n: int | None
    suppressed: bool
    cells: tuple[HeatmapCell, ...]


@dataclass(frozen=True)
class Heatmap:
    wave_id: int
    wave_label: str
    min_group_size: int
    previous_wave_id: int | None
    columns: tuple[HeatmapColumn, ...]
    rows: tuple[HeatmapRow, ...]
    practical_minimum: dict[str, float]
    alpha: float


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
    if hasattr(report, "item"):  # numpy scalars
        return to_data(report.item())
    return report
