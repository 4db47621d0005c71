"""Key drivers in a release: computed from the stored answers as an analyst
would compute them by hand, shown only for large enough groups, served by the
page and the API to the roles that may read them."""

from __future__ import annotations

import numpy as np
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ownership import analytics
from ownership.analytics.decisions import columns_of, decide
from ownership.analytics.drivers import build_drivers, columns
from ownership.analytics.loading import load_wave
from ownership.permissions import EVERYTHING
from ownership.stats.importance import relative_weights
from surveys.models import Invitation, Response
from surveys.services import response_submit
from tests.factories import (
    EmployeeFactory,
    UserFactory,
    close_and_publish,
    likert,
    make_survey,
    open_wave,
    prefer_language,
)

pytestmark = pytest.mark.django_db

ITEMS = ["FR-1", "FR-4", "CO-1", "PO-1", "DL-1"]


def _open(org, *, sales: int):
    """A wave of the five items and the recommendation, open for 40 people
    in Motor Claims and ``sales`` in Sales; its question ids by item."""
    page = make_survey(
        [
            *(likert(item) for item in ITEMS),
            {
                "type": "recommendation",
                "value": {"text": "Recommend?", "low_label": "0", "high_label": "10"},
            },
        ]
    )
    for _ in range(40):
        EmployeeFactory(department=org["motor"])
    for _ in range(sales):
        EmployeeFactory(department=org["sales"])
    wave = open_wave(page, org["board"])
    return wave, {q.get("item", q["type"]): q["id"] for q in wave.snapshot["questions"]}


@pytest.fixture
def released(org):
    return _released(org)


def _released(org):
    """40 respondents in Motor Claims and 12 in Sales answer five items
    (felt responsibility twice, FR-4 reverse-keyed) and the recommendation;
    felt responsibility follows customer orientation most, then ownership."""
    wave, ids = _open(org, sales=12)
    rng = np.random.default_rng(5)
    for invitation in Invitation.objects.filter(wave=wave).order_by("pk"):
        co, po, dl = rng.normal(size=3)
        fr = 0.8 * co + 0.4 * po + rng.normal(scale=0.6)

        def point(v):
            return int(np.clip(np.rint(3 + v), 1, 5))

        answers = {
            ids["FR-1"]: point(fr),
            ids["FR-4"]: 6 - point(fr + rng.normal(scale=0.3)),
            ids["CO-1"]: point(co),
            ids["PO-1"]: point(po),
            ids["DL-1"]: point(dl),
            ids["recommendation"]: int(np.clip(np.rint(7 + 1.5 * co), 0, 10)),
        }
        response_submit(token=invitation.token, answers=answers)
    close_and_publish(wave)
    return wave


def _by_hand(wave, codes):
    """Construct scores straight from the stored answers (FR-4 turned round),
    and the recommendation, for the responses of departments ``codes``."""
    ids = {q["id"]: q.get("item", q["type"]) for q in wave.snapshot["questions"]}
    rows = []
    for response in Response.objects.filter(
        wave=wave, department__code__in=codes
    ).order_by("pk"):
        a = {ids[q]: v for q, v in response.numeric_answers().items()}
        fr = (a["FR-1"] + 6 - a["FR-4"]) / 2
        rows.append([fr, a["CO-1"], a["PO-1"], a["DL-1"], a["recommendation"]])
    return np.array(rows, dtype=float)


def test_the_weights_are_those_of_the_stored_answers(released):
    report = analytics.report("drivers", released, EVERYTHING)
    rows = {(r.department.code, r.outcome): r for r in report.rows}
    # Motor Claims (40) and the groups above it; Sales (12) is too small.
    assert {code for code, _outcome in rows} == {None, "BOARD", "CLM", "CLM-MOT"}
    assert {outcome for _code, outcome in rows} == {
        "felt-responsibility",
        "recommendation",
    }  # no allocation question: no distributed share
    motor = rows["CLM-MOT", "felt-responsibility"]
    data = _by_hand(released, ["CLM-MOT"])
    direct = relative_weights(data[:, 1:4], data[:, 0], resamples=0)
    assert motor.n == 40
    assert motor.r_squared == pytest.approx(direct.r_squared, abs=1e-12)
    weights = {w.construct: w.weight for w in motor.weights}
    assert [
        weights[c] for c in ("customer-orientation", "psychological-ownership")
    ] == (pytest.approx(direct.weights[:2].tolist(), abs=1e-12))
    assert sum(weights.values()) == pytest.approx(motor.r_squared, abs=1e-12)
    assert motor.weights[0].construct == "customer-orientation"
    assert all(w.low <= w.weight <= w.high for w in motor.weights)
    organisation = rows[None, "recommendation"]
    everyone = _by_hand(released, ["CLM-MOT", "SAL"])
    assert organisation.n == 52
    assert organisation.r_squared == pytest.approx(
        relative_weights(everyone[:, :4], everyone[:, 4], resamples=0).r_squared,
        abs=1e-12,
    )


