"""Concentration of responsibility: measures of one allocation and of a group.

Each respondent distributes points (usually 100) over ``K`` loci: the
departments, roles or people who could own the customer. The functions here
say how concentrated one such allocation is (:func:`gini`, :func:`hhi`,
:func:`hhi_normalized`, :func:`effective_number`, :func:`evenness`,
:func:`theil`, :func:`lorenz`); :mod:`.groups` summarises a group's
allocations.

``K`` is always the number of loci offered, that is the length of the
allocation vector, including loci that received no points.

Inputs are a non-negative 1-D vector or a 2-D array whose rows are
allocations (the measures are then computed row-wise). ``NaN``, infinite or
negative values and rows that sum to zero raise :class:`ValueError`: a
respondent who skipped the question has no shares and must be dropped by the
caller.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._common import as_float_array

__all__ = [
    "LorenzCurve",
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
