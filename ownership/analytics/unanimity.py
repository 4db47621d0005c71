"""Small unanimous groups: no figure may tell that everyone answered alike.

In a group smaller than the comment threshold, a figure that shows that every
member (or every member but one) fell on the same side of a cut-off is
replaced by a band that holds both cases, and the exact figures that would
tell them apart (the mean, its differences and intervals, agreement) are not
published. "Everyone" and "everyone but one" always look the same, so neither
the band nor the missing figures reveal unanimity.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def near_unanimous(count: ArrayLike, n: ArrayLike, below: int) -> NDArray[np.bool_]:
    """Where a group of ``n < below`` has at most one member, or all but at
    most one, among the ``count`` on one side of a cut-off."""
    count = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    return (n > 0) & (n < below) & ((count <= 1) | (count >= n - 1))


def share_band(count: float, n: float) -> tuple[float, float]:
    """The band shown instead of the share ``count / n``: [0, 1/n] for zero or
    one, [(n - 1)/n, 1] for all or all but one."""
    if count <= 1:
        return 0.0, 1.0 / n
    return (n - 1.0) / n, 1.0
