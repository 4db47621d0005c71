"""The HR results pages and their exports, through the test client, for every role.

The organisation is the ``org`` fixture (Board > Claims > Motor Claims, and
Board > Sales) with Key Accounts under Sales. 21 people answer each of two
waves of one survey: five in Claims itself, six in Motor Claims, six in Sales
(two more are invited and stay silent) and four in Key Accounts, which is
below k = 5 and so must never show a figure. "Before" opened 60 days ago,
before the "CCO appointed" event 30 days ago; "After" is open now. With
these, before/after comparisons, trends, the Lorenz curve and comments all
have something to show.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from numbers import Real
from types import SimpleNamespace
from unittest.mock import patch

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from ownership import analytics
from ownership.models import AuditEntry, Department, OrganisationEvent
from ownership.presentation import number, percent, points
from surveys.models import Invitation, Response, Wave
from surveys.services import (
    invitations_issue,
    response_submit,
    wave_close,
    wave_open,
)
from tests.conftest import make_org
from tests.factories import (
    DepartmentFactory,
    EmployeeFactory,
    UserFactory,
    likert,
    make_survey,
    publish,
)

K = 5
LOCI = ["me", "team", "cco", "customer-service", "nobody"]
OWNER_LOCI = ["me", "cco", "customer-service", "nobody"]
QUESTIONS = [
    likert("FR-1"),
    likert("FR-4"),  # reverse-keyed
    {
        "type": "recommendation",
        "value": {"text": "Recommend?", "low_label": "0", "high_label": "10"},
    },
    {
        "type": "allocation",
        "value": {"text": "Who is responsible?", "help": "", "loci": LOCI},
    },
    {"type": "primary_owner", "value": {"text": "Mainly?", "loci": OWNER_LOCI}},
    {
        "type": "free_text",
        "value": {"text": "Anything else?", "warning": "No names.", "max_length": 200},
    },
]

# Per department: FR-1, FR-4 as answered, recommendation, points over LOCI,
# primary owner, one tuple per respondent.
AFTER = {
    "CLM": [
        (4, 2, 9, (10, 10, 55, 20, 5), "cco"),
        (5, 1, 8, (5, 15, 50, 25, 5), "cco"),
        (4, 2, 10, (15, 5, 60, 15, 5), "customer-service"),
        (3, 3, 6, (10, 10, 45, 30, 5), "cco"),
        (5, 1, 9, (5, 10, 65, 15, 5), "nobody"),
    ],
    "CLM-MOT": [
        (5, 1, 10, (5, 5, 70, 15, 5), "cco"),
        (4, 2, 9, (10, 10, 40, 35, 5), "cco"),
        (4, 2, 9, (15, 15, 35, 20, 15), "nobody"),
        (5, 1, 10, (5, 10, 60, 20, 5), "cco"),
        (3, 3, 8, (10, 5, 55, 25, 5), "customer-service"),
        (5, 1, 7, (10, 10, 50, 25, 5), "cco"),
    ],
    "SAL": [
        (2, 4, 5, (40, 40, 10, 5, 5), "me"),
        (3, 3, 6, (50, 30, 5, 10, 5), "me"),
        (2, 4, 7, (30, 50, 10, 5, 5), "me"),
        (3, 3, 3, (60, 20, 10, 5, 5), "cco"),
        (2, 4, 9, (45, 35, 5, 10, 5), "me"),
        (3, 3, 10, (35, 45, 5, 5, 10), "nobody"),
    ],
    # Below k: these answers must never surface in any figure.
    "KEY": [
        (1, 5, 0, (2, 3, 85, 5, 5), "cco"),
        (1, 5, 1, (3, 2, 80, 10, 5), "cco"),
        (2, 4, 2, (5, 5, 75, 10, 5), "cco"),
        (1, 5, 0, (1, 4, 90, 3, 2), "cco"),
    ],
}
BEFORE = {
    "CLM": [
        (3, 3, 7, (40, 30, 10, 10, 10), "me"),
        (3, 3, 6, (30, 40, 10, 15, 5), "me"),
        (4, 2, 8, (45, 30, 5, 10, 10), "me"),
        (2, 4, 5, (35, 35, 10, 10, 10), "me"),
        (3, 3, 7, (40, 35, 10, 10, 5), "me"),
    ],
    "CLM-MOT": [
        (4, 2, 8, (30, 30, 20, 10, 10), "me"),
        (3, 3, 7, (40, 35, 10, 10, 5), "me"),
        (3, 3, 6, (20, 50, 10, 10, 10), "nobody"),
        (4, 2, 9, (35, 35, 10, 15, 5), "me"),
        (3, 3, 7, (30, 40, 15, 10, 5), "me"),
        (4, 2, 8, (40, 30, 10, 10, 10), "cco"),
    ],
    "SAL": AFTER["SAL"],
    "KEY": AFTER["KEY"],
}
SILENT_IN_SALES = 2
TODAY = timezone.localdate()
EVENT_DATE = TODAY - dt.timedelta(days=30)
EXPORT_KINDS = ["heatmap", "concentration", "reliability", "response_rates", "comments"]
WAVE_PAGES = [
    "ownership_results_heatmap",
    "ownership_results_concentration",
    "ownership_results_reliability",
    "ownership_results_comments",
    "ownership_results_rates",
    "ownership_results_summary",
]
PAGES = [*WAVE_PAGES, "ownership_results_trends"]
REPORT_OF_PAGE = {
    "ownership_results_heatmap": "heatmap",
    "ownership_results_concentration": "concentration",
    "ownership_results_reliability": "reliability",
    "ownership_results_comments": "comments",
    "ownership_results_rates": "response_rates",
    "ownership_results_summary": "summary",
    "ownership_results_trends": "trends",
}


# --------------------------------------------------------------------------
# The organisation, two waves and the cast


def run_wave(survey, answers, *, label: str, days_ago: int = 0) -> Wave:
    """A wave answered as ``answers`` says; answers can only be given while a
    wave is open, so a past wave is opened now, answered and moved back."""
    now = timezone.now()
    wave = Wave.objects.create(
        survey=survey,
        label=label,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        min_group_size=K,
    )
    wave.audience.set(Department.get_root_nodes())
    wave = wave_open(wave=wave)
    invitations_issue(wave=wave, send=False)
    ids = [q["id"] for q in wave.snapshot["questions"]]
    for code, people in answers.items():
        invitations = Invitation.objects.filter(
            wave=wave, department__code=code
        ).order_by("pk")
        for number_, (invitation, person) in enumerate(
            zip(invitations, people, strict=False)
        ):
            fr1, fr4, recommend, points, owner = person
            response_submit(
                token=invitation.token,
                answers={
                    ids[0]: fr1,
                    ids[1]: fr4,
                    ids[2]: recommend,
                    ids[3]: dict(zip(LOCI, points, strict=True)),
                    ids[4]: owner,
                    ids[5]: f"Remark {code.lower()}-{number_} in {label}",
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


def build_world(org) -> SimpleNamespace:
    key = DepartmentFactory(code="KEY", name="Key Accounts", parent=org["sales"])
    for code, department in (
        ("CLM", org["claims"]),
        ("CLM-MOT", org["motor"]),
        ("SAL", org["sales"]),
        ("KEY", key),
    ):
        for _ in AFTER[code]:
            EmployeeFactory(department=department)
    EmployeeFactory.create_batch(SILENT_IN_SALES, department=org["sales"])
    OrganisationEvent.objects.create(
        date=EVENT_DATE, kind="cco_appointed", title="CCO appointed"
    )
    survey = make_survey(QUESTIONS)
    before = run_wave(survey, BEFORE, label="Before", days_ago=60)
    after = run_wave(survey, AFTER, label="After")  # interim release 1
    after = wave_close(wave=after)
    publish(after)  # final release 2, with the comments
    return SimpleNamespace(org=org, survey=survey, before=before, after=after)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The organisation and its two waves, built once for the module.

    Built inside a transaction that is rolled back when the module ends; each
    test runs in a savepoint within it (pytest-django's ``db``), so whatever a
    test changes is undone before the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world(make_org())
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def org(shared_world, db):
    return shared_world.org


@pytest.fixture
def world(shared_world, db):
    return shared_world


@pytest.fixture
def survey_editor(db):
    user = UserFactory(username="sam.editor")
    user.groups.add(Group.objects.get(name="Survey editors"))
    return user


@pytest.fixture
def cast(hr_analyst, department_head, survey_editor, employee_user):
    return {
        "hr_analyst": hr_analyst,
        "department_head": department_head,
        "survey_editor": survey_editor,
        "employee": employee_user,
    }


def url(name: str, world, **query) -> str:
    if name == "ownership_results_trends":
        query.setdefault("survey", world.survey.pk)
    else:
        query.setdefault("wave", world.after.pk)
    pairs = "&".join(f"{key}={value}" for key, value in query.items())
    return f"{reverse(name)}?{pairs}"


def export_url(kind: str, fmt: str, wave: Wave) -> str:
    return reverse("ownership_results_export", args=[kind, fmt]) + f"?wave={wave.pk}"


def get(client, user, path):
    client.force_login(user)
    return client.get(path)


# --------------------------------------------------------------------------
# What the suppressed department really said, straight from the database


def true_figures(wave: Wave, code: str = "KEY") -> set[str]:
    """Figures of ``code``'s own respondents, worked out from the stored
    answers and formatted as the pages and charts would show them."""
    responses = Response.objects.filter(wave=wave, department__code=code)
    n = responses.count()
    assert n == len(AFTER[code]) < K
    ids = [q["id"] for q in wave.snapshot["questions"]]
    answers = [r.numeric_answers() for r in responses.order_by("pk")]

    def values(question):
        return [a[question] for a in answers]

    # Felt responsibility: the mean of FR-1 and reverse-keyed FR-4 (6 - x).
    scores = [
        (a + 6 - b) / 2 for a, b in zip(values(ids[0]), values(ids[1]), strict=True)
    ]
    mean = sum(scores) / n
    recommend = values(ids[2])
    nps = 100 * (sum(r >= 9 for r in recommend) - sum(r <= 6 for r in recommend)) / n
    points = [
        (locus, given)
        for a in answers
        for question, value in a.items()
        if isinstance(value, dict)
        for locus, given in value.items()
    ]
    total = sum(given for _, given in points)
    designated = sum(
        given for locus, given in points if locus in ("cco", "customer-service")
    )
    cco = sum(given for locus, given in points if locus == "cco")
    figures = {
        number(mean),  # 1.25
        repr(mean),
        number(nps, 0, True),  # -100
        percent(designated / total),  # 90 %
        percent(cco / total),  # 82 %
        f"n = {n}",
    }
    assert figures == {"1.25", "-100", "90 %", "82 %", "n = 4"}
    return figures


def rows_of(html: str, marker: str) -> list[str]:
    """Every table row of ``html`` that mentions ``marker``."""
    return [row for row in re.findall(r"<tr\b.*?</tr>", html, re.S) if marker in row]


def leaked_digits(fragment: str) -> list[str]:
    """Digits in a row that are neither its place in the tree, a link, a
    column span nor the "fewer than k" note itself."""
    text = re.sub(
        r'\s(?:href|colspan|tabindex|data-depth|data-parent)="[^"]*"', "", fragment
    )
    text = re.sub(r"depth-\d+|--depth: \d+", "", text)
    text = text.replace(f"fewer than {K}", "")
    return re.findall(r"\d+", text)


# --------------------------------------------------------------------------
# Each page for each role


ROLE_STATUS = {
    "hr_analyst": 200,
    "department_head": 200,
    "survey_editor": 403,  # admin access, but no results role: a real 403
    "employee": 403,  # signed in without admin access: a 403, not the login page
}


@pytest.mark.django_db
class TestPagesByRole:
    @pytest.mark.parametrize("page", PAGES)
    def test_status(self, client, world, cast, page):
        for role, status in ROLE_STATUS.items():
            response = get(client, cast[role], url(page, world))
            assert response.status_code == status, role
            if status != 200:
                assert b"Claims" not in response.content, role

    def test_signed_in_employee_is_told_why(self, client, world, cast):
        response = get(
            client, cast["employee"], url("ownership_results_heatmap", world)
        )
        assert response.status_code == 403
        text = response.content.decode()
        assert cast["employee"].username in text
        assert "no access to the survey results" in text
        assert response.headers["Cache-Control"].startswith("max-age=0")

    def test_missing_wave_is_the_admin_404(self, client, world, cast):
        path = reverse("ownership_results_heatmap") + "?wave=999999"
        response = get(client, cast["hr_analyst"], path)
        assert response.status_code == 404
        assert "wagtailadmin/404.html" in [t.name for t in response.templates]

    @pytest.mark.parametrize("page", PAGES)
    def test_anonymous_goes_to_login(self, client, world, page):
        response = client.get(url(page, world))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))

    @pytest.mark.parametrize("kind", EXPORT_KINDS)
    def test_exports_refused_outside_a_role(self, client, world, cast, kind):
        path = export_url(kind, "csv", world.after)
        assert client.get(path).status_code == 302  # anonymous: to the login
        assert get(client, cast["survey_editor"], path).status_code == 403
        assert get(client, cast["employee"], path).status_code == 403
        assert not AuditEntry.objects.filter(action__startswith="export").exists()

    def test_audit_log_is_for_hr_analysts(self, client, world, cast):
        get(client, cast["hr_analyst"], url("ownership_results_heatmap", world))
        log = reverse("ownership_audit_log")
        page = get(client, cast["hr_analyst"], log)
        assert page.status_code == 200
        assert "hana.hr" in page.content.decode()
        assert get(client, cast["department_head"], log).status_code == 403
        assert get(client, cast["survey_editor"], log).status_code == 403
        assert get(client, cast["employee"], log).status_code == 403
        client.logout()
        assert client.get(log).status_code == 302


@pytest.mark.django_db
class TestDepartmentHeadScope:
    @pytest.mark.parametrize("page", PAGES)
    def test_only_their_subtree(self, client, world, department_head, page):
        html = get(client, department_head, url(page, world)).content.decode()
        assert "Claims" in html
        for outside in ("Sales", "Key Accounts"):
            assert outside not in html, outside
        assert not re.search(r">\s*Board\s*<", html)  # ("Board summary" is a link)

    def test_heatmap_rows(self, client, world, department_head):
        html = get(
            client, department_head, url("ownership_results_heatmap", world)
        ).content.decode()
        assert re.findall(r'<tr class="[^"]*" data-code="([^"]*)"', html) == [
            "",
            "CLM",
            "CLM-MOT",
        ]

    def test_exports_are_scoped(self, client, world, department_head):
        for kind in ("heatmap", "concentration", "response_rates"):
            response = get(
                client, department_head, export_url(kind, "csv", world.after)
            )
            codes = {row["department_code"] for row in csv_table(response)[2]}
            assert codes == {"", "CLM", "CLM-MOT"}, kind

    def test_no_lorenz_curve_across_departments(self, client, world, department_head):
        html = get(
            client, department_head, url("ownership_results_concentration", world)
        ).content.decode()
        assert 'id="chart-allocation-title"' in html
        assert "chart-lorenz" not in html

    def test_head_without_employee_link_is_refused(self, client, world):
        user = UserFactory(username="head.unlinked")
        user.groups.add(Group.objects.get(name="Department heads"))
        path = url("ownership_results_heatmap", world)
        assert get(client, user, path).status_code == 403


# --------------------------------------------------------------------------
# The pages themselves


@pytest.mark.django_db
class TestPages:
    @pytest.mark.parametrize("show", ["value", "delta", "change"])
    def test_heatmap_modes(self, client, world, hr_analyst, show):
        response = get(
            client, hr_analyst, url("ownership_results_heatmap", world, show=show)
        )
        html = response.content.decode()
        assert response.context["show"] == show
        assert re.search(rf'show={show}"\s+aria-current="true"', html)
        report = analytics.heatmap(world.after, hr_analyst)
        claims = next(r for r in report.rows if r.department.code == "CLM")
        felt = next(c for c in claims.cells if c.construct == "felt-responsibility")
        expected = {
            "value": percent(felt.favourable),
            "delta": number(felt.delta, 2, True),
            "change": points(felt.change_favourable),
        }[show]
        (row,) = [r for r in rows_of(html, 'data-code="CLM"') if "Claims" in r]
        assert expected in row

    @pytest.mark.parametrize(
        "show, caption, marker",
        [
            (
                "value",
                "After: favourable shares by department",
                "significant difference to the rest of the organisation",
            ),
            (
                "delta",
                "After: difference in mean answer to the whole organisation, "
                "in scale points",
                "significant difference to the rest of the organisation",
            ),
            (
                "change",
                "After: change in favourable share since Before, in percentage points",
                "significant change since the previous wave",
            ),
        ],
    )
    def test_heatmap_says_what_each_mode_shows(
        self, client, world, hr_analyst, show, caption, marker
    ):
        html = get(
            client, hr_analyst, url("ownership_results_heatmap", world, show=show)
        ).content.decode()
        (shown,) = re.findall(r"<caption>(.*?)</caption>", html, re.S)
        assert shown.startswith(caption)
        legend = re.search(r'<p class="legend">(.*?)</p>', html, re.S).group(1)
        assert marker in legend
        assert ("better" in legend) == (show != "value")
        # The marker follows the mode's own test, and every interval is on
        # the page, not only in a tooltip.
        report = analytics.heatmap(world.after, hr_analyst)
        claims = next(r for r in report.rows if r.department.code == "CLM")
        (row,) = [r for r in rows_of(html, 'data-code="CLM"') if "Claims" in r]
        cells = re.findall(r'<td class="heat [^"]*".*?</td>', row, re.S)
        assert len(cells) == len(claims.cells)
        for cell, shown_cell in zip(claims.cells, cells, strict=True):
            flag = cell.change_significant if show == "change" else cell.significant
            assert ("◆" in shown_cell) == (flag and cell.construct != "response_rate")
            low, high = {
                "value": (cell.favourable_low, cell.favourable_high),
                "delta": (cell.delta_low, cell.delta_high),
                "change": (cell.change_low, cell.change_high),
            }[show]
            if low is not None and cell.construct != "response_rate":
                assert '<span class="ci" aria-hidden="true">' in shown_cell
        assert any(c.change_significant for c in claims.cells) or show != "change"

    def test_change_without_an_earlier_wave_says_so(self, client, world, hr_analyst):
        html = get(
            client,
            hr_analyst,
            url(
                "ownership_results_heatmap", world, show="change", wave=world.before.pk
            ),
        ).content.decode()
        assert "Before: no earlier wave of this survey to compare with" in html

    def test_default_wave_is_the_latest_closed_one(self, client, world, hr_analyst):
        response = get(client, hr_analyst, reverse("ownership_results_heatmap"))
        assert response.context["wave"] == world.after  # closed after Before

    def test_concentration_page(self, client, world, hr_analyst):
        response = get(
            client, hr_analyst, url("ownership_results_concentration", world)
        )
        report = response.context["report"]
        html = response.content.decode()
        assert escape(report.verdict.text) in html
        assert report.baseline_wave_id == world.before.pk
        assert report.gini is not None
        assert "Before and after: CCO appointed" in html

    def test_comments_of_a_small_group_are_not_shown(self, client, world, hr_analyst):
        html = get(
            client,
            hr_analyst,
            url("ownership_results_comments", world, department="KEY"),
        ).content.decode()
        assert "Remark key-" not in html
        assert 'value="KEY"' not in html  # not even offered
        whole = get(
            client, hr_analyst, url("ownership_results_comments", world)
        ).content.decode()
        assert "Remark clm-0 in After" in whole

    @pytest.mark.parametrize(
        "query",
        [
            {"q": "%3Cscript%3Ealert(1)%3C/script%3E"},
            {"q": "x" * 500},
            {"q": "%00"},
            {"open": "%3Cb%3E", "q": ""},
            {"open": "NO-SUCH-DEPARTMENT"},
        ],
        ids=["markup", "long", "nul", "markup-open", "unknown-open"],
    )
    def test_odd_tree_parameters_are_harmless(self, client, world, hr_analyst, query):
        for name in ("ownership_results_heatmap", "ownership_results_rates"):
            page = get(client, hr_analyst, url(name, world, **query))
            assert page.status_code == 200, name
            html = page.content.decode()
            assert "<script>alert" not in html and "<b>" not in html
            # The organisation's row is always there.
            assert "Whole organisation" in html

    @pytest.mark.parametrize("number", ["abc", "0", "-1", "99999", ""])
    def test_any_comments_page_number_shows_a_page(
        self, client, world, hr_analyst, number
    ):
        page = get(
            client, hr_analyst, url("ownership_results_comments", world, page=number)
        )
        assert page.status_code == 200

    def test_response_rates(self, client, world, hr_analyst):
        html = get(
            client, hr_analyst, url("ownership_results_rates", world)
        ).content.decode()
        (sales,) = rows_of(html, ">Sales<")
        invited = len(AFTER["SAL"]) + len(AFTER["KEY"]) + SILENT_IN_SALES
        answered = len(AFTER["SAL"]) + len(AFTER["KEY"])
        assert f"<td>{invited}</td><td>{answered}</td>" in sales
        assert percent(answered / invited) in sales

    def test_summary_prints_verdict_and_heatmap(self, client, world, hr_analyst):
        response = get(client, hr_analyst, url("ownership_results_summary", world))
        html = response.content.decode()
        assert escape(response.context["concentration"].verdict.text) in html
        assert 'class="heatmap"' in html

    def test_trends_page(self, client, world, hr_analyst):
        response = get(
            client,
            hr_analyst,
            url(
                "ownership_results_trends",
                world,
                construct="felt-responsibility",
                department="CLM",
            ),
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert [s.department.code for s in response.context["series"]] == ["CLM"]
        assert "CCO appointed" in html
        assert 'id="chart-trends-title"' in html

    def test_trends_highlight_one_department_against_the_others(
        self, client, world, hr_analyst
    ):
        html = get(
            client,
            hr_analyst,
            url("ownership_results_trends", world, department="CLM"),
        ).content.decode()
        # The picker: every department, the chosen one selected.
        picker = re.search(
            r'<select id="department-select" name="department">(.*?)</select>',
            html,
            re.S,
        ).group(1)
        options = re.findall(r'<option value="([^"]*)"( selected)?>', picker)
        assert {code for code, _ in options} >= {"", "BOARD", "CLM", "SAL"}
        assert [code for code, selected in options if selected] == ["CLM"]
        # Themes by their names, not their keys.
        themes = re.search(
            r'<select id="construct-select" name="construct">(.*?)</select>', html, re.S
        ).group(1)
        assert ">Felt responsibility for customer outcomes</option>" in themes
        assert ">felt-responsibility<" not in themes
        # The caption promises what the chart draws: Claims highlighted with
        # its interval shaded, the others in grey.
        caption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)
        assert "Claims highlighted, with its 95 % interval shaded" in caption
        (svg,) = svgs_with(html, "chart-trends")
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
        assert "Claims is highlighted with its 95 % interval" in desc
        assert "95 % interval" in svg and "other departments" in svg
        assert svg.count('fill="#542788"') or "fill: #542788" in svg
        # The tables hold the chosen department's figures only.
        captions = re.findall(
            r'<table class="data-table">\s*<caption>(.*?)</caption>', html
        )
        assert captions and all(c.startswith("Claims · ") for c in captions)
        assert "Claims · Felt responsibility for customer outcomes" in captions

    def test_trends_mark_an_open_wave_provisional(self, client, world, hr_analyst):
        run_wave(world.survey, AFTER, label="Third")  # open, interim release
        html = get(
            client, hr_analyst, url("ownership_results_trends", world)
        ).content.decode()
        caption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)
        assert "the whole organisation highlighted" in caption
        assert "Hollow points come from a wave still open" in caption
        (svg,) = svgs_with(html, "chart-trends")
        assert "provisional (wave still open)" in svg
        rows = re.findall(r'<tr><th scope="row">(.*?)</th>', html, re.S)
        third = [r for r in rows if r.startswith("Third")]
        assert third and all("provisional" in r for r in third)
        assert not any("provisional" in r for r in rows if r.startswith("After"))

    def test_trends_page_twice(self, client, world, hr_analyst):
        """A second request works too (regression: the submodule
        ``analytics/trends.py``, once imported, used to replace the function
        ``analytics.trends`` of the same name on the package)."""
        path = url("ownership_results_trends", world)
        assert get(client, hr_analyst, path).status_code == 200
        assert get(client, hr_analyst, path).status_code == 200


# --------------------------------------------------------------------------
# Charts: inline SVG, named and described, no script


def svgs(html: str) -> list[str]:
    """The charts' SVGs (not the admin's icons)."""
    return re.findall(r'<svg\b[^>]*class="chart[" ].*?</svg>', html, re.S)


@pytest.mark.django_db
class TestCharts:
    def test_concentration_charts(self, client, world, hr_analyst):
        html = get(
            client, hr_analyst, url("ownership_results_concentration", world)
        ).content.decode()
        charts = {chart_slug(svg): svg for svg in svgs(html)}
        assert set(charts) == {
            "chart-allocation",
            "chart-before-after",
            "chart-lorenz",
            "chart-owner",
        }
        for slug, svg in charts.items():
            assert re.match(r'<svg [^>]*role="img"', svg), slug
            assert re.search(r'<svg [^>]*viewBox="0 0 [\d.]+ [\d.]+"', svg), slug
            assert not re.search(r'<svg [^>]*\swidth="', svg), slug
            assert f'<title id="{slug}-title">' in svg
            assert f'<desc id="{slug}-desc">' in svg
            assert "<script" not in svg, slug
            assert not re.search(r"<[^>]+\son[a-z]+=", svg), slug  # no handlers
            assert "<?xml" not in svg and "<!DOCTYPE" not in svg
        assert html.count("<figcaption>") >= 4
        for table in ("allocation-table", "before-after-table", "owner-table", "gini"):
            assert f'href="#{table}"' in html and f'id="{table}"' in html
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert sorted(i for i in set(ids) if ids.count(i) > 1) == []
        assert "Gini" in charts["chart-lorenz"]
        assert "CCO appointed" in charts["chart-before-after"]

    def test_trends_chart(self, client, world, hr_analyst):
        html = get(
            client,
            hr_analyst,
            url("ownership_results_trends", world, construct="felt-responsibility"),
        ).content.decode()
        (svg,) = svgs_with(html, "chart-trends")
        assert '<title id="chart-trends-title">' in svg
        assert "CCO appointed" in svg  # the event on the time axis
        assert "<figcaption>" in html and 'href="#trend-figures"' in html

    def test_cached_by_the_report_drawn(self, world, hr_analyst, department_head):
        from ownership import charts

        report = analytics.concentration(world.after, hr_analyst)
        first = charts.concentration_charts(report)
        with patch("ownership.charts.concentration.render") as render:
            assert charts.concentration_charts(report) == first
            render.assert_not_called()
        # A narrower scope is another report: drawn anew, never the cached one.
        scoped = analytics.concentration(world.after, department_head)
        allocation = charts.allocation_chart(scoped)
        assert "Sales" in first["allocation"] and "Sales" not in allocation

    def test_text_is_escaped(self, client, world, hr_analyst):
        Department.objects.filter(code="CLM").update(name="Claims & <Recovery>")
        # Names are frozen when a wave opens: a wave opened after the renaming
        # shows the new name, the earlier ones keep theirs.
        third = run_wave(world.survey, AFTER, label="Third")
        page = reverse("ownership_results_concentration")
        html = get(client, hr_analyst, f"{page}?wave={third.pk}").content.decode()
        (svg,) = svgs_with(html, "chart-allocation")
        assert "Claims &amp; &lt;Recovery&gt;" in svg
        assert "<Recovery>" not in html
        earlier = get(
            client, hr_analyst, url("ownership_results_concentration", world)
        ).content.decode()
        assert "Recovery" not in earlier and "Claims" in earlier


def chart_slug(svg: str) -> str:
    return re.search(r'aria-labelledby="(chart-[a-z-]+)-title', svg).group(1)


def svgs_with(html: str, slug: str) -> list[str]:
    return [svg for svg in svgs(html) if chart_slug(svg) == slug]


# --------------------------------------------------------------------------
# Suppression: the small department shows nothing anywhere


@pytest.mark.django_db
class TestNothingLeaks:
    @pytest.mark.parametrize(
        ("page", "show"),
        [(page, "value") for page in WAVE_PAGES]
        + [
            ("ownership_results_heatmap", "delta"),
            ("ownership_results_heatmap", "change"),
        ],
    )
    def test_pages(self, client, world, hr_analyst, page, show):
        html = get(client, hr_analyst, url(page, world, show=show)).content.decode()
        forbidden = true_figures(world.after)
        rows = rows_of(html, "Key Accounts")
        if page == "ownership_results_comments":
            assert rows == []  # no table; not even in the department list
            assert "Key Accounts" not in html
            return
        assert rows, page
        for row in rows:
            assert f"fewer than {K}" in row, row
            assert leaked_digits(row) == [], row
            for figure in forbidden:
                assert figure not in row, (figure, row)
        descs = [
            re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1) for svg in svgs(html)
        ]
        for desc in descs:
            if "Key Accounts" in desc:
                # Its sentence says so and nothing else.
                assert re.search(rf"Key Accounts: fewer than {K}\.( |$)", desc)
        if page == "ownership_results_concentration":
            assert any("Key Accounts" in desc for desc in descs)

    def test_trends(self, client, world, hr_analyst):
        html = get(
            client, hr_analyst, url("ownership_results_trends", world, department="KEY")
        ).content.decode()
        tables = re.findall(
            r"<table class=\"data-table\">\s*<caption>Key Accounts.*?</table>",
            html,
            re.S,
        )
        assert tables
        for table in tables:
            body = table.split("</thead>")[1]
            assert "too few respondents" in body
            assert (
                leaked_digits(re.sub(r"<th scope=\"row\">[^<]*</th>", "", body)) == []
            )

    @pytest.mark.parametrize("kind", EXPORT_KINDS)
    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_exports(self, client, world, hr_analyst, kind, fmt):
        response = get(client, hr_analyst, export_url(kind, fmt, world.after))
        header, rows = (csv_table if fmt == "csv" else xlsx_table)(response)[1:]
        forbidden = true_figures(world.after)
        key_rows = [row for row in rows if row.get("department_code") == "KEY"]
        if kind == "reliability":
            key_rows = [r for r in key_rows if r["section"] == "agreement"]
        assert key_rows, kind
        identity = {
            "department_code",
            "department_name",
            "parent_code",
            "depth",
            "construct",
            "section",
            "item",
            "locus",
            "locus_label",
            "locus_kind",
            "rwg_band",
        }
        for row in key_rows:
            for field, value in row.items():
                if field in identity:
                    continue
                if field.endswith("suppressed"):
                    assert value in ("true", True), (field, row)
                else:
                    assert value in ("", None, "false", False), (field, row)
            for figure in forbidden:
                assert figure not in [str(v) for v in row.values()], figure


# --------------------------------------------------------------------------
# Exports equal the report objects


def typed(value):
    """A CSV or spreadsheet cell as the value the report held."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    if value in ("true", "false"):
        return value == "true"
    for cast_ in (int, float):
        try:
            return cast_(value)
        except ValueError:
            pass
    return value


