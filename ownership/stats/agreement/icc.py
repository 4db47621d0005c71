"""Reliability of group means: ICC(1), ICC(2) from one one-way ANOVA, and
the Spearman-Brown reliability of a group's mean."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._common import as_float_array, is_rounding_zero, snap_variance
from ..descriptives import _group_index, _grouped_moments

__all__ = ["ICC", "icc", "icc1", "icc2", "reliability_of_mean"]


class ICC(NamedTuple):
    """One-way ANOVA intraclass correlations of a score across groups.

    Attributes
    ----------
    Each field is a scalar for one score per respondent, and an array with
    one entry per column for a 2-D array of scores.

    icc1 : float or ndarray
        ICC(1), see :func:`icc1`.
    icc2 : float or ndarray
        ICC(2), see :func:`icc2`.
    msb, msw : float or ndarray
        Between- and within-group mean squares.
    k : float or ndarray
        Mean group size :math:`N / G`.
    n : int or ndarray
        Scores used (NaN dropped).
    n_groups : int or ndarray
        Groups with at least one score.
    """

    icc1: float | NDArray[np.float64]
    icc2: float | NDArray[np.float64]
    msb: float | NDArray[np.float64]
    msw: float | NDArray[np.float64]
    k: float | NDArray[np.float64]
    n: int | NDArray[np.intp]
    n_groups: int | NDArray[np.intp]


def icc(scores: ArrayLike, groups: ArrayLike) -> ICC:
    r"""ICC(1) and ICC(2) with their one-way ANOVA, in one pass.

    Parameters
    ----------
    scores : array_like, shape (respondents,) or (respondents, scores)
        One score per respondent (e.g. a scale mean); NaN scores are dropped.
        A 2-D array gives the ANOVA of each column (e.g. every construct's
        scale score) separately, with its own missing scores, in one pass.
    groups : array_like, shape (respondents,)
        Group label of each respondent.

    Returns
    -------
    ICC
        ``icc1``, ``icc2``, ``msb``, ``msw``, ``k``, ``n`` and ``n_groups``:
        scalars for 1-D ``scores``, arrays with one entry per column for 2-D.
        The coefficients and mean squares are NaN when fewer than two groups
        have a score or no group has two scores; see :func:`icc1` and
        :func:`icc2` for scores without variance.

    Raises
    ------
    ValueError
        If ``scores`` is not 1-D or 2-D or holds an infinite value, or if
        ``groups`` does not match it.

    Notes
    -----
    With :math:`N` scores :math:`x_{gi}` in :math:`G` groups of sizes
    :math:`n_g`, group means :math:`\bar x_g` and grand mean :math:`\bar x`,

    .. math::

        MSB = \frac{\sum_g n_g (\bar x_g - \bar x)^2}{G - 1}, \qquad
        MSW = \frac{\sum_g \sum_i (x_{gi} - \bar x_g)^2}{N - G}, \qquad
        k = \frac{N}{G},

    and :func:`icc1` and :func:`icc2` follow (Bliese 2000, eqs. 1-2).

    Reference implementation: ``summary(aov(score ~ as.factor(group)))`` and
    ``multilevel::ICC1``/``ICC2`` on it.

    References
    ----------
    .. [1] Bliese, P. D. (2000). Within-group agreement, non-independence, and
       reliability: Implications for data aggregation and analysis. In K. J.
       Klein & S. W. J. Kozlowski (Eds.), *Multilevel theory, research, and
       methods in organizations* (pp. 349-381). San Francisco: Jossey-Bass.

    Examples
    --------
    >>> from ownership.stats.agreement import icc
    >>> res = icc([3, 4, 5, 2, 2, 3, 3, 4, 5, 5, 4, 5, 4], [1] * 3 + [2] * 4 + [3] * 6)
    >>> round(res.msb, 6), round(res.msw, 6), round(res.icc1, 7), round(res.icc2, 7)
    (4.903846, 0.45, 0.6954955, 0.9082353)
    """
    return _icc(as_float_array(scores, "scores", ndim=(1, 2)), groups)


def _icc(x: NDArray[np.float64], groups: ArrayLike) -> ICC:
    """:func:`icc` on validated 1-D or 2-D scores."""
    index = _group_index(groups, x.shape[0])
    column = x if x.ndim == 2 else x[:, None]
    n, means, var = _grouped_moments(index.codes, column, index.labels.size)
    n_total = n.sum(axis=0)
    n_groups = np.count_nonzero(n, axis=0)
    answered = n > 0
    means = np.where(answered, means, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        grand = np.einsum("gj,gj->j", n, means) / n_total
        ssw = np.einsum("gj,gj->j", n - 1.0, np.where(n > 1, var, 0.0))
        ssb = np.einsum("gj,gj->j", n, (means - grand) ** 2)
        # Group means that agree up to rounding (constant non-integer scores)
        # leave ~1e-32 instead of 0; MSW is already exact (group variances
        # are snapped in _grouped_moments).
        msb = snap_variance(ssb / (n_groups - 1.0), grand, n_total)
        msw = ssw / (n_total - n_groups)
        k = n_total / n_groups
        icc1_ = (msb - msw) / (msb + (k - 1.0) * msw)  # eq. 1
        icc2_ = np.where(msb > 0, (msb - msw) / msb, np.nan)  # eq. 2
    undefined = (n_groups < 2) | (n_total <= n_groups)
    fields = [np.where(undefined, np.nan, v) for v in (icc1_, icc2_, msb, msw, k)]
    n_out = n_total.astype(np.intp)
    if x.ndim == 2:
        return ICC(*fields, n_out, n_groups.astype(np.intp))
    return ICC(*(float(v[0]) for v in fields), int(n_out[0]), int(n_groups[0]))


def icc1(scores: ArrayLike, groups: ArrayLike) -> float:
    r"""ICC(1): the share of score variance that lies between groups.

    Parameters
    ----------
    scores : array_like, shape (respondents,)
        One score per respondent (e.g. a scale mean); NaN scores are dropped.
    groups : array_like, shape (respondents,)
        Group label of each respondent.

    Returns
    -------
    float
        ICC(1), not truncated (it may be negative). NaN when fewer than two
        groups have a score, no group has two scores, or the scores do not
        vary at all (:math:`MSB = MSW = 0`); 1 when they vary between groups
        only (:math:`MSW = 0`); :math:`-1/(k-1)` when they vary within groups
        only (:math:`MSB = 0`). Mean squares that are rounding noise count as
        0 (see :func:`ownership.stats._common.is_rounding_zero`).

    Raises
    ------
    ValueError
        If ``scores`` is not 1-D or holds an infinite value, or if ``groups``
        does not match it.

    Notes
    -----
    From the one-way ANOVA of the scores on group membership, with mean
    squares :math:`MSB` (between) and :math:`MSW` (within), :math:`N` scores in
    :math:`G` groups and the mean group size :math:`k = N/G` (Bliese 2000,
    eq. 1),

    .. math::

        ICC(1) = \frac{MSB - MSW}{MSB + (k - 1)\,MSW}.

    Reference implementation: ``multilevel::ICC1(aov(score ~
    as.factor(group)))``, which also uses :math:`k = N/G` for unequal groups.

    References
    ----------
    .. [1] Bliese, P. D. (2000). Within-group agreement, non-independence, and
       reliability: Implications for data aggregation and analysis. In K. J.
       Klein & S. W. J. Kozlowski (Eds.), *Multilevel theory, research, and
       methods in organizations* (pp. 349-381). San Francisco: Jossey-Bass.
    .. [2] Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: Uses
       in assessing rater reliability. *Psychological Bulletin*, 86(2),
       420-428.

    Examples
    --------
    >>> from ownership.stats.agreement import icc1
    >>> scores = [3, 4, 5, 2, 2, 3, 3, 4, 5, 5, 4, 5, 4]
    >>> groups = [1] * 3 + [2] * 4 + [3] * 6
    >>> round(icc1(scores, groups), 7)
    0.6954955
    """
    return _icc(as_float_array(scores, "scores", ndim=1), groups).icc1


def icc2(scores: ArrayLike, groups: ArrayLike) -> float:
    r"""ICC(2): the reliability of the group means.

    Parameters
    ----------
    scores : array_like, shape (respondents,)
        One score per respondent (e.g. a scale mean); NaN scores are dropped.
    groups : array_like, shape (respondents,)
        Group label of each respondent.

    Returns
    -------
    float
        ICC(2), not truncated. NaN when fewer than two groups have a score, no
        group has two scores, or all group means are equal and :math:`MSB = 0`
        (up to rounding: constant non-integer scores included); 1 when the
        scores vary between groups only.

    Raises
    ------
    ValueError
        If ``scores`` is not 1-D or holds an infinite value, or if ``groups``
        does not match it.

    Notes
    -----
    With the one-way ANOVA mean squares of :func:`icc1` (Bliese 2000, eq. 2),

    .. math::

        ICC(2) = \frac{MSB - MSW}{MSB},

    which equals the Spearman-Brown step-up of ICC(1) to the mean group size
    :math:`k = N/G` (see :func:`reliability_of_mean`).

    Reference implementation: ``multilevel::ICC2(aov(score ~
    as.factor(group)))``.

    References
    ----------
    .. [1] Bliese, P. D. (2000). Within-group agreement, non-independence, and
       reliability: Implications for data aggregation and analysis. In K. J.
       Klein & S. W. J. Kozlowski (Eds.), *Multilevel theory, research, and
       methods in organizations* (pp. 349-381). San Francisco: Jossey-Bass.

    Examples
    --------
    >>> from ownership.stats.agreement import icc2
    >>> scores = [3, 4, 5, 2, 2, 3, 3, 4, 5, 5, 4, 5, 4]
    >>> groups = [1] * 3 + [2] * 4 + [3] * 6
    >>> round(icc2(scores, groups), 7)
    0.9082353
    """
    return _icc(as_float_array(scores, "scores", ndim=1), groups).icc2


def reliability_of_mean(n: ArrayLike, icc1: ArrayLike) -> float | NDArray[np.float64]:
    r"""Spearman-Brown reliability of a group mean of ``n`` respondents.

    Parameters
    ----------
    n : array_like
        Group size(s), positive and finite; broadcast against ``icc1``.
    icc1 : array_like
        ICC(1) of the measure (it may be negative); NaN, as :func:`icc1`
        returns for scores without variance, gives NaN.

    Returns
    -------
    float or ndarray
        The reliability of the mean of ``n`` respondents; a float when both
        arguments are scalars. NaN where ``icc1`` is NaN or where
        :math:`1 + (n - 1)\,ICC(1) = 0` (``icc1 = -1/(n - 1)``), up to
        rounding.

    Raises
    ------
    ValueError
        If ``n`` is not positive and finite, ``icc1`` is infinite, or they
        do not broadcast.

    Notes
    -----
    The Spearman-Brown prophecy formula (Bliese 2000, eq. 3):

    .. math::

        \rho_n = \frac{n\,ICC(1)}{1 + (n - 1)\,ICC(1)}.

    With :math:`n = N/G` it reproduces :func:`icc2`. It tells how large a
    department must be before its mean is trustworthy: solving for :math:`n`
    at :math:`\rho_n = .70` gives the minimum group size for that reliability.

    References
    ----------
    .. [1] Bliese, P. D. (2000). Within-group agreement, non-independence, and
       reliability: Implications for data aggregation and analysis. In K. J.
       Klein & S. W. J. Kozlowski (Eds.), *Multilevel theory, research, and
       methods in organizations* (pp. 349-381). San Francisco: Jossey-Bass.
    .. [2] Spearman, C. (1910). Correlation calculated from faulty data.
       *British Journal of Psychology*, 3(3), 271-295. Brown, W. (1910). Some
       experimental results in the correlation of mental abilities. *British
       Journal of Psychology*, 3(3), 296-322.

    Examples
    --------
    >>> from ownership.stats.agreement import reliability_of_mean
    >>> reliability_of_mean([1, 5, 20], 0.2).round(4)
    array([0.2   , 0.5556, 0.8333])
    """
    size = as_float_array(n, "n", ndim=(0, 1, 2), allow_nan=False)
    if (size <= 0).any():
        raise ValueError("n must be positive")
    rho = as_float_array(icc1, "icc1", ndim=(0, 1, 2))
    try:
        size, rho = np.broadcast_arrays(size, rho)
    except ValueError:
        raise ValueError(
            f"n with shape {size.shape} and icc1 with shape {rho.shape} do not "
            "broadcast"
        ) from None
    denominator = 1.0 + (size - 1.0) * rho
    undefined = is_rounding_zero(denominator, 1.0 + (size - 1.0) * np.abs(rho), 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(undefined, np.nan, size * rho / denominator)
    return float(out) if out.ndim == 0 else out
