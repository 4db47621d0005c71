"""What employees answered about their departments' commitments, as
analysis reads it: the populations and scores the heatmap's "commitments
kept" column and the commitments report describe."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ownership.stats.descriptives import scale_scores

from .loading import WaveData

#: The heatmap column, and its population in a release's disclosure decision.
COMMITMENTS_KEPT = "commitments_kept"
#: The least answer (of 1..5) that counts as a commitment seen kept.
KEPT_FROM = 4


def commitment_column(pk: int) -> str:
    """The respondents who answered whether commitment ``pk`` was kept."""
    return f"commitment:{pk}"


def kept_scores(data: WaveData) -> NDArray[np.float64]:
    """Each respondent's mean answer (1..5) over the commitments they judged,
    "don't know" left out; NaN for one who judged none."""
    if not data.commitments:
        return np.full(data.n_responses, np.nan)
    judged = np.where(data.kept >= 1, data.kept, np.nan)
    return scale_scores(judged, min_items=1)
