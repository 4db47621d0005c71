"""Every department (or overlapping subset) against the rest, at once."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._common import as_float_array, snap_zero
from ._validation import _confidence_iv
from .rest import RestComparison, _finish, _welch


def _rest_moments(n, mean, ss, big_n, org_mean, org_ss):
    """Variance of each subset, and size, mean and variance of its complement
    in the organisation, from sums of squares (see compare_subsets_to_rest)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rest_n = big_n - n
        rest_mean = (big_n * org_mean - np.where(n > 0, n * mean, 0.0)) / rest_n
        between = np.where(n > 0, n * big_n / rest_n * (mean - org_mean) ** 2, 0.0)
        rest_ss = org_ss - ss - between
        # the subtraction leaves rounding noise where the rest is constant;
        # snap it to the exact 0 the two-pass sum of squares would give
        rest_ss = snap_zero(np.maximum(rest_ss, 0.0), org_ss + ss + between, 4)
        var = np.where(n >= 2, ss / (n - 1), np.nan)
        rest_var = np.where(rest_n >= 2, rest_ss / (rest_n - 1), np.nan)
        rest_mean = np.where(rest_n > 0, rest_mean, np.nan)
    return var, rest_n, rest_mean, rest_var


def compare_subsets_to_rest(
    n: ArrayLike,
    mean: ArrayLike,
    var: ArrayLike,
    org_n: float,
    org_mean: float,
    org_var: float,
    *,
    confidence: float = 0.95,
) -> RestComparison:
    r"""Welch's t of subsets of the organisation against the rest, from summaries.

    The subsets may overlap, as a department's subtree overlaps its
    parent's: each is compared with the organisation minus itself, never
    with a total that contains it.

    Parameters
    ----------
    n, mean, var : array_like
        Respondents, mean and sample variance of each subset.
    org_n, org_mean, org_var : float
        The same for the whole organisation.
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    RestComparison
        Arrays of shape ``(subsets,)``.

    Notes
    -----
    The rest's moments come from the subset's and the organisation's
    without reading a respondent: with :math:`SS = (n - 1)s^2`, the
    organisation's :math:`N`, :math:`\bar x_o` and :math:`SS_o`, and
    :math:`n_r = N - n_d`, the decomposition
    :math:`SS_o = SS_d + SS_r + \frac{n_d n_r}{N}(\bar x_d - \bar x_r)^2`
    gives

    .. math::

        \bar x_r = \frac{N\bar x_o - n_d\bar x_d}{n_r},\qquad
        SS_r = SS_o - SS_d - \frac{n_d N}{n_r}(\bar x_d - \bar x_o)^2 ,

    then Welch's t (:func:`compare_means_to_rest`) with
    :math:`s_r^2 = SS_r/(n_r - 1)`.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem
       when several different population variances are involved.
       *Biometrika*, 34(1-2), 28-35.
    .. [2] Chan, T. F., Golub, G. H., & LeVeque, R. J. (1979). Updating
       formulae and a pairwise algorithm for computing sample variances.
       Stanford CS report STAN-CS-79-773.

    Examples
    --------
    >>> from ownership.stats.inference import compare_subsets_to_rest
    >>> res = compare_subsets_to_rest([6], [25 / 6], [0.5667], 11, 40 / 11, 0.8545)
    >>> round(float(res.rest[0]), 4)
    3.0
    """
    c = _confidence_iv(confidence)
    n_ = as_float_array(n, "n", ndim=1)
    mean_ = as_float_array(mean, "mean", ndim=1)
    var_ = as_float_array(var, "var", ndim=1)
    if not (n_.shape == mean_.shape == var_.shape):
        raise ValueError("n, mean and var must have the same length")
    if (n_ < 0).any() or (n_ > org_n).any():
        raise ValueError("n must lie between 0 and org_n")
    ss = np.where(n_ >= 2, (n_ - 1) * np.nan_to_num(var_), 0.0)
    org_ss = (org_n - 1) * org_var if org_n >= 2 else 0.0
    var, rest_n, rest_mean, rest_var = _rest_moments(
        n_, np.nan_to_num(mean_), ss, org_n, org_mean, org_ss
    )
    out = _welch(n_, mean_, var, rest_n, rest_mean, rest_var, c)
    return _finish(mean_, rest_mean, *out, n_, rest_n, scalar=False)
