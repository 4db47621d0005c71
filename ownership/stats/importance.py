r"""Relative importance of correlated predictors: Johnson's relative weights.

Johnson (2000) splits the variance a linear regression explains, :math:`R^2`,
among correlated predictors. With :math:`R_{xx}` the predictors' correlation
matrix and :math:`r_{xy}` their correlations with the outcome, let
:math:`R_{xx} = V \Lambda V^\top` and :math:`\Lambda_* = V \Lambda^{1/2}
V^\top`, the correlations between the predictors and their closest orthogonal
counterparts :math:`Z`. Regressing the outcome on :math:`Z` gives
:math:`\beta = \Lambda_*^{-1} r_{xy}`; predictor :math:`j`'s raw weight is

.. math::

    \varepsilon_j = \sum_k \Lambda_{*,jk}^2 \, \beta_k^2,

and :math:`\sum_j \varepsilon_j = \beta^\top\beta = R^2` (Johnson 2000, eq.
8–10; Tonidandel & LeBreton 2011). Rescaled weights are
:math:`\varepsilon_j / R^2`. Intervals are percentile bootstrap intervals
over respondents (Tonidandel, LeBreton & Johnson 2009).

References
----------
Johnson, J. W. (2000). A heuristic method for estimating the relative weight
of predictor variables in multiple regression. *Multivariate Behavioral
Research*, 35(1), 1–19.

Tonidandel, S., LeBreton, J. M., & Johnson, J. W. (2009). Determining the
statistical significance of relative weights. *Psychological Methods*, 14(4),
387–399.

Tonidandel, S., & LeBreton, J. M. (2011). Relative importance analysis: a
useful supplement to regression analysis. *Journal of Business and
Psychology*, 26(1), 1–9.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "RelativeWeights",
    "relative_weights",
    "relative_weights_from_correlations",
]


@dataclass(frozen=True)
class RelativeWeights:
    """Johnson's relative weights of ``p`` predictors for one outcome.

    ``weights`` are the raw weights (they sum to ``r_squared``); ``low`` and
    ``high`` their percentile bootstrap interval (NaN without resamples);
    ``lead_low`` and ``lead_high`` the interval of the largest weight minus
    the second largest, so that ``lead_low > 0`` says the first is clearly
    first.
    """

    n: int
    r_squared: float
    weights: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    lead_low: float
    lead_high: float
    resamples: int

    @property
    def rescaled(self) -> NDArray[np.float64]:
        """The weights as shares of ``r_squared``."""
        return self.weights / self.r_squared if self.r_squared > 0 else self.weights


def relative_weights_from_correlations(
    rxx: ArrayLike, rxy: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Raw relative weights and :math:`R^2` from correlations.

    Parameters
    ----------
    rxx : array_like, shape (..., p, p)
        Predictor correlation matrices (a stack of them broadcasts).
    rxy : array_like, shape (..., p)
        The predictors' correlations with the outcome.

    Returns
    -------
    weights : ndarray, shape (..., p)
        Raw weights; they sum to :math:`R^2`.
    r_squared : ndarray, shape (...)
        The regression's :math:`R^2`.

    Examples
    --------
    Two uncorrelated predictors keep their squared correlations:

    >>> w, r2 = relative_weights_from_correlations([[1, 0], [0, 1]], [0.3, 0.4])
    >>> w.round(2).tolist(), round(float(r2), 2)
    ([0.09, 0.16], 0.25)
    """
    rxx = np.asarray(rxx, dtype=float)
    rxy = np.asarray(rxy, dtype=float)
    values, vectors = np.linalg.eigh(rxx)
    # Tiny or negative eigenvalues are rounding or collinear predictors (in a
    # bootstrap resample): kept just above zero so that the system solves.
    root = np.sqrt(np.clip(values, 1e-12, None))
    lam = (vectors * root[..., None, :]) @ np.swapaxes(vectors, -1, -2)
    beta = np.linalg.solve(lam, rxy[..., None])[..., 0]
    weights = (lam**2) @ (beta**2)[..., None]
    weights = weights[..., 0]
    return weights, weights.sum(axis=-1)


def _correlations(moments: NDArray, pairs, q: int) -> tuple[NDArray, NDArray]:
    """Correlation matrices from first and second moments (resamples × q and
    resamples × pairs)."""
    mean, second = moments[:, :q], moments[:, q:]
    i, j = pairs
    cov = np.empty((len(moments), q, q))
    cov[:, i, j] = second - mean[:, i] * mean[:, j]
    cov[:, j, i] = cov[:, i, j]
    variance = np.diagonal(cov, axis1=1, axis2=2)
    # A resample where a variable does not vary has no correlations: it is
    # left out (NaN), not divided by zero.
    varies = (variance > 1e-12).all(axis=1)
    sd = np.sqrt(np.where(varies[:, None], variance, 1.0))
    corr = cov / sd[:, :, None] / sd[:, None, :]
    corr[~varies] = np.eye(q)
    return corr, varies


