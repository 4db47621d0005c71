"""The department heatmap: constructs, recommendation and response rate."""

from __future__ import annotations

import math

import numpy as np
from django.conf import settings
from numpy.typing import NDArray

from ownership.stats.agreement import icc1, reliability_of_mean
from ownership.stats.descriptives import group_means
from ownership.stats.inference import (
    compare_subsets_to_rest,
    fdr_bh,
    nps_by_group,
    nps_change,
    share_change,
    wilson_interval,
)
from ownership.stats.likert import likert_counts

from .decisions import NPS as NPS_COLUMN
from .decisions import (
    Disclosure,
    construct_column,
    construct_scores,
    shown_groups,
)
from .kept import COMMITMENTS_KEPT, kept_scores
from .loading import ORGANISATION, WaveData
from .reports import DepartmentRef, Heatmap, HeatmapCell, HeatmapColumn, HeatmapRow
from .unanimity import share_band

NPS = "nps"
RESPONSE_RATE = "response_rate"


def _num(x) -> float | None:
    """A finite float, or ``None`` for a missing, NaN or infinite value."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def _favourable(scores: NDArray, n_options: int, favourable_when: str) -> NDArray:
    """1.0 for a favourable person score (top or bottom two boxes), NaN missing."""
    hit = scores >= n_options - 1 if favourable_when == "agree" else scores <= 2
    return np.where(np.isnan(scores), np.nan, hit.astype(float))


def _per_node(result, field: str, n_nodes: int, empty) -> NDArray:
    """A per-group statistic of the library, on every node (``empty`` where
    a node has no expanded row)."""
    values = np.asarray(getattr(result, field))
    if values.ndim == 2:  # one column (an item) per group
        values = values[:, 0]
    out = np.full(n_nodes, empty, dtype=values.dtype if empty == 0 else float)
    out[np.asarray(result.labels, dtype=np.intp)] = values
    return out


def _grouped(values: NDArray, rows: NDArray, nodes: NDArray, n_nodes: int):
    """n, mean and variance of ``values`` per node over the expanded rows
    (:func:`~ownership.stats.descriptives.group_means`)."""
    if not len(rows):
        return np.zeros(n_nodes, np.int64), *np.full((2, n_nodes), np.nan)
    result = group_means(values[rows], nodes)
    return (
        _per_node(result, "n", n_nodes, 0).astype(np.int64),
        _per_node(result, "mean", n_nodes, np.nan),
        _per_node(result, "var", n_nodes, np.nan),
    )


def _versus_rest(n, mean, var):
    """Every node (a subtree) against the rest of the organisation."""
    return compare_subsets_to_rest(
        n, mean, var, n[ORGANISATION], mean[ORGANISATION], var[ORGANISATION]
    )


def _change_of_mean(mean: float | None, earlier) -> float | None:
    """This wave's mean minus the previous release's, where both exist."""
    if mean is None or earlier is None or earlier.mean is None:
        return None
    return mean - earlier.mean


def _changes(data, stats, keys, before: dict, unshown) -> dict:
    """The change of each visible cell since the previous release (its cells
    in ``before``, by department code and column), tested.

    Only figures both releases published enter: this wave's counts and the
    previous release's n, favourable share and mean, so the test adds nothing
    a reader could not compute from the two published reports. BH runs over
    all visible changes of the report.
    """
    before = {
        place: cell
        for place, cell in before.items()
        if cell.favourable is not None and cell.n
    }
    found = []  # (i, key, difference, low, high, p)
    for j, key in enumerate(keys):
        # Commitments kept: each wave asks about other commitments, so a
        # change would compare unlike things.
        if key not in stats or key == COMMITMENTS_KEPT:
            continue
        s = stats[key]
        where = [
            i
            for i, node in enumerate(data.nodes)
            if not unshown[i, j] and s["n"][i] and (node.code, key) in before
        ]
        if not where:
            continue
        idx = np.asarray(where)
        old = [before[(data.nodes[i].code, key)] for i in where]
        n0 = np.array([c.n for c in old], dtype=float)
        k0 = np.rint([c.favourable * c.n for c in old])
        n1 = s["n"][idx].astype(float)
        k1 = np.rint(s["successes"][idx])
        if key == NPS:
            # promoters - detractors = NPS / 100 of n, so detractors follow
            d0 = np.rint([(c.favourable - c.mean / 100.0) * c.n for c in old])
            d1 = np.rint(k1 - s["mean"][idx] / 100.0 * n1)
            result = nps_change(k1, d1, n1, k0, d0, n0)
        else:
            result = share_change(k1, n1, k0, n0)
        for m, i in enumerate(where):
            found.append(
                (
                    i,
                    key,
                    result.difference[m],
                    result.low[m],
                    result.high[m],
                    result.pvalue[m],
                )
            )
    return _change_fields(found)


def _change_fields(found) -> dict:
    """The change fields of each tested cell, BH over all of them."""
    pvalues = np.array([f[5] for f in found], dtype=float)
    qvalues = np.full(pvalues.shape, np.nan)
    tested = ~np.isnan(pvalues)
    if tested.any():
        qvalues[tested] = fdr_bh(pvalues[tested])
    out = {}
    for (i, key, diff, low, high, _p), q in zip(found, qvalues, strict=True):
        minimum = (
            settings.HEATMAP_MIN_NPS_DIFFERENCE
            if key == NPS
            else settings.HEATMAP_MIN_SHARE_CHANGE
        )
        q = _num(q)
        out[(i, key)] = {
            "change_favourable": _num(diff),
            "change_low": _num(low),
            "change_high": _num(high),
            "change_q": q,
            "change_significant": bool(
                q is not None
                and q < settings.RESULTS_FDR_LEVEL
                and abs(diff) >= minimum - 1e-12
            ),
        }
    return out


def _columns(data: WaveData) -> list[HeatmapColumn]:
    """The construct columns, in the order the survey first asks them."""
    source = data.snapshot.get("source_language", "en")
    return [
        HeatmapColumn(
            key=slug,
            label=data.constructs[slug]["name"][source],
            kind="construct",
            favourable_when=data.constructs[slug]["favourable_when"],
            labels=data.constructs[slug]["name"],
        )
        for slug in dict.fromkeys(item.construct for item in data.items)
    ]


def _construct_stats(data, disclosure, column, rows, nodes) -> dict:
    """Every figure of one construct column, for every node."""
    scores, values, n_options = construct_scores(data, column.key)
    return _score_stats(
        data,
        disclosure.column(construct_column(column.key)),
        (scores, n_options, column.favourable_when),
        rows,
        nodes,
        values=values,
    )


def _kept_stats(data, disclosure, rows, nodes) -> dict:
    """The "commitments kept" column: each respondent's mean answer over the
    commitments they judged (1..5), favourable from "mostly kept" (4) up."""
    scores = kept_scores(data)
    return _score_stats(
        data, disclosure.column(COMMITMENTS_KEPT), (scores, 5, "agree"), rows, nodes
    )


def _score_stats(data, hidden, person, rows, nodes, values=None) -> dict:
    """Every figure of a column of person scores (``person``: the scores,
    their scale's points and the favourable side) for every node; agreement
    (rwg(j)) where the item answers ``values`` are given; ICC(1) over the
    groups ``hidden`` leaves shown."""
    scores, n_options, favourable_when = person
    n_nodes = len(data.nodes)
    n, mean, var = _grouped(scores, rows, nodes, n_nodes)
    good = _favourable(scores, n_options, favourable_when)
    successes = np.bincount(nodes, weights=np.nan_to_num(good[rows]), minlength=n_nodes)
    low, high = wilson_interval(successes, n) if n_nodes else ([], [])
    rwg = np.full(n_nodes, np.nan)
    if len(rows) and values is not None:
        agreement = likert_counts(values[rows], nodes, n_options).rwg_j()
        rwg = _per_node(agreement, "values", n_nodes, np.nan)
    groups = shown_groups(data, hidden)
    valid = ~np.isnan(scores) & (groups >= 0)
    leaf_icc = (
        icc1(scores[valid], groups[valid])
        if len(np.unique(groups[valid])) > 1
        else np.nan
    )
    return {
        "n": n,
        "mean": mean,
        "var": var,
        "favourable": successes / np.maximum(n, 1),
        "successes": successes,
        "low": np.asarray(low),
        "high": np.asarray(high),
        "rwg": rwg,
        "reliability": reliability_of_mean(np.maximum(n, 1), leaf_icc)
        if not math.isnan(leaf_icc)
        else np.full(n_nodes, np.nan),
        "min_difference": settings.HEATMAP_MIN_DIFFERENCE,
    }


def _nps_stats(data, rows, nodes) -> dict:
    """The recommendation column's figures for every node: the NPS as the mean
    of ±100 contributions (whose variance serves the Welch test against the
    rest), its interval, and the promoters' share."""
    n_nodes = len(data.nodes)
    contribution = np.where(
        np.isnan(data.nps),
        np.nan,
        np.where(data.nps >= 9, 100.0, np.where(data.nps <= 6, -100.0, 0.0)),
    )
    n, mean, var = _grouped(contribution, rows, nodes, n_nodes)
    scores = nps_by_group(data.nps[rows], nodes)
    promoters = _per_node(scores, "promoters", n_nodes, 0).astype(float)
    low, high = wilson_interval(promoters, n)
    return {
        "mean_low": _per_node(scores, "ci_low", n_nodes, np.nan),
        "mean_high": _per_node(scores, "ci_high", n_nodes, np.nan),
        "n": n,
        "mean": mean,
        "var": var,
        "favourable": promoters / np.maximum(n, 1),
        "successes": promoters,
        "low": np.asarray(low),
        "high": np.asarray(high),
        "rwg": np.full(n_nodes, np.nan),
        "reliability": np.full(n_nodes, np.nan),
        "min_difference": settings.HEATMAP_MIN_NPS_DIFFERENCE,
    }


def _hidden_and_banded(disclosure: Disclosure, keys: list[str], n_nodes: int):
    """Per node and column: hidden by the release's decision for the column's
    population, and shown only as a band (small groups where all, or all but
    one, fall on one side of the cut-off; see .unanimity)."""
    population = {
        NPS: NPS_COLUMN,
        COMMITMENTS_KEPT: COMMITMENTS_KEPT,
        RESPONSE_RATE: None,
    }

    def of(key):
        return population.get(key, construct_column(key))

    hidden = np.column_stack(
        [
            disclosure.rows if of(key) is None else disclosure.column(of(key))
            for key in keys
        ]
    )
    banded = np.column_stack(
        [
            np.zeros(n_nodes, dtype=bool)
            if of(key) is None
            else disclosure.bands(of(key))
            for key in keys
        ]
    )
    return hidden, banded


def _versus_rest_tested(stats, keys, unshown):
    """Every node against the rest, per column, then BH over the visible grid:
    the comparisons, raw p-values and q-values (NaN where not tested)."""
    pvalues = np.full(unshown.shape, np.nan)
    comparisons = {}
    for j, key in enumerate(keys[:-1]):
        s = stats[key]
        comparisons[key] = _versus_rest(s["n"], s["mean"], s["var"])
        pvalues[:, j] = comparisons[key].pvalue
    pvalues[ORGANISATION] = np.nan
    pvalues[unshown] = np.nan
    qvalues = np.full(pvalues.shape, np.nan)
    tested = ~np.isnan(pvalues)
    if tested.any():
        qvalues[tested] = fdr_bh(pvalues[tested])
    return comparisons, pvalues, qvalues


def _empty_cell(key: str, n: int | None, **kwargs) -> HeatmapCell:
    return HeatmapCell(key, n, None, None, None, None, None, False, False, **kwargs)


def _figure_cell(i, key, s, comparison, p, q, earlier, change) -> HeatmapCell:
    """A shown cell: the figures of column ``key`` (stats ``s``) at node ``i``."""
    is_org = i == ORGANISATION
    delta = None if is_org else _num(comparison.org_difference[i])
    q = _num(q)
    mean = _num(s["mean"][i])
    return HeatmapCell(
        construct=key,
        n=int(s["n"][i]),
        mean=mean,
        favourable=_num(s["favourable"][i]),
        favourable_low=_num(s["low"][i]),
        favourable_high=_num(s["high"][i]),
        delta=delta,
        significant=bool(
            q is not None
            and q < settings.RESULTS_FDR_LEVEL
            and delta is not None
            and abs(delta) >= s["min_difference"]
        ),
        suppressed=False,
        delta_low=None if is_org else _num(comparison.org_ci_low[i]),
        delta_high=None if is_org else _num(comparison.org_ci_high[i]),
        p_value=_num(p),
        q_value=q,
        change=_change_of_mean(mean, earlier),
        rwg_j=_num(s["rwg"][i]),
        reliability=_num(s["reliability"][i]),
        mean_low=_num(s["mean_low"][i]) if "mean_low" in s else None,
        mean_high=_num(s["mean_high"][i]) if "mean_high" in s else None,
        **change,
    )


def _published_cells(previous: Heatmap | None) -> dict:
    """The previous release's cells by department code and column."""
    if previous is None:
        return {}
    return {
        (prow.department.code, cell.construct): cell
        for prow in previous.rows
        for cell in prow.cells
    }


def _all_columns(data, disclosure, rows, nodes):
    """The heatmap's columns (constructs, recommendation, commitments kept,
    response rate: those the wave asked) and the figures of each but the
    last."""
    columns = _columns(data)
    stats = {c.key: _construct_stats(data, disclosure, c, rows, nodes) for c in columns}
    if not np.isnan(data.nps).all():
        columns.append(HeatmapColumn(NPS, "Recommendation (NPS)", "nps"))
        stats[NPS] = _nps_stats(data, rows, nodes)
    if data.commitments:
        columns.append(
            HeatmapColumn(COMMITMENTS_KEPT, "Commitments kept", "commitments", "agree")
        )
        stats[COMMITMENTS_KEPT] = _kept_stats(data, disclosure, rows, nodes)
    columns.append(HeatmapColumn(RESPONSE_RATE, "Response rate", "response_rate"))
    return columns, stats


def build_heatmap(
    data: WaveData, disclosure: Disclosure, previous: Heatmap | None = None
) -> Heatmap:
    """The heatmap of the responses in ``data``, hiding what ``disclosure``
    hides; ``change`` compares with ``previous`` (the previous wave's final
    release), only where both were published."""
    n_nodes = len(data.nodes)
    rows, nodes = data.expand()
    row_n = np.bincount(nodes, minlength=n_nodes).astype(np.int64)
    columns, stats = _all_columns(data, disclosure, rows, nodes)
    keys = [c.key for c in columns]
    hidden, banded = _hidden_and_banded(disclosure, keys, n_nodes)
    comparisons, pvalues, qvalues = _versus_rest_tested(stats, keys, hidden | banded)
    before = _published_cells(previous)
    changes = _changes(data, stats, keys, before, hidden | banded)

    def cell(i: int, j: int, key: str) -> HeatmapCell:
        if hidden[i, j]:
            return HeatmapCell(key, None, None, None, None, None, None, False, True)
        if key == RESPONSE_RATE:
            invited = data.invited[i]
            rate = _num(row_n[i] / invited) if invited else None
            return HeatmapCell(key, int(row_n[i]), rate, *[None] * 4, False, False)
        s = stats[key]
        if banded[i, j]:
            band = share_band(s["successes"][i], s["n"][i])
            return _empty_cell(key, int(s["n"][i]), favourable_band=band)
        earlier = before.get((data.nodes[i].code, key))
        change = changes.get((i, key), {})
        return _figure_cell(
            i, key, s, comparisons[key], pvalues[i, j], qvalues[i, j], earlier, change
        )

    out_rows = tuple(
        HeatmapRow(
            department=DepartmentRef(
                node.code, node.name, node.parent_code, node.depth
            ),
            n=None if disclosure.rows[i] else int(row_n[i]),
            suppressed=bool(disclosure.rows[i]),
            cells=tuple(cell(i, j, key) for j, key in enumerate(keys)),
        )
        for i, node in enumerate(data.nodes)
    )
    return Heatmap(
        wave_id=data.wave_id,
        wave_label=data.label,
        min_group_size=data.k,
        previous_wave_id=previous.wave_id if previous else None,
        columns=tuple(columns),
        rows=out_rows,
        practical_minimum={
            "construct": settings.HEATMAP_MIN_DIFFERENCE,
            NPS: settings.HEATMAP_MIN_NPS_DIFFERENCE,
        },
        alpha=settings.RESULTS_FDR_LEVEL,
    )
