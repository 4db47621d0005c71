"""The exact adversary (people, not departments) and the release decisions.

No database: :func:`decide` runs on hand-built :class:`WaveData`, release by
release, as :func:`release_make` would feed it. After every run, each visible
node of each release is a published set of respondents (the admitted ones in
its subtree), and the exact adversary of :mod:`tests.adversary` must find no
group of fewer than the column's threshold whose total those sets give away.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ownership.analytics.decisions import RESPONDENTS, Column, columns_of, decide
from ownership.analytics.disclosure import suppress
from ownership.analytics.loading import Item, WaveData, tree_arrays
from tests.adversary import (
    in_row_space,
    null_space,
    recoverable_small_groups,
    recovering_combination,
    respondent_classes,
    smallest_recoverable_group,
)

# --------------------------------------------------------------------------
# The adversary on hand-made sets


def people(prefix: str, n: int) -> set[str]:
    return {f"{prefix}{i}" for i in range(n)}


def assert_combination_gives(published, group, coefficients):
    """The combination really adds up to the group's indicator."""
    total: dict = {}
    for index, a in coefficients.items():
        for person in published[index]:
            total[person] = total.get(person, 0) + a
    assert {p for p, a in total.items() if a != 0} == set(group)
    assert all(total[p] == 1 for p in group)