def same(found, value, fmt: str) -> bool:
    """Exactly equal; CSV writes floats with repr(), so they come back
    bit for bit, but openpyxl writes "%.16g" (one digit short of what a
    double may need), so XLSX floats are equal to 15 significant digits."""
    if isinstance(value, bool) or isinstance(found, bool):
        return found is value
    if isinstance(value, Real) and isinstance(found, Real):
        if fmt == "xlsx":
            return math.isclose(found, value, rel_tol=1e-15, abs_tol=0)
        return found == value
    return found == value


def csv_table(response):
    text = response.content.decode("utf-8")
    lines = text.splitlines(keepends=True)
    meta = {}
    while lines and lines[0].startswith("# "):
        key, _sep, value = lines.pop(0)[2:].rstrip("\n").partition(": ")
        meta[key] = value
    reader = csv.DictReader(io.StringIO("".join(lines)))
    return meta, reader.fieldnames, list(reader)


def xlsx_table(response):
    """The workbook's metadata (its "About" sheet) and its tables, the rows of
    every table sheet in order, each row holding every column of any sheet
    (empty where its sheet has no such column)."""
    book = load_workbook(io.BytesIO(response.content))
    about, *tables = book.worksheets
    assert about.title == "About"
    values = list(about.iter_rows(values_only=True))
    assert values.pop(0) == ("field", "value")
    meta = dict(row[:2] for row in values)
    header, rows = [], []
    for sheet in tables:
        assert sheet.freeze_panes == "A2", sheet.title
        values = list(sheet.iter_rows(values_only=True))
        columns = list(values.pop(0))
        header += [c for c in columns if c not in header]
        rows += [dict(zip(columns, row, strict=False)) for row in values]
    rows = [{column: row.get(column) for column in header} for row in rows]
    return meta, header, rows


