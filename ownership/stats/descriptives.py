"""Grouped descriptive statistics: per-group item means, SDs and counts.

Vectorised over groups and items: per-group sums are one sparse product of a
group-indicator matrix (built from the sorted group index) with the answers,
so there is no Python loop over respondents, groups or items. Missing answers
(``np.nan``) are ignored item by item.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from ._common import GroupIndex, as_float_array, as_groups, snap_variance

__all__ = ["GroupMeans", "group_means", "scale_scores"]


@dataclass(frozen=True, eq=False)
class GroupMeans:
    """Per-group, per-item descriptive statistics.

    Attributes
    ----------
    labels : ndarray
        Sorted unique group labels.
    n : ndarray of int, shape (groups, items)
        Answers per group and item (missing answers not counted).
    mean : ndarray of float, shape (groups, items)
        Mean answer; NaN where ``n`` is 0.
    sd : ndarray of float, shape (groups, items)
        Sample standard deviation (ddof = 1); NaN where ``n`` < 2.
    var : ndarray of float, shape (groups, items)
        Sample variance (ddof = 1), ``sd`` squared as computed; NaN where
        ``n`` < 2.
    """

    labels: NDArray
    n: NDArray[np.intp]
    mean: NDArray[np.float64]
    sd: NDArray[np.float64]
    var: NDArray[np.float64]


def _group_index(groups: ArrayLike, n: int, name: str = "groups") -> GroupIndex:
    """:func:`as_groups` with an O(n) path for integer labels (department ids).

    ``np.unique`` sorts the labels, O(n log n); for integers spanning a range
    not much wider than ``n`` a counting pass gives the same sorted labels,
    codes and sizes about ten times faster. Anything else goes to
    :func:`as_groups`, which also does all the validation.
    """
    arr = np.asarray(groups)
    if arr.ndim == 1 and arr.shape[0] == n and n > 0 and arr.dtype.kind in "iu":
        low, high = int(arr.min()), int(arr.max())
        span = high - low + 1
        if span <= 2 * n + 65_536:
            # Differences fit: unsigned ones in their own type, signed ones
            # once widened to 64 bits (int16 0 - (-32768) would overflow).
            wide = arr if arr.dtype.kind == "u" else arr.astype(np.int64, copy=False)
            shifted = (wide - wide.dtype.type(low)).astype(np.intp, copy=False)
            counts = np.bincount(shifted, minlength=span)
            seen = np.flatnonzero(counts)
            lookup = np.empty(span, dtype=np.intp)
            lookup[seen] = np.arange(seen.size)
            labels = (seen + low).astype(arr.dtype)
            return GroupIndex(labels, lookup[shifted], counts[seen])
    return as_groups(groups, n, name)


def _indicator(codes: NDArray[np.intp], n_groups: int) -> sparse.csr_array:
    """The (groups x respondents) 0/1 matrix with a 1 at ``(codes[i], i)``."""
    n = codes.shape[0]
    # A stable sort of 16-bit keys is a radix sort in numpy: O(n).
    keys = codes.astype(np.uint16) if n_groups <= 65_536 else codes
    order = np.argsort(keys, kind="stable")
    indptr = np.zeros(n_groups + 1, dtype=np.intp)
    np.cumsum(np.bincount(codes, minlength=n_groups), out=indptr[1:])
    return sparse.csr_array((np.ones(n), order, indptr), shape=(n_groups, n))


def _grouped_moments(
    codes: NDArray[np.intp], x: NDArray[np.float64], n_groups: int
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """Count, mean and unbiased variance of each column of 2-D ``x`` per group.

    NaN cells are left out column by column. The variance is computed in two
    passes (deviations from the group mean), so it stays exact for data with
    a large offset, and a variance that is rounding noise is exactly 0. Where
    a group has no answer the mean is NaN; where it has fewer than two the
    variance is NaN.
    """
    ind = _indicator(codes, n_groups)
    present = ~np.isnan(x)
    complete = bool(present.all())
    if complete:
        sizes = np.bincount(codes, minlength=n_groups)
        n = np.repeat(sizes[:, None], x.shape[1], axis=1)
        x0 = x
    else:
        mask = present.astype(np.float64)
        n = np.rint(ind @ mask).astype(np.intp)
        x0 = np.where(present, x, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (ind @ x0) / n
        dev = x0 - np.take(mean, codes, axis=0)
        if not complete:
            dev *= mask  # missing cells held -mean; zero them
        np.square(dev, out=dev)
        var = (ind @ dev) / (n - 1.0)
    var[n < 2] = np.nan
    # Constant non-integer answers leave ~1e-32 instead of 0 (see
    # snap_variance): agreement is then exactly 1, an SD exactly 0.
    return n, mean, snap_variance(var, mean, n)


def group_means(items: ArrayLike, groups: ArrayLike) -> GroupMeans:
    r"""Mean, standard deviation and count of every item in every group.

    Parameters
    ----------
    items : array_like, shape (respondents, items) or (respondents,)
        Answers with ``np.nan`` for a missing answer. A 1-D array is one item.
    groups : array_like, shape (respondents,)
        Group label of each respondent.

    Returns
    -------
    GroupMeans
        ``labels``, and ``n``, ``mean`` and ``sd`` of shape (groups, items).

    Raises
    ------
    ValueError
        If ``items`` is not 1-D or 2-D numeric or holds an infinite value, or
        if ``groups`` does not match it.

    Notes
    -----
    For group :math:`g` and item :math:`j`, over the :math:`n_{gj}` respondents
    who answered,

    .. math::

        \bar x_{gj} = \frac{1}{n_{gj}} \sum_i x_{ij}, \qquad
        s_{gj} = \sqrt{\frac{1}{n_{gj} - 1} \sum_i (x_{ij} - \bar x_{gj})^2},

    computed in two passes (deviations from the group mean) for accuracy.

    Reference implementation: ``df.groupby(groups).agg(["count", "mean",
    "std"])`` in pandas, or ``psych::describeBy``.

    References
    ----------
    .. [1] Chan, T. F., Golub, G. H., & LeVeque, R. J. (1983). Algorithms for
       computing the sample variance: Analysis and recommendations. *The
       American Statistician*, 37(3), 242-247.

    Examples
    --------
    >>> import numpy as np
    >>> from ownership.stats.descriptives import group_means
    >>> x = np.array([[4, 5], [2, np.nan], [5, 3], [5, 4]])
    >>> res = group_means(x, ["a", "a", "b", "b"])
    >>> res.n.tolist(), res.mean.tolist()
    ([[2, 1], [2, 2]], [[3.0, 5.0], [5.0, 3.5]])
    >>> res.sd.round(4).tolist()
    [[1.4142, nan], [0.0, 0.7071]]
    """
    x = as_float_array(items, "items", ndim=(1, 2))
    if x.ndim == 1:
        x = x[:, None]
    index = _group_index(groups, x.shape[0])
    n, mean, var = _grouped_moments(index.codes, x, index.labels.size)
    return GroupMeans(index.labels, n, mean, np.sqrt(var), var)


def scale_scores(items: ArrayLike, min_items: int | None = None) -> NDArray[np.float64]:
    r"""Each respondent's mean over the answered items of a scale.

    Parameters
    ----------
    items : array_like, shape (respondents, items)
        Answers with ``np.nan`` for a missing answer, already reverse-keyed.
    min_items : int, optional
        Fewest answered items for a score; by default all items (listwise), as
        the reference values for ICC(1) and ICC(2) use.

    Returns
    -------
    ndarray of float, shape (respondents,)
        Row means; NaN where fewer than ``min_items`` items were answered.

    Raises
    ------
    ValueError
        If ``items`` is not 2-D numeric or holds an infinite value, or if
        ``min_items`` is not an integer between 1 and the number of items.

    Notes
    -----
    .. math::

        s_i = \frac{1}{m_i} \sum_{j \in A_i} x_{ij},

    where :math:`A_i` is the set of items respondent :math:`i` answered and
    :math:`m_i = |A_i| \ge` ``min_items``. Person-mean scoring over available
    items is the usual prorating rule (Schafer & Graham 2002).

    References
    ----------
    .. [1] Schafer, J. L., & Graham, J. W. (2002). Missing data: Our view of the
       state of the art. *Psychological Methods*, 7(2), 147-177.

    Examples
    --------
    >>> import numpy as np
    >>> from ownership.stats.descriptives import scale_scores
    >>> x = np.array([[4, 5, 3], [2, np.nan, 4]])
    >>> scale_scores(x).tolist()
    [4.0, nan]
    >>> scale_scores(x, min_items=2).tolist()
    [4.0, 3.0]
    """
    # A column slice of a wider table is strided: copy it once, then check.
    x = as_float_array(items, "items", ndim=2, contiguous=True)
    k = x.shape[1]
    if k < 1:
        raise ValueError("items must have at least 1 column, got 0")
    if min_items is None:
        min_items = k
    if isinstance(min_items, bool) or not isinstance(min_items, (int, np.integer)):
        raise ValueError(f"min_items must be an integer, got {min_items!r}")
    if not 1 <= min_items <= k:
        raise ValueError(f"min_items must lie between 1 and {k}, got {min_items}")
    ones = np.ones(k)
    # Row sums as matrix-vector products: far faster than reductions over
    # short rows. Counts of small integers are exact in floating point.
    if min_items == k:
        # Listwise: a missing answer (NaN) makes the row's sum NaN by itself.
        return (x @ ones) / k
    present = ~np.isnan(x)
    answered = present.astype(np.float64) @ ones
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(present, x, 0.0) @ ones / answered
    out[answered < min_items] = np.nan
    return out