class TestExactAdversary:
    def test_parent_minus_visible_child_isolates_the_rest(self):
        child = people("c", 6)
        rest = people("r", 2)
        published = [child | rest, child]
        group = smallest_recoverable_group(published, 5)
        assert set(group) == rest
        coefficients = recovering_combination(published, rest)
        assert coefficients == {0: Fraction(1), 1: Fraction(-1)}
        assert_combination_gives(published, rest, coefficients)

    def test_hidden_child_visible_later_isolates_its_old_members(self):
        # Release 1: Parent = its own 5 + Child's 2 old members (Child hidden).
        # Release 2: 5 new people join Child, which is now shown.
        own, old, new = people("p", 5), people("o", 2), people("n", 5)
        release1 = [own | old]
        release2 = [own | old | new, old | new]
        published = release1 + release2
        # Each release alone is safe ...
        assert smallest_recoverable_group(release1, 5) is None
        assert smallest_recoverable_group(release2, 5) is None
        # ... together they give the old members away: C2 - (P2 - P1).
        assert set(smallest_recoverable_group(published, 5)) == old
        coefficients = recovering_combination(published, old)
        assert coefficients == {0: 1, 1: -1, 2: 1}
        assert_combination_gives(published, old, coefficients)

    def test_new_members_of_a_cell_are_a_difference(self):
        # The same cell in two releases, one new person: n and mean of the
        # later release minus the earlier give that person's answer.
        before = people("a", 7)
        published = [before, before | {"x"}]
        assert smallest_recoverable_group(published, 5) == ("x",)

    def test_the_smallest_group_wins(self):
        big, three, two = people("b", 9), people("t", 3), people("w", 2)
        published = [big | three | two, big | three, big]
        assert set(smallest_recoverable_group(published, 5)) == two
        # Both small groups are recoverable; only larger k shows the three.
        assert in_row_space(published, three)
        assert smallest_recoverable_group(published, 2) is None

    def test_a_group_that_needs_several_classes(self):
        # {a, b} is no single class, yet S1 - S2 gives it.
        # Classes: a, b, c and {d, e, f}. {a, b} = S1 - S2 and {a, c} = S3
        # are the smallest; no single person is recoverable.
        published = [{"a", "b", "c", "d", "e", "f"}, {"c", "d", "e", "f"}, {"a", "c"}]
        found = smallest_recoverable_group(published, 3)
        assert set(found) in ({"a", "b"}, {"a", "c"})
        assert not any(in_row_space(published, {p}) for p in "abcdef")
        assert in_row_space(published, {"b", "d", "e", "f"})
        assert not in_row_space(published, {"a", "d"})  # splits a class

    @pytest.mark.parametrize(
        "published",
        [
            [],
            [set()],
            [people("a", 5)],
            # A laminar family whose private parts are all >= 5.
            [people("a", 5) | people("b", 5) | people("c", 6), people("b", 5)],
            # Two releases: the cell grows by exactly five people.
            [people("a", 6), people("a", 6) | people("n", 5)],
            # Overlaps that only ever cut off groups of five.
            [people("a", 5) | people("b", 5), people("b", 5) | people("c", 5)],
        ],
    )
    def test_safe_cases_report_nothing(self, published):
        assert smallest_recoverable_group(published, 5) is None

    def test_people_in_no_set_are_never_found(self):
        assert not in_row_space([people("a", 6)], {"z"})
        assert smallest_recoverable_group([people("a", 6)], 5) is None

    def test_a_matrix_works_like_sets(self):
        matrix = np.array([[1, 1, 1, 1, 1, 1], [0, 1, 1, 1, 1, 1]])
        assert smallest_recoverable_group(matrix, 5) == (0,)
        assert respondent_classes(matrix).sizes == [1, 5]

    def test_null_space_is_exact(self):
        matrix = np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]])
        basis = null_space(matrix)
        assert basis.shape == (4, 1)
        assert not (matrix @ basis).any()
        assert null_space(np.zeros((0, 3))).shape == (3, 3)

    def test_search_limit_is_loud(self):
        # Five sets, 31 people, each in a different combination of them: 31
        # singleton classes and a large null space to search.
        published = [{p for p in range(1, 32) if p >> bit & 1} for bit in range(5)]
        assert respondent_classes(published).sizes == [1] * 31
        with pytest.raises(RuntimeError, match="limit"):
            smallest_recoverable_group(published, 6, limit=100)
        assert smallest_recoverable_group(published, 4) is None

    @settings(max_examples=200, deadline=None)
    @given(
        matrix=st.integers(1, 6).flatmap(
            lambda n: st.lists(
                st.lists(st.integers(0, 1), min_size=n, max_size=n),
                min_size=0,
                max_size=5,
            ).map(lambda rows: np.array(rows, dtype=np.int64).reshape(-1, n))
        )
    )
    def test_agrees_with_brute_force(self, matrix):
        """Every subset of at most six people, tested by rank."""
        n = matrix.shape[1]
        smallest = None
        rank = np.linalg.matrix_rank(matrix) if matrix.size else 0
        for size in range(1, n + 1):
            for group in itertools.combinations(range(n), size):
                target = np.zeros(n)
                target[list(group)] = 1
                stacked = np.vstack([matrix, target]) if matrix.size else target[None]
                if np.linalg.matrix_rank(stacked) == rank:
                    smallest = size
                    break
            if smallest:
                break
        found = smallest_recoverable_group(matrix, n + 1)
        assert (None if found is None else len(found)) == smallest
        if found is not None:
            assert in_row_space(matrix, found)
            sets = [np.flatnonzero(row).tolist() for row in matrix]
            assert_combination_gives(sets, found, recovering_combination(sets, found))

    @settings(max_examples=100, deadline=None)
    @given(
        size=st.integers(1, 9),
        data=st.data(),
        k=st.integers(3, 6),
    )
    def test_finds_whatever_the_department_adversary_finds(self, size, data, k):
        parent = np.array(
            [-1] + [data.draw(st.integers(0, i - 1)) for i in range(1, size)]
        )
        own = np.array([data.draw(st.integers(0, 7)) for _ in range(size)])
        shown = np.array([data.draw(st.booleans()) for _ in range(size)])
        node_of = np.repeat(np.arange(size), own)
        anc = [{j} for j in range(size)]
        for j in range(size):
            p = parent[j]
            while p >= 0:
                anc[j].add(p)
                p = parent[p]
        published = [
            {i for i, j in enumerate(node_of) if v in anc[j]}
            for v in np.flatnonzero(shown)
        ]
        old = recoverable_small_groups(parent, own, shown, k)
        found = smallest_recoverable_group(published, k)
        if old:
            assert found is not None and len(found) < k
        if found is None:
            assert old == []


# --------------------------------------------------------------------------
# decide() on synthetic waves


