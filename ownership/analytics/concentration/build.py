"""Building the responsibility-concentration report of a wave (see the package)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from django.conf import settings
from numpy.typing import NDArray

from ownership.stats.composition import compare_compositions, permutation_compare
from ownership.stats.concentration import (
    concentration_by_group,
    gini,
    hhi_of_mean_interval,
    lorenz,
    mean_share_interval,
)
from ownership.stats.inference import fdr_bh

from ..decisions import ALLOCATION, PRIMARY_OWNER, PRIMARY_OWNER_SHARES, Disclosure
from ..heatmap import _num
from ..loading import ORGANISATION, WaveData
from ..reports import (
    Concentration,
    ConcentrationRow,
    DepartmentRef,
    EventRef,
    LocusRef,
    LocusShare,
    LorenzPoints,
    OwnerShare,
)
from .verdict import (
    BEFORE_EVENT,
    COMPARED,
    DIFFERENT_LOCI,
    NO_BASELINE,
    NO_EVENT,
    _empty_verdict,
    build_verdict,
)

DESIGNATED = "designated"
DISTRIBUTED = "distributed"
CONFIDENCE = 0.95
# The intervals are analytic (see ownership.stats.concentration.intervals):
# no bootstrap is drawn, and the report says so in its bootstrap fields.
SHARE_INTERVAL_METHOD = "beta"
HHI_INTERVAL_METHOD = "jackknife-t"
BOOTSTRAP_METHOD = "none"
# Below this many people on either side the F reference of Hotelling's T² is
# not trusted (ilr coordinates of 100-point allocations are far from normal).
PERMUTATION_BELOW = 30

# Stream of the seeded generator of the permutation tests.
_PERMUTATION_STREAM = 2


@dataclass(frozen=True)
class _Allocations:
    """One wave's answered allocations, as shares, on the report's loci."""

    points: NDArray[np.float64]  # (answered, loci)
    shares: NDArray[np.float64]  # (answered, loci), rows sum to 1
    designated: NDArray[np.float64]  # (answered,) per-person designated share
    distributed: NDArray[np.float64]  # (answered,)
    rows: NDArray[np.intp]  # expanded (answered row, node) pairs ...
    nodes: NDArray[np.intp]  # ... as in WaveData.expand()


def _first_question(data: WaveData, kind: str) -> dict | None:
    return next((q for q in data.snapshot["questions"] if q["type"] == kind), None)


def _offered(data: WaveData, kind: str) -> list[str]:
    """Loci a question offered, in the snapshot's order (the report's order)."""
    question = _first_question(data, kind)
    offered = set(question["loci"]) if question else set()
    return [slug for slug in data.loci if slug in offered]


def _locus_refs(data: WaveData, slugs: list[str]) -> tuple[LocusRef, ...]:
    source = data.snapshot.get("source_language", "en")
    refs = []
    for slug in slugs:
        entry = data.snapshot["loci"][slug]
        names = entry.get("name", {})
        refs.append(
            LocusRef(
                slug=slug,
                label=names.get(source) or slug,
                kind=entry.get("kind", "other"),
                labels=dict(names) or None,
            )
        )
    return tuple(refs)


def _allocations(
    data: WaveData, slugs: list[str], kinds: list[str], node_of: NDArray[np.intp]
) -> _Allocations:
    """Answered allocations of ``data`` on ``slugs``, expanded to the nodes
    ``node_of`` maps ``data``'s nodes to (-1: not in the report's tree)."""
    columns = [data.loci.index(slug) for slug in slugs]
    points = data.allocation[:, columns]
    total = points.sum(axis=1) if columns else np.zeros(data.n_responses)
    # Validation stores a value for every offered locus, so an answered
    # allocation has no NaN; a row of zeros cannot be closed into shares.
    answered = ~np.isnan(total) & (total > 0)
    points = points[answered]
    shares = points / points.sum(axis=1, keepdims=True)
    kind = np.array(kinds)
    designated = shares[:, kind == DESIGNATED].sum(axis=1)
    distributed = shares[:, kind == DISTRIBUTED].sum(axis=1)

    rows, nodes = data.expand()
    position = np.cumsum(answered) - 1  # response -> row in ``points``
    keep = answered[rows]
    rows, nodes = position[rows[keep]], node_of[nodes[keep]]
    mapped = nodes >= 0
    return _Allocations(
        points, shares, designated, distributed, rows[mapped], nodes[mapped]
    )


def _seed(wave_id: int, stream: int, node: int) -> np.random.Generator:
    return np.random.default_rng([wave_id, stream, node])


def _intervals(
    shares: NDArray[np.float64], points: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One group's figures with their intervals, as rows (estimate, low, high).

    ``shares`` is people × 2 (designated, distributed share of each person),
    ``points`` their allocations. Row 0 and 1: the two mean shares; row 2:
    the bias-corrected HHI of the mean composition.
    """
    out = np.empty((3, 3))
    # Summed float shares can exceed 1 by an ulp.
    for j, column in enumerate(np.clip(shares, 0.0, 1.0).T):
        res = mean_share_interval(column, confidence=CONFIDENCE)
        out[j] = res.estimate, res.low, res.high
    res = hhi_of_mean_interval(points, confidence=CONFIDENCE)
    out[2] = res.estimate, res.low, res.high
    return out


