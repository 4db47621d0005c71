"""Disclosure control against an onlooker who subtracts published numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ownership.analytics.disclosure import private_parts, suppress
from tests.adversary import recoverable_small_groups, subtree_membership


def totals(parent, own):
    return subtree_membership(np.asarray(parent)) @ np.asarray(own, dtype=float)


class TestSuppress:
    def test_primary(self):
        # org(0) > A(1) > A1(2), org > B(3)
        parent = [-1, 0, 1, 0]
        n = [20, 12, 3, 8]
        hidden = suppress(parent, n, 5)
        assert hidden.tolist() == [False, False, True, False]

    def test_complementary_within_a_parent(self):
        # A has 12 = A1 (3, hidden) + A2 (9): showing A2 would give A1 away.
        parent = [-1, 0, 1, 1, 0]
        own = [0, 0, 3, 9, 10]
        hidden = suppress(parent, totals(parent, own).astype(int), 5)
        assert hidden.tolist() == [False, False, True, True, False]

    def test_parent_with_a_few_direct_members(self):
        # Claims has 2 people of its own above two visible teams: hide a team.
        parent = [-1, 0, 1, 1]
        own = [0, 2, 6, 7]
        n = totals(parent, own).astype(int)
        hidden = suppress(parent, n, 5)
        assert hidden.tolist() == [False, False, True, False]
        assert (
            private_parts(
                np.array(parent), np.array([0, 1, 2, 2]), n[:, None], ~hidden[:, None]
            )[1, 0]
            == 8
        )

    def test_organisation_and_top_level(self):
        # The organisation minus its visible top-level departments.
        parent = [-1, 0, 0, 0]
        own = [0, 10, 10, 4]
        hidden = suppress(parent, totals(parent, own).astype(int), 5)
        # C (4) is too small; then org - A - B = C, so one of the equal tens goes.
        assert hidden.tolist() == [False, False, True, True]

    def test_columns_are_independent_and_hidden_rows_count(self):
        parent = [-1, 0, 0]
        n = np.array([[20, 20], [10, 10], [10, 10]])
        rows_hidden = np.array([[False, False], [False, True], [False, False]])
        hidden = suppress(parent, n, 5, hidden=rows_hidden)
        # Column 1: B is hidden already, so A's 10 = org 20 - ... stays fine.
        assert hidden.tolist() == [[False, False], [False, True], [False, False]]

    def test_ties_hide_the_later_node(self):
        parent = [-1, 0, 0, 0]
        own = [2, 6, 6, 6]
        hidden = suppress(parent, totals(parent, own).astype(int), 5)
        assert hidden.tolist() == [False, False, False, True]

    @pytest.mark.parametrize("k", [2, 0, 2.5, True])
    def test_k_must_be_at_least_three(self, k):
        with pytest.raises(ValueError, match="k must be an integer of at least 3"):
            suppress([-1], [10], k)

    def test_parents_must_come_first(self):
        with pytest.raises(ValueError, match="parents must come before"):
            suppress([-1, 2, 0], [10, 5, 5], 3)

    def test_negative_counts(self):
        with pytest.raises(ValueError, match="n must not be negative"):
            suppress([-1, 0], [10, -1], 3)


@st.composite
def trees(draw):
    size = draw(st.integers(1, 14))
    parent = [-1] + [draw(st.integers(0, i - 1)) for i in range(1, size)]
    own = [draw(st.integers(0, 12)) for _ in range(size)]
    return np.array(parent), np.array(own)


class TestAdversary:
    @settings(max_examples=300, deadline=None)
    @given(tree=trees(), k=st.integers(3, 7))
    def test_no_small_group_can_be_recovered(self, tree, k):
        parent, own = tree
        n = totals(parent, own).astype(np.int64)
        hidden = suppress(parent, n, k)
        assert not (n[~hidden] < k).any()
        assert recoverable_small_groups(parent, own, ~hidden, k) == []

    @settings(max_examples=100, deadline=None)
    @given(tree=trees(), k=st.integers(3, 7), data=st.data())
    def test_per_column_on_top_of_hidden_rows(self, tree, k, data):
        parent, own = tree
        rows_hidden = suppress(parent, totals(parent, own).astype(np.int64), k)
        # A column where some people skipped the question.
        answered = np.array([data.draw(st.integers(0, o)) for o in own])
        n = totals(parent, answered).astype(np.int64)
        hidden = suppress(parent, n, k, hidden=rows_hidden)
        assert hidden[rows_hidden].all()
        assert recoverable_small_groups(parent, answered, ~hidden, k) == []

    def test_the_adversary_finds_a_naive_leak(self):
        # Without complementary suppression, A1 = A - A2 leaks.
        parent = np.array([-1, 0, 1, 1, 0])
        own = np.array([0, 0, 3, 9, 10])
        naive = totals(parent, own) >= 5
        assert recoverable_small_groups(parent, own, naive, 5) != []
