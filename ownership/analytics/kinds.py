"""Report kinds: each declared once, everything else derived from the declaration.

A :class:`ReportKind` names a report, its dataclass and its builder. A release
builds and stores every registered kind; pages, exports, the API and
``manage.py report`` find a kind here by name. Builders receive a
:class:`Inputs`: the wave's admitted responses, the release's one disclosure
decision and the other reports of the same release.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ownership.models import OrganisationEvent
from surveys.models import Release, Wave

from .comments import Comments, build_comments
from .commitments import Commitments, build_commitments
from .concentration import build_concentration
from .decisions import Disclosure
from .drivers import Drivers, build_drivers
from .exports import ROW_BUILDERS
from .heatmap import build_heatmap
from .loading import WaveData, load_wave
from .rates import ResponseRates, build_rates
from .reliability import Reliability, build_reliability
from .reports import Concentration, EventRef, Heatmap
from .themes import Themes, build_themes, theme_rows


@dataclass
class Inputs:
    """What a builder may read while a release is made."""

    wave: Any
    sequence: int
    final: bool
    data: WaveData
    disclosure: Disclosure
    # The previous wave's final release, read through ``published(kind)``.
    previous_wave: Any = None
    built: dict[str, Any] = field(default_factory=dict)
    published: Callable[[Any, str], Any] | None = None

    def report(self, kind: str) -> Any:
        """Another report of the same release (built first if need be)."""
        if kind not in self.built:
            self.built[kind] = KINDS[kind].build(self)
        return self.built[kind]

    def previous(self, kind: str) -> Any:
        """``kind`` from the previous wave's final release, if there is one."""
        if self.previous_wave is None or self.published is None:
            return None
        return self.published(self.previous_wave, kind)


@dataclass(frozen=True)
class ReportKind:
    """One report kind.

    ``name`` is its key everywhere (API action, export, command, storage);
    ``url_path`` the last part of its API URL; ``report`` the frozen dataclass
    the builder returns; ``build`` turns :class:`Inputs` into that report.
    """

    name: str
    title: str | Promise
    report: type
    build: Callable[[Inputs], Any]
    url_path: str = ""
    description: str = ""

    @property
    def path(self) -> str:
        return self.url_path or self.name.replace("_", "-")


KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    if kind.name in KINDS:
        raise ValueError(f"report kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind
    return kind


# The kinds every release holds ---------------------------------------------


def _heatmap(inputs: Inputs):
    return build_heatmap(
        inputs.data, inputs.disclosure, previous=inputs.previous("heatmap")
    )


def cco_baseline(inputs: Inputs):
    """The latest "CCO appointed" event, whether the wave opened on or after
    its date, and the baseline: the latest wave of the same survey that opened
    before it, as its final release published it (its responses and its
    concentration report), or ``None`` if it has no final release."""
    wave = inputs.wave
    event = OrganisationEvent.objects.latest_cco_appointment()
    if event is None:
        return None, False, None, None
    ref = EventRef(event.title, event.date.isoformat())
    # ``opens_at__date`` compares in the current time zone; so does this.
    opened_after = timezone.localdate(wave.opens_at) >= event.date
    earlier = (
        Wave.objects.frozen()
        .filter(survey_id=wave.survey_id, opens_at__date__lt=event.date)
        .exclude(pk=wave.pk)
        .order_by("-opens_at")
        .first()
        if opened_after
        else None
    )
    final = (
        Release.objects.filter(wave=earlier, final=True).first() if earlier else None
    )
    if final is None or inputs.published is None:
        return ref, opened_after, None, None
    return (
        ref,
        opened_after,
        load_wave(earlier, released_in=final.sequence),
        inputs.published(earlier, "concentration"),
    )


def _concentration(inputs: Inputs):
    event, opened_after, baseline, baseline_report = cco_baseline(inputs)
    return build_concentration(
        inputs.data,
        inputs.disclosure,
        event=event,
        opened_after_event=opened_after,
        baseline=baseline,
        baseline_report=baseline_report,
    )


def _reliability(inputs: Inputs):
    return build_reliability(inputs.data, inputs.report("heatmap"), inputs.disclosure)


def _comments(inputs: Inputs):
    return build_comments(
        inputs.data, inputs.disclosure, inputs.wave, final=inputs.final
    )


def _commitments(inputs: Inputs):
    return build_commitments(inputs.data, inputs.disclosure)


def _drivers(inputs: Inputs):
    return build_drivers(inputs.data, inputs.disclosure, departments=inputs.final)


def _themes(inputs: Inputs):
    return build_themes(inputs.data, inputs.disclosure, inputs.wave, final=inputs.final)


def _rates(inputs: Inputs):
    return build_rates(inputs.data, inputs.disclosure, is_open=not inputs.final)


register(
    ReportKind(
        "heatmap",
        _("Department heatmap"),
        Heatmap,
        _heatmap,
        description=(
            "Each department's mean, favourable share (with Wilson interval), "
            "difference to the organisation, change since the previous wave "
            "and agreement, per construct, plus NPS and response rate."
        ),
    )
)
register(
    ReportKind(
        "concentration",
        _("Responsibility concentration"),
        Concentration,
        _concentration,
        description=(
            "How each department allocates responsibility for customers "
            "between designated owners (CCO, customer service) and "
            "themselves, with bootstrap intervals, the before/after "
            "comparison around the CCO's appointment, the Lorenz curve and a "
            "verdict. The CSV is in long format: one row per department and "
            "locus."
        ),
    )
)
register(
    ReportKind(
        "reliability",
        _("Reliability and agreement"),
        Reliability,
        _reliability,
        description=(
            "Cronbach's alpha (with interval), omega, ICC(1), ICC(2) and item "
            "statistics per construct, and rwg(j) per department."
        ),
    )
)
register(
    ReportKind(
        "response_rates",
        _("Response rates"),
        ResponseRates,
        _rates,
        description="Invitations issued and answered per department (counts only).",
    )
)
register(
    ReportKind(
        "comments",
        _("Comments"),
        Comments,
        _comments,
        description=(
            "Free-text comments per department, only for groups of at least "
            "the comment threshold, in random order. Published with the final "
            "release only."
        ),
    )
)
register(
    ReportKind(
        "commitments",
        _("Commitments kept"),
        Commitments,
        _commitments,
        description=(
            "Whether employees saw their departments' commitments kept: per "
            "commitment and department, the share who saw it mostly or fully "
            "kept among those who judged (with Wilson interval), the mean "
            "answer (1 not kept at all .. 5 fully kept), the share who did not "
            "know, n, and the status the department reports."
        ),
    )
)
register(
    ReportKind(
        "drivers",
        _("Key drivers"),
        Drivers,
        _drivers,
        description=(
            "Which themes go with felt responsibility, the recommendation "
            "score and the distributed share of responsibility most: "
            "Johnson's relative weights of the constructs (they sum to the "
            "model's R²) with 95 % percentile bootstrap intervals, for the "
            "organisation and every department with at least "
            "DRIVERS_MIN_RESPONDENTS complete respondents; final release only."
        ),
    )
)
ROW_BUILDERS["themes"] = theme_rows
register(
    ReportKind(
        "themes",
        _("Comment themes"),
        Themes,
        _themes,
        description=(
            "What people write about: themes found in the free-text comments "
            "on the server (language detected per comment, Snowball stems, "
            "TF-IDF and non-negative matrix factorisation), each with its top "
            "terms, its count, its count per department and example comments; "
            "only for groups of at least the comment threshold, with the final "
            "release."
        ),
    )
)
