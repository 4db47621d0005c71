"""Workflows that change the organisation: the HRIS import, a department
edited in the admin, and the audit log they write to."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from . import org_csv
from .models import AuditEntry, Department, Employee
from .org_csv import OrgImportError, Problem, Progress

__all__ = [
    "ImportReport",
    "OrgImportError",
    "audit_record",
    "department_save",
    "org_import",
]


@dataclass(frozen=True)
class ImportReport:
    """What an import did, or with ``dry_run`` what it would do."""

    dry_run: bool
    rows: int
    employees_created: int
    employees_updated: int
    employees_unchanged: int
    employees_deactivated: int
    departments_created: int
    departments_updated: int

    def summary(self) -> str:
        text = _(
            "%(rows)d rows: %(created)d employees created, %(updated)d updated, "
            "%(unchanged)d unchanged, %(deactivated)d deactivated; "
            "%(d_created)d departments created, %(d_updated)d updated."
        ) % {
            "rows": self.rows,
            "created": self.employees_created,
            "updated": self.employees_updated,
            "unchanged": self.employees_unchanged,
            "deactivated": self.employees_deactivated,
            "d_created": self.departments_created,
            "d_updated": self.departments_updated,
        }
        if self.dry_run:
            text = _("Dry run, nothing changed. %(text)s") % {"text": text}
        return text


_EMPLOYEE_FIELDS = ("email", "display_name", "department_id", "language", "is_active")


def _to_deactivate(employees: dict, rows, allow_mass_deactivation: bool) -> list:
    """The active employees the file does not list; refused beyond the safety
    limit unless ``allow_mass_deactivation``."""
    listed = {row.external_id for row in rows}
    to_deactivate = [
        e for e in employees.values() if e.is_active and e.external_id not in listed
    ]
    active = sum(e.is_active for e in employees.values())
    limit = settings.ORG_IMPORT_MAX_DEACTIVATION_SHARE
    if active and len(to_deactivate) > limit * active and not allow_mass_deactivation:
        raise OrgImportError(
            [
                Problem(
                    _(
                        "This file would deactivate %(n)d of %(active)d active "
                        "employees (%(share).0f %%), more than the %(limit).0f %% "
                        "safety limit. Check that the file is complete; if it is, "
                        "run again with --allow-mass-deactivation (or tick 'Allow "
                        "mass deactivation')."
                    )
                    % {
                        "n": len(to_deactivate),
                        "active": active,
                        "share": 100 * len(to_deactivate) / active,
                        "limit": 100 * limit,
                    }
                )
            ]
        )
    return to_deactivate


def _plan_employees(rows, employees: dict, dept_ids: dict, progress):
    """Employees to create, employees changed (updated in memory) and how
    many are unchanged."""
    new, changed, unchanged = [], [], 0
    total = len(rows)
    for i, row in enumerate(rows):
        if progress and i % 1000 == 0:
            progress(_("Importing employees"), i, total)
        values = {
            "email": row.email,
            "display_name": row.name,
            "department_id": dept_ids.get(row.department_code),
            "language": row.language,
            "is_active": True,
        }
        employee = employees.get(row.external_id)
        if employee is None:
            new.append(Employee(external_id=row.external_id, **values))
        elif any(getattr(employee, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(employee, field, value)
            changed.append(employee)
        else:
            unchanged += 1
    if progress:
        progress(_("Importing employees"), total, total)
    return new, changed, unchanged


def org_import(
    *,
    data: bytes,
    dry_run: bool = False,
    allow_mass_deactivation: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Bring departments and employees in line with an HRIS export.

    All or nothing: the file is checked completely first and any problem raises
    :class:`OrgImportError` listing them all, with nothing changed. Re-running
    the same file changes nothing. Employees missing from the file are
    deactivated (never deleted), but no more than
    ``settings.ORG_IMPORT_MAX_DEACTIVATION_SHARE`` of the active ones unless
    ``allow_mass_deactivation`` is true.
    """
    with transaction.atomic():
        # Lock the tree for the duration so two imports cannot interleave.
        existing = {
            d.code: d for d in Department.objects.select_for_update().order_by("path")
        }
        known_parents = _parent_codes(existing)
        rows, specs = org_csv.parse(
            data, known_parents=known_parents, progress=progress
        )

        employees = {e.external_id: e for e in Employee.objects.select_for_update()}
        to_deactivate = _to_deactivate(employees, rows, allow_mass_deactivation)
        dept_created, dept_updated = _plan_departments(specs, existing, known_parents)
        if not dry_run:
            _apply_departments(specs, existing, known_parents)
        dept_ids = dict(Department.objects.values_list("code", "id"))

        new, changed, unchanged = _plan_employees(rows, employees, dept_ids, progress)
        for employee in to_deactivate:
            employee.is_active = False
        if not dry_run:
            Employee.objects.bulk_create(new, batch_size=1000)
            Employee.objects.bulk_update(
                changed + to_deactivate, _EMPLOYEE_FIELDS, batch_size=1000
            )

    return ImportReport(
        dry_run=dry_run,
        rows=len(rows),
        employees_created=len(new),
        employees_updated=len(changed),
        employees_unchanged=unchanged,
        employees_deactivated=len(to_deactivate),
        departments_created=dept_created,
        departments_updated=dept_updated,
    )