def expected_rows(kind: str, report) -> list[dict]:
    """The report objects, field by field, in the order an export lists them."""

    def department(d):
        return {
            "department_code": d.code or None,
            "department_name": d.name,
            "parent_code": d.parent_code,
            "depth": d.depth,
        }

    out = []
    if kind == "heatmap":
        for row in report.rows:
            for c in row.cells:
                band = c.favourable_band or (None, None)
                out.append(
                    department(row.department)
                    | {"row_n": row.n, "row_suppressed": row.suppressed}
                    | {
                        f: getattr(c, f)
                        for f in (
                            "construct n mean favourable favourable_low "
                            "favourable_high delta delta_low delta_high p_value "
                            "q_value significant change rwg_j reliability suppressed"
                        ).split()
                    }
                    | {"favourable_band_low": band[0], "favourable_band_high": band[1]}
                )
    elif kind == "concentration":
        loci = [ref.slug for ref in report.loci]
        loci += [ref.slug for ref in report.owner_loci if ref.slug not in loci]
        labels = {ref.slug: ref for ref in (*report.loci, *report.owner_loci)}
        for row in report.rows:
            shares = {s.locus: s for s in row.shares}
            owners = {o.locus: o for o in row.primary_owner}
            own = {
                f: getattr(row, f)
                for f in (
                    "n_allocation allocation_suppressed designated_share "
                    "designated_low designated_high distributed_share "
                    "distributed_low distributed_high mean_hhi hhi_of_mean "
                    "n_primary_owner primary_owner_suppressed n_before n_after "
                    "before_designated after_designated p_value q_value method "
                    "significant"
                ).split()
            }
            for slug in loci:
                share, owner = shares.get(slug), owners.get(slug)
                band = (owner.band if owner else None) or (None, None)
                out.append(
                    department(row.department)
                    | {"row_n": row.n, "row_suppressed": row.suppressed}
                    | own
                    | {
                        "locus": slug,
                        "locus_label": labels[slug].label,
                        "locus_kind": labels[slug].kind,
                        "mean_share": share.mean_share if share else None,
                        "primary_owner_share": owner.share if owner else None,
                        "primary_owner_band_low": band[0],
                        "primary_owner_band_high": band[1],
                    }
                )
    elif kind == "reliability":
        for c in report.constructs:
            out.append(
                {"section": "construct", "construct": c.construct}
                | {
                    f: getattr(c, f)
                    for f in (
                        "n n_items alpha alpha_low alpha_high standardized_alpha "
                        "omega icc1 icc2"
                    ).split()
                }
                | {"suppressed": False}
            )
            for item in c.items:
                out.append(
                    {"section": "item", "construct": c.construct, "item": item.item}
                    | {
                        "r_drop": item.r_drop,
                        "alpha_if_dropped": item.alpha_if_dropped,
                        "lowers_alpha": item.lowers_alpha,
                    }
                )
        for row in report.rows:
            for cell in row.cells:
                out.append(
                    {
                        "section": "agreement",
                        "construct": cell.construct,
                        "department_code": row.department.code or None,
                        "rwg_j": cell.rwg_j,
                        "rwg_band": cell.band,
                        "suppressed": cell.suppressed,
                    }
                )
    elif kind == "response_rates":
        for row in report.rows:
            out.append(
                department(row.department)
                | {
                    "invited": row.invited,
                    "responded": row.responded,
                    "rate": row.rate,
                    "suppressed": row.suppressed,
                }
            )
    elif kind == "comments":
        for row in report.rows:
            base = {
                "department_code": row.department.code or None,
                "department_name": row.department.name,
                "respondents": row.respondents,
                "suppressed": row.suppressed,
            }
            texts = row.comments if not row.suppressed and row.comments else [None]
            out += [base | {"comment": text} for text in texts]
    return out


