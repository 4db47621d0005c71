"""Background work for reports: making releases, and telling department heads
when results are out and when a commitment falls due."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from ownership.analytics import ReleaseRefused, release_make
from surveys.models import Commitment, CommitmentStatus, Release, Wave

from .roles import DEPARTMENT_HEADS

#: A commitment's heads hear this many days before it falls due.
REMINDER_DAYS = 7


@task()
def release_wave(wave_id: int) -> int | None:
    """Make the next release of a wave (its final one once it has closed).

    Returns the release's sequence number, or ``None`` when the wave has none
    to make (still open without interim results, or already released).
    """
    wave = Wave.objects.filter(pk=wave_id, frozen_at__isnull=False).first()
    if wave is None:
        return None
    try:
        return release_make(wave=wave).sequence
    except ReleaseRefused:
        return None


def on_wave_closed(sender, *, wave_id: int, **kwargs) -> None:
    release_wave.enqueue(wave_id)


def on_release_made(
    sender, *, release_id: int, final: bool, announce: bool = True, **kwargs
) -> None:
    if final and announce:
        send_release_emails.enqueue(release_id)


def department_heads():
    """Active department heads who can be written to, with their employee."""
    return (
        get_user_model()
        .objects.filter(
            groups__name=DEPARTMENT_HEADS,
            is_active=True,
            employee__is_active=True,
        )
        .exclude(email="")
        .select_related("employee__department")
        .order_by("pk")
        .distinct()
    )


def _email(user, template: str, context: dict) -> EmailMultiAlternatives:
    """One e-mail from ``ownership/email/<template>*.txt`` in the user's language."""
    language = user.employee.language or settings.LANGUAGE_CODE
    context = {**context, "name": user.employee.display_name}
    with translation.override(language):
        subject = render_to_string(f"ownership/email/{template}_subject.txt", context)
        body = render_to_string(f"ownership/email/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.extra_headers["Content-Language"] = language
    return message


def _link(name: str, query: str = "", args=()) -> str:
    """An absolute link into the admin, for an e-mail."""
    return f"{settings.WAGTAILADMIN_BASE_URL}{reverse(name, args=args)}{query}"


@task()
def send_release_emails(release_id: int) -> int:
    """Tell every department head that a wave's final results are out: one
    e-mail in their language, with their results and the invitation to record
    what their department will change. Returns how many were sent."""
    release = Release.objects.filter(pk=release_id, final=True).first()
    if release is None:
        return 0
    wave = Wave.objects.select_related("survey").get(pk=release.wave_id)
    context = {
        "wave": wave.label,
        "results": _link("ownership_results_heatmap", f"?wave={wave.pk}"),
        "record": _link("wagtailsnippets_surveys_commitment:add"),
    }
    messages = [_email(user, "release", context) for user in department_heads()]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


@task()
def send_commitment_reminders(today: str | None = None) -> int:
    """Remind the heads of each department whose open commitment falls due
    within :data:`REMINDER_DAYS` days, once per commitment. Returns how many
    e-mails were sent."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    due = list(
        Commitment.objects.filter(
            status__in=[CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS],
            reminded_on__isnull=True,
            due_on__gte=day,
            due_on__lte=day + dt.timedelta(days=REMINDER_DAYS),
        ).select_related("department")
    )
    heads: dict[int, list] = {}
    for user in department_heads():
        heads.setdefault(user.employee.department_id, []).append(user)
    messages = []
    for commitment in due:
        for user in heads.get(commitment.department_id, []):
            language = user.employee.language or settings.LANGUAGE_CODE
            context = {
                "commitment": commitment.text(language),
                "department": commitment.department.name,
                "due_on": commitment.due_on,
                "status": CommitmentStatus(commitment.status).label,
                "edit": _link(
                    "wagtailsnippets_surveys_commitment:edit", args=[commitment.pk]
                ),
            }
            messages.append(_email(user, "commitment_reminder", context))
    with get_connection() as connection:
        sent = connection.send_messages(messages) or 0
    Commitment.objects.filter(pk__in=[c.pk for c in due]).update(reminded_on=day)
    return sent
