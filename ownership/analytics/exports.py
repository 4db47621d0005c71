"""Flat tables of reports, for CSV and XLSX. Same values as the JSON, no more."""

from __future__ import annotations

from typing import Any

from .reports import Concentration, Heatmap

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
]


# A spreadsheet treats text starting with these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
            ]
            rows.append([_cell(v) for v in values])
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
            ]
            rows.append([_cell(v) for v in values])
    return CONCENTRATION_HEADER, rows


ROW_BUILDERS = {"heatmap": heatmap_rows, "concentration": concentration_rows}


def report_rows(kind: str, report: Any) -> tuple[list[str], list[list[Any]]]:
    return ROW_BUILDERS[kind](report)


def reliability_rows(report) -> tuple[list[str], list[list[Any]]]:
    header = [
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
    rows = []
    for c in report.constructs:
        rows.append(
            [
                "construct",
                c.construct,
                "",
                "",
                c.n,
                c.n_items,
                c.alpha,
                c.alpha_low,
                c.alpha_high,
                c.standardized_alpha,
                c.omega,
                c.icc1,
                c.icc2,
                "",
                "",
                "",
                "",
                "",
                False,
            ]
        )
        for item in c.items:
            rows.append(
                [
                    "item",
                    c.construct,
                    item.item,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    item.r_drop,
                    item.alpha_if_dropped,
                    item.lowers_alpha,
                    "",
                    "",
                    False,
                ]
            )
    for row in report.rows:
        for cell in row.cells:
            rows.append(
                [
                    "agreement",
                    cell.construct,
                    "",
                    row.department.code,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    cell.rwg_j,
                    cell.band,
                    cell.suppressed,
                ]
            )
    return header, [[_cell(v) for v in r] for r in rows]


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
            _cell(v)
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
            rows.append([_cell(v) for v in [*base, None]])
        for text in r.comments:
            rows.append([_cell(v) for v in [*base, text]])
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
                    _cell(v)
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
