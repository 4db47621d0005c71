"""The responsibility-concentration report on a small organisation checked by hand.

The organisation is the ``org`` fixture: Board > Claims > Motor Claims, and
Board > Sales. Respondents split 100 points over me, team, cco,
customer-service and nobody (me and team are *distributed* loci, cco and
customer-service *designated* ones) and name one primary owner.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone
from scipy import stats

from ownership import analytics
from ownership.analytics.reports import to_data
from ownership.models import Department, OrganisationEvent
from ownership.permissions import EVERYTHING
from surveys.models import Invitation, Wave
from surveys.services import invitations_issue, response_submit, wave_open
from tests.adversary import recoverable_small_groups
from tests.factories import DepartmentFactory, EmployeeFactory, make_survey, publish

LOCI = ["me", "team", "cco", "customer-service", "nobody"]
OWNER_LOCI = ["me", "cco", "customer-service", "nobody"]
QUESTIONS = [
    {
        "type": "allocation",
        "value": {"text": "Who is responsible?", "help": "", "loci": LOCI},
    },
    {"type": "primary_owner", "value": {"text": "Mainly?", "loci": OWNER_LOCI}},
]

# Points per respondent over (me, team, cco, customer-service, nobody), and
# the primary owner each names, by department code.
AFTER = {
    "CLM": [
        ((10, 10, 60, 15, 5), "cco"),
        ((5, 15, 50, 25, 5), "cco"),
        ((15, 5, 65, 10, 5), "customer-service"),
    ],
    "CLM-MOT": [
        ((5, 5, 70, 15, 5), "cco"),
        ((10, 10, 40, 35, 5), "cco"),
        ((15, 15, 35, 20, 15), "nobody"),
    ],
    "SAL": [
        ((40, 40, 10, 10, 0), "me"),
        ((50, 30, 0, 20, 0), "me"),
        ((30, 50, 10, 0, 10), "me"),
        ((60, 20, 10, 10, 0), "cco"),
    ],
}
# Claims and Motor Claims give no locus 0 points in either wave: zeros become
# tiny shares in log-ratio space and would blur the before/after test.
BEFORE = {
    "CLM": [
        ((40, 30, 10, 10, 10), "me"),
        ((30, 40, 10, 15, 5), "me"),
        ((45, 30, 5, 10, 10), "me"),
    ],
    "CLM-MOT": [
        ((30, 30, 20, 10, 10), "me"),
        ((40, 35, 10, 10, 5), "me"),
        ((20, 50, 10, 10, 10), "nobody"),
    ],
    "SAL": [
        ((40, 40, 10, 10, 0), "me"),
        ((50, 30, 10, 10, 0), "me"),
        ((30, 50, 10, 0, 10), "me"),
        ((60, 20, 0, 20, 0), "cco"),
    ],
}
SMALL = {"HR": [((20, 20, 20, 20, 20), "me"), ((30, 30, 20, 20, 0), "cco")]}

TODAY = timezone.localdate()
EVENT_DATE = TODAY - dt.timedelta(days=30)


def by_code(report):
    return {row.department.code: row for row in report.rows}


@pytest.fixture
def survey(db):
    return make_survey(QUESTIONS)


@pytest.fixture
def people(org):
    """Enough employees for every department's respondents, in both waves."""
    for code, key in (("CLM", "claims"), ("CLM-MOT", "motor"), ("SAL", "sales")):
        for _ in range(len(AFTER[code])):
            EmployeeFactory(department=org[key])
    return org


