"""Intervals for a group's concentration figures that hold in small groups.

Two figures of the responsibility report need an interval that means what it
says in a department of five as much as in one of five hundred:

* :func:`mean_share_interval`: the mean of per-respondent shares in
  ``[0, 1]`` (the designated and the distributed share);
* :func:`hhi_of_mean_interval`: the bias-corrected HHI of the group's mean
  composition.

Both return a :class:`ConcentrationInterval` whose ``low <= estimate <= high``
holds exactly. A group whose answers vary never gets a zero-width interval; a
group whose answers do not vary gets the distribution-free interval of
:func:`_unvarying_bounds`, never a point. The coverage of both, simulated over
organisations with known truth, is in ``docs/statistics.md`` ("Small
groups") and in ``python -m bench.coverage``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from .._common import as_float_array, is_rounding_zero
from ..inference._validation import _confidence_iv
from ..inference.bootstrap import bootstrap_ci
from .measures import _allocations_iv

__all__ = [
    "ConcentrationInterval",
    "hhi_of_mean_interval",
    "mean_share_interval",
]

BETA = "beta"
JACKKNIFE_T = "jackknife-t"
BCA = "BCa"
UNVARYING = "no-variation"
NONE = "none"


@dataclass(frozen=True)
class ConcentrationInterval:
    """An estimate with its confidence interval.

    Attributes
    ----------
    estimate : float
        The point estimate (NaN where the group is too small to have one).
    low, high : float
        The interval, with ``low <= estimate <= high``.
    n : int
        Respondents (rows) behind it.
    method : str
        How the interval was computed: ``"beta"`` (Korn–Graubard),
        ``"jackknife-t"``, ``"BCa"``, ``"no-variation"`` (the answers did
        not vary, see :func:`mean_share_interval`) or ``"none"`` (too few
        respondents for any interval).
    confidence : float
        The confidence level.
    """

    estimate: float
    low: float
    high: float
    n: int
    method: str
    confidence: float

    @property
    def width(self) -> float:
        return self.high - self.low


def _resamples_iv(n_resamples: int) -> int:
    if (
        isinstance(n_resamples, bool)
        or not isinstance(n_resamples, (int, np.integer))
        or n_resamples < 1
    ):
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    return int(n_resamples)


def _method_iv(method: str, allowed: tuple[str, ...]) -> str:
    if method not in allowed:
        choices = ", ".join(repr(m) for m in allowed)
        raise ValueError(f"method must be one of {choices}, got {method!r}")
    return method


def _contain(estimate: float, low: float, high: float) -> tuple[float, float]:
    """Make ``low <= estimate <= high`` hold exactly.

    Rounding (or a bootstrap endpoint computed from replicates equal to the
    estimate) can put an endpoint a few ulps on the wrong side.
    """
    return min(low, estimate), max(high, estimate)


def _different_share(n: int, confidence: float) -> float:
    r"""Upper confidence bound on the share of a population that differs.

    When all ``n`` respondents gave the same answer, the Clopper–Pearson
    one-sided upper bound on the proportion :math:`\rho` of the population
    whose answer differs (0 of ``n`` observed) is
    :math:`\pi = 1 - (1 - c)^{1/n}` (the "rule of three" is its
    approximation :math:`3/n` at :math:`c = 0.95`; Hanley & Lippman-Hand
    1983).
    """
    return float(-np.expm1(np.log1p(-confidence) / n))


def _project_to_simplex(y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Euclidean projection of ``y`` onto the probability simplex.

    Held, Wolfe & Crowder (1974); the sort-based algorithm of Duchi et al.
    (2008), :math:`O(K \\log K)`.
    """
    u = np.sort(y)[::-1]
    cumulative = np.cumsum(u) - 1.0
    ranks = np.arange(1, y.size + 1)
    rho = np.flatnonzero(u - cumulative / ranks > 0)[-1]
    theta = cumulative[rho] / (rho + 1.0)
    return np.maximum(y - theta, 0.0)