def _build(wave):
    """The key drivers of ``wave``'s 52 respondents, decided as a release
    decides them (comment threshold 10)."""
    data = load_wave(wave)
    disclosure = decide(
        data, columns_of(data, 10) + columns(data), [], 1, np.ones(52, dtype=bool)
    )
    return build_drivers(data, disclosure)


def test_a_larger_minimum_shows_only_the_organisation(released, settings):
    settings.DRIVERS_MIN_RESPONDENTS = 45
    report = _build(released)
    assert {r.department.code for r in report.rows} == {None, "BOARD"}
    assert report.min_respondents == 45


def test_the_api_serves_rows_whose_weights_sum_to_r_squared(
    released, make_key, client_for
):
    api = client_for(make_key("results:read"))
    body = api.get(f"/api/v1/waves/{released.pk}/drivers/").json()
    assert body["min_group_size"] == 5
    row = next(
        r
        for r in body["rows"]
        if r["department"]["code"] == "CLM-MOT"
        and r["outcome"] == "felt-responsibility"
    )
    assert row["n"] == 40
    assert set(row["weights"][0]) >= {"construct", "weight", "low", "high"}
    total = sum(w["weight"] for w in row["weights"])
    assert total == pytest.approx(row["r_squared"], abs=1e-12)
    limited = client_for(make_key("results:read", departments=["SAL"]))
    codes = {
        r["department"]["code"]
        for r in limited.get(f"/api/v1/waves/{released.pk}/drivers/").json()["rows"]
    }
    assert codes == {None}  # the organisation's row only: Sales is too small


def test_departments_have_their_own_number_of_resamples(
    org, settings, make_key, client_for
):
    """The organisation's intervals come from DRIVERS_RESAMPLES, each
    department's from DRIVERS_DEPARTMENT_RESAMPLES, and the API says which."""
    settings.DRIVERS_RESAMPLES = 300
    settings.DRIVERS_DEPARTMENT_RESAMPLES = 120
    wave = _released(org)
    report = analytics.report("drivers", wave, EVERYTHING)
    assert (report.resamples, report.department_resamples) == (300, 120)
    by_code = {r.department.code: r.resamples for r in report.rows}
    assert by_code == {None: 300, "BOARD": 120, "CLM": 120, "CLM-MOT": 120}
    api = client_for(make_key("results:read"))
    body = api.get(f"/api/v1/waves/{wave.pk}/drivers/").json()
    assert (body["resamples"], body["department_resamples"]) == (300, 120)
    assert {r["department"]["code"]: r["resamples"] for r in body["rows"]} == by_code


def _page(client, user, wave, outcome=""):
    client.force_login(user)
    url = reverse("ownership_results_kind", args=["drivers"]) + f"?wave={wave.pk}"
    response = client.get(url + (f"&outcome={outcome}" if outcome else ""))
    return response.status_code, response.content.decode()


def test_hr_reads_what_to_work_on_first(client, hr_analyst, released):
    status, html = _page(client, hr_analyst, released)
    assert status == 200
    assert "Work on “Customer orientation” first" in html
    assert html.count('class="drivers"') == 4  # organisation, Board, Claims, Motor
    status, html = _page(client, hr_analyst, released, "recommendation")
    assert status == 200 and "Recommendation (0–10)" in html


def test_department_heads_read_their_subtree(client, released, department_head, org):
    status, html = _page(client, department_head, released)
    assert status == 200 and "Motor Claims" in html
    sales_head = UserFactory(username="head.sales")
    sales_head.groups.add(Group.objects.get(name="Department heads"))
    EmployeeFactory(department=org["sales"], user=sales_head)
    status, html = _page(client, sales_head, released)
    assert status == 200
    assert "Motor Claims" not in html and html.count('class="drivers"') == 1


def test_someone_without_a_results_role_reads_nothing(client, employee_user, released):
    status, html = _page(client, employee_user, released)
    assert status in (302, 403) and "Work on" not in html


def test_the_page_speaks_the_readers_language(client, hr_analyst, released):
    prefer_language(hr_analyst, "de")
    status, html = _page(client, hr_analyst, released)
    assert status == 200
    assert "Johnsons relative Gewichte" in html and "mindestens 30 Befragten" in html
    assert "Arbeiten Sie zuerst an „" in html
    assert "95-%-Bootstrap-Intervallen" in html


