"""Tests for ownership.stats.descriptives: grouped means and scale scores."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from ownership.stats._common import as_groups
from ownership.stats.descriptives import (
    GroupMeans,
    _group_index,
    group_means,
    scale_scores,
)

REPO = Path(__file__).parents[3]


@st.composite
def grouped_answers(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Real-valued answers (rows, cols) with some NaN, labels for 1-6 groups."""
    n = draw(st.integers(0, 40))
    k = draw(st.integers(1, 5))
    cells = st.one_of(
        st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
        st.just(np.nan),
    )
    values = np.array(
        draw(st.lists(cells, min_size=n * k, max_size=n * k)), dtype=float
    ).reshape(n, k)
    groups = np.array(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)))
    return values, groups


def pandas_group_means(x: np.ndarray, groups: np.ndarray) -> dict[str, np.ndarray]:
    """The same statistics with pandas groupby (skips NaN, ddof = 1)."""
    grouped = pd.DataFrame(x).groupby(groups)
    return {
        "n": grouped.count().to_numpy(),
        "mean": grouped.mean().to_numpy(),
        "sd": grouped.std().to_numpy(),
    }


class TestGroupMeans:
    def test_against_pandas_groupby_on_reference_sets(self, reference) -> None:
        # pandas: df.groupby(group).agg(["count", "mean", "std"]), the same as
        # R's aggregate(items, list(group), mean, na.rm = TRUE) and sd.
        res = group_means(reference.items, reference.groups)
        expected = pandas_group_means(reference.items, reference.groups)
        assert res.labels.tolist() == sorted(set(reference.groups.tolist()))
        assert_array_equal(res.n, expected["n"])
        assert_allclose(res.mean, expected["mean"], rtol=1e-12)
        assert_allclose(res.sd, expected["sd"], rtol=1e-12)

    def test_worked_example(self) -> None:
        x = np.array([[4, 5], [2, np.nan], [5, 3], [5, 4]])
        res = group_means(x, ["a", "a", "b", "b"])
        assert_array_equal(res.n, [[2, 1], [2, 2]])
        assert_allclose(res.mean, [[3.0, 5.0], [5.0, 3.5]], rtol=1e-15)
        assert_allclose(res.sd, [[np.sqrt(2), np.nan], [0.0, np.sqrt(0.5)]], rtol=1e-15)

    def test_group_of_one_has_no_sd(self) -> None:
        res = group_means([[3.0, 4.0]], ["solo"])
        assert_allclose(res.mean, [[3.0, 4.0]], rtol=1e-15)
        assert np.isnan(res.sd).all()

    def test_zero_variance_group(self) -> None:
        res = group_means([[3.0], [3.0], [3.0]], [1, 1, 1])
        assert res.sd[0, 0] == 0.0 and res.mean[0, 0] == 3.0

    def test_all_missing_item(self) -> None:
        x = np.array([[1.0, np.nan], [2.0, np.nan], [3.0, np.nan]])
        res = group_means(x, [0, 0, 1])
        assert_array_equal(res.n[:, 1], [0, 0])
        assert np.isnan(res.mean[:, 1]).all() and np.isnan(res.sd[:, 1]).all()

    def test_single_item_as_1d(self) -> None:
        res = group_means([1.0, 2.0, 4.0], [0, 0, 1])
        assert res.mean.shape == (2, 1)
        assert_allclose(res.mean[:, 0], [1.5, 4.0], rtol=1e-15)

    def test_empty_group_list(self) -> None:
        res = group_means(np.empty((0, 3)), np.array([], dtype=int))
        assert res.labels.size == 0
        assert res.n.shape == res.mean.shape == res.sd.shape == (0, 3)

    def test_infinite_value_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items contains infinite values"):
            group_means([[1.0, np.inf]], [0])

    def test_three_dimensional_items_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must be 1-D or 2-D"):
            group_means(np.zeros((2, 2, 2)), [0, 1])

    def test_mismatched_groups_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="groups has 1 labels for 2 respondents"):
            group_means([[1.0], [2.0]], [0])

    def test_result_is_frozen(self) -> None:
        res = group_means([[1.0]], [0])
        assert isinstance(res, GroupMeans)
        with pytest.raises(dataclasses.FrozenInstanceError):
            res.mean = None  # type: ignore[misc]

    def test_accuracy_with_a_large_offset(self) -> None:
        # Two-pass sums keep the SD exact where a one-pass formula would not.
        x = 1e9 + np.array([[1.0], [2.0], [3.0]])
        assert_allclose(group_means(x, [0, 0, 0]).sd, [[1.0]], rtol=1e-9)

    @settings(max_examples=300, deadline=None)
    @given(grouped_answers(), st.integers(0, 2**32 - 1))
    def test_vectorised_equals_pandas_and_is_invariant(self, data, seed) -> None:
        x, groups = data
        res = group_means(x, groups)
        if x.shape[0]:
            expected = pandas_group_means(x, groups)
            assert_array_equal(res.n, expected["n"])
            assert_allclose(res.mean, expected["mean"], rtol=1e-9, atol=1e-9)
            assert_allclose(res.sd, expected["sd"], rtol=1e-9, atol=1e-9)
        finite = np.isfinite(res.sd)
        assert (res.sd[finite] >= 0).all()
        rng = np.random.default_rng(seed)
        order = rng.permutation(x.shape[0])
        shuffled = group_means(x[order], groups[order])
        assert_allclose(shuffled.mean, res.mean, rtol=1e-9, atol=1e-9)
        assert_array_equal(shuffled.n, res.n)
        # Relabelling groups (order-preserving shift) leaves every row in place.
        renamed = group_means(x, groups + 100)
        assert_array_equal(renamed.labels, res.labels + 100)
        assert_allclose(renamed.sd, res.sd, rtol=1e-12, atol=1e-12)


