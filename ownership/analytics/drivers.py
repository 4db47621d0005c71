"""Key drivers: which themes go with an outcome most, by Johnson's relative
weights (:mod:`ownership.stats.importance`).

For each outcome (felt responsibility, the recommendation score, the
distributed share of responsibility) and each group with at least
``DRIVERS_MIN_RESPONDENTS`` complete respondents (an answer to the outcome
and a score on every other construct), the report splits the variance the
constructs explain together (R²) into one weight per construct, with
percentile bootstrap intervals. Each outcome's complete respondents are one
population of the release's disclosure decision (:func:`columns`).
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from ownership.stats.importance import Model, relative_weights_models

from .decisions import (
    ALLOCATION,
    NPS,
    Column,
    Disclosure,
    construct_column,
    construct_scores,
)
from .loading import WaveData
from .reports import DepartmentRef, Published

FELT_RESPONSIBILITY = "felt-responsibility"
RECOMMENDATION = "recommendation"
DISTRIBUTED_SHARE = "distributed_share"
OUTCOMES = (FELT_RESPONSIBILITY, RECOMMENDATION, DISTRIBUTED_SHARE)
# The disclosure population of each outcome that is not a construct.
_OUTCOME_COLUMN = {RECOMMENDATION: NPS, DISTRIBUTED_SHARE: ALLOCATION}


def drivers_column(outcome: str) -> str:
    return f"drivers:{outcome}"


@dataclass(frozen=True)
class DriverOutcome:
    key: str
    label: str  # in the survey's source language
    labels: dict[str, str] | None = None  # by language, for a construct


@dataclass(frozen=True)
class DriverWeight:
    construct: str
    weight: float  # raw weight: the weights of a row sum to its r_squared
    low: float | None  # 95 % percentile bootstrap interval
    high: float | None


@dataclass(frozen=True)
class DriverRow:
    department: DepartmentRef
    outcome: str
    # Respondents who answered the outcome: the heatmap's (or the
    # responsibility report's) n of the outcome, never a new count. The
    # weights use those of them with a score on every theme; their exact
    # number is not published, as the heatmap's counts of each theme could
    # take it apart where a group is hidden.
    n: int
    r_squared: float
    weights: tuple[DriverWeight, ...]  # largest first
    # The largest weight minus the second, its bootstrap interval: above
    # zero, the first theme is clearly first.
    lead_low: float | None
    lead_high: float | None
    resamples: int = 0  # behind the intervals

    @property
    def clearly_first(self) -> bool:
        return self.lead_low is not None and self.lead_low > 0


@dataclass(frozen=True)
class Drivers(Published):
    wave_id: int
    wave_label: str
    min_group_size: int
    min_respondents: int
    resamples: int  # the organisation's
    confidence: float
    outcomes: tuple[DriverOutcome, ...]
    construct_names: dict[str, str]  # slug -> name in the source language
    rows: tuple[DriverRow, ...]
    departments: bool = True  # False: an interim release, without key drivers
    department_resamples: int = 0


def _constructs(data: WaveData) -> list[str]:
    return list(dict.fromkeys(item.construct for item in data.items))


def _outcome_values(data: WaveData, outcome: str) -> NDArray[np.float64] | None:
    """Each respondent's outcome (NaN where missing), or ``None`` when the
    wave did not ask it."""
    if outcome == RECOMMENDATION:
        return None if np.isnan(data.nps).all() else data.nps
    if outcome == DISTRIBUTED_SHARE:
        kinds = [data.snapshot["loci"].get(s, {}).get("kind") for s in data.loci]
        chosen = [j for j, kind in enumerate(kinds) if kind == "distributed"]
        if not chosen or np.isnan(data.allocation).all():
            return None
        total = data.allocation.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = data.allocation[:, chosen].sum(axis=1) / total
        return np.where(total > 0, share, np.nan)
    if outcome not in _constructs(data):
        return None
    return construct_scores(data, outcome)[0]


def threshold(k: int) -> int:
    """The fewest complete respondents a group's weights are shown for."""
    return max(settings.DRIVERS_MIN_RESPONDENTS, k)


