"""Releases through the real services against an onlooker who keeps them all.

A wave with interim results is answered in batches, with a release after
each batch (one batch is a single new respondent in a small department) and a
final release after closing. The test keeps the ground truth the database
holds: each response's department, its answers and the first release that
included it (``Response.released_in``). From that it rebuilds the set of
respondents behind every published heatmap cell of every release, checks the
published n (and mean) against it, and hands all sets of a wave to the exact
adversary of :mod:`tests.adversary`, which must find no group of fewer than k
whose total they give away.

A reorganisation before a second wave must leave the first wave's stored
releases untouched, and a response arriving between two reads of the results
page changes nothing on it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pytest
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from ownership import analytics
from ownership.analytics import releases as release_store
from ownership.models import Department
from ownership.permissions import EVERYTHING
from surveys.models import (
    Invitation,
    Release,
    ReleaseReport,
    Response,
    Wave,
    unanswered,
)
from surveys.services import (
    invitations_issue,
    response_submit,
    wave_close,
    wave_open,
)
from tests.adversary import recovering_combination, smallest_recoverable_group
from tests.factories import (
    DepartmentFactory,
    EmployeeFactory,
    likert,
    make_survey,
    publish,
)

K = 5
QUESTIONS = [
    likert("FR-1"),
    likert("FR-4"),
    likert("CO-1"),
    likert("CO-2"),
    {
        "type": "recommendation",
        "value": {"text": "Recommend?", "low_label": "0", "high_label": "10"},
    },
]
# (code, name, parent): Board > Claims > Motor, Property; Board > Sales > Key
# Accounts; Board > IT. Key Accounts and IT stay small.
TREE = [
    ("BOARD", "Board", None),
    ("CLM", "Claims", "BOARD"),
    ("MOT", "Motor", "CLM"),
    ("PRO", "Property", "CLM"),
    ("SAL", "Sales", "BOARD"),
    ("KEY", "Key Accounts", "SAL"),
    ("IT", "IT", "BOARD"),
]
STAFF = 20  # employees per department, more than ever answer
# Who answers before each release of the first wave; the last batch answers
# before the wave closes.
BATCHES = [
    {"MOT": 5, "PRO": 5, "SAL": 6, "KEY": 2, "CLM": 1},
    {"KEY": 1},  # one new respondent in a small department
    {"CLM": 2, "MOT": 2, "SAL": 11, "IT": 10},
    {"PRO": 11, "KEY": 3, "IT": 1, "MOT": 10},
]


# --------------------------------------------------------------------------
# Building waves through the services


@dataclass
class World:
    """A wave and the ground truth behind its answers."""

    wave: Wave
    answers: dict = field(default_factory=dict)  # response pk -> {slot: value}
    counter: int = 0
    skips: bool = True  # some skip the CO items or the recommendation

    def question_ids(self) -> list[str]:
        return [q["id"] for q in self.wave.snapshot["questions"]]

    def answer(self, code: str, how_many: int, given=None) -> list[Response]:
        """``how_many`` people of ``code`` who have not answered yet answer
        (pseudo-random answers, or the slot -> value dicts in ``given``)."""
        pending = unanswered(
            Invitation.objects.filter(wave=self.wave, department__code=code).order_by(
                "pk"
            )
        )[:how_many]
        assert len(pending) == how_many, (code, how_many)
        ids = self.question_ids()
        made = []
        for number, invitation in enumerate(pending):
            if given is not None:
                answers = {ids[slot]: value for slot, value in given[number].items()}
            else:
                answers = self.random_answers(ids)
            response = response_submit(token=invitation.token, answers=answers)
            self.answers[response.pk] = answers
            made.append(response)
        return made

    def random_answers(self, ids: list[str]) -> dict:
        rng = np.random.default_rng(1000 + self.counter)
        self.counter += 1
        answers = {ids[0]: int(rng.integers(1, 6)), ids[1]: int(rng.integers(1, 6))}
        if len(ids) > 2 and (self.counter % 4 or not self.skips):
            # every fourth person skips the CO items
            answers[ids[2]] = int(rng.integers(1, 6))
            answers[ids[3]] = int(rng.integers(1, 6))
        if len(ids) > 4 and (self.counter % 5 or not self.skips):
            # every fifth skips the recommendation
            answers[ids[4]] = int(rng.integers(0, 11))
        return answers


def make_tree(tree=TREE) -> dict[str, Department]:
    made: dict[str, Department] = {}
    for code, name, parent in tree:
        made[code] = DepartmentFactory(
            code=code, name=name, parent=made[parent] if parent else None
        )
    for code in made:
        for _ in range(STAFF):
            EmployeeFactory(department=Department.objects.get(code=code))
    return {code: Department.objects.get(code=code) for code in made}


def open_wave(survey, label: str, *, opens_at, interim=True, audience="BOARD") -> World:
    wave = Wave.objects.create(
        survey=survey,
        label=label,
        opens_at=opens_at,
        closes_at=timezone.now() + dt.timedelta(days=7),
        min_group_size=K,
        interim_results=interim,
    )
    wave.audience.set([Department.objects.get(code=audience)])
    wave = wave_open(wave=wave, now=timezone.now())
    invitations_issue(wave=wave, send=False)
    return World(wave=wave)


def run_first_wave(survey) -> World:
    """Batches with an interim release after each but the last; then the
    wave closes and its final release is made."""
    world = open_wave(
        survey, "Pulse 1", opens_at=timezone.now() - dt.timedelta(hours=2)
    )
    for number, batch in enumerate(BATCHES, start=1):
        for code, how_many in batch.items():
            world.answer(code, how_many)
        if number < len(BATCHES):
            assert publish(world.wave).sequence == number
    wave_close(wave=world.wave)
    world.wave.refresh_from_db()
    final = publish(world.wave)
    assert final.final and final.sequence == len(BATCHES)
    return world


@pytest.fixture
def survey(db):
    make_tree()
    return make_survey(QUESTIONS)


@pytest.fixture
def first_wave(survey) -> World:
    return run_first_wave(survey)


# --------------------------------------------------------------------------
# The onlooker's view: published cells and the respondents behind them


@dataclass(frozen=True)
class Truth:
    """Per response: department code (frozen tree), first release, answers."""

    code: dict  # response pk -> department code
    released_in: dict  # response pk -> first release (None: not yet)
    answers: dict  # response pk -> {question id: value}


def truth_of(world: World) -> Truth:
    tree = world.wave.tree
    code_of_id = {entry["id"]: entry["code"] for entry in tree}
    rows = Response.objects.filter(wave=world.wave).values_list(
        "pk", "department_id", "released_in"
    )
    code = {pk: code_of_id.get(dep) for pk, dep, _r in rows}
    released = {pk: r for pk, _dep, r in rows}
    assert set(code) == set(world.answers)
    return Truth(code, released, world.answers)


def subtree_codes(tree: list[dict], code: str | None) -> set[str | None]:
    """The codes of ``code``'s subtree in a frozen tree (None: everything)."""
    children = defaultdict(list)
    for entry in tree:
        children[entry["parent"]].append(entry["code"])
    if code is None:
        return {entry["code"] for entry in tree} | {None}
    out, todo = set(), [code]
    while todo:
        node = todo.pop()
        out.add(node)
        todo.extend(children[node])
    return out