@pytest.mark.django_db
class TestExports:
    @pytest.mark.parametrize("kind", EXPORT_KINDS)
    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_equal_the_report(self, client, world, hr_analyst, kind, fmt):
        before = timezone.now().replace(microsecond=0)
        response = get(client, hr_analyst, export_url(kind, fmt, world.after))
        assert response.status_code == 200
        assert f'filename="{kind}-after-' in response["Content-Disposition"]
        meta, header, rows = (csv_table if fmt == "csv" else xlsx_table)(response)

        assert meta["report"] == kind
        assert meta["wave"] == f"After (id {world.after.pk})"
        assert str(meta["min_group_size"]) == str(K)
        # The final release (2) of the wave; release 1 was interim.
        assert meta["release"] == f"2 of {timezone.localdate().isoformat()}"
        assert meta["provisional"] == "false"
        exported = dt.datetime.fromisoformat(meta["exported_at"])
        assert before <= exported <= timezone.now()

        report = analytics.report(kind, world.after, hr_analyst)
        expected = expected_rows(kind, report)
        assert len(rows) == len(expected)
        for found, wanted in zip(rows, expected, strict=True):
            assert set(wanted) <= set(header), set(wanted) - set(header)
            for field, value in wanted.items():
                assert same(typed(found[field]), value, fmt), (kind, field, found)

    @pytest.mark.parametrize(
        "label",
        [
            '=HYPERLINK("http://evil.example","x")',
            'x\n=HYPERLINK("http://evil.example")\r\n+1',
        ],
    )
    def test_no_formula_through_a_label(self, client, world, hr_analyst, label):
        Wave.objects.filter(pk=world.after.pk).update(label=label)
        csv_text = get(
            client, hr_analyst, export_url("concentration", "csv", world.after)
        ).content.decode()
        lines = csv_text.splitlines()
        assert not [line for line in lines if line.startswith(("=", "+", "-", "@"))]
        wave_line = next(line for line in lines if line.startswith("# wave: "))
        assert "HYPERLINK" in wave_line  # the label is there, on its own line

        book = load_workbook(
            io.BytesIO(
                get(
                    client, hr_analyst, export_url("concentration", "xlsx", world.after)
                ).content
            )
        )
        cells = [
            cell
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
        ]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        (wave_cell,) = [c for c in cells if "HYPERLINK" in str(c.value or "")]
        assert "\n" not in wave_cell.value
        assert not wave_cell.value.startswith(("=", "+", "-", "@"))

    def test_every_kind_has_data(self, world, hr_analyst):
        def report(kind):
            return analytics.report(kind, world.after, hr_analyst)

        assert any(row.rate is not None for row in report("response_rates").rows)
        (felt,) = report("reliability").constructs
        assert felt.alpha is not None and felt.icc1 is not None
        assert any(row.comments for row in report("comments").rows)
        concentration = report("concentration")
        assert concentration.gini is not None
        assert any(row.significant for row in concentration.rows)


