"""What employees answered about their departments' commitments, as
analysis reads it: the populations and scores the heatmap's "commitments
kept" column and the commitments report describe."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ownership.stats.descriptives import scale_scores

from .columns import Column, both_sides
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


def judged_column(pk: int) -> str:
    """The respondents who judged commitment ``pk`` (answered 1..5)."""
    return f"commitment:{pk}:judged"


def commitment_columns(data: WaveData, comment_threshold: int) -> list[Column]:
    """The populations behind the commitment figures: per commitment those
    who answered (n, the don't-know share) and those who judged it (kept
    share, mean), one family hidden alike; and the heatmap's "commitments
    kept" (respondents who judged at least one commitment, by their mean
    answer), which hides whatever any commitment's family hides. The judges
    are part of those who answered, and of the heatmap's respondents: shown
    with different cells hidden, their counts would tell on each other (how
    many in a hidden group did not know). In small groups no figure may show
    that (nearly) all or none saw it kept, did not, or did not know."""
    if not data.commitments:
        return []
    scores = kept_scores(data)
    columns = [
        Column(
            COMMITMENTS_KEPT,
            ~np.isnan(scores),
            data.k,
            **both_sides(scores >= KEPT_FROM),
            band_below=comment_threshold,
            follows=tuple(commitment_column(pk) for pk in data.commitments),
        )
    ]
    for j, pk in enumerate(data.commitments):
        answer = data.kept[:, j]
        dont_know = (answer == 0)[:, None]
        sides = np.column_stack(
            [answer >= KEPT_FROM, (answer >= 1) & (answer < KEPT_FROM)]
        )
        columns += [
            Column(
                commitment_column(pk),
                ~np.isnan(answer),
                data.k,
                few=dont_know,
                many=dont_know,
                band_below=comment_threshold,
                family=commitment_column(pk),
            ),
            Column(
                judged_column(pk),
                answer >= 1,
                data.k,
                few=sides,
                many=sides,
                band_below=comment_threshold,
                family=commitment_column(pk),
            ),
        ]
    return columns
