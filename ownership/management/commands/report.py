from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ownership import analytics
from ownership.analytics.exports import report_rows, write_csv
from ownership.permissions import EVERYTHING
from surveys.models import Wave


class Command(BaseCommand):
    help = (
        "Print a stored report of a wave's release as HR would get it (full "
        "access, suppression applied), as JSON or CSV, for scripts and BI tools."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[*analytics.KINDS, "trends"])
        parser.add_argument(
            "--wave",
            type=int,
            required=True,
            help="Wave id (for trends: any wave of the survey)",
        )
        parser.add_argument(
            "--release",
            type=int,
            help="The release's number within the wave (default: the latest)",
        )
        parser.add_argument("--format", choices=("json", "csv"), default="json")

    def handle(self, *args, kind: str, wave: int, release, format: str, **options):
        try:
            wave_obj = Wave.objects.get(pk=wave)
        except Wave.DoesNotExist:
            raise CommandError(f"There is no wave with id {wave}.") from None
        if release is not None and release < 1:
            raise CommandError("--release must be 1 or more.")
        try:
            if kind == "trends":
                report = analytics.trends(wave_obj.survey, EVERYTHING)
            else:
                report = analytics.report(kind, wave_obj, EVERYTHING, release=release)
        except analytics.NoRelease as exc:
            raise CommandError(f"Wave {wave}: {exc}") from None
        if format == "json":
            self.stdout.write(
                json.dumps(analytics.to_data(report), indent=2, ensure_ascii=False)
            )
            return
        header, rows = report_rows(kind, report)
        write_csv(self.stdout, header, rows)
