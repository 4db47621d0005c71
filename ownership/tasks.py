"""Background work for reports: warming the caches of closed waves."""

from __future__ import annotations

from django_tasks import task

from surveys.models import Wave


def warm_wave_reports(wave: Wave) -> list[str]:
    """Build and cache every organisation-wide report of ``wave``."""
    from ownership import analytics

    built = []
    for name in (
        "heatmap",
        "concentration",
        "reliability",
        "comments",
        "response_rates",
    ):
        getattr(analytics, f"full_{name}")(wave)
        built.append(name)
    return built


@task()
def warm_reports(wave_id: int) -> list[str]:
    wave = Wave.objects.filter(pk=wave_id, frozen_at__isnull=False).first()
    return warm_wave_reports(wave) if wave else []
