"""A department against the rest of the organisation: Welch t and Newcombe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from .._common import as_float_array, snap_variance
from ._validation import _ANY_NDIM, _confidence_iv, _counts_iv, _sample_iv, _z
from .proportions import _wilson


@dataclass(frozen=True)
class RestComparison:
    """A department (or several, as arrays) against the rest of the organisation.

    Attributes
    ----------
    estimate, rest : float or ndarray
        The department's mean (or proportion) and that of everyone else.
    difference : float or ndarray
        ``estimate - rest``.
    se : float or ndarray
        Standard error of ``difference`` (Welch, or unpooled Wald for
        proportions).
    ci_low, ci_high : float or ndarray
        Confidence interval of ``difference`` (Welch t, or Newcombe's hybrid
        score interval for proportions).
    statistic, df, pvalue : float or ndarray
        Welch's t with its Satterthwaite df, or the pooled score z (``df`` is
        ``inf``), and the two-sided p-value.
    org_difference, org_se, org_ci_low, org_ci_high : float or ndarray
        The same on the displayed scale: department minus the whole
        organisation (department included), all equal to the above times
        ``1 - n / (n + rest_n)``.
    n, rest_n : int or ndarray
        Respondents in the department and in the rest.
    labels : ndarray or None
        Group labels when computed by group, else ``None``.
    """

    estimate: Any
    rest: Any
    difference: Any
    se: Any
    ci_low: Any
    ci_high: Any
    statistic: Any
    df: Any
    pvalue: Any
    org_difference: Any
    org_se: Any
    org_ci_low: Any
    org_ci_high: Any
    n: Any
    rest_n: Any
    labels: NDArray | None = None


def _finish(
    est, rest, diff, se, low, high, stat, df, p, n, rest_n, scalar, labels=None
) -> RestComparison:
    with np.errstate(divide="ignore", invalid="ignore"):
        w = rest_n / (n + rest_n)  # 1 - n_d / N
    f = (lambda a: float(a)) if scalar else (lambda a: np.asarray(a, dtype=float))
    i = (lambda a: int(a)) if scalar else (lambda a: np.asarray(a).astype(np.intp))
    return RestComparison(
        estimate=f(est),
        rest=f(rest),
        difference=f(diff),
        se=f(se),
        ci_low=f(low),
        ci_high=f(high),
        statistic=f(stat),
        df=f(df),
        pvalue=f(p),
        org_difference=f(w * diff),
        org_se=f(w * se),
        org_ci_low=f(w * low),
        org_ci_high=f(w * high),
        n=i(n),
        rest_n=i(rest_n),
        labels=labels,
    )


def _welch(n1, m1, v1, n2, m2, v2, z_conf):
    with np.errstate(divide="ignore", invalid="ignore"):
        # a constant sample's variance is rounding noise; treat it as the
        # exact 0 it is
        v1 = snap_variance(v1, m1, n1)
        v2 = snap_variance(v2, m2, n2)
        a, b = v1 / n1, v2 / n2
        se = np.sqrt(a + b)
        diff = m1 - m2
        df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
        defined = (n1 >= 2) & (n2 >= 2) & (se > 0)
        df = np.where(defined, df, np.nan)
        t = np.where(defined, diff / se, np.nan)
        p = 2.0 * stats.t.sf(np.abs(t), df)
        q = stats.t.ppf((1.0 + z_conf) / 2.0, df)
    return diff, se, diff - q * se, diff + q * se, t, df, p


def compare_means_to_rest(
    n: ArrayLike,
    mean: ArrayLike,
    var: ArrayLike,
    rest_n: ArrayLike,
    rest_mean: ArrayLike,
    rest_var: ArrayLike,
    *,
    confidence: float = 0.95,
) -> RestComparison:
    r"""Welch's t comparison of department means with the rest, from summaries.

    Parameters
    ----------
    n, mean, var : array_like
        The department's size, mean and sample variance (``ddof=1``).
    rest_n, rest_mean, rest_var : array_like
        The same for everyone outside the department. All six broadcast, so
        one call compares many departments.
    confidence : float, optional
        Confidence level of the interval, default 0.95.

    Returns
    -------
    RestComparison
        Floats for scalar input, arrays otherwise. Undefined entries (a side
        with fewer than 2 respondents, or zero variance on both sides) are
        ``NaN``.

    Notes
    -----
    Welch (1947) with the Satterthwaite degrees of freedom:

    .. math::

        t = \frac{\bar x_d - \bar x_r}{\sqrt{s_d^2/n_d + s_r^2/n_r}}, \qquad
        \nu = \frac{(s_d^2/n_d + s_r^2/n_r)^2}
                   {\frac{(s_d^2/n_d)^2}{n_d - 1} + \frac{(s_r^2/n_r)^2}{n_r - 1}}.

    The department is compared with the rest, never with a total that
    contains it (that would shrink the difference and correlate the two
    sides). The figure shown to HR is the difference to the organisation
    mean :math:`\bar x_o = (n_d\bar x_d + n_r\bar x_r)/N`, and

    .. math::

        \bar x_d - \bar x_o = \frac{N\bar x_d - n_d\bar x_d - n_r\bar x_r}{N}
                            = \Bigl(1 - \frac{n_d}{N}\Bigr)(\bar x_d - \bar x_r),

    so with the sizes fixed its SE and interval are those of the
    department-minus-rest difference times :math:`1 - n_d/N`, and its test
    is the same test. Equals R ``t.test(x_d, x_r)`` (``var.equal = FALSE``)
    and :func:`scipy.stats.ttest_ind` with ``equal_var=False``.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem
       when several different population variances are involved.
       *Biometrika*, 34(1-2), 28-35.

    Examples
    --------
    >>> from ownership.stats.inference import compare_means_to_rest
    >>> res = compare_means_to_rest([10, 40], [4.0, 3.5], [0.5, 1.0],
    ...                             [90, 60], [3.5, 3.6], [1.0, 0.5])
    >>> res.difference.round(3).tolist(), res.org_difference.round(3).tolist()
    ([0.5, -0.1], [0.45, -0.06])
    """
    c = _confidence_iv(confidence)
    arrays = [
        as_float_array(a, nm, ndim=_ANY_NDIM, allow_nan=True)
        for a, nm in (
            (n, "n"),
            (mean, "mean"),
            (var, "var"),
            (rest_n, "rest_n"),
            (rest_mean, "rest_mean"),
            (rest_var, "rest_var"),
        )
    ]
    n1, m1, v1, n2, m2, v2 = np.broadcast_arrays(*arrays)
    for a, nm in ((n1, "n"), (n2, "rest_n")):
        if np.isnan(a).any() or (a < 0).any():
            raise ValueError(f"{nm} must hold non-negative counts")
    for a, nm in ((v1, "var"), (v2, "rest_var")):
        if (a < 0).any():
            raise ValueError(f"{nm} contains negative variances")
    out = _welch(n1, m1, v1, n2, m2, v2, c)
    return _finish(m1, m2, *out, n1, n2, scalar=n1.ndim == 0)


def compare_to_rest(
    group_values: ArrayLike, rest_values: ArrayLike, *, confidence: float = 0.95
) -> RestComparison:
    r"""Welch's t comparison of one department's answers with the rest.

    Parameters
    ----------
    group_values : array_like
        1-D scores of the department's respondents (``NaN`` ignored).
    rest_values : array_like
        1-D scores of everyone else in the organisation (``NaN`` ignored).
        Not the whole organisation: the department must not be in it.
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    RestComparison
        See :func:`compare_means_to_rest`.

    Notes
    -----
    Computes the sizes, means and variances (``ddof=1``) and calls
    :func:`compare_means_to_rest`:

    .. math::

        t = \frac{\bar x_d - \bar x_r}{\sqrt{s_d^2/n_d + s_r^2/n_r}},\qquad
        \bar x_d - \bar x_o = \Bigl(1 - \frac{n_d}{N}\Bigr)(\bar x_d - \bar x_r).

    Reproduces R ``t.test(group_values, rest_values)``.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem
       when several different population variances are involved.
       *Biometrika*, 34(1-2), 28-35.

    Examples
    --------
    >>> from ownership.stats.inference import compare_to_rest
    >>> res = compare_to_rest([4, 5, 4, 3, 5, 4], [3, 3, 4, 2, 3])
    >>> round(res.statistic, 4), round(res.df, 3), round(res.pvalue, 4)
    (2.6458, 8.826, 0.0271)
    >>> round(res.org_difference, 4)  # (1 - 6/11) * 1.1667
    0.5303
    """
    a = _sample_iv(group_values, "group_values")
    b = _sample_iv(rest_values, "rest_values")

    def summary(x):
        with np.errstate(divide="ignore", invalid="ignore"):
            m = x.mean() if x.size else np.nan
            v = x.var(ddof=1) if x.size > 1 else np.nan
        return np.float64(x.size), np.float64(m), np.float64(v)

    n1, m1, v1 = summary(a)
    n2, m2, v2 = summary(b)
    c = _confidence_iv(confidence)
    out = _welch(n1, m1, v1, n2, m2, v2, c)
    return _finish(m1, m2, *out, n1, n2, scalar=True)


def _newcombe(k1, n1, k2, n2, z):
    """Newcombe (1998) method 10 bounds, unpooled SE and pooled score z."""
    l1, u1 = _wilson(k1, n1, z)
    l2, u2 = _wilson(k2, n2, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = k1 / n1, k2 / n2
        diff = p1 - p2
        low = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        high = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
        se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        pooled = (k1 + k2) / (n1 + n2)
        z_stat = diff / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z_stat = np.where(np.isfinite(z_stat), z_stat, np.nan)
        pvalue = 2.0 * stats.norm.sf(np.abs(z_stat))
    return p1, p2, diff, se, low, high, z_stat, np.full_like(diff, np.inf), pvalue


def compare_proportions_to_rest(
    successes: ArrayLike,
    n: ArrayLike,
    rest_successes: ArrayLike,
    rest_n: ArrayLike,
    *,
    confidence: float = 0.95,
) -> RestComparison:
    r"""Compare department proportions with the rest (Newcombe hybrid score).

    Parameters
    ----------
    successes, n : array_like
        Favourable answers and answers in the department.
    rest_successes, rest_n : array_like
        The same for everyone outside the department. All four broadcast.
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    RestComparison
        ``estimate`` and ``rest`` are proportions; ``ci_low``/``ci_high`` the
        Newcombe interval of their difference; ``statistic`` the pooled score
        z with ``df = inf``; ``se`` the unpooled Wald SE. ``NaN`` where a side
        has no answers (and ``statistic``/``pvalue`` when the pooled
        proportion is 0 or 1).

    Notes
    -----
    Newcombe's method 10 combines the Wilson intervals
    :math:`(l_i, u_i)` of the two proportions:

    .. math::

        L = \hat\delta - \sqrt{(\hat p_1 - l_1)^2 + (u_2 - \hat p_2)^2},\qquad
        U = \hat\delta + \sqrt{(u_1 - \hat p_1)^2 + (\hat p_2 - l_2)^2}.

    The p-value is the score (pooled) test,
    :math:`z = \hat\delta / \sqrt{\bar p(1-\bar p)(1/n_1 + 1/n_2)}`, the same
    as R ``prop.test(c(k1, k2), c(n1, n2), correct = FALSE)$p.value``. The
    interval and the test are close relatives but not exact inverses, so at
    the margin ``pvalue < 0.05`` and "interval excludes 0" can disagree.
    The organisation-scale fields are scaled by :math:`1 - n_d/N` as in
    :func:`compare_means_to_rest`.

    Reproduces ``statsmodels.stats.proportion.confint_proportions_2indep(...,
    method="newcomb")`` and Newcombe's (1998) Table II.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference
       between independent proportions: comparison of eleven methods.
       *Statistics in Medicine*, 17(8), 873-890.

    Examples
    --------
    >>> from ownership.stats.inference import compare_proportions_to_rest
    >>> res = compare_proportions_to_rest(56, 70, 48, 80)
    >>> round(res.ci_low, 4), round(res.ci_high, 4)
    (0.0524, 0.3339)
    """
    c = _confidence_iv(confidence)
    k1, n1 = _counts_iv(successes, n, "successes", "n")
    k2, n2 = _counts_iv(rest_successes, rest_n, "rest_successes", "rest_n")
    try:
        k1, n1, k2, n2 = np.broadcast_arrays(k1, n1, k2, n2)
    except ValueError:
        raise ValueError(
            "department and rest counts have incompatible shapes"
        ) from None
    out = _newcombe(k1, n1, k2, n2, _z(c))
    return _finish(*out, n1, n2, scalar=k1.ndim == 0)
