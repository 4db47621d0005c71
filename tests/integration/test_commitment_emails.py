"""E-mails about commitments: department heads hear when final results are
out, and a week before one of their department's commitments falls due."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from surveys.models import Commitment, CommitmentStatus, Invitation, Wave
from surveys.services import invitations_issue, response_submit, wave_close, wave_open
from tests.factories import EmployeeFactory, UserFactory, likert, make_survey

pytestmark = pytest.mark.django_db


def head_of(department, username: str, language: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Department heads"))
    EmployeeFactory(department=department, user=user, language=language)
    return user


@pytest.fixture
def heads(org):
    return {
        "claims": head_of(org["claims"], "head.claims", "de"),
        "sales": head_of(org["sales"], "head.sales", "nl"),
    }


@pytest.fixture
def wave(org):
    page = make_survey([likert("FR-1")])
    now = timezone.now()
    wave = Wave.objects.create(
        survey=page,
        label="Pulse 2",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    wave.audience.set([org["board"]])
    people = EmployeeFactory.create_batch(6, department=org["claims"])
    wave = wave_open(wave=wave)
    invitations_issue(wave=wave, send=False)
    question = wave.snapshot["questions"][0]["id"]
    for employee in people:
        token = Invitation.objects.get(wave=wave, employee=employee).token
        response_submit(token=token, answers={question: 4})
    return wave


class TestFinalResults:
    def test_every_head_hears_once_in_their_language(
        self, wave, heads, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            wave_close(wave=wave)
        assert wave.releases.filter(final=True).count() == 1
        by_address = {m.to[0]: m for m in mail.outbox}
        assert set(by_address) == {heads["claims"].email, heads["sales"].email}
        german = by_address[heads["claims"].email]
        assert german.extra_headers["Content-Language"] == "de"
        assert german.subject == "Die Ergebnisse von Pulse 2 liegen vor"
        assert "Die endgültigen Ergebnisse von Pulse 2 liegen vor." in german.body
        assert f"/admin/results/heatmap/?wave={wave.pk}" in german.body
        assert "/admin/snippets/surveys/commitment/add/" in german.body
        assert "ob jede bis dahin fällige Zusage eingehalten wurde" in german.body
        assert (
            by_address[heads["sales"].email].extra_headers["Content-Language"] == "nl"
        )

    def test_an_interim_release_tells_nobody(
        self, wave, heads, django_capture_on_commit_callbacks
    ):
        from ownership.analytics import release_make

        Wave.objects.filter(pk=wave.pk).update(interim_results=True)
        wave.refresh_from_db()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            release = release_make(wave=wave)
        assert not release.final
        assert mail.outbox == []


class TestReminders:
    def test_a_week_before_its_due_date_once(self, org, heads):
        today = dt.date(2026, 11, 24)
        soon = Commitment.objects.create(
            department=org["claims"],
            statement="Call back within a day.",
            translations={"de": "Binnen eines Tages zurückrufen."},
            due_on=today + dt.timedelta(days=5),
        )
        for fields in (
            {"due_on": today + dt.timedelta(days=30)},
            {"due_on": today + dt.timedelta(days=3), "status": CommitmentStatus.DONE},
            {"due_on": today - dt.timedelta(days=1)},
        ):
            Commitment.objects.create(
                department=org["claims"], statement="Not now.", **fields
            )
        mail.outbox.clear()
        out = StringIO()
        call_command("remind_commitments", "--today", today.isoformat(), stdout=out)
        assert out.getvalue().strip() == "1 reminder(s) sent."
        (message,) = mail.outbox
        assert message.to == [heads["claims"].email]
        assert "Binnen eines Tages zurückrufen." in message.body
        assert "Ihr Stand ist „Geplant“." in message.body
        assert f"/admin/snippets/surveys/commitment/edit/{soon.pk}/" in message.body
        soon.refresh_from_db()
        assert soon.reminded_on == today
        call_command("remind_commitments", "--today", today.isoformat(), stdout=out)
        assert len(mail.outbox) == 1

    def test_a_bad_day_is_refused(self, org):
        with pytest.raises(CommandError, match="--today must be a date"):
            call_command("remind_commitments", "--today", "tomorrow")
