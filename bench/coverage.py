"""Coverage of the concentration intervals, simulated over organisations.

Run ``python -m bench.coverage [--groups G] [--sizes 5,10,30,100,300]
[--seed S] [--compare]``. Each simulated department has a known truth; each
of ``--groups`` departments per group size answers, and the 95 % intervals of
:func:`ownership.stats.concentration.mean_share_interval` (designated and
distributed share) and :func:`~ownership.stats.concentration.
hhi_of_mean_interval` are checked against it. ``--compare`` adds the BCa
bootstrap of the same estimates (and of the plug-in HHI) for comparison. It
prints one JSON line per group size and figure: the coverage, the Monte Carlo
standard error, the mean width and the seconds taken.

The population (what the report sees in practice):

* ``K = 7`` loci, two of kind "distributed" (me, my team) and two
  "designated" (the CCO, customer service);
* each department has its own mean composition ``mu ~ Dirichlet(a)``
  (``a`` drawn in 0.5-2: some departments agree on an owner, some spread),
  a personal spread ``c`` in 1-6 and a share ``q`` in 5-20 % of people who
  give all 100 points to one locus;
* a respondent gives, with probability ``q``, all points to one locus drawn
  from ``mu``, otherwise ``5 * Multinomial(20, Dirichlet(c * mu))``: points
  in steps of 5 with many zeros.

Both kinds of answer have mean composition ``mu``, so the truths are known
exactly: the designated share is the sum of ``mu`` over the designated loci
and the HHI of the mean composition is ``sum(mu ** 2)``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from ownership.stats.concentration import hhi_of_mean_interval, mean_share_interval

K = 7
DISTRIBUTED = np.array([1, 1, 0, 0, 0, 0, 0], dtype=bool)
DESIGNATED = np.array([0, 0, 1, 1, 0, 0, 0], dtype=bool)
SIZES = (5, 10, 30, 100, 300)
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Department:
    mu: np.ndarray  # mean composition, the truth
    spread: float  # Dirichlet concentration of a person around mu
    all_on_one: float  # share of people who give everything to one locus


def department(rng: np.random.Generator) -> Department:
    mu = rng.dirichlet(np.full(K, rng.uniform(0.5, 2.0)))
    return Department(mu, rng.uniform(1.0, 6.0), rng.uniform(0.05, 0.20))


def allocations(rng: np.random.Generator, dept: Department, n: int) -> np.ndarray:
    """``n`` respondents' points (rows summing to 100, steps of 5)."""
    personal = rng.dirichlet(np.maximum(dept.spread * dept.mu, 1e-3), size=n)
    points = 5.0 * rng.multinomial(20, personal)
    single = rng.random(n) < dept.all_on_one
    locus = rng.choice(K, size=n, p=dept.mu)
    points[single] = 0.0
    points[single, locus[single]] = 100.0
    return points


@dataclass
class Tally:
    """Coverage of one figure's intervals at one group size."""

    figure: str
    method: str
    n: int
    covered: int = 0
    groups: int = 0
    width: float = 0.0
    seconds: float = 0.0
    contains_estimate: bool = True
    zero_width_with_variation: int = 0

    def add(self, truth, estimate, low, high, varies) -> None:
        self.covered += bool(low <= truth <= high)
        self.groups += 1
        self.width += high - low
        self.contains_estimate &= bool(low <= estimate <= high)
        self.zero_width_with_variation += bool(varies and high <= low)

    @property
    def coverage(self) -> float:
        return self.covered / self.groups

    def as_dict(self) -> dict:
        p = self.coverage
        return {
            "figure": self.figure,
            "method": self.method,
            "n": self.n,
            "groups": self.groups,
            "coverage": round(p, 4),
            "mc_se": round(float(np.sqrt(p * (1 - p) / self.groups)), 4),
            "mean_width": round(self.width / self.groups, 4),
            "seconds": round(self.seconds, 2),
            "contains_estimate": self.contains_estimate,
            "zero_width_with_variation": self.zero_width_with_variation,
        }


def _plugin_hhi_bca(points, rng):
    """The interval the report showed before: BCa of the plug-in H(p̄)."""
    from ownership.stats.inference import bootstrap_ci

    shares = points / points.sum(axis=1, keepdims=True)

    def plugin(sample):
        return (sample.mean(axis=1) ** 2).sum(axis=-1)

    res = bootstrap_ci(shares, plugin, n_resamples=999, rng=rng)
    return res.estimate, res.ci_low, res.ci_high


def simulate(
    n: int, *, groups: int = 1000, seed: int = 20_261_124, compare: bool = False
) -> Iterator[Tally]:
    """Coverage of every figure's interval for departments of ``n`` people."""
    rng = np.random.default_rng([seed, n])
    # The bootstraps draw from a stream of their own, so that --compare
    # simulates the very same departments.
    boot = np.random.default_rng([seed, n, 1])
    methods: list[tuple[str, str, Callable]] = [
        ("designated share", "beta", mean_share_interval),
        ("distributed share", "beta", mean_share_interval),
        ("HHI of the mean", "jackknife-t", hhi_of_mean_interval),
    ]
    if compare:
        methods += [
            ("designated share", "BCa", mean_share_interval),
            ("distributed share", "BCa", mean_share_interval),
            ("HHI of the mean", "BCa", hhi_of_mean_interval),
            ("plug-in HHI of the mean", "BCa", None),
        ]
    tallies = [Tally(figure, method, n) for figure, method, _ in methods]
    for _ in range(groups):
        dept = department(rng)
        points = allocations(rng, dept, n)
        shares = points / 100.0
        varies = bool(np.ptp(points, axis=0).any())
        for tally, (figure, method, function) in zip(tallies, methods, strict=True):
            started = time.perf_counter()
            if figure == "plug-in HHI of the mean":
                estimate, low, high = _plugin_hhi_bca(points, boot)
                truth = float(dept.mu @ dept.mu)
                tally.seconds += time.perf_counter() - started
                tally.add(truth, estimate, low, high, varies)
                continue
            if figure == "HHI of the mean":
                res = function(points, method=method, n_resamples=999, rng=boot)
                truth = float(dept.mu @ dept.mu)
                column_varies = varies
            else:
                mask = DESIGNATED if figure.startswith("designated") else DISTRIBUTED
                x = shares[:, mask].sum(axis=1)
                res = function(x, method=method, n_resamples=999, rng=boot)
                truth = float(dept.mu[mask].sum())
                column_varies = bool(np.ptp(x) > 0)
            tally.seconds += time.perf_counter() - started
            tally.add(truth, res.estimate, res.low, res.high, column_varies)
    yield from tallies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES))
    parser.add_argument("--seed", type=int, default=20_261_124)
    parser.add_argument(
        "--compare", action="store_true", help="also the BCa bootstrap intervals"
    )
    args = parser.parse_args(argv)
    for n in (int(s) for s in args.sizes.split(",")):
        for tally in simulate(
            n, groups=args.groups, seed=args.seed, compare=args.compare
        ):
            print(json.dumps(tally.as_dict()), flush=True)


if __name__ == "__main__":
    main()
