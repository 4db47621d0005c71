"""Small unanimous groups: bands, and the exact figures around them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ownership.analytics.decisions import Column, decide
from ownership.analytics.disclosure import private_parts
from ownership.analytics.loading import WaveData, tree_arrays
from ownership.analytics.unanimity import near_unanimous, share_band


def wave_data(parents: list[int], node_of_person: list[int], k: int = 3) -> WaveData:
    """Respondents in a tree given by ``parents`` (node 0 is the organisation)."""
    tree = [
        {
            "id": i,
            "code": f"D{i}",
            "name": f"D{i}",
            "parent": None if p == 0 else f"D{p}",
        }
        for i, p in enumerate(parents, start=1)
    ]
    nodes, parent, depth, ancestors = tree_arrays(tree)
    people = len(node_of_person)
    return WaveData(
        wave_id=1,
        label="w",
        k=k,
        snapshot={},
        nodes=nodes,
        parent=parent,
        depth=depth,
        ancestors=ancestors,
        response_node=np.asarray(node_of_person, dtype=np.intp),
        items=[],
        likert=np.zeros((people, 0)),
        nps=np.full(people, np.nan),
        loci=[],
        allocation=np.zeros((people, 0)),
        owner=np.full(people, np.nan),
        invited=np.zeros(len(nodes), dtype=np.int64),
        released_in=np.zeros(people, dtype=np.int64),
        response_ids=np.arange(people, dtype=object),
    )


class TestNearUnanimous:
    def test_all_and_all_but_one_look_the_same(self):
        n = np.array([6, 6, 6, 6, 6, 10])
        count = np.array([0, 1, 2, 5, 6, 10])
        assert near_unanimous(count, n, 10).tolist() == [
            True,
            True,
            False,
            True,
            True,
            False,  # 10 is not below the threshold
        ]

    def test_bands_hold_both_cases(self):
        assert share_band(0, 6) == share_band(1, 6) == (0.0, pytest.approx(1 / 6))
        assert share_band(5, 6) == share_band(6, 6) == (pytest.approx(5 / 6), 1.0)


class TestBands:
    def test_a_parent_cannot_give_a_banded_child_away(self):
        # Organisation (0) > A (1) > A1 (2), A2 (3). A1 has 6 people, all
        # favourable; A2 has 12, half favourable; A has nobody of its own.
        # A1 shows a band; showing both A and A2 exactly would give A1's
        # count by subtraction, so one of them is hidden as well.
        data = wave_data([0, 1, 1], [2] * 6 + [3] * 12, k=3)
        favourable = np.array([True] * 6 + [True] * 6 + [False] * 6)
        everyone = np.ones(18, dtype=bool)
        column = Column(
            "c",
            everyone,
            3,
            few=favourable[:, None],
            many=favourable[:, None],
            band_below=10,
        )
        decision = decide(
            data, [Column("respondents", everyone, 3), column], [], 1, everyone
        )
        banded, hidden = decision.banded["c"], decision.hidden["c"]
        assert banded.tolist() == [False, False, True, False]
        exact = ~banded & ~hidden
        # No exact figure is left whose subtraction isolates A1.
        assert not (exact[1] and exact[3])

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(st.integers(0, 20), min_size=1, max_size=6).flatmap(
            lambda sizes: st.tuples(
                st.just(sizes),
                st.lists(st.integers(0, 100), min_size=len(sizes), max_size=len(sizes)),
                st.lists(st.integers(0, 10), min_size=len(sizes), max_size=len(sizes)),
            )
        )
    )
    def test_no_exact_combination_isolates_a_near_unanimous_small_group(self, case):
        sizes, parent_draws, favourable_draws = case
        parents = [draw % (i + 1) for i, draw in enumerate(parent_draws)]
        people = [node for node, size in enumerate(sizes, start=1) for _ in range(size)]
        if not people:
            return
        favourable = np.array(
            [
                i < min(f, size)
                for size, f in zip(sizes, favourable_draws, strict=True)
                for i in range(size)
            ]
        )
        data = wave_data(parents, people, k=3)
        everyone = np.ones(len(people), dtype=bool)
        column = Column(
            "c",
            everyone,
            3,
            few=favourable[:, None],
            many=favourable[:, None],
            band_below=10,
        )
        decision = decide(
            data, [Column("respondents", everyone, 3), column], [], 1, everyone
        )
        exact = ~decision.banded["c"] & ~decision.hidden["c"]
        # Every group an onlooker isolates from exact favourable counts is a
        # union of private parts of exact cells; none may be small and
        # near-unanimous.
        n = data.rolled_up(everyone.astype(float))
        count = data.rolled_up(favourable.astype(float))
        size = private_parts(data.parent, data.depth, n[:, None], exact[:, None])[:, 0]
        part = private_parts(data.parent, data.depth, count[:, None], exact[:, None])
        small = exact & near_unanimous(part[:, 0], size, 10)
        assert not small.any()
