"""Anonymous collection: invitations, the form, exactly-once submission."""

from __future__ import annotations

import csv
import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, models
from django.utils import timezone

from surveys.models import (
    AllocationAnswer,
    Answer,
    Comment,
    Invitation,
    Response,
    Wave,
)
from surveys.services import (
    AlreadyAnswered,
    UnknownLink,
    WaveNotOpen,
    invitations_issue,
    invitations_remind,
    response_submit,
    wave_close,
    wave_open,
)
from surveys.validation import AnswerErrors
from tests.factories import EmployeeFactory, likert, make_survey

QUESTIONS = [
    likert("FR-1"),
    likert("FR-4"),
    {
        "type": "recommendation",
        "value": {
            "text": "Recommend?",
            "low_label": "No",
            "high_label": "Yes",
            "required": True,
        },
    },
    {
        "type": "choice",
        "value": {"text": "Where do you work?", "choices": ["Office", "Field", "Home"]},
    },
    {
        "type": "allocation",
        "value": {
            "text": "Who is responsible?",
            "help": "",
            "loci": ["me", "team", "cco", "customer-service"],
        },
    },
    {
        "type": "primary_owner",
        "value": {"text": "Mainly?", "loci": ["me", "cco", "nobody"]},
    },
    {
        "type": "free_text",
        "value": {"text": "Anything else?", "warning": "No names.", "max_length": 50},
    },
]


