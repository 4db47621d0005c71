"""The commitments report: whether employees saw their departments'
commitments kept, beside the status the departments report.

A wave asks each respondent about the commitments of their department (and
of the departments above it) that fell due since the previous wave (see
:mod:`surveys.commitments`). For each commitment this report shows the
department that made it, and each department below it whose figures may be
shown, with the answers of the respondents there who were asked:

- ``n``: who answered, "don't know" included;
- ``kept``: the favourable share, "mostly" or "fully kept" (4 or 5 of 5),
  among those who gave a judgement, with its Wilson (1927) interval;
- ``mean``: their mean answer, 1 (not kept at all) to 5 (fully kept);
- ``dont_know``: the share of ``n`` who answered "don't know".

Each commitment's respondents, and among them those who judged it, are
populations of the release's disclosure decision (:func:`.kept.commitment_columns`),
hidden alike with the heatmap's "commitments kept": below the wave's minimum
group size (of either), by complementary suppression and across releases as
every other figure; in groups below the comment threshold where (nearly) all
or none saw it kept, did not, or did not know, only ``n`` is shown
(``withheld``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ownership.stats.inference import wilson_interval
from surveys.models import Commitment

from .decisions import Disclosure
from .kept import KEPT_FROM, commitment_column, judged_column
from .loading import WaveData
from .reports import DepartmentRef, Published


@dataclass(frozen=True)
class CommitmentRef:
    id: int
    statement: str  # in the survey's source language
    statements: dict[str, str]  # by language, as the wave asked
    department_code: str
    department_name: str
    construct: str  # the theme it answers, or ""
    due_on: str  # ISO 8601
    # What the department reports: when the wave opened, and at this release.
    status_when_asked: str
    status: str


@dataclass(frozen=True)
class CommitmentRow:
    """One commitment as the respondents of one department saw it."""

    department: DepartmentRef
    commitment: CommitmentRef
    n: int | None  # answered, "don't know" included; None when hidden
    suppressed: bool
    judged: int | None  # answered 1..5
    kept: float | None  # share of ``judged`` answering 4 or 5
    kept_low: float | None
    kept_high: float | None
    mean: float | None  # 1 (not kept at all) .. 5 (fully kept)
    dont_know: float | None  # share of ``n``
    # A small group where (nearly) all or none answered alike: n only.
    withheld: bool = False


@dataclass(frozen=True)
class Commitments(Published):
    wave_id: int
    wave_label: str
    min_group_size: int
    kept_from: int  # the least answer that counts as kept
    rows: tuple[CommitmentRow, ...]


def _counts(data: WaveData, j: int, rows, nodes):
    """Per node: answered, judged, judged kept, don't know, and the sum of
    the judgements, for the commitment in column ``j`` (``rows`` and
    ``nodes``: :meth:`WaveData.expand`)."""
    answer = data.kept[rows, j]
    size = len(data.nodes)

    def count(weights):
        return np.bincount(nodes, weights=weights, minlength=size)

    judged = answer >= 1
    return (
        count(~np.isnan(answer)),
        count(judged),
        count(answer >= KEPT_FROM),
        count(answer == 0),
        count(np.where(judged, answer, 0.0)),
    )


def _refs(data: WaveData) -> dict[int, CommitmentRef]:
    frozen = data.snapshot.get("commitments") or {}
    source = data.snapshot.get("source_language", "en")
    now = dict(
        Commitment.objects.filter(pk__in=data.commitments).values_list("pk", "status")
    )
    refs = {}
    for pk in data.commitments:
        item = frozen["items"][str(pk)]
        refs[pk] = CommitmentRef(
            id=pk,
            statement=item["text"].get(source) or next(iter(item["text"].values())),
            statements=item["text"],
            department_code=item.get("department_code", ""),
            department_name=item["department"],
            construct=item.get("construct", ""),
            due_on=item["due_on"],
            status_when_asked=item["status"],
            status=now.get(pk, item["status"]),
        )
    return refs


def _row(node, ref, counts, i, hidden, banded) -> CommitmentRow:
    department = DepartmentRef(node.code, node.name, node.parent_code, node.depth)
    answered, judged, kept, dont_know, total = (int(c[i]) for c in counts)
    if hidden:
        return CommitmentRow(department, ref, None, True, *[None] * 6)
    if banded:
        return CommitmentRow(
            department, ref, answered, False, *[None] * 6, withheld=True
        )
    low, high = wilson_interval(kept, judged) if judged else (None, None)
    return CommitmentRow(
        department=department,
        commitment=ref,
        n=answered,
        suppressed=False,
        judged=judged,
        kept=kept / judged if judged else None,
        kept_low=low,
        kept_high=high,
        mean=total / judged if judged else None,
        dont_know=dont_know / answered if answered else None,
    )


def build_commitments(data: WaveData, disclosure: Disclosure) -> Commitments:
    """The commitments report of ``data``, hiding what ``disclosure`` hides.

    Commitments come latest due date first; each one's department first, then
    the visible departments below it whose respondents were asked.
    """
    refs = _refs(data)
    index = {node.code: i for i, node in enumerate(data.nodes) if node.code}
    order = sorted(
        range(len(data.commitments)),
        key=lambda j: (refs[data.commitments[j]].due_on, data.commitments[j]),
        reverse=True,
    )
    expanded = data.expand()
    rows = []
    for j in order:
        ref = refs[data.commitments[j]]
        top = index.get(ref.department_code)
        if top is None:
            continue
        # Those who answered and those who judged are one family: hidden
        # alike; a band in either withholds the row's figures.
        hidden = disclosure.column(commitment_column(ref.id))
        banded = disclosure.bands(commitment_column(ref.id)) | disclosure.bands(
            judged_column(ref.id)
        )
        counts = _counts(data, j, *expanded)
        below = (data.ancestors == top).any(axis=1)
        for i in np.flatnonzero(below):
            if i != top and (hidden[i] or not counts[0][i]):
                continue
            node = data.nodes[i]
            rows.append(_row(node, ref, counts, i, hidden[i], banded[i]))
    return Commitments(
        wave_id=data.wave_id,
        wave_label=data.label,
        min_group_size=data.k,
        kept_from=KEPT_FROM,
        rows=tuple(rows),
    )
