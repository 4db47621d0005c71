"""Tests for ownership.stats.likert: every per-group Likert figure from one count."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from ownership.stats.agreement import rwg, rwg_j
from ownership.stats.descriptives import group_means
from ownership.stats.inference import favourable_by_group
from ownership.stats.likert import LikertCounts, likert_counts
from tests.stats_strategies import grouped_likert, relabel


def per_construct_rwg_j(x, groups, constructs, a):
    """rwg_j called construct by construct, in sorted construct order."""
    return [rwg_j(x[:, constructs == c], groups, a) for c in np.unique(constructs)]


class TestAgainstR:
    def test_rwg_of_first_item(self, reference) -> None:
        # R 4.2, multilevel 2.7:
        #   rwg(items$i1, group, ranvar = (A^2 - 1) / 12)
        expected = reference.expected["rwg_item1"]
        res = likert_counts(reference.items, reference.groups, reference.n_options)
        agreement = res.rwg()
        assert agreement.labels.tolist() == expected["groups"]
        assert_allclose(
            agreement.values[:, 0], expected["values"], rtol=1e-9, atol=1e-12
        )
        assert agreement.sizes[:, 0].tolist() == expected["sizes"]

    def test_rwg_j_of_the_scale(self, reference) -> None:
        # R 4.2, multilevel 2.7:
        #   rwg.j(items, group, ranvar = (A^2 - 1) / 12)
        # (rows with any missing item dropped; groups of one give NA)
        expected = reference.expected["rwg_j"]
        res = likert_counts(reference.items, reference.groups, reference.n_options)
        agreement = res.rwg_j()
        assert agreement.values.shape == (len(expected["groups"]), 1)
        values = [np.nan if v is None else v for v in expected["values"]]
        assert_allclose(agreement.values[:, 0], values, rtol=1e-9, atol=1e-12)
        assert agreement.sizes[:, 0].tolist() == expected["sizes"]

    def test_rwg_j_worked_example(self) -> None:
        # VECTORS.md, A = 5: multilevel::rwg.j(cbind(a, b, c), grp, ranvar = 2)
        #   A .9512195, B 0, C NA, D .9857143
        a = [5, 5, 4, 4, 5, 1, 5, 1, 5, 3, 3, 4, 4, 4, 4]
        b = [4, 5, 4, 5, 5, 2, 4, 1, 5, 3, 2, 4, 4, 4, 4]
        c = [5, 4, 4, 4, 4, 1, 5, 2, 4, 3, 4, 4, 4, 4, 5]
        items = np.column_stack([a, b, c]).astype(float)
        groups = np.array(list("AAAAABBBBBCDDDD"))
        res = likert_counts(items, groups, 5).rwg_j()
        assert_allclose(
            res.values[:, 0], [0.9512195, 0.0, np.nan, 0.9857143], atol=5e-8
        )  # 7 decimals in VECTORS.md
        assert res.sizes[:, 0].tolist() == [5, 5, 1, 4]


class TestAgainstItemByItemFunctions:
    @settings(max_examples=200, deadline=None)
    @given(grouped_likert(max_cols=6), st.integers(0, 2**32 - 1))
    def test_every_figure_equals_the_single_item_functions(self, data, seed) -> None:
        values, groups = data
        k = values.shape[1]
        # Constructs in any order, not adjacent: labels drawn per item.
        constructs = np.random.default_rng(seed).integers(0, 3, size=k)
        res = likert_counts(values, groups, 5, constructs)

        means = group_means(values, groups)
        got = res.means()
        assert_array_equal(got.labels, means.labels)
        assert_array_equal(got.n, means.n)
        assert_allclose(got.mean, means.mean, rtol=1e-12, atol=1e-12)
        assert_allclose(got.sd, means.sd, rtol=1e-9, atol=1e-12)

        agreement = rwg(values, groups, 5)
        assert_allclose(res.rwg().values, agreement.values, rtol=1e-9, atol=1e-12)
        assert_array_equal(res.rwg().sizes, agreement.sizes)

        fav = res.favourable()
        for j in range(k):
            one = favourable_by_group(values[:, j], groups, 5)
            assert_array_equal(fav.n[:, j], one.n)
            assert_array_equal(fav.successes[:, j], one.successes)
            assert_allclose(fav.share[:, j], one.share, rtol=1e-15)
            assert_allclose(fav.low[:, j], one.low, rtol=1e-12, atol=1e-15)
            assert_allclose(fav.high[:, j], one.high, rtol=1e-12, atol=1e-15)

        scales = res.rwg_j()
        assert_array_equal(res.constructs, np.unique(constructs))
        for c, one in enumerate(per_construct_rwg_j(values, groups, constructs, 5)):
            assert_allclose(scales.values[:, c], one.values, rtol=1e-9, atol=1e-12)
            assert_array_equal(scales.sizes[:, c], one.sizes)

    @settings(max_examples=100, deadline=None)
    @given(grouped_likert(max_cols=4), st.integers(0, 2**32 - 1))
    def test_invariant_to_respondent_order_and_relabelling(self, data, seed) -> None:
        values, groups = data
        res = likert_counts(values, groups, 5)
        order = np.random.default_rng(seed).permutation(values.shape[0])
        shuffled = likert_counts(values[order], groups[order], 5)
        assert_array_equal(shuffled.counts, res.counts)
        assert_array_equal(shuffled.listwise, res.listwise)
        renamed, mapping = relabel(groups, seed)
        other = likert_counts(values, renamed, 5)
        by_name = {mapping[g]: i for i, g in enumerate(res.labels.tolist())}
        rows = [by_name[name] for name in other.labels.tolist()]
        assert_array_equal(other.counts, res.counts[rows])

    @settings(max_examples=100, deadline=None)
    @given(grouped_likert(max_cols=4), st.sampled_from([2, 5, 7]))
    def test_counts_account_for_every_answer(self, data, a) -> None:
        values, groups = data
        x = np.minimum(values, a)
        res = likert_counts(x, groups, a)
        assert res.counts.shape == (np.unique(groups).size, x.shape[1], a)
        assert res.counts.sum() == np.count_nonzero(~np.isnan(x))
        complete = ~np.isnan(x).any(axis=1)
        assert res.listwise.sum() == complete.sum() * x.shape[1]
        assert (res.listwise <= res.counts).all()
        finite = res.rwg().values[np.isfinite(res.rwg().values)]
        assert ((finite >= 0) & (finite <= 1)).all()


class TestEdgeCases:
    def test_group_of_one(self) -> None:
        res = likert_counts([[4.0], [5.0], [3.0]], ["a", "b", "b"], 5)
        assert np.isnan(res.means().sd[0, 0]) and np.isnan(res.rwg().values[0, 0])
        assert res.means().mean[0, 0] == 4.0

    def test_zero_variance_group(self) -> None:
        res = likert_counts([[4.0, 2.0], [4.0, 2.0], [4.0, 2.0]], [1, 1, 1], 5)
        assert res.means().sd.tolist() == [[0.0, 0.0]]
        assert res.rwg().values.tolist() == [[1.0, 1.0]]
        assert res.rwg_j().values.tolist() == [[1.0]]

    def test_all_missing_item(self) -> None:
        x = np.array([[4.0, np.nan], [5.0, np.nan], [2.0, np.nan]])
        res = likert_counts(x, [0, 0, 0], 5)
        means = res.means()
        assert means.n.tolist() == [[3, 0]]
        assert np.isnan(means.mean[0, 1]) and np.isnan(res.favourable().share[0, 1])
        # Every row misses an item of the one construct: no complete rows.
        assert res.rwg_j().sizes.tolist() == [[0]] and np.isnan(
            res.rwg_j().values[0, 0]
        )

    def test_single_item_rwg_j_equals_rwg(self) -> None:
        x = np.array([[5.0], [4.0], [4.0], [1.0], [2.0]])
        res = likert_counts(x, list("aaabb"), 5)
        assert_allclose(res.rwg_j().values, res.rwg().values, rtol=1e-15)

    def test_empty_group_list(self) -> None:
        res = likert_counts(np.empty((0, 3)), np.array([], dtype=int), 5)
        assert res.labels.size == 0 and res.counts.shape == (0, 3, 5)
        assert res.means().mean.shape == (0, 3) and res.rwg_j().values.shape == (0, 1)

    def test_missing_answers_drop_only_their_construct_for_rwg_j(self) -> None:
        x = np.array([[5, 4, np.nan, 2], [4, 4, 3, 3], [5, 5, 3, 3]])
        res = likert_counts(x, [0, 0, 0], 5, constructs=["p", "p", "q", "q"])
        assert res.constructs.tolist() == ["p", "q"]
        assert res.rwg_j().sizes.tolist() == [[3, 2]]

    @pytest.mark.parametrize(
        ("items", "message"),
        [
            ([[np.inf, 1.0]], "items contains infinite values"),
            (
                [[1.0, 6.0]],
                r"items must lie between 1 and n_options=5, got values in \[1, 6\]",
            ),
            ([[0.0, 1.0]], r"items must lie between 1 and n_options=5"),
            ([[1.5, 2.0]], r"items must hold whole answers"),
            ([1.0, 2.0], "items must be 2-D, got 1-D"),
            ([["x", "y"]], "items must be numeric"),
        ],
    )
    def test_bad_items_are_named(self, items, message) -> None:
        with pytest.raises(ValueError, match=message):
            likert_counts(items, [0] * len(items), 5)

    def test_no_items_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must have at least 1 column"):
            likert_counts(np.empty((2, 0)), [0, 1], 5)

    def test_constructs_must_match_the_items(self) -> None:
        with pytest.raises(
            ValueError, match=r"constructs must be 1-D with one label per item \(2\)"
        ):
            likert_counts([[1.0, 2.0]], [0], 5, constructs=["a", "b", "c"])

    def test_construct_labels_must_be_comparable(self) -> None:
        with pytest.raises(
            ValueError, match="constructs labels must be mutually comparable"
        ):
            likert_counts(
                [[1.0, 2.0]], [0], 5, constructs=np.array([1, "a"], dtype=object)
            )

    @pytest.mark.parametrize("n_options", [1, 2.5, True])
    def test_bad_n_options_is_named(self, n_options) -> None:
        with pytest.raises(ValueError, match="n_options must be"):
            likert_counts([[1.0]], [0], n_options)

    def test_groups_must_match_the_items(self) -> None:
        with pytest.raises(ValueError, match="groups has 1 labels for 2 respondents"):
            likert_counts([[1.0], [2.0]], [0], 5)

    @pytest.mark.parametrize(("top", "confidence"), [(0, 0.95), (5, 0.95), (2, 1.0)])
    def test_bad_favourable_arguments_are_named(self, top, confidence) -> None:
        res = likert_counts([[1.0], [2.0]], [0, 0], 5)
        with pytest.raises(ValueError, match="top|confidence"):
            res.favourable(top=top, confidence=confidence)

    def test_results_are_frozen(self) -> None:
        res = likert_counts([[1.0], [2.0]], [0, 0], 5)
        assert isinstance(res, LikertCounts)
        with pytest.raises(AttributeError):
            res.n_options = 7  # type: ignore[misc]
        with pytest.raises(ValueError, match="read-only"):
            res.counts[0, 0, 0] = 9

    def test_wide_scales_and_many_items(self) -> None:
        # Bins of one row no longer fit 16 bits: the wider type gives the same.
        rng = np.random.default_rng(3)
        x = rng.integers(1, 12, size=(60, 1500)).astype(float)
        groups = rng.integers(0, 4, size=60)
        res = likert_counts(x, groups, 11)
        assert_allclose(res.means().mean, group_means(x, groups).mean, rtol=1e-12)