def run_wave(survey, answers, *, days_ago: int = 0, k: int = 3, label="Pulse"):
    """A wave of ``survey`` answered as ``answers`` says, opened ``days_ago``.

    Answers can only be given while a wave is open, so a past wave is opened
    now, answered, and then moved into the past.
    """
    now = timezone.now()
    wave = Wave.objects.create(
        survey=survey,
        label=label,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        min_group_size=k,
    )
    wave.audience.set(Department.get_root_nodes())
    wave = wave_open(wave=wave)
    invitations_issue(wave=wave, send=False)
    allocation, owner = (q["id"] for q in wave.snapshot["questions"])
    for code, rows in answers.items():
        invitations = list(
            Invitation.objects.filter(wave=wave, department__code=code).order_by("pk")
        )
        for invitation, (points, primary) in zip(invitations, rows, strict=False):
            response_submit(
                token=invitation.token,
                answers={
                    allocation: dict(zip(LOCI, points, strict=True)),
                    owner: primary,
                },
            )
    if days_ago:
        opens = now - dt.timedelta(days=days_ago)
        Wave.objects.filter(pk=wave.pk).update(
            opens_at=opens, closes_at=opens + dt.timedelta(days=14)
        )
        wave.refresh_from_db()
    else:
        Wave.objects.filter(pk=wave.pk).update(interim_results=True)
        wave.refresh_from_db()
    publish(wave)
    return wave


@pytest.fixture(autouse=True)
def hand_worked_groups(settings):
    """The groups here are small and worked by hand; under the usual comment
    threshold (10) their allocation and primary-owner figures would be
    withheld. Those rules are tested in TestSmallGroups."""
    settings.COMMENT_MIN_GROUP_SIZE = 3


@pytest.fixture
def cco_event(db):
    return OrganisationEvent.objects.create(
        date=EVENT_DATE, kind="cco_appointed", title="CCO appointed"
    )


@pytest.fixture
def waves(survey, people, cco_event):
    baseline = run_wave(survey, BEFORE, days_ago=60, label="Before")
    current = run_wave(survey, AFTER, label="After")
    return baseline, current


