from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ownership.services import OrgImportError, org_import


class Command(BaseCommand):
    help = (
        "Import departments and employees from an HRIS CSV export (columns: "
        "external_id, email, name, department_code, department_name, "
        "parent_department_code, customer_facing, language). All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="CSV file, UTF-8 with or without BOM"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without changing it.",
        )
        parser.add_argument(
            "--allow-mass-deactivation",
            action="store_true",
            help="Allow deactivating more than 20 %% of the active employees.",
        )

    def handle(
        self, *args, file: Path, dry_run: bool, allow_mass_deactivation: bool, **options
    ) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        verbose = options["verbosity"] > 0
        try:
            report = org_import(
                data=data,
                dry_run=dry_run,
                allow_mass_deactivation=allow_mass_deactivation,
                progress=self._progress if verbose else None,
            )
        except OrgImportError as exc:
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{file}: {len(exc.problems)} problem(s); nothing was imported."
            ) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _progress(self, stage: str, done: int, total: int) -> None:
        if total >= 2000:
            self.stdout.write(f"{stage}: {done:,}/{total:,}")
