"""Concentration of responsibility: measures of one allocation and of a group.

Each respondent distributes points (usually 100) over ``K`` loci: the
departments, roles or people who could own the customer. The functions here
say how concentrated one such allocation is (:func:`gini`, :func:`hhi`,
:func:`hhi_normalized`, :func:`effective_number`, :func:`evenness`,
:func:`theil`, :func:`lorenz`) and summarise a group's allocations
(:func:`concentration_summary`, and :func:`concentration_by_group` for many
groups at once).

``K`` is always the number of loci offered, that is the length of the
allocation vector, including loci that received no points.

Inputs are a non-negative 1-D vector or a 2-D array whose rows are
allocations (the measures are then computed row-wise). ``NaN``, infinite or
negative values and rows that sum to zero raise :class:`ValueError`: a
respondent who skipped the question has no shares and must be dropped by the
caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._common import as_float_array
from ..descriptives import _group_index, _indicator

__all__ = [
    "ConcentrationByGroup",
    "ConcentrationSummary",
    "LorenzCurve",
    "concentration_by_group",
    "concentration_summary",
    "effective_number",
    "evenness",
    "gini",
    "hhi",
    "hhi_normalized",
    "lorenz",
    "theil",
]


# --------------------------------------------------------------------------
# validation


def _allocations_iv(x: ArrayLike, name: str, ndim: int | tuple[int, ...] = (1, 2)):
    """Validate non-negative finite allocations with non-zero row sums."""
    arr = as_float_array(x, name, ndim=ndim, allow_nan=False)
    if arr.shape[-1] == 0:
        raise ValueError(f"{name} must offer at least one locus (got 0 columns)")
    if (arr < 0).any():
        raise ValueError(f"{name} contains negative values")
    totals = arr.sum(axis=-1)
    if (totals <= 0).any():
        bad = np.flatnonzero(np.atleast_1d(totals) <= 0)
        where = "" if arr.ndim == 1 else f" (rows {bad[:10].tolist()})"
        raise ValueError(f"{name} has allocations that sum to zero{where}")
    return arr, totals


def _out(values: NDArray[np.float64], ndim: int) -> float | NDArray[np.float64]:
    """A Python float for a 1-D input, the row-wise array for 2-D input."""
    return float(values) if ndim == 1 else values


def _shares(x: ArrayLike, name: str = "x") -> NDArray[np.float64]:
    arr, totals = _allocations_iv(x, name)
    return arr / np.expand_dims(totals, -1)


def _hhi_of_shares(p: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.einsum("...k,...k->...", p, p)


def _unbiased_hhi(
    plugin: NDArray[np.float64],
    mean_hhi: NDArray[np.float64],
    n: NDArray[np.float64],
    k: int,
) -> NDArray[np.float64]:
    """Bias-corrected HHI of the mean composition, clipped to ``[1/K, 1]``.

    ``(n H(p̄) - mean HHI) / (n - 1)``; NaN where ``n < 2``. See
    :func:`concentration_summary` for the derivation.
    """
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = (n * plugin - mean_hhi) / (n - 1.0)
    h = np.clip(h, 1.0 / k, 1.0)
    return np.where(n >= 2, h, np.nan)


def _shannon_of_shares(p: NDArray[np.float64]) -> NDArray[np.float64]:
    # 0 * log 0 = 0 by continuity
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return -terms.sum(axis=-1)


# --------------------------------------------------------------------------
# single allocations


def gini(x: ArrayLike) -> float | NDArray[np.float64]:
    r"""Population Gini coefficient of an allocation.

    Parameters
    ----------
    x : array_like
        Non-negative points over ``K`` loci, 1-D, or 2-D with one allocation
        per row.

    Returns
    -------
    float or ndarray
        The Gini coefficient (a float for 1-D input, one value per row for
        2-D input). It lies in ``[0, (K - 1) / K]``: 0 when every locus gets
        the same points, ``(K - 1) / K`` when one locus gets them all.

    Notes
    -----
    The population (not the small-sample corrected) Gini,

    .. math::

        G = \frac{\sum_{i=1}^{K}\sum_{j=1}^{K} |x_i - x_j|}{2 K^2 \bar x}
          = \frac{\sum_{i=1}^{K} (2i - K - 1)\, x_{(i)}}{K^2 \bar x},

    computed through the second form with the values sorted ascending
    (:math:`x_{(1)} \le \dots \le x_{(K)}`), in :math:`O(K \log K)`.

    References
    ----------
    .. [1] Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Cuppini.
    .. [2] Damgaard, C., & Weiner, J. (2000). Describing inequality in plant
       size or fecundity. *Ecology*, 81(4), 1139-1142.

    Examples
    --------
    >>> from ownership.stats.concentration import gini
    >>> round(gini([50, 20, 10, 10, 10, 0]), 7)
    0.4666667
    >>> gini([[25, 25, 25, 25], [100, 0, 0, 0]]).tolist()
    [0.0, 0.75]
    """
    arr, totals = _allocations_iv(x, "x")
    k = arr.shape[-1]
    coef = 2.0 * np.arange(1, k + 1) - k - 1
    # K^2 * mean = K * total
    g = np.sort(arr, axis=-1) @ coef / (k * totals)
    return _out(g, arr.ndim)


def hhi(x: ArrayLike) -> float | NDArray[np.float64]:
    r"""Herfindahl–Hirschman index: the sum of squared shares.

    Parameters
    ----------
    x : array_like
        Non-negative points over ``K`` loci, 1-D or 2-D (row-wise).

    Returns
    -------
    float or ndarray
        ``H`` in ``[1/K, 1]``: ``1/K`` for an even split, 1 when one locus
        gets everything.

    Notes
    -----
    With the shares :math:`p_i = x_i / \sum_j x_j` (closure),

    .. math::

        H = \sum_{i=1}^{K} p_i^2 .

    ``H`` is also Simpson's index: the probability that two points drawn at
    random (with replacement) went to the same locus.

    References
    ----------
    .. [1] Hirschman, A. O. (1964). The paternity of an index. *American
       Economic Review*, 54(5), 761.
    .. [2] Simpson, E. H. (1949). Measurement of diversity. *Nature*, 163,
       688.

    Examples
    --------
    >>> from ownership.stats.concentration import hhi
    >>> round(hhi([50, 20, 10, 10, 10, 0]), 10)
    0.32
    """
    p = _shares(x)
    return _out(_hhi_of_shares(p), p.ndim)


def hhi_normalized(x: ArrayLike) -> float | NDArray[np.float64]:
    r"""Normalised HHI, rescaled to run from 0 (even) to 1 (one locus).

    Parameters
    ----------
    x : array_like
        Non-negative points over ``K`` loci, 1-D or 2-D (row-wise).

    Returns
    -------
    float or ndarray
        :math:`H^*` in ``[0, 1]``; ``NaN`` when ``K = 1`` (a single locus
        offered has no scale to normalise on).

    Notes
    -----
    .. math::

        H^* = \frac{H - 1/K}{1 - 1/K}.

    References
    ----------
    .. [1] U.S. Department of Justice & Federal Trade Commission (2010).
       *Horizontal Merger Guidelines*, section 5.3.

    Examples
    --------
    >>> from ownership.stats.concentration import hhi_normalized
    >>> round(hhi_normalized([50, 20, 10, 10, 10, 0]), 10)
    0.184
    """
    p = _shares(x)
    k = p.shape[-1]
    h = _hhi_of_shares(p)
    if k == 1:
        h = np.full_like(h, np.nan)
    else:
        h = (h - 1.0 / k) / (1.0 - 1.0 / k)
    return _out(h, p.ndim)


def effective_number(x: ArrayLike) -> float | NDArray[np.float64]:
    r"""Effective number of loci: the inverse HHI.

    Parameters
    ----------
    x : array_like
        Non-negative points over ``K`` loci, 1-D or 2-D (row-wise).

    Returns
    -------
    float or ndarray
        :math:`1/H` in ``[1, K]``: how many equally-owning loci would give
        the same concentration.

    Notes
    -----
    .. math::

        N_{\mathrm{eff}} = \frac{1}{H} = \frac{1}{\sum_i p_i^2},

    the Hill number of order 2.

    References
    ----------
    .. [1] Hill, M. O. (1973). Diversity and evenness: a unifying notation and
       its consequences. *Ecology*, 54(2), 427-432.
    .. [2] Laakso, M., & Taagepera, R. (1979). "Effective" number of parties.
       *Comparative Political Studies*, 12(1), 3-27.

    Examples
    --------
    >>> from ownership.stats.concentration import effective_number
    >>> round(effective_number([50, 20, 10, 10, 10, 0]), 10)
    3.125
    """
    p = _shares(x)
    return _out(1.0 / _hhi_of_shares(p), p.ndim)


def evenness(x: ArrayLike) -> float | NDArray[np.float64]:
    r"""Pielou's evenness: Shannon entropy over its maximum :math:`\ln K`.

    Parameters
    ----------
    x : array_like
        Non-negative points over ``K`` loci, 1-D or 2-D (row-wise).

    Returns
    -------
    float or ndarray
        :math:`J` in ``[0, 1]``: 1 for an even split, 0 when one locus gets
        everything; ``NaN`` when ``K = 1``.

    Notes
    -----
    With natural logarithms and :math:`0 \ln 0 = 0`,

    .. math::

        H_{\mathrm{Sh}} = -\sum_i p_i \ln p_i, \qquad
        J = \frac{H_{\mathrm{Sh}}}{\ln K}.

    ``K`` is the number of loci offered, so loci that got no points count.

    References
    ----------
    .. [1] Shannon, C. E. (1948). A mathematical theory of communication.
       *Bell System Technical Journal*, 27, 379-423.
    .. [2] Pielou, E. C. (1966). The measurement of diversity in different
       types of biological collections. *Journal of Theoretical Biology*,
       13, 131-144.

    Examples
    --------
    >>> from ownership.stats.concentration import evenness
    >>> round(evenness([50, 20, 10, 10, 10, 0]), 7)
    0.7586044
    """
    p = _shares(x)
    k = p.shape[-1]
    h = _shannon_of_shares(p)
    j = np.full_like(h, np.nan) if k == 1 else h / np.log(k)
    return _out(j, p.ndim)


def theil(x: ArrayLike) -> float | NDArray[np.float64]:
    r"""Theil's T index: the entropy shortfall :math:`\ln K - H_{\mathrm{Sh}}`.

    Parameters
    ----------
    x : array_like
        Non-negative points over ``K`` loci, 1-D or 2-D (row-wise).

    Returns
    -------
    float or ndarray
        :math:`T` in ``[0, \ln K]``: 0 for an even split, :math:`\ln K` when
        one locus gets everything.

    Notes
    -----
    .. math::

        T = \ln K - H_{\mathrm{Sh}}
          = \frac{1}{K}\sum_i \frac{x_i}{\bar x}\ln\frac{x_i}{\bar x}
          = \sum_i p_i \ln (K p_i).

    References
    ----------
    .. [1] Theil, H. (1967). *Economics and Information Theory*. Amsterdam:
       North-Holland.

    Examples
    --------
    >>> from ownership.stats.concentration import theil
    >>> round(theil([50, 20, 10, 10, 10, 0]), 7)
    0.4325228
    """
    p = _shares(x)
    t = np.log(p.shape[-1]) - _shannon_of_shares(p)
    return _out(t, p.ndim)


class LorenzCurve(NamedTuple):
    """Points of a Lorenz curve.

    ``population[j]`` is the cumulative fraction of loci (poorest first) and
    ``share[..., j]`` the cumulative fraction of points they received.
    """

    population: NDArray[np.float64]
    share: NDArray[np.float64]


def lorenz(x: ArrayLike) -> LorenzCurve:
    r"""Lorenz curve of an allocation.

    Parameters
    ----------
    x : array_like
        Non-negative points over ``K`` loci, 1-D or 2-D (row-wise).

    Returns
    -------
    LorenzCurve
        ``population`` of shape ``(K + 1,)``: ``0, 1/K, ..., 1``; ``share`` of
        shape ``(K + 1,)`` for 1-D input or ``(rows, K + 1)``: the cumulative
        share of the points held by the ``j`` loci with the fewest points,
        from 0 to 1.

    Notes
    -----
    With the shares sorted ascending, :math:`p_{(1)} \le \dots \le p_{(K)}`,

    .. math::

        L(j/K) = \sum_{i=1}^{j} p_{(i)}, \qquad L(0) = 0 .

    The Gini coefficient is twice the area between the diagonal and this
    (piecewise linear) curve.

    References
    ----------
    .. [1] Lorenz, M. O. (1905). Methods of measuring the concentration of
       wealth. *Publications of the American Statistical Association*, 9(70),
       209-219.

    Examples
    --------
    >>> from ownership.stats.concentration import lorenz
    >>> curve = lorenz([50, 20, 10, 10, 10, 0])
    >>> curve.share.round(2).tolist()
    [0.0, 0.0, 0.1, 0.2, 0.3, 0.5, 1.0]
    """
    p = _shares(x)
    k = p.shape[-1]
    cum = np.cumsum(np.sort(p, axis=-1), axis=-1)
    # the last point is 1 by construction; set it exactly
    cum[..., -1] = 1.0
    zeros = np.zeros((*p.shape[:-1], 1))
    share = np.concatenate([zeros, cum], axis=-1)
    population = np.arange(k + 1) / k
    return LorenzCurve(population, share)


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