@pytest.mark.django_db
class TestNumbers:
    def test_mean_shares_and_designated_share(self, waves):
        report = analytics.concentration(waves[1], EVERYTHING)
        rows = by_code(report)
        assert [ref.slug for ref in report.loci] == LOCI
        assert [ref.kind for ref in report.loci] == [
            "distributed",
            "distributed",
            "designated",
            "designated",
            "other",
        ]
        claims = rows["CLM"]  # its own 3 people and Motor Claims' 3
        assert claims.n == claims.n_allocation == 6
        # Points summed over the six: me 10+5+15+5+10+15 = 60, team 60,
        # cco 60+50+65+70+40+35 = 320, customer-service 120, nobody 40; / 600.
        assert [s.mean_share for s in claims.shares] == pytest.approx(
            [0.10, 0.10, 320 / 600, 0.20, 40 / 600]
        )
        # Designated: .5333 + .2 = .7333 (per person .75 .75 .75 .85 .75 .55).
        assert claims.designated_share == pytest.approx(4.4 / 6)
        assert claims.distributed_share == pytest.approx(0.20)
        # Korn-Graubard: Clopper-Pearson at n* = m(1 - m) / (s² / n) (z / t)².
        x = np.array([0.75, 0.75, 0.75, 0.85, 0.75, 0.55])
        m, z, t = x.mean(), stats.norm.ppf(0.975), stats.t.ppf(0.975, 5)
        n_eff = m * (1 - m) / (x.var(ddof=1) / 6) * (z / t) ** 2
        assert claims.designated_low == pytest.approx(
            stats.beta.ppf(0.025, n_eff * m, n_eff * (1 - m) + 1), rel=1e-9
        )
        assert claims.designated_high == pytest.approx(
            stats.beta.ppf(0.975, n_eff * m + 1, n_eff * (1 - m)), rel=1e-9
        )
        assert claims.designated_low < 4.4 / 6 < claims.designated_high
        assert claims.distributed_low < 0.2 < claims.distributed_high

        sales = rows["SAL"]
        # me 180, team 140, cco 30, cs 40, nobody 10; / 400.
        assert [s.mean_share for s in sales.shares] == pytest.approx(
            [0.45, 0.35, 0.075, 0.10, 0.025]
        )
        assert sales.designated_share == pytest.approx(0.175)
        assert sales.distributed_share == pytest.approx(0.80)

        motor = rows["CLM-MOT"]
        # 85 %, 75 % and 55 % to the designated owner.
        assert motor.designated_share == pytest.approx((0.85 + 0.75 + 0.55) / 3)

        organisation = rows[None]
        # me 240, team 200, cco 350, cs 160, nobody 50; / 1000.
        assert [s.mean_share for s in organisation.shares] == pytest.approx(
            [0.24, 0.20, 0.35, 0.16, 0.05]
        )
        assert organisation.designated_share == pytest.approx(0.51)
        assert rows["BOARD"].designated_share == pytest.approx(0.51)

    def test_hhis(self, waves):
        rows = by_code(analytics.concentration(waves[1], EVERYTHING))
        # Plug-in HHI of Claims' mean composition: .1² + .1² + (320/600)² +
        # .2² + (40/600)² = .02 + (320² + 120² + 40²) / 600² = .348889.
        # Per person, sum of squared points / 100²: 4050, 3400, 4600 (Claims),
        # 5200, 3050, 2300 (Motor); mean 22600 / 6 / 10000 = .376667.
        # Bias-corrected: (6 × .348889 - .376667) / 5 = .343333.
        claims = rows["CLM"]
        assert claims.mean_hhi == pytest.approx(22600 / 6 / 10000)
        assert claims.hhi_of_mean == pytest.approx(
            (6 * 0.02 + 6 * 118400 / 360000 - 22600 / 60000) / 5
        )
        assert claims.effective_number == pytest.approx(1 / claims.hhi_of_mean)
        assert claims.hhi_of_mean_low < claims.hhi_of_mean < claims.hhi_of_mean_high
        # Sales: plug-in .2025 + .1225 + .005625 + .01 + .000625 = .34125;
        # per person .34, .38, .36, .42: mean .375; (4 × .34125 - .375) / 3.
        assert rows["SAL"].hhi_of_mean == pytest.approx(0.33)
        assert rows["SAL"].mean_hhi == pytest.approx(0.375)

    def test_primary_owner_distribution(self, waves):
        report = analytics.concentration(waves[1], EVERYTHING)
        rows = by_code(report)
        assert [ref.slug for ref in report.owner_loci] == OWNER_LOCI

        def shares(row):
            return {o.locus: (o.share, o.band) for o in row.primary_owner}

        # Organisation (10 people, not below the comment threshold of 10):
        # me 3 (Sales), cco 5, customer-service 1, nobody 1.
        assert rows[None].n_primary_owner == 10
        assert shares(rows[None]) == {
            "me": (pytest.approx(0.3), None),
            "cco": (pytest.approx(0.5), None),
            "customer-service": (pytest.approx(0.1), None),
            "nobody": (pytest.approx(0.1), None),
        }
        # Claims (6): cco 4, customer-service 1, nobody 1, me 0 (exact here;
        # under the usual comment threshold see TestSmallGroups).
        assert shares(rows["CLM"]) == {
            "me": (0.0, None),
            "cco": (pytest.approx(4 / 6), None),
            "customer-service": (pytest.approx(1 / 6), None),
            "nobody": (pytest.approx(1 / 6), None),
        }
        assert shares(rows["SAL"])["me"] == (pytest.approx(0.75), None)

    def test_lorenz_and_gini_of_division_ownership(self, waves):
        report = analytics.concentration(waves[1], EVERYTHING)
        # Divisions (depth 2): Claims' distributed share .2, Sales' .8.
        # Gini of (.2, .8) = (−1·.2 + 1·.8) / (2 · 1.0) = .3.
        assert report.level == 2
        assert report.gini == pytest.approx(0.3)
        assert report.lorenz.population == pytest.approx((0.0, 0.5, 1.0))
        assert report.lorenz.share == pytest.approx((0.0, 0.2, 1.0))

    def test_before_and_after(self, waves):
        baseline, current = waves
        report = analytics.concentration(current, EVERYTHING)
        assert report.baseline_wave_id == baseline.pk
        assert report.event.date == EVENT_DATE.isoformat()
        claims = by_code(report)["CLM"]
        # Before: .2 .25 .15 (Claims) .3 .2 .2 (Motor): 1.3 / 6.
        assert claims.before_designated == pytest.approx(1.3 / 6)
        assert claims.after_designated == pytest.approx(4.4 / 6)
        assert (claims.n_before, claims.n_after) == (6, 6)
        # Six against six: small groups get a permutation p-value; the two
        # groups do not overlap, so p is near its floor of 2 / C(12, 6).
        assert claims.method == "permutation"
        assert claims.p_value < 0.01
        assert claims.q_value < 0.05
        assert claims.significant
        sales = by_code(report)["SAL"]
        assert sales.before_designated == pytest.approx(0.175)
        assert not sales.significant

    def test_reproducible(self, waves):
        # A second release without new respondents repeats every figure,
        # bootstrap intervals and permutation p-values included.
        first = analytics.concentration(waves[1], EVERYTHING)
        publish(waves[1])
        second = analytics.concentration(waves[1], EVERYTHING)
        assert (second.release, first.release) == (2, 1)
        assert dataclasses.replace(second, release=1) == first


