"""Net Promoter Score with the adjusted Wald interval of Rocks (2016)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._common import as_float_array, as_groups
from ._validation import _confidence_iv, _counts_iv, _z


class NPSResult(NamedTuple):
    """Net Promoter Score on the -100..100 scale."""

    score: float
    se: float
    ci_low: float
    ci_high: float
    n: int


@dataclass(frozen=True)
class NPSByGroup:
    """:class:`NPSResult` fields per group (arrays of shape ``(G,)``), and
    the counts of promoters (9-10) and detractors (0-6) behind them."""

    labels: NDArray
    score: NDArray[np.float64]
    se: NDArray[np.float64]
    ci_low: NDArray[np.float64]
    ci_high: NDArray[np.float64]
    n: NDArray[np.intp]
    promoters: NDArray[np.intp]
    detractors: NDArray[np.intp]


def _nps_iv(scores: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    arr = as_float_array(scores, "scores", ndim=1, allow_nan=True)
    ok = ~np.isnan(arr)
    v = arr[ok]
    if ((v < 0) | (v > 10) | (v != np.round(v))).any():
        raise ValueError("scores must hold integers from 0 to 10 or NaN")
    return arr, ok


def _nps_from_counts(promoters, detractors, n, z):
    """Score, Wald SE and Rocks (2016) adjusted-Wald bounds, on -1..1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p, d = promoters / n, detractors / n
        score = p - d
        se = np.sqrt((p + d - score**2) / n)
        # adjusted Wald: add 0.75 promoters, 0.75 detractors, 1.5 passives
        n_adj = n + 3.0
        pa, da = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
        score_adj = pa - da
        half = z * np.sqrt((pa + da - score_adj**2) / n_adj)
    empty = n == 0
    low = np.where(empty, np.nan, np.maximum(score_adj - half, -1.0))
    high = np.where(empty, np.nan, np.minimum(score_adj + half, 1.0))
    score = np.where(empty, np.nan, score)
    se = np.where(empty, np.nan, se)
    return score, se, low, high


def nps(scores: ArrayLike, confidence: float = 0.95) -> NPSResult:
    r"""Net Promoter Score with the Wald SE and an adjusted Wald interval.

    Parameters
    ----------
    scores : array_like
        1-D answers to "how likely are you to recommend ...", integers
        ``0..10``; ``NaN`` is a missing answer and is ignored.
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    NPSResult
        ``score``, ``se``, ``ci_low`` and ``ci_high`` on the -100..100 scale
        and ``n`` (non-missing answers). No answers give ``NaN`` values.

    Notes
    -----
    Promoters answer 9-10, passives 7-8, detractors 0-6. With the
    proportions :math:`p` of promoters and :math:`d` of detractors, the
    score is :math:`100(p - d)` and its Wald standard error, from the
    multinomial variance of :math:`p - d`,

    .. math::

        \mathrm{SE} = 100\sqrt{\frac{p + d - (p - d)^2}{n}} .

    The interval is the adjusted Wald interval of Rocks (2016): add 0.75
    promoters, 0.75 detractors and 1.5 passives (:math:`n' = n + 3`),
    recompute :math:`p', d'` and take

    .. math::

        100\left[(p' - d') \pm z \sqrt{\frac{p' + d' - (p' - d')^2}{n'}}\right],

    clipped to :math:`[-100, 100]`. The point estimate and ``se`` stay the
    unadjusted ones, so the interval is not centred on ``score``.

    The published worked example (5 detractors, 7 passives, 13 promoters)
    gives NPS .32, SE .157175 and the interval [-.004711, .576140] on the
    -1..1 scale, that is 32, 15.7175 and [-0.4711, 57.6140] here.

    References
    ----------
    .. [1] Reichheld, F. F. (2003). The one number you need to grow.
       *Harvard Business Review*, 81(12), 46-54.
    .. [2] Rocks, B. (2016). Interval estimation for the "net promoter
       score". *The American Statistician*, 70(4), 365-372.

    Examples
    --------
    >>> import numpy as np
    >>> from ownership.stats.inference import nps
    >>> scores = np.r_[np.full(5, 3), np.full(7, 8), np.full(13, 10)]
    >>> res = nps(scores)
    >>> round(res.score, 6), round(res.se, 4), res.n
    (32.0, 15.7175, 25)
    >>> round(res.ci_low, 4), round(res.ci_high, 4)
    (-0.4711, 57.614)
    """
    c = _confidence_iv(confidence)
    arr, ok = _nps_iv(scores)
    v = arr[ok]
    out = _nps_from_counts(
        np.float64((v >= 9).sum()),
        np.float64((v <= 6).sum()),
        np.float64(v.size),
        _z(c),
    )
    score, se, low, high = (100.0 * float(x) for x in out)
    return NPSResult(score, se, low, high, int(v.size))


def _nps_counts_iv(promoters, detractors, n, prefix: str = ""):
    """Promoter and detractor counts that fit, together, in ``n``."""
    p, m = _counts_iv(promoters, n, f"{prefix}promoters", f"{prefix}n")
    d, _ = _counts_iv(detractors, m, f"{prefix}detractors", f"{prefix}n")
    if ((p + d) > m).any():
        raise ValueError(f"{prefix}promoters + {prefix}detractors must not exceed n")
    return p, d, m


def nps_by_group(
    scores: ArrayLike, groups: ArrayLike, confidence: float = 0.95
) -> NPSByGroup:
    r""":func:`nps` for every group at once, vectorised.

    Parameters
    ----------
    scores : array_like
        1-D integers ``0..10``, ``NaN`` for missing.
    groups : array_like
        1-D group labels, one per score.
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    NPSByGroup
        ``labels`` and per-group ``score``, ``se``, ``ci_low``, ``ci_high``
        (-100..100) and ``n``.

    Notes
    -----
    The formulas of :func:`nps` applied to per-group counts from
    :func:`numpy.bincount`:

    .. math::

        \mathrm{NPS}_g = 100\,(p_g - d_g), \qquad
        \mathrm{SE}_g = 100\sqrt{\frac{p_g + d_g - (p_g - d_g)^2}{n_g}}.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter
       score". *The American Statistician*, 70(4), 365-372.

    Examples
    --------
    >>> from ownership.stats.inference import nps_by_group
    >>> res = nps_by_group([10, 9, 3, 8, 0, 0], ["a", "a", "a", "b", "b", "b"])
    >>> res.score.round(2).tolist(), res.n.tolist()
    ([33.33, -66.67], [3, 3])
    """
    c = _confidence_iv(confidence)
    arr, ok = _nps_iv(scores)
    index = as_groups(groups, arr.shape[0])
    g = index.labels.shape[0]
    v = np.where(ok, arr, 7.0)  # missing counts as neither promoter nor detractor
    prom = np.bincount(index.codes, weights=ok & (v >= 9), minlength=g)
    detr = np.bincount(index.codes, weights=ok & (v <= 6), minlength=g)
    n = np.bincount(index.codes, weights=ok, minlength=g)
    score, se, low, high = _nps_from_counts(prom, detr, n, _z(c))
    return NPSByGroup(
        index.labels,
        100 * score,
        100 * se,
        100 * low,
        100 * high,
        n.astype(np.intp),
        prom.astype(np.intp),
        detr.astype(np.intp),
    )
