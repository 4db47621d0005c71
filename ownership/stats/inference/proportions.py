"""Proportions: the Wilson interval and favourable (top-box) shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._common import as_groups
from ._validation import _confidence_iv, _counts_iv, _likert_iv, _scalar, _top_iv, _z


class Interval(NamedTuple):
    """A confidence interval (floats, or arrays of the broadcast shape)."""

    low: Any
    high: Any


def _wilson(
    k: NDArray[np.float64], n: NDArray[np.float64], z: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson bounds as written in R's prop.test (correct = FALSE)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        z22n = z * z / (2.0 * n)
        root = z * np.sqrt(p * (1.0 - p) / n + z22n / (2.0 * n))
        low = np.where(p <= 0, 0.0, (p + z22n - root) / (1.0 + 2.0 * z22n))
        high = np.where(p >= 1, 1.0, (p + z22n + root) / (1.0 + 2.0 * z22n))
    empty = n == 0
    low = np.where(empty, np.nan, np.maximum(low, 0.0))
    high = np.where(empty, np.nan, np.minimum(high, 1.0))
    return low, high


def wilson_interval(
    successes: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> Interval:
    r"""Wilson score interval for a binomial proportion.

    Parameters
    ----------
    successes : array_like
        Number of successes, ``0 <= successes <= n``. Arrays broadcast
        against ``n``.
    n : array_like
        Number of trials. ``n = 0`` gives a ``NaN`` interval.
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    Interval
        ``(low, high)``: floats for scalar input, arrays otherwise.

    Notes
    -----
    With :math:`\hat p = k/n` and :math:`z = \Phi^{-1}((1 + c)/2)`,

    .. math::

        \frac{\hat p + \frac{z^2}{2n} \pm
              z\sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}}
             {1 + \frac{z^2}{n}},

    the set of :math:`p` not rejected by the score test (Wilson 1927, eq.
    for :math:`\lambda`; Newcombe 1998, method 3). The bounds are exactly 0
    when :math:`k = 0` and exactly 1 when :math:`k = n`, as in R.

    Equals ``prop.test(k, n, correct = FALSE)$conf.int`` in R.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession,
       and statistical inference. *JASA*, 22(158), 209-212.
    .. [2] Newcombe, R. G. (1998). Two-sided confidence intervals for the
       single proportion: comparison of seven methods. *Statistics in
       Medicine*, 17(8), 857-872.

    Examples
    --------
    >>> from ownership.stats.inference import wilson_interval
    >>> low, high = wilson_interval(18, 25)
    >>> round(low, 7), round(high, 7)
    (0.5242339, 0.8571615)
    >>> wilson_interval([0, 0], [10, 0]).low.tolist()
    [0.0, nan]
    """
    c = _confidence_iv(confidence)
    k, m = _counts_iv(successes, n, "successes", "n")
    low, high = _wilson(k, m, _z(c))
    scalar = k.ndim == 0
    return Interval(_scalar(low, scalar), _scalar(high, scalar))


# --------------------------------------------------------------------------
# favourable share


class FavourableShare(NamedTuple):
    """Top-box share of one item with its Wilson interval."""

    share: float
    low: float
    high: float
    successes: int
    n: int


@dataclass(frozen=True)
class FavourableByGroup:
    """Top-box shares per group (arrays of shape ``(G,)``).

    ``n`` counts the non-missing answers; a group whose answers are all
    missing has ``n = 0`` and ``NaN`` share and bounds.
    """

    labels: NDArray
    n: NDArray[np.intp]
    successes: NDArray[np.intp]
    share: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]


def favourable_share(
    values: ArrayLike, n_options: int, *, top: int = 2, confidence: float = 0.95
) -> FavourableShare:
    r"""Share of favourable answers (top-2-box) with its Wilson interval.

    Parameters
    ----------
    values : array_like
        1-D answers coded ``1..n_options``; ``NaN`` is a missing answer and
        is ignored.
    n_options : int
        Number of answer options of the scale.
    top : int, optional
        How many of the highest options count as favourable (default 2:
        "agree" and "strongly agree" on a 5-point scale).
    confidence : float, optional
        Confidence level of the interval, default 0.95.

    Returns
    -------
    FavourableShare
        ``share``, ``low``, ``high``, ``successes`` and ``n`` (non-missing
        answers). With no answers the share and bounds are ``NaN``.

    Notes
    -----
    With ``A`` options and the top ``t`` counted as favourable,

    .. math::

        k = \#\{i : x_i > A - t\}, \qquad \hat p = k / n,

    over the :math:`n` non-missing answers, and the interval is
    :func:`wilson_interval` of ``(k, n)``.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession,
       and statistical inference. *JASA*, 22(158), 209-212.

    Examples
    --------
    >>> import numpy as np
    >>> from ownership.stats.inference import favourable_share
    >>> answers = np.r_[np.full(18, 4.0), np.full(7, 2.0), np.nan]
    >>> res = favourable_share(answers, 5)
    >>> res.share, res.n, round(res.low, 7), round(res.high, 7)
    (0.72, 25, 0.5242339, 0.8571615)
    """
    arr, ok, k_opts = _likert_iv(values, n_options)
    t = _top_iv(top, k_opts)
    c = _confidence_iv(confidence)
    n = int(ok.sum())
    k = int((arr[ok] > k_opts - t).sum())
    low, high = _wilson(np.float64(k), np.float64(n), _z(c))
    share = k / n if n else float("nan")
    return FavourableShare(share, float(low), float(high), k, n)


def favourable_by_group(
    values: ArrayLike,
    groups: ArrayLike,
    n_options: int,
    *,
    top: int = 2,
    confidence: float = 0.95,
) -> FavourableByGroup:
    r""":func:`favourable_share` for every group at once, vectorised.

    Parameters
    ----------
    values : array_like
        1-D answers coded ``1..n_options``, ``NaN`` for missing.
    groups : array_like
        1-D group labels, one per answer.
    n_options : int
        Number of answer options.
    top : int, optional
        Number of top options counted as favourable (default 2).
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    FavourableByGroup
        ``labels`` (sorted unique), ``n``, ``successes``, ``share``, ``low``,
        ``high``. Every label in ``groups`` appears, even when all of its
        answers are missing. No answers at all give empty arrays.

    Notes
    -----
    Counts per group come from :func:`numpy.bincount` on the group codes,

    .. math::

        n_g = \#\{i \in g : x_i \ne \mathrm{NaN}\}, \qquad
        k_g = \#\{i \in g : x_i > A - t\}, \qquad \hat p_g = k_g / n_g,

    then :func:`wilson_interval` is evaluated on the arrays of counts.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession,
       and statistical inference. *JASA*, 22(158), 209-212.

    Examples
    --------
    >>> from ownership.stats.inference import favourable_by_group
    >>> res = favourable_by_group([5, 4, 1, 2, 4, float("nan")],
    ...                          ["a", "a", "a", "b", "b", "b"], 5)
    >>> res.labels.tolist(), res.n.tolist(), res.successes.tolist()
    (['a', 'b'], [3, 2], [2, 1])
    >>> res.share.round(3).tolist()
    [0.667, 0.5]
    """
    arr, ok, k_opts = _likert_iv(values, n_options)
    t = _top_iv(top, k_opts)
    c = _confidence_iv(confidence)
    index = as_groups(groups, arr.shape[0])
    g = index.labels.shape[0]
    fav = ok & (np.where(ok, arr, 0.0) > k_opts - t)
    n = np.bincount(index.codes, weights=ok, minlength=g).astype(np.intp)
    k = np.bincount(index.codes, weights=fav, minlength=g).astype(np.intp)
    kf, nf = k.astype(np.float64), n.astype(np.float64)
    low, high = _wilson(kf, nf, _z(c))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, kf / nf, np.nan)
    return FavourableByGroup(index.labels, n, k, share, low, high)
