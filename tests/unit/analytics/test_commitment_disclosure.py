"""Disclosure control of the commitment figures: who answered, who judged
and the heatmap's "commitments kept" must not tell on each other.

Each case is an attack an HR analyst holding every output could try: k = 5,
comment threshold 10; answers 1..5, 0 for don't know, NaN not asked.
"""

from __future__ import annotations

import numpy as np
import pytest

from ownership.analytics.decisions import columns_of, decide, visible_from_json
from ownership.analytics.heatmap import build_heatmap
from ownership.analytics.kept import commitment_column, judged_column
from ownership.analytics.loading import WaveData, tree_arrays
from tests.adversary import smallest_recoverable_group

NAN = np.nan


def wave(parents, node_of, kept, commitments, released=None, k=5) -> WaveData:
    """Departments D1.. (``parents[i]``: the parent of D(i+1), 0 for none)."""
    tree = [
        {"id": i, "code": f"D{i}", "name": f"D{i}", "parent": f"D{p}" if p else None}
        for i, p in enumerate(parents, 1)
    ]
    nodes, parent, depth, ancestors = tree_arrays(tree)
    m = len(node_of)
    return WaveData(
        1,
        "w",
        k,
        {"commitments": {"items": {}}},
        nodes,
        parent,
        depth,
        ancestors,
        np.asarray(node_of, dtype=np.intp),
        [],
        np.zeros((m, 0)),
        np.full(m, NAN),
        [],
        np.zeros((m, 0)),
        np.full(m, NAN),
        np.zeros(len(nodes), dtype=np.int64),
        released_in=np.zeros(m, np.int64) if released is None else np.array(released),
        response_ids=np.arange(m, dtype=object),
        commitments=commitments,
        kept=np.asarray(kept, dtype=float).reshape(m, len(commitments)),
    )


def decided(data, history=(), sequence=1):
    return decide(
        data, columns_of(data, 10), list(history), sequence, data.released_in == 0
    )


def shown(disclosure, name) -> list[int]:
    return np.flatnonzero(~disclosure.column(name)).tolist()


def test_one_judge_among_many_who_did_not_know_is_not_shown():
    # n = 10, nine don't know, one says 2: the judges' figures would be hers.
    d = decided(wave([0], [1] * 10, [0] * 9 + [2], [7]))
    assert shown(d, judged_column(7)) == [] and shown(d, commitment_column(7)) == []


def test_a_parent_minus_its_child_isolates_no_judge():
    # D1 has ten of its own (nine don't know, one 2) and a child D2 of 20
    # judges: D1's judges minus D2's would be that one person.
    data = wave([0, 1], [1] * 10 + [2] * 20, [0] * 9 + [2] + [4, 5, 3, 2, 5] * 4, [7])
    d = decided(data)
    for name in (commitment_column(7), judged_column(7), "commitments_kept"):
        assert 2 not in shown(d, name), name


def test_fewer_judges_than_k_get_no_figures():
    d = decided(wave([0], [1] * 8, [0] * 4 + [5, 5, 1, 2], [7]))
    assert shown(d, judged_column(7)) == [] and shown(d, commitment_column(7)) == []


def test_a_small_unanimous_group_of_judges_is_withheld():
    # Twelve answered, three did not know, the nine judges all said 5.
    d = decided(wave([0], [1] * 12, [0] * 3 + [5] * 9, [7]))
    assert 1 in shown(d, judged_column(7))
    assert d.bands(judged_column(7))[1]


def test_the_heatmap_hides_what_a_commitment_hides():
    # P = D1 with X = D2 (six judges) and Y = D3 (four don't know, one
    # skipped): the commitment hides X to protect Y; were the heatmap to show
    # X's six judges, P's figures would tell that Y's four all did not know.
    data = wave(
        [0, 1, 1], [2] * 6 + [3] * 5, [4, 5, 2, 4, 5, 3] + [0, 0, 0, 0, NAN], [7]
    )
    d = decided(data)
    assert 2 not in shown(d, commitment_column(7))
    assert 2 not in shown(d, "commitments_kept")
    heatmap = build_heatmap(data.subset(d.admitted), d)
    row = next(r for r in heatmap.rows if r.department.code == "D2")
    cell = next(c for c in row.cells if c.construct == "commitments_kept")
    assert cell.suppressed and cell.n is None


