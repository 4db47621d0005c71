"""Who may see which results. HTML views, the API and the admin all ask here."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .models import Department
from .roles import DEPARTMENT_HEADS, HR_ANALYSTS


@dataclass(frozen=True)
class ResultsScope:
    """The departments whose results someone may see.

    ``paths`` are treebeard paths of subtree roots; ``everything`` covers the
    whole organisation. The organisation's own row is a benchmark every scope
    may see: it is never smaller than the wave's minimum group size.
    """

    everything: bool = False
    paths: tuple[str, ...] = ()

    def covers(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.paths)

    def covers_department(self, department: Department) -> bool:
        return self.covers(department.path)

    def departments(self):
        """The departments the scope covers."""
        if self.everything:
            return Department.objects.all()
        return Department.objects.within(self.paths)


EVERYTHING = ResultsScope(everything=True)


def results_scope(user) -> ResultsScope | None:
    """HR analysts see everything; a department head (in the "Department heads"
    group and linked to an active employee) sees that employee's department and
    everything below it; anyone else sees nothing (``None``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    # Asked many times while one page renders (menus, views, checks): the
    # user object of a request remembers its groups.
    groups = getattr(user, "_role_names", None)
    if groups is None:
        groups = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = groups
    if user.is_superuser or HR_ANALYSTS in groups:
        return EVERYTHING
    employee = getattr(user, "employee", None)
    if DEPARTMENT_HEADS in groups and employee is not None and employee.is_active:
        return ResultsScope(paths=(employee.department.path,))
    return None


def can_view_results(user, department: Department | None = None) -> bool:
    scope = results_scope(user)
    if scope is None:
        return False
    return department is None or scope.covers_department(department)


def forbidden(
    request, template_name: str = "ownership/admin/forbidden.html"
) -> TemplateResponse:
    """A real 403, by default inside the admin furniture.

    Wagtail's own views redirect to the dashboard on a permission error; ours
    answer 403 so that scripts and tests see the refusal for what it is.
    """
    return TemplateResponse(
        request, template_name, {"page_title": _("Not allowed")}, status=403
    )
