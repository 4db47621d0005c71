"""Benchmark: key drivers (Johnson's relative weights with bootstrap intervals).

Run ``python -m bench.drivers`` (``--quick`` for a small wave). On the
synthetic wave of :mod:`bench.data` (100,000 respondents, 8 constructs of 5
items, 1,000 departments) it times:

- ``organisation``: one outcome (the first construct) on the other seven,
  2,000 resamples over every respondent (the issue's figure);
- ``release``: what a final release computes, three outcomes (the first
  construct on the other seven; a recommendation score and the share of
  points given to the last two loci, each on all eight) for the organisation
  and every group of a four-level tree with at least 30 complete
  respondents (the 1,000 departments under 100, 10 and 1), one bootstrap per
  group for its three outcomes (``--resamples`` for the organisation,
  ``--department-resamples`` for each department), groups spread over
  ``--threads`` threads.

It prints one JSON line per step with the wall time, the groups, the
replicates and the peak memory, and a last line that compares the
organisation's step with the target (``TARGET_SECONDS``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from bench.data import make_wave
from ownership.stats.descriptives import scale_scores
from ownership.stats.importance import Model, relative_weights, relative_weights_models

TARGET_SECONDS = 5.0  # of the release's 10 s budget at 100,000 respondents
MIN_RESPONDENTS = 30


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _variables(wave) -> tuple[np.ndarray, list[Model]]:
    """Construct scores, a recommendation score and a distributed share."""
    scores = np.column_stack(
        [scale_scores(wave.items[:, c], min_items=3) for c in wave.constructs]
    )
    rng = np.random.default_rng(5)
    mean = np.nanmean(scores, axis=1)
    recommendation = np.clip(
        np.rint(2.5 * mean - 2 + rng.normal(size=len(mean))), 0, 10
    )
    recommendation[rng.random(len(mean)) < 0.03] = np.nan
    share = wave.allocations[:, -2:].sum(axis=1) / 100
    q = scores.shape[1]
    models = [
        Model(0, tuple(range(1, q))),
        Model(q, tuple(range(q))),
        Model(q + 1, tuple(range(q))),
    ]
    return np.column_stack([scores, recommendation, share]), models


def _tree(groups: np.ndarray) -> list[np.ndarray]:
    """The members of every group of a four-level tree over the departments."""
    order = np.argsort(groups, kind="stable")
    out = [order]
    for width in (100, 10, 1):
        parent = groups[order] // width
        cuts = np.flatnonzero(np.diff(parent)) + 1
        out.extend(np.split(order, cuts))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 respondents")
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--department-resamples", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    n = 10_000 if args.quick else 100_000
    wave = make_wave(n_respondents=n, n_groups=n // 100)
    data, models = _variables(wave)

    start = time.perf_counter()
    result = relative_weights(
        data[:, 1:8], data[:, 0], resamples=args.resamples, seed=1
    )
    organisation = time.perf_counter() - start
    print(
        json.dumps(
            {
                "step": "organisation",
                "respondents": result.n,
                "predictors": 7,
                "resamples": args.resamples,
                "wall_s": round(organisation, 2),
                "r_squared": round(result.r_squared, 4),
                "peak_rss_mb": round(_peak_mb()),
            }
        )
    )

    complete = ~np.isnan(data[:, :8]).any(axis=1)
    groups = [g for g in _tree(wave.groups) if complete[g].sum() >= MIN_RESPONDENTS]

    def fit(members):
        everyone = len(members) == len(data)
        return relative_weights_models(
            data[members],
            models,
            resamples=args.resamples if everyone else args.department_resamples,
            seed=len(members),
        )

    start = time.perf_counter()
    # As a release does: the organisation first and alone, then the
    # departments in threads, each with single-threaded BLAS.
    with (
        threadpool_limits(limits=1, user_api="blas"),
        ThreadPoolExecutor(max_workers=args.threads) as pool,
    ):
        fits = [fit(groups[0]), *pool.map(fit, groups[1:])]
    release = time.perf_counter() - start
    print(
        json.dumps(
            {
                "step": "release",
                "groups": len(groups),
                "outcomes": len(models),
                "fits": sum(f is not None for group in fits for f in group),
                "resamples": args.resamples,
                "department_resamples": args.department_resamples,
                "threads": args.threads,
                "wall_s": round(release, 2),
                "per_group_ms": round(1000 * release / max(len(groups), 1), 1),
                "peak_rss_mb": round(_peak_mb()),
            }
        )
    )
    print(
        json.dumps(
            {
                "step": "target",
                "organisation_s": round(organisation, 2),
                "target_s": TARGET_SECONDS,
                "met": organisation <= TARGET_SECONDS,
            }
        )
    )


if __name__ == "__main__":
    main()