def _parent_codes(departments: dict[str, Department]) -> dict[str, str]:
    """Map each code to its parent's code, read from the materialised paths."""
    by_path = {d.path: d.code for d in departments.values()}
    step = Department.steplen
    return {
        d.code: by_path.get(d.path[:-step], "") if d.depth > 1 else ""
        for d in departments.values()
    }


def _topological(specs: dict[str, org_csv.DepartmentSpec]) -> list[str]:
    """Codes ordered so that every parent in the file comes before its children."""
    ordered: list[str] = []
    placed: set[str] = set()

    def place(code: str) -> None:
        if code in placed:
            return
        parent = specs[code].parent_code
        if parent in specs:
            place(parent)
        placed.add(code)
        ordered.append(code)

    for code in sorted(specs):
        place(code)
    return ordered


def _plan_departments(specs, existing, known_parents) -> tuple[int, int]:
    created = updated = 0
    for code, spec in specs.items():
        current = existing.get(code)
        if current is None:
            created += 1
        elif (
            current.name != spec.name
            or current.is_customer_facing != spec.customer_facing
            or known_parents.get(code, "") != spec.parent_code
        ):
            updated += 1
    return created, updated


def _apply_departments(specs, existing, known_parents) -> None:
    for code in _topological(specs):
        spec = specs[code]
        # Re-read parent and node each time: inserting in sorted order can shift
        # the materialised paths of siblings loaded earlier.
        parent = (
            Department.objects.get(code=spec.parent_code) if spec.parent_code else None
        )
        if code not in existing:
            node = Department(
                code=code, name=spec.name, is_customer_facing=spec.customer_facing
            )
            if parent is None:
                Department.add_root(instance=node)
            else:
                parent.add_child(instance=node)
            continue
        node = Department.objects.get(code=code)
        if known_parents.get(code, "") != spec.parent_code:
            node = _move(node, parent)
        if node.name != spec.name or node.is_customer_facing != spec.customer_facing:
            node.name = spec.name
            node.is_customer_facing = spec.customer_facing
            node.save(update_fields=["name", "is_customer_facing"])


def _move(node: Department, parent: Department | None) -> Department:
    """Move ``node`` (and its subtree) under ``parent``, or to the top level;
    returns it as stored afterwards (moving rewrites materialised paths)."""
    if parent is None:
        node.move(Department.get_first_root_node(), pos="sorted-sibling")
    else:
        node.move(parent, pos="sorted-child")
    return Department.objects.get(pk=node.pk)


@transaction.atomic
def department_save(
    *, department: Department, parent: Department | None, actor=None
) -> Department:
    """Create ``department`` under ``parent`` (``None``: at the top level), or
    save its changes and move it there if its parent changed. Tree positions
    are materialised paths, so a new department is inserted with treebeard's
    ``add_root``/``add_child`` and a changed parent is a ``move``."""
    parent = Department.objects.get(pk=parent.pk) if parent is not None else None
    if department.pk is None:
        if parent is None:
            node = Department.add_root(instance=department)
        else:
            node = parent.add_child(instance=department)
        action = "department-create"
    else:
        stored = Department.objects.get(pk=department.pk)
        action = "department-change"
        if parent != stored.get_parent():
            moved = _move(stored, parent)
            department.path, department.depth = moved.path, moved.depth
            action = "department-move"
        department.save()
        node = department
    audit_record(
        actor=actor,
        action=action,
        detail=f"{node.code} under {parent.code if parent else '(top level)'}",
    )
    return node


def audit_record(
    *,
    actor,
    channel: str | None = None,
    action: str,
    report: str = "",
    wave_id: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """Write one line of the audit log (who, what, when).

    The single way anything is audited. ``channel`` defaults to ``"admin"``
    when a person acts and ``"command"`` for ``actor=None`` (a management
    command or a scheduled task).
    """
    if channel is None:
        channel = "admin" if actor is not None else "command"
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        user=user,
        channel=channel,
        action=action,
        report=report,
        wave_id=wave_id,
        detail=detail[:300],
    )