def wave_data(parent, node_of, released_in, k, questions=()) -> WaveData:
    """A WaveData with a tree, one node per respondent and nothing else."""
    tree = [
        {
            "code": f"D{i}",
            "name": f"Department {i}",
            "parent": None if parent[i] == 0 else f"D{parent[i]}",
        }
        for i in range(1, len(parent))
    ]
    nodes, parent_array, depth, ancestors = tree_arrays(tree)
    assert parent_array.tolist() == list(parent)
    n = len(node_of)
    items = [
        Item(q["id"], q["item"], q["construct"], q["points"], q["reverse_keyed"])
        for q in questions
        if q["type"] == "likert"
    ]
    return WaveData(
        wave_id=1,
        label="Synthetic",
        k=k,
        snapshot={"questions": list(questions)},
        nodes=nodes,
        parent=parent_array,
        depth=depth,
        ancestors=ancestors,
        response_node=np.asarray(node_of, dtype=np.intp),
        items=items,
        likert=np.full((n, len(items)), 4.0),  # everyone agrees: 4 of 5
        nps=np.full(n, np.nan),
        loci=[],
        allocation=np.zeros((n, 0)),
        owner=np.full(n, np.nan),
        invited=np.zeros(len(nodes), dtype=np.int64),
        released_in=np.asarray(released_in, dtype=np.int64),
        response_ids=np.arange(n),
    )


def subtree_sets(parent) -> list[set[int]]:
    """For each node, the nodes of its subtree."""
    below = [{i} for i in range(len(parent))]
    for i in range(len(parent) - 1, 0, -1):
        below[parent[i]] |= below[i]
    return below


def run_releases(parent, node_of, arrival, columns, releases, k):
    return run_releases_with(wave_data, parent, node_of, arrival, columns, releases, k)


def run_releases_with(make_data, parent, node_of, arrival, columns, releases, k):
    """Make releases 1..``releases`` as release_make does.

    ``arrival[i]`` is the release before which respondent ``i`` has answered;
    ``columns`` maps a column name to (members, threshold), the first being
    all respondents, or is a function of the release's WaveData that returns
    the columns (``columns_of``). Returns each respondent's first release (0:
    never) and the visible nodes per column of each release.
    """
    node_of = np.asarray(node_of, dtype=np.intp)
    arrival = np.asarray(arrival)
    released_in = np.zeros(len(node_of), dtype=np.int64)
    history: list[dict[str, np.ndarray]] = []
    for sequence in range(1, releases + 1):
        here = np.flatnonzero(arrival <= sequence)
        data = make_data(parent, node_of[here], released_in[here], k)
        if callable(columns):
            cols = columns(data)
        else:
            cols = [
                Column(name, np.asarray(members, dtype=bool)[here], threshold)
                for name, (members, threshold) in columns.items()
            ]
        disclosure = decide(
            data, cols, history, sequence, candidates=data.released_in == 0
        )
        old = data.released_in > 0
        assert disclosure.admitted[old].all(), "a published response was dropped"
        rows = disclosure.hidden[RESPONDENTS]
        for name, hidden in disclosure.hidden.items():
            assert hidden[rows].all(), f"{name} shows a row the respondents hide"
        released_in[here[disclosure.admitted & ~old]] = sequence
        history.append({name: ~hidden for name, hidden in disclosure.hidden.items()})
    return released_in, history


def published_sets(parent, node_of, released_in, history, members) -> dict:
    """Per column: every published set (release, node) -> respondents."""
    below = subtree_sets(parent)
    out: dict[str, dict[tuple[int, int], frozenset[int]]] = {}
    for name in history[0]:
        chosen = np.asarray(members[name], dtype=bool)
        sets = {}
        for release, visible in enumerate(history, start=1):
            for node in np.flatnonzero(visible[name]):
                sets[(release, int(node))] = frozenset(
                    i
                    for i, where in enumerate(node_of)
                    if chosen[i]
                    and 1 <= released_in[i] <= release
                    and where in below[node]
                )
        out[name] = sets
    return out


def assert_no_small_group(sets: dict, threshold: int, label: str = ""):
    keys = list(sets)
    published = [sets[key] for key in keys]
    for key, members in sets.items():
        assert len(members) >= threshold, (label, key, len(members))
    group = smallest_recoverable_group(published, threshold)
    if group is not None:
        combination = recovering_combination(published, group)
        attack = {keys[i]: str(a) for i, a in combination.items()}
        pytest.fail(
            f"{label}: {len(group)} respondent(s) {sorted(group)} isolated by "
            f"(release, node) x coefficient {attack}"
        )