def scores_of(wave: Wave, answers: dict) -> dict[str, float | None]:
    """Each heatmap column's value for one response (None: not in it)."""
    by_construct = defaultdict(list)
    nps = None
    for q in wave.snapshot["questions"]:
        value = answers.get(q["id"])
        if q["type"] == "likert":
            keyed = None
            if value is not None:
                keyed = q["points"] + 1 - value if q["reverse_keyed"] else value
            by_construct[q["construct"]].append(keyed)
        elif q["type"] == "recommendation" and value is not None:
            nps = 100.0 if value >= 9 else -100.0 if value <= 6 else 0.0
    out: dict[str, float | None] = {"response_rate": 1.0, "nps": nps}
    for construct, values in by_construct.items():
        present = [v for v in values if v is not None]
        enough = len(present) >= max(1, math.ceil(len(values) / 2))
        out[construct] = sum(present) / len(present) if enough else None
    return out


@dataclass(frozen=True)
class Cell:
    release: int
    code: str | None
    column: str
    n: int
    mean: float | None
    people: frozenset


def published_cells(world: World, truth: Truth) -> list[Cell]:
    """Every heatmap cell of every release of the wave that shows an n, with
    the respondents behind it; checks n and mean against the ground truth."""
    wave = world.wave
    cells = []
    values = {pk: scores_of(wave, a) for pk, a in truth.answers.items()}
    for release in Release.objects.filter(wave=wave).order_by("sequence"):
        r = release.sequence
        report = analytics.report("heatmap", wave, EVERYTHING, release=r)
        assert report.release == r
        assert release.tree == wave.tree
        included = {
            pk for pk, first in truth.released_in.items() if first and first <= r
        }
        assert release.respondents == len(included)
        for row in report.rows:
            below = subtree_codes(release.tree, row.department.code)
            inside = {pk for pk in included if truth.code[pk] in below}
            if row.n is not None:
                assert row.n == len(inside), (r, row.department.code)
                cells.append(
                    Cell(
                        r,
                        row.department.code,
                        "respondents",
                        row.n,
                        None,
                        frozenset(inside),
                    )
                )
            for cell in row.cells:
                if cell.n is None:
                    assert cell.mean is None
                    continue
                people = frozenset(
                    pk for pk in inside if values[pk][cell.construct] is not None
                )
                assert cell.n == len(people), (r, row.department.code, cell.construct)
                # A banded cell (see ownership.analytics.unanimity) shows its
                # n but no mean; its n still counts as a published figure.
                if cell.construct != "response_rate" and cell.mean is not None:
                    expected = np.mean([values[pk][cell.construct] for pk in people])
                    assert cell.mean == pytest.approx(expected), (
                        r,
                        row.department.code,
                        cell.construct,
                    )
                cells.append(
                    Cell(
                        r,
                        row.department.code,
                        cell.construct,
                        cell.n,
                        cell.mean,
                        people,
                    )
                )
    return cells