def _weights_of(corr: NDArray, varies: NDArray) -> NDArray:
    weights = relative_weights_from_correlations(corr[:, 1:, 1:], corr[:, 1:, 0])[0]
    weights[~varies] = np.nan
    return weights


def relative_weights(
    x: ArrayLike,
    y: ArrayLike,
    *,
    resamples: int = 2000,
    confidence: float = 0.95,
    seed: int | ArrayLike = 0,
    chunk: int = 100,
) -> RelativeWeights:
    """Johnson's relative weights of the columns of ``x`` for ``y``, with
    percentile bootstrap intervals over rows.

    Parameters
    ----------
    x : array_like, shape (n, p)
        Predictors; rows with a missing value (NaN) anywhere, in ``x`` or
        ``y``, are left out (listwise).
    y : array_like, shape (n,)
        The outcome.
    resamples : int, optional
        Bootstrap resamples (0 for none), default 2000.
    confidence : float, optional
        Interval coverage, default 0.95.
    seed : int or sequence of int, optional
        Seeds :func:`numpy.random.default_rng`: the same data and seed give
        the same intervals.
    chunk : int, optional
        Resamples computed at once (memory: ``chunk × n`` counts).

    Returns
    -------
    RelativeWeights

    Raises
    ------
    ValueError
        If ``x`` is not 2-D, ``y`` does not match it, fewer than ``p + 2``
        complete rows remain, or a column is constant.

    Notes
    -----
    Each resample draws ``n`` rows with replacement and recomputes the
    correlations from weighted moments of the standardised data (one matrix
    product per chunk of resamples), so 2,000 resamples of 100,000 rows take
    seconds. The interval of each weight is the percentile interval of its
    replicates (Tonidandel, LeBreton & Johnson 2009).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError("x must be (n, p) and y (n,)")
    data = np.column_stack([y, x])
    data = data[~np.isnan(data).any(axis=1)]
    n, q = data.shape
    p = q - 1
    if n < p + 2:
        raise ValueError(f"need at least {p + 2} complete rows, got {n}")
    sd = data.std(axis=0)
    if (sd == 0).any():
        raise ValueError("a predictor or the outcome does not vary")
    z = (data - data.mean(axis=0)) / sd
    corr = (z.T @ z) / n
    weights, r_squared = relative_weights_from_correlations(corr[1:, 1:], corr[1:, 0])
    order = np.argsort(-weights)
    low = high = np.full(p, np.nan)
    lead_low = lead_high = float("nan")
    if resamples > 0:
        replicates = _bootstrap(z, resamples, seed, chunk)
        alpha = (1 - confidence) / 2
        # Percentiles of the resamples where every variable varied.
        replicates = replicates[~np.isnan(replicates).any(axis=1)]
        if len(replicates):
            low, high = np.quantile(replicates, [alpha, 1 - alpha], axis=0)
            if p > 1:
                lead = replicates[:, order[0]] - replicates[:, order[1]]
                lead_low, lead_high = np.quantile(lead, [alpha, 1 - alpha])
    return RelativeWeights(
        n=n,
        r_squared=float(r_squared),
        weights=weights,
        low=low,
        high=high,
        lead_low=float(lead_low),
        lead_high=float(lead_high),
        resamples=resamples,
    )


def _bootstrap(z: NDArray, resamples: int, seed, chunk: int) -> NDArray:
    """Replicates of the raw weights (resamples × p) over rows of ``z``."""
    n, q = z.shape
    pairs = np.triu_indices(q)
    # Each row's values and pairwise products: a resample's moments are its
    # row counts times these, divided by n.
    terms = np.column_stack([z, z[:, pairs[0]] * z[:, pairs[1]]])
    rng = np.random.default_rng(seed)
    out = np.empty((resamples, q - 1))
    chunk = max(1, min(chunk, 4_000_000 // n))  # bounds the counts' memory
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        # Row counts of ``size`` resamples at once: draw indices, offset each
        # resample's by ``b * n`` and count them all in one pass.
        drawn = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
        counts = np.bincount(drawn.ravel(), minlength=size * n).reshape(size, n)
        moments = counts @ terms / n
        out[start : start + size] = _weights_of(*_correlations(moments, pairs, q))
    return out
