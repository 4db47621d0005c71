"""Admin views of the organisation."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ownership.permissions import forbidden

from ..forms import OrgImportForm
from ..roles import can_import_org
from ..services import OrgImportError, org_import


class OrgImportView(WagtailAdminTemplateMixin, FormView):
    """Upload an HRIS export; the same all-or-nothing import as ``import_org``."""

    form_class = OrgImportForm
    template_name = "ownership/admin/org_import.html"
    page_title = _("Import organisation")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_import_org(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            report = org_import(
                data=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
                allow_mass_deactivation=form.cleaned_data["allow_mass_deactivation"],
            )
        except OrgImportError as exc:
            form.add_error(
                "file", _("Nothing was imported: the file has problems (see below).")
            )
            return self.render_to_response(
                self.get_context_data(form=form, problems=exc.problems)
            )
        if not report.dry_run:
            messages.success(self.request, report.summary())
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), report=report)
        )