# --------------------------------------------------------------------------
# The audit log


@pytest.mark.django_db
class TestAudit:
    @pytest.mark.parametrize("page", PAGES)
    def test_each_view_is_written(self, client, world, hr_analyst, page):
        client.force_login(hr_analyst)
        start = timezone.now() - dt.timedelta(seconds=1)
        assert client.get(url(page, world)).status_code == 200
        (entry,) = AuditEntry.objects.filter(channel="admin")
        assert entry.user == hr_analyst
        assert (entry.channel, entry.action) == ("admin", "view")
        assert entry.report == REPORT_OF_PAGE[page]
        expected_wave = None if page == "ownership_results_trends" else world.after.pk
        assert entry.wave_id == expected_wave
        assert start <= entry.created_at <= timezone.now()

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_each_export_is_written(self, client, world, hr_analyst, fmt):
        client.force_login(hr_analyst)
        for kind in EXPORT_KINDS:
            assert client.get(export_url(kind, fmt, world.after)).status_code == 200
        entries = list(AuditEntry.objects.filter(channel="admin").order_by("pk"))
        assert [(e.report, e.action) for e in entries] == [
            (kind, f"export-{fmt}") for kind in EXPORT_KINDS
        ]
        assert {(e.user, e.wave_id) for e in entries} == {(hr_analyst, world.after.pk)}

    def test_refusals_read_nothing(self, client, world, survey_editor):
        client.force_login(survey_editor)
        client.get(url("ownership_results_heatmap", world))
        assert not AuditEntry.objects.filter(channel="admin").exists()

    def test_the_log_lists_who_what_when(self, client, world, hr_analyst):
        client.force_login(hr_analyst)
        client.get(url("ownership_results_heatmap", world))
        client.get(export_url("heatmap", "csv", world.after))
        html = client.get(reverse("ownership_audit_log")).content.decode()
        (entry,) = AuditEntry.objects.filter(action="export-csv")
        assert (
            entry.created_at.astimezone(timezone.get_current_timezone()).strftime(
                "%Y-%m-%d %H:%M"
            )
            in html
        )
        assert "export-csv" in html and "hana.hr" in html


