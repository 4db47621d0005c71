"""Benchmark: key drivers (Johnson's relative weights with bootstrap intervals).

Run ``python -m bench.drivers`` (``--quick`` for a small wave). On the
synthetic wave of :mod:`bench.data` (100,000 respondents, 8 constructs of 5
items, 1,000 departments) it times:

- ``organisation``: one outcome (the first construct) on the other seven,
  2,000 resamples over every respondent;
- ``departments``: the same for every department with at least 30 complete
  respondents, as a release computes them per outcome (one outcome).

It prints one JSON line per step with the wall time, the groups, the
replicates and the peak memory, and a last line that compares the
organisation's step with the target (``TARGET_SECONDS``).
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np

from bench.data import make_wave
from ownership.stats.descriptives import scale_scores
from ownership.stats.importance import relative_weights

TARGET_SECONDS = 5.0  # of the release's 10 s budget at 100,000 respondents
MIN_RESPONDENTS = 30


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 respondents")
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args()
    n = 10_000 if args.quick else 100_000
    wave = make_wave(n_respondents=n, n_groups=n // 100)
    scores = np.column_stack(
        [scale_scores(wave.items[:, c], min_items=3) for c in wave.constructs]
    )
    y, x = scores[:, 0], scores[:, 1:]

    start = time.perf_counter()
    result = relative_weights(x, y, resamples=args.resamples, seed=1)
    organisation = time.perf_counter() - start
    print(
        json.dumps(
            {
                "step": "organisation",
                "respondents": result.n,
                "predictors": x.shape[1],
                "resamples": args.resamples,
                "wall_s": round(organisation, 2),
                "r_squared": round(result.r_squared, 4),
                "peak_rss_mb": round(_peak_mb()),
            }
        )
    )

    start = time.perf_counter()
    groups = 0
    complete = ~np.isnan(scores).any(axis=1)
    for g in np.unique(wave.groups):
        members = (wave.groups == g) & complete
        if members.sum() < MIN_RESPONDENTS:
            continue
        relative_weights(x[members], y[members], resamples=args.resamples, seed=g)
        groups += 1
    departments = time.perf_counter() - start
    print(
        json.dumps(
            {
                "step": "departments",
                "groups": groups,
                "resamples": args.resamples,
                "wall_s": round(departments, 2),
                "per_group_ms": round(1000 * departments / max(groups, 1), 1),
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
