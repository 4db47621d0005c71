"""Shared validation and group indexing for :mod:`ownership.stats`.

Private to the package: public functions validate their own arguments through
these helpers so that every error names the argument at fault.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Rounding: a quantity computed by adding or cancelling about n terms of
# magnitude up to ``scale`` is off by at most about n * eps * scale (Higham
# 2002, sec. 4.2); the factor 16 leaves room for the few operations on top.
_ROUNDING = 16.0 * np.finfo(np.float64).eps


def is_rounding_zero(
    value: ArrayLike, scale: ArrayLike, n: ArrayLike = 1
) -> NDArray[np.bool_]:
    r"""Where ``value`` is zero up to the rounding of its computation.

    The one tolerance of the library, used wherever a variance, a mean square,
    a sum of squares or a sum of covariances decides between a defined and an
    undefined statistic:

    .. math::

        |v| \le 16\, \max(n, 1)\, \varepsilon\, |s| ,

    with :math:`\varepsilon` the float64 machine epsilon and ``value``
    :math:`v` computed by adding or cancelling about ``n`` terms of magnitude
    up to ``scale`` :math:`s`. A spread is judged in the units of the data
    (:func:`snap_variance`): the standard deviation of ``n`` values is zero
    when it is below the rounding error of their mean,
    :math:`16 n \varepsilon |\bar x|`. Constant non-integer answers (0.7,
    11/3) give variances of order :math:`10^{-32}` instead of 0; the spread of
    real survey answers (steps of at least 1/n on a 1..A scale) lies many
    orders of magnitude above the threshold even at ``n = 10**6``, and a
    spread of 1 around an offset of :math:`10^9` is kept.

    References
    ----------
    .. [1] Higham, N. J. (2002). *Accuracy and Stability of Numerical
       Algorithms* (2nd ed.), sec. 1.9 and 4.2. Philadelphia: SIAM.
    """
    v = np.abs(np.asarray(value, dtype=np.float64))
    with np.errstate(invalid="ignore"):
        return v <= _ROUNDING * np.maximum(n, 1) * np.abs(scale)


def snap_zero(
    value: ArrayLike, scale: ArrayLike, n: ArrayLike = 1
) -> NDArray[np.float64]:
    """``value`` with an exact 0 where :func:`is_rounding_zero` holds (NaN kept)."""
    v = np.asarray(value, dtype=np.float64)
    return np.where(is_rounding_zero(v, scale, n), 0.0, v)


def snap_variance(var: ArrayLike, mean: ArrayLike, n: ArrayLike) -> NDArray[np.float64]:
    """A variance of ``n`` values with mean ``mean``, with an exact 0 where
    its square root is below the rounding error of the mean."""
    v = np.asarray(var, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        spread = np.sqrt(np.abs(v))
    return np.where(is_rounding_zero(spread, mean, n), 0.0, v)


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
