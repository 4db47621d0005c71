"""Bootstrap intervals: BCa over respondents, or two-stage over departments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from .._common import as_float_array, as_groups
from ._validation import _confidence_iv

# chunks of resampled data are kept below this many elements
_MAX_ELEMENTS = 2**24


# --------------------------------------------------------------------------
# bootstrap


class BootstrapResult(NamedTuple):
    """A bootstrap confidence interval.

    ``estimate`` is the statistic on the data as given, ``standard_error``
    the standard deviation of the bootstrap distribution, ``method`` the
    interval method actually used (``"BCa"``, ``"percentile"``, ``"basic"``).
    """

    estimate: Any
    ci_low: Any
    ci_high: Any
    standard_error: Any
    method: str
    n_resamples: int


def _hierarchical_distribution(data, statistic, index, n_resamples, rng):
    """Two-stage resampling: departments with replacement, then people."""
    sizes = index.sizes.astype(np.intp)
    g = sizes.shape[0]
    order = np.argsort(index.codes, kind="stable")
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    row_size = int(np.prod(data.shape[1:], dtype=np.intp))
    per_resample = max(1, data.shape[0] * row_size)
    chunk = max(1, _MAX_ELEMENTS // per_resample)
    results = []
    done = 0
    while done < n_resamples:
        b = min(chunk, n_resamples - done)
        # stage 1: departments
        chosen = rng.integers(0, g, size=(b, g))
        chosen_sizes = sizes[chosen]
        totals = chosen_sizes.sum(axis=1)
        # stage 2: as many people as the chosen department has, from it
        flat_group = np.repeat(chosen.reshape(-1), chosen_sizes.reshape(-1))
        offsets = rng.integers(0, sizes[flat_group])
        rows = order[starts[flat_group] + offsets]
        seg = np.concatenate(([0], np.cumsum(totals)[:-1]))
        out = None
        # resamples of equal size are evaluated together (one call when the
        # departments are balanced)
        for total in np.unique(totals):
            sel = np.flatnonzero(totals == total)
            idx = rows[seg[sel][:, None] + np.arange(total)]
            vals = np.asarray(statistic(data[idx]), dtype=np.float64)
            if out is None:
                out = np.empty((b, *vals.shape[1:]))
            out[sel] = vals
        results.append(out)
        done += b
    return np.concatenate(results, axis=0)


def _norm_inter(t: NDArray[np.float64], alpha: NDArray[np.float64]) -> NDArray:
    """Quantiles ``alpha`` of the replicates ``t``, as R's ``boot:::norm.inter``.

    With the ``R`` finite replicates sorted, the quantile of order ``alpha`` is
    the order statistic ``(R + 1) alpha`` when that is a whole number, else an
    interpolation between the neighbouring order statistics ``k`` and
    ``k + 1`` on the normal quantile scale (Davison & Hinkley 1997, eq. 5.8);
    beyond the first or the last order statistic it is that statistic.
    """
    t = np.sort(t[np.isfinite(t)])
    r = t.size
    if r == 0:
        return np.full(alpha.shape, np.nan)
    rk = (r + 1) * alpha
    k = np.trunc(rk).astype(np.intp)
    out = np.full(alpha.shape, np.nan)
    whole = k == rk
    inner = (k > 0) & (k < r)
    out[whole & inner] = t[k[whole & inner] - 1]
    out[k <= 0] = t[0]
    out[k >= r] = t[r - 1]
    mid = ~whole & inner
    if mid.any():
        km = k[mid]
        z = special.ndtri(alpha[mid])
        z_k = special.ndtri(km / (r + 1.0))
        z_k1 = special.ndtri((km + 1.0) / (r + 1.0))
        t_k, t_k1 = t[km - 1], t[km]
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
        Bootstrap replicates, shape ``(B,)`` or ``(B, m)``. Non-finite
        replicates are left out, as R does.
    influence : array_like
        Empirical influence values of the respondents, shape ``(n,)`` or
        ``(n, m)``, e.g. the jackknife's
        :math:`L_i = (n - 1)(\bar\theta_{(\cdot)} - \hat\theta_{(i)})`.
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    tuple
        ``(low, high)``, floats or arrays of shape ``(m,)``. NaN where the
        interval is undefined: every replicate at or above the estimate, or
        every one below it (:math:`\hat z_0` infinite), or no spread in the
        influence values (:math:`\hat a` undefined). R's ``boot.ci`` stops
        with an error in those cases.

    Notes
    -----
    R's ``boot:::bca.ci`` (Davison & Hinkley 1997, sec. 5.3.2):

    .. math::

        \hat z_0 = \Phi^{-1}\Bigl(\frac{\#\{t^*_b < t_0\}}{B}\Bigr), \qquad
        \hat a = \frac{\sum_i L_i^3}{6 (\sum_i L_i^2)^{3/2}}, \qquad
        \tilde\alpha = \Phi\Bigl(\hat z_0 + \frac{\hat z_0 + z_\alpha}
        {1 - \hat a(\hat z_0 + z_\alpha)}\Bigr),

    and the endpoints are the :math:`\tilde\alpha` quantiles of the
    replicates by normal-scale interpolation (``norm.inter``). Replicates
    equal to :math:`t_0` do not count as below it (Efron 1987); scipy counts
    them as half.

    References
    ----------
    .. [1] Efron, B. (1987). Better bootstrap confidence intervals. *JASA*,
       82(397), 171-185.
    .. [2] Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and
       their Application*, sec. 5.3. Cambridge University Press. R package
       ``boot`` (Canty & Ripley), functions ``bca.ci`` and ``norm.inter``.

    Examples
    --------
    >>> from ownership.stats.inference.bootstrap import bca_interval
    >>> t = [0.40, 0.45, 0.50, 0.50, 0.55, 0.60, 0.65, 0.50, 0.45, 0.55]
    >>> low, high = bca_interval(0.5, t, [-1.0, 0.5, 0.5, 0.0], confidence=0.8)
    >>> round(low, 4), round(high, 4)
    (0.4, 0.5174)
    """
    c = _confidence_iv(confidence)
    est = np.asarray(t0, dtype=np.float64)
    reps = np.asarray(t, dtype=np.float64)
    infl = np.asarray(influence, dtype=np.float64)
    scalar = est.ndim == 0
    est, reps = np.atleast_1d(est), reps.reshape(reps.shape[0], -1)
    infl = infl.reshape(infl.shape[0], -1)
    z_alpha = special.ndtri(np.array([(1.0 - c) / 2.0, (1.0 + c) / 2.0]))
    low = np.full(est.shape, np.nan)
    high = np.full(est.shape, np.nan)
    for j in range(est.size):
        column = reps[:, j][np.isfinite(reps[:, j])]
        if column.size == 0:
            continue
        z0 = special.ndtri(np.count_nonzero(column < est[j]) / column.size)
        lj = infl[:, j]
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.sum(lj**3) / (6.0 * np.sum(lj**2) ** 1.5)
        if not (np.isfinite(z0) and np.isfinite(a)):
            continue
        adjusted = special.ndtr(z0 + (z0 + z_alpha) / (1.0 - a * (z0 + z_alpha)))
        low[j], high[j] = _norm_inter(column, adjusted)
    if scalar:
        return float(low[0]), float(high[0])
    return low, high