def _compare(
    before: NDArray[np.float64], after: NDArray[np.float64], rng: np.random.Generator
) -> tuple[float, str]:
    """p-value and method of the before/after test of two allocation sets."""
    small = min(len(before), len(after)) < PERMUTATION_BELOW
    try:
        if small:
            result = permutation_compare(
                before, after, n_resamples=settings.PERMUTATION_RESAMPLES, rng=rng
            )
            return result.pvalue, "permutation"
        return compare_compositions(before, after).pvalue, "hotelling"
    except ValueError:
        # Too few people for the number of loci (n_a + n_b - 2 < D - 1).
        return float("nan"), "permutation" if small else "hotelling"


def verdict_level(data: WaveData) -> int:
    """Depth of the top-level divisions (see the module docstring)."""
    roots = np.flatnonzero(data.parent == ORGANISATION)
    if len(roots) == 1 and (data.parent == roots[0]).any():
        return int(data.depth[roots[0]]) + 1
    return 1


def comparison_state(
    event: EventRef | None, opened_after_event: bool, baseline: WaveData | None
) -> str:
    if event is None:
        return NO_EVENT
    if not opened_after_event:
        return BEFORE_EVENT
    if baseline is None:
        return NO_BASELINE
    return COMPARED


def _members(alloc: _Allocations, n_nodes: int):
    """Each node's answered allocations (rows of ``alloc``), as a function."""
    alloc_n = np.bincount(alloc.nodes, minlength=n_nodes).astype(np.int64)
    sorted_rows = alloc.rows[np.argsort(alloc.nodes, kind="stable")]
    ends = np.cumsum(alloc_n)

    def of(node: int) -> NDArray[np.intp]:
        return sorted_rows[ends[node] - alloc_n[node] : ends[node]]

    return alloc_n, of


@dataclass
class _Figures:
    """Every node's allocation figures; intervals only where they are shown.
    A shown figure is its interval's own estimate, so that low <= estimate
    <= high holds exactly."""

    mean_shares: NDArray[np.float64]  # (nodes, loci)
    mean_hhi: NDArray[np.float64]
    hhi_of_mean: NDArray[np.float64]
    designated: NDArray[np.float64]
    distributed: NDArray[np.float64]
    low: NDArray[np.float64]  # (nodes, 3): designated, distributed, HHI
    high: NDArray[np.float64]


def _figures(alloc: _Allocations, kinds, n_slugs: int, n_nodes: int, shown, members):
    mean_shares = np.full((n_nodes, n_slugs), np.nan)
    mean_hhi = np.full(n_nodes, np.nan)
    hhi_of_mean = np.full(n_nodes, np.nan)
    if len(alloc.rows):
        by_group = concentration_by_group(alloc.shares[alloc.rows], alloc.nodes)
        labels = by_group.labels.astype(np.intp)
        mean_shares[labels] = by_group.mean_shares
        mean_hhi[labels] = by_group.mean_hhi
        hhi_of_mean[labels] = by_group.hhi_of_mean
    kind = np.array(kinds)
    fig = _Figures(
        mean_shares,
        mean_hhi,
        hhi_of_mean,
        mean_shares[:, kind == DESIGNATED].sum(axis=1),
        mean_shares[:, kind == DISTRIBUTED].sum(axis=1),
        np.full((n_nodes, 3), np.nan),
        np.full((n_nodes, 3), np.nan),
    )
    per_person = np.column_stack([alloc.designated, alloc.distributed])
    for node in np.flatnonzero(shown):
        rows = members(node)
        figures = _intervals(per_person[rows], alloc.points[rows])
        fig.designated[node], fig.distributed[node], fig.hhi_of_mean[node] = figures[
            :, 0
        ]
        fig.low[node], fig.high[node] = figures[:, 1], figures[:, 2]
    return fig


