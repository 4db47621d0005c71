"""Within-group agreement and group-mean reliability: rwg, rwg(j)
(:mod:`.rwg`), ICC(1), ICC(2) and the reliability of a mean (:mod:`.icc`).

Every function works on all groups at once through a sorted group index, with
``np.bincount`` or one sparse group-indicator product; there is no Python loop
over respondents or groups.
"""

from __future__ import annotations

from .icc import ICC, icc, icc1, icc2, reliability_of_mean
from .rwg import GroupValues, rwg, rwg_j

__all__ = [
    "ICC",
    "GroupValues",
    "icc",
    "icc1",
    "icc2",
    "reliability_of_mean",
    "rwg",
    "rwg_j",
]
