"""Every department (or overlapping subset) against the rest, at once."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._common import as_float_array, as_groups, snap_zero
from ._validation import _confidence_iv, _z
from .proportions import favourable_by_group
from .rest import RestComparison, _finish, _newcombe, _welch


def _group_moments(arr, ok, index):
    """Per-group n, mean and SS about the mean (two-pass), ignoring NaN."""
    g = index.labels.shape[0]
    codes = index.codes
    x = np.where(ok, arr, 0.0)
    n = np.bincount(codes, weights=ok, minlength=g)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(codes, weights=x, minlength=g) / n
    dev = np.where(ok, arr - mean[codes], 0.0)
    ss = np.bincount(codes, weights=dev * dev, minlength=g)
    return n, mean, ss


def compare_groups_to_rest(
    values: ArrayLike, groups: ArrayLike, *, confidence: float = 0.95
) -> RestComparison:
    r"""Compare every group's mean with the rest of the respondents, vectorised.

    Parameters
    ----------
    values : array_like
        1-D scores of all respondents of the organisation, ``NaN`` ignored.
    groups : array_like
        1-D group labels, one per score.
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    RestComparison
        Arrays of shape ``(G,)`` with ``labels`` set.

    Notes
    -----
    The rest's moments come from the group moments without a loop: with the
    organisation's :math:`N`, :math:`\bar x_o` and sum of squares
    :math:`SS_o`, the decomposition
    :math:`SS_o = SS_d + SS_r + \frac{n_d n_r}{N}(\bar x_d - \bar x_r)^2`
    gives

    .. math::

        \bar x_r = \frac{N\bar x_o - n_d\bar x_d}{n_r},\qquad
        SS_r = SS_o - SS_d - \frac{n_d N}{n_r}(\bar x_d - \bar x_o)^2 ,

    then :func:`compare_means_to_rest` with :math:`s_r^2 = SS_r/(n_r - 1)`.

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
    >>> from ownership.stats.inference import compare_groups_to_rest
    >>> res = compare_groups_to_rest([4, 5, 4, 3, 5, 4, 3, 3, 4, 2, 3],
    ...                              list("aaaaaabbbbb"))
    >>> res.labels.tolist(), res.statistic.round(4).tolist()
    (['a', 'b'], [2.6458, -2.6458])
    """
    c = _confidence_iv(confidence)
    arr = as_float_array(values, "values", ndim=1, allow_nan=True)
    index = as_groups(groups, arr.shape[0])
    ok = ~np.isnan(arr)
    n, mean, ss = _group_moments(arr, ok, index)
    big_n = n.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        org_mean = np.nansum(n * mean) / big_n if big_n else np.nan
        org_ss = ss.sum() + np.nansum(n * (mean - org_mean) ** 2)
    var, rest_n, rest_mean, rest_var = _rest_moments(
        n, mean, ss, big_n, org_mean, org_ss
    )
    out = _welch(n, mean, var, rest_n, rest_mean, rest_var, c)
    return _finish(mean, rest_mean, *out, n, rest_n, scalar=False, labels=index.labels)


def _rest_moments(n, mean, ss, big_n, org_mean, org_ss):
    """Variance of each subset, and size, mean and variance of its complement
    in the organisation, from sums of squares (see compare_groups_to_rest)."""
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

    Unlike :func:`compare_groups_to_rest` the subsets may overlap, as a
    department's subtree overlaps its parent's: each is compared with the
    organisation minus itself, never with a total that contains it.

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
    With :math:`SS = (n - 1)s^2`, the rest's moments follow from the
    decomposition of :func:`compare_groups_to_rest`:

    .. math::

        \bar x_r = \frac{N\bar x_o - n_d\bar x_d}{N - n_d},\qquad
        SS_r = SS_o - SS_d - \frac{n_d N}{N - n_d}(\bar x_d - \bar x_o)^2 .

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


def compare_favourable_to_rest(
    values: ArrayLike,
    groups: ArrayLike,
    n_options: int,
    *,
    top: int = 2,
    confidence: float = 0.95,
) -> RestComparison:
    r"""Compare every group's favourable share with the rest, vectorised.

    Parameters
    ----------
    values : array_like
        1-D answers ``1..n_options`` of all respondents, ``NaN`` ignored.
    groups : array_like
        1-D group labels, one per answer.
    n_options : int
        Number of answer options.
    top : int, optional
        Number of top options counted as favourable (default 2).
    confidence : float, optional
        Confidence level, default 0.95.

    Returns
    -------
    RestComparison
        Arrays of shape ``(G,)`` with ``labels`` set; see
        :func:`compare_proportions_to_rest`.

    Notes
    -----
    The rest's counts are the organisation's totals minus the group's,
    :math:`k_r = \sum_g k_g - k_d`, :math:`n_r = \sum_g n_g - n_d`, then
    Newcombe's interval as in :func:`compare_proportions_to_rest`:

    .. math::

        L = \hat\delta - \sqrt{(\hat p_d - l_d)^2 + (u_r - \hat p_r)^2} .

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference
       between independent proportions: comparison of eleven methods.
       *Statistics in Medicine*, 17(8), 873-890.

    Examples
    --------
    >>> from ownership.stats.inference import compare_favourable_to_rest
    >>> res = compare_favourable_to_rest([5, 4, 4, 2, 1, 2, 4, 1],
    ...                                  list("aaaabbbb"), 5)
    >>> res.estimate.tolist(), res.rest.tolist()
    ([0.75, 0.25], [0.25, 0.75])
    """
    fav = favourable_by_group(values, groups, n_options, top=top, confidence=confidence)
    c = _confidence_iv(confidence)
    k1 = fav.successes.astype(np.float64)
    n1 = fav.n.astype(np.float64)
    k2, n2 = k1.sum() - k1, n1.sum() - n1
    out = _newcombe(k1, n1, k2, n2, _z(c))
    return _finish(*out, n1, n2, scalar=False, labels=fav.labels)
