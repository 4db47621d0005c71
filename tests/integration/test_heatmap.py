"""The heatmap on a small organisation whose numbers are worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
import math
from io import StringIO

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from scipy import stats as scipy_stats

from ownership import analytics
from ownership.permissions import EVERYTHING
from surveys.models import Invitation, Wave, unanswered
from surveys.services import (
    invitations_issue,
    response_submit,
    wave_close,
    wave_open,
)
from tests.adversary import recoverable_small_groups
from tests.factories import EmployeeFactory, likert, make_survey, publish

QUESTIONS = [
    likert("FR-1"),
    likert("FR-4"),  # reverse-keyed: 6 - x
    {
        "type": "recommendation",
        "value": {"text": "Recommend?", "low_label": "0", "high_label": "10"},
    },
]
# (department, FR-1, FR-4 as answered, recommendation) per respondent.
PEOPLE = (
    [
        ("motor", a, b, r)
        for a, b, r in zip(
            [5, 4, 4, 5, 3, 5], [1, 2, 2, 1, 3, 1], [10, 9, 9, 10, 8, 7], strict=True
        )
    ]
    + [("claims", 4, 2, r) for r in (9, 9, 6)]
    + [
        ("sales", a, b, r)
        for a, b, r in zip(
            [2, 3, 2, 3, 2, 3], [4, 3, 4, 3, 4, 3], [5, 6, 7, 3, 9, 10], strict=True
        )
    ]
)


def wilson(k, n, z=1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.fixture(autouse=True)
def hand_worked_groups(settings):
    """Claims (9, all favourable) and Sales (6, none) are worked by hand, so
    the bands of small unanimous groups (comment threshold 10) would hide
    their figures: here the threshold is k. The bands are tested on their own."""
    settings.COMMENT_MIN_GROUP_SIZE = 5


@pytest.fixture
def wave(org):
    page = make_survey(QUESTIONS)
    now = timezone.now()
    wave = Wave.objects.create(
        survey=page,
        label="Pulse",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    wave.audience.set([org["board"]])
    people = [(EmployeeFactory(department=org[d]), a, b, r) for d, a, b, r in PEOPLE]
    # Two people in Sales who will not answer.
    EmployeeFactory.create_batch(2, department=org["sales"])
    wave = wave_open(wave=wave)
    invitations_issue(wave=wave, send=False)
    ids = [q["id"] for q in wave.snapshot["questions"]]
    for employee, a, b, r in people:
        token = Invitation.objects.get(wave=wave, employee=employee).token
        response_submit(token=token, answers={ids[0]: a, ids[1]: b, ids[2]: r})
    Wave.objects.filter(pk=wave.pk).update(interim_results=True)
    wave.refresh_from_db()
    publish(wave)
    return wave


def rows_by_code(report):
    return {row.department.code: row for row in report.rows}


def cell(row, key):
    return next(c for c in row.cells if c.construct == key)


@pytest.mark.django_db
class TestHeatmapByHand:
    def test_rows_and_suppression(self, wave):
        rows = rows_by_code(analytics.heatmap(wave, EVERYTHING))
        assert [
            r.department.code for r in analytics.heatmap(wave, EVERYTHING).rows
        ] == [None, "BOARD", "CLM", "CLM-MOT", "SAL"]
        assert rows[None].n == 15 and rows["BOARD"].n == 15
        assert rows["CLM"].n == 9 and rows["SAL"].n == 6
        # Motor (6) would give Claims' own 3 people away (9 - 6): it is hidden.
        motor = rows["CLM-MOT"]
        assert motor.suppressed and motor.n is None
        assert all(c.suppressed and c.mean is None and c.n is None for c in motor.cells)

    def test_construct_cells(self, wave):
        rows = rows_by_code(analytics.heatmap(wave, EVERYTHING))
        # Felt responsibility: scores are the mean of FR-1 and keyed FR-4.
        # Motor 5,4,4,5,3,5 (sum 26), Claims' own 4,4,4 (12), Sales 2,3,2,3,2,3 (15).
        claims = cell(rows["CLM"], "felt-responsibility")
        assert claims.n == 9
        assert claims.mean == pytest.approx(38 / 9)
        assert claims.favourable == pytest.approx(8 / 9)  # scores >= 4
        low, high = wilson(8, 9)
        assert (claims.favourable_low, claims.favourable_high) == pytest.approx(
            (low, high)
        )
        organisation = cell(rows[None], "felt-responsibility")
        assert organisation.mean == pytest.approx(53 / 15)
        assert organisation.delta is None
        assert claims.delta == pytest.approx(38 / 9 - 53 / 15)

        # Welch's t of Claims against the rest (= Sales), as scipy computes it.
        claims_scores = [5, 4, 4, 5, 3, 5, 4, 4, 4]
        sales_scores = [2, 3, 2, 3, 2, 3]
        expected = scipy_stats.ttest_ind(claims_scores, sales_scores, equal_var=False)
        assert claims.p_value == pytest.approx(expected.pvalue, rel=1e-9)
        assert claims.significant  # large difference, tiny p
        # The displayed difference's CI is the Welch CI scaled by 1 - n_d / N.
        ci = expected.confidence_interval()
        assert claims.delta_low == pytest.approx(ci.low * (1 - 9 / 15))
        assert claims.delta_high == pytest.approx(ci.high * (1 - 9 / 15))

    def test_extreme_share_in_a_small_group_is_a_band(self, wave, settings):
        settings.COMMENT_MIN_GROUP_SIZE = 10
        publish(wave)  # the same respondents, under the usual threshold
        rows = rows_by_code(analytics.heatmap(wave, EVERYTHING))
        sales = cell(rows["SAL"], "felt-responsibility")
        # Nobody in Sales (6 < 10) is favourable: the exact 0 % is withheld,
        # and so is every figure that would tell 0 from 1 of 6 (see
        # ownership.analytics.unanimity): the mean, the difference, agreement.
        assert sales.favourable is None
        assert sales.favourable_low is None and sales.favourable_high is None
        assert sales.favourable_band == pytest.approx((0.0, 1 / 6))
        assert sales.n == 6
        assert sales.mean is None and sales.delta is None and sales.rwg_j is None
        assert sales.p_value is None and sales.change is None

    def test_recommendation_and_response_rate(self, wave):
        rows = rows_by_code(analytics.heatmap(wave, EVERYTHING))
        # Promoters (9-10) count +100, detractors (0-6) -100, passives 0.
        # Motor +400 (4 promoters), Claims' own +100 (2 promoters, 1 detractor),
        # Sales -100 (2 promoters, 3 detractors).
        assert cell(rows["CLM"], "nps").mean == pytest.approx(500 / 9)
        assert cell(rows["SAL"], "nps").mean == pytest.approx(-100 / 6)
        assert cell(rows[None], "nps").mean == pytest.approx(400 / 15)
        assert cell(rows["CLM"], "nps").favourable == pytest.approx(6 / 9)
        assert cell(rows["SAL"], "response_rate").mean == pytest.approx(6 / 8)
        assert cell(rows["CLM"], "response_rate").mean == pytest.approx(1.0)
        assert cell(rows[None], "response_rate").mean == pytest.approx(15 / 17)
        # Sales' NPS interval by hand: Rocks' adjusted Wald adds 0.75
        # promoters, 0.75 detractors and 1.5 passives.
        pa, da, na = 2.75 / 9, 3.75 / 9, 9
        half = 1.959963984540054 * math.sqrt((pa + da - (pa - da) ** 2) / na)
        sales = cell(rows["SAL"], "nps")
        assert sales.mean_low == pytest.approx(100 * (pa - da - half))
        assert sales.mean_high == pytest.approx(100 * (pa - da + half))
        assert cell(rows["SAL"], "felt-responsibility").mean_low is None

    def test_agreement_and_reliability_are_in_range(self, wave):
        rows = rows_by_code(analytics.heatmap(wave, EVERYTHING))
        claims = cell(rows["CLM"], "felt-responsibility")
        assert 0 <= claims.rwg_j <= 1
        assert claims.reliability is None or claims.reliability <= 1

    def test_no_small_group_can_be_recovered(self, wave, org):
        report = analytics.heatmap(wave, EVERYTHING)
        # Own respondents per node: org 0, Board 0, Claims 3, Motor 6, Sales 6.
        parent = np.array([-1, 0, 1, 2, 1])
        own = np.array([0, 0, 3, 6, 6])
        published = np.array([not row.suppressed for row in report.rows])
        assert recoverable_small_groups(parent, own, published, 5) == []

    def test_scoping(self, wave, department_head, employee_user):
        scoped = analytics.heatmap(wave, department_head)
        assert [r.department.code for r in scoped.rows] == [None, "CLM", "CLM-MOT"]
        # Scoping picks rows after suppression: Motor stays hidden.
        assert rows_by_code(scoped)["CLM-MOT"].suppressed
        with pytest.raises(PermissionDenied):
            analytics.heatmap(wave, employee_user)

    def test_change_since_the_previous_wave(self, wave, org):
        wave = wave_close(wave=wave)
        publish(wave)  # the final release the next wave compares with
        later = Wave.objects.create(
            survey=wave.survey,
            label="Pulse 2",
            opens_at=wave.opens_at + dt.timedelta(minutes=5),
            closes_at=wave.closes_at + dt.timedelta(days=1),
        )
        later.audience.set([org["board"]])
        later = wave_open(wave=later, now=later.opens_at)
        invitations_issue(wave=later, send=False)
        ids = [q["id"] for q in later.snapshot["questions"]]
        for invitation in Invitation.objects.filter(
            wave=later, department=org["sales"]
        ):
            response_submit(token=invitation.token, answers={ids[0]: 5, ids[1]: 1})
        Wave.objects.filter(pk=later.pk).update(
            opens_at=timezone.now() - dt.timedelta(minutes=1), interim_results=True
        )
        later.refresh_from_db()
        publish(later)
        rows = rows_by_code(analytics.heatmap(later, EVERYTHING))
        assert later.previous_wave() == wave
        # Sales went from 2.5 to 5.0 on felt responsibility.
        sales = cell(rows["SAL"], "felt-responsibility")
        assert sales.change == pytest.approx(2.5)
        # ... and from 0 of 6 favourable to 8 of 8: Newcombe's interval from
        # the two Wilson intervals, the score test's p-value, BH over the
        # report's visible changes.
        assert sales.change_favourable == pytest.approx(1.0)
        l1, _u1 = wilson(8, 8)
        _l0, u0 = wilson(0, 6)
        assert sales.change_low == pytest.approx(1.0 - math.sqrt((1 - l1) ** 2 + u0**2))
        assert sales.change_high == pytest.approx(1.0)
        table = np.array([[8, 0], [0, 6]])
        p = scipy_stats.chi2_contingency(table, correction=False)[1]
        changes = [c for r in rows.values() for c in r.cells if c.change_q is not None]
        assert p <= sales.change_q <= p * len(changes) + 1e-12
        assert sales.change_significant
        # The organisation changed too, but no cell that was not shown in
        # both waves has a change.
        assert all(
            c.change_favourable is None
            for r in rows.values()
            for c in r.cells
            if c.suppressed or c.favourable is None
        )
        assert cell(rows["CLM"], "felt-responsibility").suppressed  # nobody answered

    def test_served_from_the_release(self, wave, org, django_assert_max_num_queries):
        first = analytics.heatmap(wave, EVERYTHING)
        # A stored release, parsed once per process: one query finds it.
        with django_assert_max_num_queries(1):
            assert analytics.heatmap(wave, EVERYTHING) == first
        late = unanswered(Invitation.objects.filter(wave=wave).order_by("pk"))[0]
        ids = [q["id"] for q in wave.snapshot["questions"]]
        response_submit(token=late.token, answers={ids[0]: 1})
        # A response is not a release: nothing published moves.
        assert analytics.heatmap(wave, EVERYTHING) == first
        publish(wave)
        second = analytics.heatmap(wave, EVERYTHING)
        assert (second.release, second.provisional) == (2, True)
        # One new respondent is fewer than k: the release keeps every figure.
        assert second.rows == first.rows
        assert rows_by_code(second)["SAL"].n == 6


@pytest.mark.django_db
class TestReportCommand:
    def test_json_has_the_documented_shape(self, wave):
        out = StringIO()
        call_command("report", "heatmap", "--wave", str(wave.pk), stdout=out)
        data = json.loads(out.getvalue())
        assert data["min_group_size"] == 5
        organisation = data["rows"][0]
        assert organisation["department"] == {
            "code": None,
            "name": "Organisation",
            "parent_code": None,
            "depth": 0,
        }
        claims = next(r for r in data["rows"] if r["department"]["code"] == "CLM")
        assert claims["department"]["parent_code"] == "BOARD"
        assert set(claims) >= {"department", "n", "suppressed", "cells"}
        assert set(claims["cells"][0]) >= {
            "construct",
            "n",
            "mean",
            "favourable",
            "favourable_low",
            "favourable_high",
            "delta",
            "significant",
            "suppressed",
        }
        motor = next(r for r in data["rows"] if r["department"]["code"] == "CLM-MOT")
        assert motor["n"] is None and motor["suppressed"] is True
        assert all(c["mean"] is None and c["n"] is None for c in motor["cells"])

    def test_csv_equals_json(self, wave):
        import csv

        as_json = StringIO()
        call_command("report", "heatmap", "--wave", str(wave.pk), stdout=as_json)
        as_csv = StringIO()
        call_command(
            "report",
            "heatmap",
            "--wave",
            str(wave.pk),
            "--format",
            "csv",
            stdout=as_csv,
        )
        data = json.loads(as_json.getvalue())
        table = list(csv.DictReader(StringIO(as_csv.getvalue())))
        expected = [
            (
                row["department"]["code"] or "",
                c["construct"],
                c["n"],
                c["mean"],
                c["favourable"],
                c["delta"],
                c["significant"],
                c["suppressed"],
            )
            for row in data["rows"]
            for c in row["cells"]
        ]

        def parse(value, kind):
            if value == "":
                return None
            return {"int": int, "float": float, "bool": lambda v: v == "true"}[kind](
                value
            )

        found = [
            (
                r["department_code"],
                r["construct"],
                parse(r["n"], "int"),
                parse(r["mean"], "float"),
                parse(r["favourable"], "float"),
                parse(r["delta"], "float"),
                parse(r["significant"], "bool"),
                parse(r["suppressed"], "bool"),
            )
            for r in table
        ]
        assert found == expected

    def test_unknown_or_unopened_wave(self, db, org):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="no wave with id 404"):
            call_command("report", "heatmap", "--wave", "404")
        page = make_survey()
        draft = Wave.objects.create(
            survey=page,
            label="Draft",
            opens_at=timezone.now(),
            closes_at=timezone.now() + dt.timedelta(days=1),
        )
        with pytest.raises(CommandError, match="has not been opened"):
            call_command("report", "heatmap", "--wave", str(draft.pk))


@pytest.mark.django_db
def test_every_report_can_be_asked_for_twice(wave):
    # Submodules share names with the report functions; importing one must
    # never replace the function on the package.
    for _ in range(2):
        assert analytics.trends(wave.survey, EVERYTHING).rows
        assert analytics.reliability(wave, EVERYTHING).constructs
        assert analytics.comments(wave, EVERYTHING).rows
        assert analytics.response_rates(wave, EVERYTHING).rows
    out = StringIO()
    call_command("report", "trends", "--wave", str(wave.pk), stdout=out)
    assert (
        json.loads(out.getvalue())["waves"][0]["opens_at"] == wave.opens_at.isoformat()
    )


@pytest.mark.django_db
def test_reliability_and_trends_by_hand(wave):
    report = analytics.reliability(wave, EVERYTHING)
    felt = next(c for c in report.constructs if c.construct == "felt-responsibility")
    # Everyone answered FR-4 as the mirror image of FR-1 (keyed, the two items
    # are identical), so alpha = k/(k-1) (1 - sum var_i / var_total) = 2 (1 - 1/2) = 1.
    assert felt.n == 15 and felt.n_items == 2
    assert felt.alpha == pytest.approx(1.0)
    assert [i.item for i in felt.items] == ["FR-1", "FR-4"]
    assert all(i.r_drop == pytest.approx(1.0) for i in felt.items)
    # ICC(1) from the one-way ANOVA over the groups the release shows (Motor
    # is hidden, so its people count in Claims): Claims with Motor
    # (4,4,4, 5,4,4,5,3,5) and Sales (2,3,2,3,2,3).
    groups = [[4, 4, 4, 5, 4, 4, 5, 3, 5], [2, 3, 2, 3, 2, 3]]
    everyone = [x for g in groups for x in g]
    grand = sum(everyone) / len(everyone)
    msb = sum(len(g) * (sum(g) / len(g) - grand) ** 2 for g in groups) / (2 - 1)
    msw = sum((x - sum(g) / len(g)) ** 2 for g in groups for x in g) / (15 - 2)
    k = 15 / 2
    assert felt.icc1 == pytest.approx((msb - msw) / (msb + (k - 1) * msw))
    assert felt.icc2 == pytest.approx((msb - msw) / msb)

    trends = analytics.trends(wave.survey, EVERYTHING, construct="felt-responsibility")
    claims = next(s for s in trends.rows if s.department.code == "CLM")
    (point,) = claims.points
    assert point.mean == pytest.approx(38 / 9) and point.n == 9
    motor = next(s for s in trends.rows if s.department.code == "CLM-MOT")
    assert motor.points[0].suppressed and motor.points[0].mean is None
