"""Flat tables of reports, for CSV and XLSX. Same values as the JSON, no more."""

from __future__ import annotations

import csv
import dataclasses
import json
import types
import typing
from typing import Any

from .reports import Concentration, Heatmap, _hints, to_data

HEATMAP_HEADER = [
    "department_code",
    "department_name",
    "parent_code",
    "depth",
    "row_n",
    "row_suppressed",
    "construct",
    "n",
    "mean",
    "favourable",
    "favourable_low",
    "favourable_high",
    "favourable_band_low",
    "favourable_band_high",
    "delta",
    "delta_low",
    "delta_high",
    "p_value",
    "q_value",
    "significant",
    "change",
    "rwg_j",
    "reliability",
    "suppressed",
    "mean_low",
    "mean_high",
    "change_favourable",
    "change_low",
    "change_high",
    "change_q",
    "change_significant",
]


# A spreadsheet treats text starting with these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(
    stream, header: list[str], rows, *, meta: list[tuple[str, str]] = ()
) -> None:
    """A report table as CSV (RFC 4180 line ends) on ``stream``, after its
    metadata as ``# key: value`` comment lines. Every CSV the product writes
    (admin export, API, ``manage.py report``) goes through here."""
    for key, value in meta:
        stream.write(f"# {key}: {value}\n")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)


def meta_line(value: Any) -> str:
    """A value for an export's metadata line (``# wave: ...`` in CSV, a row
    of the XLSX): on one line, and never read as a formula.

    Labels are typed by people; a line break in one would otherwise start a
    line of its own, outside the ``#`` comment, that a spreadsheet evaluates.
    """
    text = " ".join(str(value).split())
    return cell(text)


def heatmap_rows(report: Heatmap) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for row in report.rows:
        d = row.department
        for c in row.cells:
            band = c.favourable_band or (None, None)
            values = [
                d.code,
                d.name,
                d.parent_code,
                d.depth,
                row.n,
                row.suppressed,
                c.construct,
                c.n,
                c.mean,
                c.favourable,
                c.favourable_low,
                c.favourable_high,
                band[0],
                band[1],
                c.delta,
                c.delta_low,
                c.delta_high,
                c.p_value,
                c.q_value,
                c.significant,
                c.change,
                c.rwg_j,
                c.reliability,
                c.suppressed,
                c.mean_low,
                c.mean_high,
                c.change_favourable,
                c.change_low,
                c.change_high,
                c.change_q,
                c.change_significant,
            ]
            rows.append([cell(v) for v in values])
    return HEATMAP_HEADER, rows


# Long format: one row per department and locus, the department's own figures
# repeated on each of its rows. BI tools pivot or filter a long table without
# knowing the loci in advance, and a wave that offers other loci keeps the
# same columns. Loci are the allocation loci followed by any locus only the
# primary-owner question offered; a figure a locus does not have is empty.
CONCENTRATION_HEADER = [
    "department_code",
    "department_name",
    "parent_code",
    "depth",
    "row_n",
    "row_suppressed",
    "n_allocation",
    "allocation_suppressed",
    "designated_share",
    "designated_low",
    "designated_high",
    "distributed_share",
    "distributed_low",
    "distributed_high",
    "mean_hhi",
    "hhi_of_mean",
    "n_primary_owner",
    "primary_owner_suppressed",
    "n_before",
    "n_after",
    "before_designated",
    "after_designated",
    "p_value",
    "q_value",
    "method",
    "significant",
    "locus",
    "locus_label",
    "locus_kind",
    "mean_share",
    "primary_owner_share",
    "primary_owner_band_low",
    "primary_owner_band_high",
    "hhi_of_mean_low",
    "hhi_of_mean_high",
    "effective_number",
]


