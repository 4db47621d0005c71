from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cms.demo import DemoContext, run_demo


class Command(BaseCommand):
    help = (
        "Create the demo insurer 'Beispiel Versicherung AG' with its organisation, "
        "events and demo logins. Deterministic for a given --seed; safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--employees", type=int, default=600, help="Headcount (default 600)."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed (default 2026)."
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo logins new passwords and print them.",
        )

    def handle(
        self, *args, employees: int, seed: int, reset_passwords: bool, **options
    ) -> None:
        ctx = DemoContext(
            seed=seed,
            employees=employees,
            reset_passwords=reset_passwords,
            write=self.stdout.write,
        )
        try:
            run_demo(ctx)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        if ctx.passwords:
            admin = f"{settings.WAGTAILADMIN_BASE_URL}/admin/"
            self.stdout.write(f"Demo logins for {admin} :")
            for username, password in ctx.passwords.items():
                self.stdout.write(f"  {username:<12} {password}")
        else:
            self.stdout.write(
                "Demo logins already exist; run with --reset-passwords for new ones."
            )
