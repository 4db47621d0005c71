from __future__ import annotations

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.models import Invitation, Wave
from surveys.services import invitations_issue, invitations_remind


class Command(BaseCommand):
    help = (
        "Invite the wave's audience. By default invitations go out by e-mail; with "
        "--output the personal links are written to a CSV instead, for delivery "
        "through your own channel. --remind e-mails those who have not answered."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wave", type=int, required=True, help="Wave id")
        parser.add_argument(
            "--output",
            type=Path,
            help="Write email,link for every unanswered invitation to this CSV file "
            "and send no e-mail.",
        )
        parser.add_argument(
            "--remind",
            action="store_true",
            help="Send reminders to those who have not answered yet.",
        )

    def handle(self, *args, wave: int, output: Path | None, remind: bool, **options):
        try:
            wave_obj = Wave.objects.get(pk=wave)
        except Wave.DoesNotExist:
            raise CommandError(f"There is no wave with id {wave}.") from None
        try:
            if remind:
                invitations_remind(wave=wave_obj)
                self.stdout.write(
                    self.style.SUCCESS(
                        "Reminders are being sent to everyone who has not answered yet."
                    )
                )
                return
            created = invitations_issue(wave=wave_obj, send=output is None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"{created} new invitation(s) for '{wave_obj.label}'.")
        if output is None:
            self.stdout.write(self.style.SUCCESS("E-mails are on their way."))
            return
        # Every invitation, answered or not: a link export never tells who
        # answered (a used link opens the "already answered" page).
        links = (
            Invitation.objects.filter(wave=wave_obj)
            .select_related("employee")
            .order_by("employee__email", "pk")
        )
        try:
            with output.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(["email", "name", "language", "link"])
                for invitation in links:
                    employee = invitation.employee
                    writer.writerow(
                        [
                            employee.email,
                            employee.display_name,
                            employee.language,
                            f"{invitation.link()}?lang={employee.language}",
                        ]
                    )
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {links.count()} personal link(s) to {output}.")
        )