def concentration_rows(report: Concentration) -> tuple[list[str], list[list[Any]]]:
    loci = {ref.slug: ref for ref in report.loci}
    for ref in report.owner_loci:
        loci.setdefault(ref.slug, ref)
    rows = []
    for row in report.rows:
        d = row.department
        department = [
            d.code,
            d.name,
            d.parent_code,
            d.depth,
            row.n,
            row.suppressed,
            row.n_allocation,
            row.allocation_suppressed,
            row.designated_share,
            row.designated_low,
            row.designated_high,
            row.distributed_share,
            row.distributed_low,
            row.distributed_high,
            row.mean_hhi,
            row.hhi_of_mean,
            row.n_primary_owner,
            row.primary_owner_suppressed,
            row.n_before,
            row.n_after,
            row.before_designated,
            row.after_designated,
            row.p_value,
            row.q_value,
            row.method,
            row.significant,
        ]
        shares = {s.locus: s for s in row.shares}
        owners = {o.locus: o for o in row.primary_owner}
        for slug, ref in loci.items() or {None: None}.items():
            share, owner = shares.get(slug), owners.get(slug)
            band = (owner.band if owner else None) or (None, None)
            values = department + [
                slug,
                ref.label if ref else None,
                ref.kind if ref else None,
                share.mean_share if share else None,
                owner.share if owner else None,
                band[0],
                band[1],
                row.hhi_of_mean_low,
                row.hhi_of_mean_high,
                row.effective_number,
            ]
            rows.append([cell(v) for v in values])
    return CONCENTRATION_HEADER, rows


ROW_BUILDERS = {"heatmap": heatmap_rows, "concentration": concentration_rows}


RELIABILITY_HEADER = [
    "section",
    "construct",
    "item",
    "department_code",
    "n",
    "n_items",
    "alpha",
    "alpha_low",
    "alpha_high",
    "standardized_alpha",
    "omega",
    "icc1",
    "icc2",
    "r_drop",
    "alpha_if_dropped",
    "lowers_alpha",
    "rwg_j",
    "rwg_band",
    "suppressed",
]


def _reliability_row(section: str, construct: str, suppressed=False, **values):
    """One row of the long reliability table: the named columns filled in,
    the others empty."""
    row = dict.fromkeys(RELIABILITY_HEADER, "")
    row.update(section=section, construct=construct, suppressed=suppressed)
    row.update(values)
    return [cell(row[name]) for name in RELIABILITY_HEADER]


def reliability_rows(report) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for c in report.constructs:
        rows.append(
            _reliability_row(
                "construct",
                c.construct,
                n=c.n,
                n_items=c.n_items,
                alpha=c.alpha,
                alpha_low=c.alpha_low,
                alpha_high=c.alpha_high,
                standardized_alpha=c.standardized_alpha,
                omega=c.omega,
                icc1=c.icc1,
                icc2=c.icc2,
            )
        )
        rows += [
            _reliability_row(
                "item",
                c.construct,
                item=item.item,
                r_drop=item.r_drop,
                alpha_if_dropped=item.alpha_if_dropped,
                lowers_alpha=item.lowers_alpha,
            )
            for item in c.items
        ]
    rows += [
        _reliability_row(
            "agreement",
            cell.construct,
            suppressed=cell.suppressed,
            department_code=row.department.code,
            rwg_j=cell.rwg_j,
            rwg_band=cell.band,
        )
        for row in report.rows
        for cell in row.cells
    ]
    return list(RELIABILITY_HEADER), rows


def response_rate_rows(report) -> tuple[list[str], list[list[Any]]]:
    header = [
        "department_code",
        "department_name",
        "parent_code",
        "depth",
        "invited",
        "responded",
        "rate",
        "suppressed",
    ]
    rows = [
        [
            cell(v)
            for v in (
                r.department.code,
                r.department.name,
                r.department.parent_code,
                r.department.depth,
                r.invited,
                r.responded,
                r.rate,
                r.suppressed,
            )
        ]
        for r in report.rows
    ]
    return header, rows


def comment_rows(report) -> tuple[list[str], list[list[Any]]]:
    header = [
        "department_code",
        "department_name",
        "respondents",
        "suppressed",
        "comment",
    ]
    rows = []
    for r in report.rows:
        base = [r.department.code, r.department.name, r.respondents, r.suppressed]
        if r.suppressed or not r.comments:
            rows.append([cell(v) for v in [*base, None]])
        for text in r.comments:
            rows.append([cell(v) for v in [*base, text]])
    return header, rows


