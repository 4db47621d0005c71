"""Tests for ownership.stats.concentration."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from ownership.stats.concentration import (
    concentration_by_group,
    concentration_summary,
    effective_number,
    evenness,
    gini,
    hhi,
    hhi_normalized,
    lorenz,
    theil,
)

# VECTORS.md, "Concentration of one allocation"
X = np.array([50, 20, 10, 10, 10, 0], dtype=float)
# VECTORS.md, six respondents
SIX = np.array(
    [
        [60, 20, 10, 10, 0, 0],
        [40, 30, 10, 10, 10, 0],
        [80, 10, 10, 0, 0, 0],
        [50, 25, 5, 10, 5, 5],
        [30, 30, 20, 10, 5, 5],
        [70, 10, 10, 5, 5, 0],
    ],
    dtype=float,
)

MEASURES = [gini, hhi, hhi_normalized, effective_number, evenness, theil]


def allocation_rows(min_k: int = 2, max_k: int = 8, max_rows: int = 6):
    """Integer 100-point style allocations with a positive sum per row."""
    return st.integers(min_k, max_k).flatmap(
        lambda k: hnp.arrays(
            np.float64,
            st.tuples(st.integers(1, max_rows), st.just(k)),
            elements=st.integers(0, 100).map(float),
        ).filter(lambda a: (a.sum(axis=1) > 0).all())
    )


def allocation(min_k: int = 2, max_k: int = 8):
    return allocation_rows(min_k, max_k, 1).map(lambda a: a[0])


@pytest.mark.parametrize("func", MEASURES)
class TestCommonValidation:
    """Edge cases shared by every single-allocation measure."""

    def test_nan_names_argument(self, func):
        with pytest.raises(ValueError, match="^x contains NaN"):
            func([50, np.nan, 50])

    def test_inf_names_argument(self, func):
        with pytest.raises(ValueError, match="^x contains infinite"):
            func([50, np.inf, 50])

    def test_negative_points(self, func):
        with pytest.raises(ValueError, match="^x contains negative"):
            func([60, -10, 50])

    def test_zero_sum_row(self, func):
        with pytest.raises(ValueError, match=r"^x has allocations that sum to zero"):
            func([0, 0, 0])
        with pytest.raises(ValueError, match=r"rows \[1\]"):
            func([[50, 50, 0], [0, 0, 0]])

    def test_no_loci(self, func):
        with pytest.raises(ValueError, match="^x must offer at least one locus"):
            func(np.empty(0))

    def test_three_dimensional(self, func):
        with pytest.raises(ValueError, match="^x must be 1-D or 2-D"):
            func(np.ones((2, 2, 2)))

    def test_non_numeric(self, func):
        with pytest.raises(ValueError, match="^x must be numeric"):
            func(["a", "b"])

    def test_float_for_1d_array_for_2d(self, func):
        assert isinstance(func(X), float)
        out = func(SIX)
        assert isinstance(out, np.ndarray)
        assert out.shape == (6,)

    @given(allocation_rows())
    @settings(max_examples=50, deadline=None)
    def test_rowwise_equals_1d(self, func, rows):
        expected = [func(r) for r in rows]
        assert_allclose(func(rows), expected, rtol=1e-12, equal_nan=True)

    @given(allocation(), st.floats(0.01, 1000))
    @settings(max_examples=50, deadline=None)
    def test_scaling_invariance(self, func, x, c):
        assert_allclose(func(x * c), func(x), rtol=1e-10, atol=1e-12)

    @given(allocation(), st.randoms(use_true_random=False))
    @settings(max_examples=50, deadline=None)
    def test_locus_permutation_invariance(self, func, x, rnd):
        perm = list(range(x.size))
        rnd.shuffle(perm)
        assert_allclose(func(x[perm]), func(x), rtol=1e-12, atol=1e-14)

    def test_all_points_on_one_locus(self, func):
        k = 6
        expected = {
            gini: (k - 1) / k,
            hhi: 1.0,
            hhi_normalized: 1.0,
            effective_number: 1.0,
            evenness: 0.0,
            theil: np.log(k),
        }[func]
        assert_allclose(func([0, 0, 100, 0, 0, 0]), expected, rtol=1e-12, atol=1e-15)


class TestGini:
    def test_against_R_ineq(self):
        # R: ineq::Gini(c(50, 20, 10, 10, 10, 0))   (corr = FALSE)
        assert_allclose(gini(X), 0.4666667, rtol=1e-6)

    @given(allocation())
    @settings(max_examples=100, deadline=None)
    def test_equals_double_sum_definition(self, x):
        k = x.size
        naive = np.abs(x[:, None] - x[None, :]).sum() / (2 * k**2 * x.mean())
        assert_allclose(gini(x), naive, rtol=1e-12, atol=1e-15)

    @given(allocation(min_k=1))
    @settings(max_examples=100, deadline=None)
    def test_bounds(self, x):
        g = gini(x)
        assert -1e-15 <= g <= (x.size - 1) / x.size + 1e-12
        assert g < 1

    def test_even_split_is_zero(self):
        assert gini([25, 25, 25, 25]) == 0.0


class TestHhi:
    def test_against_R_vegan(self):
        # R: 1 - vegan::diversity(c(50, 20, 10, 10, 10, 0), "simpson")
        assert_allclose(hhi(X), 0.32, rtol=1e-12)

    def test_against_skbio(self):
        alpha = importlib.import_module("skbio.diversity.alpha")
        # skbio.diversity.alpha.dominance(x) = sum of squared proportions
        assert_allclose(hhi(X), alpha.dominance(X.astype(int)), rtol=1e-12)

    def test_per_person_values(self):
        # VECTORS.md: per-person HHI .42 .28 .66 .33 .235 .515
        assert_allclose(hhi(SIX), [0.42, 0.28, 0.66, 0.33, 0.235, 0.515], rtol=1e-12)

    @given(allocation(min_k=1))
    @settings(max_examples=100, deadline=None)
    def test_bounds(self, x):
        h = hhi(x)
        assert 1 / x.size - 1e-12 <= h <= 1 + 1e-12


class TestHhiNormalized:
    def test_published_value(self):
        # VECTORS.md: (0.32 - 1/6) / (1 - 1/6)
        assert_allclose(hhi_normalized(X), 0.184, rtol=1e-12)

    def test_single_locus_is_nan(self):
        assert np.isnan(hhi_normalized([100]))
        assert np.isnan(hhi_normalized([[100], [3]])).all()

    @given(allocation())
    @settings(max_examples=100, deadline=None)
    def test_bounds(self, x):
        assert -1e-12 <= hhi_normalized(x) <= 1 + 1e-12


class TestEffectiveNumber:
    def test_against_R_vegan(self):
        # R: vegan::diversity(c(50, 20, 10, 10, 10, 0), "invsimpson")
        assert_allclose(effective_number(X), 3.125, rtol=1e-12)

    @given(allocation(min_k=1))
    @settings(max_examples=100, deadline=None)
    def test_bounds(self, x):
        assert 1 - 1e-12 <= effective_number(x) <= x.size + 1e-9


class TestEvenness:
    def test_against_R_vegan(self):
        # R: x <- c(50, 20, 10, 10, 10, 0)
        #    vegan::diversity(x) -> 1.3592367; / log(length(x)) -> .7586044
        assert_allclose(evenness(X), 0.7586044, rtol=1e-6)
        assert_allclose(evenness(X) * np.log(6), 1.3592367, rtol=1e-7)

    def test_against_skbio_without_zeros(self):
        alpha = importlib.import_module("skbio.diversity.alpha")
        # skbio's pielou_e divides by ln(number of *observed* loci); ours by ln K
        # offered, so they agree only when every locus got points
        x = np.array([50, 20, 10, 10, 10])
        assert_allclose(evenness(x), alpha.pielou_e(x), rtol=1e-12)

    def test_single_locus_is_nan(self):
        assert np.isnan(evenness([7]))

    @given(allocation())
    @settings(max_examples=100, deadline=None)
    def test_bounds(self, x):
        assert -1e-12 <= evenness(x) <= 1 + 1e-12


class TestTheil:
    def test_published_value(self):
        # VECTORS.md; R: log(6) - vegan::diversity(c(50, 20, 10, 10, 10, 0))
        assert_allclose(theil(X), 0.4325228, rtol=1e-6)

    @given(allocation())
    @settings(max_examples=100, deadline=None)
    def test_equals_mean_log_ratio_form(self, x):
        p = x / x.sum()
        nz = p > 0
        direct = np.sum(p[nz] * np.log(x.size * p[nz]))
        assert_allclose(theil(x), direct, rtol=1e-10, atol=1e-12)

    @given(allocation())
    @settings(max_examples=100, deadline=None)
    def test_bounds(self, x):
        assert -1e-12 <= theil(x) <= np.log(x.size) + 1e-12


class TestLorenz:
    def test_published_example(self):
        curve = lorenz(X)
        assert_allclose(curve.population, np.arange(7) / 6, rtol=1e-15)
        assert_allclose(curve.share, [0, 0, 0.1, 0.2, 0.3, 0.5, 1.0], atol=1e-15)

    @given(allocation_rows(min_k=1))
    @settings(max_examples=100, deadline=None)
    def test_gini_is_twice_area_to_diagonal(self, rows):
        curve = lorenz(rows)
        k = rows.shape[1]
        area = (curve.share[:, 1:] + curve.share[:, :-1]).sum(axis=1) / (2 * k)
        assert_allclose(gini(rows), 1 - 2 * area, rtol=1e-10, atol=1e-12)

    @given(allocation_rows(min_k=1))
    @settings(max_examples=50, deadline=None)
    def test_monotone_convex_from_0_to_1(self, rows):
        share = lorenz(rows).share
        assert (share[:, 0] == 0).all() and (share[:, -1] == 1).all()
        steps = np.diff(share, axis=1)
        assert (steps >= -1e-15).all()
        assert (np.diff(steps, axis=1) >= -1e-12).all()

    def test_shapes(self):
        curve = lorenz(SIX)
        assert curve.population.shape == (7,)
        assert curve.share.shape == (6, 7)

    def test_invalid(self):
        with pytest.raises(ValueError, match="^x contains NaN"):
            lorenz([np.nan, 1])


class TestConcentrationSummary:
    def test_published_example(self):
        # VECTORS.md: mean per-person HHI .4066667, HHI of the mean composition
        # .3652778 (the plug-in); bias-corrected (6 * .3652778 - .4066667) / 5
        s = concentration_summary(SIX)
        assert_allclose(s.mean_hhi, 0.4066667, rtol=1e-6)
        assert_allclose(s.hhi_of_mean_plugin, 0.3652778, rtol=1e-6)
        assert_allclose(s.hhi_of_mean, 0.357, rtol=1e-6)
        assert_allclose(s.mean_shares, SIX.sum(axis=0) / 600, rtol=1e-12)
        assert s.top_locus == 0
        assert_allclose(s.top_share, 0.55, rtol=1e-12)
        assert s.n == 6
        assert_allclose(s.disagreement, 0.4066667 - 0.357, rtol=1e-5)

    def test_frozen(self):
        s = concentration_summary(SIX)
        with pytest.raises(AttributeError):
            s.n = 3  # type: ignore[misc]

    def test_group_of_one(self):
        s = concentration_summary([[50, 20, 10, 10, 10, 0]])
        assert s.n == 1
        assert_allclose(s.mean_hhi, 0.32, rtol=1e-12)
        assert_allclose(s.hhi_of_mean_plugin, 0.32, rtol=1e-12)
        # the bias correction needs two respondents
        assert np.isnan(s.hhi_of_mean) and np.isnan(s.disagreement)
        # a 1-D allocation is read as one respondent
        one = concentration_summary(X)
        assert one.n == 1
        assert_allclose(one.mean_shares, s.mean_shares, rtol=1e-15)

    def test_all_points_on_one_locus(self):
        s = concentration_summary([[0, 100, 0], [0, 100, 0]])
        assert s.mean_hhi == 1.0 and s.hhi_of_mean == 1.0
        assert s.top_locus == 1 and s.top_share == 1.0

    def test_total_disagreement(self):
        # each respondent names one owner, all different: mean HHI 1, HHI of the
        # mean 1/K
        s = concentration_summary(np.eye(4) * 100)
        assert_allclose([s.mean_hhi, s.hhi_of_mean], [1.0, 0.25], rtol=1e-12)

    def test_ties_take_first_locus(self):
        assert concentration_summary([[40, 40, 20]]).top_locus == 0

    def test_no_rows(self):
        with pytest.raises(ValueError, match="^allocations has no rows"):
            concentration_summary(np.empty((0, 4)))

    @pytest.mark.parametrize(
        ("bad", "message"),
        [
            ([[50, np.nan, 50]], "^allocations contains NaN"),
            ([[50, np.inf, 50]], "^allocations contains infinite"),
            ([[60, -10, 50]], "^allocations contains negative"),
            ([[0, 0, 0], [1, 2, 3]], r"^allocations has allocations that sum to zero"),
        ],
    )
    def test_invalid(self, bad, message):
        with pytest.raises(ValueError, match=message):
            concentration_summary(bad)

    @given(allocation_rows())
    @settings(max_examples=100, deadline=None)
    def test_jensen_and_bounds(self, rows):
        s = concentration_summary(rows)
        k = rows.shape[1]
        assert s.mean_hhi >= s.hhi_of_mean_plugin - 1e-12
        assert 1 / k - 1e-12 <= s.hhi_of_mean_plugin <= 1 + 1e-12
        assert_allclose(s.mean_shares.sum(), 1.0, rtol=1e-12)
        assert s.top_share == s.mean_shares.max()
        # the plug-in's gap is the summed between-respondent variance of the
        # shares; the bias correction takes the unbiased variance over n off
        p = rows / rows.sum(axis=1, keepdims=True)
        plugin_gap = s.mean_hhi - s.hhi_of_mean_plugin
        assert_allclose(plugin_gap, p.var(axis=0).sum(), rtol=1e-9, atol=1e-12)
        n = rows.shape[0]
        if n == 1:
            assert np.isnan(s.hhi_of_mean)
        else:
            corrected = s.hhi_of_mean_plugin - p.var(axis=0, ddof=1).sum() / n
            assert_allclose(
                s.hhi_of_mean, np.clip(corrected, 1 / k, 1), rtol=1e-9, atol=1e-12
            )
            assert s.disagreement >= -1e-12

    @given(allocation_rows(), st.randoms(use_true_random=False))
    @settings(max_examples=50, deadline=None)
    def test_row_order_invariance(self, rows, rnd):
        perm = list(range(rows.shape[0]))
        rnd.shuffle(perm)
        a, b = concentration_summary(rows), concentration_summary(rows[perm])
        assert_allclose(
            [a.mean_hhi, a.hhi_of_mean], [b.mean_hhi, b.hhi_of_mean], rtol=1e-12
        )


def naive_by_group(rows, groups):
    labels = np.unique(groups)
    out = [concentration_summary(rows[groups == g]) for g in labels]
    return labels, out


class TestConcentrationByGroup:
    def test_published_example_one_group(self):
        res = concentration_by_group(SIX, np.zeros(6, dtype=int))
        assert_allclose(res.mean_hhi, [0.4066667], rtol=1e-6)
        assert_allclose(res.hhi_of_mean_plugin, [0.3652778], rtol=1e-6)
        assert_allclose(res.hhi_of_mean, [0.357], rtol=1e-6)

    @given(
        allocation_rows(max_rows=40),
        st.integers(1, 6),
        st.randoms(use_true_random=False),
    )
    @settings(max_examples=100, deadline=None)
    def test_equals_naive_loop(self, rows, n_groups, rnd):
        groups = np.array([rnd.randrange(n_groups) for _ in range(rows.shape[0])])
        res = concentration_by_group(rows, groups)
        labels, naive = naive_by_group(rows, groups)
        assert_array_equal(res.labels, labels)
        assert_array_equal(res.sizes, [s.n for s in naive])
        assert_allclose(res.mean_hhi, [s.mean_hhi for s in naive], rtol=1e-12)
        assert_allclose(res.hhi_of_mean, [s.hhi_of_mean for s in naive], rtol=1e-12)
        assert_allclose(
            res.hhi_of_mean_plugin, [s.hhi_of_mean_plugin for s in naive], rtol=1e-12
        )
        assert_allclose(res.top_share, [s.top_share for s in naive], rtol=1e-12)
        assert_allclose(res.mean_shares, [s.mean_shares for s in naive], rtol=1e-12)
        assert_allclose(res.disagreement, [s.disagreement for s in naive], atol=1e-12)
        # ties between loci could be broken differently only through rounding
        chosen = res.mean_shares[np.arange(labels.size), res.top_locus]
        assert_allclose(chosen, res.top_share, rtol=1e-12)

    @given(
        allocation_rows(max_rows=30),
        st.integers(1, 5),
        st.randoms(use_true_random=False),
    )
    @settings(max_examples=50, deadline=None)
    def test_relabelling_and_row_order_invariance(self, rows, n_groups, rnd):
        groups = np.array([rnd.randrange(n_groups) for _ in range(rows.shape[0])])
        res = concentration_by_group(rows, groups)
        # rename groups by an order-preserving map and shuffle the rows
        renamed = np.array([f"dept-{g:03d}" for g in groups])
        perm = list(range(rows.shape[0]))
        rnd.shuffle(perm)
        other = concentration_by_group(rows[perm], renamed[perm])
        assert_array_equal(other.sizes, res.sizes)
        assert_allclose(other.mean_hhi, res.mean_hhi, rtol=1e-12)
        assert_allclose(other.hhi_of_mean, res.hhi_of_mean, rtol=1e-12)
        assert_allclose(other.mean_shares, res.mean_shares, rtol=1e-12)

    def test_string_labels_sorted(self):
        res = concentration_by_group(SIX, list("bbaacc"))
        assert res.labels.tolist() == ["a", "b", "c"]
        assert res.sizes.tolist() == [2, 2, 2]
        assert_allclose(res.mean_hhi, [(0.66 + 0.33) / 2, 0.35, 0.375], rtol=1e-12)

    def test_group_of_one(self):
        res = concentration_by_group(SIX, [0, 0, 0, 0, 0, 1])
        assert res.sizes.tolist() == [5, 1]
        assert_allclose(res.mean_hhi[1], 0.515, rtol=1e-12)
        assert_allclose(res.hhi_of_mean_plugin[1], 0.515, rtol=1e-12)
        assert np.isnan(res.hhi_of_mean[1])

    def test_all_points_on_one_locus(self):
        rows = np.zeros((4, 5))
        rows[:, 3] = 100
        res = concentration_by_group(rows, [1, 1, 2, 2])
        assert_array_equal(res.mean_hhi, [1.0, 1.0])
        assert_array_equal(res.top_locus, [3, 3])

    def test_empty_group_list(self):
        res = concentration_by_group(np.empty((0, 8)), np.array([], dtype=int))
        assert res.labels.size == 0 and res.sizes.size == 0
        assert res.mean_hhi.shape == (0,) and res.mean_shares.shape == (0, 8)

    def test_shapes_and_dtypes(self):
        res = concentration_by_group(SIX, [3, 1, 3, 1, 2, 2])
        assert res.mean_shares.shape == (3, 6)
        assert res.top_locus.dtype.kind == "i"
        assert res.sizes.dtype.kind == "i"

    @pytest.mark.parametrize(
        ("rows", "groups", "message"),
        [
            ([[1, np.nan]], [0], "^allocations contains NaN"),
            ([[1, np.inf]], [0], "^allocations contains infinite"),
            ([[1, -1]], [0], "^allocations contains negative"),
            ([[0, 0]], [0], "^allocations has allocations that sum to zero"),
            ([[1, 2], [3, 4]], [0], "^groups has 1 labels for 2 respondents"),
            ([[1, 2]], [np.nan], "^groups contains NaN"),
            ([1, 2], [0, 0], "^allocations must be 2-D"),
            (np.empty((0, 0)), [], "^allocations must offer at least one locus"),
        ],
    )
    def test_invalid(self, rows, groups, message):
        with pytest.raises(ValueError, match=message):
            concentration_by_group(rows, groups)

    def test_thousand_groups_vectorised(self):
        rng = np.random.default_rng(0)
        rows = rng.multinomial(100, np.full(8, 1 / 8), size=20_000).astype(float)
        groups = rng.integers(0, 1000, size=20_000)
        res = concentration_by_group(rows, groups)
        assert res.labels.size == 1000
        idx = 417
        sub = concentration_summary(rows[groups == res.labels[idx]])
        assert_allclose(res.hhi_of_mean[idx], sub.hhi_of_mean, rtol=1e-12)
