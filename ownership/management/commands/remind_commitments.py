from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date

from ownership.tasks import REMINDER_DAYS, send_commitment_reminders


class Command(BaseCommand):
    help = (
        f"E-mail department heads whose open commitments fall due within "
        f"{REMINDER_DAYS} days, once per commitment; safe to run daily from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            help="The day to count from, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, today: str | None, **options) -> None:
        if today is not None and parse_date(today) is None:
            raise CommandError(f"--today must be a date (YYYY-MM-DD), got {today!r}.")
        result = send_commitment_reminders.enqueue(today)
        sent = result.return_value if result.is_finished else None
        if sent is None:
            self.stdout.write("Reminders are being sent in the background.")
        else:
            self.stdout.write(f"{sent} reminder(s) sent.")