# --------------------------------------------------------------------------
# Bad input


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize("page", WAVE_PAGES)
    def test_unknown_wave_is_404(self, client, world, hr_analyst, page):
        client.force_login(hr_analyst)
        huge = "9" * 30  # past any database integer
        for wave in ("abc", "99999", "-1", "1.5", "", "²", "٣", huge, "0"):
            response = client.get(url(page, world, wave=wave))
            assert response.status_code == (200 if wave == "" else 404), wave

    @pytest.mark.parametrize("survey", ["99999", "²", "9" * 30, "0", "x"])
    def test_unknown_survey_is_404(self, client, world, hr_analyst, survey):
        path = url("ownership_results_trends", world, survey=survey)
        assert get(client, hr_analyst, path).status_code == 404

    @pytest.mark.parametrize("survey", ["99999", "²", "9" * 30, "0", "x"])
    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_trends_export_of_an_unknown_survey_is_404(
        self, client, world, hr_analyst, survey, fmt
    ):
        path = reverse("ownership_results_export", args=["trends", fmt])
        before = AuditEntry.objects.count()
        assert get(client, hr_analyst, f"{path}?survey={survey}").status_code == 404
        assert AuditEntry.objects.count() == before  # nothing exported, nothing logged

    @pytest.mark.parametrize("wave", ["abc", "99999", "²", "9" * 30])
    def test_pdf_of_an_unknown_wave_is_404(self, client, world, hr_analyst, wave):
        path = f"{reverse('ownership_results_summary_pdf')}?wave={wave}"
        assert get(client, hr_analyst, path).status_code == 404

    @pytest.mark.parametrize("release", ["²", "9" * 30, "0", "40000"])
    def test_unknown_release_is_404(self, client, world, hr_analyst, release):
        path = url("ownership_results_heatmap", world, release=release)
        assert get(client, hr_analyst, path).status_code == 404

    @pytest.mark.parametrize(
        ("kind", "fmt"),
        [("nope", "csv"), ("trends", "pdf"), ("heatmap", "pdf"), ("heatmap", "CSV")],
    )
    def test_unknown_export_is_404(self, client, world, hr_analyst, kind, fmt):
        path = reverse("ownership_results_export", args=[kind, fmt])
        response = get(client, hr_analyst, f"{path}?wave={world.after.pk}")
        assert response.status_code == 404
        assert not AuditEntry.objects.filter(channel="admin").exists()

    @pytest.mark.parametrize("wave", ["abc", "99999", "²", "9" * 30])
    def test_export_of_unknown_wave_is_404(self, client, world, hr_analyst, wave):
        path = reverse("ownership_results_export", args=["heatmap", "csv"])
        response = get(client, hr_analyst, f"{path}?wave={wave}")
        assert response.status_code == 404