def columns(data: WaveData) -> list[Column]:
    """One population per outcome, its complete respondents (final release
    only), decided like every other population's (threshold k,
    complementary suppression), and as they are part of the outcome's and
    every theme's respondents, they hide whatever those hide. Weights are then
    shown only for visible groups of at least :func:`threshold` complete
    respondents, so that they are estimated well enough to read."""
    matrix, models = _variables(data)
    out = []
    for outcome, (model, names) in models.items():
        follows = [construct_column(slug) for slug in names]
        follows.append(_OUTCOME_COLUMN.get(outcome) or construct_column(outcome))
        out.append(
            Column(
                drivers_column(outcome),
                _complete(matrix, model),
                data.k,
                across_releases=False,
                follows=tuple(follows),
            )
        )
    return out


def _variables(data: WaveData):
    """Every construct's score and every outcome that is not a construct, one
    column each, and the model of each outcome the wave asked (by outcome)
    with its predictors' names."""
    constructs = _constructs(data)
    columns = [construct_scores(data, slug)[0] for slug in constructs]
    models = {}
    for outcome in OUTCOMES:
        if outcome in constructs:
            y = constructs.index(outcome)
        else:
            values = _outcome_values(data, outcome)
            if values is None:
                continue
            y = len(columns)
            columns.append(values)
        names = [slug for slug in constructs if slug != outcome]
        if len(names) >= 2:
            predictors = tuple(constructs.index(slug) for slug in names)
            models[outcome] = (Model(y, predictors), names)
    return np.column_stack(columns), models


def _complete(matrix: NDArray, model: Model) -> NDArray[np.bool_]:
    """Who has the model's outcome and a score on each of its themes."""
    return ~np.isnan(matrix[:, model.columns]).any(axis=1)


def _fits(data: WaveData, matrix, models, shown) -> dict:
    """Each shown group's fits by (outcome, node): one bootstrap per group
    for all its outcomes, the groups spread over ``DRIVERS_THREADS`` threads
    (the linear algebra runs outside the interpreter's lock)."""
    rows, nodes = data.expand()
    order = np.argsort(nodes, kind="stable")
    rows, nodes = rows[order], nodes[order]
    bounds = np.searchsorted(nodes, np.arange(len(data.nodes) + 1))
    groups = sorted({int(i) for mask in shown.values() for i in np.flatnonzero(mask)})

    def fit(i: int):
        outcomes = [o for o in models if shown[o][i]]
        members = rows[bounds[i] : bounds[i + 1]]
        results = relative_weights_models(
            matrix[members],
            [models[o][0] for o in outcomes],
            resamples=_resamples(i),
            seed=[data.wave_id, i],
        )
        return {(o, i): r for o, r in zip(outcomes, results, strict=True)}

    out = {}
    # Threads share the cores: BLAS in each of them runs on one, instead of
    # every thread starting one BLAS thread per core.
    with (
        threadpool_limits(limits=1, user_api="blas"),
        ThreadPoolExecutor(max_workers=settings.DRIVERS_THREADS) as pool,
    ):
        # The organisation, the largest group, first and alone: its
        # working memory is freed before the departments' threads start.
        if groups and groups[0] == 0:
            out.update(fit(groups.pop(0)))
        for found in pool.map(fit, groups):
            out.update(found)
    return out


def _resamples(node: int) -> int:
    """The organisation (node 0) has its own number of resamples; fewer for
    each department keep a release at a thousand departments affordable."""
    return (
        settings.DRIVERS_RESAMPLES
        if node == 0
        else settings.DRIVERS_DEPARTMENT_RESAMPLES
    )


