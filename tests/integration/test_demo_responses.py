"""The demo's simulated answers: rates, determinism and the story they tell."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from ownership import analytics
from ownership.permissions import EVERYTHING
from surveys.models import (
    Comment,
    Invitation,
    Response,
    SpentToken,
    Wave,
    WavePhase,
    unanswered,
)
from surveys.validation import validate_answers

EMPLOYEES = 200
SMALL_DEPARTMENTS = ("BOARD", "CCO", "LEG", "CLM-FRD")


def seed_demo(seed: int = 2026) -> str:
    out = io.StringIO()
    call_command(
        "seed_demo", "--employees", str(EMPLOYEES), "--seed", str(seed), stdout=out
    )
    return out.getvalue()


def demo_waves() -> tuple[list[Wave], Wave]:
    """The closed waves, oldest first, and the open one."""
    waves = list(Wave.objects.order_by("opens_at"))
    closed = [w for w in waves if w.phase() == WavePhase.CLOSED]
    (open_wave,) = [w for w in waves if w.phase() == WavePhase.OPEN]
    return closed, open_wave


def answer_rows(**filters) -> tuple[list[tuple], list[tuple]]:
    """The numeric answers of the responses ``filters`` choose, as rows
    ``(wave label, department code, question, value)``, and the allocations
    as ``(wave label, department code, question, locus, points)``; each row
    ends with the response's id."""
    numeric, allocations = [], []
    responses = Response.objects.filter(**filters).select_related("wave", "department")
    for response in responses:
        where = (response.wave.label, response.department.code)
        for question, value in response.numeric_answers().items():
            if isinstance(value, dict):
                allocations += [
                    (*where, question, locus, points, response.pk)
                    for locus, points in value.items()
                ]
            else:
                numeric.append((*where, question, value, response.pk))
    return numeric, allocations


def stored_answers() -> list[tuple]:
    """Every stored answer, without ids or dates, in a stable order."""
    numeric, allocations = answer_rows()
    comments = Comment.objects.values_list(
        "wave__label", "department__code", "question", "text"
    )
    return (
        sorted(row[:-1] for row in numeric)
        + sorted(row[:-1] for row in allocations)
        + sorted(comments)
    )


def forget_answers() -> None:
    Response.objects.all().delete()
    Comment.objects.all().delete()
    Invitation.objects.all().delete()


def rate(wave: Wave) -> float:
    return Response.objects.filter(wave=wave).count() / wave.invitations.count()


def mean_points(wave: Wave, prefix: str, loci: list[str]) -> float:
    """Mean points per response that departments ``prefix*`` gave ``loci``."""
    _, rows = answer_rows(wave=wave, department__code__startswith=prefix)
    total = sum(points for *_, locus, points, _ in rows if locus in loci)
    return total / len({row[-1] for row in rows})


def keyed_mean(wave: Wave, prefix: str, construct: str) -> float:
    """Mean agreement with a construct, reverse-keyed items turned round."""
    likert = {
        q["id"]: q
        for q in wave.snapshot["questions"]
        if q["type"] == "likert" and q["construct"] == construct
    }
    numeric, _ = answer_rows(wave=wave, department__code__startswith=prefix)
    values = [
        likert[q]["points"] + 1 - value if likert[q]["reverse_keyed"] else value
        for _, _, q, value, _ in numeric
        if q in likert
    ]
    return sum(values) / len(values)


