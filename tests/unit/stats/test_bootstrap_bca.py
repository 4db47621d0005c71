"""BCa, percentile and basic bootstrap intervals against R's boot.ci.

tests/reference/bca.json holds, for a few samples, the replicates R's boot()
drew, the jackknife influence values and what boot.ci made of them
(tests/reference/r/bca.R). Given the same replicates the intervals agree to
rounding.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import special, stats

from ownership.stats.inference import bca_interval, bootstrap_ci
from ownership.stats.inference.bootstrap import _norm_inter

REFERENCE = json.loads(
    (Path(__file__).parents[2] / "reference" / "bca.json").read_text()
)
CASES = {case["name"]: case for case in REFERENCE["cases"]}


def mean_stat(sample):
    return sample.mean(axis=1)


class TestBcaInterval:
    @pytest.mark.parametrize("name", sorted(CASES))
    def test_against_R_boot(self, name):
        # boot:::bca.ci(b, conf, t0 = t0, t = t, L = L), boot 1.3-28.1
        case = CASES[name]
        low, high = bca_interval(
            case["t0"], case["t"], case["L"], confidence=case["conf"]
        )
        assert_allclose([low, high], case["bca"], rtol=1e-12)

    def test_ties_count_as_not_below(self):
        # 54 of R's 1,999 replicates equal the estimate: counting them as
        # half (scipy) moves the bias correction and the ends away from R's.
        case = CASES["shares_n8"]
        t, t0 = np.array(case["t"]), case["t0"]
        assert case["ties"] == np.count_nonzero(t == t0) == 54
        ours = bca_interval(t0, t, case["L"])
        z0_half = special.ndtri(
            (np.count_nonzero(t < t0) + 0.5 * np.count_nonzero(t == t0)) / t.size
        )
        z0_strict = special.ndtri(np.count_nonzero(t < t0) / t.size)
        assert z0_half != z0_strict
        assert_allclose(ours, case["bca"], rtol=1e-12)

    def test_several_statistics_at_once(self):
        a, b = CASES["shares_n15"], CASES["skewed_n25"]
        size = min(len(a["t"]), len(b["t"]), len(a["L"]), len(b["L"]))
        t = np.column_stack([a["t"][:size], b["t"][:size]])
        influence = np.column_stack([a["L"][:15], b["L"][:15]])
        low, high = bca_interval([a["t0"], b["t0"]], t, influence)
        for j in range(2):
            one = bca_interval([a["t0"], b["t0"]][j], t[:, j], influence[:, j])
            assert (low[j], high[j]) == one

    def test_undefined_cases_are_nan(self):
        # every replicate at the estimate: R stops ("'w' is infinite")
        assert np.isnan(bca_interval(0.5, [0.5] * 10, [1.0, -1.0])).all()
        # no spread in the influence values: R stops ("'a' is NA")
        assert np.isnan(bca_interval(0.5, [0.4, 0.6] * 5, [0.0, 0.0])).all()

    def test_non_finite_replicates_are_left_out(self):
        case = CASES["skewed_n25"]
        t = np.r_[case["t"], np.nan, np.inf]
        assert_allclose(bca_interval(case["t0"], t, case["L"]), case["bca"])


class TestNormInter:
    @pytest.mark.parametrize("name", sorted(CASES))
    def test_percentile_and_basic_against_R_boot(self, name):
        # boot:::perc.ci(t, conf) and boot:::basic.ci(t0, t, conf)
        case = CASES[name]
        c = case["conf"]
        low, high = _norm_inter(
            np.array(case["t"]), np.array([(1 - c) / 2, (1 + c) / 2])
        )
        assert_allclose([low, high], case["perc"], rtol=1e-12)
        assert_allclose(
            [2 * case["t0"] - high, 2 * case["t0"] - low], case["basic"], rtol=1e-12
        )

    def test_whole_order_statistics_and_the_ends(self):
        t = np.arange(1.0, 10.0)  # R = 9: (R + 1) alpha = 10 alpha
        assert _norm_inter(t, np.array([0.3]))[0] == 3.0
        assert _norm_inter(t, np.array([0.05]))[0] == 1.0  # below the first
        assert _norm_inter(t, np.array([0.99]))[0] == 9.0  # beyond the last
        # between order statistics 3 and 4, on the normal quantile scale
        z = stats.norm.ppf
        expected = 3 + (z(0.35) - z(0.3)) / (z(0.4) - z(0.3))
        assert _norm_inter(t, np.array([0.35]))[0] == pytest.approx(expected)


class TestBootstrapCiUsesTheseIntervals:
    X = np.random.default_rng(1).normal(3.5, 1.0, 40)

    def replicates(self, seed, n_resamples):
        gen = np.random.default_rng(seed)
        idx = gen.integers(0, self.X.size, size=(n_resamples, self.X.size))
        return self.X[idx].mean(axis=1)

    def test_bca(self):
        got = bootstrap_ci(self.X, mean_stat, n_resamples=2000, rng=5)
        t = self.replicates(5, 2000)
        loo = (self.X.sum() - self.X) / (self.X.size - 1)
        influence = (self.X.size - 1) * (loo.mean() - loo)
        assert (got.ci_low, got.ci_high) == pytest.approx(
            bca_interval(self.X.mean(), t, influence), rel=1e-12
        )
        assert got.standard_error == pytest.approx(t.std(ddof=1), rel=1e-12)
        assert got.method == "BCa" and got.n_resamples == 2000

    @pytest.mark.parametrize("method", ["percentile", "basic"])
    def test_percentile_and_basic(self, method):
        got = bootstrap_ci(self.X, mean_stat, n_resamples=500, method=method, rng=2)
        low, high = _norm_inter(self.replicates(2, 500), np.array([0.025, 0.975]))
        if method == "basic":
            low, high = 2 * self.X.mean() - high, 2 * self.X.mean() - low
        assert (got.ci_low, got.ci_high) == pytest.approx((low, high), rel=1e-12)

    def test_closed_form_jackknife_gives_the_same_interval(self):
        def loo_means(x):
            return (x.sum() - x) / (x.size - 1)

        generic = bootstrap_ci(self.X, mean_stat, n_resamples=999, rng=7)
        closed = bootstrap_ci(
            self.X, mean_stat, n_resamples=999, rng=7, jackknife=loo_means
        )
        assert closed.ci_low == pytest.approx(generic.ci_low, rel=1e-12)
        assert closed.ci_high == pytest.approx(generic.ci_high, rel=1e-12)

    def test_chunks_give_the_same_interval(self, monkeypatch):
        from ownership.stats.inference import bootstrap

        whole = bootstrap_ci(self.X, mean_stat, n_resamples=300, rng=3)
        # force resamples and leave-one-out samples through tiny chunks
        monkeypatch.setattr(bootstrap, "_MAX_ELEMENTS", 100)
        chunked = bootstrap_ci(self.X, mean_stat, n_resamples=300, rng=3)
        assert chunked == whole

    def test_constant_data(self):
        same = np.full(12, 4.0)
        bca = bootstrap_ci(same, mean_stat, n_resamples=99, rng=0)
        assert bca.estimate == 4.0 and bca.standard_error == 0.0
        assert np.isnan(bca.ci_low) and np.isnan(bca.ci_high)
        for method in ("percentile", "basic"):
            res = bootstrap_ci(same, mean_stat, n_resamples=99, method=method, rng=0)
            assert (res.ci_low, res.ci_high) == (4.0, 4.0)

    def test_bad_jackknife_is_refused(self):
        with pytest.raises(ValueError, match="jackknife must be callable"):
            bootstrap_ci(self.X, mean_stat, jackknife=3)
        with pytest.raises(ValueError, match="jackknife returned 2 values for 40"):
            bootstrap_ci(self.X, mean_stat, jackknife=lambda x: x[:2])
