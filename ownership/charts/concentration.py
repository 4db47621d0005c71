"""Charts of the responsibility-concentration report: where responsibility
sits, how it moved when the CCO was appointed, how evenly departments own the
customer, and whom people name as mainly responsible.
"""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ownership.analytics.reports import Concentration, ConcentrationRow
from ownership.presentation import percent, pvalue

from .bars import Bar, describe_bars, diverging, interval, row_labels
from .svg import (
    EVENT_DASH,
    FONT,
    GRID,
    INK,
    PALETTE,
    RULE,
    WIDTH,
    bar_axes,
    cached,
    department_name,
    heading,
    legend,
    percent_axis,
    render,
    short,
)

MAX_CHART_ROWS = 14  # beyond: the organisation and the verdict's level only


def drawn_rows(report: Concentration, rows=None) -> list[ConcentrationRow]:
    """The rows a chart draws: all of them in a small organisation, else the
    organisation and the departments down to the verdict's level (the tables
    and exports have every department)."""
    rows = list(report.rows if rows is None else rows)
    if len(rows) > MAX_CHART_ROWS:
        rows = [row for row in rows if row.department.depth <= report.level]
    return rows


def _fingerprint(report: Concentration, rows) -> tuple:
    """What a chart draws, for its cache key: not the whole report, whose
    pickle in a large organisation costs more than reading the chart."""
    return (
        tuple(rows),
        report.loci,
        report.owner_loci,
        report.min_group_size,
        report.wave_label,
        report.baseline_wave_label,
        report.event,
        report.verdict.share_threshold,
        report.verdict.alpha,
    )


def allocation_chart(report: Concentration) -> str | None:
    """Mean allocation of the 100 points per department as a diverging
    stacked bar: designated owners left, the staff themselves right, other
    loci apart; each side's total with its 95 % interval."""
    if not report.loci or not report.rows:
        return None

    def bar(row: ConcentrationRow) -> Bar:
        shares = {s.locus: s.mean_share for s in row.shares}
        hidden = row.allocation_suppressed or None in shares.values()
        return Bar(
            department_name(row.department),
            row.department.depth,
            row.department.code is None,
            hidden,
            {} if hidden else {key: (v, v) for key, v in shares.items()},
            interval(row.designated_share, row.designated_low, row.designated_high),
            interval(row.distributed_share, row.distributed_low, row.distributed_high),
        )

    rows = drawn_rows(report)

    def build() -> str:
        bars = [bar(row) for row in rows]
        k = report.min_group_size
        lead = _(
            "Mean share of the 100 points each group gives to designated "
            "owners (bars to the left) and to the staff themselves (to "
            "the right)."
        )
        if len(rows) < len(report.rows):
            lead += " " + _(
                "Only the organisation and its main divisions are drawn; the "
                "table has every department."
            )
        return render(
            lambda: diverging(bars, report.loci, k=k, intervals=True),
            slug="chart-allocation",
            title=_("Where responsibility sits, by department (%(wave)s)")
            % {"wave": report.wave_label},
            desc=describe_bars(bars, k, lead, intervals=True),
        )

    return cached(
        "allocation", f"wave{report.wave_id}", _fingerprint(report, rows), build
    )


def _p_text(value: float | None) -> str:
    text = pvalue(value)
    return text if text.startswith(("<", "–")) else f"= {text}"


def _pairs(ax, stats, rows, colours) -> None:
    """A department's before and after bars, and its p and q beside them."""
    for y, row in enumerate(rows):
        for offset, value, colour in (
            (-0.19, row.before_designated, colours[0]),
            (0.19, row.after_designated, colours[1]),
        ):
            ax.barh(y + offset, value, height=0.36, color=colour)
            ax.text(
                value + 0.012,
                y + offset,
                percent(value),
                va="center",
                fontsize=FONT - 1,
            )
        stats.text(
            0.04,
            y,
            f"p {_p_text(row.p_value)}\nq {_p_text(row.q_value)}"
            + ("  ◆" if row.significant else ""),
            va="center",
            fontsize=FONT - 1,
            fontweight="bold" if row.significant else "normal",
        )


