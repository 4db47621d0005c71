"""Concentration of responsibility in a group: the mean shares, the mean of
the respondents' HHIs and the bias-corrected HHI of the mean composition, of
one group (:func:`concentration_summary`) or of many at once
(:func:`concentration_by_group`). Inputs are validated as in
:mod:`.measures`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._common import as_float_array
from ..descriptives import _group_index, _indicator
from .measures import _allocations_iv, _hhi_of_shares, _unbiased_hhi

__all__ = [
    "ConcentrationByGroup",
    "ConcentrationSummary",
    "concentration_by_group",
    "concentration_summary",
]


# --------------------------------------------------------------------------
# one group's allocations


@dataclass(frozen=True)
class ConcentrationSummary:
    r"""Concentration of one group's allocations.

    Attributes
    ----------
    mean_hhi : float
        Mean of the respondents' own HHIs: how concentrated a typical
        respondent thinks ownership is.
    hhi_of_mean : float
        HHI of the group's mean composition: how concentrated the group's
        consensus picture is, bias-corrected and clipped to ``[1/K, 1]``
        (see :func:`concentration_summary`); NaN for a group of one.
    hhi_of_mean_plugin : float
        The plug-in HHI of the observed mean composition, :math:`H(\bar p)`,
        biased upwards by :math:`\operatorname{tr}\Sigma / n`.
    top_share : float
        The largest mean share.
    top_locus : int
        Index (0-based column) of the locus with that share; the first one
        on ties.
    mean_shares : ndarray
        Mean share of each locus, shape ``(K,)``, summing to 1.
    n : int
        Number of respondents (rows).
    """

    mean_hhi: float
    hhi_of_mean: float
    hhi_of_mean_plugin: float
    top_share: float
    top_locus: int
    mean_shares: NDArray[np.float64]
    n: int

    @property
    def disagreement(self) -> float:
        r"""``mean_hhi - hhi_of_mean`` (never negative).

        Without clipping it is :math:`\frac{n}{n-1}(\overline H - H(\bar p))`,
        the sum over loci of the unbiased between-respondent variances of
        the shares.
        """
        return self.mean_hhi - self.hhi_of_mean

    @property
    def effective_number(self) -> float:
        """``1 / hhi_of_mean``: the bias-corrected effective number of loci."""
        return 1.0 / self.hhi_of_mean

    @property
    def hhi_normalized(self) -> float:
        """``hhi_of_mean`` rescaled to ``[0, 1]``; NaN when ``K = 1``."""
        k = self.mean_shares.shape[0]
        if k == 1:
            return float("nan")
        return (self.hhi_of_mean - 1.0 / k) / (1.0 - 1.0 / k)


def concentration_summary(allocations: ArrayLike) -> ConcentrationSummary:
    r"""Summarise the concentration of one group's allocations.

    Parameters
    ----------
    allocations : array_like
        2-D array, one row per respondent, one column per locus (``K``
        columns), non-negative with a positive sum per row (usually 100).
        A 1-D array is taken as a group of one.

    Returns
    -------
    ConcentrationSummary
        ``mean_hhi``, ``hhi_of_mean`` (bias-corrected), ``hhi_of_mean_plugin``,
        ``top_share``, ``top_locus``, ``mean_shares`` and ``n``.

    Notes
    -----
    With respondent :math:`r`'s shares :math:`p_{ri} = x_{ri} / \sum_j x_{rj}`
    and the mean composition :math:`\bar p_i = \frac1n \sum_r p_{ri}`,

    .. math::

        \overline{H} = \frac1n \sum_r \sum_i p_{ri}^2, \qquad
        H(\bar p) = \sum_i \bar p_i^2 .

    Because :math:`H` is convex, :math:`\overline{H} \ge H(\bar p)`
    (Jensen). The gap is the between-respondent variance of the shares summed
    over loci, :math:`\sum_i \frac1n\sum_r (p_{ri} - \bar p_i)^2`: each
    respondent may see one clear owner (high :math:`\overline H`) while they
    disagree about which one (lower :math:`H(\bar p)`).

    The plug-in :math:`H(\bar p)` overstates the concentration of the
    population's mean composition :math:`\mu`: with :math:`\Sigma` the
    covariance of one respondent's shares,
    :math:`E[H(\bar p)] = H(\mu) + \operatorname{tr}\Sigma / n` while
    :math:`E[\overline H] = H(\mu) + \operatorname{tr}\Sigma`, so small
    departments would look more concentrated than they are. ``hhi_of_mean``
    is the unbiased estimator

    .. math::

        \hat H = \frac{n\,H(\bar p) - \overline H}{n - 1}
                = \frac{1}{n(n-1)} \sum_{r \ne s} p_r \cdot p_s ,

    the U-statistic of the kernel :math:`p_r \cdot p_s` (Hoeffding 1948;
    the same correction as Hurlbert's unbiased Simpson index), clipped to
    the range :math:`[1/K, 1]` of an HHI. It needs two respondents: a group
    of one gets NaN.

    References
    ----------
    .. [1] Hirschman, A. O. (1964). The paternity of an index. *American
       Economic Review*, 54(5), 761.
    .. [2] Hoeffding, W. (1948). A class of statistics with asymptotically
       normal distribution. *Annals of Mathematical Statistics*, 19(3),
       293-325.
    .. [3] Hurlbert, S. H. (1971). The nonconcept of species diversity: a
       critique and alternative parameters. *Ecology*, 52(4), 577-586.

    Examples
    --------
    >>> from ownership.stats.concentration import concentration_summary
    >>> s = concentration_summary([[60, 20, 10, 10, 0, 0], [40, 30, 10, 10, 10, 0],
    ...                            [80, 10, 10, 0, 0, 0], [50, 25, 5, 10, 5, 5],
    ...                            [30, 30, 20, 10, 5, 5], [70, 10, 10, 5, 5, 0]])
    >>> round(s.mean_hhi, 7), round(s.hhi_of_mean_plugin, 7), s.top_locus, s.n
    (0.4066667, 0.3652778, 0, 6)
    >>> round(s.hhi_of_mean, 7)  # (6 * 0.3652778 - 0.4066667) / 5
    0.357
    """
    arr = as_float_array(allocations, "allocations", ndim=(1, 2), allow_nan=False)
    # a 1-D allocation is one respondent's: a group of one
    arr, totals = _allocations_iv(np.atleast_2d(arr), "allocations", ndim=2)
    if arr.shape[0] == 0:
        raise ValueError("allocations has no rows")
    p = arr / totals[:, None]
    mean_shares = p.mean(axis=0)
    top = int(np.argmax(mean_shares))
    mean_hhi = float(_hhi_of_shares(p).mean())
    plugin = float(_hhi_of_shares(mean_shares))
    n = arr.shape[0]
    return ConcentrationSummary(
        mean_hhi=mean_hhi,
        hhi_of_mean=float(_unbiased_hhi(plugin, mean_hhi, n, arr.shape[1])),
        hhi_of_mean_plugin=plugin,
        top_share=float(mean_shares[top]),
        top_locus=top,
        mean_shares=mean_shares,
        n=int(arr.shape[0]),
    )


# --------------------------------------------------------------------------
# many groups at once


@dataclass(frozen=True)
class ConcentrationByGroup:
    """:class:`ConcentrationSummary` fields for many groups, as arrays.

    Attributes
    ----------
    labels : ndarray
        Sorted unique group labels, shape ``(G,)``.
    sizes : ndarray of int
        Respondents per group, shape ``(G,)``.
    mean_hhi, hhi_of_mean, hhi_of_mean_plugin, top_share : ndarray of float
        Shape ``(G,)``; see :class:`ConcentrationSummary` (``hhi_of_mean``
        is bias-corrected, NaN for a group of one).
    top_locus : ndarray of int
        Shape ``(G,)``.
    mean_shares : ndarray of float
        Shape ``(G, K)``.
    """

    labels: NDArray
    sizes: NDArray[np.intp]
    mean_hhi: NDArray[np.float64]
    hhi_of_mean: NDArray[np.float64]
    hhi_of_mean_plugin: NDArray[np.float64]
    top_share: NDArray[np.float64]
    top_locus: NDArray[np.intp]
    mean_shares: NDArray[np.float64]

    @property
    def disagreement(self) -> NDArray[np.float64]:
        """``mean_hhi - hhi_of_mean`` per group."""
        return self.mean_hhi - self.hhi_of_mean

    @property
    def effective_number(self) -> NDArray[np.float64]:
        """``1 / hhi_of_mean`` per group (bias-corrected)."""
        return 1.0 / self.hhi_of_mean

    @property
    def hhi_normalized(self) -> NDArray[np.float64]:
        """``hhi_of_mean`` rescaled to ``[0, 1]`` per group; NaN when ``K = 1``."""
        k = self.mean_shares.shape[1]
        if k == 1:
            return np.full_like(self.hhi_of_mean, np.nan)
        return (self.hhi_of_mean - 1.0 / k) / (1.0 - 1.0 / k)


def concentration_by_group(
    allocations: ArrayLike, groups: ArrayLike
) -> ConcentrationByGroup:
    r""":func:`concentration_summary` for every group at once, vectorised.

    Parameters
    ----------
    allocations : array_like
        2-D array ``(respondents, K)`` of non-negative points with positive
        row sums.
    groups : array_like
        1-D array of group labels, one per row of ``allocations``.

    Returns
    -------
    ConcentrationByGroup
        One entry per sorted unique label. With no respondents at all every
        array is empty (``mean_shares`` has shape ``(0, K)``).

    Notes
    -----
    The same formulas as :func:`concentration_summary`, for each group
    :math:`g` with :math:`n_g` respondents,

    .. math::

        \overline{H}_g = \frac{1}{n_g}\sum_{r \in g}\sum_i p_{ri}^2, \qquad
        \bar p_{gi} = \frac{1}{n_g}\sum_{r \in g} p_{ri}, \qquad
        H(\bar p_g) = \sum_i \bar p_{gi}^2,

    evaluated for all groups together: the per-group sums of the shares and
    of the per-respondent HHIs are one sparse product of the group-indicator
    matrix with them, so the cost is :math:`O(nK)` with no Python loop over
    groups.

    References
    ----------
    .. [1] Hirschman, A. O. (1964). The paternity of an index. *American
       Economic Review*, 54(5), 761.

    Examples
    --------
    >>> from ownership.stats.concentration import concentration_by_group
    >>> res = concentration_by_group(
    ...     [[100, 0, 0], [0, 100, 0], [50, 50, 0], [50, 30, 20]],
    ...     ["sales", "sales", "it", "it"])
    >>> res.labels.tolist(), res.sizes.tolist()
    (['it', 'sales'], [2, 2])
    >>> res.mean_hhi.round(3).tolist(), res.hhi_of_mean_plugin.round(3).tolist()
    ([0.44, 1.0], [0.42, 0.5])
    >>> res.hhi_of_mean.round(3).tolist()  # bias-corrected, clipped at 1/K
    [0.4, 0.333]
    >>> res.top_locus.tolist()
    [0, 0]
    """
    arr = as_float_array(allocations, "allocations", ndim=2, allow_nan=False)
    index = _group_index(groups, arr.shape[0])
    k = arr.shape[1]
    if arr.shape[0] == 0:
        if k == 0:
            raise ValueError(
                "allocations must offer at least one locus (got 0 columns)"
            )
        empty = np.empty(0, dtype=np.float64)
        return ConcentrationByGroup(
            labels=index.labels,
            sizes=index.sizes.astype(np.intp),
            mean_hhi=empty,
            hhi_of_mean=empty.copy(),
            hhi_of_mean_plugin=empty.copy(),
            top_share=empty.copy(),
            top_locus=np.empty(0, dtype=np.intp),
            mean_shares=np.empty((0, k), dtype=np.float64),
        )
    arr, totals = _allocations_iv(arr, "allocations", ndim=2)
    p = arr / totals[:, None]
    ind = _indicator(index.codes, index.labels.size)  # groups x respondents
    sizes = index.sizes.astype(np.float64)
    mean_shares = (ind @ p) / sizes[:, None]
    mean_hhi = (ind @ _hhi_of_shares(p)) / sizes
    top = np.argmax(mean_shares, axis=1)
    plugin = _hhi_of_shares(mean_shares)
    return ConcentrationByGroup(
        labels=index.labels,
        sizes=index.sizes.astype(np.intp),
        mean_hhi=mean_hhi,
        hhi_of_mean=_unbiased_hhi(plugin, mean_hhi, sizes, k),
        hhi_of_mean_plugin=plugin,
        top_share=np.take_along_axis(mean_shares, top[:, None], axis=1)[:, 0],
        top_locus=top.astype(np.intp),
        mean_shares=mean_shares,
    )
