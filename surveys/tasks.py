"""Background work for surveys: sending invitations and reminders."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .models import Invitation, unanswered


def invitation_email(
    invitation: Invitation, *, reminder: bool
) -> EmailMultiAlternatives:
    """The e-mail for one invitation, in the employee's language."""
    wave = invitation.wave
    snapshot = wave.snapshot
    language = invitation.employee.language
    if language not in snapshot["languages"]:
        language = snapshot["source_language"]
    context = {
        "name": invitation.employee.display_name,
        "title": snapshot["title"][language],
        "link": f"{invitation.link()}?lang={language}",
        "closes_at": wave.closes_at,
        "min_group_size": wave.min_group_size,
        "minutes": wave.estimated_minutes,
        "reminder": reminder,
    }
    with translation.override(language):
        subject = render_to_string("surveys/email/invitation_subject.txt", context)
        body = render_to_string("surveys/email/invitation.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.employee.email],
    )
    message.extra_headers["Content-Language"] = language
    return message


@task()
def send_invitation_emails(invitation_ids: list[int], reminder: bool = False) -> int:
    """Send one batch of invitations; with ``reminder``, only to those who
    have not answered (the wave's reminders use :func:`send_reminders`)."""
    invitations = Invitation.objects.filter(pk__in=invitation_ids).select_related(
        "wave", "employee"
    )
    if reminder:
        invitations = unanswered(invitations)
    messages = [invitation_email(i, reminder=reminder) for i in invitations]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


@task()
def send_reminders(wave_id: int) -> int:
    """Remind everyone of the wave who has not answered.

    Who that is is worked out here, with the server key, and kept nowhere:
    the task's argument is the wave and its result a count.
    """
    invitations = Invitation.objects.filter(wave_id=wave_id).select_related(
        "wave", "employee"
    )
    sent = 0
    with get_connection() as connection:
        batch: list = []
        for invitation in unanswered(invitations):
            batch.append(invitation_email(invitation, reminder=True))
            if len(batch) == 200:
                sent += connection.send_messages(batch) or 0
                batch = []
        if batch:
            sent += connection.send_messages(batch) or 0
    return sent