def population(column: str) -> str:
    """Cells of one population: the response rate counts all respondents."""
    return "respondents" if column == "response_rate" else column


def assert_no_small_group(cells: list[Cell], k: int = K) -> None:
    by_population = defaultdict(list)
    for cell in cells:
        assert cell.n >= k, cell
        by_population[population(cell.column)].append(cell)
    assert by_population, "nothing was published"
    for name, group in by_population.items():
        sets = [cell.people for cell in group]
        found = smallest_recoverable_group(sets, k)
        if found is not None:
            combination = recovering_combination(sets, found)
            attack = {
                (group[i].release, group[i].code): str(a)
                for i, a in combination.items()
            }
            pytest.fail(
                f"{name}: {len(found)} respondent(s) isolated by adding and "
                f"subtracting (release, department) cells {attack}"
            )


def assert_differences_are_large(cells: list[Cell], k: int = K) -> None:
    """The same cell in release r and r + 1: the newcomers behind the
    difference of n and of n x mean are none or at least k, and a cell whose
    n did not change kept its mean."""
    at = {(c.release, c.code, c.column): c for c in cells}
    compared = 0
    for (r, code, column), later in at.items():
        earlier = at.get((r - 1, code, column))
        if earlier is None:
            continue
        compared += 1
        assert earlier.people <= later.people
        newcomers = later.n - earlier.n
        assert newcomers == len(later.people - earlier.people)
        assert newcomers == 0 or newcomers >= k, (r, code, column, newcomers)
        if newcomers == 0 and later.mean is not None:
            assert later.mean == pytest.approx(earlier.mean)
    assert compared


# --------------------------------------------------------------------------
# The tests