# --------------------------------------------------------------------------
# The results home


@pytest.mark.django_db
class TestResultsHome:
    def test_after_final_results_it_asks_to_record_commitments(
        self, client, world, hr_analyst
    ):
        from surveys.models import Commitment

        client.force_login(hr_analyst)
        home = reverse("ownership_results_home")
        html = client.get(home).content.decode()
        assert f"The final results of {world.after.label} are out." in html
        assert "/admin/snippets/surveys/commitment/add/" in html
        Commitment.objects.create(
            department=Department.objects.get(code="CLM"),
            wave=world.after,
            statement="Call back within a day.",
            due_on=world.after.closes_at.date(),
        )
        assert "are out." not in client.get(home).content.decode()

    def test_hr_lands_on_the_results_home(self, client, world, hr_analyst):
        from tests.factories import PASSWORD

        response = client.post(
            reverse("wagtailadmin_login"),
            {"username": hr_analyst.username, "password": PASSWORD},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == reverse("ownership_results_home")
        html = response.content.decode()
        verdict = analytics.concentration(world.after, hr_analyst).verdict.text
        assert escape(verdict) in html
        assert "No wave is open at the moment." in html
        # What changed since Before: exactly the significant changes.
        report = analytics.heatmap(world.after, hr_analyst)
        changed = [
            (r.department.name if r.department.code else "Whole organisation", c)
            for r in report.rows
            for c in r.cells
            if c.change_significant
        ]
        assert changed, "the fixture's waves differ enough to show a change"
        items = re.findall(r'<ul class="home-changes">(.*?)</ul>', html, re.S)[0]
        shown = re.findall(r"<li>(.*?)</li>", items, re.S)
        assert len(shown) == min(len(changed), 6)
        assert "since Before" in html
        for name, cell in changed:
            text = (
                number(cell.change_favourable, 0, True)
                if cell.construct == "nps"
                else points(cell.change_favourable)
            )
            assert len(changed) > 6 or any(
                name in item and text in item for item in shown
            )

    def test_every_image_on_the_landing_page_is_served_here(
        self, client, world, hr_analyst
    ):
        from django.contrib.staticfiles import finders

        client.force_login(hr_analyst)
        html = client.get(reverse("ownership_results_home")).content.decode()
        # <img> tags, and the sidebar's avatar (drawn from its JSON props).
        sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
        sources += re.findall(r'"avatarUrl": "([^"]+)"', html)
        assert sources, "the sidebar shows the user's avatar"
        for src in sources:
            assert src.startswith("/static/"), src
            assert finders.find(src.removeprefix("/static/").split("?")[0]), src

    def test_open_wave_shows_released_participation_only(
        self, client, world, hr_analyst
    ):
        third = run_wave(world.survey, AFTER, label="Third")  # interim release
        client.force_login(hr_analyst)
        first = client.get(reverse("ownership_results_home")).content.decode()
        rates = analytics.response_rates(third, hr_analyst)
        org = next(r for r in rates.rows if r.department.code is None)
        expected = f"{org.responded} of {org.invited} invited"
        assert "Third" in first and expected in first
        # Another answer changes nothing until the next release. run_wave
        # answers Sales' invitations in order: the last ones are unused.
        spare = Invitation.objects.filter(wave=third, department__code="SAL").order_by(
            "-pk"
        )[0]
        ids = [q["id"] for q in third.snapshot["questions"]]
        response_submit(token=spare.token, answers={ids[0]: 4})
        again = client.get(reverse("ownership_results_home")).content.decode()
        assert expected in again

    def test_department_head_sees_their_part(self, client, world, department_head):
        client.force_login(department_head)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
        assert "The latest verdict" in html
        items = re.findall(r'<ul class="home-changes">(.*?)</ul>', html, re.S)
        assert not items or "Sales" not in items[0]

    def test_editors_keep_the_dashboard_with_the_summary(
        self, client, world, superuser
    ):
        client.force_login(superuser)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="home-panel-title"' in html and "The latest verdict" in html

    def test_people_without_results_get_the_dashboard(self, client, survey_editor):
        client.force_login(survey_editor)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        assert "home-panel-title" not in response.content.decode()


# --------------------------------------------------------------------------
# The board summary as PDF, trends as a table, workbooks that read well


@pytest.mark.django_db
class TestPrintAndWorkbooks:
    def test_board_summary_pdf_is_a4_landscape(self, client, world, hr_analyst):
        from pypdf import PdfReader

        response = get(
            client,
            hr_analyst,
            f"{reverse('ownership_results_summary_pdf')}?wave={world.after.pk}",
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="summary-after-' in response["Content-Disposition"]
        pdf = PdfReader(io.BytesIO(response.content))
        for page in pdf.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert (round(width), round(height)) == (842, 595)  # A4 landscape, pt
        text = " ".join(page.extract_text() for page in pdf.pages)
        flat = " ".join(text.split())
        verdict = analytics.concentration(world.after, hr_analyst).verdict.text
        assert " ".join(verdict.split())[:60] in flat
        for name in ("Whole organisation", "Claims", "Sales"):
            assert name in flat
        assert "Final results (release 2" in flat
        # Key Accounts is below k: named, but none of its figures.
        assert "Key Accounts" in flat
        assert AuditEntry.objects.filter(action="export-pdf").exists()

    def test_board_summary_pdf_of_a_wave_without_results(
        self, client, world, hr_analyst
    ):
        survey = world.survey
        draft = Wave.objects.create(
            survey=survey,
            label="Not yet",
            opens_at=timezone.now() + dt.timedelta(days=3),
            closes_at=timezone.now() + dt.timedelta(days=9),
        )
        response = get(
            client,
            hr_analyst,
            f"{reverse('ownership_results_summary_pdf')}?wave={draft.pk}",
        )
        assert response.status_code == 404

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_trends_export(self, client, world, hr_analyst, fmt):
        path = reverse("ownership_results_export", args=["trends", fmt])
        response = get(client, hr_analyst, f"{path}?survey={world.survey.pk}")
        assert response.status_code == 200
        meta, header, rows = (csv_table if fmt == "csv" else xlsx_table)(response)
        assert meta["report"] == "trends"
        assert meta["survey"] == f"{world.survey.title} (id {world.survey.pk})"
        report = analytics.trends(world.survey, hr_analyst)
        expected = [
            (s.department.code, s.construct, p.wave_id, p.favourable)
            for s in report.rows
            for p in s.points
        ]
        found = [
            (
                r["department_code"] or None,
                r["construct"],
                typed(r["wave_id"]),
                typed(r["favourable"]),
            )
            for r in rows
        ]
        assert len(found) == len(expected)
        for (code, key, wave, share), want in zip(found, expected, strict=True):
            assert (code, key, wave) == want[:3]
            assert (share is None and want[3] is None) or math.isclose(share, want[3])
        # Nothing of the small group.
        key_rows = [r for r in rows if r["department_code"] == "KEY"]
        assert key_rows and all(typed(r["favourable"]) is None for r in key_rows)
        trends_page = get(
            client, hr_analyst, url("ownership_results_trends", world)
        ).content.decode()
        assert f"{path}?survey={world.survey.pk}" in trends_page.replace("&amp;", "&")

    def test_workbook_sheets_formats_and_frozen_header(self, client, world, hr_analyst):
        book = load_workbook(
            io.BytesIO(
                get(
                    client, hr_analyst, export_url("heatmap", "xlsx", world.after)
                ).content
            )
        )
        assert book.sheetnames == ["About", "heatmap"]
        sheet = book["heatmap"]
        assert sheet.freeze_panes == "A2"
        header = [c.value for c in sheet[1]]
        assert all(c.font.b for c in sheet[1])
        formats = {}
        for row in sheet.iter_rows(min_row=2):
            for name, cell in zip(header, row, strict=False):
                if isinstance(cell.value, float):
                    formats.setdefault(name, set()).add(cell.number_format)
        assert formats["favourable"] == {"0.0%"}
        assert formats["favourable_low"] == {"0.0%"}
        assert formats["mean"] == {"0.00"}
        assert formats["q_value"] == {"0.0000"}
        about = {
            row[0]: row[1]
            for row in book["About"].iter_rows(min_row=2, values_only=True)
        }
        assert about["wave"] == f"After (id {world.after.pk})"
        # Reliability: a sheet per table.
        reliability = load_workbook(
            io.BytesIO(
                get(
                    client, hr_analyst, export_url("reliability", "xlsx", world.after)
                ).content
            )
        )
        assert reliability.sheetnames == ["About", "constructs", "items", "agreement"]
        items = [c.value for c in reliability["items"][1]]
        assert "rwg_j" not in items and "r_drop" in items
