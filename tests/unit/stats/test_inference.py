"""Tests for ownership.stats.inference."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from ownership.stats.concentration import concentration_summary
from ownership.stats.inference import (
    bootstrap_ci,
    compare_means_to_rest,
    compare_proportions_to_rest,
    compare_subsets_to_rest,
    compare_to_rest,
    favourable_by_group,
    favourable_share,
    fdr_bh,
    nps,
    nps_by_group,
    wilson_interval,
)

# VECTORS.md effect-size samples
A = np.array([4, 5, 4, 3, 5, 4], dtype=float)
B = np.array([3, 3, 4, 2, 3], dtype=float)


def counts():
    return st.integers(0, 500).flatmap(
        lambda n: st.tuples(st.integers(0, n), st.just(n))
    )


def likert_with_groups(n_options: int = 5, max_size: int = 80):
    """Answers 1..n_options with some NaN, and group labels."""
    return st.integers(1, max_size).flatmap(
        lambda n: st.tuples(
            hnp.arrays(
                np.float64,
                n,
                elements=st.one_of(
                    st.integers(1, n_options).map(float), st.just(np.nan)
                ),
            ),
            hnp.arrays(np.int64, n, elements=st.integers(0, 6)),
        )
    )


class TestWilsonInterval:
    def test_against_R_stats(self):
        # R: prop.test(18, 25, correct = FALSE)$conf.int -> .5242339 .8571615
        low, high = wilson_interval(18, 25)
        assert_allclose([low, high], [0.5242339, 0.8571615], rtol=1e-6)

    def test_against_newcombe_1998_table(self):
        # Newcombe (1998a) Table I, method 3 (Wilson score without correction)
        low, high = wilson_interval([81, 15, 0, 1], [263, 148, 20, 29])
        assert_allclose(low, [0.2553, 0.0624, 0.0, 0.0061], atol=5e-5)
        assert_allclose(high, [0.3662, 0.1605, 0.1611, 0.1718], atol=5e-5)

    def test_against_statsmodels(self):
        prop = importlib.import_module("statsmodels.stats.proportion")
        k = np.array([0, 1, 7, 18, 50, 99, 100])
        n = np.full(7, 100)
        for conf in (0.8, 0.95, 0.99):
            low, high = wilson_interval(k, n, conf)
            ref = prop.proportion_confint(k, n, alpha=1 - conf, method="wilson")
            assert_allclose(low, ref[0], rtol=1e-12, atol=1e-15)
            assert_allclose(high, ref[1], rtol=1e-12, atol=1e-15)

    def test_exact_bounds_at_extremes(self):
        low, high = wilson_interval([0, 10], [10, 10])
        assert low[0] == 0.0 and high[1] == 1.0
        # R: prop.test(0, 10, correct = FALSE)$conf.int[2] = z^2 / (n + z^2)
        z2 = stats.norm.ppf(0.975) ** 2
        assert_allclose(high[0], z2 / (10 + z2), rtol=1e-12)

    def test_n_zero_is_nan(self):
        low, high = wilson_interval([0, 3], [0, 5])
        assert np.isnan(low[0]) and np.isnan(high[0])
        assert np.isfinite([low[1], high[1]]).all()

    def test_scalar_returns_floats_array_keeps_shape(self):
        low, high = wilson_interval(3, 10)
        assert isinstance(low, float) and isinstance(high, float)
        out = wilson_interval(np.ones((2, 3)), 10)
        assert out.low.shape == (2, 3)

    @given(counts(), st.floats(0.5, 0.999))
    @settings(max_examples=200, deadline=None)
    def test_contains_estimate_and_within_unit(self, kn, conf):
        k, n = kn
        assume(n > 0)
        low, high = wilson_interval(k, n, conf)
        assert 0 <= low <= k / n + 1e-12
        assert k / n - 1e-12 <= high <= 1

    @given(counts())
    @settings(max_examples=200, deadline=None)
    def test_symmetry(self, kn):
        k, n = kn
        assume(n > 0)
        low, high = wilson_interval(k, n)
        low2, high2 = wilson_interval(n - k, n)
        assert_allclose([low, high], [1 - high2, 1 - low2], atol=1e-12)

    @given(counts())
    @settings(max_examples=100, deadline=None)
    def test_wider_at_higher_confidence(self, kn):
        k, n = kn
        assume(n > 0)
        l90, h90 = wilson_interval(k, n, 0.90)
        l99, h99 = wilson_interval(k, n, 0.99)
        assert l99 <= l90 + 1e-15 and h99 >= h90 - 1e-15

    def test_vectorised_equals_scalar(self):
        k = np.array([[0, 3, 7], [9, 10, 1]])
        n = np.array([10, 10, 12])
        low, high = wilson_interval(k, n)
        for idx in np.ndindex(k.shape):
            ls, hs = wilson_interval(int(k[idx]), int(n[idx[1]]))
            assert_allclose([low[idx], high[idx]], [ls, hs], rtol=1e-15)

    @pytest.mark.parametrize(
        ("k", "n", "conf", "message"),
        [
            (11, 10, 0.95, "^successes exceeds n"),
            (-1, 10, 0.95, "^successes contains negative"),
            (1, -10, 0.95, "^n contains negative"),
            (np.nan, 10, 0.95, "^successes contains NaN"),
            (1, np.inf, 0.95, "^n contains infinite"),
            (1, 10, 1.0, "^confidence must lie strictly between 0 and 1"),
            (1, 10, 0.0, "^confidence must lie strictly between 0 and 1"),
            (1, 10, "high", "^confidence must be a number"),
            ([1, 2], [10, 10, 10], 0.95, "^successes and n have incompatible shapes"),
        ],
    )
    def test_invalid(self, k, n, conf, message):
        with pytest.raises(ValueError, match=message):
            wilson_interval(k, n, conf)


class TestNps:
    # VECTORS.md: 5 detractors, 7 passives, 13 promoters
    SCORES = np.r_[np.full(5, 3.0), np.full(7, 8.0), np.full(13, 10.0)]

    def test_published_example(self):
        # VECTORS.md gives the -1..1 scale: NPS .32, Wald SE .157175,
        # adjusted Wald (Rocks 2016) [-.004711, .576140]; ours is x 100
        res = nps(self.SCORES)
        assert_allclose(res.score, 32.0, rtol=1e-12)
        assert_allclose(res.se, 15.7175, rtol=1e-5)
        assert_allclose([res.ci_low, res.ci_high], [-0.4711, 57.6140], atol=5e-4)
        assert res.n == 25

    def test_categories(self):
        # 0-6 detractors, 7-8 passives, 9-10 promoters
        res = nps(np.arange(11))
        assert_allclose(res.score, 100 * (2 - 7) / 11, rtol=1e-12)

    def test_missing_ignored(self):
        res = nps(np.r_[self.SCORES, np.nan, np.nan])
        assert res == nps(self.SCORES)

    def test_no_answers(self):
        res = nps([np.nan, np.nan])
        assert res.n == 0
        assert np.isnan([res.score, res.se, res.ci_low, res.ci_high]).all()
        assert nps([]).n == 0

    def test_all_promoters(self):
        res = nps([10, 9, 10])
        assert res.score == 100.0 and res.se == 0.0
        assert res.ci_high == 100.0 and res.ci_low < 100.0

    @given(hnp.arrays(np.float64, st.integers(1, 60), elements=st.integers(0, 10)))
    @settings(max_examples=100, deadline=None)
    def test_bounds(self, scores):
        res = nps(scores)
        assert -100 <= res.ci_low <= res.ci_high <= 100
        assert -100 <= res.score <= 100 and res.se >= 0

    @pytest.mark.parametrize(
        ("bad", "message"),
        [
            ([11, 3], "^scores must hold integers from 0 to 10"),
            ([-1, 3], "^scores must hold integers from 0 to 10"),
            ([3.5], "^scores must hold integers from 0 to 10"),
            ([np.inf], "^scores contains infinite"),
            ([[1, 2]], "^scores must be 1-D"),
        ],
    )
    def test_invalid(self, bad, message):
        with pytest.raises(ValueError, match=message):
            nps(bad)


class TestNpsByGroup:
    @given(
        hnp.arrays(
            np.float64,
            30,
            elements=st.one_of(st.integers(0, 10).map(float), st.just(np.nan)),
        ),
        hnp.arrays(np.int64, 30, elements=st.integers(0, 4)),
    )
    @settings(max_examples=100, deadline=None)
    def test_equals_naive_loop(self, scores, groups):
        res = nps_by_group(scores, groups)
        labels = np.unique(groups)
        assert_array_equal(res.labels, labels)
        naive = [nps(scores[groups == g]) for g in labels]
        for field in ("score", "se", "ci_low", "ci_high", "n"):
            got = getattr(res, field)
            assert_allclose(got, [getattr(r, field) for r in naive], rtol=1e-12)

    def test_empty(self):
        res = nps_by_group([], [])
        assert res.labels.size == 0 and res.score.size == 0


class TestFavourableShare:
    def test_against_R_stats(self):
        # R: prop.test(18, 25, correct = FALSE)$conf.int -> .5242339 .8571615
        values = np.r_[np.full(9, 5.0), np.full(9, 4.0), np.full(7, 2.0), np.nan]
        res = favourable_share(values, 5)
        assert (res.successes, res.n) == (18, 25)
        assert_allclose(res.share, 0.72, rtol=1e-15)
        assert_allclose([res.low, res.high], [0.5242339, 0.8571615], rtol=1e-6)

    def test_top_box_choice(self):
        values = [1, 2, 3, 4, 5, 6, 7]
        assert favourable_share(values, 7).successes == 2
        assert favourable_share(values, 7, top=3).successes == 3
        assert favourable_share(values, 7, top=1).successes == 1

    def test_all_missing(self):
        res = favourable_share([np.nan, np.nan], 5)
        assert res.n == 0 and np.isnan([res.share, res.low, res.high]).all()

    def test_single_answer(self):
        res = favourable_share([5], 5)
        assert res.share == 1.0 and res.high == 1.0 and res.low > 0

    @pytest.mark.parametrize(
        ("values", "n_options", "top", "message"),
        [
            ([6], 5, 2, "^values must hold integers from 1 to n_options=5"),
            ([0], 5, 2, "^values must hold integers from 1 to n_options=5"),
            ([2.5], 5, 2, "^values must hold integers"),
            ([np.inf], 5, 2, "^values contains infinite"),
            ([1], 1, 2, "^n_options must be at least 2"),
            ([1], 5.0, 2, "^n_options must be an integer"),
            ([1], 5, 5, "^top must lie in 1..n_options-1=4"),
            ([1], 5, 0, "^top must lie in 1..n_options-1=4"),
        ],
    )
    def test_invalid(self, values, n_options, top, message):
        with pytest.raises(ValueError, match=message):
            favourable_share(values, n_options, top=top)


class TestFavourableByGroup:
    @given(likert_with_groups())
    @settings(max_examples=150, deadline=None)
    def test_equals_naive_loop(self, data):
        values, groups = data
        res = favourable_by_group(values, groups, 5)
        labels = np.unique(groups)
        assert_array_equal(res.labels, labels)
        naive = [favourable_share(values[groups == g], 5) for g in labels]
        assert_array_equal(res.n, [r.n for r in naive])
        assert_array_equal(res.successes, [r.successes for r in naive])
        for field in ("share", "low", "high"):
            ref = [getattr(r, field) for r in naive]
            assert_allclose(getattr(res, field), ref, rtol=1e-15, equal_nan=True)

    @given(likert_with_groups(), st.randoms(use_true_random=False))
    @settings(max_examples=50, deadline=None)
    def test_relabelling_invariance(self, data, rnd):
        values, groups = data
        res = favourable_by_group(values, groups, 5)
        perm = list(range(values.size))
        rnd.shuffle(perm)
        renamed = np.array([f"team {g}" for g in groups])[perm]
        other = favourable_by_group(values[perm], renamed, 5)
        assert_array_equal(other.n, res.n)
        assert_allclose(other.low, res.low, rtol=1e-15, equal_nan=True)

    def test_group_of_one_and_all_missing_group(self):
        res = favourable_by_group([5, np.nan, np.nan, 1], ["a", "b", "b", "c"], 5)
        assert res.labels.tolist() == ["a", "b", "c"]
        assert res.n.tolist() == [1, 0, 1]
        assert_allclose(res.share, [1.0, np.nan, 0.0], equal_nan=True)
        assert np.isnan([res.low[1], res.high[1]]).all()

    def test_empty_group_list(self):
        res = favourable_by_group(np.array([]), np.array([], dtype=int), 5)
        assert res.labels.size == res.n.size == res.share.size == 0

    def test_thousand_groups(self):
        rng = np.random.default_rng(0)
        values = rng.integers(1, 6, 50_000).astype(float)
        groups = rng.integers(0, 1000, 50_000)
        res = favourable_by_group(values, groups, 5)
        assert res.labels.size == 1000
        assert res.n.sum() == 50_000

    @pytest.mark.parametrize(
        ("values", "groups", "message"),
        [
            ([1, 2], [0], "^groups has 1 labels for 2 respondents"),
            ([1, 2], [[0, 1]], "^groups must be 1-D"),
            ([1, 9], [0, 1], "^values must hold integers"),
            ([[1, 2]], [0], "^values must be 1-D"),
        ],
    )
    def test_invalid(self, values, groups, message):
        with pytest.raises(ValueError, match=message):
            favourable_by_group(values, groups, 5)


class TestCompareToRest:
    def test_against_scipy_welch(self):
        # scipy.stats.ttest_ind(A, B, equal_var=False), the same as R
        # t.test(A, B): t 2.645751, df 8.825648, p 0.02709646
        res = compare_to_rest(A, B)
        ref = stats.ttest_ind(A, B, equal_var=False)
        assert_allclose(res.statistic, ref.statistic, rtol=1e-12)
        assert_allclose(res.df, ref.df, rtol=1e-12)
        assert_allclose(res.pvalue, ref.pvalue, rtol=1e-10)
        ci = ref.confidence_interval(0.95)
        assert_allclose([res.ci_low, res.ci_high], [ci.low, ci.high], rtol=1e-10)
        assert_allclose(
            [res.statistic, res.df, res.pvalue],
            [2.645751, 8.825648, 0.02709646],
            rtol=1e-6,
        )

    def test_org_difference_algebra(self):
        res = compare_to_rest(A, B)
        org = np.concatenate([A, B]).mean()
        assert_allclose(res.org_difference, A.mean() - org, rtol=1e-12)
        w = 1 - 6 / 11
        assert_allclose(res.org_se, w * res.se, rtol=1e-15)
        assert_allclose(
            [res.org_ci_low, res.org_ci_high],
            [w * res.ci_low, w * res.ci_high],
            rtol=1e-15,
        )

    def test_missing_ignored(self):
        res = compare_to_rest(np.r_[A, np.nan], np.r_[np.nan, B])
        assert res.n == 6 and res.rest_n == 5
        assert_allclose(res.statistic, compare_to_rest(A, B).statistic, rtol=1e-15)

    def test_group_of_one_is_nan(self):
        res = compare_to_rest([4.0], B)
        assert res.n == 1 and res.estimate == 4.0
        assert np.isnan([res.statistic, res.pvalue, res.ci_low]).all()

    def test_zero_variance_both_sides(self):
        res = compare_to_rest([3, 3, 3], [4, 4])
        assert res.difference == -1.0
        assert np.isnan(res.pvalue)

    def test_invalid(self):
        with pytest.raises(ValueError, match="^group_values contains infinite"):
            compare_to_rest([1, np.inf], B)
        with pytest.raises(ValueError, match="^rest_values must be 1-D"):
            compare_to_rest(A, [[1, 2]])
        with pytest.raises(ValueError, match="^confidence must"):
            compare_to_rest(A, B, confidence=95)


class TestCompareMeansToRest:
    def test_equals_raw_version(self):
        res = compare_means_to_rest(
            6, A.mean(), A.var(ddof=1), 5, B.mean(), B.var(ddof=1)
        )
        raw = compare_to_rest(A, B)
        for field in (
            "statistic",
            "df",
            "pvalue",
            "ci_low",
            "org_difference",
            "org_se",
        ):
            assert_allclose(getattr(res, field), getattr(raw, field), rtol=1e-12)

    def test_vectorised(self):
        rng = np.random.default_rng(0)
        n = rng.integers(2, 50, 20)
        m, v = rng.normal(size=20), rng.uniform(0.1, 2, 20)
        res = compare_means_to_rest(n, m, v, 200, 0.0, 1.0)
        assert res.statistic.shape == (20,)
        one = compare_means_to_rest(n[7], m[7], v[7], 200, 0.0, 1.0)
        assert_allclose(res.pvalue[7], one.pvalue, rtol=1e-15)

    def test_invalid(self):
        with pytest.raises(ValueError, match="^var contains negative"):
            compare_means_to_rest(5, 1.0, -1.0, 5, 1.0, 1.0)
        with pytest.raises(ValueError, match="^rest_n must hold non-negative"):
            compare_means_to_rest(5, 1.0, 1.0, -5, 1.0, 1.0)
        with pytest.raises(ValueError, match="^mean contains infinite"):
            compare_means_to_rest(5, np.inf, 1.0, 5, 1.0, 1.0)


class TestCompareProportionsToRest:
    # Newcombe (1998b) Table II, method 10 (hybrid score, no correction)
    CASES = [
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
        ((6, 7, 2, 7), (0.0582, 0.8062)),
        ((5, 56, 0, 29), (-0.0381, 0.1926)),
        ((0, 10, 0, 20), (-0.1611, 0.2775)),
        ((0, 10, 0, 10), (-0.2775, 0.2775)),
        ((10, 10, 0, 20), (0.6791, 1.0000)),
        ((10, 10, 0, 10), (0.6075, 1.0000)),
    ]

    @pytest.mark.parametrize(("counts", "expected"), CASES)
    def test_against_newcombe_1998(self, counts, expected):
        res = compare_proportions_to_rest(*counts)
        assert_allclose([res.ci_low, res.ci_high], expected, atol=5e-5)

    def test_against_statsmodels(self):
        prop = importlib.import_module("statsmodels.stats.proportion")
        k1, n1, k2, n2 = np.array([c for c, _ in self.CASES]).T
        res = compare_proportions_to_rest(k1, n1, k2, n2)
        for i in range(len(k1)):
            ref = prop.confint_proportions_2indep(
                k1[i], n1[i], k2[i], n2[i], method="newcomb", compare="diff"
            )
            assert_allclose([res.ci_low[i], res.ci_high[i]], ref, rtol=1e-10)

    def test_pvalue_against_R_prop_test(self):
        # R: prop.test(c(56, 48), c(70, 80), correct = FALSE)$p.value; the same
        # chi-square as scipy.stats.chi2_contingency(correction=False)
        res = compare_proportions_to_rest(56, 70, 48, 80)
        table = np.array([[56, 14], [48, 32]])
        ref = stats.chi2_contingency(table, correction=False)
        assert_allclose(res.pvalue, ref.pvalue, rtol=1e-10)
        assert_allclose(res.statistic**2, ref.statistic, rtol=1e-10)
        assert np.isinf(res.df)

    def test_org_scaling(self):
        res = compare_proportions_to_rest(56, 70, 48, 80)
        assert_allclose(res.org_difference, 56 / 70 - 104 / 150, rtol=1e-12)
        assert_allclose(res.org_ci_low, res.ci_low * 80 / 150, rtol=1e-15)

    def test_no_answers_is_nan(self):
        res = compare_proportions_to_rest(0, 0, 5, 10)
        assert np.isnan([res.estimate, res.ci_low, res.pvalue]).all()

    @given(counts(), counts())
    @settings(max_examples=150, deadline=None)
    def test_interval_contains_difference_and_in_bounds(self, c1, c2):
        (k1, n1), (k2, n2) = c1, c2
        assume(n1 > 0 and n2 > 0)
        res = compare_proportions_to_rest(k1, n1, k2, n2)
        assert -1 - 1e-12 <= res.ci_low <= res.difference + 1e-12
        assert res.difference - 1e-12 <= res.ci_high <= 1 + 1e-12

    def test_invalid(self):
        with pytest.raises(ValueError, match="^rest_successes exceeds rest_n"):
            compare_proportions_to_rest(1, 5, 6, 5)
        with pytest.raises(ValueError, match="^successes contains NaN"):
            compare_proportions_to_rest(np.nan, 5, 1, 5)


def _subsets_of(values, groups):
    """Every group's n, mean and variance, and the organisation's: what
    :func:`compare_subsets_to_rest` takes (NaN answers left out)."""
    ok = ~np.isnan(values)
    labels = np.unique(groups)
    parts = [values[(groups == g) & ok] for g in labels]
    org = values[ok]
    res = compare_subsets_to_rest(
        [p.size for p in parts],
        [p.mean() if p.size else np.nan for p in parts],
        [p.var(ddof=1) if p.size > 1 else np.nan for p in parts],
        org.size,
        org.mean() if org.size else np.nan,
        org.var(ddof=1) if org.size > 1 else np.nan,
    )
    return labels, res


class TestCompareSubsetsToRestByGroup:
    """Departments that do not overlap: each against the others, from summaries."""

    @given(
        hnp.arrays(
            np.float64,
            st.integers(2, 60),
            elements=st.one_of(st.integers(1, 5).map(float), st.just(np.nan)),
        ).flatmap(
            lambda v: st.tuples(
                st.just(v), hnp.arrays(np.int64, v.size, elements=st.integers(0, 4))
            )
        )
    )
    @settings(max_examples=100, deadline=None)
    def test_equals_naive_loop(self, data):
        values, groups = data
        assume((~np.isnan(values)).sum() >= 1)
        labels, res = _subsets_of(values, groups)
        for i, g in enumerate(labels):
            ref = compare_to_rest(values[groups == g], values[groups != g])
            for field in ("estimate", "rest", "se", "statistic", "df", "pvalue"):
                assert_allclose(
                    getattr(res, field)[i],
                    getattr(ref, field),
                    rtol=1e-7,
                    atol=1e-9,
                    equal_nan=True,
                    err_msg=field,
                )
            assert res.n[i] == ref.n and res.rest_n[i] == ref.rest_n

    @pytest.mark.parametrize(
        ("values", "groups"),
        [
            ([3, 3, 3, 4, 4], [0, 0, 0, 1, 1]),
            ([4] * 7 + [2] * 5, [0] * 7 + [1] * 5),
            ([0.1, 0.1, 0.1, 0.7, 0.7, 0.7], [0, 0, 0, 1, 1, 1]),
            ([5, 5, 5, 1, 2, 3, 2, 2], [0, 0, 0, 1, 1, 2, 2, 2]),
        ],
    )
    def test_zero_variance_groups_match_naive(self, values, groups):
        values, groups = np.asarray(values, float), np.asarray(groups)
        labels, res = _subsets_of(values, groups)
        for i, g in enumerate(labels):
            ref = compare_to_rest(values[groups == g], values[groups != g])
            assert_allclose(res.se[i], ref.se, rtol=1e-9, atol=1e-12)
            assert_allclose(res.pvalue[i], ref.pvalue, rtol=1e-9, equal_nan=True)

    def test_the_whole_organisation_has_no_rest(self):
        _labels, res = _subsets_of(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 0]))
        assert res.rest_n.tolist() == [0]
        assert np.isnan(res.rest[0]) and np.isnan(res.pvalue[0])


class TestFdrBh:
    P = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216])

    def test_against_R_stats(self):
        # R: p.adjust(c(.001, .008, .039, .041, .042, .06, .074, .205, .212, .216),
        #             "BH")
        expected = [
            0.01,
            0.04,
            0.084,
            0.084,
            0.084,
            0.1,
            0.1057143,
            0.216,
            0.216,
            0.216,
        ]
        assert_allclose(fdr_bh(self.P), expected, rtol=1e-6)

    def test_against_statsmodels(self):
        mt = importlib.import_module("statsmodels.stats.multitest")
        p = np.random.default_rng(0).uniform(size=200) ** 3
        assert_allclose(fdr_bh(p), mt.multipletests(p, method="fdr_bh")[1], rtol=1e-12)

    def test_nan_not_counted(self):
        # R: p.adjust(c(NA, .01, .04, NA, .03), "BH") -> NA .03 .04 NA .04
        got = fdr_bh([np.nan, 0.01, 0.04, np.nan, 0.03])
        assert_allclose(got, [np.nan, 0.03, 0.04, np.nan, 0.04], equal_nan=True)

    def test_shape_kept(self):
        p = self.P.reshape(2, 5)
        assert_allclose(fdr_bh(p), fdr_bh(self.P).reshape(2, 5), rtol=1e-15)

    def test_empty_and_all_nan(self):
        assert fdr_bh([]).shape == (0,)
        assert np.isnan(fdr_bh([np.nan, np.nan])).all()

    @given(
        hnp.arrays(np.float64, st.integers(1, 50), elements=st.floats(0, 1)),
        st.randoms(use_true_random=False),
    )
    @settings(max_examples=150, deadline=None)
    def test_properties(self, p, rnd):
        adj = fdr_bh(p)
        assert (adj >= p - 1e-15).all() and (adj <= 1).all()
        order = np.argsort(p, kind="stable")
        assert (np.diff(adj[order]) >= -1e-15).all()
        perm = list(range(p.size))
        rnd.shuffle(perm)
        assert_allclose(fdr_bh(p[perm]), adj[perm], rtol=1e-15)

    @pytest.mark.parametrize(
        ("bad", "message"),
        [
            ([0.5, 1.5], r"^pvalues must lie in \[0, 1\]"),
            ([-0.1], r"^pvalues must lie in \[0, 1\]"),
            ([np.inf], "^pvalues contains infinite"),
        ],
    )
    def test_invalid(self, bad, message):
        with pytest.raises(ValueError, match=message):
            fdr_bh(bad)


def mean_stat(sample):
    return sample.mean(axis=1)


def hhi_of_mean_composition(sample):
    shares = sample / sample.sum(axis=-1, keepdims=True)
    return (shares.mean(axis=1) ** 2).sum(axis=-1)


class TestBootstrapCi:
    X = np.random.default_rng(1).normal(3.5, 1.0, 40)

    def test_rows_resampled_whole(self):
        rng = np.random.default_rng(3)
        rows = rng.multinomial(100, [0.5, 0.3, 0.2], size=30).astype(float)
        res = bootstrap_ci(rows, hhi_of_mean_composition, n_resamples=999, rng=4)
        assert_allclose(
            res.estimate, concentration_summary(rows).hhi_of_mean_plugin, rtol=1e-12
        )
        assert res.ci_low < res.estimate < res.ci_high

        def checks_rows(sample):
            # every resampled row is one of the original rows
            flat = sample.reshape(-1, 3)
            assert (flat.sum(axis=1) == 100).all()
            return hhi_of_mean_composition(sample)

        bootstrap_ci(rows, checks_rows, n_resamples=50, rng=0)

    def test_vector_valued_statistic(self):
        res = bootstrap_ci(
            self.X,
            lambda s: np.stack([s.mean(axis=1), s.std(axis=1)], axis=1),
            n_resamples=300,
            method="percentile",
            rng=0,
        )
        assert res.ci_low.shape == (2,)

    def test_hierarchical_variance_matches_two_stage_theory(self):
        # balanced groups: Var*(mean) = (var of group means + mean within var / m)
        # / G, with population (ddof = 0) variances
        rng = np.random.default_rng(3)
        g, m = 8, 15
        y = (rng.normal(0, 1, g)[:, None] + rng.normal(0, 0.5, (g, m))).ravel()
        groups = np.repeat(np.arange(g), m)
        res = bootstrap_ci(
            y, mean_stat, groups=groups, hierarchical=True, n_resamples=20_000, rng=1
        )
        cells = y.reshape(g, m)
        theory = (cells.mean(axis=1).var() + cells.var(axis=1).mean() / m) / g
        assert_allclose(res.standard_error**2, theory, rtol=0.05)
        assert res.method == "percentile"

    def test_hierarchical_wider_when_departments_differ(self):
        rng = np.random.default_rng(4)
        y = (rng.normal(0, 1, 10)[:, None] + rng.normal(0, 0.3, (10, 20))).ravel()
        groups = np.repeat(np.arange(10), 20)
        flat = bootstrap_ci(y, mean_stat, n_resamples=999, rng=0)
        hier = bootstrap_ci(
            y, mean_stat, groups=groups, hierarchical=True, n_resamples=999, rng=0
        )
        assert hier.ci_high - hier.ci_low > 2 * (flat.ci_high - flat.ci_low)

    def test_hierarchical_unbalanced_and_reproducible(self):
        rng = np.random.default_rng(5)
        rows = rng.multinomial(100, [0.6, 0.3, 0.1], size=50).astype(float)
        groups = rng.choice(["a", "b", "c", "d"], size=50, p=[0.5, 0.3, 0.15, 0.05])
        kwargs = {"groups": groups, "hierarchical": True, "n_resamples": 400}
        r1 = bootstrap_ci(rows, hhi_of_mean_composition, rng=7, **kwargs)
        r2 = bootstrap_ci(rows, hhi_of_mean_composition, rng=7, **kwargs)
        assert r1 == r2
        assert r1.ci_low <= r1.estimate <= r1.ci_high

    def test_hierarchical_resample_sizes_follow_departments(self):
        sizes_seen = set()
        groups = np.repeat([0, 1], [2, 5])

        def stat(sample):
            sizes_seen.add(sample.shape[1])
            return sample.mean(axis=1)

        bootstrap_ci(
            np.arange(7.0),
            stat,
            groups=groups,
            hierarchical=True,
            n_resamples=200,
            rng=0,
        )
        # two departments of 2 and 5: totals 4, 7 or 10 (plus the full data)
        assert sizes_seen == {4, 7, 10}

    def test_group_of_one_department(self):
        res = bootstrap_ci(
            self.X,
            mean_stat,
            groups=np.zeros(40),
            hierarchical=True,
            n_resamples=200,
            rng=0,
        )
        assert res.ci_low < res.ci_high

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"hierarchical": True}, "^groups is required when hierarchical=True"),
            ({"groups": np.zeros(40)}, "^groups is only used with hierarchical=True"),
            ({"n_resamples": 0}, "^n_resamples must be a positive integer"),
            (
                {"method": "studentized"},
                "^method must be 'BCa', 'percentile' or 'basic'",
            ),
            ({"confidence": 1.5}, "^confidence must lie strictly between"),
            (
                {"hierarchical": True, "groups": np.zeros(3)},
                "^groups has 3 labels for 40 respondents",
            ),
        ],
    )
    def test_invalid_options(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            bootstrap_ci(self.X, mean_stat, **kwargs)

    def test_invalid_data(self):
        with pytest.raises(ValueError, match="^data contains infinite"):
            bootstrap_ci([1.0, np.inf, 2.0], mean_stat)
        with pytest.raises(ValueError, match="^data must have at least 2 respondents"):
            bootstrap_ci([1.0], mean_stat)
        with pytest.raises(ValueError, match="^statistic must be callable"):
            bootstrap_ci(self.X, "mean")


class TestCompareSubsetsToRest:
    def test_equals_the_raw_data_comparison_for_nested_subsets(self):
        rng = np.random.default_rng(7)
        org = rng.integers(1, 6, size=60).astype(float)
        # Nested subsets, like a department and its parent's subtree.
        small, large = org[:12], org[:35]
        res = compare_subsets_to_rest(
            [12, 35],
            [small.mean(), large.mean()],
            [small.var(ddof=1), large.var(ddof=1)],
            60,
            org.mean(),
            org.var(ddof=1),
        )
        for i, (part, rest) in enumerate(((small, org[12:]), (large, org[35:]))):
            direct = compare_to_rest(part, rest)
            assert_allclose(res.pvalue[i], direct.pvalue, rtol=1e-10)
            assert_allclose(res.org_difference[i], direct.org_difference, rtol=1e-10)
            assert_allclose(res.rest[i], rest.mean(), rtol=1e-12)

    def test_validation(self):
        with pytest.raises(ValueError, match="same length"):
            compare_subsets_to_rest([3, 4], [1.0], [1.0, 1.0], 10, 1.0, 1.0)
        with pytest.raises(ValueError, match="between 0 and org_n"):
            compare_subsets_to_rest([11], [1.0], [1.0], 10, 1.0, 1.0)
