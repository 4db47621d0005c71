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


def visible_codes(scope: ResultsScope, tree: list[dict]) -> set[str] | None:
    """Department codes in scope within a release's frozen ``tree``, or
    ``None`` for everything.

    A scope names departments of today's organisation; in an earlier tree it
    covers the same departments (by code) and whatever lay below them then.
    """
    if scope.everything:
        return None
    condition = Q(pk__in=[])
    for path in scope.paths:
        condition |= Q(path=path)
    roots = set(Department.objects.filter(condition).values_list("code", flat=True))
    codes: set[str] = set()
    for entry in tree:  # parents come before their children
        if entry["code"] in roots or entry["parent"] in codes:
            codes.add(entry["code"])
    return codes


def scoped_rows(
    report: Any, scope: ResultsScope, tree: list[dict], field: str = "rows"
) -> Any:
    """The report with only the rows the scope covers (the organisation's row
    is the benchmark everyone in scope may see)."""
    if scope is EVERYTHING or scope.everything:
        return report
    codes = visible_codes(scope, tree)
    rows = tuple(
        row
        for row in getattr(report, field)
        if row.department.code is None or row.department.code in codes
    )
    return dataclasses.replace(report, **{field: rows})


def scoped_themes(report: Any, scope: ResultsScope, tree: list[dict]) -> Any:
    """Comment themes with only the department counts the scope covers (the
    organisation's count is everyone's benchmark, as its comments are)."""
    if scope is EVERYTHING or scope.everything:
        return report
    codes = visible_codes(scope, tree)
    themes = tuple(
        dataclasses.replace(
            theme,
            departments=tuple(
                d for d in theme.departments if d.code is None or d.code in codes
            ),
        )
        for theme in report.themes
    )
    return dataclasses.replace(report, themes=themes)
