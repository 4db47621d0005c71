"""Response rates per department: invitations issued and answered, counts only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .decisions import Disclosure
from .loading import WaveData
from .reports import DepartmentRef, Published


@dataclass(frozen=True)
class RateRow:
    department: DepartmentRef
    invited: int | None
    responded: int | None
    rate: float | None
    suppressed: bool  # "fewer than k" responded


@dataclass(frozen=True)
class ResponseRates(Published):
    wave_id: int
    wave_label: str
    min_group_size: int
    is_open: bool
    rows: tuple[RateRow, ...]


def build_rates(
    data: WaveData, disclosure: Disclosure, *, is_open: bool
) -> ResponseRates:
    rows, nodes = data.expand()
    responded = np.bincount(nodes, minlength=len(data.nodes)).astype(np.int64)
    hidden = disclosure.rows
    out = []
    for i, node in enumerate(data.nodes):
        ref = DepartmentRef(node.code, node.name, node.parent_code, node.depth)
        invited = int(data.invited[i])
        if hidden[i]:
            out.append(RateRow(ref, None, None, None, True))
            continue
        rate = responded[i] / invited if invited else None
        out.append(RateRow(ref, invited, int(responded[i]), rate, False))
    return ResponseRates(
        wave_id=data.wave_id,
        wave_label=data.label,
        min_group_size=data.k,
        is_open=is_open,
        rows=tuple(out),
    )
