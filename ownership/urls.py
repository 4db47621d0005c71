"""``/admin/results/``: the HR results pages, their exports and the audit log.

Mounted in ``cms.urls`` ahead of Wagtail's admin URLconf; every view goes
through :func:`ownership.views.access.results_page` (Wagtail's admin check,
and a 403 for a signed-in person without admin access).
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _

from .views import exports, results
from .views.access import results_page
from .views.audit import AuditLogView

# (URL name suffix, route, view, menu label, menu icon)
RESULT_PAGES = [
    ("heatmap", "heatmap/", results.HeatmapView, _("Heatmap"), "table"),
    (
        "concentration",
        "responsibility/",
        results.ConcentrationView,
        _("Responsibility"),
        "crosshairs",
    ),
    ("trends", "trends/", results.TrendsView, _("Trends"), "pick"),
    ("reliability", "reliability/", results.ReliabilityView, _("Reliability"), "tick"),
    ("comments", "comments/", results.CommentsView, _("Comments"), "comment"),
    (
        "rates",
        "response-rates/",
        results.ResponseRatesView,
        _("Response rates"),
        "mail",
    ),
]

urlpatterns = [
    path(route, results_page(view.as_view()), name=f"ownership_results_{name}")
    for name, route, view, _label, _icon in RESULT_PAGES
]
urlpatterns += [
    path(
        "",
        results_page(results.ResultsHomeView.as_view()),
        name="ownership_results_home",
    ),
    path(
        "summary.pdf",
        results_page(exports.BoardSummaryPdfView.as_view()),
        name="ownership_results_summary_pdf",
    ),
    path(
        "summary/",
        results_page(exports.BoardSummaryView.as_view()),
        name="ownership_results_summary",
    ),
    path(
        "export/<str:kind>.<str:fmt>",
        results_page(exports.export),
        name="ownership_results_export",
    ),
    path(
        "release/<int:wave_id>/",
        results_page(results.release_now),
        name="ownership_results_release",
    ),
    path(
        "report/<str:kind>/",
        results_page(results.KindView.as_view()),
        name="ownership_results_kind",
    ),
    path(
        "audit-log/", results_page(AuditLogView.as_view()), name="ownership_audit_log"
    ),
]
