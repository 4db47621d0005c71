"""The HR views: thin adapters from a request to a report object and a template.

Each view picks the wave, asks ``ownership.analytics`` for a report (which
applies disclosure control and the viewer's scope), writes the audit log and
renders. Nothing here computes a number.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ownership import analytics, charts
from ownership.analytics.comments import comment_threshold
from ownership.analytics.exports import report_rows
from ownership.home import home
from ownership.permissions import forbidden, results_scope
from ownership.presentation import SHOW_MODES, heatmap_display
from ownership.services import audit_record
from ownership.tasks import release_wave
from surveys.models import SurveyPage, Wave

from .kinds import KIND_CONTEXT, filtered_comments
from .tree import by_department, department_tree


def frozen_waves():
    return Wave.objects.frozen().select_related("survey").order_by("-opens_at")


# Ids are database integers: anything else, or anything a 32-bit column
# cannot hold, names no row.
MAX_ID = 2**31 - 1


def query_id(request, name: str) -> int | None:
    """The id in ``?name=``: ``None`` when absent, 404 when it cannot be one.

    ``str.isdigit`` accepts "²" and other Unicode digits that ``int`` refuses,
    and a number past the column's range fails in the database; both are a
    request for something that does not exist.
    """
    raw = request.GET.get(name, "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_ID:
        raise Http404(f"No such {name}.")
    return int(raw)


def pick_wave(request) -> Wave:
    """The wave in ``?wave=``, else the latest closed one, else the latest."""
    waves = frozen_waves()
    wave_id = query_id(request, "wave")
    if wave_id is not None:
        wave = waves.filter(pk=wave_id).first()
        if wave is None:
            raise Http404("No such wave.")
        return wave
    wave = waves.filter(closes_at__lte=timezone.now()).first() or waves.first()
    if wave is None:
        raise Http404("No wave has been opened yet.")
    return wave


class ResultsView(WagtailAdminTemplateMixin, TemplateView):
    """Base of every results page: scope check, wave choice, audit."""

    report_kind = ""
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.scope = results_scope(request.user)
        if self.scope is None:
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def audit(self, action: str, wave: Wave | None, detail: str = "") -> None:
        audit_record(
            actor=self.request.user,
            channel="admin",
            action=action,
            report=self.report_kind,
            wave_id=wave.pk if wave else None,
            detail=detail or self.request.get_full_path(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["waves"] = frozen_waves()
        context["report_kind"] = self.report_kind
        context["can_release"] = self.scope.everything
        context["other_kinds"] = [
            kind for name, kind in analytics.KINDS.items() if name not in OWN_PAGES
        ]
        return context

    def tree(self, report):
        """The department rows of ``report`` this request shows (see
        :mod:`.tree`)."""
        rows = report.rows if report else []
        return department_tree(self.request, rows, place=by_department)

    def heatmap_tree(self, report, show: str):
        """The heatmap rows this request shows, made ready for display (only
        those: a thousand departments' cells cost more than the page)."""
        tree = self.tree(report)
        if report is None:
            return tree
        return tree.shown(heatmap_display(report, show, [n.row for n in tree]))

    def released(self, context, kind: str | None = None, *, audit=True) -> Any:
        """The chosen wave's report ``kind`` from the chosen release (``?wave=``,
        ``?release=``), put into ``context`` with the release; ``None`` (and
        the reason in ``context["pending"]``) when there is none to show."""
        wave = pick_wave(self.request)
        sequence = pick_release(self.request)
        context.update(
            wave=wave,
            releases=wave.releases.defer("tree", "disclosure").order_by("-sequence"),
        )
        try:
            release = analytics.release_for(wave, sequence)
            report = analytics.report(
                kind or self.report_kind,
                wave,
                self.request.user,
                release=release.sequence,
            )
        except analytics.NoRelease as exc:
            if sequence is not None:
                raise Http404(str(exc)) from None
            context["pending"] = str(exc)
            return None
        context.update(
            release=release,
            release_param=f"&release={sequence}" if sequence else "",
        )
        if audit:
            self.audit("view", wave, detail=f"release={release.sequence}")
        return report


def survey_choices():
    """The surveys that have an opened wave: those with trends."""
    return SurveyPage.objects.filter(waves__frozen_at__isnull=False).distinct()


def pick_survey(request):
    """The survey in ``?survey=`` (default: the first with an opened wave)."""
    surveys = survey_choices()
    survey_id = query_id(request, "survey")
    survey = (
        surveys.filter(pk=survey_id).first()
        if survey_id is not None
        else surveys.first()
    )
    if survey is None:
        raise Http404("No such survey with an opened wave.")
    return survey


def pick_release(request) -> int | None:
    """The release number in ``?release=`` (``None``: the latest)."""
    sequence = query_id(request, "release")
    if sequence is not None and sequence > 32767:
        raise Http404("No such release.")
    return sequence


class HeatmapView(ResultsView):
    report_kind = "heatmap"
    page_title = _("Department heatmap")
    template_name = "ownership/results/heatmap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show = self.request.GET.get("show", "value")
        if show not in SHOW_MODES:
            show = "value"
        report = self.released(context)
        previous = None
        if report is not None and report.previous_wave_id is not None:
            previous = (
                Wave.objects.filter(pk=report.previous_wave_id)
                .values_list("label", flat=True)
                .first()
            )
        context.update(
            report=report,
            show=show,
            previous_label=previous,
            tree=self.heatmap_tree(report, show),
            show_modes=[
                ("value", _("Favourable share")),
                ("delta", _("Difference to organisation")),
                ("change", _("Change since previous wave")),
            ],
        )
        return context


class ConcentrationView(ResultsView):
    report_kind = "concentration"
    page_title = _("Responsibility concentration")
    template_name = "ownership/results/concentration.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.released(context)
        context.update(
            report=report,
            tree=self.tree(report),
            charts=charts.concentration_charts(report) if report else None,
            threshold=comment_threshold(context["wave"]),
        )
        return context


TRENDS_DEPTH = 2
# The department picker lists every department up to this many; beyond, the
# top levels (and the chosen ones), the others being one ↗ away in the heatmap.
PICKER_MAX = 300


class TrendsView(ResultsView):
    report_kind = "trends"
    page_title = _("Trends")
    template_name = "ownership/results/trends.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = pick_survey(self.request)
        construct = self.request.GET.get("construct") or None
        departments = self.request.GET.getlist("department")
        report = analytics.trends(survey, self.request.user, construct=construct)
        self.audit("view", None, detail=f"survey={survey.pk} construct={construct}")
        # The organisation and the top two levels give the context; the chosen
        # department (default: the organisation) is the highlighted line.
        context_series = [s for s in report.rows if s.department.depth <= TRENDS_DEPTH]
        known = list(dict.fromkeys(s.department for s in report.rows))
        by_code = {d.code or "": d for d in known}
        chosen = [by_code[c] for c in departments if c in by_code]
        focus = chosen[0] if chosen else by_code.get("")
        if departments:
            wanted = {d.code or "" for d in chosen}
            series = [s for s in report.rows if (s.department.code or "") in wanted]
            drawn = [*series, *(s for s in context_series if s not in series)]
        else:
            series = drawn = context_series
        picker = known
        if len(known) > PICKER_MAX:
            picker = [d for d in known if d.depth <= TRENDS_DEPTH + 1 or d in chosen]
        context.update(
            survey=survey,
            surveys=survey_choices(),
            construct=construct,
            departments=departments,
            focus=focus,
            picker=picker,
            picker_complete=len(picker) == len(known),
            themes=[
                (key, charts.construct_label(key, report.construct_labels))
                for key in dict.fromkeys(s.construct for s in report.rows)
            ],
            provisional=any(w.provisional for w in report.waves),
            report=report,
            series=series,
            trends_depth=TRENDS_DEPTH,
            chart=charts.trends_chart(report, drawn, focus),
        )
        return context


class ReliabilityView(ResultsView):
    report_kind = "reliability"
    page_title = _("Reliability and agreement")
    template_name = "ownership/results/reliability.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.released(context)
        context.update(
            report=report,
            tree=self.tree(report),
        )
        return context


COMMENTS_PER_PAGE = 200


class CommentsView(ResultsView):
    report_kind = "comments"
    page_title = _("Comments")
    template_name = "ownership/results/comments.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.released(context)
        chosen = self.request.GET.get("department", "")
        rows = report.rows if report else ()
        group = next(
            (row for row in rows if (row.department.code or "") == chosen),
            rows[0] if rows else None,
        )
        found, themes, theme = filtered_comments(self.request, context, report, group)
        comments = Paginator(found, COMMENTS_PER_PAGE)
        # Built here rather than in a template loop: a large organisation has
        # a thousand departments to choose from.
        whole = _("Whole organisation")
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    row.department.code or "",
                    mark_safe(" selected") if row is group else "",  # noqa: S308
                    row.department.name if row.department.code else whole,
                )
                for row in rows
                if not row.suppressed
            ),
        )
        context.update(
            department_options=options,
            report=report,
            group=group,
            chosen=chosen,
            comments=comments.get_page(self.request.GET.get("page")),
            themes=themes,
            theme=theme,
            query=self.request.GET.get("q", "").strip(),
        )
        return context