@pytest.mark.django_db
class TestVerdict:
    def test_concentrated_organisation(self, waves):
        verdict = analytics.concentration(waves[1], EVERYTHING).verdict
        assert verdict.departments == 2
        assert [ref.code for ref in verdict.concentrated] == ["CLM"]
        assert verdict.comparison == "compared"
        assert verdict.move.code == "CLM"
        assert verdict.move_before == pytest.approx(1.3 / 6)
        text = verdict.text
        assert text.startswith(
            "Responsibility is concentrated on the designated owner in 1 of 2 "
            "departments (designated share above 50 %, lower CI bound above "
            "40 %): Claims."
        )
        assert re.search(
            r"Across the organisation, the designated owner holds 51 % of the "
            r"responsibility \(95 % CI \d+ % to \d+ %\)\.",
            text,
        )
        assert re.search(
            r"In Claims, the designated owner's share moved from 22 % to 73 % "
            r"after the CCO was appointed \(p [=<] \.0\d\d, q [=<] \.0\d\d\)\.$",
            text,
        )

    def test_spread_organisation_without_an_event(self, survey, people):
        wave = run_wave(survey, BEFORE)
        verdict = analytics.concentration(wave, EVERYTHING).verdict
        assert verdict.concentrated == ()
        assert verdict.above_share == 0
        assert verdict.comparison == "no_event"
        # Claims 1.3 / 6 = 21.7 %, Sales 17.5 %: Claims is the highest.
        assert verdict.highest.code == "CLM"
        assert re.fullmatch(
            r"Responsibility is spread: no department puts more than 50 % of "
            r"it on the designated owner \(highest: Claims, 22 %, 95 % CI "
            r"\d+ % to \d+ %\)\. Across the organisation, the designated owner "
            r"holds 20 % of the responsibility \(95 % CI \d+ % to \d+ %\)\. No "
            r"appointment of a Chief Customer Officer is recorded, so there is "
            r"no before/after comparison\.",
            verdict.text,
        )

    def test_no_earlier_wave(self, survey, people, cco_event):
        wave = run_wave(survey, AFTER)
        report = analytics.concentration(wave, EVERYTHING)
        assert report.verdict.comparison == "no_baseline"
        assert report.baseline_wave_id is None
        assert all(row.before_designated is None for row in report.rows)
        assert report.verdict.text.endswith(
            "No earlier wave of this survey opened before the CCO was appointed "
            f"({formats.date_format(EVENT_DATE, 'DATE_FORMAT')}), so there is "
            "no before/after comparison."
        )

    def test_wave_before_the_event(self, waves):
        verdict = analytics.concentration(waves[0], EVERYTHING).verdict
        assert verdict.comparison == "before_event"
        assert "This wave opened before the CCO was appointed" in verdict.text

    def test_no_visible_department(self, survey, people):
        wave = run_wave(survey, AFTER, k=20)
        report = analytics.concentration(wave, EVERYTHING)
        assert report.verdict.departments == 0
        assert report.lorenz is None and report.gini is None
        assert report.verdict.text.startswith(
            "No department is large enough to be shown on its own"
        )


