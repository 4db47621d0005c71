"""Responsibility concentration: who do people think owns the customer?

Every respondent splits 100 points over the loci of ownership the wave offers
(me, my team, the CCO, customer service, ...). Per department (a subtree
roll-up, as in the heatmap) and for the organisation this report gives the
mean share of each locus, the share held by the *designated* owners (loci of
kind "designated") and by the *distributed* loci (kind "distributed"), each
with its confidence interval, the two HHIs (the HHI of the mean
bias-corrected, with its interval), the primary-owner distribution, a
Lorenz curve and Gini of the departments' ownership scores, a comparison with
the last wave before the CCO was appointed, and a verdict in plain words.

Choices made here, and why:

* **Loci** are those the wave's (first) allocation question offered, in the
  snapshot's order. Other loci were never offered, so they are not zeros.
* **Level of the verdict and of the Lorenz curve**: the top-level divisions.
  When the organisation has a single root department (the demo's Board holds
  everything) that is the root's children (depth 2); otherwise the roots
  (depth 1). Counting every level would count people several times over.
* **Ownership score** of a department, for the Lorenz curve and Gini: its
  distributed share (me + my team). It comes from the same question for every
  respondent and is on a 0..1 scale, whereas construct scores depend on which
  items a wave asked.
* **Intervals**: the designated and distributed shares get the Korn–Graubard
  interval of :func:`ownership.stats.concentration.mean_share_interval`, and
  the bias-corrected HHI of the mean composition the jackknife-t interval of
  :func:`~ownership.stats.concentration.hhi_of_mean_interval`. Both are
  analytic, so a report is reproducible and does not depend on which other
  departments exist; both cover as stated from five respondents up, and a
  group whose answers do not vary gets a distribution-free interval rather
  than a point (docs/statistics.md, "Small groups").
* **Before/after**: the baseline is the latest frozen wave of the same survey
  that opened before the event's date; the comparison exists only when this
  wave opened on or after that date and both waves offered the same loci.
  Hotelling's T² on ilr coordinates, with a permutation p-value when either
  group has fewer than :data:`PERMUTATION_BELOW` people; Benjamini–Hochberg
  over every compared row (the organisation included: its p-value is
  published too). A department is compared only if it passes disclosure
  control in *both* waves, with the larger of the two minimum group sizes.
* **Disclosure**: rows by respondents, then the allocation and primary-owner
  columns on top of hidden rows, all through :func:`.disclosure.suppress`. An
  exact 0 % or 100 % primary-owner share in a group below the comment
  threshold becomes a band, as favourable shares do in the heatmap.
"""

from .build import (
    BOOTSTRAP_METHOD,
    CONFIDENCE,
    DESIGNATED,
    DISTRIBUTED,
    HHI_INTERVAL_METHOD,
    PERMUTATION_BELOW,
    SHARE_INTERVAL_METHOD,
    build_concentration,
    comparison_state,
    verdict_level,
)
from .verdict import (
    BEFORE_EVENT,
    COMPARED,
    DIFFERENT_LOCI,
    NO_BASELINE,
    NO_EVENT,
    build_verdict,
    scoped_concentration,
    verdict_text,
    with_verdict_text,
)

__all__ = [
    "BEFORE_EVENT",
    "BOOTSTRAP_METHOD",
    "HHI_INTERVAL_METHOD",
    "SHARE_INTERVAL_METHOD",
    "COMPARED",
    "CONFIDENCE",
    "DESIGNATED",
    "DIFFERENT_LOCI",
    "DISTRIBUTED",
    "NO_BASELINE",
    "NO_EVENT",
    "PERMUTATION_BELOW",
    "build_concentration",
    "build_verdict",
    "comparison_state",
    "scoped_concentration",
    "verdict_level",
    "verdict_text",
    "with_verdict_text",
]
