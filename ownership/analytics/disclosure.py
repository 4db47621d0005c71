"""Disclosure control: the one place that decides which numbers may be shown.

Every report passes its group sizes through :func:`suppress`. The rule protects
each group smaller than ``k`` against direct reading *and* against subtraction.

Visible nodes of a tree form a laminar family, so the smallest sets of people an
onlooker can isolate by adding and subtracting published counts or sums are the
*private parts* of the visible nodes: a node minus its nearest visible
descendants. :func:`suppress` makes every private part either empty or at least
``k`` people, hiding more nodes (the smallest first) until that holds.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def nearest_visible_ancestor(
    parent: NDArray[np.intp], depth: NDArray[np.intp], visible: NDArray[np.bool_]
) -> NDArray[np.intp]:
    """For each node and column, its nearest visible proper ancestor (-1: none).

    ``visible`` has shape ``(nodes, columns)``. Computed level by level, so the
    loop runs over tree depth, not over nodes.
    """
    nodes, columns = visible.shape
    nva = np.full((nodes, columns), -1, dtype=np.intp)
    for level in range(1, int(depth.max(initial=0)) + 1):
        at_level = np.flatnonzero(depth == level)
        parents = parent[at_level]
        nva[at_level] = np.where(visible[parents], parents[:, None], nva[parents])
    return nva


def private_parts(
    parent: NDArray[np.intp],
    depth: NDArray[np.intp],
    n: NDArray[np.int64],
    visible: NDArray[np.bool_],
) -> NDArray[np.int64]:
    """How many people each visible node holds beyond its nearest visible
    descendants (0 for hidden nodes)."""
    nodes, columns = n.shape
    nva = nearest_visible_ancestor(parent, depth, visible)
    covered = np.zeros((nodes, columns), dtype=np.int64)
    rows, cols = np.nonzero(visible & (nva >= 0))
    np.add.at(covered, (nva[rows, cols], cols), n[rows, cols])
    return np.where(visible, n - covered, 0)


def suppress(
    parent: ArrayLike,
    n: ArrayLike,
    k: int,
    *,
    hidden: ArrayLike | None = None,
) -> NDArray[np.bool_]:
    """Which cells of a tree-shaped report must be suppressed.

    Parameters
    ----------
    parent : array_like of int, shape (nodes,)
        Index of each node's parent, ``-1`` for the root (the organisation).
        Parents come before their children.
    n : array_like of int, shape (nodes,) or (nodes, columns)
        Respondents behind each cell. A node's count includes its subtree.
    k : int
        Minimum group size; never below 3.
    hidden : array_like of bool, optional
        Cells already suppressed for another reason (for example because their
        whole row is), with the shape of ``n``.

    Returns
    -------
    ndarray of bool
        ``True`` where the cell must not be shown, with the shape of ``n``.

    Notes
    -----
    1. Primary suppression: a cell with ``n < k`` is hidden.
    2. Complementary suppression: for every visible cell, its private part (its
       ``n`` minus the ``n`` of its nearest visible descendants, that is what
       an onlooker gets by subtraction) must be 0 or at least ``k``. While one
       is not, the smallest of that node's nearest visible descendants is
       hidden too (ties: the later node).
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 3:
        raise ValueError(f"k must be an integer of at least 3, got {k!r}")
    parent = np.asarray(parent, dtype=np.intp)
    counts = np.asarray(n, dtype=np.int64)
    one_column = counts.ndim == 1
    counts = counts.reshape(len(parent), -1)
    if (counts < 0).any():
        raise ValueError("n must not be negative")
    depth = _depths(parent)
    visible = counts >= k
    if hidden is not None:
        visible &= ~np.asarray(hidden, dtype=bool).reshape(counts.shape)

    while True:
        private = private_parts(parent, depth, counts, visible)
        bad = visible & (private > 0) & (private < k)
        if not bad.any():
            break
        nva = nearest_visible_ancestor(parent, depth, visible)
        for column in np.flatnonzero(bad.any(axis=0)):
            owners = np.flatnonzero(bad[:, column])
            candidates = np.flatnonzero(
                visible[:, column] & np.isin(nva[:, column], owners)
            )
            # Smallest first; among equals the later node, so that a parent
            # keeps its earlier (usually larger, better known) children.
            order = np.lexsort((-candidates, counts[candidates, column]))
            ranked = candidates[order]
            _, first = np.unique(nva[ranked, column], return_index=True)
            visible[ranked[first], column] = False
    suppressed = ~visible
    return suppressed[:, 0] if one_column else suppressed


def _depths(parent: NDArray[np.intp]) -> NDArray[np.intp]:
    depth = np.zeros(len(parent), dtype=np.intp)
    for i, p in enumerate(parent):
        if p >= i:
            raise ValueError("parents must come before their children")
        depth[i] = depth[p] + 1 if p >= 0 else 0
    return depth
