"""Answer counts per group and item: every per-group Likert figure from one pass.

For answers on a 1..A scale, the number of respondents in a group who chose
each option of an item is a sufficient statistic for the group's item mean,
standard deviation, favourable share and :math:`r_{wg}`. Kept separately for
the respondents who answered every item of the item's construct, the counts
also give :math:`r_{wg(J)}`, which drops incomplete rows. :func:`likert_counts`
builds both tables with a single ``np.bincount`` over the wave, and the methods
of :class:`LikertCounts` compute the figures from the tables, whose size
depends on the number of groups, items and options, not on respondents.

The results equal those of :func:`~ownership.stats.descriptives.group_means`,
:func:`~ownership.stats.inference.favourable_by_group`,
:func:`~ownership.stats.agreement.rwg` and
:func:`~ownership.stats.agreement.rwg_j` called item by item and construct by
construct, to rounding; variances are computed as deviations from the group
mean over the options, so they are as exact as the two-pass formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._common import as_float_array, as_n_options, snap_variance
from .agreement.rwg import GroupValues, _likert, _ranvar
from .descriptives import GroupMeans, _group_index
from .inference._validation import _confidence_iv, _top_iv, _z
from .inference.proportions import FavourableByGroup, _wilson

__all__ = ["LikertCounts", "likert_counts"]


@dataclass(frozen=True, eq=False)
class LikertCounts:
    """Option counts per group and item, with and without incomplete rows.

    Attributes
    ----------
    labels : ndarray
        Sorted unique group labels.
    counts : ndarray of int, shape (groups, items, n_options)
        ``counts[g, j, a]``: respondents of group ``g`` who gave item ``j``
        the answer ``a + 1``. Missing answers are not counted. Read-only,
        as is ``listwise``.
    listwise : ndarray of int, shape (groups, items, n_options)
        The same, counting only respondents who answered every item of item
        ``j``'s construct.
    constructs : ndarray
        Sorted unique construct labels.
    construct_of : ndarray of int, shape (items,)
        Index into ``constructs`` of each item's construct.
    n_options : int
        Number of answer options A.
    """

    labels: NDArray
    counts: NDArray[np.intp]
    listwise: NDArray[np.intp]
    constructs: NDArray
    construct_of: NDArray[np.intp]
    n_options: int

    @cached_property
    def _item_moments(self) -> tuple[NDArray, NDArray, NDArray]:
        return _moments(self.counts)

    def means(self) -> GroupMeans:
        r"""Count, mean and SD of every item in every group.

        Returns
        -------
        GroupMeans
            As :func:`~ownership.stats.descriptives.group_means` on the answers:
            ``n``, ``mean`` (NaN where ``n`` is 0) and ``sd`` (ddof = 1, NaN
            where ``n`` < 2), each of shape (groups, items).

        Notes
        -----
        With :math:`c_a` the count of answer :math:`a` and :math:`n = \sum_a c_a`,

        .. math::

            \bar x = \frac{1}{n} \sum_a a\,c_a, \qquad
            s^2 = \frac{1}{n - 1} \sum_a c_a (a - \bar x)^2.
        """
        n, mean, var = self._item_moments
        return GroupMeans(self.labels, n.copy(), mean.copy(), np.sqrt(var), var.copy())

    def favourable(
        self, *, top: int = 2, confidence: float = 0.95
    ) -> FavourableByGroup:
        """Top-box share of every item in every group, with Wilson intervals.

        Parameters
        ----------
        top : int
            How many of the highest options count as favourable (default 2).
        confidence : float
            Confidence level of the Wilson interval (default 0.95).

        Returns
        -------
        FavourableByGroup
            As :func:`~ownership.stats.inference.favourable_by_group` item by
            item, with arrays of shape (groups, items).

        Raises
        ------
        ValueError
            If ``top`` is not an integer in 1..A-1 or ``confidence`` is not in
            (0, 1).
        """
        t = _top_iv(top, self.n_options)
        z = _z(_confidence_iv(confidence))
        n = self.counts.sum(axis=2)
        k = self.counts[:, :, self.n_options - t :].sum(axis=2)
        kf, nf = k.astype(np.float64), n.astype(np.float64)
        low, high = _wilson(kf, nf, z)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(n > 0, kf / nf, np.nan)
        return FavourableByGroup(self.labels, n, k, share, low, high)

    def rwg(self) -> GroupValues:
        """:func:`~ownership.stats.agreement.rwg` of every item in every group.

        Returns
        -------
        GroupValues
            ``values`` and ``sizes`` of shape (groups, items).
        """
        n, _, var = self._item_moments
        ranvar = _ranvar(self.n_options)
        out = np.where(var > ranvar, 0.0, 1.0 - var / ranvar)
        out[n < 2] = np.nan
        return GroupValues(self.labels, out, n.copy())

    def rwg_j(self) -> GroupValues:
        """:func:`~ownership.stats.agreement.rwg_j` of every construct in every group.

        Returns
        -------
        GroupValues
            ``values`` and ``sizes`` (complete rows) of shape (groups,
            constructs), in the order of ``constructs``.
        """
        n, _, var = _moments(self.listwise)
        n_constructs = self.constructs.size
        members = np.zeros((self.construct_of.size, n_constructs))
        members[np.arange(self.construct_of.size), self.construct_of] = 1.0
        j = members.sum(axis=0)
        # Every item of a construct has the same complete rows: take the first.
        first = np.argmax(members, axis=0)
        sizes = n[:, first]
        # NaN variances (fewer than two rows) must not leak into other
        # constructs through the product; those groups are NaN anyway.
        mean_var = np.where(np.isnan(var), 0.0, var) @ members / j
        ranvar = _ranvar(self.n_options)
        ratio = np.minimum(mean_var, ranvar) / ranvar  # truncated, eq. 6
        with np.errstate(divide="ignore", invalid="ignore"):
            out = j * (1.0 - ratio) / (j * (1.0 - ratio) + ratio)
        out[sizes < 2] = np.nan
        return GroupValues(self.labels, out, sizes)


def _moments(
    counts: NDArray[np.intp],
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """Count, mean and unbiased variance over the last (option) axis."""
    options = np.arange(1, counts.shape[-1] + 1, dtype=np.float64)
    n = counts.sum(axis=-1)
    c = counts.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (c @ options) / n
        dev = options - mean[..., None]
        var = np.einsum("...a,...a->...", c, dev * dev) / (n - 1.0)
    var[n < 2] = np.nan
    return n, mean, snap_variance(var, mean, n)


def _construct_codes(constructs: ArrayLike | None, m: int) -> tuple[NDArray, NDArray]:
    if constructs is None:
        return np.zeros(1, dtype=np.intp), np.zeros(m, dtype=np.intp)
    arr = np.asarray(constructs)
    if arr.ndim != 1 or arr.shape[0] != m:
        raise ValueError(
            f"constructs must be 1-D with one label per item ({m}), got shape "
            f"{arr.shape}"
        )
    try:
        labels, codes = np.unique(arr, return_inverse=True)
    except TypeError as exc:
        raise ValueError(
            f"constructs labels must be mutually comparable: {exc}"
        ) from None
    return labels, codes.reshape(-1).astype(np.intp)


def likert_counts(
    items: ArrayLike,
    groups: ArrayLike,
    n_options: int,
    constructs: ArrayLike | None = None,
) -> LikertCounts:
    r"""Count every answer option per group and item, in one pass.

    Parameters
    ----------
    items : array_like, shape (respondents, items)
        Whole-number answers 1..``n_options`` with ``np.nan`` for a missing
        answer, already reverse-keyed.
    groups : array_like, shape (respondents,)
        Group label of each respondent.
    n_options : int
        Number of answer options A (at least 2).
    constructs : array_like, shape (items,), optional
        Construct label of each item, for :meth:`LikertCounts.rwg_j`; by
        default all items form one construct.

    Returns
    -------
    LikertCounts
        The option counts, over all answers and over complete rows, with
        methods for the per-group figures.

    Raises
    ------
    ValueError
        If ``items`` is not 2-D, holds an infinite value, a fraction or a
        value outside 1..A, if ``groups`` or ``constructs`` does not match it,
        or if ``n_options`` is not an integer of at least 2.

    Notes
    -----
    Respondent :math:`i` in group :math:`g_i` adds one to
    :math:`c_{g_i, j, x_{ij}}` for every answered item :math:`j`, and to
    :math:`c^{L}_{g_i, j, x_{ij}}` as well when they answered every item of
    :math:`j`'s construct. Both tables come from one ``np.bincount`` over
    flat indices, so the work is one pass over the answers whatever the
    number of groups. The figures then follow from the counts (see the
    methods), for example :math:`\bar x_{gj} = \sum_a a\,c_{gja} / \sum_a
    c_{gja}`.

    Reference implementation: the per-item and per-construct functions of
    :mod:`ownership.stats.agreement`, :mod:`ownership.stats.descriptives` and
    :mod:`ownership.stats.inference`, which the results equal to rounding;
    ``multilevel::rwg`` and ``multilevel::rwg.j`` for the agreement indices.

    Examples
    --------
    >>> import numpy as np
    >>> from ownership.stats.likert import likert_counts
    >>> x = np.array([[5, 4], [5, np.nan], [4, 4], [1, 2], [5, 5]])
    >>> res = likert_counts(x, ["a", "a", "a", "b", "b"], n_options=5)
    >>> res.counts[0].tolist()
    [[0, 0, 0, 1, 2], [0, 0, 0, 2, 0]]
    >>> res.means().mean.tolist()
    [[4.666666666666667, 4.0], [3.0, 3.5]]
    >>> res.rwg_j().sizes.tolist()
    [[2], [2]]
    """
    x = as_float_array(items, "items", ndim=2)
    n_rows, m = x.shape
    if m < 1:
        raise ValueError("items must have at least 1 column, got 0")
    index = _group_index(groups, n_rows)
    a = as_n_options(n_options)
    labels, construct_of = _construct_codes(constructs, m)
    _likert(x, a, "items")
    # Bin per cell: answers from complete rows go to 1..A, answers (and the
    # missing cell) of incomplete rows to A+1+0..A; bin 0 stays empty. The
    # bins of one row fit a small integer type, which keeps the pass cheap.
    width = 2 * a + 2
    small = np.int16 if m * width < np.iinfo(np.int16).max else np.int32
    missing = np.isnan(x)
    with np.errstate(invalid="ignore"):  # NaN casts to garbage, reset below
        cell = x.astype(small, order="C")
    gaps = np.flatnonzero(missing)  # flat indices of the missing answers
    cell.ravel()[gaps] = 0  # 0 marks a missing answer
    # NaN differs from everything, so only fractions add to the missing cells.
    if np.count_nonzero(cell != x) > gaps.size:
        raise ValueError("items must hold whole answers (1, 2, ...), got fractions")

    # Rows that miss an item of a construct, from the (few) missing cells.
    gap_rows, gap_cols = np.divmod(gaps, m)
    missing_in = np.zeros((n_rows, labels.size), dtype=bool)
    missing_in[gap_rows, construct_of[gap_cols]] = True
    cell += (missing_in * small(a + 1))[:, construct_of]
    cell += np.arange(m, dtype=small) * small(width)
    flat = cell + (index.codes * (m * width))[:, None]
    n_groups = index.labels.size
    table = np.bincount(flat.ravel(), minlength=n_groups * m * width).reshape(
        n_groups, m, width
    )
    listwise = np.ascontiguousarray(table[:, :, 1 : a + 1])
    counts = listwise + table[:, :, a + 2 :]
    # Read-only: the derived figures are cached on the result.
    counts.flags.writeable = False
    listwise.flags.writeable = False
    return LikertCounts(
        index.labels,
        counts,
        listwise,
        labels,
        construct_of,
        a,
    )