class ResponseRatesView(ResultsView):
    report_kind = "response_rates"
    page_title = _("Response rates")
    template_name = "ownership/results/response_rates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.released(context)
        context.update(
            report=report,
            tree=self.tree(report),
        )
        return context


# Report kinds with a page of their own; every other kind gets KindView.
OWN_PAGES = {"heatmap", "concentration", "reliability", "comments", "response_rates"}


class KindView(ResultsView):
    """Any registered report kind as a table: its flattened rows, the same as
    its CSV export."""

    template_name = "ownership/results/kind.html"

    def dispatch(self, request, *args, kind: str = "", **kwargs):
        if kind not in analytics.KINDS:
            raise Http404("No such report.")
        self.report_kind = kind
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return analytics.KINDS[self.report_kind].title

    def get_template_names(self):
        # A kind may bring a page of its own; else the flat table.
        return [f"ownership/results/kinds/{self.report_kind}.html", self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.released(context)
        header, rows = report_rows(self.report_kind, report) if report else ([], [])
        context.update(
            report=report,
            kind=analytics.KINDS[self.report_kind],
            header=header,
            rows=rows,
        )
        extra = KIND_CONTEXT.get(self.report_kind)
        if extra is not None:
            context.update(extra(self.request, report))
        return context


@require_POST
def release_now(request, wave_id: int):
    """An HR analyst asks for the next interim release of an open wave with
    interim results; it is made in the background."""
    scope = results_scope(request.user)
    if scope is None or not scope.everything:
        return forbidden(request)
    wave = Wave.objects.filter(pk=wave_id).first()
    if wave is None:
        raise Http404("No such wave.")
    target = f"{reverse('ownership_results_heatmap')}?wave={wave.pk}"
    if not (wave.is_open and wave.interim_results):
        messages.error(
            request,
            _(
                "Only an open wave with interim results can be released before "
                "it closes."
            ),
        )
        return redirect(target)
    release_wave.enqueue(wave.pk)
    audit_record(actor=request.user, channel="admin", action="release", wave_id=wave.pk)
    messages.success(
        request,
        _("The next interim release of '%(wave)s' is being made.")
        % {"wave": wave.label},
    )
    return redirect(target)


class ResultsHomeView(ResultsView):
    """Where HR and department heads land: open waves and their participation,
    the latest verdict and what changed since the wave before."""

    report_kind = "home"
    page_title = _("Customer ownership")
    template_name = "ownership/results/home.html"
    header_icon = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["home"] = home(self.request.user)
        self.audit("view", None, detail="home")
        return context
