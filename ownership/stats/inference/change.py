"""Change between two waves: independent samples, since answers are anonymous
and cannot be paired across waves."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from ._validation import _confidence_iv, _counts_iv, _z
from .nps import _nps_counts_iv, _nps_from_counts
from .rest import _newcombe


class Change(NamedTuple):
    """A change ``now - before`` with its interval and two-sided p-value.

    Floats for scalar input, arrays otherwise; ``NaN`` where undefined.
    """

    difference: Any
    low: Any
    high: Any
    pvalue: Any


def _out(values, scalar: bool) -> Change:
    f = (lambda a: float(a)) if scalar else (lambda a: np.asarray(a, dtype=float))
    return Change(*(f(v) for v in values))


def share_change(
    successes: ArrayLike,
    n: ArrayLike,
    before_successes: ArrayLike,
    before_n: ArrayLike,
    *,
    confidence: float = 0.95,
) -> Change:
    r"""Change of a proportion between two independent samples.

    Parameters
    ----------
    successes, n : array_like
        Favourable answers and answers now.
    before_successes, before_n : array_like
        The same in the earlier wave. All four broadcast.
    confidence : float, optional
        Confidence level of the interval, default 0.95.

    Returns
    -------
    Change
        The difference of the proportions, Newcombe's (1998, method 10)
        hybrid score interval and the pooled score test's p-value (``NaN``
        when the pooled proportion is 0 or 1: nothing changed and nothing
        can be tested).

    Notes
    -----
    The same interval and test as
    :func:`~ownership.stats.inference.compare_proportions_to_rest`, with the
    earlier wave in place of the rest of the organisation. The p-value equals
    R ``prop.test(c(k, k0), c(n, n0), correct = FALSE)$p.value``.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference
       between independent proportions: comparison of eleven methods.
       *Statistics in Medicine*, 17(8), 873-890.

    Examples
    --------
    >>> from ownership.stats.inference import share_change
    >>> res = share_change(56, 70, 48, 80)
    >>> [round(v, 4) for v in res]
    [0.2, 0.0524, 0.3339, 0.008]
    """
    c = _confidence_iv(confidence)
    k1, n1 = _counts_iv(successes, n, "successes", "n")
    k0, n0 = _counts_iv(before_successes, before_n, "before_successes", "before_n")
    k1, n1, k0, n0 = np.broadcast_arrays(k1, n1, k0, n0)
    _, _, diff, _, low, high, _, _, p = _newcombe(k1, n1, k0, n0, _z(c))
    return _out((diff, low, high, p), k1.ndim == 0)


def nps_change(
    promoters: ArrayLike,
    detractors: ArrayLike,
    n: ArrayLike,
    before_promoters: ArrayLike,
    before_detractors: ArrayLike,
    before_n: ArrayLike,
    *,
    confidence: float = 0.95,
) -> Change:
    r"""Change of the Net Promoter Score between two independent samples.

    Parameters
    ----------
    promoters, detractors, n : array_like
        Counts of promoters (9-10), detractors (0-6) and answers now.
    before_promoters, before_detractors, before_n : array_like
        The same in the earlier wave. All six broadcast.
    confidence : float, optional
        Confidence level of the interval, default 0.95.

    Returns
    -------
    Change
        The difference in NPS points (-200..200), its Wald interval and the
        two-sided z-test p-value (``NaN`` when both samples are constant).

    Notes
    -----
    With :math:`\hat p, \hat d` the promoter and detractor shares of a
    sample, the NPS :math:`\hat p - \hat d` has variance
    :math:`(\hat p + \hat d - (\hat p - \hat d)^2)/n` (the trinomial variance
    of Rocks 2016, eq. 2). The two waves are independent, so

    .. math::

        z = \frac{S_1 - S_0}{\sqrt{\mathrm{se}_1^2 + \mathrm{se}_0^2}},

    and the interval is :math:`S_1 - S_0 \pm z_{1-\alpha/2}\sqrt{\cdot}`,
    clipped to the possible range.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter
       score". *The American Statistician*, 70(4), 365-372.

    Examples
    --------
    >>> from ownership.stats.inference import nps_change
    >>> res = nps_change(50, 20, 100, 40, 30, 100)
    >>> [round(v, 4) for v in res]
    [20.0, -2.347, 42.347, 0.0794]
    """
    c = _confidence_iv(confidence)
    p1, d1, m1 = _nps_counts_iv(promoters, detractors, n)
    p0, d0, m0 = _nps_counts_iv(
        before_promoters, before_detractors, before_n, "before_"
    )
    p1, d1, m1, p0, d0, m0 = np.broadcast_arrays(p1, d1, m1, p0, d0, m0)
    # Each wave's score and Wald SE, as for one group's NPS.
    s1, se1, _, _ = _nps_from_counts(p1, d1, m1, _z(c))
    s0, se0, _, _ = _nps_from_counts(p0, d0, m0, _z(c))
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(se1**2 + se0**2)
        diff = s1 - s0
        z = np.where(se > 0, diff / se, np.nan)
        p = 2.0 * stats.norm.sf(np.abs(z))
        half = _z(c) * se
        low = np.maximum(diff - half, -2.0)
        high = np.minimum(diff + half, 2.0)
    undefined = (m1 == 0) | (m0 == 0)
    values = [np.where(undefined, np.nan, 100.0 * v) for v in (diff, low, high)]
    values.append(np.where(undefined, np.nan, p))
    return _out(values, p1.ndim == 0)
