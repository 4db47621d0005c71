"""BCa, percentile and basic bootstrap intervals against R's boot.ci.

tests/reference/bca.json (written by tests/reference/r/bca.R, R 4.2.2 with
boot 1.3-28.1) holds, for a few samples, the replicates R's boot() drew, the
jackknife influence values and what boot.ci made of them; and, end to end,
what R computes on the very index matrix numpy draws in bootstrap_ci. Given
the same replicates the intervals agree to rounding. The doubles in the JSON
are printed with 17 digits, so ties are R's ties.
"""

from __future__ import annotations

import contextlib
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import special

from ownership.stats.inference import (
    ExtremeOrderStatisticWarning,
    bca_interval,
    bootstrap_ci,
)
from ownership.stats.inference import bootstrap as bootstrap_module
from ownership.stats.inference.bca import _norm_inter

REFERENCE = json.loads(
    (Path(__file__).parents[2] / "reference" / "bca.json").read_text()
)
CASES = {case["name"]: case for case in REFERENCE["cases"]}
END_TO_END = {case["name"]: case for case in REFERENCE["end_to_end"]}
RTOL = 1e-12


def as_float(values):
    """JSON values as floats; R's NA (null) becomes NaN."""
    return np.array(values, dtype=np.float64)


def mean_stat(sample):
    return sample.mean(axis=1)


def mean_share(sample):
    # exact integer sums divided once, as R's colSums(d) / (100 n)
    return sample.sum(axis=1) / (100.0 * sample.shape[1])


# the statistics of the end-to-end cases, as R evaluates them (bca.R)
STATISTICS = {
    "mean_shares_n15": lambda s: mean_share(s)[:, :2],
    "mean_binary_n8": mean_stat,
    "hhi_of_mean_n12": lambda s: (mean_share(s) ** 2).sum(axis=-1),
}


