"""Background work for reports: making releases."""

from __future__ import annotations

from django_tasks import task

from ownership.analytics import ReleaseRefused, release_make
from surveys.models import Wave


@task()
def release_wave(wave_id: int) -> int | None:
    """Make the next release of a wave (its final one once it has closed).

    Returns the release's sequence number, or ``None`` when the wave has none
    to make (still open without interim results, or already released).
    """
    wave = Wave.objects.filter(pk=wave_id, frozen_at__isnull=False).first()
    if wave is None:
        return None
    try:
        return release_make(wave=wave).sequence
    except ReleaseRefused:
        return None


def on_wave_closed(sender, *, wave_id: int, **kwargs) -> None:
    release_wave.enqueue(wave_id)
