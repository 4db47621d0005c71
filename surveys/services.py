"""Workflows that change surveys and waves."""

from __future__ import annotations

import datetime as dt
import functools

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from ownership.models import Department
from ownership.services import audit_record

from .commitments import commitments_frozen
from .models import (
    Comment,
    Commitment,
    Invitation,
    Response,
    SpentToken,
    SurveyPage,
    Wave,
    WavePhase,
    hash_token,
    spent_hash,
)
from .packing import Layout, layout_of
from .signals import wave_closed
from .snapshot import snapshot_build
from .tasks import send_invitation_emails, send_reminders
from .validation import validate_answers


@transaction.atomic
def wave_open(*, wave: Wave, actor=None, now: dt.datetime | None = None) -> Wave:
    """Freeze the survey's questions into ``wave.snapshot`` and open it.

    The snapshot is taken from the live (published) version of the survey page
    and its live translations, so drafts never leak into a wave. A wave opens
    only once; if ``opens_at`` lies in the future it stays scheduled until then.
    Raises ``ValidationError`` naming the field at fault.
    """
    now = now or timezone.now()
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.is_frozen:
        raise ValidationError(_("This wave is already open or closed."))
    errors: dict[str, str] = {}
    page = SurveyPage.objects.filter(pk=wave.survey_id).live().first()
    if page is None:
        errors["survey"] = _("Publish the survey page before opening a wave.")
    elif not len(page.questions):
        errors["survey"] = _("The survey has no questions.")
    if not wave.audience.exists():
        errors["audience"] = _("Choose at least one department as the audience.")
    elif not wave.audience_employees().exists():
        errors["audience"] = _("Nobody active works in the chosen departments.")
    if wave.closes_at <= now:
        errors["closes_at"] = _("The closing time has already passed.")
    if errors:
        raise ValidationError(errors)

    wave.snapshot = snapshot_build(page)
    wave.tree = Department.objects.frozen_tree()
    wave.snapshot["commitments"] = commitments_frozen(
        wave, wave.snapshot["languages"], now
    )
    wave.frozen_at = now
    wave.save(update_fields=["snapshot", "tree", "frozen_at"])
    if wave.repeat_every_weeks:
        wave_prepare_next(wave=wave)
    _audit(actor, "wave-open", wave, f"questions={len(wave.snapshot['questions'])}")
    return wave


def wave_open_now(*, wave: Wave, actor=None) -> Wave:
    """The admin's "open now": open at once, even if scheduled for later."""
    now = timezone.now()
    with transaction.atomic():
        if not wave.is_frozen and wave.opens_at > now:
            Wave.objects.filter(pk=wave.pk).update(opens_at=now)
            wave.refresh_from_db()
        return wave_open(wave=wave, actor=actor, now=now)


@transaction.atomic
def wave_close(*, wave: Wave, actor=None) -> Wave:
    """Stop accepting answers now. Closing a closed wave changes nothing."""
    now = timezone.now()
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if not wave.is_frozen:
        raise ValidationError(_("A draft wave cannot be closed; delete it instead."))
    if wave.closes_at > now:
        # Closing a scheduled wave cancels it: it opened and closed just now.
        wave.opens_at = min(wave.opens_at, now)
        wave.closes_at = now
        wave.save(update_fields=["opens_at", "closes_at"])
    _audit(actor, "wave-close", wave)
    transaction.on_commit(lambda: wave_closed.send(Wave, wave_id=wave.pk))
    return wave


@transaction.atomic
def wave_prepare_next(*, wave: Wave) -> Wave | None:
    """Create the draft of the next wave of a recurring pulse, once."""
    if not wave.repeat_every_weeks or Wave.objects.filter(follows=wave).exists():
        return None
    step = dt.timedelta(weeks=wave.repeat_every_weeks)
    following = Wave.objects.create(
        survey_id=wave.survey_id,
        label=_next_label(wave.label),
        opens_at=wave.opens_at + step,
        closes_at=wave.closes_at + step,
        min_group_size=wave.min_group_size,
        interim_results=wave.interim_results,
        repeat_every_weeks=wave.repeat_every_weeks,
        follows=wave,
    )
    following.audience.set(wave.audience.all())
    return following


