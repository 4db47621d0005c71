"""Bootstrap intervals: BCa over respondents, or two-stage over departments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._common import as_float_array, as_groups
from ._validation import _confidence_iv
from .bca import _as_replicates, _norm_inter, bca_interval

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


def _evaluate(statistic, samples: NDArray[np.float64]) -> NDArray[np.float64]:
    """``statistic`` on a stack of samples: one value (or row) per sample."""
    vals = np.asarray(statistic(samples), dtype=np.float64)
    if vals.ndim == 0 or vals.shape[0] != samples.shape[0]:
        raise ValueError(
            f"statistic must return one value (or one row of values) per "
            f"sample, shape ({samples.shape[0]},) or ({samples.shape[0]}, m), "
            f"for samples of shape {samples.shape}; got shape {vals.shape}"
        )
    return vals


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
        out.append(_evaluate(statistic, arr[idx]))
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
        out.append(_evaluate(statistic, arr[idx]))
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
        For BCa only: a function that receives the data (as a float array)
        and returns the ``n`` leave-one-out values of the statistic,
        :math:`\hat\theta_{(i)}` without respondent ``i``, shape ``(n,)`` or
        ``(n, m)``. Without it they are computed by calling ``statistic`` on
        the ``n`` samples of ``n - 1`` respondents (an array of shape
        ``(n, n - 1)`` or ``(n, n - 1, K)``, in chunks), which costs
        :math:`O(n^2)`; a closed form makes the interval linear in ``n``,
        e.g. for a mean ``lambda x: (x.sum(axis=0) - x) / (len(x) - 1)``.

    Returns
    -------
    BootstrapResult
        ``estimate``, ``ci_low``, ``ci_high``, ``standard_error`` (the
        standard deviation of the replicates), ``method``, ``n_resamples``.
        Nothing is raised for degenerate data: when every replicate equals
        the estimate (data that do not vary) the BCa interval is undefined
        and its bounds are NaN, as are those of a BCa interval whose
        replicates all lie on one side of the estimate (R's ``boot.ci``
        stops with an error in both cases; see :func:`bca_interval`). The
        percentile and basic intervals of data that do not vary are
        ``[estimate, estimate]``, as R's.

    Warns
    -----
    ExtremeOrderStatisticWarning
        As R's ``boot.ci``: an end of the interval is the smallest or largest
        replicate (too few resamples for the level, or a strongly skewed
        BCa correction).

    Notes
    -----
    The ordinary bootstrap draws ``n_resamples`` index vectors of ``n`` rows
    with replacement from ``rng`` (in chunks of at most ``2**24`` resampled
    values, whole respondents with all their answers together) and evaluates
    ``statistic`` on them. Given those replicates :math:`\theta^*_b` the
    intervals are R's ``boot.ci`` to rounding:

    * BCa (Efron 1987; ``boot:::bca.ci``): the
      :math:`\tilde\alpha_{1,2} = \Phi\bigl(\hat z_0 + (\hat z_0 + z_\alpha)
      / (1 - \hat a(\hat z_0 + z_\alpha))\bigr)` quantiles of the replicates,
      with the bias correction
      :math:`\hat z_0 = \Phi^{-1}(\#\{\theta^*_b < \hat\theta\}/B)`, counting
      replicates *strictly* below the estimate (ties do not count; scipy's
      ``bootstrap`` counts them as half), and the acceleration
      :math:`\hat a = \sum_i L_i^3 / (6 (\sum_i L_i^2)^{3/2})` from the
      jackknife influence values of R's ``empinf(type = "jack")``,
      :math:`L_i = (n - 1)(\hat\theta - \hat\theta_{(i)})`
      (:func:`bca_interval`). R's ``boot.ci`` called without ``L`` uses
      regression estimates of the influence values instead; pass it
      ``L = empinf(b, type = "jack")`` to get these intervals.
    * percentile (``perc.ci``):
      :math:`[\theta^*_{(\alpha/2)}, \theta^*_{(1-\alpha/2)}]`;
    * basic (``basic.ci``): :math:`[2\hat\theta - \theta^*_{(1-\alpha/2)},
      2\hat\theta - \theta^*_{(\alpha/2)}]`;

    every quantile taken by R's ``norm.inter``: the order statistic
    :math:`(B + 1)\alpha` when that is whole, else an interpolation between
    its two neighbours on the normal quantile scale, and the first (last)
    order statistic below (beyond) them. Non-finite replicates are left out.

    The hierarchical bootstrap (scipy has no cluster resampling) draws
    :math:`G` departments with replacement, then, for each drawn
    department, as many respondents as it has, with replacement; resamples
    with the same total size are passed to ``statistic`` together. It
    returns the percentile interval of ``numpy.quantile`` (linear
    interpolation, not ``norm.inter``): the BCa acceleration has no agreed
    jackknife for two-stage designs. Resampling at both stages makes the
    interval somewhat conservative (Davison & Hinkley 1997, p. 101); it is
    the right one when departments are a sample of the organisation's
    possible departments and is wider than the ordinary bootstrap when
    departments differ.

    References
    ----------
    .. [1] Efron, B. (1987). Better bootstrap confidence intervals. *JASA*,
       82(397), 171-185.
    .. [2] Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and
       their Application*, secs. 3.8 and 5.3. Cambridge University Press.
       R package ``boot`` (Canty & Ripley): ``boot.ci``, ``bca.ci``,
       ``perc.ci``, ``basic.ci``, ``norm.inter``, ``empinf``.
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

    The mean's leave-one-out values in closed form give the same interval in
    linear time:

    >>> fast = bootstrap_ci(x, lambda s: s.mean(axis=1), n_resamples=999, rng=2,
    ...                     jackknife=lambda d: (d.sum() - d) / (d.size - 1))
    >>> bool(np.isclose(fast.ci_low, res.ci_low, rtol=1e-12, atol=0))
    True

    Several statistics at once, e.g. the mean share of each of two loci:

    >>> shares = np.random.default_rng(3).dirichlet([2.0, 1.0], size=30)
    >>> two = bootstrap_ci(shares, lambda s: s.mean(axis=1), n_resamples=999, rng=4)
    >>> two.ci_low.shape
    (2,)
    >>> res = bootstrap_ci(x, lambda s: s.mean(axis=1), groups=np.arange(60) % 6,
    ...                    hierarchical=True, n_resamples=999, rng=2)
    >>> bool(res.ci_low < x.mean() < res.ci_high), res.method
    (True, 'percentile')
    """
    arr = as_float_array(data, "data", ndim=(1, 2), allow_nan=True)
    c, method = _options_iv(statistic, jackknife, n_resamples, confidence, method)
    n = arr.shape[0]
    if n < 2:
        raise ValueError(f"data must have at least 2 respondents (rows), got {n}")
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    estimate = _evaluate(statistic, arr[None])[0]

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
    if method == "BCa":
        influence = _influence(arr, statistic, estimate, jackknife)
        low, high = bca_interval(
            np.atleast_1d(estimate),
            reps.reshape(reps.shape[0], -1),
            influence,
            confidence=c,
        )
    else:
        low, high = _quantile_interval(reps, estimate, method, c)
    shape = np.shape(estimate)
    return BootstrapResult(
        _out(estimate),
        _out(np.reshape(low, shape)),
        _out(np.reshape(high, shape)),
        _out(reps.std(axis=0, ddof=1)),
        method,
        n_resamples,
    )


