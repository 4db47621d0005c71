"""Anonymous collection: invitations, the form, exactly-once submission, and
nothing that tells who answered."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import re
import threading
import uuid
from io import StringIO

import numpy as np
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from rest_framework.test import APIClient

from api.services import api_token_create
from ownership.models import AuditEntry, Department, Employee
from surveys.models import (
    Comment,
    Invitation,
    Response,
    SpentToken,
    Wave,
    hash_token,
    spent_hash,
    unanswered,
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
    # In the order the employees were made (English, German, Dutch): the order
    # invitations are issued in is the database's and may differ.
    invitations = Invitation.objects.filter(wave=wave).order_by("employee_id")
    return [i.token for i in invitations]


def table_counts() -> dict[str, int]:
    """How many rows every table holds."""
    with connection.cursor() as cursor:
        result = {}
        for table in connection.introspection.table_names(cursor):
            table_name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {table_name}")  # noqa: S608
            result[table] = cursor.fetchone()[0]
    return result


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
        or Comment.objects.exists()
        or SpentToken.objects.exists()
    )


def form_fields(ids, **changes) -> dict[str, str]:
    """What the form posts for :func:`good_answers`; ``changes`` replace (or,
    set to ``None``, drop) fields by short name: ``fr1="9"``, ``alloc_me="50"``."""
    fields = {
        "fr1": "4",
        "fr4": "2",
        "nps": "9",
        "choice": "1",
        "alloc_me": "40",
        "alloc_team": "30",
        "alloc_cco": "20",
        "alloc_customer-service": "10",
        "owner": "me",
        "text": "More time for callbacks.",
    }
    fields.update(changes)
    post = {"language": "en"}
    for name, value in fields.items():
        if value is None:
            continue
        key, _, locus = name.partition("_")
        post[f"q-{ids[key]}" + (f"-{locus}" if locus else "")] = value
    return post


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Response, Comment, SpentToken))


def page_without(page, token: str) -> str:
    """A page's HTML without what differs between two links anyway: the link
    itself and the per-request CSRF token."""
    html = page.content.decode().replace(token, "TOKEN")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "CSRF", html)


@pytest.fixture
def optional_wave(org):
    """An open wave of the same questions, none of them required."""
    EmployeeFactory.create_batch(2, department=org["sales"])
    questions = copy.deepcopy(QUESTIONS)
    for question in questions:
        question["value"]["required"] = False
    now = timezone.now()
    wave = Wave.objects.create(
        survey=make_survey(questions, title="Optional", slug="optional"),
        label="Optional pulse",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    wave.audience.set([org["sales"]])
    wave = wave_open(wave=wave)
    invitations_issue(wave=wave, send=False)
    return wave


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
            # The count is of everyone invited: it cannot tell who answered.
            assert invitations_remind(wave=wave) == 3
        assert len(mail.outbox) == 2
        (answered,) = [i for i in Invitation.objects.all() if i.answered]
        assert answered.token == tokens[0]
        assert answered.employee.email not in {m.to[0] for m in mail.outbox}
        for message in mail.outbox:
            assert "answered" not in message.body.lower()

    def test_link_export(self, wave, tmp_path, capsys):
        path = tmp_path / "links.csv"
        call_command("invite", "--wave", str(wave.pk), "--output", str(path))
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        assert len(rows) == 3
        assert b"\r" not in path.read_bytes()  # plain line ends
        assert not mail.outbox
        for row in rows:
            token = row["link"].split("/s/")[1].split("/")[0]
            assert Invitation.objects.filter(token_hash__isnull=False).exists()
            from surveys.services import invitation_for_token

            assert invitation_for_token(token).employee.email == row["email"]

    def test_link_exports_before_and_after_an_answer_are_identical(
        self, wave, ids, tmp_path
    ):
        """An export lists every invitation, answered or not: comparing two
        exports tells nobody who answered in between."""
        invitations_issue(wave=wave, send=False)
        first, second = tmp_path / "a.csv", tmp_path / "b.csv"
        said = StringIO()
        call_command(
            "invite", "--wave", str(wave.pk), "--output", str(first), stdout=said
        )
        invitations = Invitation.objects.filter(wave=wave).select_related("employee")
        rows = list(csv.DictReader(first.open(encoding="utf-8", newline="")))
        assert len(rows) == invitations.count() == 3
        assert {(row["email"], row["link"].split("?")[0]) for row in rows} == {
            (i.employee.email, i.link()) for i in invitations
        }
        token = rows[1]["link"].split("/s/")[1].split("/")[0]
        response_submit(token=token, answers=good_answers(ids))
        assert SpentToken.objects.count() == 1

        said_again = StringIO()
        call_command(
            "invite", "--wave", str(wave.pk), "--output", str(second), stdout=said_again
        )
        assert second.read_bytes() == first.read_bytes()
        assert said.getvalue().replace(str(first), "PATH") == (
            said_again.getvalue().replace(str(second), "PATH")
        )
        assert "Wrote 3 personal link(s)" in said_again.getvalue()
        assert token in second.read_text(encoding="utf-8")
        assert not mail.outbox

    def test_reminders_are_worked_out_in_the_task_from_the_wave_alone(
        self, wave, tokens, ids, django_capture_on_commit_callbacks
    ):
        """The queued task carries the wave's id and nothing else; the people
        it writes to are the unanswered ones, worked out when it runs, and no
        table gains a row that lists them."""
        response_submit(token=tokens[1], answers=good_answers(ids))
        mail.outbox.clear()
        finished = []

        def remember(sender, task_result, **kwargs):
            finished.append(task_result)

        before = table_counts()
        task_finished.connect(remember)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                invitations_remind(wave=wave)
        finally:
            task_finished.disconnect(remember)
        (result,) = finished
        assert result.task.module_path == "surveys.tasks.send_reminders"
        assert (list(result.args), result.kwargs) == ([wave.pk], {})
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == 2
        waiting = unanswered(Invitation.objects.filter(wave=wave))
        assert len(waiting) == 2
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            i.employee.email for i in waiting
        )
        # The one new row is the audit log's "a reminder went out", which
        # names nobody and counts nothing.
        after = table_counts()
        assert (
            after.pop("ownership_auditentry") == before.pop("ownership_auditentry") + 1
        )
        assert after == before
        (entry,) = AuditEntry.objects.filter(action="remind")
        assert (entry.wave_id, entry.detail, entry.user) == (wave.pk, "", None)

        # One more answer: the next reminder reaches one person, and what the
        # sender is told has not changed.
        response_submit(token=tokens[0], answers=good_answers(ids))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert invitations_remind(wave=wave) == 3
        (message,) = mail.outbox
        (left,) = unanswered(Invitation.objects.filter(wave=wave))
        assert message.to == [left.employee.email]
        assert left.token == tokens[2]

    def test_remind_command_names_no_count(
        self, wave, tokens, ids, django_capture_on_commit_callbacks
    ):
        response_submit(token=tokens[0], answers=good_answers(ids))
        mail.outbox.clear()
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "invite", "--wave", str(wave.pk), "--remind", stdout=out, no_color=True
            )
        assert "everyone who has not answered" in out.getvalue()
        assert not re.search(r"\d", out.getvalue())
        assert len(mail.outbox) == 2

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
        assert response.numeric_answers() == {
            ids["fr1"]: 4,
            ids["fr4"]: 2,
            ids["nps"]: 9,
            ids["choice"]: 1,
            ids["owner"]: 1,
            ids["alloc"]: {"me": 40, "team": 30, "cco": 30, "customer-service": 0},
        }
        assert list(Comment.objects.values_list("text", flat=True)) == [
            "Faster call-backs please."
        ]
        (invitation,) = [i for i in Invitation.objects.all() if i.answered]
        assert invitation.token == token
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
        assert Response.objects.get().numeric_answers() == {ids["nps"]: 7}

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
        assert not SpentToken.objects.exists()

    def test_errors_speak_the_forms_language(self, client, tokens, ids):
        german = Invitation.objects.get(employee__language="de").token
        post = {
            f"q-{ids['alloc']}-me": "50",
            f"q-{ids['alloc']}-team": "40",
            "language": "de",
        }
        page = client.post(f"/s/{german}/", post)
        assert page.status_code == 400
        html = page.content.decode()
        assert '<html lang="de">' in html
        assert "Die Punkte müssen zusammen 100 ergeben; derzeit sind es 90." in html
        assert "The points must add up" not in html
        assert nothing_stored()

    @pytest.mark.parametrize("language", ["de", "nl"])
    def test_an_unknown_link_speaks_the_links_language(self, client, db, language):
        page = client.get(f"/s/not-a-real-token/?lang={language}")
        assert page.status_code == 404
        assert f'<html lang="{language}">' in page.content.decode()
        assert "We do not recognise this link" not in page.content.decode()

    @pytest.mark.parametrize(
        "changes",
        [
            {"fr1": "9"},
            {"nps": None},
            {"alloc_me": "50", "alloc_team": "40"}
            | {"alloc_cco": "", "alloc_customer-service": ""},
            {"text": "x" * 51, "choice": "7"},
            dict.fromkeys(("fr1", "fr4", "nps", "choice", "owner", "text"))
            | {f"alloc_{slug}": None for slug in ("me", "team", "cco")}
            | {"alloc_customer-service": None},
        ],
        ids=["out-of-range", "required-missing", "points", "two-errors", "nothing"],
    )
    def test_an_invalid_form_is_refused_alike_on_a_used_and_an_unused_link(
        self, client, tokens, ids, changes
    ):
        """What a submission learns about its link depends on the link only if
        the answers are valid: an invalid form gets the same page, errors and
        all, whether or not the link was used."""
        used, unused = tokens[0], tokens[1]
        assert client.post(f"/s/{used}/", form_fields(ids)).status_code == 302
        stored = counts()
        pages = {}
        for token in (used, unused):
            page = client.post(f"/s/{token}/", form_fields(ids, **changes))
            assert page.status_code == 400
            assert "Nothing has been saved yet." in page.content.decode()
            pages[token] = page_without(page, token)
        assert pages[used] == pages[unused]
        assert counts() == stored
        assert not Invitation.objects.get(token_hash=hash_token(unused)).answered

        # A valid form is where the two differ: stored once, refused after.
        again = client.post(f"/s/{used}/", form_fields(ids))
        assert again.status_code == 409
        assert "You have already answered" in again.content.decode()
        assert counts() == stored
        assert client.post(f"/s/{unused}/", form_fields(ids)).status_code == 302
        assert SpentToken.objects.count() == 2

    @pytest.mark.parametrize(
        "post",
        [
            {"language": "en"},
            "every-field-blank",
        ],
        ids=["no-fields", "every-field-blank"],
    )
    def test_a_form_with_no_answer_is_refused_with_the_message(
        self, client, optional_wave, post
    ):
        (invitation, _) = Invitation.objects.filter(wave=optional_wave)
        token = invitation.token
        if post == "every-field-blank":
            ids = {
                key: q["id"]
                for key, q in zip(
                    ("fr1", "fr4", "nps", "choice", "alloc", "owner", "text"),
                    optional_wave.snapshot["questions"],
                    strict=True,
                )
            }
            post = form_fields(
                ids,
                **dict.fromkeys(("fr1", "fr4", "nps", "choice", "owner"), ""),
                **{f"alloc_{s}": "" for s in ("me", "team", "cco", "customer-service")},
                text="   ",
            )
        page = client.post(f"/s/{token}/", post)
        assert page.status_code == 400
        html = page.content.decode()
        errors = html.split('id="form-errors"')[1].split("</div>")[0]
        assert "Answer at least one question before sending." in errors
        assert "Nothing has been saved yet." in errors
        assert "question--error" not in html  # no question is at fault
        assert nothing_stored()
        assert not invitation.answered
        # The link still opens the form, and takes a real answer.
        assert "<form" in client.get(f"/s/{token}/").content.decode()
        nps = optional_wave.snapshot["questions"][2]["id"]
        done = client.post(f"/s/{token}/", {f"q-{nps}": "8", "language": "en"})
        assert done.status_code == 302
        assert invitation.answered

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
        blocked = client.get("/s/guess-3/")
        assert blocked.status_code == 429
        assert "Too many attempts" in blocked.content.decode()
        # A made-up X-Forwarded-For changes nothing without a trusted proxy.
        rotated = client.get("/s/guess-4/", HTTP_X_FORWARDED_FOR="198.51.100.9")
        assert rotated.status_code == 429
        # Other people's guesses never block a valid link.
        assert client.get(f"/s/{tokens[0]}/").status_code == 200

    def test_behind_a_trusted_proxy_guesses_count_per_client(
        self, client, tokens, settings
    ):
        settings.SURVEY_LINK_RATE_LIMIT = 2
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        guesser = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", **proxy}
        for attempt in range(2):
            assert client.get(f"/s/guess-{attempt}/", **guesser).status_code == 404
        assert client.get("/s/guess-2/", **guesser).status_code == 429
        # A colleague behind the same proxy mistypes a link: not blocked.
        colleague = {"HTTP_X_FORWARDED_FOR": "203.0.113.8", **proxy}
        assert client.get("/s/typo/", **colleague).status_code == 404
        other = client.get(f"/s/{tokens[0]}/", REMOTE_ADDR="10.9.8.7")
        assert other.status_code == 200


@pytest.mark.django_db
class TestResponseSubmit:
    def test_stores_everything_in_one_go(self, tokens, ids):
        response = response_submit(token=tokens[0], answers=good_answers(ids))
        stored = Response.objects.get(pk=response.pk).numeric_answers()
        assert stored == {
            ids["fr1"]: 4,
            ids["fr4"]: 2,
            ids["nps"]: 9,
            ids["choice"]: 1,
            ids["owner"]: 0,
            ids["alloc"]: {"me": 40, "team": 30, "cco": 20, "customer-service": 10},
        }
        assert Comment.objects.count() == 1

    def test_second_submission_stores_nothing(self, tokens, ids):
        response_submit(token=tokens[0], answers=good_answers(ids))
        with pytest.raises(AlreadyAnswered):
            response_submit(token=tokens[0], answers=good_answers(ids))
        assert Response.objects.count() == 1
        assert len(Response.objects.get().numeric_answers()) == 6

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
        assert not SpentToken.objects.exists()

    def test_a_response_must_answer_something(self, optional_wave):
        token = Invitation.objects.filter(wave=optional_wave).first().token
        for empty in ({}, {q["id"]: "" for q in optional_wave.snapshot["questions"]}):
            with pytest.raises(AnswerErrors) as exc:
                response_submit(token=token, answers=empty)
            assert exc.value.errors == {
                "answers": "Answer at least one question before sending."
            }
        assert nothing_stored()

    def test_required_question(self, tokens, ids):
        answers = good_answers(ids)
        del answers[ids["nps"]]
        with pytest.raises(AnswerErrors) as exc:
            response_submit(token=tokens[0], answers=answers)
        assert exc.value.errors == {ids["nps"]: "This question needs an answer."}


# Committed for real -----------------------------------------------------------
#
# The tests below commit (other connections and threads see their data), so
# they start from, and leave, the migrated database (``migrated_database``).

COMMITTED = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def person_rows() -> dict[str, list[tuple]]:
    """Every row of every table that names a person, as stored.

    On PostgreSQL each row also carries ``xmin``, the transaction that wrote
    this version of it, and ``xmax``, the last one to lock (or delete) it: a
    write of the very same values, or a ``SELECT ... FOR UPDATE``, shows.
    """
    system = "xmin::text, xmax::text, " if connection.vendor == "postgresql" else ""
    rows = {}
    with connection.cursor() as cursor:
        for model in (Invitation, Employee, get_user_model()):
            table = connection.ops.quote_name(model._meta.db_table)
            key = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT {system}* FROM {table} ORDER BY {key}")  # noqa: S608
            rows[model._meta.db_table] = cursor.fetchall()
    return rows


def rows_that_point_at_a_person() -> dict[str, int]:
    """How many rows each table holds that refers to an invitation, an
    employee or a user (audit log, API tokens, Wagtail's tables...)."""
    people = {Invitation, Employee, get_user_model()}
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
        and any(
            field.is_relation and field.related_model in people
            for field in model._meta.concrete_fields
        )
    }
    with connection.cursor() as cursor:
        result = {}
        for table in sorted(tables):
            table_name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {table_name}")  # noqa: S608
            result[table] = cursor.fetchone()[0]
    return result