def only_respondents(n, k):
    return {RESPONDENTS: (np.ones(n, dtype=bool), k)}


class TestDecideByHand:
    def test_one_new_respondent_waits(self):
        # org > A, org > B; five each in release 1, then one more in B.
        parent = [-1, 0, 0]
        node_of = [1] * 5 + [2] * 5 + [2]
        arrival = [1] * 10 + [2]
        released_in, history = run_releases(
            parent, node_of, arrival, only_respondents(11, 5), 2, 5
        )
        assert released_in.tolist() == [1] * 10 + [0]
        assert history[1][RESPONDENTS].tolist() == [True, True, True]

    def test_five_new_respondents_are_admitted(self):
        parent = [-1, 0, 0]
        node_of = [1] * 5 + [2] * 5 + [2] * 5
        arrival = [1] * 10 + [2] * 5
        released_in, history = run_releases(
            parent, node_of, arrival, only_respondents(15, 5), 2, 5
        )
        assert released_in.tolist() == [1] * 10 + [2] * 5

    def test_hidden_child_stays_hidden_when_it_grows(self):
        # org > P > H, org > Q. Release 1: P's own 5, H 2 (hidden), Q 5.
        # Release 2: 5 new in H. Showing H would give H's old two away.
        parent = [-1, 0, 1, 0]
        node_of = [1] * 5 + [2] * 2 + [3] * 5 + [2] * 5
        arrival = [1] * 12 + [2] * 5
        columns = only_respondents(17, 5)
        released_in, history = run_releases(parent, node_of, arrival, columns, 2, 5)
        assert history[0][RESPONDENTS].tolist() == [True, True, False, True]
        assert history[1][RESPONDENTS].tolist() == [True, True, False, True]
        assert (released_in == np.array(arrival)).all()
        sets = published_sets(
            parent,
            node_of,
            released_in,
            history,
            {RESPONDENTS: np.ones(17, dtype=bool)},
        )[RESPONDENTS]
        assert_no_small_group(sets, 5)

        # Suppression release by release alone (no history) shows H in
        # release 2 and the adversary takes H's old two.
        n2 = np.array([17, 12, 7, 5])
        naive = ~suppress(parent, n2, 5)
        assert naive.tolist() == [True, True, True, True]
        naive_sets = dict(sets)
        naive_sets[(2, 2)] = frozenset(range(5, 7)) | frozenset(range(12, 17))
        assert set(smallest_recoverable_group(list(naive_sets.values()), 5)) == {5, 6}

    def test_organisation_private_part_splitting_an_earlier_class(self):
        # org > A, org > B. Release 1: org's own 3 and B's 2 (B hidden) make
        # one class of 5 in the organisation's private part, A has 5.
        # Release 2: 5 new in B. Showing B leaves the organisation's own three.
        parent = [-1, 0, 0]
        node_of = [0] * 3 + [2] * 2 + [1] * 5 + [2] * 5
        arrival = [1] * 10 + [2] * 5
        columns = only_respondents(15, 5)
        released_in, history = run_releases(parent, node_of, arrival, columns, 2, 5)
        assert history[0][RESPONDENTS].tolist() == [True, True, False]
        assert history[1][RESPONDENTS].tolist() == [True, True, False]
        assert released_in.tolist() == arrival
        sets = published_sets(
            parent,
            node_of,
            released_in,
            history,
            {RESPONDENTS: np.ones(15, dtype=bool)},
        )[RESPONDENTS]
        assert_no_small_group(sets, 5)

    def test_nothing_published_then_four_more(self):
        # Release 1: three people, nothing shown; release 2: four more.
        parent = [-1, 0]
        node_of = [1] * 7
        arrival = [1] * 3 + [2] * 4
        released_in, history = run_releases(
            parent, node_of, arrival, only_respondents(7, 5), 3, 5
        )
        assert not history[0][RESPONDENTS].any()
        sets = published_sets(
            parent, node_of, released_in, history, {RESPONDENTS: np.ones(7, dtype=bool)}
        )[RESPONDENTS]
        assert_no_small_group(sets, 5)