@pytest.mark.django_db
class TestReleasesAgainstTheAdversary:
    def test_every_release_every_cell(self, first_wave):
        truth = truth_of(first_wave)
        cells = published_cells(first_wave, truth)
        assert {c.release for c in cells} == {1, 2, 3, 4}
        assert_no_small_group(cells)
        assert_differences_are_large(cells)

        # The check has teeth: had any release also shown one department it
        # hid (with the respondents that release included there), the
        # adversary would have found somebody in a group below k.
        respondents = [c.people for c in cells if population(c.column) == "respondents"]
        leaks = 0
        for release in Release.objects.filter(wave=first_wave.wave):
            report = analytics.report(
                "heatmap", first_wave.wave, EVERYTHING, release=release.sequence
            )
            for row in report.rows:
                if not row.suppressed:
                    continue
                below = subtree_codes(release.tree, row.department.code)
                hidden = frozenset(
                    pk
                    for pk, first in truth.released_in.items()
                    if first and first <= release.sequence and truth.code[pk] in below
                )
                if hidden and smallest_recoverable_group([*respondents, hidden], K):
                    leaks += 1
        assert leaks >= 3, leaks

    def test_one_new_respondent_changes_nothing(self, survey):
        world = open_wave(
            survey, "Pulse 1", opens_at=timezone.now() - dt.timedelta(hours=2)
        )
        for code, how_many in BATCHES[0].items():
            world.answer(code, how_many)
        publish(world.wave)
        (alone,) = world.answer("KEY", 1)
        second = publish(world.wave)
        alone.refresh_from_db()
        assert alone.released_in is None  # held back
        assert (
            second.respondents
            == Release.objects.get(wave=world.wave, sequence=1).respondents
        )
        one = analytics.report("heatmap", world.wave, EVERYTHING, release=1)
        two = analytics.report("heatmap", world.wave, EVERYTHING, release=2)
        assert two.release == 2
        assert one.rows == two.rows  # every figure, every hidden cell
        assert_no_small_group(published_cells(world, truth_of(world)))

    def test_the_scenario_exercises_the_rules(self, first_wave):
        """Not a safety check: the batches really make the rules act. The lone
        Key Accounts respondent of batch two waits (release 2 admits nobody),
        Key Accounts is never shown, IT (hidden at first) is shown once ten
        of its people have answered, and later releases admit newcomers."""
        truth = truth_of(first_wave)
        firsts = set(truth.released_in.values())
        assert 1 in firsts and 2 not in firsts and 3 in firsts
        shown = {}
        for r in range(1, len(BATCHES) + 1):
            report = analytics.report("heatmap", first_wave.wave, EVERYTHING, release=r)
            shown[r] = {
                row.department.code for row in report.rows if not row.suppressed
            }
        assert all("KEY" not in codes for codes in shown.values())
        assert "IT" not in shown[1] and "IT" in shown[len(BATCHES)]

    def test_reorganisation_leaves_stored_releases_alone(self, first_wave, survey):
        wave = first_wave.wave
        releases = list(Release.objects.filter(wave=wave).order_by("sequence"))

        def stored():
            rows = ReleaseReport.objects.filter(release__wave=wave).order_by(
                "release__sequence", "kind"
            )
            return (
                list(rows.values_list("release__sequence", "kind", "data")),
                list(
                    rows.annotate(text=Cast("data", TextField())).values_list(
                        "text", flat=True
                    )
                ),
                list(
                    Release.objects.filter(wave=wave)
                    .order_by("sequence")
                    .values_list("uid", "tree", "disclosure", "respondents")
                ),
            )

        def served():
            release_store._stored.cache_clear()
            return {
                (r.sequence, kind): json.dumps(
                    analytics.to_data(
                        analytics.report(kind, wave, EVERYTHING, release=r.sequence)
                    ),
                    sort_keys=True,
                    default=str,
                )
                for r in releases
                for kind in analytics.KINDS
            }

        before, before_served = stored(), served()
        tree_before = Wave.objects.get(pk=wave.pk).tree

        # Reorganisation: Key Accounts moves from Sales to Claims, Sales is
        # renamed and a new department is formed under the Board.
        board = Department.objects.get(code="BOARD")
        key = Department.objects.get(code="KEY")
        key.move(Department.objects.get(code="CLM"), "sorted-child")
        sales = Department.objects.get(code="SAL")
        sales.name = "Sales & Marketing"
        sales.save()
        new = DepartmentFactory(code="NEW", name="Newly formed", parent=board)
        for _ in range(STAFF):
            EmployeeFactory(department=Department.objects.get(pk=new.pk))
        assert Department.objects.get(code="KEY").get_parent().code == "CLM"

        later = open_wave(
            survey, "Pulse 2", opens_at=timezone.now() - dt.timedelta(minutes=5)
        )
        assert later.wave.previous_wave() == wave
        for code, how_many in {"MOT": 5, "KEY": 6, "SAL": 5, "NEW": 5, "IT": 2}.items():
            later.answer(code, how_many)
        publish(later.wave)
        later.answer("NEW", 1)
        publish(later.wave)
        wave_close(wave=later.wave)
        later.wave.refresh_from_db()
        publish(later.wave)

        after, after_served = stored(), served()
        assert after == before  # data, its stored text, tree and decisions
        assert after_served == before_served
        assert Wave.objects.get(pk=wave.pk).tree == tree_before
        # The old wave still groups Key Accounts under Sales, with its old name.
        old = analytics.report("heatmap", wave, EVERYTHING)
        refs = {row.department.code: row.department for row in old.rows}
        assert refs["KEY"].parent_code == "SAL"
        assert refs["SAL"].name == "Sales"
        assert "NEW" not in refs
        # The new wave groups by the new tree.
        new_refs = {
            row.department.code: row.department
            for row in analytics.report("heatmap", later.wave, EVERYTHING).rows
        }
        assert new_refs["KEY"].parent_code == "CLM"
        assert new_refs["SAL"].name == "Sales & Marketing"
        # And the second wave's releases are as safe as the first's.
        cells = published_cells(later, truth_of(later))
        assert_no_small_group(cells)
        assert_differences_are_large(cells)


