"""Intervals and tests for survey results.

- :func:`wilson_interval`: score interval for a proportion (R ``prop.test``).
- :func:`nps`, :func:`nps_by_group`: Net Promoter Score with the adjusted
  Wald interval of Rocks (2016).
- :func:`favourable_share`, :func:`favourable_by_group`: top-box share with
  its Wilson interval.
- :func:`compare_to_rest`, :func:`compare_means_to_rest`,
  :func:`compare_proportions_to_rest`, :func:`compare_subsets_to_rest`: a
  department (every department's subtree at once) against the rest of the
  organisation (Welch t, Newcombe hybrid score interval).
- :func:`share_change`, :func:`nps_change`: change between two waves
  (independent samples: Newcombe's interval, a z-test for the NPS).
- :func:`fdr_bh`: Benjamini–Hochberg adjusted p-values (R ``p.adjust``).
- :func:`bootstrap_ci`: BCa bootstrap over respondents, or a two-stage
  (departments, then people) percentile bootstrap; :func:`bca_interval`, the
  BCa interval of R's ``boot.ci`` from given replicates;
  :class:`ExtremeOrderStatisticWarning`, R's warning when an end is the
  smallest or largest replicate.

Everything that takes counts or summary statistics broadcasts over arrays, so
one call serves every department.
"""

from __future__ import annotations

from .bca import ExtremeOrderStatisticWarning, bca_interval
from .bootstrap import BootstrapResult, bootstrap_ci
from .change import Change, nps_change, share_change
from .multiplicity import fdr_bh
from .nps import NPSByGroup, NPSResult, nps, nps_by_group
from .proportions import (
    FavourableByGroup,
    FavourableShare,
    Interval,
    favourable_by_group,
    favourable_share,
    wilson_interval,
)
from .rest import (
    RestComparison,
    compare_means_to_rest,
    compare_proportions_to_rest,
    compare_to_rest,
)
from .rest_by_group import (
    compare_subsets_to_rest,
)

__all__ = [
    "Change",
    "nps_change",
    "share_change",
    "BootstrapResult",
    "ExtremeOrderStatisticWarning",
    "FavourableByGroup",
    "FavourableShare",
    "Interval",
    "NPSByGroup",
    "NPSResult",
    "RestComparison",
    "bca_interval",
    "bootstrap_ci",
    "compare_means_to_rest",
    "compare_proportions_to_rest",
    "compare_subsets_to_rest",
    "compare_to_rest",
    "fdr_bh",
    "favourable_by_group",
    "favourable_share",
    "nps",
    "nps_by_group",
    "wilson_interval",
]