@pytest.fixture
def with_small_department(people, survey, cco_event):
    """Human Resources (2 people) joins the Board: below k = 3."""
    hr = DepartmentFactory(code="HR", name="Human Resources", parent=people["board"])
    for _ in range(2):
        EmployeeFactory(department=hr)
    baseline = run_wave(survey, BEFORE | SMALL, days_ago=60, label="Before")
    current = run_wave(survey, AFTER | SMALL, label="After")
    return baseline, current


def tree(report):
    index = {row.department.code: i for i, row in enumerate(report.rows)}
    return np.array(
        [
            -1 if row.department.code is None else index[row.department.parent_code]
            for row in report.rows
        ]
    )


@pytest.mark.django_db
class TestSuppression:
    def test_no_values_leak_below_k(self, with_small_department):
        report = analytics.concentration(with_small_department[1], EVERYTHING)
        rows = by_code(report)
        hr = rows["HR"]
        assert hr.suppressed and hr.allocation_suppressed
        values = to_data(hr)
        assert values["n"] is None and values["n_allocation"] is None
        assert all(s["mean_share"] is None for s in values["shares"])
        assert all(o["share"] is None for o in values["primary_owner"])
        for field in (
            "designated_share",
            "designated_low",
            "designated_high",
            "distributed_share",
            "mean_hhi",
            "hhi_of_mean",
            "n_primary_owner",
            "n_before",
            "before_designated",
            "p_value",
        ):
            assert values[field] is None, field
        # Board (12) minus Claims (6) and Sales (4) would give HR away, so the
        # smaller division goes too, with its before/after figures.
        assert rows["SAL"].suppressed and rows["SAL"].before_designated is None
        assert rows["CLM"].n == 6 and rows["BOARD"].n == 12
        # The verdict counts the hidden divisions but names none of their data.
        assert report.verdict.departments == 1
        assert report.verdict.hidden == 2

    def test_adversary_cannot_subtract(self, with_small_department):
        report = analytics.concentration(with_small_department[1], EVERYTHING)
        parent = tree(report)
        own = {"CLM": 3, "CLM-MOT": 3, "SAL": 4, "HR": 2}
        own_before = dict(own)
        own = np.array([own.get(row.department.code, 0) for row in report.rows])
        own_before = np.array(
            [own_before.get(row.department.code, 0) for row in report.rows]
        )
        k = report.min_group_size
        for column, people_ in (
            ("n", own),
            ("n_allocation", own),
            ("n_primary_owner", own),
            ("n_after", own),
            ("n_before", own_before),
        ):
            published = np.array(
                [getattr(row, column) is not None for row in report.rows]
            )
            assert recoverable_small_groups(parent, people_, published, k) == [], column
        # Without complementary suppression Sales' figures would give HR away.
        naive = np.array([row.department.code != "HR" for row in report.rows])
        assert recoverable_small_groups(parent, own, naive, k) != []


@pytest.mark.django_db
class TestScoping:
    def test_department_head_sees_their_subtree(self, waves, department_head):
        report = analytics.concentration(waves[1], department_head)
        assert [row.department.code for row in report.rows] == [
            None,
            "CLM",
            "CLM-MOT",
        ]
        # Other divisions are neither listed, compared nor named.
        assert report.lorenz is None and report.gini is None
        assert report.verdict.departments == 1
        assert "Sales" not in report.verdict.text
        assert report.verdict.text.startswith(
            "Responsibility is concentrated on the designated owner in 1 of 1 "
            "department "
        )

    def test_hr_analyst_sees_everything(self, waves, hr_analyst):
        report = analytics.concentration(waves[1], hr_analyst)
        assert {row.department.code for row in report.rows} == {
            None,
            "BOARD",
            "CLM",
            "CLM-MOT",
            "SAL",
        }
        assert report.gini is not None

    def test_outsider_is_denied(self, waves, employee_user):
        with pytest.raises(PermissionDenied):
            analytics.concentration(waves[1], employee_user)
        with pytest.raises(PermissionDenied):
            analytics.report("concentration", waves[1], None)


