"""The demo data set, built in steps that ``seed_demo`` runs in order.

Each step is a function ``step(ctx: DemoContext) -> None`` that is safe to run
again on a database it has already seeded. Apps add their own steps to
``DEMO_STEPS``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import import_string

DEMO_STEPS: list[str] = [
    "ownership.demo.seed_organisation",
    "ownership.demo.seed_events",
    "ownership.demo.seed_accounts",
    "surveys.demo.seed_surveys",
    "surveys.demo.seed_responses",
    "cms.demo.seed_releases",
]


@dataclass
class DemoContext:
    seed: int
    employees: int
    reset_passwords: bool
    write: Callable[[str], None]
    passwords: dict[str, str] = field(default_factory=dict)

    def rng(self, step: str) -> random.Random:
        """A generator per step, so adding a step never changes another's data."""
        return random.Random(f"{self.seed}:{step}")  # noqa: S311 - demo data only


def run_demo(ctx: DemoContext) -> None:
    for dotted in DEMO_STEPS:
        import_string(dotted)(ctx)


def seed_releases(ctx: DemoContext) -> None:
    """Publish the demo's results: the final release of every closed wave
    (oldest first, so each can compare with the one before), and, with interim
    results switched on, a first interim release of the open wave."""
    from ownership.analytics import release_make, release_of
    from surveys.models import Wave

    for wave in Wave.objects.frozen().order_by("opens_at", "pk"):
        if wave.is_open:
            if not wave.interim_results:
                Wave.objects.filter(pk=wave.pk).update(interim_results=True)
                wave.refresh_from_db()
            if release_of(wave) is not None:
                continue
        elif wave.releases.filter(final=True).exists():
            continue
        elif not wave.phase() == "closed":
            continue
        release = release_make(wave=wave)
        kind = "final" if release.final else "interim"
        ctx.write(
            f"Results: {wave.label}: {kind} release {release.sequence}, "
            f"{release.respondents} respondents."
        )
