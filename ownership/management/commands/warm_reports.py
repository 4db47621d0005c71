from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from ownership.tasks import warm_wave_reports
from surveys.models import Wave


class Command(BaseCommand):
    help = (
        "Build and cache the reports of closed waves (or of one wave), so the first "
        "HR visitor does not wait. Safe to run from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wave", type=int, help="Only this wave")

    def handle(self, *args, wave: int | None, **options) -> None:
        waves = Wave.objects.closed().order_by("opens_at")
        if wave is not None:
            waves = Wave.objects.frozen().filter(pk=wave)
            if not waves.exists():
                self.stderr.write(f"There is no opened wave with id {wave}.")
                return
        for item in waves:
            start = time.perf_counter()
            built = warm_wave_reports(item)
            self.stdout.write(
                f"{item.label}: {', '.join(built)} "
                f"({time.perf_counter() - start:.2f} s)"
            )