@pytest.mark.django_db
class TestDemoResponses:
    def test_response_rates(self):
        out = seed_demo()
        closed, open_wave = demo_waves()
        assert len(closed) == 4
        for wave in closed:
            assert 0.70 <= rate(wave) <= 0.85, wave.label
            assert f"Responses: {wave.label}: " in out
            answered = SpentToken.objects.filter(wave=wave).count()
            assert answered == Response.objects.filter(wave=wave).count()
            # ... and they are the links of invitations of that wave.
            invitations = wave.invitations.all()
            assert invitations.count() - len(unanswered(invitations)) == answered
        invited = sum(w.invitations.count() for w in closed)
        answered = Response.objects.filter(wave__in=closed).count()
        assert 0.70 <= answered / invited <= 0.85
        # The open wave has some answers so far, fewer than any closed wave.
        open_count = Response.objects.filter(wave=open_wave).count()
        assert 0.15 <= rate(open_wave) <= 0.5
        assert (
            0
            < open_count
            < min(Response.objects.filter(wave=w).count() for w in closed)
        )
        # Rates differ a little between departments.
        rates = [
            1 - len(unanswered(invitations)) / invitations.count()
            for code in ("CLM-MOT", "CLM-PRP", "CS-CC", "SAL-FLD", "IT-DEV")
            for invitations in [closed[0].invitations.filter(department__code=code)]
        ]
        assert len({round(r, 2) for r in rates}) > 1
        # Small departments stay below the reporting threshold.
        for wave in [*closed, open_wave]:
            for code in SMALL_DEPARTMENTS:
                n = Response.objects.filter(wave=wave, department__code=code).count()
                assert n < 5, (wave.label, code)

    def test_same_seed_same_answers_other_seed_other_answers(self):
        seed_demo(7)
        first = stored_answers()
        assert first
        forget_answers()
        seed_demo(7)
        assert stored_answers() == first
        forget_answers()
        seed_demo(8)
        assert stored_answers() != first

    def test_running_twice_adds_nothing(self):
        seed_demo()
        counts = [model.objects.count() for model in (Response, Comment, Invitation)]
        answers = stored_answers()
        out = seed_demo()
        assert "kept" in out
        assert [
            model.objects.count() for model in (Response, Comment, Invitation)
        ] == counts
        assert stored_answers() == answers

    def test_the_story_is_in_the_data(self):
        seed_demo()
        closed, open_wave = demo_waves()
        waves = [*closed, open_wave]

        # Claims hands the customer to the CCO, wave by wave.
        claims_cco = [mean_points(w, "CLM", ["cco"]) for w in waves]
        assert claims_cco[0] < 10
        assert claims_cco[len(closed) - 1] > claims_cco[0] + 10
        assert claims_cco[: len(closed)] == sorted(claims_cco[: len(closed)])
        # ... and feels less responsible and delegates more.
        felt = [keyed_mean(w, "CLM", "felt-responsibility") for w in closed]
        assert all(after < felt[0] for after in felt[1:])
        assert felt[-1] < felt[0] - 0.3
        delegation = [keyed_mean(w, "CLM", "delegation-to-owner") for w in closed]
        assert delegation[-1] > delegation[0] + 0.5
        ownership = [keyed_mean(w, "CLM", "psychological-ownership") for w in closed]
        assert ownership[-1] < ownership[0] - 0.3

        # Customer Service keeps the customer.
        distributed = ["me", "team", "customer-service"]
        for wave in waves:
            assert mean_points(wave, "CS", distributed) > 70, wave.label
            assert mean_points(wave, "CS", ["cco"]) < 12, wave.label
        cs_felt = [keyed_mean(w, "CS", "felt-responsibility") for w in closed]
        assert min(cs_felt) > 3.8
        assert cs_felt[-1] > felt[-1] + 0.5

        # Sales stays roughly where it was.
        sales = [mean_points(w, "SAL", distributed) for w in closed]
        assert max(sales) - min(sales) < 15

    def test_every_response_is_valid(self):
        seed_demo()
        closed, open_wave = demo_waves()
        for wave in [closed[0], closed[-1], open_wave]:
            snapshot = wave.snapshot
            questions = {q["id"]: q for q in snapshot["questions"]}
            optional = {
                **snapshot,
                "questions": [{**q, "required": False} for q in snapshot["questions"]],
            }
            raw: dict = defaultdict(dict)
            stored: dict = defaultdict(lambda: ([], []))
            numeric, allocations = answer_rows(wave=wave)
            for *_, question, value, response in numeric:
                q = questions[question]
                raw[response][question] = (
                    q["loci"][value] if q["type"] == "primary_owner" else value
                )
                stored[response][0].append((question, value))
            for *_, question, locus, points, response in allocations:
                raw[response].setdefault(question, {})[locus] = points
                stored[response][1].append((question, locus, points))
            responses = Response.objects.filter(wave=wave)
            assert set(raw) == set(responses.values_list("pk", flat=True))
            for response, answers in raw.items():
                clean = validate_answers(snapshot, answers)
                numeric, allocations = stored[response]
                assert sorted(clean.numeric) == sorted(numeric)
                assert sorted(clean.allocations) == sorted(allocations)
                # One row per offered locus, zeros included.
                for question, given in answers.items():
                    if questions[question]["type"] == "allocation":
                        assert set(given) == set(questions[question]["loci"])
            opens = timezone.localtime(wave.opens_at).date()
            closes = timezone.localtime(wave.closes_at).date()
            for day, language in responses.values_list("submitted_on", "language"):
                assert opens <= day <= closes
                assert language in snapshot["languages"]
            for question, text in Comment.objects.filter(wave=wave).values_list(
                "question", "text"
            ):
                assert questions[question]["type"] == "free_text"
                # The text is a valid answer to its question (the pulse's
                # required items are checked with the numeric answers above).
                validate_answers(optional, {question: text})
        # Some answers are skipped, some comments written, some points are 0.
        asked = [q["id"] for q in closed[0].snapshot["questions"]]
        numeric, allocations = answer_rows(wave=closed[0])
        n = Response.objects.filter(wave=closed[0]).count()
        answered = defaultdict(int)
        for row in numeric:
            answered[row[2]] += 1
        assert any(answered[q] < n for q in asked)
        assert 0.05 < Comment.objects.filter(wave=closed[0]).count() / n < 0.25
        assert any(row[4] == 0 for row in allocations)