class TestDecidePublishesWhatIsSafe:
    """A release withholds no figure and no response for a reason an onlooker
    could not exploit."""

    def test_a_release_that_admits_nobody_hides_nothing_that_was_shown(self):
        # org > A > B with k = 5: the organisation's own 5, A's own 4, B's 5.
        # Release 1 shows org and A (B would leave A's own four). Release 2
        # has one newcomer in A, who must wait; the people behind release 2
        # are exactly those of release 1, so release 1's cells are safe again.
        parent = [-1, 0, 1]
        node_of = [0] * 5 + [1] * 4 + [2] * 5 + [1]
        arrival = [1] * 14 + [2]
        released_in, history = run_releases(
            parent, node_of, arrival, only_respondents(15, 5), 2, 5
        )
        assert released_in.tolist() == [1] * 14 + [0]  # the newcomer waits
        assert history[0][RESPONDENTS].tolist() == [True, True, False]
        # While the newcomer still counted, A's private part reached 5, B
        # became visible and A's own four a class of their own; once the
        # newcomer waits, nothing is hidden on their account.
        assert history[1][RESPONDENTS].tolist() == [True, True, False]

    def test_an_early_release_with_nothing_shown_does_not_block_the_wave(self):
        # k = 5: three people answer before release 1 (nothing can be shown),
        # four more before release 2. Release 1 published no figure about
        # anyone, so to an onlooker all seven are one group: release 2 can
        # show the organisation with seven, as a wave without interim
        # results would.
        parent = [-1, 0]
        node_of = [1] * 7
        arrival = [1] * 3 + [2] * 4
        released_in, history = run_releases(
            parent, node_of, arrival, only_respondents(7, 5), 3, 5
        )
        assert not history[0][RESPONDENTS].any()
        assert smallest_recoverable_group([set(range(7))] * 2, 5) is None
        # Included in release 1 but in none of its figures looks the same as
        # not yet included: the three and the four are one class of seven.
        assert released_in.tolist() == [1] * 3 + [2] * 4
        assert history[1][RESPONDENTS][0]

    def test_a_sparse_column_does_not_hold_everybody_back(self):
        # Ten answer before release 1, three of them a construct (so it is not
        # shown); five more before release 2, four of them the construct.
        # The construct was never shown: its seven are one group. All five
        # newcomers could be published (respondents: a new class of five).
        parent = [-1, 0]
        node_of = [1] * 15
        arrival = [1] * 10 + [2] * 5
        answered = np.array([1] * 3 + [0] * 7 + [1] * 4 + [0], dtype=bool)
        columns = {
            RESPONDENTS: (np.ones(15, dtype=bool), 5),
            "construct:x": (answered, 5),
        }
        released_in, history = run_releases(parent, node_of, arrival, columns, 3, 5)
        assert not history[0]["construct:x"].any()
        # Without the construct, the five are admitted.
        alone, _history = run_releases(
            parent, node_of, arrival, only_respondents(15, 5), 3, 5
        )
        assert alone[10:].tolist() == [2] * 5
        # The construct's three of release 1 were in none of its figures, so
        # its seven are one class and nobody is held back.
        assert released_in[10:].tolist() == [2] * 5

    def test_without_a_free_text_question_comments_do_not_hold_newcomers_back(
        self,
    ):
        # k = 5, COMMENT_MIN_GROUP_SIZE 10, a survey with one Likert question
        # and no free-text question: no comment can ever be published.
        # Release 1: ten in A, ten in B. Release 2: eight newcomers in C, a
        # new class of eight in every column with threshold k.
        questions = [
            {
                "id": "q1",
                "type": "likert",
                "item": "FR-1",
                "construct": "felt-responsibility",
                "points": 5,
                "reverse_keyed": False,
            }
        ]
        parent = [-1, 0, 0, 0]
        node_of = [1] * 10 + [2] * 10 + [3] * 8
        arrival = [1] * 20 + [2] * 8

        def columns(data):
            cols = columns_of(data, 10)
            assert "comments" in [c.name for c in cols]
            return cols

        def runner(parent, node_of, released_in, k):
            return wave_data(parent, node_of, released_in, k, questions)

        released_in, history = run_releases_with(
            runner, parent, node_of, arrival, columns, 2, 5
        )
        assert released_in[:20].tolist() == [1] * 20
        # Without the comments column, the eight are admitted.
        without, _history = run_releases_with(
            runner,
            parent,
            node_of,
            arrival,
            lambda data: [c for c in columns_of(data, 10) if c.name != "comments"],
            2,
            5,
        )
        assert without[20:].tolist() == [2] * 8
        # Comments are published once, with the final release, so their
        # threshold holds nobody back between releases.
        assert released_in[20:].tolist() == [2] * 8