@pytest.mark.django_db
class TestCachingAndExport:
    def test_before_is_what_the_baseline_release_published(self, waves):
        baseline, current = waves
        before = by_code(analytics.concentration(baseline, EVERYTHING))
        report = analytics.concentration(current, EVERYTHING)
        compared = [row for row in report.rows if row.n_before is not None]
        assert {row.department.code for row in compared} >= {None, "CLM", "SAL"}
        for row in report.rows:
            published = before.get(row.department.code)
            if row.n_before is None:
                assert (
                    published is None
                    or published.allocation_suppressed
                    or row.allocation_suppressed
                )
                continue
            assert row.n_before == published.n_allocation
            assert row.before_designated == published.designated_share

    def test_later_changes_to_the_baseline_change_no_release(self, waves):
        baseline, current = waves
        stored = analytics.to_data(analytics.concentration(current, EVERYTHING))
        Wave.objects.filter(pk=baseline.pk).update(min_group_size=50, label="Renamed")
        assert analytics.to_data(analytics.concentration(current, EVERYTHING)) == stored

    def test_csv_equals_json(self, waves):
        wave = waves[1]
        out = io.StringIO()
        call_command("report", "concentration", wave=wave.pk, format="json", stdout=out)
        data = json.loads(out.getvalue())
        out = io.StringIO()
        call_command("report", "concentration", wave=wave.pk, format="csv", stdout=out)
        lines = list(csv.DictReader(io.StringIO(out.getvalue())))
        loci = [ref["slug"] for ref in data["loci"]]
        extra = [ref["slug"] for ref in data["owner_loci"] if ref["slug"] not in loci]
        assert len(lines) == len(data["rows"]) * len(loci + extra)

        def same(text, value):
            if value is None:
                return text == ""
            if isinstance(value, bool):
                return text == ("true" if value else "false")
            if isinstance(value, (int, float)):
                return float(text) == pytest.approx(value, rel=1e-12)
            return text == str(value)

        rows = iter(lines)
        for row in data["rows"]:
            shares = {s["locus"]: s for s in row["shares"]}
            owners = {o["locus"]: o for o in row["primary_owner"]}
            for slug in loci + extra:
                line = next(rows)
                d = row["department"]
                assert line["department_code"] == (d["code"] or "")
                assert same(line["depth"], d["depth"])
                assert same(line["row_n"], row["n"])
                for field in (
                    "n_allocation",
                    "designated_share",
                    "designated_low",
                    "designated_high",
                    "distributed_share",
                    "distributed_low",
                    "distributed_high",
                    "mean_hhi",
                    "hhi_of_mean",
                    "n_primary_owner",
                    "n_before",
                    "before_designated",
                    "after_designated",
                    "p_value",
                    "q_value",
                    "method",
                    "significant",
                ):
                    assert same(line[field], row[field]), field
                assert line["locus"] == slug
                share = shares.get(slug)
                assert same(line["mean_share"], share and share["mean_share"])
                owner = owners.get(slug)
                assert same(line["primary_owner_share"], owner and owner["share"])
                band = (owner or {}).get("band") or [None, None]
                assert same(line["primary_owner_band_low"], band[0])
                assert same(line["primary_owner_band_high"], band[1])


