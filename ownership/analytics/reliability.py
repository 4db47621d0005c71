"""Reliability and agreement: the evidence that department averages mean something.

Alpha and omega say whether a construct's items measure one thing; ICC(1) and
ICC(2) whether departments differ enough for their means to be worth reading;
rwg(j) whether the people of one department agree with each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ownership.stats.agreement import icc
from ownership.stats.reliability import cronbach_alpha, omega_total

from .decisions import Disclosure, construct_column, construct_scores, shown_groups
from .heatmap import _num
from .loading import WaveData
from .reports import DepartmentRef, Heatmap, Published

# LeBreton & Senter (2008), table 3.
RWG_BANDS = (
    (0.30, "lack of agreement"),
    (0.50, "weak agreement"),
    (0.70, "moderate agreement"),
    (0.90, "strong agreement"),
    (1.00, "very strong agreement"),
)


def rwg_band(value: float | None) -> str | None:
    if value is None:
        return None
    for upper, label in RWG_BANDS:
        if value <= upper + 1e-12:
            return label
    return RWG_BANDS[-1][1]


@dataclass(frozen=True)
class ItemReliability:
    item: str
    text: str
    reverse_keyed: bool
    r_drop: float | None
    alpha_if_dropped: float | None
    lowers_alpha: bool  # alpha would rise without it


@dataclass(frozen=True)
class ConstructReliability:
    construct: str
    label: str
    n: int
    n_items: int
    alpha: float | None
    standardized_alpha: float | None
    average_r: float | None
    alpha_low: float | None
    alpha_high: float | None
    omega: float | None
    icc1: float | None
    icc2: float | None
    items: tuple[ItemReliability, ...]


@dataclass(frozen=True)
class AgreementCell:
    construct: str
    rwg_j: float | None
    band: str | None
    suppressed: bool


@dataclass(frozen=True)
class AgreementRow:
    department: DepartmentRef
    cells: tuple[AgreementCell, ...]


@dataclass(frozen=True)
class Reliability(Published):
    wave_id: int
    wave_label: str
    min_group_size: int
    n: int | None
    suppressed: bool
    constructs: tuple[ConstructReliability, ...]
    rows: tuple[AgreementRow, ...]


def _construct(data: WaveData, disclosure: Disclosure, key: str, texts):
    """One construct's reliability over the whole organisation, or ``None``
    when fewer than the minimum group size answered it."""
    source = data.snapshot.get("source_language", "en")
    columns = [j for j, item in enumerate(data.items) if item.construct == key]
    scores, values, _ = construct_scores(data, key)
    answered = ~np.isnan(values).all(axis=1)
    if answered.sum() < data.k:
        return None
    items = values[answered]
    if len(columns) >= 2:
        alpha = cronbach_alpha(items)
        omega = omega_total(items) if len(columns) >= 3 else math.nan
    else:
        alpha = None
        omega = math.nan
    shown = shown_groups(data, disclosure.column(construct_column(key)))
    valid = ~np.isnan(scores) & (shown >= 0)
    groups = shown[valid]
    several = len(np.unique(groups)) > 1
    # ICC(1) and ICC(2) come from one one-way ANOVA.
    anova = icc(scores[valid], groups) if several else None
    item_rows = tuple(
        ItemReliability(
            item=data.items[j].item,
            text=texts.get(data.items[j].question, ""),
            reverse_keyed=data.items[j].reverse_keyed,
            r_drop=_num(alpha.r_drop[i]) if alpha else None,
            alpha_if_dropped=_num(alpha.alpha_if_dropped[i]) if alpha else None,
            lowers_alpha=bool(
                alpha is not None
                and not math.isnan(alpha.alpha_if_dropped[i])
                and alpha.alpha_if_dropped[i] > alpha.raw
            ),
        )
        for i, j in enumerate(columns)
    )
    return ConstructReliability(
        construct=key,
        label=data.constructs.get(key, {}).get("name", {}).get(source, key),
        n=int(answered.sum()),
        n_items=len(columns),
        alpha=_num(alpha.raw) if alpha else None,
        standardized_alpha=_num(alpha.standardized) if alpha else None,
        average_r=_num(alpha.average_r) if alpha else None,
        alpha_low=_num(alpha.ci_low) if alpha else None,
        alpha_high=_num(alpha.ci_high) if alpha else None,
        omega=_num(omega),
        icc1=_num(anova.icc1) if anova else None,
        icc2=_num(anova.icc2) if anova else None,
        items=item_rows,
    )


def build_reliability(
    data: WaveData, heatmap: Heatmap, disclosure: Disclosure
) -> Reliability:
    """Organisation-wide reliability per construct, and rwg(j) per department
    taken from the (already suppressed) heatmap. ICC(1) and ICC(2) group
    people by the departments the release shows (each respondent in the
    nearest one), so a hidden department moves no published figure."""
    n = data.n_responses
    source = data.snapshot.get("source_language", "en")
    texts = {
        q["id"]: q["text"][source]
        for q in data.snapshot["questions"]
        if q["type"] == "likert"
    }
    suppressed = n < data.k
    construct_keys = list(dict.fromkeys(item.construct for item in data.items))
    built = (
        []
        if suppressed
        else [_construct(data, disclosure, key, texts) for key in construct_keys]
    )
    constructs = [c for c in built if c is not None]
    kinds = {c.key: c.kind for c in heatmap.columns}
    rows = tuple(
        AgreementRow(
            department=row.department,
            cells=tuple(
                AgreementCell(c.construct, c.rwg_j, rwg_band(c.rwg_j), c.suppressed)
                for c in row.cells
                if kinds[c.construct] == "construct"
            ),
        )
        for row in heatmap.rows
    )
    return Reliability(
        wave_id=data.wave_id,
        wave_label=data.label,
        min_group_size=data.k,
        n=None if suppressed else n,
        suppressed=suppressed,
        constructs=tuple(constructs),
        rows=rows,
    )