def _next_label(label: str) -> str:
    """'Pulse 3' becomes 'Pulse 4'; anything else gets ' (next)'."""
    head, _, tail = label.rpartition(" ")
    if tail.isdigit():
        return f"{head} {int(tail) + 1}"
    return f"{label} (next)"


def _audit(actor, action: str, wave: Wave, detail: str = "") -> None:
    """One line of the audit log for a change to a wave."""
    audit_record(actor=actor, action=action, wave_id=wave.pk, detail=detail)


# Invitations and responses ---------------------------------------------------

INVITATION_BATCH = 200


class SubmissionRefused(Exception):
    """A response was not stored; ``code`` says why."""

    code = "refused"

    def __init__(self, message: str, *, wave: Wave | None = None):
        self.wave = wave
        super().__init__(message)


class UnknownLink(SubmissionRefused):
    code = "unknown_link"


class AlreadyAnswered(SubmissionRefused):
    code = "already_answered"


class WaveNotOpen(SubmissionRefused):
    code = "not_open"


def invitation_for_token(token: str, *, link_state: bool = True) -> Invitation | None:
    """The invitation behind a survey link, with its wave and employee, and
    (with ``link_state``) whether the link was used, in one query.

    A frozen wave's questions never change, so each process reads them once
    (see :func:`frozen_questions`) instead of with every request.
    """
    if not token or len(token) > 100:
        return None
    invitations = Invitation.objects.select_related("wave", "employee").defer(
        "wave__snapshot", "wave__tree"
    )
    if link_state:
        used = SpentToken.objects.filter(digest=spent_hash(token))
        invitations = invitations.annotate(link_used=Exists(used))
    # The hash is unique: no ordering needed (``first()`` would add one).
    invitation = next(iter(invitations.filter(token_hash=hash_token(token))[:1]), None)
    if invitation is not None and invitation.wave.frozen_at is not None:
        wave = invitation.wave
        wave.snapshot, _ = frozen_questions(wave.pk, wave.frozen_at)
    return invitation


@functools.lru_cache(maxsize=64)
def frozen_questions(wave_id: int, frozen_at: dt.datetime) -> tuple[dict, Layout]:
    """A frozen wave's snapshot and the layout of its packed answers, cached
    per process (keyed by the moment it froze; treat both as read-only)."""
    snapshot = Wave.objects.values_list("snapshot", flat=True).get(pk=wave_id)
    return snapshot, layout_of(snapshot)


@transaction.atomic
def invitations_issue(*, wave: Wave, actor=None, send: bool = True) -> int:
    """Invite everyone in the wave's audience who has no invitation yet.

    With ``send``, e-mails go out after the transaction commits, in batches, as
    background tasks. Returns the number of new invitations.
    """
    if not wave.is_frozen:
        raise ValidationError(_("Open the wave before inviting people."))
    if wave.phase() == WavePhase.CLOSED:
        raise ValidationError(_("This wave is closed."))
    invited = Invitation.objects.filter(wave=wave).values("employee_id")
    employees = wave.audience_employees().exclude(pk__in=invited)
    created = Invitation.objects.bulk_create(
        [Invitation.new(wave=wave, employee=e) for e in employees], batch_size=1000
    )
    ids = list(
        Invitation.objects.filter(
            wave=wave, employee__in=[i.employee_id for i in created]
        ).values_list("pk", flat=True)
    )
    if send:
        _send_later(ids, reminder=False)
    _audit(actor, "invite", wave, f"new={len(ids)}")
    return len(ids)


