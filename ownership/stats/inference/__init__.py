"""Intervals, tests and effect sizes for survey results.

- :func:`wilson_interval`: score interval for a proportion (R ``prop.test``).
- :func:`nps`, :func:`nps_by_group`: Net Promoter Score with the adjusted
  Wald interval of Rocks (2016).
- :func:`favourable_share`, :func:`favourable_by_group`: top-box share with
  its Wilson interval.
- :func:`compare_to_rest`, :func:`compare_means_to_rest`,
  :func:`compare_proportions_to_rest`, :func:`compare_groups_to_rest`,
  :func:`compare_favourable_to_rest`: a department against the rest of the
  organisation (Welch t, Newcombe hybrid score interval).
- :func:`share_change`, :func:`nps_change`: change between two waves
  (independent samples: Newcombe's interval, a z-test for the NPS).
- :func:`fdr_bh`: Benjamini–Hochberg adjusted p-values (R ``p.adjust``).
- :func:`bootstrap_ci`: BCa bootstrap over respondents, or a two-stage
  (departments, then people) percentile bootstrap; :func:`bca_interval`, the
  BCa interval of R's ``boot.ci`` from given replicates;
  :class:`ExtremeOrderStatisticWarning`, R's warning when an end is the
  smallest or largest replicate.
- :func:`cohens_d`, :func:`hedges_g`, :func:`cliffs_delta`: effect sizes.

Everything that takes counts or summary statistics broadcasts over arrays, so
one call serves every department.
"""

from __future__ import annotations

from .bootstrap import (
    BootstrapResult,
    ExtremeOrderStatisticWarning,
    bca_interval,
    bootstrap_ci,
)
from .change import Change, nps_change, share_change
from .effect_sizes import cliffs_delta, cohens_d, hedges_g
from .multiplicity import fdr_bh
from .nps import NPSByGroup, NPSResult, nps, nps_by_group, nps_interval
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
    compare_favourable_to_rest,
    compare_groups_to_rest,
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
    "cliffs_delta",
    "cohens_d",
    "compare_favourable_to_rest",
    "compare_groups_to_rest",
    "compare_means_to_rest",
    "compare_proportions_to_rest",
    "compare_subsets_to_rest",
    "compare_to_rest",
    "fdr_bh",
    "favourable_by_group",
    "favourable_share",
    "hedges_g",
    "nps",
    "nps_by_group",
    "nps_interval",
    "wilson_interval",
]
