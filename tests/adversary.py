"""An onlooker who knows the tree and every published count, and tries to
recover the size (and so the sum) of any group smaller than k by adding and
subtracting published figures."""

from __future__ import annotations

import numpy as np


def subtree_membership(parent: np.ndarray) -> np.ndarray:
    """``m[i, j]`` is 1 when department ``j``'s own members count in node ``i``."""
    nodes = len(parent)
    m = np.eye(nodes)
    for j in range(nodes):
        p = parent[j]
        while p >= 0:
            m[p, j] = 1.0
            p = parent[p]
    return m


def recoverable_small_groups(
    parent: np.ndarray, own: np.ndarray, published: np.ndarray, k: int
) -> list[tuple[int, ...]]:
    """Groups of 1..k-1 people whose total a linear combination of the
    published node totals gives away.

    Candidates are every department's own members, every subtree and every
    private part of a published node; each is tested for membership in the row
    space of the published nodes (least squares, exact up to rounding).
    """
    m = subtree_membership(parent) * own[None, :]
    visible = m[published]
    candidates = []
    for j in range(len(parent)):
        block = np.zeros(len(parent))
        block[j] = own[j]
        candidates.append(((j,), block))
        candidates.append(((-1, j), m[j]))
    leaks = []
    for label, target in candidates:
        size = target.sum()
        if not 0 < size < k:
            continue
        if not len(visible):
            continue
        coef, *_ = np.linalg.lstsq(visible.T, target, rcond=None)
        if np.allclose(visible.T @ coef, target, atol=1e-8):
            leaks.append(label)
    return leaks
