"""Within-group agreement: rwg of one item and rwg(j) of a scale, per group."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._common import as_float_array, as_n_options
from ..descriptives import _group_index, _grouped_moments

__all__ = ["GroupValues", "rwg", "rwg_j"]


class GroupValues(NamedTuple):
    """One value per group.

    Attributes
    ----------
    labels : ndarray
        Sorted unique group labels (every label passed in ``groups``).
    values : ndarray of float
        The statistic per group, NaN where it is undefined; shape (groups,),
        or (groups, items) for :func:`rwg` of several items.
    sizes : ndarray of int
        Group sizes after dropping missing rows, shaped like ``values``.
    """

    labels: NDArray
    values: NDArray[np.float64]
    sizes: NDArray[np.intp]


def _likert(x: NDArray, n_options: int, name: str) -> None:
    # fmin/fmax skip NaN without copying the answers.
    low = np.fmin.reduce(x, axis=None, initial=np.inf)
    high = np.fmax.reduce(x, axis=None, initial=-np.inf)
    if np.isfinite(low) and (low < 1 or high > n_options):
        raise ValueError(
            f"{name} must lie between 1 and n_options={n_options}, got values in "
            f"[{low:g}, {high:g}]"
        )


def _ranvar(n_options: int) -> float:
    # Variance of the discrete uniform null distribution on 1..A (James,
    # Demaree & Wolf 1984, eq. 2).
    return (n_options * n_options - 1.0) / 12.0


def rwg(values: ArrayLike, groups: ArrayLike, n_options: int) -> GroupValues:
    r"""Within-group agreement on a single item, :math:`r_{wg}`, per group.

    Parameters
    ----------
    values : array_like, shape (respondents,) or (respondents, items)
        Answers on a 1..``n_options`` scale, ``np.nan`` for a missing answer.
        A 2-D array gives the rwg of each column (item) separately, with its
        own missing answers, in one pass.
    groups : array_like, shape (respondents,)
        Group label of each respondent.
    n_options : int
        Number of answer options A (at least 2).

    Returns
    -------
    GroupValues
        ``labels``, ``values`` (rwg per group; NaN for a group with fewer than
        two answers) and ``sizes`` (answers per group); ``values`` and
        ``sizes`` have shape (groups, items) for 2-D ``values``.

    Raises
    ------
    ValueError
        If ``values`` is not 1-D or 2-D, holds an infinite value or a value outside
        1..A, if ``groups`` does not match it, or if ``n_options`` is not an
        integer of at least 2.

    Notes
    -----
    With :math:`s_x^2` the unbiased variance of the group's answers and
    :math:`\sigma_E^2 = (A^2 - 1)/12` the variance of a uniform ("no agreement")
    answer distribution (James, Demaree & Wolf 1984),

    .. math::

        r_{wg} = 1 - \frac{s_x^2}{\sigma_E^2},

    set to 0 when :math:`s_x^2 > \sigma_E^2`. A group whose members all give the
    same answer has :math:`r_{wg} = 1`.

    Reference implementation: ``multilevel::rwg(x, grpid, ranvar = (A^2 - 1) /
    12)``. Unlike R, groups without any answer are kept, with size 0 and NaN,
    so that results for several items line up.

    References
    ----------
    .. [1] James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating
       within-group interrater reliability with and without response bias.
       *Journal of Applied Psychology*, 69(1), 85-98.
    .. [2] Bliese, P. D. (2022). *multilevel: Multilevel Functions*, version 2.7.

    Examples
    --------
    >>> from ownership.stats.agreement import rwg
    >>> res = rwg([5, 5, 4, 4, 5, 1, 5, 1, 5, 3, 3, 4, 4, 4, 4],
    ...           list("AAAAABBBBBCDDDD"), n_options=5)
    >>> res.labels.tolist(), res.values.tolist(), res.sizes.tolist()
    (['A', 'B', 'C', 'D'], [0.85, 0.0, nan, 1.0], [5, 5, 1, 4])
    """
    x = as_float_array(values, "values", ndim=(1, 2))
    index = _group_index(groups, x.shape[0])
    n_options = as_n_options(n_options)
    _likert(x, n_options, "values")
    column = x if x.ndim == 2 else x[:, None]
    sizes, _, var = _grouped_moments(index.codes, column, index.labels.size)
    ranvar = _ranvar(n_options)
    out = np.where(var > ranvar, 0.0, 1.0 - var / ranvar)
    out[sizes < 2] = np.nan
    if x.ndim == 1:
        return GroupValues(index.labels, out[:, 0], sizes[:, 0])
    return GroupValues(index.labels, out, sizes)


def rwg_j(items: ArrayLike, groups: ArrayLike, n_options: int) -> GroupValues:
    r"""Within-group agreement on a multi-item scale, :math:`r_{wg(J)}`, per group.

    Parameters
    ----------
    items : array_like, shape (respondents, J)
        Answers on a 1..``n_options`` scale, ``np.nan`` for a missing answer,
        already reverse-keyed. A respondent with any missing item is dropped.
    groups : array_like, shape (respondents,)
        Group label of each respondent.
    n_options : int
        Number of answer options A (at least 2).

    Returns
    -------
    GroupValues
        ``labels``, ``values`` (rwg(j) per group; NaN for a group with fewer
        than two complete rows) and ``sizes`` (complete rows per group).

    Raises
    ------
    ValueError
        If ``items`` is not 2-D with at least one column, holds an infinite
        value or a value outside 1..A, if ``groups`` does not match it, or if
        ``n_options`` is not an integer of at least 2.

    Notes
    -----
    With :math:`\bar s_x^2` the mean of the :math:`J` unbiased item variances
    within the group, truncated at :math:`\sigma_E^2 = (A^2 - 1)/12`
    (James, Demaree & Wolf 1984, eq. 6; LeBreton & Senter 2008),

    .. math::

        r_{wg(J)} = \frac{J\,(1 - \bar s_x^2/\sigma_E^2)}
        {J\,(1 - \bar s_x^2/\sigma_E^2) + \bar s_x^2/\sigma_E^2}.

    The truncation makes :math:`r_{wg(J)} = 0` when the group disagrees more
    than uniform answering would. With one item it equals :func:`rwg`.

    Reference implementation: ``multilevel::rwg.j(items, grpid, ranvar = (A^2 -
    1) / 12)``, which also drops incomplete rows (``na.exclude``). Groups left
    without a complete row are kept, with size 0 and NaN.

    References
    ----------
    .. [1] James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating
       within-group interrater reliability with and without response bias.
       *Journal of Applied Psychology*, 69(1), 85-98.
    .. [2] James, L. R., Demaree, R. G., & Wolf, G. (1993). rwg: An assessment
       of within-group interrater agreement. *Journal of Applied Psychology*,
       78(2), 306-309.
    .. [3] LeBreton, J. M., & Senter, J. L. (2008). Answers to 20 questions
       about interrater reliability and interrater agreement. *Organizational
       Research Methods*, 11(4), 815-852.

    Examples
    --------
    >>> import numpy as np
    >>> from ownership.stats.agreement import rwg_j
    >>> items = np.array([[5, 4, 5], [5, 5, 4], [4, 4, 4], [4, 5, 4], [5, 5, 4],
    ...                   [4, 4, 4], [4, 4, 4], [4, 4, 4], [4, 4, 5]])
    >>> res = rwg_j(items, ["A"] * 5 + ["D"] * 4, n_options=5)
    >>> np.round(res.values, 7)
    array([0.9512195, 0.9857143])
    """
    # A construct's slice of a wider table is strided: copy it once, then check.
    x = as_float_array(items, "items", ndim=2, contiguous=True)
    if x.shape[1] < 1:
        raise ValueError("items must have at least 1 column, got 0")
    index = _group_index(groups, x.shape[0])
    n_options = as_n_options(n_options)
    _likert(x, n_options, "items")
    complete = ~np.isnan(x @ np.ones(x.shape[1]))  # NaN sum: an item is missing
    if not complete.all():
        x, codes = x[complete], index.codes[complete]
    else:
        codes = index.codes
    sizes, _, var = _grouped_moments(codes, x, index.labels.size)
    sizes = sizes[:, 0]
    ranvar = _ranvar(n_options)
    j = x.shape[1]
    ratio = np.minimum(var.mean(axis=1), ranvar) / ranvar  # truncated, eq. 6
    with np.errstate(divide="ignore", invalid="ignore"):
        out = j * (1.0 - ratio) / (j * (1.0 - ratio) + ratio)
    out[sizes < 2] = np.nan
    return GroupValues(index.labels, out, sizes)
