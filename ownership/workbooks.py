"""Excel workbooks of the results: the metadata on a sheet of its own, one
sheet per table, a frozen header row and number formats for shares, p-values
and other figures. The values are those of the CSV (``analytics.exports``):
same cells, same neutralised text, only typed and formatted."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

PERCENT = "0.0%"
PVALUE = "0.0000"
DECIMAL = "0.00"
INTEGER = "0"

# Columns holding a share (0..1) of people, points or answers.
_SHARE_NAMES = {"favourable", "rate"}


def number_format(column: str) -> str:
    """The Excel number format of a figure in ``column`` (by its name)."""
    name = column.lower()
    if name in ("p_value", "q_value", "change_q", "pvalue", "qvalue") or name.endswith(
        ("_p", "_q", "_pvalue", "_qvalue")
    ):
        return PVALUE
    if (
        name in _SHARE_NAMES
        or "share" in name
        or "designated" in name
        or "distributed" in name
        or "_band_" in name
        or name.startswith("favourable")
        or name.endswith("_rate")
    ):
        return PERCENT
    return DECIMAL


def _typed(value: Any) -> Any:
    """A CSV cell as Excel should hold it: empty is empty, flags are flags."""
    if value == "":
        return None
    if value == "true":
        return True
    if value == "false":
        return False
    return value


def _sheet_name(name: str, taken: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "table"
    candidate, n = clean, 2
    while candidate.lower() in taken:
        suffix = f" {n}"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def workbook(
    meta: Iterable[tuple[str, str]],
    tables: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> bytes:
    """An .xlsx: an "About" sheet with ``meta``, then a sheet per
    ``(name, header, rows)`` table."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    taken: set[str] = set()

    def header_row(sheet, cells):
        out = []
        for value in cells:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            out.append(cell)
        return out

    about = book.create_sheet(_sheet_name("About", taken))
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 60
    about.append(header_row(about, ["field", "value"]))
    for key, value in meta:
        about.append([key, value])

    for name, header, rows in tables:
        sheet = book.create_sheet(_sheet_name(name, taken))
        sheet.freeze_panes = "A2"
        formats = [number_format(h) for h in header]
        for i, h in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(10, len(h) + 2)
        sheet.append(header_row(sheet, header))
        for row in rows:
            out = []
            for value, fmt in zip(row, formats, strict=False):
                value = _typed(value)
                if isinstance(value, float):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = fmt
                    out.append(cell)
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = INTEGER
                    out.append(cell)
                else:
                    out.append(value)
            sheet.append(out)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Reliability's sections and the columns each fills.
RELIABILITY_SHEETS = {
    "construct": (
        "constructs",
        (
            "section",
            "construct",
            "n",
            "n_items",
            "alpha",
            "alpha_low",
            "alpha_high",
            "standardized_alpha",
            "omega",
            "icc1",
            "icc2",
            "suppressed",
        ),
    ),
    "item": (
        "items",
        (
            "section",
            "construct",
            "item",
            "r_drop",
            "alpha_if_dropped",
            "lowers_alpha",
            "suppressed",
        ),
    ),
    "agreement": (
        "agreement",
        ("section", "construct", "department_code", "rwg_j", "rwg_band", "suppressed"),
    ),
}


def report_tables(kind: str, header: Sequence[str], rows: list[list[Any]]):
    """The export's tables: reliability's three sections on sheets of their
    own, each with the columns it fills; every other report as one table."""
    if kind != "reliability":
        return [(kind, header, rows)]
    tables = []
    for section, (name, columns) in RELIABILITY_SHEETS.items():
        index = [header.index(c) for c in columns]
        part = [[r[i] for i in index] for r in rows if r[0] == section]
        tables.append((name, list(columns), part))
    return tables