def _replicates(arr, statistic, n_resamples, gen) -> NDArray[np.float64]:
    """``statistic`` on ``n_resamples`` resamples of the rows, in chunks."""
    n = arr.shape[0]
    row_size = int(np.prod(arr.shape[1:], dtype=np.intp))
    chunk = max(1, _MAX_ELEMENTS // max(1, n * row_size))
    out = []
    done = 0
    while done < n_resamples:
        b = min(chunk, n_resamples - done)
        idx = gen.integers(0, n, size=(b, n))
        out.append(np.asarray(statistic(arr[idx]), dtype=np.float64))
        done += b
    return np.concatenate(out, axis=0)


def _leave_one_out(arr, statistic) -> NDArray[np.float64]:
    """The jackknife values: ``statistic`` without each respondent in turn."""
    n = arr.shape[0]
    row_size = int(np.prod(arr.shape[1:], dtype=np.intp))
    chunk = max(1, _MAX_ELEMENTS // max(1, (n - 1) * row_size))
    base = np.arange(n - 1)
    out = []
    for start in range(0, n, chunk):
        left_out = np.arange(start, min(n, start + chunk))
        idx = base[None, :] + (base[None, :] >= left_out[:, None])
        out.append(np.asarray(statistic(arr[idx]), dtype=np.float64))
    return np.concatenate(out, axis=0)


def bootstrap_ci(
    data: ArrayLike,
    statistic: Callable[[NDArray[np.float64]], ArrayLike],
    *,
    groups: ArrayLike | None = None,
    hierarchical: bool = False,
    n_resamples: int = 9999,
    confidence: float = 0.95,
    method: str = "BCa",
    rng: np.random.Generator | int | None = None,
    jackknife: Callable[[NDArray[np.float64]], ArrayLike] | None = None,
) -> BootstrapResult:
    r"""Bootstrap confidence interval, resampling whole respondents.

    Parameters
    ----------
    data : array_like
        1-D (one value per respondent) or 2-D (one row per respondent, e.g.
        an allocation). ``NaN`` is passed through to ``statistic``.
    statistic : callable
        Vectorised statistic. It receives an array of shape ``(B, n)`` (1-D
        data) or ``(B, n, K)`` (2-D data): ``B`` resamples of ``n``
        respondents, and returns shape ``(B,)`` (or ``(B, m)`` for ``m``
        statistics at once), reducing over axis 1.
    groups : array_like, optional
        Department labels, one per respondent; required by (and only used
        with) ``hierarchical=True``.
    hierarchical : bool, optional
        If true, resample departments with replacement, then respondents
        with replacement within each chosen department (two-stage bootstrap,
        Davison & Hinkley 1997, sec. 3.8). The number of respondents of a
        resample then varies with the departments drawn.
    n_resamples : int, optional
        Number of bootstrap resamples, default 9999.
    confidence : float, optional
        Confidence level, default 0.95.
    method : {"BCa", "percentile", "basic"}, optional
        Interval method for the ordinary bootstrap (default BCa). The
        hierarchical bootstrap always uses the percentile interval.
    rng : numpy.random.Generator or int, optional
        Random generator or seed.
    jackknife : callable, optional
        For BCa only: a function that receives ``data`` and returns the
        ``n`` leave-one-out values of the statistic, shape ``(n,)`` or
        ``(n, m)``. Without it they are computed by calling ``statistic`` on
        the ``n`` samples of ``n - 1`` respondents, :math:`O(n^2)`; a closed
        form (for a mean, :math:`(\sum x - x_i)/(n - 1)`) makes the
        interval linear in ``n``.

    Returns
    -------
    BootstrapResult
        ``estimate``, ``ci_low``, ``ci_high``, ``standard_error`` (the
        standard deviation of the replicates), ``method``, ``n_resamples``.
        When the data do not vary the BCa interval is undefined and its
        bounds are NaN (see :func:`bca_interval`); the percentile and basic
        intervals are then ``[estimate, estimate]``.

    Notes
    -----
    The intervals follow R's ``boot.ci`` exactly, given the same replicates:
    BCa (Efron 1987) with the bias correction
    :math:`\hat z_0 = \Phi^{-1}(\#\{\theta^* < \hat\theta\}/B)`, counting
    replicates *strictly* below the estimate, and the jackknife acceleration
    :math:`\hat a` (:func:`bca_interval`); the percentile interval
    :math:`[\theta^*_{(\alpha/2)}, \theta^*_{(1-\alpha/2)}]` and the basic
    interval :math:`[2\hat\theta - \theta^*_{(1-\alpha/2)}, 2\hat\theta -
    \theta^*_{(\alpha/2)}]`, every quantile taken by R's ``norm.inter``.
    Resamples are drawn as row indices in chunks (whole respondents, all
    their answers together), so memory stays bounded.

    The hierarchical bootstrap (scipy has no cluster resampling) draws
    :math:`G` departments with replacement, then, for each drawn
    department, as many respondents as it has, with replacement; resamples
    with the same total size are passed to ``statistic`` together. It
    returns the percentile interval of ``numpy.quantile``: the BCa
    acceleration has no agreed jackknife for two-stage designs. Resampling
    at both stages makes the interval somewhat conservative (Davison &
    Hinkley 1997, p. 101); it is the right one when departments are a sample
    of the organisation's possible departments and is wider than the
    ordinary bootstrap when departments differ.

    References
    ----------
    .. [1] Efron, B. (1987). Better bootstrap confidence intervals. *JASA*,
       82(397), 171-185.
    .. [2] Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and
       their Application*, secs. 3.8 and 5.3. Cambridge University Press.
    .. [3] Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data.
       *JRSS B*, 69(3), 369-390.

    Examples
    --------
    >>> import numpy as np
    >>> from ownership.stats.inference import bootstrap_ci
    >>> x = np.random.default_rng(1).normal(3.5, 1.0, size=60)
    >>> res = bootstrap_ci(x, lambda s: s.mean(axis=1), n_resamples=999, rng=2)
    >>> bool(res.ci_low < x.mean() < res.ci_high), res.method
    (True, 'BCa')
    >>> res = bootstrap_ci(x, lambda s: s.mean(axis=1), groups=np.arange(60) % 6,
    ...                    hierarchical=True, n_resamples=999, rng=2)
    >>> bool(res.ci_low < x.mean() < res.ci_high), res.method
    (True, 'percentile')
    """
    arr = as_float_array(data, "data", ndim=(1, 2), allow_nan=True)
    if not callable(statistic):
        raise ValueError("statistic must be callable")
    if jackknife is not None and not callable(jackknife):
        raise ValueError("jackknife must be callable")
    if (
        isinstance(n_resamples, bool)
        or not isinstance(n_resamples, (int, np.integer))
        or n_resamples < 1
    ):
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    c = _confidence_iv(confidence)
    methods = {"bca": "BCa", "percentile": "percentile", "basic": "basic"}
    if not isinstance(method, str) or method.lower() not in methods:
        raise ValueError(
            f"method must be 'BCa', 'percentile' or 'basic', got {method!r}"
        )
    method = methods[method.lower()]
    n = arr.shape[0]
    if n < 2:
        raise ValueError(f"data must have at least 2 respondents (rows), got {n}")
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    estimate = np.asarray(statistic(arr[None]), dtype=np.float64)[0]

    if hierarchical:
        if groups is None:
            raise ValueError("groups is required when hierarchical=True")
        index = as_groups(groups, n)
        dist = _hierarchical_distribution(arr, statistic, index, int(n_resamples), gen)
        alpha = 1.0 - c
        low, high = np.quantile(dist, [alpha / 2, 1 - alpha / 2], axis=0)
        se = dist.std(axis=0, ddof=1)
        return BootstrapResult(
            _out(estimate), _out(low), _out(high), _out(se), "percentile", n_resamples
        )
    if groups is not None:
        raise ValueError(
            "groups is only used with hierarchical=True; "
            "the ordinary bootstrap resamples respondents"
        )

    reps = _replicates(arr, statistic, int(n_resamples), gen)
    se = reps.std(axis=0, ddof=1)
    columns = reps.reshape(reps.shape[0], -1)
    t0 = np.atleast_1d(estimate)
    if method == "BCa":
        if jackknife is None:
            loo = _leave_one_out(arr, statistic)
        else:
            loo = np.asarray(jackknife(arr), dtype=np.float64)
            if loo.shape[0] != n:
                raise ValueError(
                    f"jackknife returned {loo.shape[0]} values for {n} respondents"
                )
        loo = loo.reshape(n, -1)
        influence = (n - 1.0) * (loo.mean(axis=0) - loo)
        low, high = bca_interval(t0, columns, influence, confidence=c)
    else:
        alpha = np.array([(1.0 - c) / 2.0, (1.0 + c) / 2.0])
        quantiles = np.array(
            [_norm_inter(columns[:, j], alpha) for j in range(t0.size)]
        )
        if method == "percentile":
            low, high = quantiles[:, 0], quantiles[:, 1]
        else:
            low, high = 2.0 * t0 - quantiles[:, 1], 2.0 * t0 - quantiles[:, 0]
    shape = np.shape(estimate)
    return BootstrapResult(
        _out(estimate),
        _out(np.reshape(low, shape)),
        _out(np.reshape(high, shape)),
        _out(se),
        method,
        n_resamples,
    )


def _out(x: Any) -> Any:
    a = np.asarray(x, dtype=np.float64)
    return float(a) if a.ndim == 0 else a
