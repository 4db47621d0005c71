"""The BCa interval from given bootstrap replicates, as R's ``boot.ci``."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from ._validation import _confidence_iv


class ExtremeOrderStatisticWarning(UserWarning):
    """An interval end is the smallest or the largest replicate.

    Issued when R's ``boot:::norm.inter`` warns "extreme order statistics
    used as endpoints": some wanted order ``(B + 1) alpha`` is not strictly
    between 1 and ``B``, so that end is the first or last order statistic
    (or NaN beyond it) and more resamples would move it.
    """


def _as_replicates(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """``x`` as a float array; unlike data, replicates may be non-finite."""
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None


def _norm_inter(t: NDArray[np.float64], alpha: NDArray[np.float64]) -> NDArray:
    """Quantiles ``alpha`` of the replicates ``t``, as R's ``boot:::norm.inter``.

    With the ``R`` finite replicates sorted, the quantile of order ``alpha`` is
    the order statistic ``(R + 1) alpha`` when that is a whole number, else an
    interpolation between the neighbouring order statistics ``k`` and
    ``k + 1`` on the normal quantile scale (Davison & Hinkley 1997, eq. 5.8).
    Below the first order statistic (``k = 0``) it is the first, at or above
    the last but short of ``R + 1`` it is the last; from ``R + 1`` on (alpha
    of 1) it is NaN, where R gives NA. Like R, warns
    (:class:`ExtremeOrderStatisticWarning`) unless every ``(R + 1) alpha``
    lies strictly between 1 and ``R``.
    """
    t = np.sort(t[np.isfinite(t)])
    r = t.size
    alpha = np.asarray(alpha, dtype=np.float64)
    rk = (r + 1) * alpha
    if not np.all((rk > 1) & (rk < r)):
        warnings.warn(
            "extreme order statistics used as endpoints: (B + 1) alpha = "
            + ", ".join(f"{v:.2f}" for v in rk)
            + f" with B = {r} finite replicates",
            ExtremeOrderStatisticWarning,
            stacklevel=3,
        )
    out = np.full(alpha.shape, np.nan)
    if r == 0:
        return out
    k = np.trunc(rk)
    whole = k == rk
    at = whole & (k >= 1) & (k <= r)
    out[at] = t[k[at].astype(np.intp) - 1]
    out[k == 0] = t[0]
    out[k == r] = t[r - 1]
    mid = ~whole & (k > 0) & (k < r)
    if mid.any():
        km = k[mid]
        z = special.ndtri(alpha[mid])
        z_k = special.ndtri(km / (r + 1.0))
        z_k1 = special.ndtri((km + 1.0) / (r + 1.0))
        i = km.astype(np.intp)
        t_k, t_k1 = t[i - 1], t[i]
        out[mid] = t_k + (z - z_k) / (z_k1 - z_k) * (t_k1 - t_k)
    return out


def bca_interval(
    t0: ArrayLike,
    t: ArrayLike,
    influence: ArrayLike,
    *,
    confidence: float = 0.95,
) -> tuple[Any, Any]:
    r"""BCa interval from bootstrap replicates, exactly as R's ``boot.ci``.

    Parameters
    ----------
    t0 : float or array_like
        The statistic on the data, shape ``()`` or ``(m,)`` for ``m``
        statistics.
    t : array_like
        Bootstrap replicates, shape ``(B,)`` (one statistic) or ``(B, m)``.
        Non-finite replicates are left out, as R does.
    influence : array_like
        Empirical influence values of the ``n`` respondents, shape ``(n,)``
        (one statistic) or ``(n, m)``. :func:`bootstrap_ci` passes the
        jackknife values of R's ``empinf(type = "jack")``,
        :math:`L_i = (n - 1)(\hat\theta - \hat\theta_{(i)})`.
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    tuple
        ``(low, high)``, floats or arrays of shape ``(m,)``. NaN where the
        interval is undefined: no replicate below the estimate, or none at
        or above it (:math:`\hat z_0` infinite; R's ``bca.ci`` stops with
        "estimated adjustment 'w' is infinite"), or :math:`\hat a` not
        finite, e.g. influence values all zero (R stops with "estimated
        adjustment 'a' is NA"); also an end whose adjusted order is 1
        (R gives NA there).

    Warns
    -----
    ExtremeOrderStatisticWarning
        Where R warns "extreme order statistics used as endpoints": an end
        is the smallest or largest replicate.

    Notes
    -----
    R's ``boot:::bca.ci`` (Davison & Hinkley 1997, sec. 5.3.2): with the
    :math:`B` finite replicates,

    .. math::

        \hat z_0 = \Phi^{-1}\Bigl(\frac{\#\{t^*_b < t_0\}}{B}\Bigr), \qquad
        \hat a = \frac{\sum_i L_i^3}{6 (\sum_i L_i^2)^{3/2}}, \qquad
        \tilde\alpha = \Phi\Bigl(\hat z_0 + \frac{\hat z_0 + z_\alpha}
        {1 - \hat a(\hat z_0 + z_\alpha)}\Bigr)

    for :math:`\alpha = (1 \mp \text{confidence})/2`, and the endpoints are
    the :math:`\tilde\alpha` quantiles of the replicates by R's
    ``norm.inter``: the order statistic :math:`(B + 1)\tilde\alpha` when
    that is whole, else the interpolation between its neighbours :math:`k`
    and :math:`k + 1` on the normal quantile scale,
    :math:`t^*_{(k)} + \frac{\Phi^{-1}(\tilde\alpha) - \Phi^{-1}(k/(B+1))}
    {\Phi^{-1}((k+1)/(B+1)) - \Phi^{-1}(k/(B+1))}(t^*_{(k+1)} - t^*_{(k)})`,
    and the smallest (largest) replicate below (beyond) them. Replicates
    equal to :math:`t_0` do not count as below it (Efron 1987); scipy's
    ``bootstrap`` counts them as half, which gives other ends when a
    discrete statistic ties often. Given the same ``t`` and ``influence``
    the ends equal R's to rounding.

    References
    ----------
    .. [1] Efron, B. (1987). Better bootstrap confidence intervals. *JASA*,
       82(397), 171-185.
    .. [2] Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and
       their Application*, sec. 5.3. Cambridge University Press. R package
       ``boot`` (Canty & Ripley), functions ``bca.ci``, ``norm.inter`` and
       ``empinf``.

    Examples
    --------
    >>> import numpy as np
    >>> from ownership.stats.inference import bca_interval
    >>> t = np.arange(1, 40) / 40  # 19 replicates below 0.5, one equal to it
    >>> low, high = bca_interval(0.5, t, [-1.0, 0.5, 0.5, 0.0], confidence=0.8)
    >>> round(low, 4), round(high, 4)  # R: 0.0707073270774875 0.868202511364249
    (0.0707, 0.8682)
    """
    c = _confidence_iv(confidence)
    est = _as_replicates(t0, "t0")
    reps = _as_replicates(t, "t")
    infl = _as_replicates(influence, "influence")
    if est.ndim > 1:
        raise ValueError(f"t0 must be a number or 1-D, got {est.ndim}-D")
    scalar = est.ndim == 0
    m = est.size
    for name, arr in (("t", reps), ("influence", infl)):
        if arr.ndim not in (1, 2) or (arr.ndim == 2 and arr.shape[1] != m):
            raise ValueError(
                f"{name} must have shape ({'B' if name == 't' else 'n'},"
                f"{'' if scalar else f' {m}'}) for {m} estimate(s) in t0, "
                f"got {arr.shape}"
            )
        if arr.ndim == 1 and m != 1:
            raise ValueError(
                f"{name} is 1-D but t0 holds {m} estimates; give one column each"
            )
    est = np.atleast_1d(est)
    reps = reps.reshape(reps.shape[0], m)
    infl = infl.reshape(infl.shape[0], m)
    z_alpha = special.ndtri(np.array([(1.0 - c) / 2.0, (1.0 + c) / 2.0]))
    low = np.full(m, np.nan)
    high = np.full(m, np.nan)
    for j in range(m):
        column = reps[:, j][np.isfinite(reps[:, j])]
        if column.size == 0:
            continue
        z0 = special.ndtri(np.count_nonzero(column < est[j]) / column.size)
        lj = infl[:, j]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            a = np.sum(lj**3) / (6.0 * np.sum(lj**2) ** 1.5)
        if not (np.isfinite(z0) and np.isfinite(a)):
            continue
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            w = z0 + z_alpha
            adjusted = special.ndtr(z0 + w / (1.0 - a * w))
        low[j], high[j] = _norm_inter(column, adjusted)
    if scalar:
        return float(low[0]), float(high[0])
    return low, high
