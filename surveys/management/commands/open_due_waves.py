from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils import timezone

from surveys.models import Wave, WavePhase
from surveys.services import invitations_issue, wave_open


class Command(BaseCommand):
    help = (
        "Open the prepared waves of recurring pulses whose opening time has come, "
        "and invite their audience. Run it from cron, e.g. every 15 minutes."
    )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        due = (
            Wave.objects.in_phase(WavePhase.DRAFT)
            .filter(follows__isnull=False, opens_at__lte=now, closes_at__gt=now)
            .order_by("opens_at")
        )
        if not due.exists():
            self.stdout.write("No prepared wave is due.")
            return
        for wave in due:
            try:
                wave = wave_open(wave=wave, now=now)
                invited = invitations_issue(wave=wave)
            except ValidationError as exc:
                self.stderr.write(f"{wave.label}: not opened: {' '.join(exc.messages)}")
                continue
            self.stdout.write(f"{wave.label}: opened, {invited} invitation(s) sent.")
