"""Making, storing and reading releases.

:func:`release_make` is the only code that computes results: it reads a wave's
responses once, takes one disclosure decision for all report kinds (consistent
with the wave's earlier releases, see :mod:`.decisions`), builds every
registered kind and stores them, already suppressed, as an immutable
:class:`~surveys.models.Release`. Everything else reads stored releases.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from surveys.models import Release, ReleaseReport, Response, Wave, WavePhase

from .comments import comment_threshold
from .decisions import columns_of, decide, visible_from_json
from .drivers import columns as driver_columns
from .kinds import KINDS, Inputs
from .loading import load_wave
from .reports import from_data, to_data
from .signals import release_made

logger = logging.getLogger(__name__)


class ReleaseRefused(Exception):
    """No release can be made now; the message says why."""


def _next_kind(wave: Wave, *, now: dt.datetime) -> bool:
    """Whether the next release of ``wave`` is its final one (else interim);
    raises :class:`ReleaseRefused` when it can have none now."""
    phase = wave.phase(now)
    if phase == WavePhase.CLOSED:
        if Release.objects.filter(wave=wave, final=True).exists():
            raise ReleaseRefused(
                _("Wave %(id)d already has its final release.") % {"id": wave.pk}
            )
        return True
    if phase == WavePhase.OPEN and wave.interim_results:
        return False
    if phase == WavePhase.OPEN:
        raise ReleaseRefused(
            _(
                "Wave %(id)d is open and publishes results only after it closes "
                "(interim results are off)."
            )
            % {"id": wave.pk}
        )
    raise ReleaseRefused(
        _("Wave %(id)d has not opened yet; it has no results.") % {"id": wave.pk}
    )


def release_make(
    *, wave: Wave, now: dt.datetime | None = None, announce: bool = True
) -> Release:
    """Make the next release of ``wave``: its final release once it has closed,
    else (with ``interim_results``) an interim one. ``announce=False`` (the
    demo's past waves) tells nobody that its results are out.

    Raises :class:`ReleaseRefused` with the reason when there is none to make.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # One release at a time per wave: the lock orders concurrent makers.
        wave = Wave.objects.select_for_update().get(pk=wave.pk)
        final = _next_kind(wave, now=now)
        earlier = list(Release.objects.filter(wave=wave).order_by("sequence"))
        sequence = len(earlier) + 1
        data = load_wave(wave)
        history = [visible_from_json(r.disclosure, len(data.nodes)) for r in earlier]
        columns = columns_of(data, comment_threshold(wave))
        if final:
            columns += driver_columns(data)
        disclosure = decide(
            data, columns, history, sequence, candidates=data.released_in == 0
        )
        admitted = data.subset(disclosure.admitted)
        inputs = Inputs(
            wave=wave,
            sequence=sequence,
            final=final,
            data=admitted,
            disclosure=disclosure,
            previous_wave=wave.previous_wave(),
            published=published_report,
        )
        provenance = {
            "release": sequence,
            "provisional": not final,
            "released_on": timezone.localdate(now),
        }
        with translation.override(settings.LANGUAGE_CODE):
            reports = {
                name: dataclasses.replace(inputs.report(name), **provenance)
                for name in KINDS
            }
        release = Release.objects.create(
            wave=wave,
            sequence=sequence,
            final=final,
            created_on=timezone.localdate(now),
            tree=wave.tree,
            disclosure=disclosure.to_json(),
            respondents=admitted.n_responses,
        )
        # One insert per kind: a bulk insert sends the reports as one array,
        # whose escaping costs seconds for a large organisation's reports.
        for name, report in reports.items():
            ReleaseReport.objects.create(
                release=release, kind=name, data=to_data(report)
            )
        new = disclosure.admitted & (data.released_in == 0)
        _mark_released(data.response_ids[new].tolist(), sequence)
        transaction.on_commit(
            lambda: release_made.send(
                Release, release_id=release.pk, final=final, announce=announce
            )
        )
        return release


def _mark_released(ids: list, sequence: int) -> None:
    """Record that release ``sequence`` first included the responses ``ids``
    (exactly those read: an open wave's later responses wait for the next).

    On PostgreSQL the ids are copied into a temporary table and joined, which
    takes a fraction of a second for 100,000 of them; a list of that many
    parameters costs seconds to send.
    """
    if connection.vendor == "postgresql" and len(ids) > 1000:
        table = Response._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE released_now (id uuid PRIMARY KEY) "
                "ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY released_now (id) FROM STDIN") as copy:
                for pk in ids:
                    copy.write_row((pk,))
            cursor.execute(
                f"UPDATE {table} AS r SET released_in = %s "  # noqa: S608 - our table
                "FROM released_now AS n WHERE r.id = n.id",
                [sequence],
            )
            cursor.execute("DROP TABLE released_now")
        return
    for start in range(0, len(ids), 5000):
        Response.objects.filter(pk__in=ids[start : start + 5000]).update(
            released_in=sequence
        )


# Reading -------------------------------------------------------------------


def release_of(wave: Wave, sequence: int | None = None) -> Release | None:
    """Release ``sequence`` of ``wave``, or its latest; ``None`` if none.

    A release never changes, so its frozen tree and disclosure decision (large
    in a large organisation) are read once per process.
    """
    releases = Release.objects.filter(wave=wave).defer("tree", "disclosure")
    if sequence is not None:
        release = releases.filter(sequence=sequence).first()
    else:
        release = releases.order_by("-sequence").first()
    if release is not None:
        release.tree, release.disclosure = _frozen_parts(release.uid)
    return release


@functools.lru_cache(maxsize=64)
def _frozen_parts(uid) -> tuple[Any, Any]:
    return Release.objects.values_list("tree", "disclosure").get(uid=uid)


@functools.lru_cache(maxsize=256)
def _stored(uid, kind: str) -> Any:
    """A stored report as its dataclass. Releases never change, so a parsed
    report stays valid for as long as the process lives."""
    data = (
        ReleaseReport.objects.filter(release__uid=uid, kind=kind)
        .values_list("data", flat=True)
        .first()
    )
    return None if data is None else from_data(KINDS[kind].report, data)


def stored_report(release: Release, kind: str) -> Any:
    """``kind`` of ``release`` (the whole organisation, not scoped)."""
    if kind not in KINDS:
        raise KeyError(kind)
    return _stored(release.uid, kind)


def published_report(wave: Wave, kind: str) -> Any:
    """``kind`` as the final release of ``wave`` published it, or ``None``."""
    final = Release.objects.filter(wave=wave, final=True).first()
    return stored_report(final, kind) if final else None


def latest_releases(waves: list[Wave]) -> dict[int, Release]:
    """The latest release of each wave that has one (a few queries)."""
    latest: dict[int, Release] = {}
    for release in Release.objects.filter(wave__in=waves).order_by("sequence"):
        latest[release.wave_id] = release
    return latest


def due_releases(*, now: dt.datetime | None = None) -> list[Release]:
    """The releases the schedule owes: the final release of every closed wave
    without one, and a daily interim release of every open wave with interim
    results whose latest release is older than today."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    owed = list(Wave.objects.closed(now).exclude(releases__final=True))
    for wave in Wave.objects.open(now).filter(interim_results=True):
        latest = release_of(wave)
        if latest is None or latest.created_on < today:
            owed.append(wave)
    made = []
    for wave in owed:
        # One wave's failure is logged and leaves the others to be made.
        try:
            made.append(release_make(wave=wave, now=now))
        except Exception:
            logger.exception("The release of wave %s failed.", wave.pk)
    return made
