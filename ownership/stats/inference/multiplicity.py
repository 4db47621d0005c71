"""Many comparisons at once: Benjamini-Hochberg adjusted p-values."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._common import as_float_array
from ._validation import _ANY_NDIM


def fdr_bh(pvalues: ArrayLike) -> NDArray[np.float64]:
    r"""Benjamini–Hochberg adjusted p-values (false discovery rate).

    Parameters
    ----------
    pvalues : array_like
        p-values in ``[0, 1]``, any shape. ``NaN`` entries stay ``NaN`` and
        are not counted in the number of tests.

    Returns
    -------
    ndarray
        Adjusted p-values, same shape as the input.

    Notes
    -----
    With the :math:`m` non-missing p-values sorted ascending,
    :math:`p_{(1)} \le \dots \le p_{(m)}`,

    .. math::

        \tilde p_{(i)} = \min\Bigl(1, \min_{j \ge i} \frac{m}{j} p_{(j)}\Bigr).

    Rejecting :math:`\tilde p \le q` controls the false discovery rate at
    :math:`q` for independent or positively dependent tests. Equals R
    ``p.adjust(p, "BH")``, which also drops ``NA`` before counting.

    References
    ----------
    .. [1] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false
       discovery rate: a practical and powerful approach to multiple
       testing. *JRSS B*, 57(1), 289-300.

    Examples
    --------
    >>> from ownership.stats.inference import fdr_bh
    >>> fdr_bh([0.01, 0.04, float("nan"), 0.03]).round(4).tolist()
    [0.03, 0.04, nan, 0.04]
    """
    p = as_float_array(pvalues, "pvalues", ndim=_ANY_NDIM, allow_nan=True)
    flat = p.reshape(-1)
    ok = ~np.isnan(flat)
    q = flat[ok]
    if ((q < 0) | (q > 1)).any():
        raise ValueError("pvalues must lie in [0, 1]")
    m = q.size
    out = np.full(flat.shape, np.nan)
    if m:
        order = np.argsort(q, kind="stable")[::-1]  # largest first
        rank = np.arange(m, 0, -1, dtype=np.float64)
        adj = np.minimum.accumulate(q[order] * (m / rank))
        res = np.empty(m)
        res[order] = np.minimum(adj, 1.0)
        out[ok] = res
    return out.reshape(p.shape)
