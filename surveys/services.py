"""Workflows that change surveys and waves."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SurveyPage, Wave
from .snapshot import snapshot_build


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
    wave.frozen_at = now
    wave.save(update_fields=["snapshot", "frozen_at"])
    if wave.repeat_every_weeks:
        wave_prepare_next(wave=wave)
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