@pytest.mark.django_db
class TestOpenWavePage:
    def test_a_new_response_between_two_reads_changes_nothing(
        self, client, survey, hr_analyst
    ):
        world = open_wave(
            survey, "Pulse 1", opens_at=timezone.now() - dt.timedelta(hours=2)
        )
        for code, how_many in BATCHES[0].items():
            world.answer(code, how_many)
        publish(world.wave)
        path = reverse("ownership_results_heatmap") + f"?wave={world.wave.pk}"
        client.force_login(hr_analyst)

        first = client.get(path)
        assert first.status_code == 200
        world.answer("SAL", 1)
        second = client.get(path)
        assert second.status_code == 200
        assert normalised(second) == normalised(first)
        assert "Motor" in normalised(first)

        # Even the next release shows the same figures: one newcomer waits.
        publish(world.wave)
        third = client.get(path)
        assert table(normalised(third)) == table(normalised(first))
        respondents = Release.objects.get(wave=world.wave, sequence=1).respondents
        assert f"{respondents} respondents." in normalised(third)
        assert "Interim release 2 " in normalised(third)
        assert Release.objects.filter(wave=world.wave).count() == 2


def normalised(response) -> str:
    """The page without what changes on every request: the CSRF token (in
    Wagtail's JSON config, and in any form)."""
    html = response.content.decode()
    html = re.sub(r'("CSRF_TOKEN":\s*")[^"]+', r"\1", html)
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)


def table(html: str) -> str:
    (found,) = re.findall(r'<table class="heatmap".*?</table>', html, re.S)
    return found


# --------------------------------------------------------------------------
# Edge cases: releases publish all that is safe, and nothing hidden leaks.


@pytest.fixture
def bare_survey(db):
    """The survey alone; each test builds its own small tree."""
    return make_survey(QUESTIONS, slug="bare")


