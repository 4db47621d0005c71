"""Bootstrap intervals: BCa over respondents, or two-stage over departments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

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

    Returns
    -------
    BootstrapResult
        ``estimate``, ``ci_low``, ``ci_high``, ``standard_error``, ``method``,
        ``n_resamples``. When the data do not vary (a zero-variance group)
        the BCa interval is undefined: scipy returns ``NaN`` bounds with a
        ``DegenerateDataWarning``; the percentile interval is then
        ``[estimate, estimate]``.

    Notes
    -----
    The ordinary bootstrap calls :func:`scipy.stats.bootstrap` on the row
    indices, so whole respondents are resampled and all their answers stay
    together. The BCa interval (Efron 1987) takes the percentiles

    .. math::

        \alpha_{1,2} = \Phi\Bigl(\hat z_0 + \frac{\hat z_0 + z_{\alpha/2,\,
        1-\alpha/2}}{1 - \hat a(\hat z_0 + z_{\alpha/2,\,1-\alpha/2})}\Bigr)

    of the bootstrap distribution, with the bias correction
    :math:`\hat z_0 = \Phi^{-1}(\#\{\theta^* < \hat\theta\}/B)` and the
    jackknife acceleration :math:`\hat a`.

    The hierarchical bootstrap is implemented here (scipy has no cluster
    resampling): stage 1 draws :math:`G` departments with replacement;
    stage 2 draws, for each drawn department, as many respondents as it has,
    with replacement. All index draws for a batch of resamples are made at
    once; resamples with the same total size are passed to ``statistic``
    together. It returns the percentile interval
    :math:`[\theta^*_{(\alpha/2)}, \theta^*_{(1-\alpha/2)}]`: the BCa
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
       their Application*. Cambridge University Press, sec. 3.8.
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

    def on_indices(i: NDArray[np.intp], axis: int = -1) -> NDArray[np.float64]:
        i = np.asarray(i, dtype=np.intp)
        if i.ndim == 1:
            return np.asarray(statistic(arr[i][None]), dtype=np.float64)[0]
        # scipy wants the resample axis last; ours puts it first
        return np.moveaxis(np.asarray(statistic(arr[i]), dtype=np.float64), 0, -1)

    row_size = int(np.prod(arr.shape[1:], dtype=np.intp))
    batch = max(1, _MAX_ELEMENTS // max(1, n * row_size))
    # degenerate data make scipy divide 0 by 0 before it warns properly
    # (DegenerateDataWarning); keep only that warning
    with np.errstate(divide="ignore", invalid="ignore"):
        res = stats.bootstrap(
            (np.arange(n),),
            on_indices,
            n_resamples=int(n_resamples),
            batch=batch,
            vectorized=True,
            confidence_level=c,
            method=method,
            rng=gen,
        )
    ci = res.confidence_interval
    return BootstrapResult(
        _out(estimate),
        _out(ci.low),
        _out(ci.high),
        _out(res.standard_error),
        method,
        n_resamples,
    )


def _out(x: Any) -> Any:
    a = np.asarray(x, dtype=np.float64)
    return float(a) if a.ndim == 0 else a