def _row(data: WaveData, i: int, outcome: str, names, fit, n: int) -> DriverRow:
    node = data.nodes[i]

    def num(v):
        return None if math.isnan(v) else float(v)

    weights = sorted(
        (
            DriverWeight(slug, float(w), num(lo), num(hi))
            for slug, w, lo, hi in zip(
                names, fit.weights, fit.low, fit.high, strict=True
            )
        ),
        key=lambda d: -d.weight,
    )
    return DriverRow(
        department=DepartmentRef(node.code, node.name, node.parent_code, node.depth),
        outcome=outcome,
        n=n,
        r_squared=fit.r_squared,
        weights=tuple(weights),
        lead_low=num(fit.lead_low),
        lead_high=num(fit.lead_high),
        resamples=fit.resamples,
    )


def build_drivers(
    data: WaveData, disclosure: Disclosure, *, departments: bool = True
) -> Drivers:
    """Relative weights for every outcome the wave asked, for the
    organisation and (with ``departments``) every department shown for that
    outcome. Only the final release has key drivers: an interim release's
    (``departments`` false) has none, as its respondents' populations are
    not decided for them."""
    source = data.snapshot.get("source_language", "en")
    names = {slug: data.constructs[slug]["name"][source] for slug in _constructs(data)}
    matrix, models = _variables(data)
    shown, answered = {}, {}
    for outcome, (model, _names) in models.items():
        hidden = disclosure.column(drivers_column(outcome))
        complete = data.rolled_up(_complete(matrix, model))
        shown[outcome] = ~hidden & (complete >= threshold(data.k)) & departments
        answered[outcome] = data.rolled_up(~np.isnan(matrix[:, model.outcome]))
    fits = _fits(data, matrix, models, shown) if departments else {}
    out = [
        _row(
            data,
            i,
            outcome,
            models[outcome][1],
            fits[outcome, i],
            int(answered[outcome][i]),
        )
        for outcome in models
        for i in np.flatnonzero(shown[outcome])
        if fits.get((outcome, i)) is not None
    ]
    return Drivers(
        wave_id=data.wave_id,
        wave_label=data.label,
        min_group_size=data.k,
        min_respondents=threshold(data.k),
        resamples=settings.DRIVERS_RESAMPLES,
        confidence=0.95,
        outcomes=tuple(_outcome_ref(data, o, source) for o in models),
        construct_names=names,
        rows=tuple(out),
        departments=departments,
        department_resamples=settings.DRIVERS_DEPARTMENT_RESAMPLES,
    )


def _outcome_ref(data: WaveData, outcome: str, source: str) -> DriverOutcome:
    if outcome == RECOMMENDATION:
        return DriverOutcome(outcome, "Recommendation (0–10)")
    if outcome == DISTRIBUTED_SHARE:
        return DriverOutcome(outcome, "Distributed share of responsibility")
    names = data.constructs[outcome]["name"]
    return DriverOutcome(outcome, names[source], names)


def outcome_label(outcome: DriverOutcome, language: str) -> str:
    """An outcome's name in ``language`` (constructs by the survey's names)."""
    if outcome.labels:
        return outcome.labels.get(language) or outcome.label
    if outcome.key == RECOMMENDATION:
        return _("Recommendation (0–10)")
    return _("Distributed share of responsibility")


def driver_sentence(row: DriverRow, outcome: str, names: dict[str, str]) -> str:
    """What to work on first, and how sure that is, in the active language."""
    if not row.weights:
        return ""
    first = row.weights[0]
    share = first.weight / row.r_squared if row.r_squared > 0 else 0.0
    values = {
        "first": names.get(first.construct, first.construct),
        "outcome": outcome,
        "share": f"{100 * share:.0f}",
        "r2": f"{100 * row.r_squared:.0f}",
    }
    text = _(
        "Work on “%(first)s” first: of the %(r2)s %% of the differences in "
        "“%(outcome)s” that the themes explain together, it accounts for "
        "%(share)s %%."
    )
    if len(row.weights) < 2:
        return text % values
    values["second"] = names.get(row.weights[1].construct, row.weights[1].construct)
    if row.clearly_first:
        sure = _("It clearly leads “%(second)s”, the next.")
    else:
        sure = _(
            "It is not clearly ahead of “%(second)s”: the two may swap places "
            "in another sample."
        )
    return (text + " " + sure) % values
