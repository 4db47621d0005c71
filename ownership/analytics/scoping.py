"""Applying a viewer's scope to a finished (already suppressed) report."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from ownership.models import Department
from ownership.permissions import EVERYTHING, ResultsScope, results_scope


def scope_of(viewer: Any) -> ResultsScope:
    """A viewer is a ``ResultsScope`` (API tokens, commands) or a user."""
    scope = viewer if isinstance(viewer, ResultsScope) else results_scope(viewer)
    if scope is None:
        raise PermissionDenied("You may not see results.")
    return scope


def visible_codes(scope: ResultsScope) -> set[str] | None:
    """Department codes in scope, or ``None`` for everything."""
    if scope.everything:
        return None
    condition = Q(pk__in=[])
    for path in scope.paths:
        condition |= Q(path__startswith=path)
    return set(Department.objects.filter(condition).values_list("code", flat=True))


def scoped_rows(report: Any, scope: ResultsScope, field: str = "rows") -> Any:
    """The report with only the rows the scope covers (the organisation's row
    is the benchmark everyone in scope may see)."""
    if scope is EVERYTHING or scope.everything:
        return report
    codes = visible_codes(scope)
    rows = tuple(
        row
        for row in getattr(report, field)
        if row.department.code is None or row.department.code in codes
    )
    return dataclasses.replace(report, **{field: rows})
