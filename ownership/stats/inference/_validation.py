"""Argument checks shared by the inference functions (private)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from .._common import as_float_array, as_n_options

_ANY_NDIM = tuple(range(33))


# --------------------------------------------------------------------------
# validation helpers (private)


def _confidence_iv(confidence: float, name: str = "confidence") -> float:
    try:
        c = float(confidence)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {confidence!r}") from None
    if not 0.0 < c < 1.0:
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {c}")
    return c


def _z(confidence: float) -> float:
    return float(stats.norm.ppf((1.0 + confidence) / 2.0))


def _counts_iv(
    successes: ArrayLike, n: ArrayLike, s_name: str, n_name: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    k = as_float_array(successes, s_name, ndim=_ANY_NDIM, allow_nan=False)
    m = as_float_array(n, n_name, ndim=_ANY_NDIM, allow_nan=False)
    try:
        k, m = np.broadcast_arrays(k, m)
    except ValueError:
        raise ValueError(
            f"{s_name} and {n_name} have incompatible shapes {k.shape} and {m.shape}"
        ) from None
    if (m < 0).any():
        raise ValueError(f"{n_name} contains negative counts")
    if (k < 0).any():
        raise ValueError(f"{s_name} contains negative counts")
    if (k > m).any():
        raise ValueError(f"{s_name} exceeds {n_name}")
    return k, m


def _scalar(x: NDArray[np.float64], scalar: bool) -> Any:
    return float(x) if scalar else x


def _likert_iv(values: ArrayLike, n_options: int, name: str = "values"):
    arr = as_float_array(values, name, ndim=1, allow_nan=True)
    k = as_n_options(n_options)
    ok = ~np.isnan(arr)
    v = arr[ok]
    if ((v < 1) | (v > k) | (v != np.round(v))).any():
        raise ValueError(f"{name} must hold integers from 1 to n_options={k} or NaN")
    return arr, ok, k


def _top_iv(top: int, n_options: int) -> int:
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)):
        raise ValueError(f"top must be an integer, got {top!r}")
    if not 1 <= top < n_options:
        raise ValueError(f"top must lie in 1..n_options-1={n_options - 1}, got {top}")
    return int(top)


def _sample_iv(x: ArrayLike, name: str) -> NDArray[np.float64]:
    arr = as_float_array(x, name, ndim=1, allow_nan=True)
    return arr[~np.isnan(arr)]
