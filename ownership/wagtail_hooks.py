"""The organisation in the Wagtail admin: departments, people, loci, events;
the results menu and the commitments departments make after a wave."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import Media
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    EditView,
    HistoryView,
    SnippetViewSet,
    SnippetViewSetGroup,
    UsageView,
)

from surveys.forms import CommitmentForm
from surveys.models import Commitment

from .forms import DepartmentForm
from .home import home
from .models import Department, Employee, Locus, OrganisationEvent
from .permissions import results_scope
from .roles import DEPARTMENT_HEADS, HR_ANALYSTS, can_import_org
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
        ResultsMenuItem(
            _("Commitments"),
            reverse(commitments.get_url_name("list")),
            icon_name="tick-inverse",
            order=len(items),
        )
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


# Commitments -----------------------------------------------------------------


class CommitmentPolicy(BasePermissionPolicy):
    """The rules of the results: whoever may read a department's results
    records and updates its commitments (HR analysts everywhere, department
    heads in their subtree). Nobody deletes one: a commitment given up is
    "dropped", and the audit log keeps every change."""

    def __init__(self):
        super().__init__(Commitment)

    def user_has_permission(self, user, action):
        return action != "delete" and results_scope(user) is not None

    def user_has_permission_for_instance(self, user, action, instance):
        scope = results_scope(user)
        return (
            action != "delete"
            and scope is not None
            and scope.covers_department(instance.department)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        scope = results_scope(user)
        if scope is None or not set(actions) - {"delete"}:
            return Commitment.objects.none()
        return Commitment.objects.within(scope)

    def users_with_any_permission(self, actions):
        if not set(actions) - {"delete"}:
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(
                Q(is_superuser=True)
                | Q(groups__name__in=[HR_ANALYSTS, DEPARTMENT_HEADS]),
                is_active=True,
            )
            .distinct()
        )


register_permission_policy(Commitment, CommitmentPolicy())


class InScope:
    """A view of one commitment refuses those who may not read its
    department's results (Wagtail checks the model, not the instance)."""

    def get_object(self, queryset=None):
        commitment = super().get_object(queryset)
        scope = results_scope(self.request.user)
        if scope is None or not scope.covers_department(commitment.department):
            raise PermissionDenied
        return commitment


class CommitmentEditView(InScope, EditView):
    pass


class CommitmentHistoryView(InScope, HistoryView):
    pass


class CommitmentUsageView(InScope, UsageView):
    pass


class StatusColumn(Column):
    def get_value(self, instance):
        return instance.get_status_display()


class CommitmentViewSet(SnippetViewSet):
    model = Commitment
    icon = "tick-inverse"
    menu_label = _("Commitments")
    add_to_admin_menu = False
    copy_view_enabled = False
    edit_view_class = CommitmentEditView
    history_view_class = CommitmentHistoryView
    usage_view_class = CommitmentUsageView
    list_display = [
        "statement",
        Column("department", label=_("Department")),
        StatusColumn("status", label=_("Status")),
        "due_on",
    ]
    list_filter = ["status"]
    search_fields = ["statement"]
    edit_handler = ObjectList(
        [
            FieldPanel("department"),
            FieldPanel("wave"),
            FieldPanel("statement"),
            FieldPanel("language"),
            MultiFieldPanel(
                [
                    FieldPanel(f"translation_{code}")
                    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
                ],
                heading=_("Translations"),
                help_text=_(
                    "Employees read the commitment in their language; without a "
                    "translation they read it as written."
                ),
            ),
            FieldPanel("construct"),
            MultiFieldPanel(
                [FieldPanel("due_on"), FieldPanel("status")], heading=_("Progress")
            ),
            InlinePanel("notes", heading=_("Progress notes"), label=_("Note")),
        ],
        base_form_class=CommitmentForm,
    )

    def get_queryset(self, request):
        scope = results_scope(request.user)
        if scope is None:
            return Commitment.objects.none()
        return Commitment.objects.within(scope).select_related("department")


commitments = CommitmentViewSet()
register_snippet(commitments)
