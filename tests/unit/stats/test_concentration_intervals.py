"""Bias-corrected HHI of the mean composition and the concentration intervals."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from bench import coverage
from ownership.stats.concentration import (
    concentration_by_group,
    concentration_summary,
    hhi_of_mean_interval,
    mean_share_interval,
)
from ownership.stats.concentration.intervals import _different_share

# allocations as the survey stores them: 100 points in steps of 5 over K loci
allocation_rows = st.integers(2, 6).flatmap(
    lambda k: st.lists(
        st.lists(st.integers(0, 20), min_size=k, max_size=k).filter(
            lambda r: sum(r) > 0
        ),
        min_size=1,
        max_size=25,
    )
)
share_lists = st.lists(
    st.integers(0, 20).map(lambda v: v / 20), min_size=1, max_size=40
)


def brute_force_unbiased_hhi(p: np.ndarray) -> float:
    """Mean of p_r . p_s over ordered pairs of different respondents."""
    n = len(p)
    pairs = [p[r] @ p[s] for r in range(n) for s in range(n) if r != s]
    return float(np.mean(pairs))


class TestUnbiasedHhiOfMean:
    def test_is_the_u_statistic_over_pairs(self):
        points = np.array([[60, 20, 20], [40, 40, 20], [80, 10, 10], [30, 30, 40]])
        p = points / 100
        res = concentration_summary(points)
        assert res.hhi_of_mean == pytest.approx(brute_force_unbiased_hhi(p), abs=1e-15)
        assert res.hhi_of_mean_plugin == pytest.approx(
            float(p.mean(0) @ p.mean(0)), abs=1e-15
        )

    def test_expectation_is_the_population_hhi_exactly(self):
        # Every ordered sample of 3 from a population of three allocations,
        # drawn with replacement: the average estimate is the population's
        # HHI of the mean composition; the plug-in's is larger by tr(Sigma)/n.
        population = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.2, 0.3, 0.5]])
        mu = population.mean(axis=0)
        unbiased, plugin = [], []
        for sample in itertools.product(range(3), repeat=3):
            res = concentration_summary(population[list(sample)])
            # unclipped value: (n H(p̄) - mean HHI) / (n - 1)
            unbiased.append((3 * res.hhi_of_mean_plugin - res.mean_hhi) / 2)
            plugin.append(res.hhi_of_mean_plugin)
        trace = float(np.trace(np.cov(population.T, bias=True)))
        assert np.mean(unbiased) == pytest.approx(mu @ mu, abs=1e-14)
        assert np.mean(plugin) == pytest.approx(mu @ mu + trace / 3, abs=1e-14)

    def test_clipped_to_the_range_of_an_hhi(self):
        # two people who give everything to different loci: (2 * 0.5 - 1) / 1
        # is 0, below 1/K
        res = concentration_summary([[100, 0, 0], [0, 100, 0]])
        assert res.hhi_of_mean == pytest.approx(1 / 3)
        assert res.effective_number == pytest.approx(3.0)
        assert res.hhi_normalized == pytest.approx(0.0)
        assert res.disagreement == pytest.approx(1 - 1 / 3)

    def test_group_of_one_has_no_estimate(self):
        res = concentration_summary([50, 30, 20])
        assert math.isnan(res.hhi_of_mean)
        assert res.hhi_of_mean_plugin == pytest.approx(0.38)

    def test_by_group_equals_one_group_at_a_time(self):
        rng = np.random.default_rng(3)
        points = rng.integers(0, 21, size=(40, 5)) + 1
        groups = rng.integers(0, 6, size=40)
        groups[0] = 9  # a group of one
        res = concentration_by_group(points, groups)
        for i, label in enumerate(res.labels):
            one = concentration_summary(points[groups == label])
            np.testing.assert_allclose(
                [res.hhi_of_mean[i], res.hhi_of_mean_plugin[i]],
                [one.hhi_of_mean, one.hhi_of_mean_plugin],
                rtol=1e-12,
                equal_nan=True,
            )
        assert math.isnan(res.hhi_of_mean[list(res.labels).index(9)])
        np.testing.assert_allclose(res.effective_number, 1 / res.hhi_of_mean)

    @settings(max_examples=200, deadline=None)
    @given(allocation_rows)
    def test_never_below_one_over_k_nor_above_one(self, rows):
        res = concentration_summary(np.array(rows, dtype=float))
        k = len(rows[0])
        if len(rows) < 2:
            assert math.isnan(res.hhi_of_mean)
        else:
            assert 1 / k - 1e-15 <= res.hhi_of_mean <= 1 + 1e-15
            assert res.disagreement >= -1e-15


KORN_GRAUBARD = json.loads(
    (Path(__file__).parents[2] / "reference" / "korn_graubard.json").read_text()
)["cases"]


class TestMeanShareInterval:
    @pytest.mark.parametrize("case", KORN_GRAUBARD, ids=lambda c: c["name"])
    def test_against_R_survey(self, case):
        # survey 4.1-1: svyciprop(~x, svydesign(ids = ~1, data = d),
        # method = "beta") with Korn & Graubard's df factor on n*
        # (tests/reference/r/korn_graubard.R)
        res = mean_share_interval(case["x"])
        assert (res.low, res.high) == pytest.approx(case["korn_graubard"], rel=1e-12)
        res = mean_share_interval(case["x"], confidence=0.9)
        assert (res.low, res.high) == pytest.approx(case["korn_graubard_90"], rel=1e-12)

    def test_korn_graubard_by_hand(self):
        # Clopper-Pearson at the df-adjusted effective sample size, written
        # out with scipy.stats.beta (Korn & Graubard 1998).
        x = np.array([0.2, 0.0, 0.35, 0.1, 0.0, 0.25, 1.0, 0.15])
        n, m = len(x), x.mean()
        z, t = stats.norm.ppf(0.975), stats.t.ppf(0.975, n - 1)
        n_eff = m * (1 - m) / (x.var(ddof=1) / n) * (z / t) ** 2
        low = stats.beta.ppf(0.025, n_eff * m, n_eff * (1 - m) + 1)
        high = stats.beta.ppf(0.975, n_eff * m + 1, n_eff * (1 - m))
        res = mean_share_interval(x)
        assert res.method == "beta"
        assert res.n == 8 and res.confidence == 0.95
        assert res.estimate == pytest.approx(m, abs=1e-15)
        assert (res.low, res.high) == pytest.approx((low, high), rel=1e-10)

    def test_bernoulli_answers_give_clopper_pearson(self):
        # 0/1 answers: n* = n (z/t)^2, so at a large n the interval is the
        # Clopper-Pearson interval of k of n.
        x = np.r_[np.ones(300), np.zeros(700)]
        res = mean_share_interval(x)
        exact = stats.binomtest(300, 1000).proportion_ci(0.95, method="exact")
        assert res.low == pytest.approx(exact.low, abs=2e-4)
        assert res.high == pytest.approx(exact.high, abs=2e-4)

    def test_nobody_gave_a_point(self):
        res = mean_share_interval(np.zeros(10))
        assert res.method == "no-variation"
        assert res.estimate == 0.0 and res.low == 0.0
        # at most 1 - 0.05^(1/10) of the population answers otherwise
        assert res.high == pytest.approx(1 - 0.05**0.1)

    def test_everyone_gave_the_same_share(self):
        # the crash of the issue: identical shares of 0.7
        res = mean_share_interval([0.7] * 5)
        pi = 1 - 0.05 ** (1 / 5)
        assert res.method == "no-variation"
        assert res.estimate == 0.7
        assert (res.low, res.high) == pytest.approx((0.7 * (1 - pi), 0.7 + pi * 0.3))
        assert res.low < res.estimate < res.high

    def test_group_of_one(self):
        res = mean_share_interval([0.4])
        assert res.method == "no-variation"
        assert (res.low, res.high) == pytest.approx((0.4 * 0.05, 0.4 + 0.95 * 0.6))

    def test_wider_at_higher_confidence(self):
        x = [0.1, 0.3, 0.3, 0.5, 0.0, 0.2]
        narrow = mean_share_interval(x, confidence=0.8)
        wide = mean_share_interval(x, confidence=0.99)
        assert wide.low < narrow.low < narrow.high < wide.high

    def test_bca_method_is_the_bootstrap(self):
        x = [0.1, 0.3, 0.3, 0.5, 0.0, 0.2, 0.25, 0.4]
        res = mean_share_interval(x, method="BCa", n_resamples=999, rng=5)
        again = mean_share_interval(x, method="BCa", n_resamples=999, rng=5)
        assert res.method == "BCa" and res == again
        assert res.low <= res.estimate <= res.high
        assert res.low != mean_share_interval(x).low

    @pytest.mark.parametrize(
        ("shares", "message"),
        [
            ([], "shares is empty"),
            ([0.2, 1.5], r"shares must lie in \[0, 1\]"),
            ([0.2, -0.1], r"shares must lie in \[0, 1\]"),
            ([0.2, float("nan")], "shares contains NaN"),
            ([[0.2, 0.3]], "shares must be 1-D"),
        ],
    )
    def test_bad_shares_are_refused(self, shares, message):
        with pytest.raises(ValueError, match=message):
            mean_share_interval(shares)

    def test_bad_arguments_are_refused(self):
        with pytest.raises(ValueError, match="confidence"):
            mean_share_interval([0.1, 0.2], confidence=1.0)
        with pytest.raises(ValueError, match="n_resamples"):
            mean_share_interval([0.1, 0.2], n_resamples=0)
        with pytest.raises(ValueError, match="method must be one of"):
            mean_share_interval([0.1, 0.2], method="percentile")

    @settings(max_examples=300, deadline=None)
    @given(share_lists)
    def test_contains_the_estimate_and_never_a_point(self, shares):
        res = mean_share_interval(shares)
        assert 0.0 <= res.low <= res.estimate <= res.high <= 1.0
        assert res.high > res.low


class TestHhiOfMeanInterval:
    def test_jackknife_t_by_hand(self):
        points = np.array(
            [[60, 20, 20], [40, 40, 20], [80, 10, 10], [50, 25, 25], [30, 30, 40]]
        )
        p = points / 100
        n = len(p)
        loo = np.array([brute_force_unbiased_hhi(np.delete(p, i, 0)) for i in range(n)])
        se = math.sqrt((n - 1) / n * ((loo - loo.mean()) ** 2).sum())
        u = brute_force_unbiased_hhi(p)
        half = stats.t.ppf(0.975, n - 1) * se
        res = hhi_of_mean_interval(points)
        assert res.method == "jackknife-t" and res.n == 5
        assert res.estimate == pytest.approx(u, abs=1e-15)
        assert res.low == pytest.approx(max(u - half, 1 / 3), abs=1e-14)
        assert res.high == pytest.approx(min(u + half, 1.0), abs=1e-14)

    def test_a_group_more_even_than_possible_keeps_a_width(self):
        # U is below 1/K: the interval is built around 1/K, not squashed
        points = [[0, 0, 1, 0], [0, 0, 1, 2], [0, 1, 0, 0], [3, 1, 0, 0]]
        res = hhi_of_mean_interval(points)
        assert res.estimate == 0.25 and res.low == 0.25
        assert res.high > 0.3

    def test_everyone_gave_the_owner_everything(self):
        res = hhi_of_mean_interval([[100, 0, 0, 0]] * 10)
        pi = _different_share(10, 0.95)
        assert res.method == "no-variation"
        assert res.estimate == 1.0 and res.high == 1.0
        # the least concentrated population within reach: a share pi spread
        # evenly over the other three loci
        assert res.low == pytest.approx((1 - pi) ** 2 + 3 * (pi / 3) ** 2)

    def test_unvarying_bounds_hold_for_every_reachable_population(self):
        # Populations with at most a share pi answering otherwise: every
        # one of them has an HHI inside the interval, and the ends are
        # reached (up to the sampling of compositions).
        s = np.array([0.5, 0.3, 0.2, 0.0])
        res = hhi_of_mean_interval([s * 100] * 6)
        pi = _different_share(6, 0.95)
        rng = np.random.default_rng(1)
        v = np.vstack([rng.dirichlet(np.full(4, a), size=20_000) for a in (0.1, 1, 10)])
        rho = pi * rng.random((len(v), 1)) ** 0.2
        mu = (1 - rho) * s + rho * v
        h = np.einsum("ij,ij->i", mu, mu)
        assert res.low - 1e-12 <= h.min() and h.max() <= res.high + 1e-12
        assert h.min() == pytest.approx(res.low, abs=5e-3)
        assert h.max() == pytest.approx(res.high, abs=5e-3)

    def test_group_of_one_and_of_two(self):
        one = hhi_of_mean_interval([[50, 50, 0]])
        assert one.method == "none" and math.isnan(one.estimate)
        assert math.isnan(one.low) and math.isnan(one.high)
        two = hhi_of_mean_interval([[50, 50, 0], [100, 0, 0]])
        assert two.method == "none"
        assert two.estimate == pytest.approx(0.5)
        assert (two.low, two.high) == pytest.approx((1 / 3, 1.0))

    def test_balanced_group_without_jackknife_spread_gets_the_whole_range(self):
        # every leave-one-out estimate is 1/3: no spread to build on
        res = hhi_of_mean_interval([[100, 0], [0, 100], [100, 0], [0, 100]])
        assert res.method == "none"
        assert (res.low, res.high) == (0.5, 1.0)

    def test_bca_method_is_the_bootstrap(self):
        points = [[60, 20, 20], [40, 40, 20], [80, 10, 10], [50, 25, 25], [30, 30, 40]]
        res = hhi_of_mean_interval(points, method="BCa", n_resamples=999, rng=2)
        assert res.method == "BCa"
        assert res.low <= res.estimate <= res.high
        assert res.estimate == hhi_of_mean_interval(points).estimate

    @pytest.mark.parametrize(
        ("allocations", "message"),
        [
            (np.zeros((0, 3)), "allocations has no rows"),
            ([[10, -5, 95]], "allocations contains negative values"),
            ([[0, 0, 0], [10, 0, 90]], "allocations has allocations that sum to zero"),
            ([[10, np.nan, 90]], "allocations contains NaN"),
            ([10, 90], "allocations must be 2-D"),
        ],
    )
    def test_bad_allocations_are_refused(self, allocations, message):
        with pytest.raises(ValueError, match=message):
            hhi_of_mean_interval(allocations)

    @settings(max_examples=300, deadline=None)
    @given(allocation_rows)
    def test_contains_the_estimate_and_never_a_point(self, rows):
        points = np.array(rows, dtype=float)
        res = hhi_of_mean_interval(points)
        k = points.shape[1]
        if len(rows) == 1:
            assert math.isnan(res.estimate)
            return
        assert 1 / k <= res.low <= res.estimate <= res.high <= 1.0
        if k > 1:  # one locus offered: the HHI is 1, known exactly
            assert res.high > res.low


@pytest.mark.slow
class TestCoverage:
    """1,000 simulated departments per group size (see bench/coverage.py).

    With 1,000 groups the Monte Carlo standard error of a 95 % coverage is
    about 0.7 points; the seed is fixed, so the run is reproducible.
    """

    @pytest.mark.parametrize("n", coverage.SIZES)
    def test_intervals_cover_as_stated(self, n):
        for tally in coverage.simulate(n, groups=1000):
            if n == 5:  # at least 90 % in the smallest groups
                assert tally.coverage >= 0.90, tally.as_dict()
            else:
                assert 0.93 <= tally.coverage <= 0.97, tally.as_dict()
            assert tally.contains_estimate, tally.as_dict()
            assert tally.zero_width_with_variation == 0, tally.as_dict()