def test_an_interim_release_has_no_key_drivers(released, client, hr_analyst):
    from ownership.analytics.decisions import columns_of, decide
    from ownership.analytics.drivers import build_drivers
    from ownership.analytics.loading import load_wave

    data = load_wave(released)
    disclosure = decide(data, columns_of(data, 10), [], 1, np.ones(52, dtype=bool))
    interim = build_drivers(data, disclosure, departments=False)
    assert interim.rows == () and not interim.departments
    final = analytics.report("drivers", released, EVERYTHING)
    assert final.departments and final.rows


def test_a_release_made_before_the_report_existed_says_so(client, hr_analyst, released):
    from django.db import connection

    from surveys.models import ReleaseReport

    # As a release made by an earlier version stores it (releases are
    # immutable through the ORM).
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ReleaseReport._meta.db_table} WHERE kind = %s",  # noqa: S608
            ["drivers"],
        )
    with pytest.raises(analytics.NoRelease, match="before this report existed"):
        analytics.report("drivers", released, EVERYTHING)
    status, html = _page(client, hr_analyst, released)
    assert status == 200 and "before this report existed" in html


def test_the_results_home_says_what_to_work_on_first(
    client, released, department_head, hr_analyst
):
    client.force_login(hr_analyst)
    html = client.get(reverse("ownership_results_home")).content.decode()
    assert "What to work on first" in html
    assert "Pulse · Whole organisation, key drivers" in html
    assert "Work on “Customer orientation” first" in html
    client.force_login(department_head)
    html = client.get(reverse("ownership_results_home")).content.decode()
    # The head of Claims: the organisation's row is the widest they see.
    assert "Whole organisation, key drivers" in html


def test_an_unknown_outcome_shows_the_first(client, hr_analyst, released):
    status, html = _page(client, hr_analyst, released, "nonsense")
    assert status == 200
    assert '<option value="felt-responsibility" selected>' in html


def test_threads_do_not_change_the_figures(released, settings):
    reports = []
    for threads in (1, 3):
        settings.DRIVERS_THREADS = threads
        reports.append(_build(released))
    assert len(reports[0].rows) == 8  # four groups, two outcomes
    assert reports[0] == reports[1]


def test_no_count_the_heatmap_does_not_publish(org):
    """Sales has 8 respondents, of whom 5 skipped a theme: 3 complete, below
    k, so the drivers population hides Sales and, to protect it, Claims.
    Claims' complete count can be read off the heatmap (every theme's n is
    its row's n), so a drivers count for the Board would give Sales' 3 away.
    Each row's n is the heatmap's n of its outcome, nothing new."""
    wave, ids = _open(org, sales=8)
    rng = np.random.default_rng(1)
    skips = iter(["CO-1", "CO-1", "PO-1", "PO-1", "DL-1", None, None, None])
    invitations = Invitation.objects.filter(wave=wave).select_related("department")
    for invitation in invitations.order_by("pk"):
        answers = {ids[item]: int(rng.integers(1, 6)) for item in ITEMS}
        answers[ids["recommendation"]] = int(rng.integers(0, 11))
        if invitation.department.code == "SAL" and (skip := next(skips)):
            del answers[ids[skip]]
        response_submit(token=invitation.token, answers=answers)
    close_and_publish(wave)
    heatmap = analytics.report("heatmap", wave, EVERYTHING)
    cells = {
        (row.department.code, cell.construct): cell.n
        for row in heatmap.rows
        for cell in row.cells
    }
    drivers = analytics.report("drivers", wave, EVERYTHING)
    shown = {(r.department.code, r.outcome): r.n for r in drivers.rows}
    assert ("BOARD", "felt-responsibility") in shown
    assert ("SAL", "felt-responsibility") not in shown
    assert shown["BOARD", "felt-responsibility"] == 48  # everyone answered it
    # The attack: Board's n minus Claims' complete respondents (all 40 of its
    # row, by the heatmap) now gives Sales' row (8, on the heatmap), not its
    # 3 complete ones.
    rows = {row.department.code: row.n for row in heatmap.rows}
    assert shown["BOARD", "felt-responsibility"] - rows["CLM"] == rows["SAL"] == 8
    for (code, outcome), n in shown.items():
        column = "nps" if outcome == "recommendation" else outcome
        assert n == cells[code, column]
    # Board's complete respondents (43) are what the weights use.
    board = next(
        r
        for r in drivers.rows
        if r.department.code == "BOARD" and r.outcome == "felt-responsibility"
    )
    assert sum(w.weight for w in board.weights) == pytest.approx(board.r_squared)
