"""Commitments: what a department promises after a wave's results, with notes
on how it goes. Employees see them in the next pulse, which asks them whether
they saw each one kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from ownership.models import Department
from ownership.permissions import ResultsScope


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class CommitmentQuerySet(models.QuerySet):
    def within(self, scope: ResultsScope) -> CommitmentQuerySet:
        """The commitments of the departments ``scope`` covers."""
        if scope.everything:
            return self
        return self.filter(department__in=scope.departments())


class Commitment(ClusterableModel):
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("department"),
        help_text=_(
            "The department that commits. Its employees, and those of the "
            "departments below it, see the commitment in the next pulse."
        ),
    )
    wave = models.ForeignKey(
        "surveys.Wave",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("in answer to"),
        help_text=_("The wave whose results this commitment answers."),
    )
    statement = models.CharField(
        _("commitment"),
        max_length=300,
        help_text=_(
            "One sentence employees will recognise, e.g. \u201cEvery complaint "
            "gets a personal call-back within one working day.\u201d"
        ),
    )
    language = models.CharField(
        _("written in"),
        max_length=10,
        choices=settings.WAGTAIL_CONTENT_LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("The commitment in other languages, by language code."),
    )
    construct = models.SlugField(
        _("theme"),
        max_length=60,
        blank=True,
        help_text=_("The theme of the survey it answers (optional)."),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PLANNED,
    )
    # The day its department heads were reminded that it falls due.
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-due_on", "-pk"]

    def __str__(self) -> str:
        return self.statement

    def text(self, language: str) -> str:
        """The commitment in ``language``, or as written."""
        return self.translations.get(language) or self.statement


class CommitmentNote(Orderable):
    """A dated note on how a commitment is going."""

    commitment = ParentalKey(Commitment, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.CharField(_("progress"), max_length=500)

    class Meta(Orderable.Meta):
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"{self.written_on}: {self.text}"