def invitations_remind(*, wave: Wave, actor=None) -> int:
    """Remind those who have not answered; nobody else hears of it.

    Who has not answered is worked out inside the background task, with the
    server key, and stored nowhere: the task gets the wave's id only. Returns
    how many people the wave invited.
    """
    if wave.phase() != WavePhase.OPEN:
        raise ValidationError(_("Reminders can only go out while the wave is open."))
    wave_id = wave.pk
    _audit(actor, "remind", wave)
    transaction.on_commit(lambda: send_reminders.enqueue(wave_id))
    return Invitation.objects.filter(wave=wave).count()


def _send_later(ids: list[int], *, reminder: bool) -> None:
    for start in range(0, len(ids), INVITATION_BATCH):
        batch = ids[start : start + INVITATION_BATCH]
        transaction.on_commit(
            lambda batch=batch: send_invitation_emails.enqueue(batch, reminder)
        )


def response_submit(
    *,
    token: str,
    answers: dict,
    language: str | None = None,
    invitation: Invitation | None = None,
) -> Response:
    """Store one response, exactly once per invitation.

    Everything is checked against the wave's snapshot before anything is
    written, and before the link's state is looked at: invalid answers are
    refused whether or not the link was used. The response, its answers and a
    :class:`SpentToken` are written together in one transaction; the spent
    token's unique digest makes concurrent submissions with the same link
    store one response between them. No row that names a person is written,
    locked or changed. ``invitation`` spares the look-up when the caller has
    just made it with :func:`invitation_for_token` for this ``token``.

    Raises :class:`UnknownLink`, :class:`WaveNotOpen`, :class:`AlreadyAnswered`
    or :class:`surveys.validation.AnswerErrors`.
    """
    if invitation is None:
        # Whether the link was used is decided by the insert below.
        invitation = invitation_for_token(token, link_state=False)
    if invitation is None:
        raise UnknownLink(_("This survey link is not valid."))
    wave = invitation.wave
    if wave.phase() != WavePhase.OPEN:
        raise WaveNotOpen(_("This survey is not open."), wave=wave)
    snapshot, layout = frozen_questions(wave.pk, wave.frozen_at)
    clean = validate_answers(snapshot, answers, invitation.department_id)

    snapshot_languages = snapshot["languages"]
    if language not in snapshot_languages:
        language = invitation.employee.language
    if language not in snapshot_languages:
        language = snapshot["source_language"]
    department_id = invitation.department_id
    digest = spent_hash(token)
    try:
        # The spent token goes first: a used link fails there, before anything
        # else is written, and the whole transaction is undone.
        with transaction.atomic():
            SpentToken.objects.create(digest=digest, wave_id=wave.pk)
            response = Response.objects.create(
                wave_id=wave.pk,
                department_id=department_id,
                submitted_on=timezone.localdate(),
                language=language,
                answers=layout.pack(clean.numeric, clean.allocations),
            )
            if clean.comments:
                Comment.objects.bulk_create(
                    Comment(
                        wave_id=wave.pk,
                        department_id=department_id,
                        question=q,
                        text=text,
                    )
                    for q, text in clean.comments
                )
    except IntegrityError:
        if SpentToken.objects.filter(digest=digest).exists():
            raise AlreadyAnswered(
                _("This survey was already answered."), wave=wave
            ) from None
        raise
    return response


# Commitments --------------------------------------------------------------------


@transaction.atomic
def commitment_save(
    *, commitment: Commitment, actor=None, channel: str | None = None
) -> Commitment:
    """Record a commitment, or its changes (wording, status, progress notes),
    and write the audit log: who, which department, the status and what it
    was before (``channel``: see :func:`ownership.services.audit_record`)."""
    before = (
        Commitment.objects.filter(pk=commitment.pk)
        .values_list("status", flat=True)
        .first()
    )
    commitment.save()
    detail = f"{commitment.department.code}: {commitment.status}"
    if before is not None and before != commitment.status:
        detail += f" (was {before})"
    audit_record(
        actor=actor,
        channel=channel,
        action="commitment-create" if before is None else "commitment-change",
        wave_id=commitment.wave_id,
        detail=f"#{commitment.pk} {detail}",
    )
    return commitment