def stored_rows(model) -> tuple[list[str], list[tuple]]:
    """A table's columns and rows, as the database holds them."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        columns = [column[0] for column in cursor.description]
        return columns, cursor.fetchall()


def assert_nothing_leads_back_to_an_invitation(invitations: list[Invitation]):
    """No column of a spent link, a response or an answer holds an
    invitation's id (or its employee's), nor contains its token, its nonce, the
    token's stored hash or an unkeyed hash of the token: what is stored about
    answers cannot be matched to invitations without the server key."""
    tokens = [i.token for i in invitations]
    secrets = (
        set(tokens)
        | {i.nonce for i in invitations}
        | {i.token_hash for i in invitations}
        | {hash_token(t) for t in tokens}
        | {hashlib.sha256(b"spent:" + t.encode()).hexdigest() for t in tokens}
        | {hashlib.sha256(i.nonce.encode()).hexdigest() for i in invitations}
    )
    secrets = {secret.lower() for secret in secrets}
    numbers = {str(i.pk) for i in invitations} | {
        str(i.employee_id) for i in invitations
    }
    for model in (SpentToken, Response, Comment):
        references = {
            field.column: field.related_model
            for field in model._meta.concrete_fields
            if field.is_relation
        }
        assert set(references.values()) <= {Wave, Department, Response}, model
        columns, rows = stored_rows(model)
        assert rows, model
        for row in rows:
            for column, value in zip(columns, row, strict=True):
                text = str(value).lower()
                assert not any(secret in text for secret in secrets), (
                    model.__name__,
                    column,
                )
                if model in (SpentToken, Response) and column not in references:
                    assert text not in numbers, (model.__name__, column, value)
    # Not vacuous: the used links are there, under their keyed hashes only.
    digests = set(SpentToken.objects.values_list("digest", flat=True))
    assert digests and digests <= {spent_hash(t) for t in tokens}


@COMMITTED
def test_fifty_submissions_write_or_lock_no_row_that_names_a_person(
    migrated_database, org, wave, ids, hr_analyst, settings
):
    """Fifty responses, half through the form and half through the API, each
    committed in its own transaction, leave every row of the invitations,
    employees and users as it was (on PostgreSQL down to the transaction that
    last wrote or locked it) and add no row that points at a person."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "token": "100000/minute",
            "responses": "100000/minute",
            "anonymous": "100000/minute",
        },
    }
    EmployeeFactory.create_batch(47, department=org["claims"])
    assert invitations_issue(wave=wave, send=False) == 50
    invitations = list(
        Invitation.objects.filter(wave=wave).select_related("employee").order_by("pk")
    )
    tokens = [i.token for i in invitations]
    _api_token, key = api_token_create(
        user=hr_analyst,
        name="Survey kiosk",
        scopes=["responses:write"],
        departments=[],
        expires_at=None,
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    browser = Client()

    before = person_rows()
    pointing = rows_that_point_at_a_person()
    if connection.vendor == "postgresql":
        invitation_columns = len(Invitation._meta.concrete_fields)
        assert all(
            len(row) == invitation_columns + 2 for row in before["surveys_invitation"]
        )
    for number, token in enumerate(tokens):
        if number % 2:
            reply = api.post(
                "/api/v1/responses/",
                {"token": token, "answers": good_answers(ids)},
                format="json",
            )
            assert reply.status_code == 201, reply.content
        else:
            reply = browser.post(f"/s/{token}/", form_fields(ids))
            assert reply.status_code == 302, reply.content
            assert browser.get(reply["Location"]).status_code == 200
    # Refused second uses and invalid bodies write nothing either.
    again = api.post(
        "/api/v1/responses/",
        {"token": tokens[0], "answers": good_answers(ids)},
        format="json",
    )
    assert again.status_code == 409
    assert browser.post(f"/s/{tokens[1]}/", form_fields(ids)).status_code == 409
    invalid = form_fields(ids, fr1="9")
    assert browser.post(f"/s/{tokens[2]}/", invalid).status_code == 400
    assert browser.get(f"/s/{tokens[3]}/").status_code == 200  # "already answered"

    assert Response.objects.filter(wave=wave).count() == 50
    assert SpentToken.objects.filter(wave=wave).count() == 50
    assert person_rows() == before
    assert rows_that_point_at_a_person() == pointing
    assert unanswered(invitations) == []
    assert_nothing_leads_back_to_an_invitation(invitations)


@pytest.mark.postgres
@COMMITTED
def test_the_row_probe_sees_a_rewrite_of_equal_values_and_a_lock(
    migrated_database, wave
):
    """The probe above is not blind: rewriting a row with its own values, or
    locking it in a committed transaction, changes what it sees."""
    invitations_issue(wave=wave, send=False)
    invitation = Invitation.objects.order_by("pk").first()
    before = person_rows()
    Invitation.objects.filter(pk=invitation.pk).update(nonce=F("nonce"))
    rewritten = person_rows()
    assert rewritten != before
    values = {t: [row[2:] for row in rows] for t, rows in before.items()}
    assert {t: [row[2:] for row in rows] for t, rows in rewritten.items()} == values

    with transaction.atomic():
        list(Employee.objects.select_for_update().filter(pk=invitation.employee_id))
    locked = person_rows()
    assert locked != rewritten
    assert {t: [row[2:] for row in rows] for t, rows in locked.items()} == values


@pytest.mark.postgres
@COMMITTED
def test_racing_submissions_store_exactly_one_response(migrated_database, wave, ids):
    """One link, sent from eight threads at once: one response and one spent
    link between them; the others are told the link was used."""
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
    assert len(Response.objects.get().numeric_answers()) == 6
    assert Comment.objects.count() == 1
    assert SpentToken.objects.count() == 1
    assert SpentToken.objects.get().digest == spent_hash(token)


@pytest.mark.postgres
@COMMITTED
def test_racing_form_posts_store_exactly_one_response(migrated_database, wave, ids):
    """The same race through the form: one redirect to the thanks page, and a
    409 "already answered" page for every other tab."""
    invitations_issue(wave=wave, send=False)
    token = Invitation.objects.first().token
    post = form_fields(ids)
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def submit():
        browser = Client()
        barrier.wait()
        try:
            statuses.append(browser.post(f"/s/{token}/", post).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [409] * 7
    assert Response.objects.count() == 1
    assert SpentToken.objects.count() == 1
    assert len(Response.objects.get().numeric_answers()) == 6


@pytest.mark.postgres
@COMMITTED
def test_different_links_at_once_are_all_stored(migrated_database, org, wave, ids):
    """Spent links are unique per link, not per wave or department: eight
    people answering at the same moment are all stored."""
    EmployeeFactory.create_batch(5, department=org["claims"])
    invitations_issue(wave=wave, send=False)
    tokens = [i.token for i in Invitation.objects.filter(wave=wave)]
    assert len(tokens) == 8
    answers = good_answers(ids)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def submit(token):
        barrier.wait()
        try:
            response_submit(token=token, answers=answers)
            outcomes.append("stored")
        except Exception as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["stored"] * 8
    assert Response.objects.count() == 8
    assert SpentToken.objects.count() == 8


def _race(work, jobs, *, clients: int) -> list[str]:
    """Run ``work(job)`` for every job from ``clients`` threads at once, each
    with its own database connection; the outcomes, in no particular order."""
    pending = list(jobs)
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    outcomes: list[str] = []

    def client():
        barrier.wait()
        try:
            while True:
                with lock:
                    if not pending:
                        return
                    job = pending.pop()
                try:
                    work(job)
                    outcome = "stored"
                except AlreadyAnswered:
                    outcome = "refused"
                except Exception as exc:  # noqa: BLE001 - reported below
                    outcome = repr(exc)
                with lock:
                    outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@COMMITTED
def test_a_thousand_submissions_of_one_link(migrated_database, wave, ids):
    """One link submitted 1,000 times by 50 clients at once: one response."""
    invitations_issue(wave=wave, send=False)
    token = Invitation.objects.first().token
    answers = good_answers(ids)
    outcomes = _race(
        lambda _n: response_submit(token=token, answers=answers),
        range(1000),
        clients=50,
    )
    assert sorted(set(outcomes)) == ["refused", "stored"]
    assert outcomes.count("stored") == 1 and outcomes.count("refused") == 999
    assert Response.objects.count() == SpentToken.objects.count() == 1


@pytest.mark.postgres
@COMMITTED
def test_five_thousand_links_from_fifty_clients(migrated_database, org, wave, ids):
    """5,000 people answering through 50 clients at once: none lost, none
    stored twice (each link is also sent a second time)."""
    Employee.objects.bulk_create(
        Employee(
            external_id=f"LOAD{n:05d}",
            email=f"load{n}@example.com",
            display_name=f"Load {n}",
            department=org["claims"],
        )
        for n in range(5000 - wave.audience_employees().count())
    )
    invitations_issue(wave=wave, send=False)
    tokens = [i.token for i in Invitation.objects.filter(wave=wave)]
    assert len(tokens) == 5000
    answers = good_answers(ids)
    outcomes = _race(
        lambda token: response_submit(token=token, answers=answers),
        tokens + tokens[:500],
        clients=50,
    )
    assert outcomes.count("stored") == 5000
    assert outcomes.count("refused") == 500
    assert len(outcomes) == 5500
    assert Response.objects.filter(wave=wave).count() == 5000
    assert SpentToken.objects.filter(wave=wave).count() == 5000
    assert unanswered(Invitation.objects.filter(wave=wave)) == []


ALLOWED_FIELDS = {
    Response: {
        "id",
        "wave",
        "department",
        "submitted_on",
        "language",
        "released_in",
        "answers",
    },
    Comment: {"id", "wave", "department", "question", "text"},
    # A used link, as an HMAC of its token under the server key: nothing a
    # database reader can match to an invitation.
    SpentToken: {"digest", "wave"},
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
        # Random keys: the rows' order tells nothing of the order of submission.
        assert isinstance(model._meta.pk, models.UUIDField)
        assert model._meta.pk.default is uuid.uuid4
    if model is SpentToken:
        assert model._meta.pk.name == "digest"


def test_an_invitation_records_nothing_about_answering():
    """Who was asked is kept; whether they answered is not, anywhere beside
    the invitation: only a keyed hash of a used link, in its own table."""
    fields = {f.name for f in Invitation._meta.concrete_fields}
    assert fields == {"id", "wave", "employee", "department", "nonce", "token_hash"}
    related = {
        f.related_model
        for f in Invitation._meta.get_fields()
        if f.auto_created and not f.concrete
    }
    assert not related & {SpentToken, Response, Comment}


# Packed answers -------------------------------------------------------------

BEFORE_PACKING = ("surveys", "0005_unlinkable_collection")
PACKED = ("surveys", "0006_packed_answers")


@pytest.mark.django_db
def test_a_submission_is_one_row(tokens, ids, django_assert_num_queries):
    # The invitation with its wave and employee; the wave's questions (once
    # per process); then, in a transaction, the used link, the response and
    # the comment.
    with django_assert_num_queries(7):
        response = response_submit(token=tokens[0], answers=good_answers(ids))
    # The questions are read once per process.
    with django_assert_num_queries(6):
        response_submit(token=tokens[1], answers=good_answers(ids))
    stored = Response.objects.get(pk=response.pk)
    values = np.frombuffer(stored.answers, dtype="<i2")
    # 2 Likert, 0-10, choice, 4 allocation options, owner.
    assert values.tolist() == [4, 2, 9, 1, 40, 30, 20, 10, 0]


def test_the_form_reads_little_per_request(
    client, tokens, ids, django_assert_max_num_queries
):
    """The form's page and its answer each take a handful of queries, the
    same for any number of questions or respondents."""
    client.get(f"/s/{tokens[0]}/")  # the questions and the form, once per process
    with django_assert_max_num_queries(2):
        page = client.get(f"/s/{tokens[1]}/")
    assert page.status_code == 200
    with django_assert_max_num_queries(7):
        done = client.post(f"/s/{tokens[1]}/", form_fields(ids))
    assert done.status_code == 302
    assert Response.objects.count() == 1


@COMMITTED
def test_the_migration_packs_every_answer_row(migrated_database, wave, ids):
    """Rows of the old one-row-per-answer tables become the packed array;
    responses without answers stay empty, nothing else changes."""
    first = Response.objects.create(
        wave=wave,
        department_id=wave.tree[0]["id"],
        submitted_on="2026-01-05",
        language="en",
    )
    second = Response.objects.create(
        wave=wave,
        department_id=wave.tree[0]["id"],
        submitted_on="2026-01-06",
        language="de",
    )
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_PACKING])
    old = executor.loader.project_state([BEFORE_PACKING]).apps
    Answer = old.get_model("surveys", "Answer")
    AllocationAnswer = old.get_model("surveys", "AllocationAnswer")
    common = {"wave_id": wave.pk, "department_id": wave.tree[0]["id"]}
    Answer.objects.bulk_create(
        [
            Answer(response_id=first.pk, question=ids["fr1"], value=5, **common),
            Answer(response_id=first.pk, question=ids["owner"], value=2, **common),
            Answer(response_id=second.pk, question=ids["nps"], value=0, **common),
        ]
    )
    AllocationAnswer.objects.bulk_create(
        AllocationAnswer(
            response_id=first.pk,
            question=ids["alloc"],
            locus=slug,
            points=points,
            **common,
        )
        for slug, points in (("me", 60), ("team", 0), ("cco", 40))
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([PACKED])

    assert Response.objects.get(pk=first.pk).numeric_answers() == {
        ids["fr1"]: 5,
        ids["owner"]: 2,
        ids["alloc"]: {"me": 60, "team": 0, "cco": 40},
    }
    moved = Response.objects.get(pk=second.pk)
    assert moved.numeric_answers() == {ids["nps"]: 0}
    assert (moved.language, str(moved.submitted_on)) == ("de", "2026-01-06")
    assert "surveys_answer" not in connection.introspection.table_names()
    # Back to the latest schema, for the tests that run after this one.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
