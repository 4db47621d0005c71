"""Demo surveys: the default pulse, four closed monthly waves and an open one."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from ownership.demo import cco_appointment_date
from ownership.models import Department

from .defaults import survey_create_default
from .models import Wave
from .services import wave_open

if TYPE_CHECKING:
    from cms.demo import DemoContext


def demo_wave_plan(
    today: dt.date | None = None,
) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """(label, opens, closes) of the demo waves: the first two weeks of each of
    the four months before this one, then one open now."""
    today = today or timezone.localdate()
    first = cco_appointment_date(today).replace(day=1)
    plan = []
    for offset in range(4):
        month = (first.month - 1 + offset) % 12 + 1
        year = first.year + (first.month - 1 + offset) // 12
        opens = dt.date(year, month, 1)
        plan.append(
            (
                f"Pulse {opens:%B %Y}",
                _aware(opens),
                _aware(opens + dt.timedelta(days=14)),
            )
        )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    plan.append(
        (
            f"Pulse {today:%B %Y}",
            now - dt.timedelta(days=3),
            now + dt.timedelta(days=11),
        )
    )
    return plan


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))


def seed_surveys(ctx: DemoContext) -> None:
    survey = survey_create_default()
    board = Department.objects.get(code="BOARD")
    for label, opens, closes in demo_wave_plan():
        wave, created = Wave.objects.get_or_create(
            survey=survey,
            label=label,
            defaults={"opens_at": opens, "closes_at": closes},
        )
        if created:
            wave.audience.set([board])
        if not wave.is_frozen:
            # Freeze as of the opening day, so past waves can be recreated.
            wave_open(wave=wave, now=wave.opens_at)
    ctx.write(
        f"Survey '{survey.title}' with {survey.waves.count()} waves "
        f"({survey.waves.filter(closes_at__lte=timezone.now()).count()} closed)."
    )
