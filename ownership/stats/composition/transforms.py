"""Log-ratio transforms of compositions (see the package).

:func:`closure` rescales to shares, :func:`replace_zeros` removes the zeros
that logarithms cannot take, :func:`clr` and :func:`ilr` map compositions to
ordinary Euclidean coordinates.

Inputs are 1-D (one composition) or 2-D (one per row), finite, non-negative,
with positive row sums; anything else raises :class:`ValueError` naming the
argument.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._common import as_float_array

__all__ = ["closure", "clr", "ilr", "ilr_basis", "replace_zeros"]

# resampled index blocks are kept below this many elements
_MAX_ELEMENTS = 2**24


def _composition_iv(
    x: ArrayLike, name: str, ndim: int | tuple[int, ...] = (1, 2)
) -> NDArray[np.float64]:
    arr = as_float_array(x, name, ndim=ndim, allow_nan=False)
    if arr.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one part (got 0 columns)")
    if (arr < 0).any():
        raise ValueError(f"{name} contains negative values")
    if (arr.sum(axis=-1) <= 0).any():
        raise ValueError(f"{name} has rows that sum to zero")
    return arr


def closure(x: ArrayLike) -> NDArray[np.float64]:
    r"""Rescale compositions to sum to 1.

    Parameters
    ----------
    x : array_like
        Non-negative parts, 1-D or 2-D (one composition per row), each row
        with a positive sum.

    Returns
    -------
    ndarray
        Same shape, rows summing to 1.

    Notes
    -----
    .. math::

        \mathcal C(x) = \Bigl(\frac{x_1}{\sum_j x_j}, \dots,
        \frac{x_D}{\sum_j x_j}\Bigr).

    Equals ``skbio.stats.composition.closure``.

    References
    ----------
    .. [1] Aitchison, J. (1986). *The Statistical Analysis of Compositional
       Data*. London: Chapman & Hall, def. 2.1.

    Examples
    --------
    >>> from ownership.stats.composition import closure
    >>> closure([60, 30, 10]).tolist()
    [0.6, 0.3, 0.1]
    """
    arr = _composition_iv(x, "x")
    return arr / arr.sum(axis=-1, keepdims=True)


def replace_zeros(x: ArrayLike, delta: float = 0.0065) -> NDArray[np.float64]:
    r"""Multiplicative replacement of zeros (Martín-Fernández et al. 2003).

    Parameters
    ----------
    x : array_like
        Non-negative parts, 1-D or 2-D (row-wise), positive row sums.
    delta : float, optional
        Value given to each zero, as a fraction of the row total (default
        0.0065: 65 % of the 1-point detection limit of a 100-point
        allocation, the fraction the authors recommend). Must satisfy
        ``delta * (number of zeros in a row) < 1``.

    Returns
    -------
    ndarray
        Closed compositions (rows summing to 1) without zeros. Rows without
        zeros are only closed.

    Notes
    -----
    For a closed row with :math:`Z` zeros,

    .. math::

        r_j = \begin{cases} \delta & x_j = 0\\
                            (1 - Z\delta)\, x_j & x_j > 0 \end{cases}

    which keeps the ratios between the non-zero parts (and so their
    covariance structure) unchanged.

    Equals ``skbio.stats.composition.multi_replace(x, delta)`` (formerly
    ``multiplicative_replacement``); note that scikit-bio's default
    ``delta`` is :math:`1/D^2`, not 0.0065.

    References
    ----------
    .. [1] Martín-Fernández, J. A., Barceló-Vidal, C., & Pawlowsky-Glahn, V.
       (2003). Dealing with zeros and missing values in compositional data
       sets using nonparametric imputation. *Mathematical Geology*, 35(3),
       253-278, eq. 4.

    Examples
    --------
    >>> from ownership.stats.composition import replace_zeros
    >>> replace_zeros([0.2, 0.4, 0.4, 0.0], delta=1 / 16).tolist()
    [0.1875, 0.375, 0.375, 0.0625]
    """
    arr = closure(x)
    try:
        d = float(delta)
    except (TypeError, ValueError):
        raise ValueError(f"delta must be a number, got {delta!r}") from None
    if not np.isfinite(d) or d <= 0:
        raise ValueError(f"delta must be positive and finite, got {delta!r}")
    zeros = arr == 0
    n_zeros = zeros.sum(axis=-1, keepdims=True)
    if (n_zeros * d >= 1).any():
        raise ValueError(
            f"delta={d} is too large: delta times the number of zeros in a row "
            "must stay below 1"
        )
    return np.where(zeros, d, arr * (1.0 - n_zeros * d))


def _positive_iv(x: ArrayLike, name: str = "x") -> NDArray[np.float64]:
    arr = _composition_iv(x, name)
    if (arr == 0).any():
        raise ValueError(f"{name} contains zeros; apply replace_zeros first")
    return arr


def clr(x: ArrayLike) -> NDArray[np.float64]:
    r"""Centred log-ratio transform.

    Parameters
    ----------
    x : array_like
        Strictly positive parts, 1-D or 2-D (row-wise). Zeros raise
        :class:`ValueError`: apply :func:`replace_zeros` first.

    Returns
    -------
    ndarray
        Same shape; each row sums to 0.

    Notes
    -----
    .. math::

        \operatorname{clr}(x) = \Bigl(\ln\frac{x_1}{g(x)}, \dots,
        \ln\frac{x_D}{g(x)}\Bigr),\qquad g(x) = \Bigl(\prod_j x_j\Bigr)^{1/D}.

    It is invariant to the scale of a row, so closing first is not needed.
    Equals ``skbio.stats.composition.clr``.

    References
    ----------
    .. [1] Aitchison, J. (1986). *The Statistical Analysis of Compositional
       Data*. London: Chapman & Hall, def. 4.5.

    Examples
    --------
    >>> from ownership.stats.composition import clr
    >>> clr([0.1, 0.3, 0.4, 0.2]).round(8).tolist()
    [-0.79451346, 0.30409883, 0.5917809, -0.10136628]
    """
    lx = np.log(_positive_iv(x))
    return lx - lx.mean(axis=-1, keepdims=True)


def ilr_basis(n_parts: int) -> NDArray[np.float64]:
    r"""The Gram–Schmidt orthonormal basis of the clr hyperplane.

    Parameters
    ----------
    n_parts : int
        Number of parts :math:`D \ge 2`.

    Returns
    -------
    ndarray
        Shape ``(D - 1, D)``: orthonormal rows, each orthogonal to the vector
        of ones (so they span the clr hyperplane).

    Notes
    -----
    Row :math:`i = 1, \dots, D-1` is

    .. math::

        e_i = \sqrt{\frac{i}{i+1}}\,
              \Bigl(\underbrace{\tfrac1i, \dots, \tfrac1i}_{i}, -1,
              0, \dots, 0\Bigr),

    the basis of Egozcue et al. (2003) built by Gram–Schmidt from the
    canonical one, in the order scikit-bio's ``_gram_schmidt_basis`` uses
    (its default ``ilr`` basis).

    References
    ----------
    .. [1] Egozcue, J. J., Pawlowsky-Glahn, V., Mateu-Figueras, G., &
       Barceló-Vidal, C. (2003). Isometric logratio transformations for
       compositional data analysis. *Mathematical Geology*, 35(3), 279-300.

    Examples
    --------
    >>> from ownership.stats.composition import ilr_basis
    >>> ilr_basis(3).round(4).tolist()
    [[0.7071, -0.7071, 0.0], [0.4082, 0.4082, -0.8165]]
    """
    if isinstance(n_parts, bool) or not isinstance(n_parts, (int, np.integer)):
        raise ValueError(f"n_parts must be an integer, got {n_parts!r}")
    if n_parts < 2:
        raise ValueError(f"n_parts must be at least 2, got {n_parts}")
    d = int(n_parts)
    i = np.arange(1, d)[:, None]  # row index 1..D-1
    j = np.arange(d)[None, :]
    basis = np.where(j < i, 1.0 / i, np.where(j == i, -1.0, 0.0))
    return basis * np.sqrt(i / (i + 1.0))


def _basis_iv(basis: ArrayLike | None, d: int) -> NDArray[np.float64]:
    if basis is None:
        return ilr_basis(d)
    v = as_float_array(basis, "basis", ndim=2, allow_nan=False)
    if v.shape != (d - 1, d):
        raise ValueError(f"basis must have shape ({d - 1}, {d}), got {v.shape}")
    if not np.allclose(v @ v.T, np.eye(d - 1), atol=1e-8) or not np.allclose(
        v.sum(axis=1), 0.0, atol=1e-8
    ):
        raise ValueError(
            "basis rows must be orthonormal and orthogonal to the vector of ones"
        )
    return v


def ilr(x: ArrayLike, basis: ArrayLike | None = None) -> NDArray[np.float64]:
    r"""Isometric log-ratio transform.

    Parameters
    ----------
    x : array_like
        Strictly positive parts, 1-D or 2-D (row-wise), ``D >= 2``.
    basis : array_like, optional
        Orthonormal basis of the clr hyperplane, shape ``(D - 1, D)``.
        Default: :func:`ilr_basis` (scikit-bio's default).

    Returns
    -------
    ndarray
        Shape ``(..., D - 1)``: coordinates in which Aitchison distances are
        Euclidean distances.

    Notes
    -----
    .. math::

        \operatorname{ilr}(x) = \operatorname{clr}(x)\, V^{\top},

    with :math:`V` the basis (rows :math:`e_i`). Any orthonormal basis gives
    coordinates that differ by a rotation, so distances, Hotelling's
    :math:`T^2` and every test here do not depend on the choice. Equals
    ``skbio.stats.composition.ilr`` with its default basis.

    References
    ----------
    .. [1] Egozcue, J. J., Pawlowsky-Glahn, V., Mateu-Figueras, G., &
       Barceló-Vidal, C. (2003). Isometric logratio transformations for
       compositional data analysis. *Mathematical Geology*, 35(3), 279-300.

    Examples
    --------
    >>> from ownership.stats.composition import ilr
    >>> ilr([0.1, 0.3, 0.4, 0.2]).round(8).tolist()
    [-0.7768362, -0.68339802, 0.11704769]
    """
    c = clr(x)
    d = c.shape[-1]
    if d < 2:
        raise ValueError("x must have at least 2 parts for ilr")
    return c @ _basis_iv(basis, d).T