def trend_rows(report) -> tuple[list[str], list[list[Any]]]:
    header = [
        "department_code",
        "department_name",
        "construct",
        "wave_id",
        "wave_label",
        "opens_at",
        "n",
        "mean",
        "favourable",
        "favourable_low",
        "favourable_high",
        "suppressed",
    ]
    rows = []
    for s in report.rows:
        for p in s.points:
            rows.append(
                [
                    cell(v)
                    for v in (
                        s.department.code,
                        s.department.name,
                        s.construct,
                        p.wave_id,
                        p.wave_label,
                        p.opens_at.isoformat(),
                        p.n,
                        p.mean,
                        p.favourable,
                        p.favourable_low,
                        p.favourable_high,
                        p.suppressed,
                    )
                ]
            )
    return header, rows


ROW_BUILDERS.update(
    reliability=reliability_rows,
    response_rates=response_rate_rows,
    comments=comment_rows,
    trends=trend_rows,
)


# Any other report kind: one generic flattener ---------------------------------


def _columns(kind: type, prefix: str = "") -> list[tuple[str, list[str], Any]]:
    """(header, path of field names, field) of every scalar a row holds,
    nested dataclasses flattened with their field name as prefix."""
    out = []
    hints = _hints(kind)
    for f in dataclasses.fields(kind):
        hint = _plain(hints[f.name])
        header = f.metadata.get("header", f"{prefix}{f.name}")
        if dataclasses.is_dataclass(hint):
            for sub_header, path, sub in _columns(hint, f"{f.name}_"):
                out.append((sub_header, [f.name, *path], sub))
        elif not _is_list_of_dataclasses(hint):
            out.append((header, [f.name], f))
    return out


def _plain(hint: Any) -> Any:
    """``X | None`` as ``X``."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return options[0] if len(options) == 1 else hint
    return hint


def _is_list_of_dataclasses(hint: Any) -> bool:
    args = typing.get_args(hint)
    return (
        typing.get_origin(hint) is tuple
        and len(args) == 2
        and args[1] is Ellipsis
        and dataclasses.is_dataclass(args[0])
    )


def _value(obj: Any, path: list[str]) -> Any:
    for name in path:
        obj = None if obj is None else getattr(obj, name)
    if isinstance(obj, (tuple, list, dict)):
        return json.dumps(to_data(obj), ensure_ascii=False)
    return to_data(obj)


def flat_rows(report: Any) -> tuple[list[str], list[list[Any]]]:
    """A report's ``rows`` as one flat table: each row's scalars (nested
    dataclasses such as the department flattened into prefixed columns), and
    where a row holds a tuple of dataclasses (cells), one line per element in
    long format. Headers come from a field's ``metadata["header"]`` or its
    name."""
    row_type = _plain(_hints(type(report))["rows"])
    (row_kind, _ellipsis) = typing.get_args(row_type)
    columns = _columns(row_kind)
    hints = _hints(row_kind)
    long = next(
        (
            f.name
            for f in dataclasses.fields(row_kind)
            if _is_list_of_dataclasses(hints[f.name])
        ),
        None,
    )
    inner = _columns(typing.get_args(hints[long])[0]) if long else []
    header = [h for h, _p, _f in columns] + [h for h, _p, _f in inner]
    out = []
    for row in report.rows:
        base = [cell(_value(row, path)) for _h, path, _f in columns]
        elements = getattr(row, long) if long else ()
        if not elements:
            out.append(base + [""] * len(inner))
        for element in elements:
            out.append(base + [cell(_value(element, path)) for _h, path, _f in inner])
    return header, out


def report_rows(kind: str, report: Any) -> tuple[list[str], list[list[Any]]]:
    """The flat table of ``report``: the kind's own layout where it has one,
    else :func:`flat_rows`. Header cells are neutralised like data cells
    (a header can carry a label someone typed)."""
    header, rows = ROW_BUILDERS.get(kind, flat_rows)(report)
    return [cell(h) for h in header], rows
