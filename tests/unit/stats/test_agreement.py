"""Tests for ownership.stats.agreement: rwg, rwg(j), ICC(1), ICC(2), Spearman-Brown."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from ownership.stats._common import is_rounding_zero
from ownership.stats.agreement import (
    ICC,
    GroupValues,
    icc,
    icc1,
    icc2,
    reliability_of_mean,
    rwg,
    rwg_j,
)
from ownership.stats.descriptives import scale_scores
from tests.stats_strategies import grouped_likert, relabel

# VECTORS.md, multilevel 2.7, A = 5 (ranvar = 2).
ITEM_A = {"A": [5, 5, 4, 4, 5], "B": [1, 5, 1, 5, 3], "C": [3], "D": [4, 4, 4, 4]}
ITEM_B = {"A": [4, 5, 4, 5, 5], "B": [2, 4, 1, 5, 3], "C": [2], "D": [4, 4, 4, 4]}
ITEM_C = {"A": [5, 4, 4, 4, 4], "B": [1, 5, 2, 4, 3], "C": [4], "D": [4, 4, 4, 5]}
# VECTORS.md ICC example: groups (3,4,5), (2,2,3,3), (4,5,5,4,5,4).
ICC_SCORES = np.array([3, 4, 5, 2, 2, 3, 3, 4, 5, 5, 4, 5, 4], dtype=float)
ICC_GROUPS = np.array([1] * 3 + [2] * 4 + [3] * 6)


def flatten(*items: dict[str, list[int]]) -> tuple[np.ndarray, np.ndarray]:
    groups = np.array([g for g, v in items[0].items() for _ in v])
    values = np.column_stack(
        [np.array([x for v in item.values() for x in v], dtype=float) for item in items]
    )
    return values, groups


def naive_rwg(x: np.ndarray, groups: np.ndarray, a: int) -> dict:
    """multilevel::rwg, one group at a time."""
    out = {}
    for g in np.unique(groups):
        v = x[(groups == g) & ~np.isnan(x)]
        if v.size < 2:
            out[g] = (np.nan, v.size)
            continue
        var = np.var(v, ddof=1)
        ranvar = (a**2 - 1) / 12
        out[g] = (0.0 if var > ranvar else 1 - var / ranvar, v.size)
    return out


def naive_rwg_j(x: np.ndarray, groups: np.ndarray, a: int) -> dict:
    """multilevel::rwg.j, one group at a time after na.exclude."""
    keep = ~np.isnan(x).any(axis=1)
    x, groups_kept = x[keep], groups[keep]
    out = {}
    ranvar = (a**2 - 1) / 12
    for g in np.unique(groups):
        q = x[groups_kept == g]
        if q.shape[0] < 2:
            out[g] = (np.nan, q.shape[0])
            continue
        j = q.shape[1]
        meanvar = min(np.mean(np.var(q, axis=0, ddof=1)), ranvar)
        out[g] = (
            j
            * (1 - meanvar / ranvar)
            / (j * (1 - meanvar / ranvar) + meanvar / ranvar),
            q.shape[0],
        )
    return out


def naive_icc(scores: np.ndarray, groups: np.ndarray) -> tuple[float, float]:
    """multilevel::ICC1/ICC2 on aov(), group by group."""
    keep = ~np.isnan(scores)
    s, g = scores[keep], groups[keep]
    labels = np.unique(g)
    n, n_groups = s.size, labels.size
    if n_groups < 2 or n <= n_groups:
        return np.nan, np.nan
    grand = s.mean()
    ssb = sum((g == lab).sum() * (s[g == lab].mean() - grand) ** 2 for lab in labels)
    ssw = 0.0
    for lab in labels:
        x = s[g == lab]
        ss = ((x - x.mean()) ** 2).sum()
        # documented: a spread below the rounding of the mean is no spread
        ssw += 0.0 if is_rounding_zero(np.sqrt(ss / x.size), x.mean(), x.size) else ss
    msb, msw = ssb / (n_groups - 1), ssw / (n - n_groups)
    if is_rounding_zero(np.sqrt(msb), grand, n):
        msb = 0.0
    k = n / n_groups
    with np.errstate(divide="ignore", invalid="ignore"):
        # documented: ICC(2) is NaN, not -inf, when MSB = 0 (R gives -Inf)
        return (
            float(np.float64(msb - msw) / (msb + (k - 1) * msw)),
            float(np.float64(msb - msw) / msb) if msb > 0 else np.nan,
        )


def assert_matches_naive(res: GroupValues, naive: dict) -> None:
    assert_array_equal(res.labels, np.array(sorted(naive)))
    assert_allclose(
        res.values, [naive[g][0] for g in res.labels], rtol=1e-9, atol=1e-12
    )
    assert_array_equal(res.sizes, [naive[g][1] for g in res.labels])


class TestRwg:
    def test_against_R_multilevel_reference_sets(self, reference) -> None:
        # R 4.2, multilevel 2.7:
        #   rwg(items$i1, group, ranvar = (A^2 - 1) / 12)
        expected = reference.expected["rwg_item1"]
        res = rwg(reference.items[:, 0], reference.groups, reference.n_options)
        assert res.labels.tolist() == expected["groups"]
        assert_allclose(res.values, expected["values"], rtol=1e-9, atol=1e-12)
        assert res.sizes.tolist() == expected["sizes"]

    def test_against_R_multilevel_worked_example(self) -> None:
        # multilevel::rwg(a, grp, ranvar = 2)
        #   A .85, B 0 (truncated), C NA (one member), D 1
        values, groups = flatten(ITEM_A)
        res = rwg(values[:, 0], groups, 5)
        assert res.labels.tolist() == ["A", "B", "C", "D"]
        assert_allclose(res.values, [0.85, 0.0, np.nan, 1.0], rtol=1e-12)
        assert res.sizes.tolist() == [5, 5, 1, 4]

    def test_group_of_one_is_nan(self) -> None:
        res = rwg([3.0], ["x"], 5)
        assert np.isnan(res.values[0]) and res.sizes[0] == 1

    def test_zero_variance_group_is_one(self) -> None:
        res = rwg([2.0, 2.0, 2.0], ["x"] * 3, 5)
        assert res.values[0] == 1.0

    def test_truncated_at_zero(self) -> None:
        # Variance 8 of (1, 5) exceeds the uniform variance 2.
        assert rwg([1.0, 5.0], [0, 0], 5).values[0] == 0.0

    def test_group_without_answers_is_kept(self) -> None:
        res = rwg([4.0, 5.0, np.nan, np.nan], ["a", "a", "b", "b"], 5)
        assert res.labels.tolist() == ["a", "b"]
        assert res.sizes.tolist() == [2, 0]
        assert np.isnan(res.values[1])

    def test_empty_group_list(self) -> None:
        res = rwg(np.array([]), np.array([], dtype=str), 5)
        assert res.labels.size == 0 and res.values.size == 0 and res.sizes.size == 0

    def test_nan_is_a_missing_answer(self) -> None:
        a = rwg([4.0, np.nan, 5.0, 4.0], [1, 1, 1, 1], 5)
        b = rwg([4.0, 5.0, 4.0], [1, 1, 1], 5)
        assert_allclose(a.values, b.values, rtol=1e-15)
        assert a.sizes.tolist() == [3]

    def test_infinite_value_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="values contains infinite values"):
            rwg([4.0, np.inf], [1, 1], 5)

    def test_value_outside_scale_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="values must lie between 1 and n_options"):
            rwg([4.0, 6.0], [1, 1], 5)

    def test_mismatched_groups_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="groups has 1 labels for 2 respondents"):
            rwg([4.0, 5.0], [1], 5)

    def test_nan_group_label_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="groups contains NaN labels"):
            rwg([4.0, 5.0], [1.0, np.nan], 5)

    @pytest.mark.parametrize("bad", [1, 0, 2.5, True, "5"])
    def test_invalid_n_options_is_rejected(self, bad: object) -> None:
        with pytest.raises(ValueError, match="n_options"):
            rwg([1.0, 1.0], [1, 1], bad)

    def test_three_dimensional_values_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="values must be 1-D or 2-D"):
            rwg(np.ones((2, 2, 2)), [1, 1], 5)

    def test_reference_items_in_one_pass(self, reference) -> None:
        # 2-D values: each column is an item with its own missing answers.
        both = rwg(reference.items, reference.groups, reference.n_options)
        expected = reference.expected["rwg_item1"]
        assert both.values.shape == (len(expected["groups"]), reference.items.shape[1])
        assert_allclose(both.values[:, 0], expected["values"], rtol=1e-9, atol=1e-12)
        assert both.sizes[:, 0].tolist() == expected["sizes"]

    @settings(max_examples=200, deadline=None)
    @given(grouped_likert(max_cols=4))
    def test_two_dimensional_equals_column_by_column(self, data) -> None:
        values, groups = data
        both = rwg(values, groups, 5)
        assert both.values.shape == (np.unique(groups).size, values.shape[1])
        for j in range(values.shape[1]):
            one = rwg(values[:, j], groups, 5)
            assert_allclose(both.values[:, j], one.values, rtol=1e-12, atol=1e-15)
            assert_array_equal(both.sizes[:, j], one.sizes)

    @settings(max_examples=300, deadline=None)
    @given(grouped_likert(max_cols=1), st.sampled_from([2, 5, 7]))
    def test_bounds_and_vectorised_equals_naive(self, data, a: int) -> None:
        values, groups = data
        x = np.minimum(values[:, 0], a)
        res = rwg(x, groups, a)
        finite = res.values[np.isfinite(res.values)]
        assert ((finite >= 0) & (finite <= 1)).all()
        assert_matches_naive(res, naive_rwg(x, groups, a))

    @settings(max_examples=200, deadline=None)
    @given(grouped_likert(max_cols=1), st.integers(0, 2**32 - 1))
    def test_invariant_to_respondent_order_and_relabelling(self, data, seed) -> None:
        values, groups = data
        x = values[:, 0]
        res = rwg(x, groups, 5)
        order = np.random.default_rng(seed).permutation(x.size)
        shuffled = rwg(x[order], groups[order], 5)
        assert_allclose(shuffled.values, res.values, rtol=1e-12, atol=1e-15)
        assert_array_equal(shuffled.sizes, res.sizes)
        renamed, mapping = relabel(groups, seed)
        other = rwg(x, renamed, 5)
        by_label = dict(zip(other.labels.tolist(), other.values.tolist(), strict=True))
        assert_allclose(
            [by_label[mapping[g]] for g in res.labels.tolist()],
            res.values,
            rtol=1e-12,
            atol=1e-15,
        )


class TestRwgJ:
    def test_against_R_multilevel_reference_sets(self, reference) -> None:
        # R 4.2, multilevel 2.7:
        #   rwg.j(items, group, ranvar = (A^2 - 1) / 12)
        # (rows with any missing item dropped; groups of one give NA)
        expected = reference.expected["rwg_j"]
        res = rwg_j(reference.items, reference.groups, reference.n_options)
        assert res.labels.tolist() == expected["groups"]
        values = [np.nan if v is None else v for v in expected["values"]]
        assert_allclose(res.values, values, rtol=1e-9, atol=1e-12)
        assert res.sizes.tolist() == expected["sizes"]

    def test_against_R_multilevel_worked_example(self) -> None:
        # multilevel::rwg.j(cbind(a, b, c), grp, ranvar = 2)
        #   A .9512195, B 0, C NA, D .9857143
        items, groups = flatten(ITEM_A, ITEM_B, ITEM_C)
        res = rwg_j(items, groups, 5)
        assert_allclose(
            res.values, [0.9512195, 0.0, np.nan, 0.9857143], atol=5e-8
        )  # 7 decimals in VECTORS.md
        assert res.sizes.tolist() == [5, 5, 1, 4]

    def test_single_item_equals_rwg(self) -> None:
        items, groups = flatten(ITEM_A)
        assert_allclose(
            rwg_j(items, groups, 5).values,
            rwg(items[:, 0], groups, 5).values,
            rtol=1e-15,
        )

    def test_listwise_deletion(self) -> None:
        items, groups = flatten(ITEM_A, ITEM_B, ITEM_C)
        holed = items.copy()
        holed[[0, 7], [1, 2]] = np.nan
        keep = ~np.isnan(holed).any(axis=1)
        a = rwg_j(holed, groups, 5)
        b = rwg_j(items[keep], groups[keep], 5)
        assert_allclose(a.values, b.values, rtol=1e-15)
        assert a.sizes.tolist() == [4, 4, 1, 4]

    def test_all_missing_item_drops_every_row(self) -> None:
        items, groups = flatten(ITEM_A, ITEM_B)
        items[:, 1] = np.nan
        res = rwg_j(items, groups, 5)
        assert res.sizes.tolist() == [0, 0, 0, 0]
        assert np.isnan(res.values).all()

    def test_group_of_one_is_nan(self) -> None:
        res = rwg_j([[3.0, 4.0]], ["x"], 5)
        assert np.isnan(res.values[0]) and res.sizes[0] == 1

    def test_zero_variance_group_is_one(self) -> None:
        res = rwg_j([[2.0, 4.0], [2.0, 4.0]], ["x", "x"], 5)
        assert res.values[0] == 1.0

    def test_mean_variance_is_truncated(self) -> None:
        # Item variances 8 and 0: mean 4 > ranvar 2, so rwg(j) = 0, not negative.
        res = rwg_j([[1.0, 3.0], [5.0, 3.0]], [0, 0], 5)
        assert res.values[0] == 0.0

    def test_empty_group_list(self) -> None:
        res = rwg_j(np.empty((0, 3)), np.array([], dtype=int), 5)
        assert res.labels.size == 0 and res.values.size == 0

    def test_no_items_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must have at least 1 column"):
            rwg_j(np.empty((3, 0)), [1, 1, 1], 5)

    def test_infinite_value_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items contains infinite values"):
            rwg_j([[1.0, -np.inf]], [1], 5)

    def test_one_dimensional_items_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must be 2-D"):
            rwg_j([1.0, 2.0], [1, 1], 5)

    def test_value_outside_scale_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must lie between 1 and n_options"):
            rwg_j([[0.0, 2.0]], [1], 5)

    @settings(max_examples=300, deadline=None)
    @given(grouped_likert(), st.sampled_from([2, 5, 7]))
    def test_bounds_and_vectorised_equals_naive(self, data, a: int) -> None:
        values, groups = data
        x = np.minimum(values, a)
        res = rwg_j(x, groups, a)
        finite = res.values[np.isfinite(res.values)]
        assert ((finite >= 0) & (finite <= 1)).all()
        assert_matches_naive(res, naive_rwg_j(x, groups, a))

    @settings(max_examples=200, deadline=None)
    @given(grouped_likert(), st.integers(0, 2**32 - 1))
    def test_invariant_to_respondent_order_and_relabelling(self, data, seed) -> None:
        x, groups = data
        res = rwg_j(x, groups, 5)
        rng = np.random.default_rng(seed)
        order = rng.permutation(x.shape[0])
        shuffled = rwg_j(x[order], groups[order], 5)
        assert_allclose(shuffled.values, res.values, rtol=1e-12, atol=1e-15)
        # Item order does not matter either.
        swapped = rwg_j(x[:, rng.permutation(x.shape[1])], groups, 5)
        assert_allclose(swapped.values, res.values, rtol=1e-12, atol=1e-15)
        renamed, mapping = relabel(groups, seed)
        other = rwg_j(x, renamed, 5)
        by_label = dict(zip(other.labels.tolist(), other.values.tolist(), strict=True))
        assert_allclose(
            [by_label[mapping[g]] for g in res.labels.tolist()],
            res.values,
            rtol=1e-12,
            atol=1e-15,
        )


class TestIcc:
    def test_against_R_multilevel_worked_example(self) -> None:
        # summary(aov(score ~ as.factor(grp))): MSB 4.903846, MSW .45
        # multilevel::ICC1 .6954955, ICC2 .9082353
        res = icc(ICC_SCORES, ICC_GROUPS)
        assert isinstance(res, ICC)
        assert_allclose(res.msb, 4.903846, atol=5e-7)
        assert_allclose(res.msw, 0.45, rtol=1e-12)
        assert_allclose(res.icc1, 0.6954955, atol=5e-8)
        assert_allclose(res.icc2, 0.9082353, atol=5e-8)
        assert_allclose(res.k, 13 / 3, rtol=1e-15)
        assert (res.n, res.n_groups) == (13, 3)

    def test_against_R_multilevel_reference_sets(self, reference) -> None:
        res = icc(scale_scores(reference.items), reference.groups)
        assert_allclose(res.icc1, reference.expected["icc1"], rtol=1e-9)
        assert_allclose(res.icc2, reference.expected["icc2"], rtol=1e-9)

    def test_f_statistic_matches_scipy(self) -> None:
        groups = [ICC_SCORES[ICC_GROUPS == g] for g in (1, 2, 3)]
        res = icc(ICC_SCORES, ICC_GROUPS)
        assert_allclose(
            res.msb / res.msw, stats.f_oneway(*groups).statistic, rtol=1e-12
        )

    def test_scores_of_several_constructs_in_one_pass(self, reference) -> None:
        # Two columns: the scale score and the first item, each its own ANOVA.
        scores = np.column_stack([scale_scores(reference.items), reference.items[:, 0]])
        res = icc(scores, reference.groups)
        assert res.icc1.shape == res.icc2.shape == (2,)
        assert_allclose(res.icc1[0], reference.expected["icc1"], rtol=1e-9)
        assert_allclose(res.icc2[0], reference.expected["icc2"], rtol=1e-9)
        one = icc(reference.items[:, 0], reference.groups)
        assert_allclose([res.icc1[1], res.msw[1]], [one.icc1, one.msw], rtol=1e-12)
        assert res.n.tolist() == [
            int(np.isfinite(scores[:, 0]).sum()),
            int(np.isfinite(scores[:, 1]).sum()),
        ]

    @settings(max_examples=200, deadline=None)
    @given(grouped_likert(max_cols=4))
    def test_two_dimensional_equals_column_by_column(self, data) -> None:
        values, groups = data
        both = icc(values, groups)
        for j in range(values.shape[1]):
            one = icc(values[:, j], groups)
            for field in ("icc1", "icc2", "msb", "msw", "k"):
                assert_allclose(
                    getattr(both, field)[j], getattr(one, field), rtol=1e-9, atol=1e-12
                )
            assert (both.n[j], both.n_groups[j]) == (one.n, one.n_groups)

    def test_undefined_keeps_counts(self) -> None:
        res = icc([1.0, 2.0, np.nan], ["a", "a", "b"])
        assert np.isnan(res.icc1) and np.isnan(res.msb)
        assert (res.n, res.n_groups) == (2, 1)

    def test_empty_group_list(self) -> None:
        res = icc(np.array([]), np.array([], dtype=int))
        assert np.isnan(res.icc2) and res.n == 0 and res.n_groups == 0

    def test_infinite_score_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="scores contains infinite values"):
            icc([np.inf, 1.0], [0, 1])
        with pytest.raises(ValueError, match="scores contains infinite values"):
            icc([[1.0, np.inf], [2.0, 3.0]], [0, 1])

    def test_three_dimensional_scores_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="scores must be 1-D or 2-D, got 3-D"):
            icc(np.ones((4, 2, 2)), [0, 0, 1, 1])

    def test_groups_must_match_two_dimensional_scores(self) -> None:
        with pytest.raises(ValueError, match="groups has 3 labels for 4 respondents"):
            icc(np.ones((4, 2)), [0, 0, 1])

    @settings(max_examples=200, deadline=None)
    @given(grouped_likert(max_cols=1))
    def test_agrees_with_icc1_and_icc2(self, data) -> None:
        values, groups = data
        res = icc(values[:, 0], groups)
        assert_allclose(res.icc1, icc1(values[:, 0], groups), rtol=1e-15)
        assert_allclose(res.icc2, icc2(values[:, 0], groups), rtol=1e-15)


class TestIcc1:
    def test_against_R_multilevel_reference_sets(self, reference) -> None:
        # score <- rowMeans(items); complete rows only
        # multilevel::ICC1(aov(score ~ as.factor(group)))
        scores = scale_scores(reference.items)
        assert_allclose(
            icc1(scores, reference.groups), reference.expected["icc1"], rtol=1e-9
        )

    def test_against_R_multilevel_worked_example(self) -> None:
        # summary(aov(score ~ as.factor(grp))): MSB 4.903846, MSW .45
        # multilevel::ICC1(...) .6954955 with k = N/G = 13/3
        assert_allclose(icc1(ICC_SCORES, ICC_GROUPS), 0.6954955, atol=5e-8)

    def test_mean_squares_match_scipy_anova(self) -> None:
        # F = MSB / MSW = 4.903846 / .45; scipy.stats.f_oneway gives the same F.
        groups = [ICC_SCORES[ICC_GROUPS == g] for g in (1, 2, 3)]
        f = stats.f_oneway(*groups).statistic
        assert_allclose(f, 4.903846 / 0.45, rtol=1e-6)
        k = 13 / 3
        assert_allclose(icc1(ICC_SCORES, ICC_GROUPS), (f - 1) / (f + k - 1), rtol=1e-12)

    def test_not_truncated(self) -> None:
        # Group means identical, spread within: MSB = 0 < MSW gives a negative ICC.
        value = icc1([1.0, 5.0, 1.0, 5.0], ["a", "a", "b", "b"])
        assert_allclose(value, -1.0, rtol=1e-12)  # -MSW / ((k - 1) MSW), k = 2

    def test_nan_scores_are_dropped(self) -> None:
        scores = np.append(ICC_SCORES, [np.nan, np.nan])
        groups = np.append(ICC_GROUPS, [1, 4])
        assert_allclose(icc1(scores, groups), 0.6954955, atol=5e-8)

    def test_group_of_one_counts_between_groups(self) -> None:
        scores = np.append(ICC_SCORES, 1.0)
        groups = np.append(ICC_GROUPS, 9)
        assert_allclose(icc1(scores, groups), naive_icc(scores, groups)[0], rtol=1e-12)

    def test_zero_within_group_variance_gives_one(self) -> None:
        assert icc1([2.0, 2.0, 4.0, 4.0], [0, 0, 1, 1]) == 1.0

    def test_no_variance_at_all_is_nan(self) -> None:
        assert np.isnan(icc1([3.0, 3.0, 3.0, 3.0], [0, 0, 1, 1]))

    def test_single_group_is_nan(self) -> None:
        assert np.isnan(icc1([1.0, 2.0, 3.0], [0, 0, 0]))

    def test_all_groups_of_one_is_nan(self) -> None:
        assert np.isnan(icc1([1.0, 2.0, 3.0], [0, 1, 2]))

    def test_all_scores_missing_is_nan(self) -> None:
        assert np.isnan(icc1([np.nan, np.nan, np.nan], [0, 1, 1]))

    def test_empty_group_list_is_nan(self) -> None:
        assert np.isnan(icc1(np.array([]), np.array([])))

    def test_infinite_score_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="scores contains infinite values"):
            icc1([1.0, np.inf], [0, 1])

    def test_two_dimensional_scores_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="scores must be 1-D"):
            icc1([[1.0, 2.0]], [0])

    @settings(max_examples=300, deadline=None)
    @given(grouped_likert(max_cols=1), st.integers(0, 2**32 - 1))
    def test_properties(self, data, seed) -> None:
        values, groups = data
        x = values[:, 0]
        value = icc1(x, groups)
        assert_allclose(value, naive_icc(x, groups)[0], rtol=1e-9, atol=1e-12)
        if np.isfinite(value):
            keep = ~np.isnan(x)
            k = keep.sum() / np.unique(groups[keep]).size
            # MSB >= 0 bounds ICC(1) below by -1 / (k - 1); k > 1 when defined.
            assert -1 / (k - 1) - 1e-12 <= value <= 1 + 1e-12
        order = np.random.default_rng(seed).permutation(x.size)
        assert_allclose(icc1(x[order], groups[order]), value, rtol=1e-9, atol=1e-12)
        renamed, _ = relabel(groups, seed)
        assert_allclose(icc1(x, renamed), value, rtol=1e-9, atol=1e-12)


class TestIcc2:
    def test_against_R_multilevel_reference_sets(self, reference) -> None:
        # multilevel::ICC2(aov(score ~ as.factor(group)))
        scores = scale_scores(reference.items)
        assert_allclose(
            icc2(scores, reference.groups), reference.expected["icc2"], rtol=1e-9
        )

    def test_against_R_multilevel_worked_example(self) -> None:
        # multilevel::ICC2(aov(score ~ as.factor(grp))) .9082353
        assert_allclose(icc2(ICC_SCORES, ICC_GROUPS), 0.9082353, atol=5e-8)

    def test_equals_one_minus_inverse_f(self) -> None:
        groups = [ICC_SCORES[ICC_GROUPS == g] for g in (1, 2, 3)]
        f = stats.f_oneway(*groups).statistic
        assert_allclose(icc2(ICC_SCORES, ICC_GROUPS), 1 - 1 / f, rtol=1e-12)

    def test_not_truncated(self) -> None:
        value = icc2([1.0, 5.0, 2.0, 4.0, 3.0, 3.5], [0, 0, 1, 1, 2, 2])
        assert value < 0

    def test_nan_scores_are_dropped(self) -> None:
        scores = np.append(ICC_SCORES, np.nan)
        groups = np.append(ICC_GROUPS, 2)
        assert_allclose(icc2(scores, groups), 0.9082353, atol=5e-8)

    def test_group_of_one(self) -> None:
        scores = np.append(ICC_SCORES, 1.0)
        groups = np.append(ICC_GROUPS, 9)
        assert_allclose(icc2(scores, groups), naive_icc(scores, groups)[1], rtol=1e-12)

    def test_zero_within_group_variance_gives_one(self) -> None:
        assert icc2([2.0, 2.0, 4.0, 4.0], [0, 0, 1, 1]) == 1.0

    def test_equal_group_means_is_nan(self) -> None:
        # MSB = 0: ICC(2) = (0 - MSW) / 0 is undefined.
        assert np.isnan(icc2([3.0, 3.0, 3.0, 3.0], [0, 0, 1, 1]))

    def test_empty_group_list_is_nan(self) -> None:
        assert np.isnan(icc2(np.array([]), np.array([])))

    def test_infinite_score_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="scores contains infinite values"):
            icc2([1.0, -np.inf], [0, 1])

    def test_mismatched_groups_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="groups has 3 labels for 2 respondents"):
            icc2([1.0, 2.0], [0, 1, 1])

    @settings(max_examples=300, deadline=None)
    @given(grouped_likert(max_cols=1), st.integers(0, 2**32 - 1))
    def test_properties(self, data, seed) -> None:
        values, groups = data
        x = values[:, 0]
        value = icc2(x, groups)
        assert_allclose(value, naive_icc(x, groups)[1], rtol=1e-9, atol=1e-12)
        if np.isfinite(value):
            assert value <= 1 + 1e-12
            # ICC(2) is the Spearman-Brown step-up of ICC(1) to k = N / G.
            keep = ~np.isnan(x)
            k = keep.sum() / np.unique(groups[keep]).size
            assert_allclose(
                reliability_of_mean(k, icc1(x, groups)), value, rtol=1e-9, atol=1e-9
            )
        order = np.random.default_rng(seed).permutation(x.size)
        assert_allclose(icc2(x[order], groups[order]), value, rtol=1e-9, atol=1e-12)
        renamed, _ = relabel(groups, seed)
        assert_allclose(icc2(x, renamed), value, rtol=1e-9, atol=1e-12)


class TestReliabilityOfMean:
    def test_against_R_multilevel_worked_example(self) -> None:
        # multilevel ICC1 .6954955 stepped up to k = 13/3 gives ICC2 .9082353
        icc = icc1(ICC_SCORES, ICC_GROUPS)
        assert_allclose(reliability_of_mean(13 / 3, icc), 0.9082353, atol=5e-8)

    def test_vectorised_over_n(self) -> None:
        n = np.array([1, 2, 5, 10, 50])
        out = reliability_of_mean(n, 0.1)
        assert isinstance(out, np.ndarray) and out.shape == (5,)
        naive = [k * 0.1 / (1 + (k - 1) * 0.1) for k in n]
        assert_allclose(out, naive, rtol=1e-15)

    def test_scalar_gives_float(self) -> None:
        value = reliability_of_mean(5, 0.2)
        assert isinstance(value, float)
        assert_allclose(value, 1 / (1 + 0.8 / (5 * 0.2)), rtol=1e-15)

    def test_group_of_one_is_icc1(self) -> None:
        assert_allclose(
            reliability_of_mean([1, 1], [0.3, -0.2]), [0.3, -0.2], rtol=1e-15
        )

    def test_broadcasts_icc1(self) -> None:
        out = reliability_of_mean([[5], [10]], [0.1, 0.2])
        assert out.shape == (2, 2)

    @pytest.mark.parametrize("bad", [0, -1, np.inf, np.nan])
    def test_invalid_n_is_rejected(self, bad: float) -> None:
        with pytest.raises(ValueError, match=r"^n "):
            reliability_of_mean([5, bad], 0.1)

    def test_infinite_icc1_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="icc1"):
            reliability_of_mean(5, np.inf)

    def test_shapes_that_do_not_broadcast_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="do not broadcast"):
            reliability_of_mean([1, 2, 3], [0.1, 0.2])

    @settings(max_examples=300, deadline=None)
    @given(st.floats(0.001, 0.999), st.integers(1, 1000), st.integers(1, 1000))
    def test_bounded_and_increasing_in_n(self, icc: float, a: int, b: int) -> None:
        lo, hi = sorted((a, b))
        r_lo, r_hi = reliability_of_mean([lo, hi], icc)
        assert icc - 1e-12 <= r_lo <= r_hi + 1e-12 <= 1 + 2e-12