def _options_iv(statistic, jackknife, n_resamples, confidence, method):
    """The confidence level and the method's canonical name, or ValueError."""
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
    return c, methods[method.lower()]


def _influence(arr, statistic, estimate, jackknife) -> NDArray[np.float64]:
    r"""R's ``empinf(type = "jack")`` (``boot:::usual.jack``): the jackknife
    influence values :math:`(n - 1)(\hat\theta - \hat\theta_{(i)})`."""
    n = arr.shape[0]
    t0 = np.atleast_1d(estimate)
    if jackknife is None:
        loo = _leave_one_out(arr, statistic)
    else:
        loo = _as_replicates(jackknife(arr), "the jackknife's result")
        if loo.shape not in ((n, *np.shape(estimate)), (n, t0.size)):
            raise ValueError(
                f"jackknife must return the {n} leave-one-out values of "
                f"each of the {t0.size} statistic(s), shape "
                f"{(n, *np.shape(estimate))}, got {loo.shape}"
            )
    return (n - 1.0) * (t0[None, :] - loo.reshape(n, t0.size))


def _quantile_interval(reps, estimate, method: str, c: float):
    """The percentile or basic interval, quantiles by R's ``norm.inter``."""
    columns = reps.reshape(reps.shape[0], -1)
    t0 = np.atleast_1d(estimate)
    alpha = np.array([(1.0 - c) / 2.0, (1.0 + c) / 2.0])
    quantiles = np.array([_norm_inter(columns[:, j], alpha) for j in range(t0.size)])
    if method == "percentile":
        return quantiles[:, 0], quantiles[:, 1]
    return 2.0 * t0 - quantiles[:, 1], 2.0 * t0 - quantiles[:, 0]


def _out(x: Any) -> Any:
    a = np.asarray(x, dtype=np.float64)
    return float(a) if a.ndim == 0 else a
