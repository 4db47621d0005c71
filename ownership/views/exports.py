"""Results that leave the screen: CSV and XLSX exports and the board summary
(printable page and PDF). Each is exactly what the viewer's results pages
show, read from a release, and each download is audited."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ownership import analytics
from ownership.analytics.exports import meta_line, report_rows, write_csv
from ownership.permissions import forbidden, results_scope
from ownership.services import audit_record
from ownership.workbooks import report_tables, workbook

from .results import ResultsView, pick_release, pick_survey, pick_wave


def _trends_export(request):
    """The trends of ``?survey=`` (and ``?construct=``) as ``request.user``
    may see them, with their metadata."""
    survey = pick_survey(request)
    construct = request.GET.get("construct") or None
    report = analytics.trends(survey, request.user, construct=construct)
    meta = [
        ("report", "trends"),
        ("survey", f"{survey.title} (id {survey.pk})"),
        ("construct", construct or "all"),
        (
            "releases",
            "; ".join(
                f"{w.label}: {w.release}{' provisional' if w.provisional else ''}"
                for w in report.waves
            ),
        ),
    ]
    return report, meta, slugify(survey.title), None


def _wave_export(request, kind: str):
    wave = pick_wave(request)
    try:
        release = analytics.release_for(wave, pick_release(request))
        report = analytics.report(kind, wave, request.user, release=release.sequence)
    except analytics.NoRelease as exc:
        raise Http404(str(exc)) from None
    meta = [
        ("report", kind),
        ("wave", f"{wave.label} (id {wave.pk})"),
        ("min_group_size", str(wave.min_group_size)),
        ("release", f"{release.sequence} of {release.created_on.isoformat()}"),
        ("provisional", "true" if release.provisional else "false"),
    ]
    return report, meta, slugify(wave.label), (wave, release)


def export(request, kind: str, fmt: str):
    """CSV or XLSX of a report: exactly the suppressed figures shown on screen,
    with the wave (or survey), k, the release and the export time. The CSV
    carries them as ``#`` lines above one table; the workbook on an "About"
    sheet, with a sheet per table."""
    scope = results_scope(request.user)
    if scope is None:
        return forbidden(request)
    if (kind not in analytics.KINDS and kind != "trends") or fmt not in ("csv", "xlsx"):
        raise Http404("No such export.")
    try:
        if kind == "trends":
            report, meta, name, source = _trends_export(request)
        else:
            report, meta, name, source = _wave_export(request, kind)
    except PermissionDenied:
        return forbidden(request)
    header, rows = report_rows(kind, report)
    exported = timezone.localtime()
    meta.append(("exported_at", exported.isoformat(timespec="seconds")))
    meta = [(key, meta_line(value)) for key, value in meta]
    wave, release = source or (None, None)
    audit_record(
        actor=request.user,
        channel="admin",
        action=f"export-{fmt}",
        report=kind,
        wave_id=wave.pk if wave else None,
        detail=f"release={release.sequence}" if release else meta[1][1],
    )
    filename = f"{kind}-{name}-{exported:%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(buffer, header, rows, meta=meta)
        response = HttpResponse(
            buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            workbook(meta, report_tables(kind, header, rows)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class BoardSummaryView(ResultsView):
    """A printable one-page summary: the verdict and the heatmap."""

    report_kind = "summary"
    page_title = _("Board summary")
    template_name = "ownership/results/summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        heat = self.released(context, "heatmap")
        context.update(
            report=heat,
            tree=self.heatmap_tree(heat, "value"),
            concentration=(
                self.released(context, "concentration", audit=False) if heat else None
            ),
            printed_at=timezone.localtime(),
        )
        return context


def _refuse_fetch(url, *args, **kwargs):
    """WeasyPrint's URL fetcher for the board summary: nothing is fetched.
    The document carries its styles; no label can make the server load a URL."""
    raise ValueError(f"The PDF loads nothing from outside: {url}")


class BoardSummaryPdfView(BoardSummaryView):
    """The board summary as an A4 landscape PDF (WeasyPrint)."""

    template_name = "ownership/results/summary_pdf.html"

    def render_to_response(self, context, **response_kwargs):
        if context.get("report") is None:
            raise Http404(context.get("pending") or "No results to print yet.")
        html = super().render_to_response(context, **response_kwargs)
        html.render()
        try:
            from weasyprint import HTML  # noqa: PLC0415 - needs Pango (below)
        except OSError as exc:  # Pango is missing: a system library
            return HttpResponse(
                _(
                    "The PDF needs the Pango library on the server "
                    "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0). %s"
                )
                % exc,
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        pdf = HTML(string=html.content.decode(), url_fetcher=_refuse_fetch).write_pdf()
        wave = context["wave"]
        self.audit("export-pdf", wave, detail=f"release={context['release'].sequence}")
        response = HttpResponse(pdf, content_type="application/pdf")
        stamp = timezone.localtime()
        response["Content-Disposition"] = (
            f'attachment; filename="summary-{slugify(wave.label)}-'
            f'{stamp:%Y%m%d-%H%M}.pdf"'
        )
        return response
