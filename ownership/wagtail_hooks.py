"""The organisation in the Wagtail admin: departments, people, loci, events."""

from __future__ import annotations

from django.forms import Media
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .forms import DepartmentForm
from .home import home
from .models import Department, Employee, Locus, OrganisationEvent
from .permissions import results_scope
from .roles import can_import_org
from .urls import RESULT_PAGES
from .views import OrgImportView


class TreeNameColumn(Column):
    """The department name, indented by its depth in the tree."""

    def get_value(self, instance):
        return format_html(
            '<span style="padding-inline-start: {}rem">{}</span>',
            (instance.depth - 1) * 1.5,
            instance.name,
        )


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    ordering = ["path"]
    list_display = [
        TreeNameColumn("name", label=_("Name"), sort_key="path"),
        "code",
        BooleanColumn("is_customer_facing", label=_("Customer-facing")),
    ]
    list_filter = ["is_customer_facing"]
    search_fields = ["name", "code"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("code"),
            FieldPanel("parent"),
            FieldPanel("is_customer_facing"),
        ],
        base_form_class=DepartmentForm,
    )


class EmployeeViewSet(SnippetViewSet):
    model = Employee
    icon = "user"
    menu_label = _("Employees")
    list_display = [
        "display_name",
        "external_id",
        "department",
        "language",
        BooleanColumn("is_active", label=_("Active")),
    ]
    list_filter = ["is_active", "language", "department"]
    search_fields = ["display_name", "email", "external_id"]
    list_per_page = 50
    copy_view_enabled = False
    panels = [
        FieldPanel("display_name"),
        FieldPanel("external_id"),
        FieldPanel("email"),
        FieldPanel("department"),
        FieldPanel("language"),
        FieldPanel("is_active"),
        FieldPanel("user"),
    ]


class LocusViewSet(SnippetViewSet):
    model = Locus
    icon = "crosshairs"
    menu_label = _("Loci of responsibility")
    list_display = ["name", "slug", "kind", "sort_order"]
    list_filter = ["kind"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("sort_order"),
    ]


class OrganisationEventViewSet(SnippetViewSet):
    model = OrganisationEvent
    icon = "date"
    menu_label = _("Organisation events")
    list_display = ["title", "kind", "date"]
    list_filter = ["kind"]
    panels = [
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("date"),
        FieldPanel("description"),
    ]


class OrganisationGroup(SnippetViewSetGroup):
    items = (
        DepartmentViewSet,
        EmployeeViewSet,
        LocusViewSet,
        OrganisationEventViewSet,
    )
    menu_label = _("Organisation")
    menu_icon = "site"
    menu_order = 210
    submenu_hook = "register_organisation_menu_item"


register_snippet(OrganisationGroup)


@hooks.register("register_admin_urls")
def register_org_import_url():
    return [
        path(
            "organisation/import/", OrgImportView.as_view(), name="ownership_org_import"
        )
    ]


class OrgImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import_org(request.user)


@hooks.register("register_organisation_menu_item")
def register_org_import_menu_item():
    return OrgImportMenuItem(
        _("Import organisation"),
        reverse("ownership_org_import"),
        icon_name="upload",
        order=900,
    )


# Results -------------------------------------------------------------------
# The pages themselves are mounted by ownership.urls, ahead of the admin.


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return results_scope(request.user) is not None


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("ownership.view_auditentry")


@hooks.register("register_admin_menu_item")
def register_results_menu():
    items = [
        ResultsMenuItem(
            label, reverse(f"ownership_results_{name}"), icon_name=icon, order=i
        )
        for i, (name, _route, _view, label, icon) in enumerate(RESULT_PAGES)
    ]
    items.insert(
        0,
        ResultsMenuItem(
            _("Overview"),
            reverse("ownership_results_home"),
            icon_name="home",
            order=-1,
        ),
    )
    items.append(
        AuditMenuItem(
            _("Audit log"),
            reverse("ownership_audit_log"),
            icon_name="history",
            order=len(items),
        )
    )
    return SubmenuMenuItem(
        _("Customer ownership"), Menu(items=items), icon_name="group", order=150
    )


class ResultsHomePanel(Component):
    """The results home's summary on Wagtail's dashboard, for people who read
    results and also edit pages (the others land on the results home)."""

    name = "results_home"
    order = 10
    template_name = "ownership/results/includes/home_panel.html"

    def __init__(self, user):
        self.user = user

    @property
    def media(self):
        return Media(css={"all": ["css/results.css"]})

    def get_context_data(self, parent_context):
        return {"home": home(self.user)}


@hooks.register("construct_homepage_panels")
def results_home_panel(request, panels):
    if results_scope(request.user) is not None:
        panels.insert(0, ResultsHomePanel(request.user))