def _unvarying_bounds(
    shares: NDArray[np.float64], n: int, confidence: float
) -> tuple[float, float, float, float]:
    r"""Bounds when every respondent gave the same shares ``shares``.

    Returns ``(share_low, share_high, hhi_low, hhi_high)``: the range of the
    summed share and of the HHI of the mean composition over every
    population in which at most a fraction :math:`\pi` (see
    :func:`_different_share`) answers differently, anyhow. Such a
    population's mean is :math:`\mu = (1 - \rho)s + \rho v` with
    :math:`\rho \le \pi` and any composition :math:`v`, that is, a point of
    :math:`(1 - \pi)s + \pi\Delta`. A summed share ``c`` then lies in
    :math:`[(1 - \pi)c, c + \pi(1 - c)]`; the (convex) HHI is largest at a
    vertex :math:`(1 - \pi)s + \pi e_j` and smallest at the projection of
    :math:`-\frac{1 - \pi}{\pi}s` onto the simplex. The interval is exact and
    needs no assumption about the answers' distribution.
    """
    pi = _different_share(n, confidence)
    c = float(shares.sum())
    share_low, share_high = (1.0 - pi) * c, c + pi * (1.0 - c)
    k = shares.size
    if k == 0:
        return share_low, share_high, np.nan, np.nan
    vertices = (1.0 - pi) * shares[None, :] + pi * np.eye(k)
    hhi_high = float(np.einsum("jk,jk->j", vertices, vertices).max())
    w = _project_to_simplex(-(1.0 - pi) / pi * shares)
    nearest = (1.0 - pi) * shares + pi * w
    hhi_low = max(float(nearest @ nearest), 1.0 / k)
    return share_low, share_high, hhi_low, min(hhi_high, 1.0)


# --------------------------------------------------------------------------
# the mean of per-respondent shares


def _shares_iv(shares: ArrayLike) -> NDArray[np.float64]:
    x = as_float_array(shares, "shares", ndim=1, allow_nan=False)
    if x.size == 0:
        raise ValueError("shares is empty: an interval needs at least one respondent")
    if (x < 0).any() or (x > 1).any():
        raise ValueError(
            f"shares must lie in [0, 1], got values in [{x.min():g}, {x.max():g}]"
        )
    return x


def _korn_graubard(
    mean: float, variance: float, n: int, confidence: float
) -> tuple[float, float]:
    """Clopper–Pearson interval at the df-adjusted effective sample size.

    ``variance`` is the unbiased variance of the ``n`` shares.
    """
    alpha = 1.0 - confidence
    z = special.ndtri(1.0 - alpha / 2.0)
    t = stats.t.ppf(1.0 - alpha / 2.0, n - 1)
    n_eff = mean * (1.0 - mean) / (variance / n) * (z / t) ** 2
    x = n_eff * mean
    low = special.betaincinv(x, n_eff - x + 1.0, alpha / 2.0) if mean > 0 else 0.0
    high = (
        special.betaincinv(x + 1.0, n_eff - x, 1.0 - alpha / 2.0) if mean < 1 else 1.0
    )
    return float(low), float(high)


