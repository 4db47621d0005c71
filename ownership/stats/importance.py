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
    "Model",
    "RelativeWeights",
    "relative_weights",
    "relative_weights_from_correlations",
    "relative_weights_models",
]


_CELLS = 1_000_000


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
    weights = _raw_weights(rxx, rxy[..., None])[..., 0]
    return weights, weights.sum(axis=-1)


def _raw_weights(rxx: NDArray, rxy: NDArray) -> NDArray:
    r"""Raw weights (..., p, k) of ``k`` outcomes that share the predictors
    ``rxx`` (..., p, p), with ``rxy`` (..., p, k): one eigen-decomposition
    serves them all, and :math:`\Lambda_*^{-1}` is :math:`V \Lambda^{-1/2}
    V^\top`, so that nothing else is solved."""
    values, vectors = np.linalg.eigh(rxx)
    # Tiny or negative eigenvalues are rounding or collinear predictors (in a
    # bootstrap resample): kept just above zero so that the system solves.
    root = np.sqrt(np.clip(values, 1e-12, None))
    turned = np.swapaxes(vectors, -1, -2)
    lam = (vectors * root[..., None, :]) @ turned
    beta = (vectors / root[..., None, :]) @ (turned @ rxy)
    return (lam**2) @ (beta**2)


@dataclass(frozen=True)
class Model:
    """One regression among the columns of a data matrix: the ``outcome``
    column on the ``predictors`` columns."""

    outcome: int
    predictors: tuple[int, ...]

    @property
    def columns(self) -> list[int]:
        return [self.outcome, *self.predictors]


def relative_weights(
    x: ArrayLike,
    y: ArrayLike,
    *,
    resamples: int = 2000,
    confidence: float = 0.95,
    seed: int | ArrayLike = 0,
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
    model = Model(0, tuple(range(1, data.shape[1])))
    _point(data, model)  # raises for too few rows or a constant column
    (result,) = relative_weights_models(
        data,
        [model],
        resamples=resamples,
        confidence=confidence,
        seed=seed,
    )
    return result


def relative_weights_models(
    data: ArrayLike,
    models: list[Model],
    *,
    resamples: int = 2000,
    confidence: float = 0.95,
    seed: int | ArrayLike = 0,
) -> list[RelativeWeights | None]:
    """Relative weights of several regressions among the columns of one
    data matrix, with one bootstrap for all of them.

    Each model uses the rows complete in its columns (listwise), as
    :func:`relative_weights` does. Each resample draws rows, with
    replacement, from the rows complete for at least one model, and refits
    every model on the drawn rows complete for it; where every model has
    the same complete rows this is :func:`relative_weights`' bootstrap of
    each. Models with the same complete rows share their moments, and those
    that also share their predictors one eigen-decomposition per resample.

    Returns
    -------
    list of RelativeWeights or None
        One per model, ``None`` where the model has fewer than ``p + 2``
        complete rows or a constant column.
    """
    data = np.asarray(data, dtype=float)
    masks = [~np.isnan(data[:, m.columns]).any(axis=1) for m in models]
    fits = []
    for model, mask in zip(models, masks, strict=True):
        try:
            fits.append(_point(data[mask], model))
        except ValueError:
            fits.append(None)
    live = [i for i, fit in enumerate(fits) if fit is not None]
    replicates = {}
    if resamples > 0 and live:
        used = np.logical_or.reduce([masks[i] for i in live])
        replicates = _bootstrap(
            data[used],
            [models[i] for i in live],
            [masks[i][used] for i in live],
            resamples,
            seed,
        )
        replicates = dict(zip(live, replicates, strict=True))
    return [
        None if fit is None else _result(fit, replicates.get(i), resamples, confidence)
        for i, fit in enumerate(fits)
    ]


def _point(complete: NDArray, model: Model):
    """The model's weights on its complete rows: (n, weights, R²)."""
    rows = complete[:, model.columns]
    n, q = rows.shape
    if n < q + 1:
        raise ValueError(f"need at least {q + 1} complete rows, got {n}")
    sd = rows.std(axis=0)
    if (sd == 0).any():
        raise ValueError("a predictor or the outcome does not vary")
    z = (rows - rows.mean(axis=0)) / sd
    corr = (z.T @ z) / n
    weights, r_squared = relative_weights_from_correlations(corr[1:, 1:], corr[1:, 0])
    return n, weights, float(r_squared)


def _result(fit, replicates, resamples: int, confidence: float) -> RelativeWeights:
    n, weights, r_squared = fit
    p = len(weights)
    order = np.argsort(-weights)
    low = high = np.full(p, np.nan)
    lead_low = lead_high = float("nan")
    if replicates is not None:
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
        r_squared=r_squared,
        weights=weights,
        low=low,
        high=high,
        lead_low=float(lead_low),
        lead_high=float(lead_high),
        resamples=resamples,
    )


