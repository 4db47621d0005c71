"""Shared validation and group indexing for :mod:`ownership.stats`.

Private to the package: public functions validate their own arguments through
these helpers so that every error names the argument at fault.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray


class GroupIndex(NamedTuple):
    """A sorted group index: ``labels[codes[i]]`` is respondent ``i``'s group."""

    labels: NDArray
    codes: NDArray[np.intp]
    sizes: NDArray[np.intp]


def as_float_array(
    x: ArrayLike,
    name: str,
    *,
    ndim: int | tuple[int, ...],
    allow_nan: bool = True,
    contiguous: bool = False,
    transpose: bool = False,
) -> NDArray[np.float64]:
    """Return ``x`` as a float64 array, or raise ``ValueError`` naming ``name``.

    Infinite values are always rejected; ``NaN`` marks a missing answer and is
    rejected only when ``allow_nan`` is false. With ``contiguous`` the result
    is C-contiguous, and with ``transpose`` it is the C-contiguous transpose
    (for a table of answers: one row per item); either copy is made before
    the checks, so that a column slice of a wider table is read only once.
    """
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    dims = (ndim,) if isinstance(ndim, int) else ndim
    if arr.ndim not in dims:
        wanted = " or ".join(f"{d}-D" for d in dims)
        raise ValueError(f"{name} must be {wanted}, got {arr.ndim}-D")
    if transpose:
        arr = np.ascontiguousarray(arr.T)
    elif contiguous:
        arr = np.ascontiguousarray(arr)
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains infinite values")
    if not allow_nan and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    return arr


def as_groups(groups: ArrayLike, n: int, name: str = "groups") -> GroupIndex:
    """Index a 1-D array of group labels of length ``n``.

    Labels are sorted (``np.unique``), so results do not depend on the order in
    which respondents arrive.
    """
    arr = np.asarray(groups)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got {arr.ndim}-D")
    if arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} labels for {n} respondents")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN labels")
    if arr.dtype.kind in "iu" and n and 0 <= arr.min() and arr.max() <= 4 * n + 1024:
        # Small non-negative integer labels (department indices): a counting
        # pass gives the same result as np.unique without sorting.
        counts = np.bincount(arr)
        present = counts > 0
        rank = np.cumsum(present) - 1
        labels = np.flatnonzero(present).astype(arr.dtype)
        return GroupIndex(labels, rank[arr].astype(np.intp), counts[present])
    try:
        labels, codes, sizes = np.unique(arr, return_inverse=True, return_counts=True)
    except TypeError as exc:
        raise ValueError(f"{name} labels must be mutually comparable: {exc}") from None
    return GroupIndex(labels, codes.reshape(-1), sizes)


def as_n_options(n_options: int, name: str = "n_options") -> int:
    """Validate the number of answer options of a Likert scale (at least 2)."""
    if isinstance(n_options, bool) or not isinstance(n_options, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {n_options!r}")
    if n_options < 2:
        raise ValueError(f"{name} must be at least 2, got {n_options}")
    return int(n_options)