# --------------------------------------------------------------------------
# decide() on random waves


@st.composite
def waves(draw, max_nodes=8, max_people=45):
    size = draw(st.integers(2, max_nodes))
    parent = [-1] + [draw(st.integers(0, i - 1)) for i in range(1, size)]
    n = draw(st.integers(0, max_people))
    # Respondents mostly in departments, a few at the organisation itself
    # (a department missing from the frozen tree lands there).
    node_of = draw(
        st.lists(
            st.one_of(st.integers(1, size - 1), st.just(0)), min_size=n, max_size=n
        )
    )
    releases = draw(st.integers(2, 4))
    arrival = draw(st.lists(st.integers(1, releases), min_size=n, max_size=n))
    k = draw(st.sampled_from([3, 4, 5]))
    return parent, node_of, arrival, releases, k


SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class TestDecideAgainstTheAdversary:
    @SETTINGS
    @given(wave=waves())
    def test_all_respondents(self, wave):
        parent, node_of, arrival, releases, k = wave
        members = {RESPONDENTS: np.ones(len(node_of), dtype=bool)}
        columns = {RESPONDENTS: (members[RESPONDENTS], k)}
        released_in, history = run_releases(
            parent, node_of, arrival, columns, releases, k
        )
        sets = published_sets(parent, node_of, released_in, history, members)
        assert_no_small_group(sets[RESPONDENTS], k, RESPONDENTS)

    @SETTINGS
    @given(wave=waves(), data=st.data())
    def test_several_columns(self, wave, data):
        """All respondents, a construct some skipped, and comments with a
        higher threshold: each column on its own is safe."""
        parent, node_of, arrival, releases, k = wave
        n = len(node_of)
        answered = np.array(
            data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool
        ).reshape(n)
        members = {
            RESPONDENTS: np.ones(n, dtype=bool),
            "construct:x": answered | (np.arange(n) % 3 == 0),
            "comments": np.ones(n, dtype=bool),
        }
        thresholds = {RESPONDENTS: k, "construct:x": k, "comments": k + 3}
        columns = {name: (members[name], thresholds[name]) for name in members}
        released_in, history = run_releases(
            parent, node_of, arrival, columns, releases, k
        )
        sets = published_sets(parent, node_of, released_in, history, members)
        for name, column_sets in sets.items():
            assert_no_small_group(column_sets, thresholds[name], name)

    @settings(max_examples=50, deadline=None)
    @given(wave=waves())
    def test_everybody_is_published_once_the_whole_is_large_enough(self, wave):
        """Holding back is never forever when the newcomers of the last
        release alone form a group of k in every department: a sanity check
        that decide() is not simply hiding everything."""
        parent, node_of, arrival, releases, k = wave
        n = len(node_of)
        # A last release where every department gets k newcomers.
        extra_nodes = [i for i in range(1, len(parent)) for _ in range(k)]
        node_of = list(node_of) + extra_nodes
        arrival = list(arrival) + [releases + 1] * len(extra_nodes)
        members = {RESPONDENTS: np.ones(len(node_of), dtype=bool)}
        released_in, history = run_releases(
            parent,
            node_of,
            arrival,
            {RESPONDENTS: (members[RESPONDENTS], k)},
            releases + 1,
            k,
        )
        assert history[-1][RESPONDENTS][0]  # the organisation is shown
        assert (released_in[n:] > 0).any()
        sets = published_sets(parent, node_of, released_in, history, members)
        assert_no_small_group(sets[RESPONDENTS], k, RESPONDENTS)