def _bootstrap(data, models, masks, resamples: int, seed) -> list[NDArray]:
    """Replicates of each model's raw weights (resamples × p) over rows of
    ``data`` (rows complete for at least one model)."""
    n = len(data)
    # Standardised columns (for well-conditioned moments; correlations do
    # not change), missing values 0: the masks leave them out.
    mean = np.nanmean(data, axis=0)
    sd = np.nanstd(data, axis=0)
    z = np.nan_to_num((data - mean) / np.where(sd > 0, sd, 1.0))
    moments = _Moments(z, models, masks)
    rng = np.random.default_rng(seed)
    out = [np.empty((resamples, len(m.predictors))) for m in models]
    # As many resamples at once as a million row counts hold.
    chunk = max(1, min(resamples, _CELLS // n))
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        # Row counts of ``size`` resamples at once: draw indices, offset each
        # resample's by ``b * n`` and count them all in one pass.
        drawn = rng.integers(0, n, size=(size, n))
        drawn += (np.arange(size) * n)[:, None]
        counts = np.bincount(drawn.ravel(), minlength=size * n)
        del drawn
        counts = counts.reshape(size, n).astype(float)
        for index, weights in moments.replicates(counts):
            out[index][start : start + size] = weights
    return out


class _Moments:
    """The terms whose resample sums give every model's correlations.

    One set of terms covers every row and variable: a one (the count), each
    variable and each pairwise product, missing values 0. Models with the
    same complete rows form a block, whose sums are those of its variables'
    terms less the sums over the rows the block leaves out (usually few: who
    skipped one outcome), so that the large product is computed once."""

    def __init__(self, z: NDArray, models: list[Model], masks: list[NDArray]):
        self.models = models
        variables = sorted({c for m in models for c in m.columns})
        q = len(variables)
        pairs = np.triu_indices(q)
        self.terms = np.empty((len(z), 1 + q + len(pairs[0])))
        self.terms[:, 0] = 1.0
        self.terms[:, 1 : 1 + q] = z[:, variables]
        for k, (i, j) in enumerate(zip(*pairs, strict=True)):
            np.multiply(
                z[:, variables[i]], z[:, variables[j]], out=self.terms[:, 1 + q + k]
            )
        column = {
            (variables[i], variables[j]): 1 + q + k
            for k, (i, j) in enumerate(zip(*pairs, strict=True))
        }
        # Per block: its columns, the rows it leaves out and their terms, its
        # variables and their pairs, its models by predictors.
        self.blocks = []
        for mask in _distinct(masks):
            members = [i for i, m in enumerate(masks) if np.array_equal(m, mask)]
            own = sorted({c for i in members for c in models[i].columns})
            own_pairs = np.triu_indices(len(own))
            columns = [0, *(1 + variables.index(c) for c in own)]
            columns += [column[own[i], own[j]] for i, j in zip(*own_pairs, strict=True)]
            out = np.flatnonzero(~mask)
            shared = {}
            for i in members:
                shared.setdefault(models[i].predictors, []).append(i)
            self.blocks.append(
                (columns, out, self.terms[np.ix_(out, columns)], own, own_pairs, shared)
            )

    def replicates(self, counts: NDArray):
        """(model index, replicates of its weights) for these row counts."""
        everything = counts @ self.terms
        for columns, out, left_out, variables, pairs, shared in self.blocks:
            sums = everything[:, columns]
            if len(out):
                sums -= counts[:, out] @ left_out
            q = len(variables)
            seen = sums[:, 0]
            with np.errstate(invalid="ignore", divide="ignore"):
                moments = sums[:, 1:] / seen[:, None]
            corr, varies = _correlations(moments, pairs, q)
            where = {c: k for k, c in enumerate(variables)}
            for predictors, members in shared.items():
                p = [where[c] for c in predictors]
                o = [where[self.models[i].outcome] for i in members]
                weights = _raw_weights(corr[:, p][:, :, p], corr[:, p][:, :, o])
                for j, i in enumerate(members):
                    ok = varies[:, p + [o[j]]].all(axis=1) & (seen >= len(p) + 2)
                    yield i, np.where(ok[:, None], weights[:, :, j], np.nan)


def _distinct(masks: list[NDArray]) -> list[NDArray]:
    out: list[NDArray] = []
    for mask in masks:
        if not any(np.array_equal(mask, seen) for seen in out):
            out.append(mask)
    return out


def _correlations(moments: NDArray, pairs, q: int) -> tuple[NDArray, NDArray]:
    """Correlation matrices from first and second moments (resamples × q and
    resamples × pairs), and whether each variable varies (resamples × q)."""
    mean, second = moments[:, :q], moments[:, q:]
    i, j = pairs
    cov = np.empty((len(moments), q, q))
    cov[:, i, j] = second - mean[:, i] * mean[:, j]
    cov[:, j, i] = cov[:, i, j]
    variance = np.diagonal(cov, axis1=1, axis2=2)
    # A variable that does not vary in a resample has no correlations: the
    # models that use it leave the resample out (NaN), nothing divides by 0.
    varies = variance > 1e-12
    sd = np.sqrt(np.where(varies, variance, 1.0))
    corr = cov / sd[:, :, None] / sd[:, None, :]
    # A resample without the block's rows has no moments at all.
    corr[~np.isfinite(corr).all(axis=(1, 2))] = np.eye(q)
    return corr, varies
