"""The demo data set, built in steps that ``seed_demo`` runs in order.

Each step is a function ``step(ctx: DemoContext) -> None`` that is safe to run
again on a database it has already seeded; ``DEMO_STEPS`` lists them in order.
"""

from __future__ import annotations

from ownership.analytics import release_make, release_of
from ownership.demo import DemoContext, seed_accounts, seed_events, seed_organisation
from surveys.demo import seed_responses, seed_surveys
from surveys.models import Wave, WavePhase

__all__ = ["DEMO_STEPS", "DemoContext", "run_demo"]


def seed_releases(ctx: DemoContext) -> None:
    """Publish the demo's results: the final release of every closed wave
    (oldest first, so each can compare with the one before), and, with interim
    results switched on, a first interim release of the open wave."""
    for wave in Wave.objects.frozen().order_by("opens_at", "pk"):
        if wave.is_open:
            if not wave.interim_results:
                Wave.objects.filter(pk=wave.pk).update(interim_results=True)
                wave.refresh_from_db()
            if release_of(wave) is not None:
                continue
        elif wave.releases.filter(final=True).exists():
            continue
        elif wave.phase() != WavePhase.CLOSED:
            continue
        # Past waves: nobody is told their results are out.
        release = release_make(wave=wave, announce=False)
        kind = "final" if release.final else "interim"
        ctx.write(
            f"Results: {wave.label}: {kind} release {release.sequence}, "
            f"{release.respondents} respondents."
        )


DEMO_STEPS = [
    seed_organisation,
    seed_events,
    seed_accounts,
    seed_surveys,
    seed_responses,
    seed_releases,
]


def run_demo(ctx: DemoContext) -> None:
    for step in DEMO_STEPS:
        step(ctx)