@pytest.fixture
def wave(org):
    for language, department in (("en", "claims"), ("de", "claims"), ("nl", "motor")):
        EmployeeFactory(department=org[department], language=language)
    page = make_survey(QUESTIONS)
    now = timezone.now()
    wave = Wave.objects.create(
        survey=page,
        label="Pulse 1",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    wave.audience.set([org["claims"]])
    return wave_open(wave=wave)


@pytest.fixture
def ids(wave):
    return {
        "fr1": wave.snapshot["questions"][0]["id"],
        "fr4": wave.snapshot["questions"][1]["id"],
        "nps": wave.snapshot["questions"][2]["id"],
        "choice": wave.snapshot["questions"][3]["id"],
        "alloc": wave.snapshot["questions"][4]["id"],
        "owner": wave.snapshot["questions"][5]["id"],
        "text": wave.snapshot["questions"][6]["id"],
    }


@pytest.fixture
def tokens(wave, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitations_issue(wave=wave)
    return [i.token for i in Invitation.objects.filter(wave=wave).order_by("pk")]


def good_answers(ids):
    return {
        ids["fr1"]: 4,
        ids["fr4"]: "2",
        ids["nps"]: 9,
        ids["choice"]: 1,
        ids["alloc"]: {"me": 40, "team": 30, "cco": 20, "customer-service": 10},
        ids["owner"]: "me",
        ids["text"]: "More time for callbacks.",
    }


def nothing_stored():
    return not (
        Response.objects.exists()
        or Answer.objects.exists()
        or AllocationAnswer.objects.exists()
        or Comment.objects.exists()
    )


@pytest.mark.django_db
class TestInvitations:
    def test_one_per_employee_in_the_audience_subtree(self, wave, tokens, org):
        assert Invitation.objects.filter(wave=wave).count() == 3
        departments = set(Invitation.objects.values_list("department__code", flat=True))
        assert departments == {"CLM", "CLM-MOT"}
        # Issuing again invites nobody twice.
        assert invitations_issue(wave=wave) == 0

    def test_only_a_hash_of_the_token_is_stored(self, wave, tokens):
        stored = Invitation.objects.values_list("token_hash", "nonce")
        for token in tokens:
            assert all(token not in (h, n) for h, n in stored)
        assert len(set(tokens)) == 3
        assert all(len(t) >= 40 for t in tokens)

    def test_emails_go_out_in_each_persons_language(self, wave, tokens):
        assert len(mail.outbox) == 3
        by_language = {m.extra_headers["Content-Language"]: m for m in mail.outbox}
        assert set(by_language) == {"de", "nl", "en"}
        english = by_language["en"]
        assert "at least 5" in english.body
        assert english.subject.startswith("Your opinion, anonymously")
        token_in_mail = english.body.split("/s/")[1].split("/")[0]
        assert token_in_mail in tokens
        assert by_language["de"].subject.startswith("Ihre Meinung, anonym")
        assert by_language["nl"].subject.startswith("Jouw mening, anoniem")
        assert "mindestens 5" in by_language["de"].body

    def test_reminders_go_only_to_those_who_have_not_answered(
        self, wave, tokens, ids, django_capture_on_commit_callbacks
    ):
        response_submit(token=tokens[0], answers=good_answers(ids))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert invitations_remind(wave=wave) == 2
        assert len(mail.outbox) == 2
        answered = Invitation.objects.get(responded=True).employee.email
        assert answered not in {m.to[0] for m in mail.outbox}
        for message in mail.outbox:
            assert "answered" not in message.body.lower()

    def test_link_export(self, wave, tmp_path, capsys):
        path = tmp_path / "links.csv"
        call_command("invite", "--wave", str(wave.pk), "--output", str(path))
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        assert len(rows) == 3
        assert not mail.outbox
        for row in rows:
            token = row["link"].split("/s/")[1].split("/")[0]
            assert Invitation.objects.filter(token_hash__isnull=False).exists()
            from surveys.services import invitation_for_token

            assert invitation_for_token(token).employee.email == row["email"]

    def test_invite_unknown_wave(self, db):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="no wave with id 999"):
            call_command("invite", "--wave", "999")


@pytest.mark.django_db
class TestFormFlow:
    def test_invite_open_submit_thank_and_refuse_a_second_time(
        self, client, tokens, ids
    ):
        token = tokens[0]
        page = client.get(f"/s/{token}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "your answers are stored without your name" in html.lower()
        assert html.count("<fieldset") == 7
        assert 'type="radio"' in html and "<legend>" in html
        post = {
            f"q-{ids['fr1']}": "4",
            f"q-{ids['fr4']}": "2",
            f"q-{ids['nps']}": "9",
            f"q-{ids['choice']}": "1",
            f"q-{ids['alloc']}-me": "40",
            f"q-{ids['alloc']}-team": "30",
            f"q-{ids['alloc']}-cco": "30",
            f"q-{ids['alloc']}-customer-service": "",
            f"q-{ids['owner']}": "cco",
            f"q-{ids['text']}": "  Faster call-backs please.  ",
            "language": "en",
        }
        done = client.post(f"/s/{token}/", post)
        assert done.status_code == 302
        assert done["Location"] == f"/s/{token}/thanks/?lang=en"
        thanks = client.get(done["Location"])
        assert thanks.status_code == 200 and "Thank you!" in thanks.content.decode()

        response = Response.objects.get()
        assert response.submitted_on == timezone.localdate()
        assert response.language == "en"
        values = dict(Answer.objects.values_list("question", "value"))
        assert values == {
            ids["fr1"]: 4,
            ids["fr4"]: 2,
            ids["nps"]: 9,
            ids["choice"]: 1,
            ids["owner"]: 1,
        }
        points = dict(AllocationAnswer.objects.values_list("locus", "points"))
        assert points == {"me": 40, "team": 30, "cco": 30, "customer-service": 0}
        assert list(Comment.objects.values_list("text", flat=True)) == [
            "Faster call-backs please."
        ]
        invitation = Invitation.objects.get(responded=True)
        assert response.department_id == invitation.department_id

        again = client.post(f"/s/{token}/", post)
        assert again.status_code == 409
        assert "You have already answered" in again.content.decode()
        assert Response.objects.count() == 1
        assert (
            client.get(f"/s/{token}/").content.decode().count("already answered") >= 1
        )

    def test_language_switch(self, client, tokens, wave):
        german = Invitation.objects.get(employee__language="de")
        page = client.get(f"/s/{german.token}/")
        assert '<html lang="de">' in page.content.decode()
        assert page["Content-Language"] == "de"
        dutch = client.get(f"/s/{german.token}/?lang=nl")
        assert '<html lang="nl">' in dutch.content.decode()
        nonsense = client.get(f"/s/{german.token}/?lang=xx")
        assert '<html lang="de">' in nonsense.content.decode()

    def test_skipping_everything_optional_is_fine(self, client, tokens, ids):
        done = client.post(f"/s/{tokens[0]}/", {f"q-{ids['nps']}": "7"})
        assert done.status_code == 302
        assert Answer.objects.count() == 1

    def test_errors_are_shown_on_their_fields_and_nothing_is_stored(
        self, client, tokens, ids
    ):
        post = {
            f"q-{ids['fr1']}": "9",
            f"q-{ids['alloc']}-me": "50",
            f"q-{ids['alloc']}-team": "40",
            f"q-{ids['text']}": "x" * 51,
        }
        page = client.post(f"/s/{tokens[0]}/", post)
        assert page.status_code == 400
        html = page.content.decode()
        assert "Please check 4 answers." in html
        assert f'id="error-{ids["fr1"]}"' in html
        assert "Choose a whole number from 1 to 5." in html
        assert "The points must add up to 100; they add up to 90." in html
        assert "This question needs an answer." in html
        assert "Keep it to 50 characters; this is 51." in html
        assert f'aria-describedby="error-{ids["alloc"]}"' in html
        # What was typed is kept.
        assert 'value="50"' in html
        assert nothing_stored()
        assert not Invitation.objects.filter(responded=True).exists()

    @pytest.mark.parametrize(
        ("state", "text"),
        [("closed", "This survey is closed"), ("scheduled", "is not open yet")],
    )
    def test_friendly_pages(self, client, wave, tokens, state, text):
        if state == "closed":
            wave_close(wave=wave)
        else:
            Wave.objects.filter(pk=wave.pk).update(
                opens_at=timezone.now() + dt.timedelta(days=2)
            )
        page = client.get(f"/s/{tokens[0]}/")
        assert page.status_code == 200
        assert text in page.content.decode()

    def test_unknown_link(self, client, db):
        page = client.get("/s/not-a-real-token/")
        assert page.status_code == 404
        assert "We do not recognise this link" in page.content.decode()

    def test_guessing_is_rate_limited(self, client, tokens, settings):
        settings.SURVEY_LINK_RATE_LIMIT = 3
        for attempt in range(3):
            assert client.get(f"/s/guess-{attempt}/").status_code == 404
        blocked = client.get(f"/s/{tokens[0]}/")
        assert blocked.status_code == 429
        assert "Too many attempts" in blocked.content.decode()
        other = client.get(f"/s/{tokens[0]}/", REMOTE_ADDR="10.9.8.7")
        assert other.status_code == 200


@pytest.mark.django_db
class TestResponseSubmit:
    def test_stores_everything_in_one_go(self, tokens, ids):
        response = response_submit(token=tokens[0], answers=good_answers(ids))
        assert response.answers.count() == 5
        assert response.allocations.count() == 4
        assert Comment.objects.count() == 1

    def test_second_submission_stores_nothing(self, tokens, ids):
        response_submit(token=tokens[0], answers=good_answers(ids))
        with pytest.raises(AlreadyAnswered):
            response_submit(token=tokens[0], answers=good_answers(ids))
        assert Response.objects.count() == 1
        assert Answer.objects.count() == 5

    def test_unknown_token(self, tokens, ids):
        with pytest.raises(UnknownLink):
            response_submit(token="nope", answers=good_answers(ids))

    def test_closed_wave(self, wave, tokens, ids):
        wave_close(wave=wave)
        with pytest.raises(WaveNotOpen):
            response_submit(token=tokens[0], answers=good_answers(ids))
        assert nothing_stored()

    @pytest.mark.parametrize(
        ("key", "value", "message"),
        [
            ("unknown", 3, "This survey has no such question."),
            ("fr1", 0, "Choose a whole number from 1 to 5."),
            ("fr1", 6, "Choose a whole number from 1 to 5."),
            ("fr1", 3.5, "Choose a whole number from 1 to 5."),
            ("fr1", True, "Choose a whole number from 1 to 5."),
            ("fr1", "three", "Choose a whole number from 1 to 5."),
            ("nps", 11, "Choose a whole number from 0 to 10."),
            ("nps", -1, "Choose a whole number from 0 to 10."),
            ("choice", 3, "Choose one of the offered answers."),
            ("owner", "top-management", "Choose one of the offered answers."),
            (
                "alloc",
                {"me": 50, "team": 40},
                "The points must add up to 100; they add up to 90.",
            ),
            ("alloc", {"me": 110, "team": -10}, "Points cannot be negative."),
            ("alloc", {"me": 50.5, "team": 49.5}, "Use whole numbers of points."),
            ("alloc", {"me": 100, "nobody": 0}, "Not offered here: nobody."),
            ("alloc", [100], "Give points per option."),
            ("text", "x" * 51, "Keep it to 50 characters; this is 51."),
            ("text", 42, "Write text."),
        ],
    )
    def test_bad_input_is_refused_whole(self, tokens, ids, key, value, message):
        answers = good_answers(ids)
        question = ids.get(key, key)
        answers[question] = value
        with pytest.raises(AnswerErrors) as exc:
            response_submit(token=tokens[0], answers=answers)
        assert exc.value.errors == {question: message}
        assert nothing_stored()
        assert not Invitation.objects.filter(responded=True).exists()

    def test_required_question(self, tokens, ids):
        answers = good_answers(ids)
        del answers[ids["nps"]]
        with pytest.raises(AnswerErrors) as exc:
            response_submit(token=tokens[0], answers=answers)
        assert exc.value.errors == {ids["nps"]: "This question needs an answer."}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_submissions_store_exactly_one_response(wave, ids):
    invitations_issue(wave=wave, send=False)
    token = Invitation.objects.first().token
    answers = good_answers(ids)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def submit():
        barrier.wait()
        try:
            response_submit(token=token, answers=answers)
            outcomes.append("stored")
        except AlreadyAnswered:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["stored"]
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 5


ALLOWED_FIELDS = {
    Response: {"id", "wave", "department", "submitted_on", "language", "released_in"},
    Answer: {"id", "response", "wave", "department", "question", "value"},
    AllocationAnswer: {
        "id",
        "response",
        "wave",
        "department",
        "question",
        "locus",
        "points",
    },
    Comment: {"id", "wave", "department", "question", "text"},
}


@pytest.mark.parametrize("model", list(ALLOWED_FIELDS), ids=lambda m: m.__name__)
def test_no_field_can_identify_a_person(model):
    """Fails as soon as anyone adds a column that could lead back to a person."""
    from django.contrib.auth import get_user_model

    from ownership.models import Employee

    fields = {f.name for f in model._meta.concrete_fields}
    assert fields == ALLOWED_FIELDS[model]
    for f in model._meta.get_fields():
        if f.is_relation and f.related_model is not None:
            assert f.related_model not in (Employee, get_user_model(), Invitation)
        assert not isinstance(f, models.GenericIPAddressField)
        assert not isinstance(f, models.DateTimeField)
        assert "agent" not in f.name and "ip" != f.name
    if model in (Response, Comment):
        assert isinstance(model._meta.pk, models.UUIDField)
