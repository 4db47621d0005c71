"""Waves: one run of a survey, with its frozen questions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownership.models import Department, Employee

from ..questions import question_type

MIN_GROUP_SIZE_FLOOR = 3
DEFAULT_MIN_GROUP_SIZE = 5


class WavePhase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class WaveQuerySet(models.QuerySet):
    def frozen(self) -> WaveQuerySet:
        return self.filter(frozen_at__isnull=False)

    def in_phase(self, phase: str, now=None) -> WaveQuerySet:
        """The waves in ``phase`` (a :class:`WavePhase`) at ``now``, as
        :meth:`Wave.phase` would say."""
        now = now or timezone.now()
        phase = WavePhase(phase)
        if phase == WavePhase.DRAFT:
            return self.filter(frozen_at__isnull=True)
        if phase == WavePhase.SCHEDULED:
            return self.frozen().filter(opens_at__gt=now)
        if phase == WavePhase.OPEN:
            return self.frozen().filter(opens_at__lte=now, closes_at__gt=now)
        return self.frozen().filter(closes_at__lte=now)

    def open(self, now=None) -> WaveQuerySet:
        return self.in_phase(WavePhase.OPEN, now)

    def closed(self, now=None) -> WaveQuerySet:
        return self.in_phase(WavePhase.CLOSED, now)


class Wave(models.Model):
    """One run of a survey.

    The phase is derived, never stored: a wave is a *draft* until it is opened,
    which freezes ``snapshot``; then it is *scheduled* before ``opens_at``,
    *open* until ``closes_at`` and *closed* after it. "Close now" simply moves
    ``closes_at`` to the present.
    """

    survey = models.ForeignKey(
        "surveys.SurveyPage",
        verbose_name=_("survey"),
        on_delete=models.PROTECT,
        related_name="waves",
    )
    label = models.CharField(
        _("label"), max_length=120, help_text=_("For example 'March 2026 pulse'.")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    audience = models.ManyToManyField(
        Department,
        verbose_name=_("audience"),
        related_name="+",
        help_text=_(
            "Departments whose people are invited, each with everything below it."
        ),
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum reporting group size"),
        default=DEFAULT_MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE_FLOOR), MaxValueValidator(100)],
        help_text=_(
            "Results are shown only for groups of at least this many respondents "
            "(never fewer than 3; 5 is the usual choice)."
        ),
    )
    repeat_every_weeks = models.PositiveSmallIntegerField(
        _("repeat every N weeks"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_(
            "For a recurring pulse: when this wave opens, the next one is prepared "
            "N weeks later with the same survey, audience and settings."
        ),
    )
    interim_results = models.BooleanField(
        _("interim results"),
        default=False,
        help_text=_(
            "Off: results are published once, after the wave closes. On: provisional "
            "results are also published while it runs (at most daily); a figure "
            "moves only when at least k new respondents stand behind the change."
        ),
    )
    snapshot = models.JSONField(
        _("frozen questions"), null=True, blank=True, editable=False
    )
    tree = models.JSONField(
        _("frozen department tree"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The departments (codes, names, parents) as they were when the wave "
            "opened; every release of the wave groups results by this tree."
        ),
    )
    frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    follows = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="followed_by",
        help_text=_("The wave of a recurring pulse this one follows."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.survey.title})" if self.survey_id else self.label

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A wave must close after it opens.")})

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def phase(self, now=None) -> WavePhase:
        now = now or timezone.now()
        if not self.is_frozen:
            return WavePhase.DRAFT
        if now < self.opens_at:
            return WavePhase.SCHEDULED
        if now < self.closes_at:
            return WavePhase.OPEN
        return WavePhase.CLOSED

    @property
    def is_open(self) -> bool:
        return self.phase() == WavePhase.OPEN

    @property
    def estimated_minutes(self) -> int:
        """About how long answering takes, from the frozen questions.

        Seconds per question are the type's ``seconds``: a statement or a
        choice is read and answered in about 10-12 s, splitting 100 points
        takes about a minute and a comment about 45 s; rounded up to whole
        minutes, at least one.
        """
        total = sum(
            question_type(q["type"]).seconds
            for q in (self.snapshot or {}).get("questions", [])
        )
        return max(1, -(-total // 60))

    def untranslated_languages(self) -> list[str]:
        """Languages of people in the audience that the survey has no live
        translation in (they would get the survey's own language)."""
        if self.survey_id is None:
            return []
        wanted = set(
            self.audience_employees().values_list("language", flat=True).distinct()
        )
        page = self.survey
        have = set(
            page.get_translations(inclusive=True)
            .live()
            .values_list("locale__language_code", flat=True)
        ) | {page.locale.language_code}
        return sorted(code for code in wanted - have if code)

    def audience_departments(self) -> models.QuerySet[Department]:
        """Every department in the audience, subtrees included."""
        return Department.objects.within(self.audience.values_list("path", flat=True))

    def audience_employees(self) -> models.QuerySet[Employee]:
        return Employee.objects.active().filter(
            department__in=self.audience_departments()
        )

    def previous_wave(self) -> Wave | None:
        """The last frozen wave of the same survey that opened before this one."""
        return (
            Wave.objects.frozen()
            .filter(survey_id=self.survey_id, opens_at__lt=self.opens_at)
            .order_by("-opens_at")
            .first()
        )