class TestGroupIndex:
    """The private O(n) index for integer labels must equal ``as_groups``."""

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=50),
        st.sampled_from([np.int64, np.int32, np.int16, np.uint8, np.uint64]),
        st.integers(1, 3),
    )
    def test_equals_as_groups(self, raw: list[int], dtype, spread: int) -> None:
        info = np.iinfo(dtype)
        arr = np.array(
            [min(max(v // spread**20, info.min), info.max) for v in raw]
        ).astype(dtype)
        fast, slow = _group_index(arr, arr.size), as_groups(arr, arr.size)
        assert fast.labels.dtype == slow.labels.dtype
        assert_array_equal(fast.labels, slow.labels)
        assert_array_equal(fast.codes, slow.codes)
        assert_array_equal(fast.sizes, slow.sizes)

    def test_wide_span_falls_back(self) -> None:
        arr = np.array([0, 10**12, 5])
        assert_array_equal(_group_index(arr, 3).codes, [0, 2, 1])

    def test_strings_fall_back(self) -> None:
        res = _group_index(np.array(["b", "a", "b"]), 3)
        assert res.labels.tolist() == ["a", "b"] and res.sizes.tolist() == [1, 2]

    def test_errors_are_those_of_as_groups(self) -> None:
        with pytest.raises(ValueError, match="groups has 2 labels for 3 respondents"):
            _group_index(np.array([1, 2]), 3)


class TestScaleScores:
    def test_listwise_by_default(self) -> None:
        x = np.array([[4.0, 5.0, 3.0], [2.0, np.nan, 4.0]])
        assert_allclose(scale_scores(x), [4.0, np.nan], rtol=1e-15)

    def test_min_items(self) -> None:
        x = np.array([[4.0, 5.0, 3.0], [2.0, np.nan, 4.0], [np.nan, np.nan, 1.0]])
        assert_allclose(scale_scores(x, min_items=2), [4.0, 3.0, np.nan], rtol=1e-15)
        assert_allclose(scale_scores(x, min_items=1), [4.0, 3.0, 1.0], rtol=1e-15)

    def test_single_item(self) -> None:
        assert_allclose(scale_scores([[2.0], [np.nan]]), [2.0, np.nan], rtol=1e-15)

    def test_all_missing_item(self) -> None:
        x = np.array([[1.0, np.nan], [3.0, np.nan]])
        assert np.isnan(scale_scores(x)).all()
        assert_allclose(scale_scores(x, min_items=1), [1.0, 3.0], rtol=1e-15)

    def test_no_respondents(self) -> None:
        assert scale_scores(np.empty((0, 4))).shape == (0,)

    def test_matches_pandas_row_mean(self, reference) -> None:
        expected = pd.DataFrame(reference.items).mean(axis=1, skipna=False)
        assert_allclose(scale_scores(reference.items), expected, rtol=1e-15)

    def test_infinite_value_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items contains infinite values"):
            scale_scores([[1.0, np.inf]])

    @pytest.mark.parametrize("bad", [0, 4, 1.5, True])
    def test_invalid_min_items_is_rejected(self, bad: object) -> None:
        with pytest.raises(ValueError, match="min_items"):
            scale_scores(np.ones((2, 3)), min_items=bad)

    def test_no_items_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must have at least 1 column"):
            scale_scores(np.empty((2, 0)))


class TestModulePurity:
    def test_modules_import_without_django(self) -> None:
        # ownership.stats must stay pure numpy/scipy (DESIGN.md); the project's
        # import-linter contract checks the whole package, this checks ours.
        code = (
            "import sys\n"
            "import ownership.stats.reliability, ownership.stats.agreement\n"
            "import ownership.stats.descriptives\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('django', 'wagtail', 'rest_framework', 'pandas', 'cms', 'surveys')]\n"
            "print(','.join(bad))\n"
        )
        out = subprocess.run(  # noqa: S603 - fixed interpreter and code
            [sys.executable, "-c", code],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == ""
