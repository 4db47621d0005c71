"""Releases: the one place results are published from.

A :class:`Release` is an immutable publication of one wave's results: every
report kind, already through disclosure control, stored as the JSON every page,
export and API answer renders. Nothing computes results on request, so what a
reader can compare is exactly the sequence of releases, and nothing finer.

``ownership.analytics`` makes releases; this module only keeps them.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Immutable(Exception):
    """A release (or one of its reports) was about to be changed or deleted."""


class ImmutableQuerySet(models.QuerySet):
    def delete(self):
        raise Immutable("Releases are never deleted, except with their wave.")

    def update(self, **kwargs):
        raise Immutable("Releases are never changed.")


class ReleaseQuerySet(ImmutableQuerySet):
    def latest_of(self, wave) -> Release | None:
        return self.filter(wave=wave).order_by("-sequence").first()


class ImmutableModel(models.Model):
    """Rows that are written once and then only ever deleted with their wave."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Immutable("Releases are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable("Releases are never deleted, except with their wave.")


class Release(ImmutableModel):
    """One publication of a wave's results (1, 2, … per wave).

    ``final`` marks the release made when the wave closed; the others are
    interim and provisional. ``tree`` is the frozen department tree the release
    was computed on, ``disclosure`` which department each column showed (what
    later releases of the wave must stay consistent with).
    """

    uid = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("The release's identity (the API's ETag is derived from it)."),
    )
    wave = models.ForeignKey(
        "surveys.Wave",
        verbose_name=_("wave"),
        on_delete=models.CASCADE,
        related_name="releases",
    )
    sequence = models.PositiveSmallIntegerField(_("release"))
    final = models.BooleanField(_("final"), default=False)
    created_on = models.DateField(_("released on"))
    tree = models.JSONField(_("department tree"), editable=False)
    disclosure = models.JSONField(_("disclosure decisions"), editable=False)
    respondents = models.PositiveIntegerField(
        _("respondents"), help_text=_("Responses behind this release's figures.")
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["wave", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "sequence"], name="one_release_per_wave_and_sequence"
            ),
            models.UniqueConstraint(
                fields=["wave"],
                condition=models.Q(final=True),
                name="one_final_release_per_wave",
            ),
        ]

    def __str__(self) -> str:
        kind = _("final") if self.final else _("interim")
        return f"{self.wave_id} #{self.sequence} ({kind}, {self.created_on})"

    @property
    def provisional(self) -> bool:
        return not self.final

    @property
    def respondents_shown(self) -> int | None:
        """``respondents`` where the release shows the organisation's count,
        else ``None`` (fewer than k)."""
        shown = 0 in (self.disclosure or {}).get("respondents", [])
        return self.respondents if shown else None


class ReleaseReport(ImmutableModel):
    """One report kind of a release, as the JSON the API serves."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(max_length=40)
    data = models.JSONField()

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "kind"], name="one_report_per_release_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.release} {self.kind}"