@pytest.mark.django_db
class TestEdgeCases:
    def test_lone_newcomer_does_not_hide_what_was_shown(self, bare_survey):
        """Root (5 of its own) > A (4 of its own) > B (5). Release 1 shows the
        organisation, Root and A (B would leave A's own four). One newcomer
        in A waits, so release 2 stands on exactly release 1's people and
        may show exactly what release 1 showed."""
        make_tree([("ROOT", "Root", None), ("AA", "A", "ROOT"), ("BB", "B", "AA")])
        world = open_wave(
            bare_survey,
            "Pulse",
            opens_at=timezone.now() - dt.timedelta(hours=2),
            audience="ROOT",
        )
        world.skips = False
        for code, how_many in {"ROOT": 5, "AA": 4, "BB": 5}.items():
            world.answer(code, how_many)
        publish(world.wave)
        (newcomer,) = world.answer("AA", 1)
        publish(world.wave)
        newcomer.refresh_from_db()
        assert newcomer.released_in is None
        one = analytics.report("heatmap", world.wave, EVERYTHING, release=1)
        two = analytics.report("heatmap", world.wave, EVERYTHING, release=2)
        shown = {row.department.code for row in one.rows if not row.suppressed}
        assert shown == {None, "ROOT", "AA"}
        assert_no_small_group(published_cells(world, truth_of(world)))
        # Release 2 stands on release 1's people, so it shows what release 1
        # showed: nothing stays hidden on account of the newcomer who waits.
        assert [r.suppressed for r in two.rows] == [r.suppressed for r in one.rows]

    def test_early_interim_release_does_not_block_the_final_results(self, bare_survey):
        """k = 5; three answer, an interim release shows nothing (too few);
        four more answer and the wave closes. Release 1 published no figure,
        so all seven are one group: the final release can show them, as it
        would have without the interim release."""
        make_tree([("ROOT", "Root", None), ("AA", "A", "ROOT")])
        world = open_wave(
            bare_survey,
            "Pulse",
            opens_at=timezone.now() - dt.timedelta(hours=2),
            audience="ROOT",
        )
        world.skips = False
        world.answer("AA", 3)
        first = publish(world.wave)
        assert analytics.report("heatmap", world.wave, EVERYTHING).rows[0].suppressed
        world.answer("AA", 4)
        wave_close(wave=world.wave)
        world.wave.refresh_from_db()
        final = publish(world.wave)
        assert final.final and first.respondents == 3
        assert final.respondents == 7
        report = analytics.report("heatmap", world.wave, EVERYTHING)
        assert report.rows[0].n == 7
        cells = published_cells(world, truth_of(world))
        assert cells and all(cell.release == final.sequence for cell in cells)
        assert_no_small_group(cells)

    def test_hidden_department_moves_no_published_figure(self, db):
        """Outside the linear model. Root > A (six people) and Root > B (one
        person); B is hidden (1 < k) and so is A (Root - A = B). Two waves
        whose respondents differ only in which of two answers B's one person
        gave: every visible group holds the same answers, so no published
        figure may differ. The heatmap's reliability and the reliability
        report's ICC(1)/ICC(2) are computed over departments including the
        hidden ones (``icc1(scores, data.response_node)``), so they tell the
        two apart: an onlooker who knows that B has one person learns
        whether that person scored 5 or 2 (and, from ICC(1) and ICC(2)
        together, the number of departments with a respondent)."""
        make_tree([("ROOT", "Root", None), ("AA", "A", "ROOT"), ("BB", "B", "ROOT")])
        questions = [likert("FR-1"), likert("FR-4")]  # FR-4 is reverse-keyed

        def person(score):
            return {0: score, 1: 6 - score}  # felt responsibility = score

        published = []
        for number, (a_scores, b_score) in enumerate(
            [([2, 3, 3, 3, 3, 4], 5), ([5, 3, 3, 3, 3, 4], 2)]
        ):
            survey = make_survey(questions, title=f"S{number}", slug=f"s{number}")
            world = open_wave(
                survey,
                f"Pulse {number}",
                opens_at=timezone.now() - dt.timedelta(hours=2),
                audience="ROOT",
            )
            world.answer("AA", 6, [person(s) for s in a_scores])
            world.answer("BB", 1, [person(b_score)])
            wave_close(wave=world.wave)
            world.wave.refresh_from_db()
            publish(world.wave)
            heatmap = analytics.report("heatmap", world.wave, EVERYTHING)
            shown = {row.department.code for row in heatmap.rows if not row.suppressed}
            assert shown == {None, "ROOT"}
            reliability = analytics.report("reliability", world.wave, EVERYTHING)
            published.append(
                (
                    analytics.to_data(heatmap.rows),
                    analytics.to_data(reliability.constructs),
                )
            )
        heatmaps, reliabilities = zip(*published, strict=True)
        without_reliability = [
            [[{**c, "reliability": None} for c in row["cells"]] for row in rows]
            for rows in heatmaps
        ]
        # Equal up to the order of summation (responses have random ids).
        assert same_figures(without_reliability[0], without_reliability[1])
        # ICC groups people by the departments shown, so the hidden one moves
        # neither the reliability of the means nor ICC(1) and ICC(2).
        assert same_figures(heatmaps[0], heatmaps[1])
        assert same_figures(reliabilities[0], reliabilities[1])


def same_figures(a, b) -> bool:
    """Equal JSON-like data, floats to 12 significant digits."""
    if isinstance(a, float) and isinstance(b, float):
        return b == pytest.approx(a, rel=1e-12, abs=1e-15)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_figures(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same_figures, a, b))
    return a == b