@pytest.mark.django_db
def test_the_third_wave_shows_claims_its_commitment():
    """After the second wave Claims commits to call-backs and keeps it;
    Underwriting drops its own. The third wave shows Claims (and the
    departments below it) the kept one, and nobody the dropped one."""
    from ownership.models import Department
    from surveys.commitments import commitments_shown

    seed_demo()
    closed, _open_wave = demo_waves()
    second, third = closed[1], closed[2]
    claims = Department.objects.get(code="CLM")
    motor = Department.objects.get(code="CLM-MOT")
    underwriting = Department.objects.get(code="UWR")
    shown = commitments_shown(third.snapshot, motor.pk, "de")
    assert [(c["text"], c["status"]) for c in shown] == [
        (
            "Jede Beschwerde bekommt innerhalb eines Arbeitstags einen "
            "persönlichen Rückruf.",
            "done",
        )
    ]
    assert commitments_shown(third.snapshot, claims.pk, "en")[0]["theme"]
    assert commitments_shown(third.snapshot, underwriting.pk, "en") == []
    for other in (second, closed[3]):
        assert commitments_shown(other.snapshot, claims.pk, "en") == []
    # ... and asks both divisions whether theirs was kept: most of Claims saw
    # the call-back kept, few in Underwriting saw the dropped one kept.
    report = analytics.report("commitments", third, EVERYTHING)
    kept = {
        row.department.code: row
        for row in report.rows
        if row.department.code == row.commitment.department_code
    }
    assert kept["CLM"].commitment.status == "done"
    assert kept["CLM"].kept > 0.6 and kept["CLM"].kept_low > 0.5
    assert kept["UWR"].commitment.status == "dropped"
    assert kept["UWR"].kept < 0.3
    assert kept["UWR"].kept_high < kept["CLM"].kept_low
    # Seeding again records nothing twice.
    seed_demo()
    from surveys.models import Commitment

    assert Commitment.objects.count() == 2
