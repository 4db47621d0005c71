"""Reading and checking an organisation file from the HR system.

The file is checked completely before anything is written, so that every problem
is reported at once, each with its line number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Language

COLUMNS = (
    "external_id",
    "email",
    "name",
    "department_code",
    "department_name",
    "parent_department_code",
    "customer_facing",
    "language",
)
_TRUE = {"1", "true", "yes", "y", "ja", "j"}
_FALSE = {"", "0", "false", "no", "n", "nein", "nee"}
_MAX_LENGTH = {
    "external_id": 64,
    "email": 254,
    "name": 200,
    "department_code": 64,
    "department_name": 200,
    "parent_department_code": 64,
}

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file. ``line`` is 1-based, counting the header."""

    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(_("line %(line)d") % {"line": self.line})
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class OrgImportError(Exception):
    """The file cannot be imported; nothing was changed."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.field or ""))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class OrgRow:
    line: int
    external_id: str
    email: str
    name: str
    department_code: str
    department_name: str
    parent_department_code: str
    customer_facing: bool
    language: str


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    parent_code: str
    customer_facing: bool
    line: int


def decode(data: bytes) -> str:
    """Decode UTF-8 with or without a byte-order mark, or explain what is wrong."""
    if not data.strip():
        raise OrgImportError([Problem(_("The file is empty."))])
    if b"\x00" in data:
        raise OrgImportError(
            [
                Problem(
                    _(
                        "The file contains binary data, so it is not a CSV file (is "
                        "it a spreadsheet workbook?). Save it as 'CSV UTF-8' and try "
                        "again."
                    )
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise OrgImportError(
            [
                Problem(
                    _(
                        "The file is not UTF-8 encoded (byte 0x%(byte)02X cannot be "
                        "read). Save it as 'CSV UTF-8' and try again."
                    )
                    % {"byte": data[exc.start]},
                    line=line,
                )
            ]
        ) from None


def _delimiter(header: str) -> str:
    # Spreadsheets in German and Dutch locales save CSV with semicolons.
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _records(data: bytes) -> tuple[list[list[str]], dict[str, int]]:
    """The file's records (header first) and each column's position."""
    text = decode(data)
    first_line = text.splitlines()[0] if text.strip() else ""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True
    )
    try:
        records = list(reader)
    except csv.Error as exc:
        raise OrgImportError(
            [
                Problem(
                    _("The file is not valid CSV: %(error)s.") % {"error": exc},
                    line=reader.line_num,
                )
            ]
        ) from None
    if not records:
        raise OrgImportError([Problem(_("The file is empty."))])

    header = [h.strip().lower() for h in records[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise OrgImportError(
            [
                Problem(
                    ngettext(
                        "Missing column: %(missing)s. The header must name: %(all)s.",
                        "Missing columns: %(missing)s. The header must name: %(all)s.",
                        len(missing),
                    )
                    % {"missing": ", ".join(missing), "all": ", ".join(COLUMNS)},
                    line=1,
                )
            ]
        )
    position = {name: header.index(name) for name in COLUMNS}

    return records, position


def _duplicate(values: dict[str, str], line: int, seen_ids: dict[str, int]):
    """A problem if the row's id was seen on an earlier line (else remember it)."""
    external_id = values["external_id"]
    if external_id in seen_ids:
        return [
            Problem(
                _("Duplicate id '%(id)s', first seen on line %(first)d.")
                % {"id": external_id, "first": seen_ids[external_id]},
                line=line,
                field="external_id",
            )
        ]
    if external_id:
        seen_ids[external_id] = line
    return []


def _org_row(values: dict[str, str], line: int) -> OrgRow:
    return OrgRow(
        line=line,
        external_id=values["external_id"],
        email=values["email"].lower(),
        name=values["name"],
        department_code=values["department_code"],
        department_name=values["department_name"],
        parent_department_code=values["parent_department_code"],
        customer_facing=values["customer_facing"].lower() in _TRUE,
        language=(values["language"] or Language.EN).lower(),
    )


