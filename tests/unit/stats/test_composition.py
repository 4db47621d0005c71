"""Tests for ownership.stats.composition."""

from __future__ import annotations

import importlib
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from ownership.stats.composition import (
    closure,
    clr,
    compare_compositions,
    ilr,
    ilr_basis,
    permutation_compare,
    replace_zeros,
)

X4 = np.array([0.1, 0.3, 0.4, 0.2])


def positive_rows(min_d: int = 2, max_d: int = 7, max_rows: int = 5):
    return st.integers(min_d, max_d).flatmap(
        lambda d: hnp.arrays(
            np.float64,
            st.tuples(st.integers(1, max_rows), st.just(d)),
            elements=st.floats(0.01, 100.0),
        )
    )


def two_groups(seed: int, na: int, nb: int, d: int, shift: float = 0.0):
    """Dirichlet-multinomial 100-point allocations (with zeros) for two groups."""
    rng = np.random.default_rng(seed)
    base = rng.dirichlet(np.full(d, 2.0))
    alt = base.copy()
    alt[0] += shift
    alt /= alt.sum()
    a = rng.multinomial(100, base, size=na).astype(float)
    b = np.stack([rng.multinomial(100, rng.dirichlet(alt * 20)) for _ in range(nb)])
    return a, b.astype(float)