def mean_share_interval(
    shares: ArrayLike,
    *,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    rng: np.random.Generator | int | None = None,
    method: str = BETA,
) -> ConcentrationInterval:
    r"""Confidence interval of the mean of per-respondent shares in ``[0, 1]``.

    Parameters
    ----------
    shares : array_like
        1-D, one share per respondent (for example the share of a person's
        points that went to the designated owners), each in ``[0, 1]``.
        Respondents who did not answer must be left out; NaN raises.
    confidence : float, optional
        Confidence level, default 0.95.
    n_resamples : int, optional
        Bootstrap resamples, used only by ``method="BCa"``.
    rng : numpy.random.Generator or int, optional
        Random generator or seed, used only by ``method="BCa"``.
    method : {"beta", "BCa"}, optional
        ``"beta"`` (default): the Korn–Graubard interval below. ``"BCa"``:
        the BCa bootstrap of :func:`ownership.stats.inference.bootstrap_ci`,
        kept for comparison (it covers too rarely in small groups).

    Returns
    -------
    ConcentrationInterval
        ``estimate`` (the mean share), ``low``, ``high``, ``n``, ``method``
        (``"no-variation"`` when every respondent gave the same share) and
        ``confidence``.

    Notes
    -----
    A mean of shares is a proportion of points, so the interval is the one
    Korn & Graubard (1998) give for a proportion estimated with a design
    effect: a Clopper–Pearson interval at the effective sample size

    .. math::

        n^* = \frac{\bar x (1 - \bar x)}{s^2 / n}
              \Bigl(\frac{z_{1-\alpha/2}}{t_{n-1,\,1-\alpha/2}}\Bigr)^2,
        \qquad
        \Bigl[B^{-1}_{\alpha/2}(n^*\bar x,\; n^*(1-\bar x) + 1),\;
              B^{-1}_{1-\alpha/2}(n^*\bar x + 1,\; n^*(1-\bar x))\Bigr],

    with :math:`s^2` the unbiased variance of the shares, :math:`B^{-1}_q`
    the beta quantile function, and the lower (upper) end 0 (1) when
    :math:`\bar x` is 0 (1). The effective sample size turns the observed
    spread of the shares into the number of all-or-nothing answers that
    would be as informative; the degrees-of-freedom factor carries the
    uncertainty of :math:`s^2` in a small group. The interval stays inside
    ``[0, 1]``, is asymmetric near the bounds, and, unlike a bootstrap, it
    does not shrink to the observed values when a small group's answers
    happen to be few and alike.

    When every respondent gave the same share :math:`c`, :math:`s^2 = 0`
    and nothing can be said about the spread. The interval is then the
    distribution-free one: with the stated confidence at most
    :math:`\pi = 1 - (1 - c_{\mathrm{conf}})^{1/n}` of the population
    answers differently (Clopper–Pearson for 0 of ``n``), so the mean lies
    in :math:`[(1 - \pi)c,\; c + \pi(1 - c)]`.

    References
    ----------
    .. [1] Korn, E. L., & Graubard, B. I. (1998). Confidence intervals for
       proportions with small expected number of positive counts estimated
       from survey data. *Survey Methodology*, 24(2), 193-201.
    .. [2] Dean, N., & Pagano, M. (2015). Evaluating confidence interval
       methods for binomial proportions in clustered surveys. *Journal of
       Survey Statistics and Methodology*, 3(4), 484-503.
    .. [3] Clopper, C. J., & Pearson, E. S. (1934). The use of confidence
       or fiducial limits illustrated in the case of the binomial.
       *Biometrika*, 26(4), 404-413.
    .. [4] Hanley, J. A., & Lippman-Hand, A. (1983). If nothing goes wrong,
       is everything all right? *JAMA*, 249(13), 1743-1745.

    Examples
    --------
    >>> from ownership.stats.concentration import mean_share_interval
    >>> res = mean_share_interval([0.2, 0.0, 0.35, 0.1, 0.0, 0.25, 1.0, 0.15])
    >>> round(res.estimate, 4), round(res.low, 4), round(res.high, 4), res.method
    (0.2562, 0.0468, 0.6115, 'beta')
    >>> res = mean_share_interval([0.0] * 10)  # nobody gave the owner a point
    >>> res.estimate, res.low, round(res.high, 4), res.method
    (0.0, 0.0, 0.2589, 'no-variation')
    """
    x = _shares_iv(shares)
    c = _confidence_iv(confidence)
    method = _method_iv(method, (BETA, BCA))
    n_resamples = _resamples_iv(n_resamples)
    n = x.size
    estimate = float(x.mean())
    if np.ptp(x) == 0:
        low, high, _, _ = _unvarying_bounds(np.array([x[0]]), n, c)
        low, high = _contain(x[0], low, high)
        return ConcentrationInterval(float(x[0]), low, high, n, UNVARYING, c)
    if method == BCA:
        res = bootstrap_ci(
            x,
            lambda sample: sample.mean(axis=1),
            n_resamples=n_resamples,
            confidence=c,
            method="BCa",
            rng=rng,
        )
        low, high = res.ci_low, res.ci_high
    else:
        low, high = _korn_graubard(estimate, float(x.var(ddof=1)), n, c)
    low, high = _contain(estimate, low, high)
    return ConcentrationInterval(estimate, low, high, n, method, c)


