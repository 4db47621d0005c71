"""The next pulse asks whether each commitment was kept, and every release
reports what employees saw: the form, the API, the stored answers and the
commitments report, worked out by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from ownership import analytics
from ownership.permissions import EVERYTHING
from surveys.models import Commitment, CommitmentStatus, Invitation, Response
from tests.factories import (
    EmployeeFactory,
    UserFactory,
    close_and_publish,
    likert,
    make_survey,
    open_wave,
    prefer_language,
)

CALL_BACK = "Every complaint gets a personal call-back within one working day."
RUECKRUF = "Jede Beschwerde bekommt binnen eines Werktags einen Rückruf."

pytestmark = pytest.mark.django_db


def _commit(department, statement, due_in_days, **fields):
    return Commitment.objects.create(
        department=department,
        statement=statement,
        due_on=timezone.localdate() + dt.timedelta(days=due_in_days),
        **fields,
    )


@pytest.fixture
def pulse(org):
    """A first wave a month ago; then Claims, Motor Claims and Sales commit;
    a second wave opens now with 12 employees in Motor Claims and 6 in Sales."""
    page = make_survey([likert("FR-1")])
    for i in range(12):
        EmployeeFactory(department=org["motor"], language="de" if i < 6 else "en")
    for _ in range(6):
        EmployeeFactory(department=org["sales"])
    open_wave(page, org["board"], label="Pulse 1", days=(30, 20), invite=False)
    commitments = {
        "call_back": _commit(
            org["claims"],
            CALL_BACK,
            5,
            translations={"de": RUECKRUF},
            status=CommitmentStatus.DONE,
        ),
        "given_up": _commit(
            org["claims"], "Given up.", 4, status=CommitmentStatus.DROPPED
        ),
        "photos": _commit(org["motor"], "Photos are enough.", 3),
        "older": _commit(org["claims"], "An older one.", 2),
        "later": _commit(org["sales"], "Quotes within a day.", 60),
    }
    second = open_wave(page, org["board"], label="Pulse 2")
    tokens: dict[str, list[str]] = {}
    for invitation in Invitation.objects.filter(wave=second).select_related(
        "department"
    ):
        tokens.setdefault(invitation.department.code, []).append(invitation.token)
    return {"wave": second, "tokens": tokens, **commitments}


def _form(client, token, language="en") -> str:
    response = client.get(f"/s/{token}/?lang={language}")
    assert response.status_code == 200
    return response.content.decode()


class TestAsked:
    def test_a_department_is_asked_about_the_three_latest_due_of_its_own_and_above(
        self, client, pulse
    ):
        asked = pulse["wave"].snapshot["commitments"]["asked"]
        motor = pulse["wave"].tree[
            [e["code"] for e in pulse["wave"].tree].index("CLM-MOT")
        ]["id"]
        assert asked[str(motor)] == [
            pulse["call_back"].pk,
            pulse["given_up"].pk,
            pulse["photos"].pk,
        ]
        html = _form(client, pulse["tokens"]["CLM-MOT"][0], "de")
        assert f"Wurde diese Zusage eingehalten? „{RUECKRUF}“" in html
        questions = html[html.index("<form") :]
        assert "Given up." in questions and "Photos are enough." in questions
        assert "An older one." not in questions  # the fourth, the oldest due
        assert html.count('name="q-kept-1"') == 6  # five points and don't know
        assert "Weiß nicht" in html and "Voll eingehalten" in html
        # Dropped: asked about, but not among the commitments shown above.
        section = html[html.index("commitments-heading") : html.index("</section>")]
        assert "Given up." not in section and RUECKRUF in section

    def test_a_department_without_commitments_due_is_not_asked(self, client, pulse):
        html = _form(client, pulse["tokens"]["SAL"][0])
        assert "Has this commitment been kept?" not in html
        # Shown (recorded since the last pulse), not asked: due after this wave.
        assert "Quotes within a day." not in html[html.index("<form") :]
        assert "Quotes within a day." in html

    def test_what_is_asked_is_frozen_when_the_wave_opens(self, client, pulse):
        Commitment.objects.filter(pk=pulse["call_back"].pk).update(
            statement="Reworded later."
        )
        html = _form(client, pulse["tokens"]["CLM-MOT"][-1], "en")
        assert f"Has this commitment been kept? “{CALL_BACK}”" in html
        assert "Reworded later." not in html


class TestAnswering:
    def test_answers_are_stored_in_the_departments_places(self, client, pulse):
        token = pulse["tokens"]["CLM-MOT"][0]
        response = client.post(
            f"/s/{token}/",
            {"language": "en", "q-kept-1": "5", "q-kept-2": "0"},
        )
        assert response.status_code == 302
        (stored,) = Response.objects.filter(wave=pulse["wave"])
        assert stored.numeric_answers() == {"kept-1": 5, "kept-2": 0}

    def test_an_answer_off_the_scale_is_refused_and_nothing_is_stored(
        self, client, pulse
    ):
        token = pulse["tokens"]["CLM-MOT"][0]
        response = client.post(f"/s/{token}/", {"language": "en", "q-kept-1": "6"})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="error-kept-1"' in html and "0 for" in html
        assert not Response.objects.exists()

    def test_the_api_knows_each_departments_questions(
        self, client, pulse, make_key, client_for
    ):
        api = client_for(make_key("organisation:read"))
        detail = api.get(f"/api/v1/waves/{pulse['wave'].pk}/").json()
        motor = detail["commitment_questions"]["CLM-MOT"]
        assert [q["id"] for q in motor] == ["kept-1", "kept-2", "kept-3"]
        assert motor[0]["commitment"] == pulse["call_back"].pk
        assert motor[0]["type"] == "commitment_kept"
        assert "SAL" not in detail["commitment_questions"]

        submit = client_for(make_key("responses:write"))
        refused = submit.post(
            "/api/v1/responses/",
            {"token": pulse["tokens"]["SAL"][0], "answers": {"kept-1": 4}},
            format="json",
        )
        assert refused.status_code == 400
        assert [e["field"] for e in refused.json()["errors"]] == ["answers.kept-1"]
        stored = submit.post(
            "/api/v1/responses/",
            {"token": pulse["tokens"]["CLM-MOT"][0], "answers": {"kept-3": 2}},
            format="json",
        )
        assert stored.status_code == 201
        (response,) = Response.objects.all()
        assert response.numeric_answers() == {"kept-3": 2}


# Twelve in Motor Claims judge the call-back: 5 5 5 4 4 4 4 3 2 1, two don't know.
CALL_BACK_ANSWERS = ["5", "5", "5", "4", "4", "4", "4", "3", "2", "1", "0", "0"]


@pytest.fixture
def released(client, pulse):
    """Everyone answers; the wave closes and its final release is made."""
    for i, token in enumerate(pulse["tokens"]["CLM-MOT"]):
        answers = {"language": "en", "q-kept-1": CALL_BACK_ANSWERS[i]}
        if i < 5:  # five say the dropped one was not kept at all
            answers["q-kept-2"] = "1"
        if i < 6:  # six say the photos were mostly kept
            answers["q-kept-3"] = "4"
        assert client.post(f"/s/{token}/", answers).status_code == 302
    for token in pulse["tokens"]["SAL"]:
        answers = {"language": "en", "q-" + _likert_id(pulse): "4"}
        assert client.post(f"/s/{token}/", answers).status_code == 302
    close_and_publish(pulse["wave"])
    return pulse


def _likert_id(pulse) -> str:
    return pulse["wave"].snapshot["questions"][0]["id"]


class TestReport:
    def test_the_call_back_worked_out_by_hand(self, released):
        report = analytics.report("commitments", released["wave"], EVERYTHING)
        rows = {(row.commitment.id, row.department.code): row for row in report.rows}
        motor = rows[released["call_back"].pk, "CLM-MOT"]
        # n = 12 answered; 10 judged, 7 of them 4 or 5; 2 don't know.
        assert (motor.n, motor.judged) == (12, 10)
        assert motor.kept == pytest.approx(0.7)
        # Wilson (1927), 7 of 10, z = 1.959964: centre (0.7 + z²/20) / (1 +
        # z²/10) = 0.644493, half-width z √(0.021 + z²/400) / (1 + z²/10)
        # = 0.247715.
        assert motor.kept_low == pytest.approx(0.396778, abs=1e-6)
        assert motor.kept_high == pytest.approx(0.892209, abs=1e-6)
        assert motor.mean == pytest.approx(37 / 10)  # 15 + 16 + 3 + 2 + 1
        assert motor.dont_know == pytest.approx(2 / 12)
        assert motor.commitment.status == "done"
        assert motor.commitment.statements["de"] == RUECKRUF
        # Claims made it; all of its respondents are in Motor Claims.
        claims = rows[released["call_back"].pk, "CLM"]
        assert (claims.n, claims.kept, claims.mean) == (12, motor.kept, motor.mean)

    def test_small_groups_are_withheld_or_hidden(self, released):
        report = analytics.report("commitments", released["wave"], EVERYTHING)
        rows = {(row.commitment.id, row.department.code): row for row in report.rows}
        # Five answered, all "not kept at all": below the comment threshold
        # (10) a unanimous group shows its n only.
        dropped = rows[released["given_up"].pk, "CLM"]
        assert (dropped.n, dropped.withheld, dropped.kept, dropped.mean) == (
            5,
            True,
            None,
            None,
        )
        assert dropped.commitment.status == "dropped"
        # Six answered, all "mostly kept": withheld too.
        photos = rows[released["photos"].pk, "CLM-MOT"]
        assert (photos.suppressed, photos.withheld, photos.n, photos.kept) == (
            False,
            True,
            6,
            None,
        )

    def test_the_heatmap_has_a_commitments_kept_column(self, released):
        heatmap = analytics.heatmap(released["wave"], EVERYTHING)
        assert "commitments_kept" in [c.key for c in heatmap.columns]
        row = next(r for r in heatmap.rows if r.department.code == "CLM-MOT")
        cell = next(c for c in row.cells if c.construct == "commitments_kept")
        # Each respondent's mean over what they judged ("don't know" left
        # out): (5 + 1 + 4) / 3 three times, (4 + 1 + 4) / 3 twice, (4 + 4) /
        # 2, then 4, 3, 2 and 1; the two who did not know the call-back judged
        # nothing. Favourable (4 or more): two of ten; mean 30 / 10.
        assert (cell.n, cell.favourable) == (10, pytest.approx(0.2))
        assert cell.mean == pytest.approx(3.0)
        sales = next(r for r in heatmap.rows if r.department.code == "SAL")
        kept = next(c for c in sales.cells if c.construct == "commitments_kept")
        assert kept.suppressed  # nobody there was asked

    def test_trends_have_a_commitments_kept_line(self, released):
        survey = released["wave"].survey
        trends = analytics.trends(survey, EVERYTHING, "commitments_kept")
        (motor,) = [s for s in trends.rows if s.department.code == "CLM-MOT"]
        assert [(p.n, p.favourable) for p in motor.points] == [(10, pytest.approx(0.2))]

    def test_the_api_serves_the_report(self, released, make_key, client_for):
        api = client_for(make_key("results:read"))
        body = api.get(f"/api/v1/waves/{released['wave'].pk}/commitments/").json()
        assert body["min_group_size"] == 5
        row = next(
            r
            for r in body["rows"]
            if r["department"]["code"] == "CLM-MOT"
            and r["commitment"]["id"] == released["call_back"].pk
        )
        assert {
            key: row[key]
            for key in ("n", "kept", "kept_low", "kept_high", "mean", "dont_know")
        } == pytest.approx(
            {
                "n": 12,
                "kept": 0.7,
                "kept_low": 0.396778,
                "kept_high": 0.892209,
                "mean": 3.7,
                "dont_know": 2 / 12,
            },
            abs=1e-6,
        )


class TestWhoReadsIt:
    def _page(self, client, user, wave) -> tuple[int, str]:
        client.force_login(user)
        response = client.get(
            reverse("ownership_results_kind", args=["commitments"]) + f"?wave={wave.pk}"
        )
        return response.status_code, response.content.decode()

    def test_an_hr_analyst_reads_every_commitment_and_exports_it(
        self, client, hr_analyst, released
    ):
        status, html = self._page(client, hr_analyst, released["wave"])
        assert status == 200
        assert CALL_BACK in html and "Given up." in html
        export = client.get(
            reverse("ownership_results_export", args=["commitments", "csv"])
            + f"?wave={released['wave'].pk}"
        ).content.decode()
        lines = list(csv.reader(line for line in io.StringIO(export) if line[0] != "#"))
        header = lines[0]
        motor = next(
            line
            for line in lines[1:]
            if line[header.index("department_code")] == "CLM-MOT"
            and line[header.index("commitment_statement")] == CALL_BACK
        )
        assert motor[header.index("n")] == "12"
        assert float(motor[header.index("kept")]) == pytest.approx(0.7)

    def test_a_department_head_reads_their_subtree_only(
        self, client, department_head, released, org
    ):
        status, html = self._page(client, department_head, released["wave"])
        assert status == 200 and CALL_BACK in html
        sales_head = UserFactory(username="head.sales")
        sales_head.groups.add(Group.objects.get(name="Department heads"))
        EmployeeFactory(department=org["sales"], user=sales_head)
        status, html = self._page(client, sales_head, released["wave"])
        assert status == 200
        assert CALL_BACK not in html and "Motor Claims" not in html

    def test_someone_without_a_results_role_reads_nothing(
        self, client, employee_user, released
    ):
        status, html = self._page(client, employee_user, released["wave"])
        assert status in (302, 403)
        assert CALL_BACK not in html


def test_the_commitments_page_speaks_the_readers_language(client, hr_analyst, released):
    prefer_language(hr_analyst, "de")
    client.force_login(hr_analyst)
    html = client.get(
        reverse("ownership_results_kind", args=["commitments"])
        + f"?wave={released['wave'].pk}"
    ).content.decode()
    assert RUECKRUF in html  # the statement in the reader's language
    assert "gemeldeter Stand:" in html and "Eingehalten" in html
    assert "mit 95-%-Wilson-Intervall" in html