def parse(
    data: bytes,
    *,
    known_parents: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> tuple[list[OrgRow], dict[str, DepartmentSpec]]:
    """Parse and check an organisation file.

    ``known_parents`` maps the codes of departments already in the database to
    their parent's code (``""`` for a root); a parent may be one of them even if
    no row of the file names it as a department.

    Raises :class:`OrgImportError` listing every problem found.
    """
    records, position = _records(data)
    header_width = len(records[0])
    problems: list[Problem] = []
    rows: list[OrgRow] = []
    seen_ids: dict[str, int] = {}
    departments: dict[str, DepartmentSpec] = {}
    body = records[1:]
    total = len(body)
    for offset, record in enumerate(body):
        line = offset + 2
        if progress and offset % 1000 == 0:
            progress(_("Checking rows"), offset, total)
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != header_width:
            problems.append(
                Problem(
                    _("Expected %(expected)d fields, found %(found)d.")
                    % {"expected": header_width, "found": len(record)},
                    line=line,
                )
            )
            continue
        values = {name: record[position[name]].strip() for name in COLUMNS}
        row_problems = _check_row(values, line) + _duplicate(values, line, seen_ids)
        if row_problems:
            problems.extend(row_problems)
            continue
        row = _org_row(values, line)
        rows.append(row)
        problems.extend(_merge_department(departments, row))
    if progress:
        progress(_("Checking rows"), total, total)

    problems.extend(_check_tree(departments, known_parents or {}))
    if problems:
        raise OrgImportError(problems)
    if not rows:
        raise OrgImportError([Problem(_("The file has a header but no employees."))])
    return rows, departments


def _check_row(values: dict[str, str], line: int) -> list[Problem]:
    problems = []
    for field in ("external_id", "email", "name", "department_code", "department_name"):
        if not values[field]:
            problems.append(Problem(_("This field is required."), line, field))
    for field, limit in _MAX_LENGTH.items():
        if len(values[field]) > limit:
            problems.append(
                Problem(
                    _("Longer than %(limit)d characters.") % {"limit": limit},
                    line,
                    field,
                )
            )
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(
                Problem(
                    _("'%(value)s' is not a valid e-mail address.")
                    % {"value": values["email"]},
                    line,
                    "email",
                )
            )
    if values["customer_facing"].lower() not in _TRUE | _FALSE:
        problems.append(
            Problem(
                _("'%(value)s' is not yes/no (use true, false, yes, no, 1 or 0).")
                % {"value": values["customer_facing"]},
                line,
                "customer_facing",
            )
        )
    language = values["language"].lower()
    if language and language not in Language.values:
        problems.append(
            Problem(
                _("Unknown language '%(value)s'; use one of %(choices)s.")
                % {"value": values["language"], "choices": ", ".join(Language.values)},
                line,
                "language",
            )
        )
    return problems


def _merge_department(
    departments: dict[str, DepartmentSpec], row: OrgRow
) -> list[Problem]:
    spec = DepartmentSpec(
        code=row.department_code,
        name=row.department_name,
        parent_code=row.parent_department_code,
        customer_facing=row.customer_facing,
        line=row.line,
    )
    first = departments.setdefault(spec.code, spec)
    if first is spec:
        return []
    problems = []
    for field, attr in (
        ("department_name", "name"),
        ("parent_department_code", "parent_code"),
        ("customer_facing", "customer_facing"),
    ):
        if getattr(first, attr) != getattr(spec, attr):
            problems.append(
                Problem(
                    _(
                        "Department '%(code)s' has a different %(field)s here than "
                        "on line %(first)d."
                    )
                    % {"code": spec.code, "field": field, "first": first.line},
                    row.line,
                    field,
                )
            )
    return problems


def _check_tree(
    departments: dict[str, DepartmentSpec], known_parents: dict[str, str]
) -> list[Problem]:
    parent_of = dict(known_parents)
    parent_of.update({code: spec.parent_code for code, spec in departments.items()})
    problems = []
    for spec in departments.values():
        if spec.parent_code and spec.parent_code not in parent_of:
            problems.append(
                Problem(
                    _(
                        "Unknown parent department '%(parent)s': it is neither a "
                        "department in this file nor one that already exists."
                    )
                    % {"parent": spec.parent_code},
                    spec.line,
                    "parent_department_code",
                )
            )
    reported: set[str] = set()
    for code, spec in departments.items():
        chain = [code]
        current = parent_of.get(code, "")
        while current and current in parent_of and current not in chain:
            chain.append(current)
            current = parent_of[current]
        if current and current in chain and not reported.intersection(chain):
            cycle = chain[chain.index(current) :] + [current]
            reported.update(cycle)
            problems.append(
                Problem(
                    _("The departments form a cycle: %(cycle)s.")
                    % {"cycle": " → ".join(cycle)},
                    spec.line,
                    "parent_department_code",
                )
            )
    return problems