@pytest.mark.django_db
class TestSmallGroups:
    def test_under_the_usual_threshold(self, survey, people, settings):
        settings.COMMENT_MIN_GROUP_SIZE = 10
        rows = by_code(analytics.concentration(run_wave(survey, AFTER), EVERYTHING))
        # Every group here is smaller than 10: who is named the primary owner
        # is not shown, n is.
        claims = rows["CLM"]
        assert claims.primary_owner_withheld and not claims.primary_owner_suppressed
        assert claims.n_primary_owner == 6
        assert all(o.share is None and o.band is None for o in claims.primary_owner)
        # In Sales (4) only one person gave "nobody" any points: the group's
        # allocation is withheld, its n is not.
        sales = rows["SAL"]
        assert sales.allocation_withheld and sales.n_allocation == 4
        assert sales.designated_share is None and sales.designated_low is None
        assert all(s.mean_share is None for s in sales.shares)
        assert sales.mean_hhi is None and sales.hhi_of_mean is None
        # Board (10) minus Claims (6) would give Sales' sums away: Claims'
        # allocation is hidden too, to protect the smaller group.
        claims = rows["CLM"]
        assert claims.allocation_suppressed and claims.n_allocation is None
        assert not claims.suppressed and claims.n == 6
        assert rows["BOARD"].designated_share is not None
        assert rows["CLM-MOT"].designated_share is not None


IDENTICAL = {
    # Everyone in Sales gives the same points: 30 % to the designated owners,
    # 70 % to themselves. Claims and Motor Claims answer as in AFTER.
    **{code: AFTER[code] for code in ("CLM", "CLM-MOT")},
    "SAL": [((40, 30, 10, 20, 0), "me")] * 4,
}


@pytest.mark.django_db
class TestGroupsWithoutVariation:
    """A shown group whose answers do not vary gets an honest interval, and
    the page that draws it answers (it once failed with negative error bars)."""

    def test_interval_is_not_a_point(self, survey, people):
        wave = run_wave(survey, IDENTICAL)
        sales = by_code(analytics.concentration(wave, EVERYTHING))["SAL"]
        # at most 1 - 0.05^(1/4) of such a population answers otherwise
        pi = 1 - 0.05 ** (1 / 4)
        assert sales.designated_share == pytest.approx(0.3)
        assert sales.designated_low == pytest.approx(0.3 * (1 - pi))
        assert sales.designated_high == pytest.approx(0.3 + 0.7 * pi)
        assert sales.distributed_low < 0.7 < sales.distributed_high
        assert sales.hhi_of_mean == pytest.approx(0.16 + 0.09 + 0.01 + 0.04)
        assert sales.hhi_of_mean_low < sales.hhi_of_mean < sales.hhi_of_mean_high

    def test_page_and_export_answer(self, client, survey, people, hr_analyst):
        wave = run_wave(survey, IDENTICAL)
        client.force_login(hr_analyst)
        page = client.get(
            reverse("ownership_results_concentration") + f"?wave={wave.pk}"
        )
        assert page.status_code == 200
        assert "<svg" in page.content.decode()
        export = client.get(
            reverse("ownership_results_export", args=["concentration", "csv"])
            + f"?wave={wave.pk}"
        )
        assert export.status_code == 200
        lines = export.content.decode().splitlines(keepends=True)
        table = "".join(line for line in lines if not line.startswith("# "))
        rows = list(csv.DictReader(io.StringIO(table)))
        sales = next(r for r in rows if r["department_code"] == "SAL")
        assert float(sales["designated_low"]) < 0.3 < float(sales["designated_high"])
        assert float(sales["effective_number"]) == pytest.approx(1 / 0.3)

    def test_chart_draws_an_interval_stored_on_the_wrong_side(self, survey, people):
        # Releases made before the intervals guaranteed low <= estimate <= high
        # could hold a bound an ulp past the estimate: the chart still draws.
        from ownership import charts

        wave = run_wave(survey, IDENTICAL)
        report = analytics.concentration(wave, EVERYTHING)
        rows = tuple(
            dataclasses.replace(
                row,
                designated_low=float(np.nextafter(row.designated_share, 2)),
                designated_high=float(np.nextafter(row.designated_share, -1)),
            )
            if row.designated_share is not None
            else row
            for row in report.rows
        )
        svg = charts.allocation_chart(dataclasses.replace(report, rows=rows))
        assert svg is not None and "<svg" in svg
