"""Internal consistency of a multi-item scale: Cronbach's alpha and McDonald's omega.

Both functions take ``items``, a float array of shape (respondents, items) with
``np.nan`` for a missing answer, already reverse-keyed by the caller. Missing
answers are handled pairwise, as ``psych`` does by default: every covariance or
correlation uses the respondents who answered both items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, stats

from ._common import as_float_array, is_rounding_zero

__all__ = ["AlphaResult", "cronbach_alpha", "omega_total"]

# psych::fa bounds every uniqueness below by .005 (its ``lower`` argument to
# optim), so no loading may exceed sqrt(.995) in absolute value.
_MAX_LOADING = float(np.sqrt(0.995))


@dataclass(frozen=True, eq=False)
class AlphaResult:
    """Cronbach's alpha of a scale with its item statistics.

    Attributes
    ----------
    raw : float
        Raw alpha from the covariance matrix (``psych``'s ``raw_alpha``).
    standardized : float
        Alpha from the correlation matrix (``std.alpha``).
    average_r : float
        Mean inter-item correlation (``average_r``).
    r_drop : ndarray
        Corrected item-total correlation of each item with the sum of the other
        items (``r.drop``). NaN for an excluded item.
    alpha_if_dropped : ndarray
        Raw alpha of the scale without that item (``alpha.drop$raw_alpha``).
        NaN for an excluded item, and when only one item would remain.
    n : int
        Respondents who answered at least one of the items used.
    ci_low, ci_high : float
        Feldt confidence interval for the raw alpha.
    confidence : float
        Confidence level of the interval.
    excluded : ndarray of bool
        Items left out because they have no variance or fewer than two answers
        (``psych::alpha(delete = TRUE)`` drops them likewise).
    """

    raw: float
    standardized: float
    average_r: float
    r_drop: NDArray[np.float64]
    alpha_if_dropped: NDArray[np.float64]
    n: int
    ci_low: float
    ci_high: float
    confidence: float
    excluded: NDArray[np.bool_]


def _readonly(a: NDArray) -> NDArray:
    a.flags.writeable = False
    return a


def _alpha_iv(items: ArrayLike, confidence: float) -> tuple[NDArray, float]:
    """Validate; return the answers with one row per item, and the confidence."""
    xt = as_float_array(items, "items", ndim=2, transpose=True)
    if xt.shape[0] < 2:
        raise ValueError(f"items must have at least 2 columns, got {xt.shape[0]}")
    if isinstance(confidence, bool) or not isinstance(
        confidence, (int, float, np.floating, np.integer)
    ):
        raise ValueError(f"confidence must be a number, got {confidence!r}")
    if not 0.0 < float(confidence) < 1.0:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    return xt, float(confidence)


def _usable(xt: NDArray, present: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Items (rows of ``xt``) with at least two answers that are not all equal."""
    count = np.count_nonzero(present, axis=1)
    # fmax/fmin skip NaN without copying the data (unlike nanmax/nanmin).
    with np.errstate(invalid="ignore"):
        high = np.fmax.reduce(xt, axis=1, initial=-np.inf)
        low = np.fmin.reduce(xt, axis=1, initial=np.inf)
    return (count >= 2) & (high > low)


def _pairwise(
    xt: NDArray, present: NDArray[np.bool_], *, cor: bool
) -> tuple[NDArray, NDArray | None]:
    """Pairwise-complete covariances (and correlations), as R's ``use="pairwise"``.

    ``xt`` holds one item per row (items x respondents, C-contiguous, so the
    reductions run along memory). Returns ``(cov, cor)``; ``cov[i, j]`` and
    ``cor[i, j]`` use the respondents who answered both items, with the means,
    variances and cross-products of that subset (R's ``cov`` and ``cor``).
    Pairs with fewer than two common answers give NaN. ``cor`` is None unless
    asked for.
    """
    k = xt.shape[0]
    if present.all():
        cov = np.atleast_2d(np.cov(xt))
        if not cor:
            return cov, None
        sd = np.sqrt(np.diag(cov))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = cov / np.outer(sd, sd)
        np.fill_diagonal(r, 1.0)
        return cov, r
    # Shift each item by its mean first: covariances are shift invariant and
    # the one-pass sums below lose no precision on centred data.
    # Rows 0..k-1 of ``stacked`` hold the centred answers (0 where missing),
    # rows k..2k-1 the 0/1 answered flags: one product gives all pairwise sums.
    stacked = np.empty((2 * k, xt.shape[1]))
    x0, m = stacked[:k], stacked[k:]
    m[...] = present
    count = m.sum(axis=1)
    shift = np.add.reduce(xt, axis=1, where=present) / np.maximum(count, 1.0)
    np.subtract(xt, shift[:, None], out=x0)
    np.copyto(x0, 0.0, where=~present)
    gram = stacked @ stacked.T
    p = gram[:k, :k]  # cross-products over respondents who answered i and j
    s = gram[:k, k:]  # s[i, j]: sum of item i over those respondents
    n = gram[k:, k:]  # n[i, j]: respondents who answered i and j
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = (p - s * s.T / n) / (n - 1.0)
    cov[n < 2] = np.nan
    if not cor:
        return cov, None
    q = (x0 * x0) @ m.T  # sum of squares of item i over those respondents
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (q - s * s / n) / (n - 1.0)  # var[i, j]: item i on the pair subset
        r = cov / np.sqrt(var * var.T)
    r[n < 2] = np.nan
    np.fill_diagonal(r, np.where(np.diag(n) >= 2, 1.0, np.nan))
    return cov, r


def _nonzero(total: NDArray | float, scale: NDArray | float, n: int) -> NDArray:
    """``total`` with NaN where it is zero up to rounding (see
    :func:`ownership.stats._common.is_rounding_zero`).

    ``total`` sums ``n`` products of answers of magnitude ``scale``. A scale
    whose total score has no variance (items that cancel exactly) has no
    defined alpha; without this guard rounding noise of order 1e-16 in
    ``1'C1`` would be reported as an alpha of order -1e16.
    """
    total = np.asarray(total, dtype=np.float64)
    return np.where(is_rounding_zero(total, scale, n), np.nan, total)


def _raw_alpha(c_total: NDArray, c_trace: NDArray, k: int) -> NDArray:
    if k < 2:  # the alpha of a single item is undefined
        return np.full(np.shape(c_total), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (1.0 - c_trace / c_total) * (k / (k - 1.0))


def _item_dropped(c, diag, k: int, terms: int):
    """Corrected item-total correlations and alphas with each item left out.

    Sums of C and of its trace with item i left out, for every i at once. A
    pair without two common answers (NaN) spoils only the sums that hold it.
    """
    undefined = np.isnan(c)
    c0 = np.where(undefined, 0.0, c)
    bad = undefined.astype(np.float64)
    col = np.where(bad.sum(axis=0) > 0, np.nan, c0.sum(axis=0))
    bad_drop = bad.sum() - 2.0 * bad.sum(axis=0) + np.diag(bad)
    total_drop = np.where(bad_drop > 0, np.nan, c0.sum() - 2.0 * c0.sum(axis=0) + diag)
    total_drop = _nonzero(total_drop, diag.sum() - diag, terms)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_drop = (col - diag) / np.sqrt(diag * total_drop)
    return r_drop, _raw_alpha(total_drop, diag.sum() - diag, k - 1)


def cronbach_alpha(items: ArrayLike, confidence: float = 0.95) -> AlphaResult:
    r"""Cronbach's alpha with item statistics and the Feldt confidence interval.

    Parameters
    ----------
    items : array_like, shape (respondents, items)
        Item answers with ``np.nan`` for a missing answer, already reverse-keyed.
        At least two columns. Infinite values are rejected.
    confidence : float, optional
        Confidence level of the Feldt interval, default 0.95.

    Returns
    -------
    AlphaResult
        ``raw``, ``standardized``, ``average_r``, per-item ``r_drop`` and
        ``alpha_if_dropped``, ``n``, ``ci_low``, ``ci_high``, ``confidence`` and
        ``excluded``. The scalar fields are NaN when fewer than two items have
        variance.

    Raises
    ------
    ValueError
        If ``items`` is not 2-D numeric, has fewer than two columns or holds an
        infinite value, or if ``confidence`` is not in (0, 1).

    Notes
    -----
    With :math:`C` the pairwise-complete covariance matrix of the :math:`k`
    items and :math:`R` the correlation matrix obtained by scaling :math:`C` by
    its own diagonal (R's ``cov2cor``), Cronbach (1951) gives

    .. math::

        \alpha = \frac{k}{k-1}\left(1 - \frac{\operatorname{tr} C}{\mathbf{1}^\top
        C \mathbf{1}}\right), \qquad
        \alpha_{std} = \frac{k}{k-1}\left(1 - \frac{k}{\mathbf{1}^\top R
        \mathbf{1}}\right), \qquad
        \bar r = \frac{\mathbf{1}^\top R \mathbf{1} - k}{k(k-1)}.

    The corrected item-total correlation of item :math:`i` is computed from
    :math:`C` (not from the raw data), as in ``psych``:

    .. math::

        r_{drop,i} = \frac{\sum_{j \ne i} C_{ij}}
        {\sqrt{C_{ii} \sum_{j \ne i}\sum_{l \ne i} C_{jl}}},

    and ``alpha_if_dropped`` applies the first formula to :math:`C` without row
    and column :math:`i`. The Feldt, Woodruff & Salih (1987) interval, with
    :math:`n` respondents and :math:`F_p` the :math:`p` quantile of
    :math:`F(n-1, (n-1)(k-1))`, is

    .. math::

        \left[1 - (1-\alpha) F_{1-\gamma/2},\; 1 - (1-\alpha) F_{\gamma/2}\right],
        \qquad \gamma = 1 - \text{confidence}.

    Items without variance or with fewer than two answers are excluded first
    (``psych::alpha`` deletes them with a warning); their entries in the
    per-item arrays are NaN. ``n`` counts respondents with at least one answer
    on the items used; it equals ``psych``'s ``nrow(x)`` unless a row is empty.
    When the total score of the items has no variance (:math:`\mathbf{1}^\top
    C \mathbf{1} = 0` up to rounding, items that cancel out exactly) alpha is
    undefined and NaN is returned where ``psych`` reports rounding noise.
    With only two items, ``psych`` reports the inter-item correlation as the
    "alpha if dropped"; the alpha of a single item is undefined, so this
    function returns NaN there.

    Reference implementation: ``psych::alpha(items)`` (``raw_alpha``,
    ``std.alpha``, ``average_r``, ``item.stats$r.drop``,
    ``alpha.drop$raw_alpha``, and the "Feldt" line of its 95 % confidence
    boundaries), reproduced to 1e-9.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure
       of tests. *Psychometrika*, 16(3), 297-334.
    .. [2] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical
       inference for coefficient alpha. *Applied Psychological Measurement*,
       11(1), 93-103.
    .. [3] Revelle, W. (2022). *psych: Procedures for Psychological,
       Psychometric, and Personality Research*, version 2.2.9.

    Examples
    --------
    Six respondents, four items on a 5-point scale; item 4 is reverse-keyed:

    >>> import numpy as np
    >>> from ownership.stats.reliability import cronbach_alpha
    >>> x = np.array([[4, 5, 4, 2], [3, 4, 3, 3], [5, 5, 4, 1],
    ...               [2, 3, 2, 4], [4, 4, 5, 2], [3, 3, 3, 3]], dtype=float)
    >>> x[:, 3] = 6 - x[:, 3]
    >>> res = cronbach_alpha(x)
    >>> round(res.raw, 6), round(res.standardized, 6)
    (0.951049, 0.951375)
    >>> np.round(res.r_drop, 4)
    array([0.9684, 0.8154, 0.7895, 0.9684])
    """
    xt, confidence = _alpha_iv(items, confidence)  # one row per item
    n_items = xt.shape[0]
    present = ~np.isnan(xt)
    usable = _usable(xt, present)
    k = int(usable.sum())
    r_drop = np.full(n_items, np.nan)
    alpha_drop = np.full(n_items, np.nan)
    if k < 2:
        nan = float("nan")
        n = int(np.count_nonzero(present[usable].any(axis=0)))
        return AlphaResult(
            nan,
            nan,
            nan,
            _readonly(r_drop),
            _readonly(alpha_drop),
            n,
            nan,
            nan,
            confidence,
            _readonly(~usable),
        )
    if usable.all():
        xu, pu = xt, present
    else:
        xu, pu = xt[usable], present[usable]
    c, _ = _pairwise(xu, pu, cor=False)
    diag = np.diag(c)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = c / np.sqrt(np.outer(diag, diag))  # R's cov2cor(C)
    total = c.sum()
    terms = k * k * xu.shape[1]  # covariances of k items over the respondents
    raw = float(_raw_alpha(_nonzero(total, diag.sum(), terms), diag.sum(), k))
    sum_r = r.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        standardized = float((1.0 - k / _nonzero(sum_r, k, terms)) * (k / (k - 1.0)))
        average_r = float((sum_r - k) / (k * (k - 1.0)))

    r_drop[usable], alpha_drop[usable] = _item_dropped(c, diag, k, terms)

    n = int(np.count_nonzero(pu.any(axis=0)))
    ci_low, ci_high = _feldt(raw, n, k, confidence)
    return AlphaResult(
        raw,
        standardized,
        average_r,
        _readonly(r_drop),
        _readonly(alpha_drop),
        n,
        ci_low,
        ci_high,
        confidence,
        _readonly(~usable),
    )


def _feldt(alpha: float, n: int, k: int, confidence: float) -> tuple[float, float]:
    """Feldt, Woodruff & Salih (1987) interval (``psych::alpha.ci``)."""
    if n < 2 or not np.isfinite(alpha):
        return float("nan"), float("nan")
    tail = (1.0 - confidence) / 2.0
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1.0 - (1.0 - alpha) * stats.f.ppf(1.0 - tail, df1, df2)
    high = 1.0 - (1.0 - alpha) * stats.f.ppf(tail, df1, df2)
    return float(low), float(high)


def _one_factor_uls(r: NDArray) -> NDArray:
    """Loadings of a one-factor least-squares (minres) fit to correlations ``r``.

    Minimises the sum of squared off-diagonal residuals
    :math:`\\sum_{i \\ne j} (r_{ij} - \\lambda_i \\lambda_j)^2`, which is what
    ``psych::fa(fm = "minres")`` minimises through the uniquenesses.
    """
    k = r.shape[0]
    off = r - np.diag(np.diag(r))

    def fun(lam: NDArray) -> tuple[float, NDArray]:
        resid = off - np.outer(lam, lam)
        np.fill_diagonal(resid, 0.0)
        return float(np.sum(resid * resid)), -4.0 * resid @ lam

    # Start from the first principal axis with squared multiple correlations
    # as communalities (psych's default starting point).
    try:
        smc = 1.0 - 1.0 / np.diag(np.linalg.inv(r))
    except np.linalg.LinAlgError:
        smc = np.abs(off).max(axis=1)
    reduced = off + np.diag(np.clip(smc, 0.0, 1.0))
    values, vectors = np.linalg.eigh(reduced)
    start = vectors[:, -1] * np.sqrt(max(values[-1], 1e-8))
    start = np.clip(start, -_MAX_LOADING, _MAX_LOADING)
    fit = optimize.minimize(
        fun,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-_MAX_LOADING, _MAX_LOADING)] * k,
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    return fit.x


def omega_total(items: ArrayLike) -> float:
    r"""McDonald's omega total from a one-factor least-squares fit.

    Parameters
    ----------
    items : array_like, shape (respondents, items)
        Item answers with ``np.nan`` for a missing answer, already reverse-keyed.
        At least three columns (one factor is not identified by two items).

    Returns
    -------
    float
        Omega total; NaN when fewer than three items have variance or a pair of
        items has fewer than two common answers.

    Raises
    ------
    ValueError
        If ``items`` is not 2-D numeric, has fewer than three columns or holds
        an infinite value.

    Notes
    -----
    :math:`R` is the pairwise-complete correlation matrix. A single factor is
    fitted by unweighted least squares on the off-diagonal correlations
    (``minres``), giving loadings :math:`\lambda_i` and uniquenesses
    :math:`u_i^2 = 1 - \lambda_i^2`. Items with negative loadings are flipped,
    :math:`R \leftarrow D R D` with :math:`D = \operatorname{diag}(\operatorname
    {sign} \lambda)`, as ``psych::omega(flip = TRUE)`` does, and

    .. math::

        \omega_t = \frac{\mathbf{1}^\top R \mathbf{1} - \sum_i u_i^2}
        {\mathbf{1}^\top R \mathbf{1}}.

    Loadings are bounded by :math:`\sqrt{.995}` in absolute value, psych's lower
    bound of .005 on uniquenesses (Heywood cases). Items without variance or
    with fewer than two answers are excluded first, as in
    :func:`cronbach_alpha`.

    Reference implementation: ``psych::omega(items, nfactors = 1)$omega.tot``
    (``fm = "minres"``), reproduced to about 1e-7; the two optimisers stop at
    slightly different points. In a Heywood case (an item whose one-factor
    loading would exceed 1) psych bounds the uniqueness in its own
    parametrisation and where its optimiser stops there is not a property of
    the model; this function bounds the loading instead, and the two may then
    differ in the third decimal.

    References
    ----------
    .. [1] McDonald, R. P. (1999). *Test Theory: A Unified Treatment*. Mahwah,
       NJ: Lawrence Erlbaum.
    .. [2] Revelle, W., & Zinbarg, R. E. (2009). Coefficients alpha, beta, omega,
       and the glb: Comments on Sijtsma. *Psychometrika*, 74(1), 145-154.

    Examples
    --------
    >>> import numpy as np
    >>> from ownership.stats.reliability import omega_total
    >>> rng = np.random.default_rng(7)
    >>> factor = rng.normal(size=(500, 1))
    >>> x = factor @ np.full((1, 5), 0.7) + rng.normal(scale=0.7, size=(500, 5))
    >>> round(omega_total(x), 2)  # population value 12.5 / 15 = 0.83
    0.82
    """
    xt = as_float_array(items, "items", ndim=2, transpose=True)  # row per item
    if xt.shape[0] < 3:
        raise ValueError(f"items must have at least 3 columns, got {xt.shape[0]}")
    present = ~np.isnan(xt)
    usable = _usable(xt, present)
    if usable.sum() < 3:
        return float("nan")
    _, r = _pairwise(xt[usable], present[usable], cor=True)
    if not np.isfinite(r).all():
        return float("nan")
    lam = _one_factor_uls(r)
    key = np.where(lam < 0, -1.0, 1.0)
    vt = float(key @ r @ key)  # sum of the flipped correlation matrix
    uniq = float(np.sum(1.0 - lam * lam))
    return (vt - uniq) / vt