def test_a_new_judge_waits_for_enough_others_in_a_later_release():
    # Release 1: ten judge c7 and c8. Before release 2 five more answer: all
    # judge c8, four do not know c7 and one says 1; admitted, c7's figures
    # would move by that one answer.
    first_c7 = [4, 5, 3, 4, 2, 5, 4, 4, 3, 5]
    first = wave([0], [1] * 10, np.column_stack([first_c7, [4] * 10]), [7, 8])
    d1 = decided(first)
    history = [visible_from_json(d1.to_json(), len(first.nodes))]
    second = wave(
        [0],
        [1] * 15,
        np.column_stack([first_c7 + [0, 0, 0, 0, 1], [4] * 10 + [4, 5, 4, 5, 4]]),
        [7, 8],
        released=[1] * 10 + [0] * 5,
    )
    d2 = decided(second, history, sequence=2)
    assert int(d2.admitted.sum()) == 10


def test_a_nested_population_hides_what_its_outer_one_hides():
    # P has A (40, all complete) and B (8: three answered the construct,
    # none complete). The construct hides A to protect B's three; were the
    # drivers' complete respondents shown at A (40 = A's row), A's construct
    # count would be 40 and B's, P's 43 minus 40, three.
    from ownership.analytics.columns import Column
    from ownership.analytics.decisions import RESPONDENTS
    from tests.unit.analytics.test_decisions import wave_data

    parent = [-1, 0, 1, 1]
    node_of = [2] * 40 + [3] * 8
    data = wave_data(parent, node_of, np.zeros(48, dtype=np.int64), k=5)
    construct = np.array([True] * 43 + [False] * 5)
    complete = np.array([True] * 40 + [False] * 8)
    columns = [
        Column(RESPONDENTS, np.ones(48, dtype=bool), 5),
        Column("construct:c", construct, 5),
        Column(
            "drivers:x", complete, 5, across_releases=False, follows=("construct:c",)
        ),
    ]
    d = decide(data, columns, [], 1, np.ones(48, dtype=bool))
    assert 2 not in shown(d, "construct:c")
    assert 2 not in shown(d, "drivers:x")


def _published(data, d, names) -> list[frozenset]:
    """The people behind every shown cell of the populations ``names``."""
    sets = []
    admitted = d.admitted
    for column in columns_of(data, 10):
        if column.name not in names:
            continue
        for node in np.flatnonzero(~d.column(column.name)):
            below = (data.ancestors[data.response_node] == node).any(axis=1)
            people = frozenset(np.flatnonzero(column.members & admitted & below))
            if people:
                sets.append(people)
    return sets


@pytest.mark.parametrize("seed", range(12))
def test_no_small_group_falls_out_of_the_commitment_figures(seed):
    # Random trees of up to eight departments, two commitments answered with
    # many "don't know"s and skips. In each population (who answered, who
    # judged, the heatmap's judges) no combination of published cells may
    # single out fewer than k people. (How many did not know is an answer
    # count, published as a share like any favourable share; the families
    # keep the populations from telling on each other, tested above.)
    rng = np.random.default_rng(seed)
    size = int(rng.integers(3, 9))
    parents = [0] + [int(rng.integers(1, i + 1)) for i in range(1, size)]
    node_of = rng.integers(1, size + 1, size=int(rng.integers(20, 60)))
    answers = rng.choice([0, 0, 1, 3, 4, 5, NAN], size=(len(node_of), 2))
    data = wave(parents, node_of.tolist(), answers, [7, 8])
    d = decided(data)
    names = {
        "commitments_kept",
        commitment_column(7),
        judged_column(7),
        commitment_column(8),
        judged_column(8),
    }
    for name in names:
        sets = _published(data, d, {name})
        assert smallest_recoverable_group(sets, 5) is None, (seed, name)
