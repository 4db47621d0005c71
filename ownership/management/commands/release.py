from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ownership.analytics import ReleaseRefused, due_releases, release_make
from surveys.models import Wave


class Command(BaseCommand):
    help = (
        "Publish results. With --wave: the next release of that wave (its final "
        "release once it has closed, else an interim release if the wave has "
        "interim results). With --due: every release the schedule owes (final "
        "releases of closed waves, daily interim releases); safe to run from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--wave", type=int, help="The wave's id")
        which.add_argument(
            "--due", action="store_true", help="Every release that is due"
        )

    def handle(self, *args, wave: int | None, due: bool, **options) -> None:
        start = time.perf_counter()
        if due:
            made = due_releases()
            for release in made:
                self._say(release, start)
            if not made:
                self.stdout.write("No release is due.")
            return
        try:
            chosen = Wave.objects.get(pk=wave)
        except Wave.DoesNotExist:
            raise CommandError(f"There is no wave with id {wave}.") from None
        self.stdout.write(f"{chosen.label}: reading responses and building reports …")
        try:
            release = release_make(wave=chosen)
        except ReleaseRefused as exc:
            raise CommandError(str(exc)) from None
        self._say(release, start)

    def _say(self, release, start: float) -> None:
        kind = "final" if release.final else "interim"
        self.stdout.write(
            f"{release.wave.label}: release {release.sequence} ({kind}) of "
            f"{release.created_on}, {release.respondents} respondent(s) "
            f"({time.perf_counter() - start:.1f} s)."
        )