def _owner_shares(data: WaveData, owner_slugs: list[str]):
    """Respondents naming a primary owner, and the share naming each locus,
    per node."""
    n_nodes = len(data.nodes)
    rows, nodes = data.expand()
    has_owner = ~np.isnan(data.owner[rows])
    owner_n = np.bincount(nodes[has_owner], minlength=n_nodes).astype(np.int64)
    owner_share = np.full((n_nodes, len(owner_slugs)), np.nan)
    if owner_slugs and has_owner.any():
        to_position = np.full(len(data.loci), -1, dtype=np.intp)
        to_position[[data.loci.index(s) for s in owner_slugs]] = np.arange(
            len(owner_slugs)
        )
        chosen = to_position[data.owner[rows[has_owner]].astype(np.intp)]
        counted = chosen >= 0
        counts = np.zeros((n_nodes, len(owner_slugs)))
        np.add.at(counts, (nodes[has_owner][counted], chosen[counted]), 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            owner_share = counts / owner_n[:, None]
    return owner_n, owner_share


@dataclass
class _BeforeAfter:
    """The comparison with the baseline, per node (where ``compared``)."""

    state: str
    compared: NDArray[np.bool_]
    n_before: NDArray[np.int64]
    before_designated: NDArray[np.float64]
    pvalues: NDArray[np.float64]
    methods: dict[int, str]


def _before_after(data, baseline, baseline_report, state, slugs, kinds, shown, after):
    """Each shown department against its published baseline: the baseline
    release's n and designated share, and a test of the two allocations."""
    n_nodes = len(data.nodes)
    result = _BeforeAfter(
        state,
        np.zeros(n_nodes, dtype=bool),
        np.zeros(n_nodes, dtype=np.int64),
        np.full(n_nodes, np.nan),
        np.full(n_nodes, np.nan),
        {},
    )
    if state == COMPARED and (
        baseline_report is None or set(_offered(baseline, "allocation")) != set(slugs)
    ):
        result.state = DIFFERENT_LOCI if baseline_report is not None else NO_BASELINE
    if result.state != COMPARED:
        return result
    published = {
        row.department.code: row
        for row in baseline_report.rows
        if not row.allocation_suppressed and row.designated_share is not None
    }
    by_code = {node.code: i for i, node in enumerate(data.nodes)}
    node_of = np.array(
        [
            by_code.get(node.code, -1) if node.code in published else -1
            for node in baseline.nodes
        ],
        dtype=np.intp,
    )
    base = _allocations(baseline, slugs, kinds, node_of)
    _base_n, before_of = _members(base, n_nodes)
    for i, node in enumerate(data.nodes):
        row = published.get(node.code)
        if row is None or not shown[i]:
            continue
        result.compared[i] = True
        result.n_before[i] = row.n_allocation
        result.before_designated[i] = row.designated_share
    for node in np.flatnonzero(result.compared):
        result.pvalues[node], result.methods[node] = _compare(
            base.points[before_of(node)],
            after(node),
            _seed(data.wave_id, _PERMUTATION_STREAM, node),
        )
    return result


def _row(i, node, row_n, disclosure, loci, owner_slugs, fig, owners, tested, qvalues):
    """One department's row of the report."""
    alloc_n, owner_n, owner_share = owners
    row_hidden = disclosure.rows
    alloc_hidden = disclosure.column(ALLOCATION)
    alloc_withheld = disclosure.bands(ALLOCATION) & ~alloc_hidden
    owner_hidden = disclosure.column(PRIMARY_OWNER)
    owner_withheld = disclosure.column(PRIMARY_OWNER_SHARES) & ~owner_hidden
    show = not alloc_hidden[i] and not alloc_withheld[i]
    owner_shown = not owner_hidden[i] and not owner_withheld[i]

    def shown(value):
        return _num(value) if show else None

    before_after = {}
    if tested.compared[i]:
        q = _num(qvalues[i])
        before_after = {
            "n_before": int(tested.n_before[i]),
            "n_after": int(alloc_n[i]),
            "before_designated": _num(tested.before_designated[i]),
            "after_designated": _num(fig.designated[i]),
            "p_value": _num(tested.pvalues[i]),
            "q_value": q,
            "method": tested.methods[i],
            "significant": q is not None and q < settings.RESULTS_FDR_LEVEL,
        }
    return ConcentrationRow(
        department=DepartmentRef(node.code, node.name, node.parent_code, node.depth),
        n=None if row_hidden[i] else int(row_n[i]),
        suppressed=bool(row_hidden[i]),
        n_allocation=None if alloc_hidden[i] else int(alloc_n[i]),
        allocation_suppressed=bool(alloc_hidden[i]),
        allocation_withheld=bool(alloc_withheld[i]),
        shares=tuple(
            LocusShare(ref.slug, ref.label, ref.kind, shown(fig.mean_shares[i, j]))
            for j, ref in enumerate(loci)
        ),
        designated_share=shown(fig.designated[i]),
        designated_low=shown(fig.low[i, 0]),
        designated_high=shown(fig.high[i, 0]),
        distributed_share=shown(fig.distributed[i]),
        distributed_low=shown(fig.low[i, 1]),
        distributed_high=shown(fig.high[i, 1]),
        mean_hhi=shown(fig.mean_hhi[i]),
        hhi_of_mean=shown(fig.hhi_of_mean[i]),
        hhi_of_mean_low=shown(fig.low[i, 2]),
        hhi_of_mean_high=shown(fig.high[i, 2]),
        effective_number=shown(1.0 / fig.hhi_of_mean[i]),
        n_primary_owner=None if owner_hidden[i] else int(owner_n[i]),
        primary_owner_suppressed=bool(owner_hidden[i]),
        primary_owner_withheld=bool(owner_withheld[i]),
        primary_owner=tuple(
            OwnerShare(slug, _num(owner_share[i, j]) if owner_shown else None)
            for j, slug in enumerate(owner_slugs)
        ),
        **before_after,
    )


def build_concentration(
    data: WaveData,
    disclosure: Disclosure,
    *,
    event: EventRef | None = None,
    opened_after_event: bool = False,
    baseline: WaveData | None = None,
    baseline_report: Concentration | None = None,
) -> Concentration:
    """The whole organisation's concentration report (suppressed, not scoped).

    Parameters
    ----------
    data : WaveData
        The wave.
    event : EventRef, optional
        The latest "CCO appointed" event, if any.
    opened_after_event : bool
        Whether ``data``'s wave opened on or after the event's date.
    baseline : WaveData, optional
        The latest wave of the same survey that opened before the event, with
        the responses its final release published, on its own frozen tree.
    baseline_report : Concentration, optional
        That final release's concentration report. The "before" figures are
        read from it, never recomputed: a department is compared only where
        both releases published its allocation.
    """
    n_nodes = len(data.nodes)
    slugs = _offered(data, "allocation")
    loci = _locus_refs(data, slugs)
    kinds = [ref.kind for ref in loci]
    owner_slugs = _offered(data, "primary_owner")
    alloc = _allocations(data, slugs, kinds, np.arange(n_nodes))
    alloc_n, members = _members(alloc, n_nodes)
    # A wave without the question has n = 0 everywhere, so all is hidden;
    # small groups where (almost) everyone gave a locus nothing or everything
    # show their n but no allocation figure (see ..unanimity).
    alloc_hidden = disclosure.column(ALLOCATION)
    shown = ~alloc_hidden & ~(disclosure.bands(ALLOCATION) & ~alloc_hidden)
    fig = _figures(alloc, kinds, len(slugs), n_nodes, shown, members)
    owner_n, owner_share = _owner_shares(data, owner_slugs)
    state = comparison_state(event, opened_after_event, baseline)

    def after(node: int) -> NDArray[np.float64]:
        return alloc.points[members(node)]

    tested = _before_after(
        data, baseline, baseline_report, state, slugs, kinds, shown, after
    )
    qvalues = fdr_bh(tested.pvalues)
    _rows, nodes = data.expand()
    row_n = np.bincount(nodes, minlength=n_nodes).astype(np.int64)
    owners = (alloc_n, owner_n, owner_share)
    out_rows = [
        _row(
            i, node, row_n, disclosure, loci, owner_slugs, fig, owners, tested, qvalues
        )
        for i, node in enumerate(data.nodes)
    ]
    level = verdict_level(data)
    curve, gini_value = _inequality(out_rows, level)
    compared = tested.state == COMPARED
    report = Concentration(
        wave_id=data.wave_id,
        wave_label=data.label,
        min_group_size=data.k,
        loci=loci,
        owner_loci=_locus_refs(data, owner_slugs),
        rows=tuple(out_rows),
        level=level,
        lorenz=curve,
        gini=gini_value,
        event=event,
        baseline_wave_id=baseline.wave_id if compared else None,
        baseline_wave_label=baseline.label if compared else None,
        confidence=CONFIDENCE,
        bootstrap_method=BOOTSTRAP_METHOD,
        bootstrap_resamples=0,
        share_interval_method=SHARE_INTERVAL_METHOD,
        hhi_interval_method=HHI_INTERVAL_METHOD,
        verdict=_empty_verdict(),
    )
    return replace(report, verdict=build_verdict(report, state=tested.state))


def _inequality(
    rows: list[ConcentrationRow] | tuple[ConcentrationRow, ...], level: int
) -> tuple[LorenzPoints | None, float | None]:
    """Lorenz curve and Gini of the distributed share of the visible
    departments at ``level``."""
    scores = np.array(
        [
            row.distributed_share
            for row in rows
            if row.department.depth == level
            and row.department.code is not None
            and row.distributed_share is not None
        ]
    )
    if len(scores) < 2 or scores.sum() <= 0:
        return None, None
    curve = lorenz(scores)
    return (
        LorenzPoints(
            tuple(float(x) for x in curve.population),
            tuple(float(x) for x in curve.share),
        ),
        float(gini(scores)),
    )
