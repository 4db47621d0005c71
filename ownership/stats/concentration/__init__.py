"""Concentration of responsibility over the loci of ownership.

Each respondent distributes points (usually 100) over ``K`` loci: the
departments, roles or people who could own the customer.

* :mod:`.measures`: how concentrated one allocation is (:func:`gini`,
  :func:`hhi`, :func:`hhi_normalized`, :func:`effective_number`,
  :func:`evenness`, :func:`theil`, :func:`lorenz`);
* :mod:`.groups`: a group's summary (:func:`concentration_summary`,
  :func:`concentration_by_group`), with the HHI of the mean composition
  bias-corrected;
* :mod:`.intervals`: intervals of a group's mean share
  (:func:`mean_share_interval`) and of its HHI of the mean composition
  (:func:`hhi_of_mean_interval`) that cover as stated in small groups.
"""

from .groups import (
    ConcentrationByGroup,
    ConcentrationSummary,
    concentration_by_group,
    concentration_summary,
)
from .intervals import ConcentrationInterval, hhi_of_mean_interval, mean_share_interval
from .measures import (
    LorenzCurve,
    effective_number,
    evenness,
    gini,
    hhi,
    hhi_normalized,
    lorenz,
    theil,
)

__all__ = [
    "ConcentrationByGroup",
    "ConcentrationInterval",
    "ConcentrationSummary",
    "LorenzCurve",
    "concentration_by_group",
    "concentration_summary",
    "effective_number",
    "evenness",
    "gini",
    "hhi",
    "hhi_normalized",
    "hhi_of_mean_interval",
    "lorenz",
    "mean_share_interval",
    "theil",
]