def _before_after_figure(report: Concentration, rows, colours) -> Figure:
    figure = Figure(figsize=(WIDTH, 1.3 + 0.62 * len(rows)), layout="constrained")
    grid = figure.add_gridspec(1, 3, width_ratios=[2.5, 5.0, 2.0], wspace=0.01)
    names = figure.add_subplot(grid[0, 0])
    ax = figure.add_subplot(grid[0, 1], sharey=names)
    stats = figure.add_subplot(grid[0, 2], sharey=names)
    _pairs(ax, stats, rows, colours)
    threshold = report.verdict.share_threshold
    ax.axvline(threshold, color=INK, linestyle=EVENT_DASH, linewidth=1)
    label = _("threshold %(share)s") % {"share": percent(threshold)}
    heading(ax, threshold, label, "center", INK)
    ax.set_xlim(0, 1.0)
    percent_axis(ax.xaxis)
    bar_axes(ax, len(rows))
    ax.set_xlabel(_("Share of responsibility on designated owners"))
    stats.set_xlim(0, 1)
    stats.axis("off")
    row_labels(
        names,
        [
            Bar(
                department_name(r.department),
                r.department.depth,
                r.department.code is None,
                False,
            )
            for r in rows
        ],
    )
    before = short(report.baseline_wave_label or "", 24)
    after = short(report.wave_label, 24)
    significant = _("significant (q < %(a)s)") % {"a": f"{report.verdict.alpha:g}"}
    legend(
        figure,
        [
            Patch(color=colours[0], label=_("Before: %(w)s") % {"w": before}),
            Patch(color=colours[1], label=_("After: %(w)s") % {"w": after}),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                color=INK,
                markersize=6,
                label=significant,
            ),
        ],
    )
    return figure


def _describe_before_after(report: Concentration, rows) -> str:
    lead = _(
        "Designated owners' share in %(before)s against %(after)s, per "
        "department compared."
    ) % {
        "before": report.baseline_wave_label or _("the earlier wave"),
        "after": report.wave_label,
    }
    lines = [
        _("%(name)s: %(before)s to %(after)s, p %(p)s, q %(q)s%(sig)s.")
        % {
            "name": department_name(row.department),
            "before": percent(row.before_designated),
            "after": percent(row.after_designated),
            "p": _p_text(row.p_value),
            "q": _p_text(row.q_value),
            "sig": _(", significant") if row.significant else "",
        }
        for row in rows
    ]
    return " ".join([lead, *lines])


def before_after_chart(report: Concentration) -> str | None:
    """The designated owners' share before and after the CCO's appointment,
    per department compared; p and q beside each pair, ◆ where the whole
    allocation moved significantly."""
    compared = [
        row
        for row in report.rows
        if row.before_designated is not None and row.after_designated is not None
    ]
    rows = drawn_rows(report, compared)
    if not rows or report.event is None:
        return None
    colours = (PALETTE["designated"][1], PALETTE["designated"][0])

    def build() -> str:
        return render(
            lambda: _before_after_figure(report, rows, colours),
            slug="chart-before-after",
            title=_("Designated owners' share before and after: %(event)s")
            % {"event": report.event.title},
            desc=_describe_before_after(report, rows),
        )

    return cached(
        "before-after", f"wave{report.wave_id}", _fingerprint(report, rows), build
    )


