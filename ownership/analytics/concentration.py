"""Responsibility concentration: who do people think owns the customer?

Every respondent splits 100 points over the loci of ownership the wave offers
(me, my team, the CCO, customer service, ...). Per department (a subtree
roll-up, as in the heatmap) and for the organisation this report gives the
mean share of each locus, the share held by the *designated* owners (loci of
kind "designated") and by the *distributed* loci (kind "distributed"), each
with a bootstrap interval, the two HHIs, the primary-owner distribution, a
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
* **Bootstrap**: respondents are resampled within each department (the
  ordinary bootstrap of :func:`ownership.stats.inference.bootstrap_ci`, BCa,
  ``settings.BOOTSTRAP_RESAMPLES``), designated and distributed share in one
  call. The generator is seeded from the wave id and the node, so a report is
  reproducible and does not depend on which other departments exist. BCa
  is fast enough here (all of the demo in well under a second).
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

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, replace

import numpy as np
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext, ngettext
from numpy.typing import NDArray
from scipy.stats import DegenerateDataWarning

from ownership.stats.composition import compare_compositions, permutation_compare
from ownership.stats.concentration import concentration_by_group, gini, lorenz
from ownership.stats.inference import bootstrap_ci, fdr_bh

from .disclosure import suppress
from .heatmap import _num
from .loading import ORGANISATION, WaveData
from .reports import (
    Concentration,
    ConcentrationRow,
    DepartmentRef,
    EventRef,
    LocusRef,
    LocusShare,
    LorenzPoints,
    OwnerShare,
    Verdict,
)

DESIGNATED = "designated"
DISTRIBUTED = "distributed"
CONFIDENCE = 0.95
BOOTSTRAP_METHOD = "BCa"
# Below this many people on either side the F reference of Hotelling's T² is
# not trusted (ilr coordinates of 100-point allocations are far from normal).
PERMUTATION_BELOW = 30

# Comparison states (Verdict.comparison).
NO_EVENT = "no_event"
BEFORE_EVENT = "before_event"
NO_BASELINE = "no_baseline"
DIFFERENT_LOCI = "different_loci"
COMPARED = "compared"

# Streams of the seeded generators, so bootstrap and permutation draws differ.
_BOOTSTRAP_STREAM = 1
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


def _bootstrap(
    values: NDArray[np.float64], rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """BCa interval of the mean of each column of ``values`` (people × 2)."""
    with warnings.catch_warnings():
        # A column without variation (everyone gave the CCO 0 points) has no
        # BCa interval; its interval is the point itself, set below.
        warnings.simplefilter("ignore", DegenerateDataWarning)
        result = bootstrap_ci(
            values,
            lambda sample: sample.mean(axis=1),
            n_resamples=settings.BOOTSTRAP_RESAMPLES,
            confidence=CONFIDENCE,
            method=BOOTSTRAP_METHOD,
            rng=rng,
        )
    estimate = np.asarray(result.estimate, dtype=float)
    constant = np.ptp(values, axis=0) == 0
    low = np.where(constant, estimate, np.asarray(result.ci_low, dtype=float))
    high = np.where(constant, estimate, np.asarray(result.ci_high, dtype=float))
    return low, high


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


def build_concentration(
    data: WaveData,
    *,
    event: EventRef | None = None,
    opened_after_event: bool = False,
    baseline: WaveData | None = None,
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
        The latest frozen wave of the same survey that opened before the event.
    """
    n_nodes = len(data.nodes)
    k = data.k
    slugs = _offered(data, "allocation")
    loci = _locus_refs(data, slugs)
    kinds = [ref.kind for ref in loci]
    owner_slugs = _offered(data, "primary_owner")
    owner_loci = _locus_refs(data, owner_slugs)
    identity = np.arange(n_nodes)
    alloc = _allocations(data, slugs, kinds, identity)

    # Group sizes, and disclosure control: rows, then each column.
    rows, nodes = data.expand()
    row_n = np.bincount(nodes, minlength=n_nodes).astype(np.int64)
    alloc_n = np.bincount(alloc.nodes, minlength=n_nodes).astype(np.int64)
    has_owner = ~np.isnan(data.owner[rows])
    owner_n = np.bincount(nodes[has_owner], minlength=n_nodes).astype(np.int64)
    row_hidden = suppress(data.parent, row_n, k)
    hidden = suppress(
        data.parent,
        np.column_stack([alloc_n, owner_n]),
        k,
        hidden=np.repeat(row_hidden[:, None], 2, axis=1),
    )
    # (A wave without the question has n = 0 everywhere, so all is hidden.)
    alloc_hidden, owner_hidden = hidden[:, 0], hidden[:, 1]

    # Mean shares and HHIs of every node at once.
    mean_shares = np.full((n_nodes, len(slugs)), np.nan)
    mean_hhi = np.full(n_nodes, np.nan)
    hhi_of_mean = np.full(n_nodes, np.nan)
    if len(alloc.rows):
        by_group = concentration_by_group(alloc.shares[alloc.rows], alloc.nodes)
        labels = by_group.labels.astype(np.intp)
        mean_shares[labels] = by_group.mean_shares
        mean_hhi[labels] = by_group.mean_hhi
        hhi_of_mean[labels] = by_group.hhi_of_mean
    kind = np.array(kinds)
    designated = mean_shares[:, kind == DESIGNATED].sum(axis=1)
    distributed = mean_shares[:, kind == DISTRIBUTED].sum(axis=1)

    # Bootstrap intervals, only where they will be shown.
    low = np.full((n_nodes, 2), np.nan)
    high = np.full((n_nodes, 2), np.nan)
    per_person = np.column_stack([alloc.designated, alloc.distributed])
    order = np.argsort(alloc.nodes, kind="stable")
    sorted_rows = alloc.rows[order]
    ends = np.cumsum(alloc_n)
    for node in np.flatnonzero(~alloc_hidden):
        members = sorted_rows[ends[node] - alloc_n[node] : ends[node]]
        low[node], high[node] = _bootstrap(
            per_person[members], _seed(data.wave_id, _BOOTSTRAP_STREAM, node)
        )

    # Primary owner: share of respondents naming each locus.
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

    # Before/after the CCO's appointment.
    state = comparison_state(event, opened_after_event, baseline)
    compared = np.zeros(n_nodes, dtype=bool)
    n_before = np.zeros(n_nodes, dtype=np.int64)
    before_designated = np.full(n_nodes, np.nan)
    pvalues = np.full(n_nodes, np.nan)
    methods: dict[int, str] = {}
    if state == COMPARED and set(_offered(baseline, "allocation")) != set(slugs):
        state = DIFFERENT_LOCI
    if state == COMPARED:
        by_code = {node.code: i for i, node in enumerate(data.nodes)}
        node_of = np.array(
            [by_code.get(node.code, -1) for node in baseline.nodes], dtype=np.intp
        )
        base = _allocations(baseline, slugs, kinds, node_of)
        n_before = np.bincount(base.nodes, minlength=n_nodes).astype(np.int64)
        compared = _comparable(
            data.parent, alloc_n, n_before, max(k, baseline.k), alloc_hidden
        )
        sums = np.bincount(
            base.nodes, weights=base.designated[base.rows], minlength=n_nodes
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            before_designated = sums / n_before
        base_order = np.argsort(base.nodes, kind="stable")
        base_sorted = base.rows[base_order]
        base_ends = np.cumsum(n_before)
        for node in np.flatnonzero(compared):
            after = alloc.points[sorted_rows[ends[node] - alloc_n[node] : ends[node]]]
            before = base.points[
                base_sorted[base_ends[node] - n_before[node] : base_ends[node]]
            ]
            pvalues[node], methods[node] = _compare(
                before, after, _seed(data.wave_id, _PERMUTATION_STREAM, node)
            )
    qvalues = fdr_bh(pvalues)
    alpha = settings.RESULTS_FDR_LEVEL

    band_below = max(settings.COMMENT_MIN_GROUP_SIZE, k)
    band = settings.EXTREME_SHARE_BAND
    out_rows = []
    for i, node in enumerate(data.nodes):
        ref = DepartmentRef(node.code, node.name, node.parent_code, node.depth)
        show = not alloc_hidden[i]
        shares = tuple(
            LocusShare(
                ref_.slug,
                ref_.label,
                ref_.kind,
                _num(mean_shares[i, j]) if show else None,
            )
            for j, ref_ in enumerate(loci)
        )
        owners = []
        for j, slug in enumerate(owner_slugs):
            share = owner_share[i, j]
            if owner_hidden[i]:
                owners.append(OwnerShare(slug, None))
            elif owner_n[i] < band_below and share in (0.0, 1.0):
                owners.append(
                    OwnerShare(
                        slug, None, (0.0, band) if share == 0.0 else (1.0 - band, 1.0)
                    )
                )
            else:
                owners.append(OwnerShare(slug, _num(share)))
        before_after = {}
        if compared[i]:
            q = _num(qvalues[i])
            before_after = {
                "n_before": int(n_before[i]),
                "n_after": int(alloc_n[i]),
                "before_designated": _num(before_designated[i]),
                "after_designated": _num(designated[i]),
                "p_value": _num(pvalues[i]),
                "q_value": q,
                "method": methods[i],
                "significant": q is not None and q < alpha,
            }
        out_rows.append(
            ConcentrationRow(
                department=ref,
                n=None if row_hidden[i] else int(row_n[i]),
                suppressed=bool(row_hidden[i]),
                n_allocation=int(alloc_n[i]) if show else None,
                allocation_suppressed=bool(alloc_hidden[i]),
                shares=shares,
                designated_share=_num(designated[i]) if show else None,
                designated_low=_num(low[i, 0]) if show else None,
                designated_high=_num(high[i, 0]) if show else None,
                distributed_share=_num(distributed[i]) if show else None,
                distributed_low=_num(low[i, 1]) if show else None,
                distributed_high=_num(high[i, 1]) if show else None,
                mean_hhi=_num(mean_hhi[i]) if show else None,
                hhi_of_mean=_num(hhi_of_mean[i]) if show else None,
                n_primary_owner=None if owner_hidden[i] else int(owner_n[i]),
                primary_owner_suppressed=bool(owner_hidden[i]),
                primary_owner=tuple(owners),
                **before_after,
            )
        )

    level = verdict_level(data)
    curve, gini_value = _inequality(out_rows, level)
    report = Concentration(
        wave_id=data.wave_id,
        wave_label=data.label,
        min_group_size=k,
        loci=loci,
        owner_loci=owner_loci,
        rows=tuple(out_rows),
        level=level,
        lorenz=curve,
        gini=gini_value,
        event=event,
        baseline_wave_id=baseline.wave_id if state == COMPARED else None,
        baseline_wave_label=baseline.label if state == COMPARED else None,
        confidence=CONFIDENCE,
        bootstrap_method=BOOTSTRAP_METHOD,
        bootstrap_resamples=settings.BOOTSTRAP_RESAMPLES,
        verdict=_empty_verdict(),
    )
    return replace(report, verdict=build_verdict(report, state=state))


def _comparable(
    parent: NDArray[np.intp],
    n_after: NDArray[np.int64],
    n_before: NDArray[np.int64],
    k: int,
    hidden: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Nodes whose before *and* after figures may be published.

    Each wave's counts must pass :func:`suppress` on the same set of shown
    nodes; hiding a node for one wave changes the other wave's private parts,
    so the two columns are suppressed again until neither hides anything new.
    """
    counts = np.column_stack([n_after, n_before])
    while True:
        both = suppress(parent, counts, k, hidden=np.repeat(hidden[:, None], 2, 1))
        now_hidden = both.any(axis=1)
        if (now_hidden == hidden).all():
            return ~hidden
        hidden = now_hidden


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


# --------------------------------------------------------------------------
# The verdict


def _empty_verdict() -> Verdict:
    return Verdict(
        text="",
        level=0,
        departments=0,
        hidden=0,
        concentrated=(),
        above_share=0,
        share_threshold=settings.CONCENTRATION_DESIGNATED_SHARE,
        lower_threshold=settings.CONCENTRATION_DESIGNATED_LOWER,
        highest=None,
        highest_share=None,
        highest_low=None,
        highest_high=None,
        organisation_share=None,
        organisation_low=None,
        organisation_high=None,
        comparison=NO_EVENT,
        event=None,
        compared=0,
        significant_moves=0,
        alpha=settings.RESULTS_FDR_LEVEL,
        move=None,
        move_before=None,
        move_after=None,
        move_p=None,
        move_q=None,
    )


def build_verdict(
    report: Concentration, *, state: str, level: int | None = None
) -> Verdict:
    """The verdict over the report's rows (all of them, or a viewer's scope).

    Departments are counted at ``level`` (default: the report's level); the
    biggest significant before/after move is looked for at that level first,
    then among the smaller departments below it, then for the organisation.
    """
    level = report.level if level is None else level
    share_threshold = settings.CONCENTRATION_DESIGNATED_SHARE
    lower_threshold = settings.CONCENTRATION_DESIGNATED_LOWER
    departments = [row for row in report.rows if row.department.code is not None]
    at_level = [row for row in departments if row.department.depth == level]
    shown = [row for row in at_level if row.designated_share is not None]
    above = [row for row in shown if row.designated_share > share_threshold]
    concentrated = [
        row
        for row in above
        if row.designated_low is not None and row.designated_low > lower_threshold
    ]
    highest = max(shown, key=lambda row: row.designated_share, default=None)
    organisation = next(
        (row for row in report.rows if row.department.code is None), None
    )
    if organisation is not None and organisation.designated_share is None:
        organisation = None

    compared = [row for row in departments if row.n_before is not None]
    moves = [
        row
        for row in compared
        if row.significant
        and row.before_designated is not None
        and row.after_designated is not None
    ]

    def size(row: ConcentrationRow) -> float:
        return abs(row.after_designated - row.before_designated)

    # The biggest significant move among the departments counted above, so
    # that both sentences speak of the same level; failing that, among the
    # smaller units below; failing that, the organisation as a whole.
    move = max(
        (row for row in moves if row.department.depth == level),
        key=size,
        default=None,
    ) or max(moves, key=size, default=None)
    if move is None and organisation is not None and organisation.significant:
        move = organisation
    verdict = Verdict(
        text="",
        level=level,
        departments=len(shown),
        hidden=len(at_level) - len(shown),
        concentrated=tuple(row.department for row in concentrated),
        above_share=len(above),
        share_threshold=share_threshold,
        lower_threshold=lower_threshold,
        highest=highest.department if highest else None,
        highest_share=highest.designated_share if highest else None,
        highest_low=highest.designated_low if highest else None,
        highest_high=highest.designated_high if highest else None,
        organisation_share=organisation.designated_share if organisation else None,
        organisation_low=organisation.designated_low if organisation else None,
        organisation_high=organisation.designated_high if organisation else None,
        comparison=state,
        event=report.event,
        compared=len(compared),
        significant_moves=len(moves),
        alpha=settings.RESULTS_FDR_LEVEL,
        move=move.department if move else None,
        move_before=move.before_designated if move else None,
        move_after=move.after_designated if move else None,
        move_p=move.p_value if move else None,
        move_q=move.q_value if move else None,
        allocation_asked=bool(report.loci),
    )
    return replace(verdict, text=verdict_text(verdict))


def scoped_concentration(report: Concentration) -> Concentration:
    """A report whose rows a viewer's scope has already narrowed.

    The verdict is recomputed over the rows in scope, counting departments at
    the report's level or, when the scope lies deeper, at the scope's top; the
    Lorenz curve and Gini compare departments outside the scope, so they go.
    """
    depths = [row.department.depth for row in report.rows if row.department.code]
    level = max(report.level, min(depths, default=report.level))
    verdict = build_verdict(report, state=report.verdict.comparison, level=level)
    return replace(report, lorenz=None, gini=None, verdict=verdict)


def _percent(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x):d} %"


def _pvalue(p: float | None) -> str:
    """APA style without the leading zero: "= .003", "< .001"."""
    if p is None:
        return "= –"
    if p < 0.001:
        return "< .001"
    return "= " + f"{p:.3f}".removeprefix("0")


def _date(iso: str) -> str:
    return formats.date_format(dt.date.fromisoformat(iso), "DATE_FORMAT")


def verdict_text(v: Verdict) -> str:
    """The verdict in plain words, in the active language."""
    share, lower = _percent(v.share_threshold), _percent(v.lower_threshold)
    sentences = []
    if not v.allocation_asked:
        return gettext(
            "This wave did not ask how responsibility for customers is split, "
            "so there is no verdict."
        )
    if v.departments == 0:
        sentences.append(
            gettext(
                "No department is large enough to be shown on its own, so "
                "departments cannot be compared."
            )
        )
    elif v.concentrated:
        names = ", ".join(ref.name for ref in v.concentrated)
        sentences.append(
            ngettext(
                "Responsibility is concentrated on the designated owner in "
                "%(count)d of %(total)d department (designated share above "
                "%(share)s, lower CI bound above %(lower)s): %(names)s.",
                "Responsibility is concentrated on the designated owner in "
                "%(count)d of %(total)d departments (designated share above "
                "%(share)s, lower CI bound above %(lower)s): %(names)s.",
                v.departments,
            )
            % {
                "count": len(v.concentrated),
                "total": v.departments,
                "share": share,
                "lower": lower,
                "names": names,
            }
        )
    elif v.above_share:
        sentences.append(
            ngettext(
                "Responsibility is not clearly concentrated: %(count)d of "
                "%(total)d department puts more than %(share)s of it on the "
                "designated owner, but in none is the lower CI bound above "
                "%(lower)s.",
                "Responsibility is not clearly concentrated: %(count)d of "
                "%(total)d departments put more than %(share)s of it on the "
                "designated owner, but in none is the lower CI bound above "
                "%(lower)s.",
                v.departments,
            )
            % {
                "count": v.above_share,
                "total": v.departments,
                "share": share,
                "lower": lower,
            }
        )
    else:
        sentences.append(
            gettext(
                "Responsibility is spread: no department puts more than "
                "%(share)s of it on the designated owner (highest: %(name)s, "
                "%(value)s, 95 %% CI %(low)s to %(high)s)."
            )
            % {
                "share": share,
                "name": v.highest.name if v.highest else "–",
                "value": _percent(v.highest_share),
                "low": _percent(v.highest_low),
                "high": _percent(v.highest_high),
            }
        )
    if v.hidden and v.departments:
        sentences.append(
            ngettext(
                "%(count)d more department is too small to be shown.",
                "%(count)d more departments are too small to be shown.",
                v.hidden,
            )
            % {"count": v.hidden}
        )
    if v.organisation_share is not None:
        sentences.append(
            gettext(
                "Across the organisation, the designated owner holds %(value)s "
                "of the responsibility (95 %% CI %(low)s to %(high)s)."
            )
            % {
                "value": _percent(v.organisation_share),
                "low": _percent(v.organisation_low),
                "high": _percent(v.organisation_high),
            }
        )

    date = _date(v.event.date) if v.event else ""
    if v.comparison == NO_EVENT:
        sentences.append(
            gettext(
                "No appointment of a Chief Customer Officer is recorded, so "
                "there is no before/after comparison."
            )
        )
    elif v.comparison == BEFORE_EVENT:
        sentences.append(
            gettext(
                "This wave opened before the CCO was appointed (%(date)s), so "
                "there is no before/after comparison."
            )
            % {"date": date}
        )
    elif v.comparison == NO_BASELINE:
        sentences.append(
            gettext(
                "No earlier wave of this survey opened before the CCO was "
                "appointed (%(date)s), so there is no before/after comparison."
            )
            % {"date": date}
        )
    elif v.comparison == DIFFERENT_LOCI:
        sentences.append(
            gettext(
                "The last wave before the CCO was appointed (%(date)s) offered "
                "different loci, so there is no before/after comparison."
            )
            % {"date": date}
        )
    elif v.compared == 0:
        sentences.append(
            gettext(
                "No department was large enough in both waves to compare "
                "before and after the CCO was appointed (%(date)s)."
            )
            % {"date": date}
        )
    elif v.move is not None:
        numbers = {
            "department": v.move.name,
            "before": _percent(v.move_before),
            "after": _percent(v.move_after),
            "p": _pvalue(v.move_p),
            "q": _pvalue(v.move_q),
        }
        if v.move.code is None:
            text = gettext(
                "No single department changed significantly, but across the "
                "organisation the designated owner's share moved from "
                "%(before)s to %(after)s after the CCO was appointed "
                "(p %(p)s, q %(q)s)."
            )
        else:
            text = gettext(
                "In %(department)s, the designated owner's share moved from "
                "%(before)s to %(after)s after the CCO was appointed "
                "(p %(p)s, q %(q)s)."
            )
        sentences.append(text % numbers)
    else:
        sentences.append(
            ngettext(
                "Since the CCO was appointed (%(date)s), the allocation has "
                "not changed significantly in the %(count)d department compared "
                "(false discovery rate %(alpha)s).",
                "Since the CCO was appointed (%(date)s), the allocation has "
                "not changed significantly in any of the %(count)d departments "
                "compared (false discovery rate %(alpha)s).",
                v.compared,
            )
            % {"date": date, "count": v.compared, "alpha": _percent(v.alpha)}
        )
    return " ".join(sentences)


def with_verdict_text(report: Concentration) -> Concentration:
    """The report with its verdict re-rendered in the active language (the
    cached report holds the text of the language it was built in)."""
    verdict = replace(report.verdict, text=verdict_text(report.verdict))
    return replace(report, verdict=verdict)
