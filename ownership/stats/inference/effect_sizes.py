"""Effect sizes: Cohen's d, Hedges' g and Cliff's delta."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._common import snap_variance
from ._validation import _sample_iv


def _two_samples(a: ArrayLike, b: ArrayLike, min_each: int = 1):
    x, y = _sample_iv(a, "a"), _sample_iv(b, "b")
    for v, nm in ((x, "a"), (y, "b")):
        if v.size < min_each:
            raise ValueError(f"{nm} needs at least {min_each} non-missing value(s)")
    return x, y


def cohens_d(a: ArrayLike, b: ArrayLike) -> float:
    r"""Cohen's d: mean difference over the pooled standard deviation.

    Parameters
    ----------
    a, b : array_like
        1-D samples; ``NaN`` is ignored. Together they need at least 3
        values, each at least 1.

    Returns
    -------
    float
        :math:`d`; ``NaN`` when the pooled SD is 0 (both samples constant,
        up to rounding: ``[0.7] * 5`` against ``[0.7] * 3`` included).

    Notes
    -----
    .. math::

        d = \frac{\bar a - \bar b}{s_p},\qquad
        s_p^2 = \frac{(n_a - 1)s_a^2 + (n_b - 1)s_b^2}{n_a + n_b - 2}.

    Equals ``effsize::cohen.d(a, b)`` and
    ``pingouin.compute_effsize(a, b, eftype="cohen")``.

    References
    ----------
    .. [1] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral
       Sciences* (2nd ed.), eq. 2.5.2. Hillsdale, NJ: Erlbaum.

    Examples
    --------
    >>> from ownership.stats.inference import cohens_d
    >>> round(cohens_d([4, 5, 4, 3, 5, 4], [3, 3, 4, 2, 3]), 6)
    1.592006
    """
    x, y = _two_samples(a, b)
    na, nb = x.size, y.size
    if na + nb < 3:
        raise ValueError("a and b need at least 3 non-missing values together")
    ss_a = ((x - x.mean()) ** 2).sum()
    ss_b = ((y - y.mean()) ** 2).sum()
    # A constant sample's sum of squares is rounding noise (1e-32 for 0.7s),
    # which would turn a difference of 1e-16 into an "effect" of 1.4.
    ss_a = na * snap_variance(ss_a / na, x.mean(), na)
    ss_b = nb * snap_variance(ss_b / nb, y.mean(), nb)
    sp = np.sqrt((ss_a + ss_b) / (na + nb - 2))
    if sp == 0:
        return float("nan")
    return float((x.mean() - y.mean()) / sp)


def hedges_g(a: ArrayLike, b: ArrayLike) -> float:
    r"""Hedges' g: Cohen's d with the small-sample bias correction.

    Parameters
    ----------
    a, b : array_like
        1-D samples; ``NaN`` is ignored.

    Returns
    -------
    float
        :math:`g`; ``NaN`` where :func:`cohens_d` is.

    Notes
    -----
    With Hedges' approximation to the exact gamma-function factor,

    .. math::

        g = d\Bigl(1 - \frac{3}{4(n_a + n_b) - 9}\Bigr).

    Equals R ``effsize::cohen.d(a, b, hedges.correction = TRUE)`` (Hedges &
    Olkin 1985) and ``pingouin.compute_effsize(a, b, eftype="hedges")``.

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator
       of effect size and related estimators. *Journal of Educational
       Statistics*, 6(2), 107-128, eq. 6e.
    .. [2] Hedges, L. V., & Olkin, I. (1985). *Statistical Methods for
       Meta-Analysis*. Orlando, FL: Academic Press.

    Examples
    --------
    >>> from ownership.stats.inference import hedges_g
    >>> round(hedges_g([4, 5, 4, 3, 5, 4], [3, 3, 4, 2, 3]), 6)
    1.455548
    """
    x, y = _two_samples(a, b)
    d = cohens_d(x, y)
    return float(d * (1.0 - 3.0 / (4.0 * (x.size + y.size) - 9.0)))


def cliffs_delta(a: ArrayLike, b: ArrayLike) -> float:
    r"""Cliff's delta: P(a > b) - P(a < b) over all pairs.

    Parameters
    ----------
    a, b : array_like
        1-D samples (ordinal is enough); ``NaN`` is ignored.

    Returns
    -------
    float
        :math:`\delta` in ``[-1, 1]``.

    Notes
    -----
    .. math::

        \delta = \frac{\#\{(i,j): a_i > b_j\} - \#\{(i,j): a_i < b_j\}}
                      {n_a n_b},

    counted with :func:`numpy.searchsorted` on the sorted ``b`` in
    :math:`O((n_a + n_b)\log n_b)`. Equals ``effsize::cliff.delta(a, b)``.

    References
    ----------
    .. [1] Cliff, N. (1993). Dominance statistics: ordinal analyses to
       answer ordinal questions. *Psychological Bulletin*, 114(3), 494-509.

    Examples
    --------
    >>> from ownership.stats.inference import cliffs_delta
    >>> round(cliffs_delta([4, 5, 4, 3, 5, 4], [3, 3, 4, 2, 3]), 6)
    0.733333
    """
    x, y = _two_samples(a, b)
    ys = np.sort(y)
    less = np.searchsorted(ys, x, side="left").sum()  # b_j < a_i
    greater = (y.size - np.searchsorted(ys, x, side="right")).sum()  # b_j > a_i
    return float((less - greater) / (x.size * y.size))