def _lorenz_figure(population, share, gini: str) -> Figure:
    figure = Figure(figsize=(6.0, 5.6), layout="constrained")
    ax = figure.add_subplot()
    ax.plot(
        [0, 1],
        [0, 1],
        color=RULE,
        linestyle=EVENT_DASH,
        linewidth=1.2,
        label=_("Every department equal (Gini 0)"),
    )
    ax.fill_between(population, share, population, color="#d8daeb", linewidth=0)
    ax.plot(
        population,
        share,
        color=PALETTE["distributed"][0],
        linewidth=2.4,
        marker="o",
        markersize=5,
        clip_on=False,
        label=_("Departments (Gini %(g)s)") % {"g": gini},
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    percent_axis(ax.xaxis)
    percent_axis(ax.yaxis)
    ax.grid(color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_xlabel(_("Departments, lowest ownership first"))
    ax.set_ylabel(_("Share of all ownership"))
    ax.set_title(
        _("Gini coefficient %(g)s") % {"g": gini}, loc="left", fontweight="bold"
    )
    ax.legend(loc="upper left", frameon=False)
    return figure


def lorenz_chart(report: Concentration) -> str | None:
    """The Lorenz curve of the departments' ownership (their distributed
    share) against the line of equality, with the Gini coefficient."""
    if report.lorenz is None or report.gini is None:
        return None
    population, share = report.lorenz.population, report.lorenz.share
    gini = f"{report.gini:.2f}"

    def build() -> str:
        return render(
            lambda: _lorenz_figure(population, share, gini),
            slug="chart-lorenz",
            css="chart-square",
            title=_("Lorenz curve of ownership across departments"),
            desc=_(
                "How the staff's own share of responsibility is spread over "
                "%(n)d departments. Gini coefficient %(g)s: 0 means every "
                "department owns the customer equally, 1 that one department "
                "holds all ownership. The lower half of the departments holds "
                "%(half)s of all ownership."
            )
            % {
                "n": len(population) - 1,
                "g": gini,
                "half": percent(float(np.interp(0.5, population, share))),
            },
        )

    return cached(
        "lorenz",
        f"wave{report.wave_id}",
        (tuple(population), tuple(share), gini),
        build,
    )


def primary_owner_chart(report: Concentration) -> str | None:
    """Whom respondents name as mainly responsible, per department, drawn
    like the allocation: designated owners left, the staff themselves right.
    A share withheld in a small group is a hatched range."""
    if not report.owner_loci or not report.rows:
        return None
    rows = drawn_rows(report)

    def bar(row: ConcentrationRow) -> Bar:
        shares = {
            o.locus: tuple(o.band) if o.band else (o.share, o.share)
            for o in row.primary_owner
            if o.band is not None or o.share is not None
        }
        hidden = row.primary_owner_suppressed or len(shares) < len(report.owner_loci)
        base = Bar(
            department_name(row.department),
            row.department.depth,
            row.department.code is None,
            hidden,
            {} if hidden else shares,
        )
        if hidden:
            return base
        totals = {}
        for kind in ("designated", "distributed"):
            ranges = [shares[r.slug] for r in report.owner_loci if r.kind == kind]
            if ranges:
                low, high = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
                totals[kind] = ((low + high) / 2, low, high)
        return Bar(
            base.label,
            base.depth,
            base.organisation,
            False,
            shares,
            totals.get("designated"),
            totals.get("distributed"),
        )

    def build() -> str:
        bars = [bar(row) for row in rows]
        k = report.min_group_size
        lead = _(
            "Share of respondents naming each place as mainly responsible when a "
            "customer is unhappy: designated owners (to the left) and the staff "
            "themselves (to the right)."
        )
        if len(rows) < len(report.rows):
            lead += " " + _(
                "Only the organisation and its main divisions are drawn; the "
                "table has every department."
            )
        return render(
            lambda: diverging(bars, report.owner_loci, k=k, intervals=False),
            slug="chart-owner",
            title=_("Who is mainly responsible when a customer is unhappy?"),
            desc=describe_bars(bars, k, lead, intervals=False),
        )

    return cached("owner", f"wave{report.wave_id}", _fingerprint(report, rows), build)


def concentration_charts(report: Concentration) -> dict[str, str | None]:
    """Every chart of the responsibility page by name (``None``: not drawn)."""
    return {
        "allocation": allocation_chart(report),
        "before_after": before_after_chart(report),
        "lorenz": lorenz_chart(report),
        "owner": primary_owner_chart(report),
    }
