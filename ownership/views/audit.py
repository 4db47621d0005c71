"""The audit log: who looked at or exported which results, and when."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ownership.models import AuditEntry
from ownership.permissions import forbidden


class AuditLogView(WagtailAdminTemplateMixin, ListView):
    model = AuditEntry
    paginate_by = 50
    template_name = "ownership/results/audit_log.html"
    page_title = _("Audit log")
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("ownership.view_auditentry"):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        entries = AuditEntry.objects.select_related("user")
        report = self.request.GET.get("report")
        if report:
            entries = entries.filter(report=report)
        return entries

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]