# --------------------------------------------------------------------------
# the bias-corrected HHI of the mean composition


def _hhi_u(p: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
    r"""The U-statistic :math:`\hat H` and its leave-one-out values, in O(nK).

    With :math:`S = \sum_r p_r`, :math:`q_r = p_r \cdot p_r` and
    :math:`Q = \sum_r q_r`: :math:`\hat H = (S \cdot S - Q)/(n(n-1))`, and
    without respondent :math:`i`,
    :math:`\hat H_{(i)} = (|S - p_i|^2 - (Q - q_i))/((n-1)(n-2))`.
    """
    n = p.shape[0]
    total = p.sum(axis=0)
    q = np.einsum("rk,rk->r", p, p)
    big_q = q.sum()
    u = (total @ total - big_q) / (n * (n - 1.0))
    rest = total[None, :] - p
    loo = (np.einsum("rk,rk->r", rest, rest) - (big_q - q)) / ((n - 1.0) * (n - 2.0))
    return float(u), loo


def _bca_hhi(p, k, n_resamples, confidence, rng):
    def statistic(sample: NDArray[np.float64]) -> NDArray[np.float64]:
        m = sample.shape[1]
        total = sample.sum(axis=1)
        q = np.einsum("brk,brk->b", sample, sample)
        u = (np.einsum("bk,bk->b", total, total) - q) / (m * (m - 1.0))
        return np.clip(u, 1.0 / k, 1.0)

    res = bootstrap_ci(
        p,
        statistic,
        n_resamples=n_resamples,
        confidence=confidence,
        method="BCa",
        rng=rng,
    )
    return res.ci_low, res.ci_high


def hhi_of_mean_interval(
    allocations: ArrayLike,
    *,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    rng: np.random.Generator | int | None = None,
    method: str = JACKKNIFE_T,
) -> ConcentrationInterval:
    r"""Bias-corrected HHI of a group's mean composition, with its interval.

    Parameters
    ----------
    allocations : array_like
        2-D, one row of points per respondent over the ``K`` loci offered,
        non-negative with a positive sum per row.
    confidence : float, optional
        Confidence level, default 0.95.
    n_resamples : int, optional
        Bootstrap resamples, used only by ``method="BCa"``.
    rng : numpy.random.Generator or int, optional
        Random generator or seed, used only by ``method="BCa"``.
    method : {"jackknife-t", "BCa"}, optional
        ``"jackknife-t"`` (default), below; ``"BCa"``: the BCa bootstrap of
        the same estimate, kept for comparison.

    Returns
    -------
    ConcentrationInterval
        ``estimate``: :math:`\hat H`, the unbiased HHI of the mean
        composition clipped to ``[1/K, 1]`` (see
        :func:`concentration_summary`); ``low``, ``high``; ``n``;
        ``method``; ``confidence``. A group of one has no estimate (all NaN,
        method ``"none"``); a group of two has the whole range ``[1/K, 1]``
        as its interval (method ``"none"``).

    Notes
    -----
    :math:`\hat H = \frac{1}{n(n-1)}\sum_{r \ne s} p_r \cdot p_s` is a
    U-statistic, so its jackknife variance is consistent and, if anything,
    too large (Arvesen 1969; Efron & Stein 1981). With the leave-one-out
    values :math:`\hat H_{(i)}` (closed form, :math:`O(nK)`) and their mean
    :math:`\hat H_{(\cdot)}`,

    .. math::

        \widehat{\operatorname{se}}^2 = \frac{n - 1}{n}
            \sum_i \bigl(\hat H_{(i)} - \hat H_{(\cdot)}\bigr)^2, \qquad
        \hat H \pm t_{n-1,\,1-\alpha/2}\,\widehat{\operatorname{se}},

    around the estimate clipped to :math:`[1/K, 1]` and intersected with
    that range (so a group that looks more even than possible still gets an
    interval of positive width above :math:`1/K`). The estimate is the bias-corrected
    one: the plug-in :math:`H(\bar p)` exceeds the truth by
    :math:`\operatorname{tr}\Sigma/n` on average, so an interval around it
    misses small departments' truth far more often than it should.

    When every respondent gave the same allocation the jackknife has no
    spread; the interval is then the distribution-free range of the HHI over
    all populations in which at most :math:`\pi = 1 - (1 -
    c_{\mathrm{conf}})^{1/n}` answer differently (see
    :func:`mean_share_interval`). When the allocations vary but the
    jackknife values happen not to (a perfectly balanced group), the
    interval is the whole range ``[1/K, 1]``.

    References
    ----------
    .. [1] Arvesen, J. N. (1969). Jackknifing U-statistics. *Annals of
       Mathematical Statistics*, 40(6), 2076-2100.
    .. [2] Efron, B., & Stein, C. (1981). The jackknife estimate of
       variance. *Annals of Statistics*, 9(3), 586-596.
    .. [3] Hoeffding, W. (1948). A class of statistics with asymptotically
       normal distribution. *Annals of Mathematical Statistics*, 19(3),
       293-325.

    Examples
    --------
    >>> from ownership.stats.concentration import hhi_of_mean_interval
    >>> res = hhi_of_mean_interval([[60, 20, 20], [40, 40, 20], [80, 10, 10],
    ...                             [50, 25, 25], [30, 30, 40], [70, 10, 20]])
    >>> round(res.estimate, 4), round(res.low, 4), round(res.high, 4), res.method
    (0.394, 0.3333, 0.5254, 'jackknife-t')
    """
    arr = as_float_array(allocations, "allocations", ndim=2, allow_nan=False)
    if arr.shape[0] == 0:
        raise ValueError("allocations has no rows")
    arr, totals = _allocations_iv(arr, "allocations", ndim=2)
    c = _confidence_iv(confidence)
    method = _method_iv(method, (JACKKNIFE_T, BCA))
    n_resamples = _resamples_iv(n_resamples)
    n, k = arr.shape
    p = arr / totals[:, None]
    floor = 1.0 / k
    if n == 1:
        return ConcentrationInterval(np.nan, np.nan, np.nan, 1, NONE, c)
    if not np.ptp(p, axis=0).any():
        estimate = float(p[0] @ p[0])
        _, _, low, high = _unvarying_bounds(p[0], n, c)
        low, high = _contain(estimate, low, high)
        return ConcentrationInterval(estimate, low, high, n, UNVARYING, c)
    if n == 2:
        u = float(np.clip(p[0] @ p[1], floor, 1.0))
        return ConcentrationInterval(u, floor, 1.0, n, NONE, c)
    u, loo = _hhi_u(p)
    estimate = float(np.clip(u, floor, 1.0))
    if method == BCA:
        low, high = _bca_hhi(p, k, n_resamples, c, rng)
    else:
        se = float(np.sqrt((n - 1.0) / n * np.sum((loo - loo.mean()) ** 2)))
        # Jackknife values that all agree to rounding carry no spread.
        if is_rounding_zero(se, max(abs(u), floor), n):
            return ConcentrationInterval(estimate, floor, 1.0, n, NONE, c)
        half = float(stats.t.ppf(0.5 + c / 2.0, n - 1)) * se
        low, high = max(estimate - half, floor), min(estimate + half, 1.0)
    low, high = _contain(estimate, low, high)
    return ConcentrationInterval(estimate, low, high, n, method, c)