@contextlib.contextmanager
def no_warnings():
    """An ExtremeOrderStatisticWarning inside fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExtremeOrderStatisticWarning)
        yield


def call(warned, function, *args, **kwargs):
    """``function(...)``, asserting it warns exactly when R warned."""
    if warned:
        with pytest.warns(ExtremeOrderStatisticWarning, match="^extreme order"):
            return function(*args, **kwargs)
    with no_warnings():
        return function(*args, **kwargs)


def bca_by_hand(t0, t, influence, confidence, *, ties):
    """Re-derivation with numpy: ties count as 0 (R) or 1/2 (scipy)."""
    t = np.asarray(t, dtype=np.float64)
    below = np.count_nonzero(t < t0) + ties * np.count_nonzero(t == t0)
    z0 = special.ndtri(below / t.size)
    lj = np.asarray(influence, dtype=np.float64)
    a = np.sum(lj**3) / (6 * np.sum(lj**2) ** 1.5)
    z = special.ndtri([(1 - confidence) / 2, (1 + confidence) / 2])
    adjusted = special.ndtr(z0 + (z0 + z) / (1 - a * (z0 + z)))
    return _norm_inter(t, adjusted)


class TestBcaInterval:
    @pytest.mark.parametrize("name", sorted(CASES))
    def test_against_R_boot(self, name):
        # boot:::bca.ci(b, conf = conf, t0 = t0, t = t, L = L)  (bca.R)
        case = CASES[name]
        low, high = call(
            case["warned"]["bca"],
            bca_interval,
            case["t0"],
            case["t"],
            case["L"],
            confidence=case["conf"],
        )
        assert_allclose([low, high], as_float(case["bca"]), rtol=RTOL)

    def test_ties_count_as_not_below(self):
        # boot:::bca.ci(NULL, conf = 0.9, t0 = 0.5, t = tied_t, L = tied_L):
        # 80 of 200 replicates below 0.5 and 40 equal to it. R counts the
        # ties as not below, z0 = qnorm(0.4) = -0.2533; counting them as half
        # (scipy.stats.bootstrap) gives z0 = 0 and other ends.
        case = CASES["constructed_ties"]
        t, t0 = as_float(case["t"]), case["t0"]
        assert (np.count_nonzero(t < t0), np.count_nonzero(t == t0)) == (80, 40)
        assert case["z0"] == pytest.approx(special.ndtri(0.4), rel=RTOL)
        ours = bca_interval(t0, t, case["L"], confidence=0.9)
        assert_allclose(ours, case["bca"], rtol=RTOL)  # R: 0.3, 0.65
        assert_allclose(
            bca_by_hand(t0, t, case["L"], 0.9, ties=0.0), case["bca"], rtol=RTOL
        )
        half = bca_by_hand(t0, t, case["L"], 0.9, ties=0.5)
        assert abs(half[0] - ours[0]) > 0.01 and abs(half[1] - ours[1]) > 0.01

    def test_ties_in_R_replicates(self):
        # 54 of the 1,999 replicates R drew for eight 5-point-step shares
        # equal the estimate; the half-ties convention moves the ends.
        case = CASES["shares_n8"]
        t, t0 = as_float(case["t"]), case["t0"]
        assert case["ties"] == np.count_nonzero(t == t0) == 54
        half = bca_by_hand(t0, t, case["L"], 0.95, ties=0.5)
        assert not np.allclose(half, case["bca"], rtol=1e-6)

    def test_several_statistics_at_once(self):
        a, b = CASES["shares_n15"], CASES["skewed_n25"]
        size = min(len(a["t"]), len(b["t"]))
        t = np.column_stack([a["t"][:size], b["t"][:size]])
        influence = np.column_stack([a["L"][:15], b["L"][:15]])
        low, high = bca_interval([a["t0"], b["t0"]], t, influence)
        for j in range(2):
            one = bca_interval([a["t0"], b["t0"]][j], t[:, j], influence[:, j])
            assert (low[j], high[j]) == one

    @pytest.mark.parametrize(
        ("key", "t", "influence"),
        [
            ("all_equal", [0.5] * 10, [1.0, -1.0]),
            ("all_above", [0.6] * 10, [1.0, -1.0]),
            ("all_below", [0.4] * 10, [1.0, -1.0]),
            ("no_spread_in_L", [0.4, 0.6] * 5, [0.0, 0.0]),
        ],
    )
    def test_undefined_cases_are_nan(self, key, t, influence):
        # R's bca.ci stops here: "estimated adjustment 'w' is infinite" or
        # "estimated adjustment 'a' is NA"
        assert REFERENCE["undefined"][key].startswith("estimated adjustment")
        with no_warnings():
            assert np.isnan(bca_interval(0.5, t, influence)).all()

    def test_adjusted_alpha_of_one_gives_nan_end(self):
        # boot:::bca.ci(NULL, conf = 0.95, t0 = 0.976, t = (1:200) / 200,
        #               L = c(1, 0, 0)) -> 0.979865205996130, NA (and warns)
        case = CASES["adjusted_alpha_of_one"]
        with pytest.warns(ExtremeOrderStatisticWarning):
            low, high = bca_interval(case["t0"], case["t"], case["L"])
        assert low == pytest.approx(case["bca"][0], rel=RTOL)
        assert case["bca"][1] is None and np.isnan(high)

    def test_non_finite_replicates_are_left_out(self):
        case = CASES["skewed_n25"]
        t = np.r_[case["t"], np.nan, np.inf, -np.inf]
        assert_allclose(bca_interval(case["t0"], t, case["L"]), case["bca"])

    def test_no_finite_replicates(self):
        assert np.isnan(bca_interval(0.5, [np.nan, np.inf], [1.0, -1.0])).all()

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (([[0.5]], [0.5], [1.0]), "^t0 must be a number or 1-D"),
            ((0.5, [[0.4, 0.6]], [1.0]), r"^t must have shape \(B,\)"),
            (([0.5, 0.5], [[0.4, 0.6, 0.7]], [[1.0, 1.0]]), r"^t must have shape"),
            (([0.5, 0.5], [0.4, 0.6], [[1.0, 1.0]]), "^t is 1-D but t0 holds 2"),
            (([0.5, 0.5], [[0.4, 0.6]], [[1.0, 1.0, 1.0]]), "^influence must have"),
            ((0.5, [0.4], np.ones((2, 2, 2))), "^influence must have shape"),
            ((0.5, ["a"], [1.0]), "^t must be numeric"),
        ],
    )
    def test_invalid_arguments(self, args, message):
        with pytest.raises(ValueError, match=message):
            bca_interval(*args)

    def test_invalid_confidence(self):
        with pytest.raises(ValueError, match="^confidence must lie strictly"):
            bca_interval(0.5, [0.4, 0.6], [1.0, -1.0], confidence=95)


class TestNormInter:
    @pytest.mark.parametrize("i", range(len(REFERENCE["norm_inter"])))
    def test_against_R_boot(self, i):
        # boot:::norm.inter(t, alpha)[, 2], and whether R warned
        case = REFERENCE["norm_inter"][i]
        out = call(
            case["warned"], _norm_inter, as_float(case["t"]), as_float(case["alpha"])
        )
        assert_allclose(out, as_float(case["out"]), rtol=RTOL)

    @pytest.mark.parametrize("name", sorted(CASES))
    def test_percentile_and_basic_against_R_boot(self, name):
        # boot:::perc.ci(t, conf) and boot:::basic.ci(t0, t, conf)
        case = CASES[name]
        c = case["conf"]
        low, high = call(
            case["warned"]["perc"],
            _norm_inter,
            as_float(case["t"]),
            np.array([(1 - c) / 2, (1 + c) / 2]),
        )
        assert_allclose([low, high], case["perc"], rtol=RTOL)
        assert_allclose(
            [2 * case["t0"] - high, 2 * case["t0"] - low], case["basic"], rtol=RTOL
        )

    def test_whole_order_statistics_and_the_ends(self):
        t = np.arange(1.0, 10.0)  # R = 9: (R + 1) alpha = 10 alpha
        assert _norm_inter(t, np.array([0.3]))[0] == 3.0
        with pytest.warns(ExtremeOrderStatisticWarning):
            assert _norm_inter(t, np.array([0.05]))[0] == 1.0  # below the first
        with pytest.warns(ExtremeOrderStatisticWarning):
            assert _norm_inter(t, np.array([0.99]))[0] == 9.0  # beyond the last
        with pytest.warns(ExtremeOrderStatisticWarning):
            assert np.isnan(_norm_inter(t, np.array([1.0]))[0])  # R: NA
        # between order statistics 3 and 4, on the normal quantile scale
        z = special.ndtri
        expected = 3 + (z(0.35) - z(0.3)) / (z(0.4) - z(0.3))
        assert _norm_inter(t, np.array([0.35]))[0] == pytest.approx(expected)


class TestBootstrapCi:
    X = np.random.default_rng(1).normal(3.5, 1.0, 40)

    @staticmethod
    def draws(seed, n_resamples, n):
        return np.random.default_rng(seed).integers(0, n, size=(n_resamples, n))

    @pytest.mark.parametrize("name", sorted(END_TO_END))
    def test_against_R_boot(self, name):
        # R: t from numpy's index matrix, L <- empinf(b, index = j,
        # type = "jack"), boot.ci(b, conf, type = c("bca", "perc", "basic"),
        # index = j, L = L[, j])  (bca.R, end_to_end)
        case = END_TO_END[name]
        x, statistic = as_float(case["x"]), STATISTICS[name]
        seed, b = case["seed"], case["n_resamples"]
        idx = self.draws(seed, b, x.shape[0])
        # the same resamples, and R's statistic on them equals ours
        assert_array_equal(idx[0], case["first_resample"])
        t_r = as_float(case["t"])
        t_ours = np.asarray(statistic(x[idx])).reshape(t_r.shape)
        assert_allclose(t_ours, t_r, rtol=RTOL)
        for j, ref in enumerate(case["statistics"]):
            assert np.count_nonzero(t_ours[:, j] < ref["t0"]) == ref["below"]
            assert np.count_nonzero(t_ours[:, j] == ref["t0"]) == ref["ties"]
        methods = {"BCa": "bca", "percentile": "perc", "basic": "basic"}
        for method, key in methods.items():
            warned = any(ref["warned"][key] for ref in case["statistics"])
            res = call(
                warned,
                bootstrap_ci,
                x,
                statistic,
                n_resamples=b,
                confidence=case["conf"],
                method=method,
                rng=seed,
            )
            expected = np.array([ref[key] for ref in case["statistics"]])
            got = np.column_stack([res.ci_low, res.ci_high])
            assert_allclose(got, expected, rtol=RTOL, atol=1e-15)
            se = [ref["se"] for ref in case["statistics"]]
            assert_allclose(np.atleast_1d(res.standard_error), se, rtol=1e-10)
            assert res.method == method and res.n_resamples == b

    def test_influence_values_are_Rs_jackknife(self):
        # empinf(type = "jack") is boot:::usual.jack, (n - 1)(t0 - t_(-i)),
        # not centred on the mean of the t_(-i); for the HHI they differ
        case = END_TO_END["hhi_of_mean_n12"]
        x, statistic = as_float(case["x"]), STATISTICS["hhi_of_mean_n12"]
        n = x.shape[0]
        loo = bootstrap_module._leave_one_out(x, statistic)
        t0 = statistic(x[None])[0]
        ours = (n - 1) * (t0 - loo)
        ref = case["statistics"][0]
        assert_allclose(ours, ref["L"], rtol=1e-9, atol=1e-15)
        centred = (n - 1) * (loo.mean() - loo)
        assert not np.allclose(centred, ref["L"], rtol=1e-6)

    def test_bca_is_bca_interval_of_the_draws(self):
        got = bootstrap_ci(self.X, mean_stat, n_resamples=2000, rng=5)
        t = self.X[self.draws(5, 2000, self.X.size)].mean(axis=1)
        loo = (self.X.sum() - self.X) / (self.X.size - 1)
        influence = (self.X.size - 1) * (self.X.mean() - loo)
        assert (got.ci_low, got.ci_high) == pytest.approx(
            bca_interval(self.X.mean(), t, influence), rel=RTOL
        )
        assert got.standard_error == pytest.approx(t.std(ddof=1), rel=RTOL)
        assert got.method == "BCa" and got.n_resamples == 2000

    @pytest.mark.parametrize("method", ["percentile", "basic"])
    def test_percentile_and_basic(self, method):
        got = bootstrap_ci(self.X, mean_stat, n_resamples=500, method=method, rng=2)
        t = self.X[self.draws(2, 500, self.X.size)].mean(axis=1)
        low, high = _norm_inter(t, np.array([0.025, 0.975]))
        if method == "basic":
            low, high = 2 * self.X.mean() - high, 2 * self.X.mean() - low
        assert (got.ci_low, got.ci_high) == pytest.approx((low, high), rel=RTOL)

    def test_closed_form_jackknife_gives_the_same_interval(self):
        def loo_means(x):
            return (x.sum(axis=0) - x) / (x.shape[0] - 1)

        calls = []

        def counting(sample):
            calls.append(sample.shape)
            return sample.mean(axis=1)

        rows = np.random.default_rng(2).dirichlet([3.0, 1.0, 1.0], size=30)[:, :2]
        for data in (self.X, rows):
            generic = bootstrap_ci(data, mean_stat, n_resamples=999, rng=7)
            calls.clear()
            closed = bootstrap_ci(
                data, counting, n_resamples=999, rng=7, jackknife=loo_means
            )
            assert_allclose(closed.ci_low, generic.ci_low, rtol=RTOL)
            assert_allclose(closed.ci_high, generic.ci_high, rtol=RTOL)
            # the statistic saw the data and the resamples, no jackknife samples
            n = data.shape[0]
            assert all(shape[1] == n for shape in calls)

    def test_jackknife_is_only_used_by_bca(self):
        def refuse(x):
            raise AssertionError("called")

        res = bootstrap_ci(
            self.X, mean_stat, n_resamples=99, method="percentile", jackknife=refuse
        )
        assert res.method == "percentile"

    @pytest.mark.parametrize("two_d", [False, True])
    def test_chunks_give_the_same_interval(self, monkeypatch, two_d):
        data = np.column_stack([self.X, self.X**2]) if two_d else self.X
        whole = bootstrap_ci(data, mean_stat, n_resamples=301, rng=3)
        # resamples and leave-one-out samples through tiny (and uneven) chunks
        monkeypatch.setattr(bootstrap_module, "_MAX_ELEMENTS", 250)
        chunked = bootstrap_ci(data, mean_stat, n_resamples=301, rng=3)
        assert_array_equal(chunked.ci_low, whole.ci_low)
        assert_array_equal(chunked.ci_high, whole.ci_high)
        assert_array_equal(chunked.standard_error, whole.standard_error)

    def test_constant_data(self):
        # no variation: every replicate equals the estimate. BCa undefined
        # (R stops: "estimated adjustment 'w' is infinite"), percentile and
        # basic [t0, t0] (R's perc.ci of constant replicates: 0.5, 0.5)
        assert REFERENCE["undefined"]["perc_of_constant"] == [0.5, 0.5]
        same = np.full(12, 4.0)
        with no_warnings():
            bca = bootstrap_ci(same, mean_stat, n_resamples=99, rng=0)
            assert bca.estimate == 4.0 and bca.standard_error == 0.0
            assert np.isnan(bca.ci_low) and np.isnan(bca.ci_high)
            for method in ("percentile", "basic"):
                res = bootstrap_ci(
                    same, mean_stat, n_resamples=99, method=method, rng=0
                )
                assert (res.ci_low, res.ci_high) == (4.0, 4.0)

    def test_constant_column_beside_a_varying_one(self):
        rows = np.column_stack([np.full(20, 0.5), np.linspace(0, 1, 20)])
        res = bootstrap_ci(rows, mean_stat, n_resamples=199, rng=1)
        assert np.isnan(res.ci_low[0]) and np.isnan(res.ci_high[0])
        assert res.ci_low[1] < res.estimate[1] < res.ci_high[1]

    def test_every_replicate_below_is_nan(self):
        # distinct values of 12 different numbers: a resample repeats some,
        # so every replicate is below the estimate (z0 = +inf; R stops)
        def distinct(sample):
            return np.array([np.unique(row).size for row in sample], dtype=float)

        res = bootstrap_ci(np.arange(12.0), distinct, n_resamples=99, rng=0)
        assert res.estimate == 12.0 and np.isnan([res.ci_low, res.ci_high]).all()

    def test_warns_where_R_would(self):
        # 19 resamples at 95 %: (B + 1) 0.025 = 0.5, below the first
        with pytest.warns(ExtremeOrderStatisticWarning, match="B = 19"):
            res = bootstrap_ci(self.X, mean_stat, n_resamples=19, rng=0)
        assert np.isfinite([res.ci_low, res.ci_high]).all()

    def test_invalid_jackknife(self):
        with pytest.raises(ValueError, match="^jackknife must be callable"):
            bootstrap_ci(self.X, mean_stat, jackknife=3)
        with pytest.raises(
            ValueError, match=r"^jackknife must return the 40 leave-one-out"
        ):
            bootstrap_ci(self.X, mean_stat, n_resamples=9, jackknife=lambda x: x[:2])

    def test_statistic_of_the_wrong_shape(self):
        with pytest.raises(ValueError, match="^statistic must return one value"):
            bootstrap_ci(self.X, lambda s: s.mean(), n_resamples=9)