def random_basis(d: int, seed: int) -> np.ndarray:
    """A random orthonormal basis of the clr hyperplane, shape (d - 1, d)."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(d - 1, d - 1)))
    return q @ ilr_basis(d)


class TestClosure:
    def test_values(self):
        assert_allclose(closure([60, 30, 10]), [0.6, 0.3, 0.1], rtol=1e-15)

    def test_against_skbio(self):
        comp = importlib.import_module("skbio.stats.composition")
        x = np.array([[2, 3, 5], [1, 0, 4]], dtype=float)
        assert_allclose(closure(x), comp.closure(x), rtol=1e-15)

    @given(positive_rows(min_d=1), st.floats(0.001, 1000))
    @settings(max_examples=50, deadline=None)
    def test_rows_sum_to_one_and_scale_invariance(self, x, c):
        assert_allclose(closure(x).sum(axis=1), 1.0, rtol=1e-12)
        assert_allclose(closure(x * c), closure(x), rtol=1e-12)

    @pytest.mark.parametrize(
        ("bad", "message"),
        [
            ([1, np.nan], "^x contains NaN"),
            ([1, np.inf], "^x contains infinite"),
            ([1, -1, 3], "^x contains negative"),
            ([[0, 0], [1, 1]], "^x has rows that sum to zero"),
            (np.empty(0), "^x must have at least one part"),
        ],
    )
    def test_invalid(self, bad, message):
        with pytest.raises(ValueError, match=message):
            closure(bad)


class TestReplaceZeros:
    def test_against_skbio(self):
        # skbio doctest: multiplicative_replacement / multi_replace of
        # (.2, .4, .4, 0) with delta = 1/16 -> (.1875, .375, .375, .0625)
        got = replace_zeros([0.2, 0.4, 0.4, 0.0], delta=1 / 16)
        assert_allclose(got, [0.1875, 0.375, 0.375, 0.0625], rtol=1e-15)

    def test_against_skbio_call(self):
        comp = importlib.import_module("skbio.stats.composition")
        rng = np.random.default_rng(3)
        x = rng.multinomial(100, np.full(6, 1 / 6), size=20).astype(float)
        x[0, :3] = 0
        x[0, 3] = 100 - x[0, 4:].sum()
        assert_allclose(replace_zeros(x), comp.multi_replace(x, 0.0065), rtol=1e-14)

    def test_rows_without_zeros_only_closed(self):
        x = np.array([[60, 30, 10], [100, 0, 0]], dtype=float)
        out = replace_zeros(x)
        assert_allclose(out[0], [0.6, 0.3, 0.1], rtol=1e-15)
        assert_allclose(out[1], [1 - 2 * 0.0065, 0.0065, 0.0065], rtol=1e-15)

    def test_default_delta_on_points(self):
        out = replace_zeros([50, 50, 0, 0])
        assert_allclose(out, [0.4935, 0.4935, 0.0065, 0.0065], rtol=1e-12)

    @given(
        hnp.arrays(
            np.float64,
            st.tuples(st.integers(1, 5), st.integers(2, 8)),
            elements=st.integers(0, 100).map(float),
        ).filter(lambda a: (a.sum(axis=1) > 0).all())
    )
    @settings(max_examples=100, deadline=None)
    def test_positive_closed_and_ratios_kept(self, x):
        out = replace_zeros(x)
        assert (out > 0).all()
        assert_allclose(out.sum(axis=1), 1.0, rtol=1e-12)
        nz = x > 0
        for row_in, row_out, mask in zip(x, out, nz, strict=True):
            ratios_in = row_in[mask] / row_in[mask][0]
            assert_allclose(row_out[mask] / row_out[mask][0], ratios_in, rtol=1e-12)

    def test_all_points_on_one_locus(self):
        out = replace_zeros([0, 0, 100, 0])
        assert_allclose(out, [0.0065, 0.0065, 1 - 3 * 0.0065, 0.0065], rtol=1e-15)

    @pytest.mark.parametrize("delta", [0.0, -0.1, np.nan, np.inf, "a"])
    def test_invalid_delta(self, delta):
        with pytest.raises(ValueError, match="^delta must"):
            replace_zeros([1, 0, 1], delta=delta)

    def test_delta_too_large(self):
        with pytest.raises(ValueError, match="^delta=0.5 is too large"):
            replace_zeros([1, 0, 0], delta=0.5)

    def test_invalid_x(self):
        with pytest.raises(ValueError, match="^x contains NaN"):
            replace_zeros([1, np.nan, 0])
        with pytest.raises(ValueError, match="^x has rows that sum to zero"):
            replace_zeros([0, 0, 0])


class TestClr:
    def test_against_skbio(self):
        # skbio doctest: clr([.1, .3, .4, .2])
        assert_allclose(
            clr(X4), [-0.79451346, 0.30409883, 0.5917809, -0.10136628], rtol=1e-7
        )

    def test_against_skbio_call(self):
        comp = importlib.import_module("skbio.stats.composition")
        x = np.random.default_rng(0).dirichlet(np.ones(6), size=10)
        assert_allclose(clr(x), comp.clr(x), rtol=1e-12, atol=1e-14)

    @given(positive_rows(), st.floats(0.01, 100))
    @settings(max_examples=50, deadline=None)
    def test_rows_sum_to_zero_and_scale_invariance(self, x, c):
        z = clr(x)
        assert_allclose(z.sum(axis=1), 0.0, atol=1e-10)
        assert_allclose(clr(x * c), z, atol=1e-10)

    def test_zeros_rejected(self):
        with pytest.raises(ValueError, match="^x contains zeros; apply replace_zeros"):
            clr([0.5, 0.5, 0.0])

    def test_invalid(self):
        with pytest.raises(ValueError, match="^x contains infinite"):
            clr([1.0, np.inf])


class TestIlrBasis:
    @pytest.mark.parametrize("d", [2, 3, 5, 8, 20])
    def test_orthonormal_and_orthogonal_to_ones(self, d):
        v = ilr_basis(d)
        assert v.shape == (d - 1, d)
        assert_allclose(v @ v.T, np.eye(d - 1), atol=1e-14)
        assert_allclose(v.sum(axis=1), 0.0, atol=1e-14)

    def test_against_skbio_basis(self):
        importlib.import_module("skbio")
        # the basis ilr() uses by default; private, and it moved in skbio 0.6
        try:
            from skbio.stats.composition._base import _gram_schmidt_basis
        except ImportError:  # scikit-bio < 0.6
            from skbio.stats.composition import _gram_schmidt_basis
        assert_allclose(ilr_basis(6), _gram_schmidt_basis(6), atol=1e-15)

    @pytest.mark.parametrize("bad", [1, 0, 2.5, True, "3"])
    def test_invalid(self, bad):
        with pytest.raises(ValueError, match="^n_parts must"):
            ilr_basis(bad)


class TestIlr:
    def test_against_skbio(self):
        # skbio doctest: ilr([.1, .3, .4, .2])
        assert_allclose(ilr(X4), [-0.7768362, -0.68339802, 0.11704769], rtol=1e-7)

    def test_against_skbio_call(self):
        comp = importlib.import_module("skbio.stats.composition")
        x = np.random.default_rng(1).dirichlet(np.ones(8), size=10)
        assert_allclose(ilr(x), comp.ilr(x), rtol=1e-12, atol=1e-14)

    @given(positive_rows(min_d=2))
    @settings(max_examples=50, deadline=None)
    def test_isometry(self, x):
        # Aitchison distances are Euclidean distances of clr and of ilr
        z, c = ilr(x), clr(x)
        dz = np.linalg.norm(z[:, None] - z[None], axis=-1)
        dc = np.linalg.norm(c[:, None] - c[None], axis=-1)
        assert_allclose(dz, dc, atol=1e-9)

    def test_custom_basis(self):
        v = random_basis(4, 0)
        assert_allclose(ilr(X4, v), clr(X4) @ v.T, rtol=1e-12)

    def test_invalid_basis(self):
        with pytest.raises(ValueError, match=r"^basis must have shape \(3, 4\)"):
            ilr(X4, np.eye(3))
        with pytest.raises(ValueError, match="^basis rows must be orthonormal"):
            ilr(X4, 2 * ilr_basis(4))

    def test_single_part(self):
        with pytest.raises(ValueError, match="^x must have at least 2 parts"):
            ilr([1.0])


class TestCompareCompositions:
    def test_against_pingouin(self):
        pg = importlib.import_module("pingouin")
        a, b = two_groups(0, 14, 11, 5, shift=0.1)
        x = replace_zeros(np.concatenate([a, b]))
        # pingouin.multivariate_ttest(ilr(a), ilr(b)): Hotelling T2, F, df1, df2, p
        ref = pg.multivariate_ttest(ilr(x[:14]), ilr(x[14:]))
        got = compare_compositions(a, b)
        assert_allclose(got.t2, ref["T2"].iloc[0], rtol=1e-10)
        assert_allclose(got.f, ref["F"].iloc[0], rtol=1e-10)
        assert got.df1 == ref["df1"].iloc[0] and got.df2 == ref["df2"].iloc[0]
        assert_allclose(got.pvalue, ref["pval"].iloc[0], rtol=1e-8)

    def test_against_textbook_formula(self):
        a, b = two_groups(1, 9, 12, 4)
        x = replace_zeros(np.concatenate([a, b]))
        za, zb = ilr(x[:9]), ilr(x[9:])
        d = za.mean(0) - zb.mean(0)
        s = (8 * np.cov(za.T) + 11 * np.cov(zb.T)) / 19
        t2 = 9 * 12 / 21 * d @ np.linalg.solve(s, d)
        f = (21 - 3 - 1) / (3 * 19) * t2
        got = compare_compositions(a, b)
        assert_allclose([got.t2, got.f], [t2, f], rtol=1e-10)
        assert (got.df1, got.df2) == (3, 17)

    def test_rows_without_zeros_used_as_given(self):
        rng = np.random.default_rng(2)
        a = rng.dirichlet(np.ones(4), size=8) * 100
        b = rng.dirichlet(np.ones(4), size=8) * 100
        b[0] = [100, 0, 0, 0]
        z = ilr(np.concatenate([a, replace_zeros(b)]))
        # a's coordinates are those of the raw rows: replacement touches b[0] only
        assert_allclose(z[:8], ilr(a), rtol=1e-12)
        pg = importlib.import_module("pingouin")
        ref = pg.multivariate_ttest(z[:8], z[8:])
        assert_allclose(compare_compositions(a, b).t2, ref["T2"].iloc[0], rtol=1e-10)

    @given(st.integers(0, 10_000), st.integers(3, 8))
    @settings(max_examples=40, deadline=None)
    def test_ilr_basis_invariance(self, seed, d):
        a, b = two_groups(seed, 9, 7, d)
        base = compare_compositions(a, b)
        other = compare_compositions(a, b, basis=random_basis(d, seed + 1))
        assert_allclose(other.t2, base.t2, rtol=1e-8)
        assert_allclose(other.pvalue, base.pvalue, rtol=1e-7, atol=1e-300)
        assert (other.df1, other.df2) == (base.df1, base.df2)

    @given(st.integers(0, 10_000))
    @settings(max_examples=30, deadline=None)
    def test_row_scaling_and_swap(self, seed):
        a, b = two_groups(seed, 8, 10, 4)
        rng = np.random.default_rng(seed)
        base = compare_compositions(a, b)
        scaled = compare_compositions(
            a * rng.uniform(0.1, 10, (8, 1)), b * rng.uniform(0.1, 10, (10, 1))
        )
        assert_allclose(scaled.t2, base.t2, rtol=1e-8)
        assert_allclose(compare_compositions(b, a).t2, base.t2, rtol=1e-10)

    def test_part_permutation_invariance(self):
        a, b = two_groups(4, 10, 10, 5)
        perm = [3, 0, 4, 2, 1]
        assert_allclose(
            compare_compositions(a[:, perm], b[:, perm]).t2,
            compare_compositions(a, b).t2,
            rtol=1e-9,
        )

    def test_clear_difference_is_significant(self):
        a, b = two_groups(5, 30, 30, 4, shift=0.5)
        assert compare_compositions(a, b).pvalue < 1e-6

    def test_all_points_on_one_locus_is_undefined(self):
        rows = np.zeros((5, 4))
        rows[:, 0] = 100
        res = compare_compositions(rows, rows[:3])
        assert np.isnan(res.t2) and np.isnan(res.f) and np.isnan(res.pvalue)
        assert (res.df1, res.df2) == (0, 7)

    def test_singular_covariance_uses_observed_rank(self):
        # parts 3 and 4 always equal: one ilr direction never varies
        rng = np.random.default_rng(6)
        base = rng.dirichlet(np.ones(3), size=20)
        x = np.column_stack([base[:, :2], base[:, 2:] / 2, base[:, 2:] / 2])
        res = compare_compositions(x[:9], x[9:])
        assert res.df1 == 2 and res.df2 == 20 - 1 - 2
        # equals the full-rank test on the three free parts (a rotation)
        ref = compare_compositions(base[:9], base[9:])
        assert_allclose(res.t2, ref.t2, rtol=1e-8)
        assert_allclose(res.pvalue, ref.pvalue, rtol=1e-7)

    def test_group_of_one(self):
        a, b = two_groups(7, 1, 10, 4)
        res = compare_compositions(a, b)
        assert (res.df1, res.df2) == (3, 7)
        assert 0 <= res.pvalue <= 1

    def test_too_few_rows(self):
        a, b = two_groups(8, 2, 2, 5)
        with pytest.raises(ValueError, match=r"n_a \+ n_b - 2 >= D - 1"):
            compare_compositions(a, b)

    @pytest.mark.parametrize(
        ("a", "b", "message"),
        [
            (np.ones((3, 3)), np.ones((3, 4)), "^a and b must have the same number"),
            (np.empty((0, 3)), np.ones((5, 3)), "^a and b need at least one row"),
            ([[1, np.nan, 1]] * 3, np.ones((3, 3)), "^a contains NaN"),
            (np.ones((3, 3)), [[1, np.inf, 1]] * 3, "^b contains infinite"),
            (np.ones((3, 3)), [[1, -1, 1]] * 3, "^b contains negative"),
            ([[0, 0, 0]] * 3, np.ones((3, 3)), "^a has rows that sum to zero"),
            (np.ones(3), np.ones((3, 3)), "^a must be 2-D"),
            (np.ones((3, 1)), np.ones((3, 1)), "^a and b need at least 2 parts"),
        ],
    )
    def test_invalid(self, a, b, message):
        with pytest.raises(ValueError, match=message):
            compare_compositions(a, b)


class TestPermutationCompare:
    def test_statistic_equals_parametric(self):
        a, b = two_groups(10, 12, 9, 4, shift=0.2)
        res = permutation_compare(a, b, n_resamples=199, rng=0)
        assert_allclose(res.t2, compare_compositions(a, b).t2, rtol=1e-12)
        assert res.n_resamples == 199

    def test_against_exact_enumeration(self):
        # 4 + 4 rows: all 70 relabellings, T2 from compare_compositions each
        a, b = two_groups(11, 4, 4, 3, shift=0.15)
        x = np.concatenate([a, b])
        t2_obs = compare_compositions(a, b).t2
        t2_all = []
        for chosen in itertools.combinations(range(8), 4):
            mask = np.zeros(8, dtype=bool)
            mask[list(chosen)] = True
            t2_all.append(compare_compositions(x[mask], x[~mask]).t2)
        exact = np.mean(np.array(t2_all) >= t2_obs * (1 - 1e-9))
        res = permutation_compare(a, b, n_resamples=20_000, rng=1)
        # Monte Carlo error of a proportion near `exact` with 20,000 draws
        se = np.sqrt(exact * (1 - exact) / 20_000)
        assert abs(res.pvalue - exact) < 5 * se + 1e-4

    def test_pvalue_bounds_and_reproducible(self):
        a, b = two_groups(12, 10, 10, 5)
        r1 = permutation_compare(a, b, n_resamples=99, rng=5)
        r2 = permutation_compare(a, b, n_resamples=99, rng=np.random.default_rng(5))
        assert r1 == r2
        assert 1 / 100 <= r1.pvalue <= 1

    def test_minimum_pvalue(self):
        a, b = two_groups(13, 25, 25, 4, shift=0.6)
        res = permutation_compare(a, b, n_resamples=499, rng=0)
        assert res.pvalue == 1 / 500

    def test_null_pvalues_roughly_uniform(self):
        rng = np.random.default_rng(14)
        pvals = []
        for _ in range(40):
            x = rng.multinomial(100, [0.4, 0.3, 0.2, 0.1], size=16).astype(float)
            pvals.append(permutation_compare(x[:8], x[8:], 99, rng).pvalue)
        assert 0.3 < np.mean(pvals) < 0.7

    def test_basis_free(self):
        a, b = two_groups(15, 7, 9, 4)
        a2, b2 = a[:, [2, 0, 3, 1]], b[:, [2, 0, 3, 1]]
        r1 = permutation_compare(a, b, 299, 3)
        r2 = permutation_compare(a2, b2, 299, 3)
        assert_allclose(r1.t2, r2.t2, rtol=1e-9)
        assert r1.pvalue == r2.pvalue

    def test_all_points_on_one_locus_is_undefined(self):
        rows = np.zeros((6, 3))
        rows[:, 1] = 100
        res = permutation_compare(rows[:3], rows[3:], 50, 0)
        assert np.isnan(res.t2) and np.isnan(res.pvalue)

    @pytest.mark.parametrize("bad", [0, -5, 2.5, True])
    def test_invalid_n_resamples(self, bad):
        a, b = two_groups(16, 5, 5, 3)
        with pytest.raises(ValueError, match="^n_resamples must"):
            permutation_compare(a, b, bad)

    def test_invalid_input(self):
        with pytest.raises(ValueError, match="^a contains NaN"):
            permutation_compare([[1, np.nan, 2]] * 4, np.ones((4, 3)))
        with pytest.raises(ValueError, match=r"n_a \+ n_b - 2 >= D - 1"):
            permutation_compare(np.ones((1, 5)), np.ones((1, 5)))

    def test_group_sizes_kept(self):
        # the relabelling draws exactly n_a rows for a
        a, b = two_groups(17, 3, 12, 3)
        res = permutation_compare(a, b, 999, 0)
        assert 0 < res.pvalue <= 1
        assert_array_equal(np.isfinite([res.t2]), [True])
