"""Flat tables of reports, for CSV and XLSX. Same values as the JSON, no more."""

from __future__ import annotations

from typing import Any

from .reports import Heatmap

HEATMAP_HEADER = [
    "department_code",
    "department_name",
    "parent_code",
    "depth",
    "row_n",
    "row_suppressed",
    "construct",
    "n",
    "mean",
    "favourable",
    "favourable_low",
    "favourable_high",
    "favourable_band_low",
    "favourable_band_high",
    "delta",
    "delta_low",
    "delta_high",
    "p_value",
    "q_value",
    "significant",
    "change",
    "rwg_j",
    "reliability",
    "suppressed",
]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def heatmap_rows(report: Heatmap) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for row in report.rows:
        d = row.department
        for c in row.cells:
            band = c.favourable_band or (None, None)
            values = [
                d.code,
                d.name,
                d.parent_code,
                d.depth,
                row.n,
                row.suppressed,
                c.construct,
                c.n,
                c.mean,
                c.favourable,
                c.favourable_low,
                c.favourable_high,
                band[0],
                band[1],
                c.delta,
                c.delta_low,
                c.delta_high,
                c.p_value,
                c.q_value,
                c.significant,
                c.change,
                c.rwg_j,
                c.reliability,
                c.suppressed,
            ]
            rows.append([_cell(v) for v in values])
    return HEATMAP_HEADER, rows


ROW_BUILDERS = {"heatmap": heatmap_rows}


def report_rows(kind: str, report: Any) -> tuple[list[str], list[list[Any]]]:
    return ROW_BUILDERS[kind](report)
