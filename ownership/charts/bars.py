"""Diverging bars: designated owners left of zero, the staff themselves
right of it, any other locus in a grey panel apart (so that it lengthens
neither side). The allocation and the primary-owner charts draw with this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ownership.analytics.reports import LocusRef
from ownership.presentation import percent

from .svg import (
    DARK,
    FONT,
    HATCH,
    INK,
    MUTED,
    PALETTE,
    WIDTH,
    bar_axes,
    fewer_than,
    heading,
    legend,
    percent_axis,
    range_text,
    short,
)


@dataclass(frozen=True)
class Bar:
    """A chart row: (low, high) per locus, equal unless the exact share was
    withheld; side totals as (value, low, high)."""

    label: str
    depth: int
    organisation: bool
    suppressed: bool
    shares: dict[str, tuple[float, float]] = field(default_factory=dict)
    designated: tuple[float, float, float] | None = None
    distributed: tuple[float, float, float] | None = None


def row_labels(ax, bars: Sequence[Bar]) -> None:
    """Department names, indented by depth, in an axes of their own."""
    ax.set_xlim(0, 1)
    ax.axis("off")
    top = min((bar.depth for bar in bars), default=0)
    for y, bar in enumerate(bars):
        ax.text(
            0.045 * min(bar.depth - top, 4),
            y,
            short(bar.label),
            ha="left",
            va="center",
            fontweight="bold" if bar.organisation else "normal",
        )


def _colours(loci: Sequence[LocusRef]) -> dict[str, str]:
    used = dict.fromkeys(PALETTE, 0)
    colours = {}
    for ref in loci:
        kind = ref.kind if ref.kind in PALETTE else "other"
        colours[ref.slug] = PALETTE[kind][used[kind] % len(PALETTE[kind])]
        used[kind] += 1
    return colours


def _suppressed_row(ax, y: float, x0: float, x1: float, k: int) -> None:
    ax.add_patch(
        Rectangle(
            (x0, y - 0.34),
            x1 - x0,
            0.68,
            facecolor="#ffffff",
            edgecolor=HATCH,
            hatch="////",
            linewidth=0.8,
        )
    )
    ax.text(
        (x0 + x1) / 2,
        y,
        fewer_than(k),
        ha="center",
        va="center",
        style="italic",
        color=MUTED,
        bbox={"facecolor": "#ffffff", "edgecolor": "none", "pad": 2},
    )


def _stack(ax, y, refs, bar, colours, sign, quiet=None) -> float:
    """Segments of ``refs`` from zero outwards; the withheld part of a band
    is hatched. No number inside a segment whose middle lies in ``quiet``
    (where an interval whisker runs). Returns the stack's outer end."""
    start = 0.0
    for ref in refs:
        low, high = bar.shares[ref.slug]
        colour = colours[ref.slug]
        if low > 0:
            ax.barh(
                y,
                sign * low,
                left=sign * start,
                height=0.68,
                color=colour,
                edgecolor="#ffffff",
                linewidth=1,
            )
            middle = start + low / 2
            # Two digits are about 0.09 wide on these axes.
            clear = (
                quiet is None or middle + 0.045 < quiet[0] or middle - 0.045 > quiet[1]
            )
            if low >= 0.07 and clear:
                ax.text(
                    sign * middle,
                    y,
                    f"{100 * low:.0f}",
                    ha="center",
                    va="center",
                    fontsize=FONT - 1,
                    color="#ffffff" if colour in DARK else INK,
                )
        if high > low:
            ax.barh(
                y,
                sign * (high - low),
                left=sign * (start + low),
                height=0.68,
                color="#ffffff",
                edgecolor=colour,
                hatch="////",
                linewidth=1,
            )
        start += high
    return start


def _side_totals(ax, y: int, bar: Bar, sides, colours, intervals: bool) -> None:
    """Designated loci stacked left of zero, distributed right of it, each
    side's total written at its end (with its interval as whiskers)."""
    for refs, total, sign, colour in sides(bar):
        quiet = (total[1], total[2]) if total and intervals else None
        end = _stack(ax, y, refs, bar, colours, sign, quiet)
        if total is None:
            continue
        value, low, high = total
        if intervals:
            ax.errorbar(
                sign * value,
                y,
                xerr=[[value - low], [high - value]],
                fmt="none",
                ecolor=INK,
                elinewidth=1,
                capsize=3,
            )
        ax.text(
            sign * (max(end, high) + 0.015),
            y,
            percent(value) if intervals else range_text(low, high),
            ha="right" if sign < 0 else "left",
            va="center",
            fontweight="bold",
            color=colour,
        )


def _diverging_handles(loci, colours, shown, intervals: bool) -> list:
    handles: list = [
        Patch(facecolor=colours[ref.slug], edgecolor="#ffffff", label=ref.label)
        for ref in loci
    ]
    if intervals:
        handles.append(
            Line2D(
                [],
                [],
                color=INK,
                marker="|",
                markersize=8,
                linewidth=1,
                label=_("95 % interval"),
            )
        )
    elif any(lo != hi for bar in shown for lo, hi in bar.shares.values()):
        handles.append(
            Patch(
                facecolor="#ffffff",
                edgecolor=HATCH,
                hatch="////",
                label=_("withheld (small group): range"),
            )
        )
    return handles


def _limits(shown: Sequence[Bar], other) -> tuple[float, float]:
    """How far the main panel reaches each way, and the "other" panel."""
    reach = max(
        [0.5]
        + [bar.designated[2] for bar in shown if bar.designated]
        + [bar.distributed[2] for bar in shown if bar.distributed]
    )
    other_limit = max(
        [0.25] + [sum(b.shares[r.slug][1] for r in other) + 0.12 for b in shown]
    )
    return min(1.25, np.ceil(reach * 10) / 10 + 0.15), other_limit


def diverging(
    bars: Sequence[Bar], loci: Sequence[LocusRef], *, k: int, intervals: bool
) -> Figure:
    """Designated loci stacked left of zero, distributed right of it, other
    loci in a narrow grey panel of their own (so they lengthen neither side);
    a hidden row is a hatched "fewer than k" band. ``intervals``: the side
    totals carry a confidence interval (whiskers), else a withheld band."""
    colours = _colours(loci)
    left = [ref for ref in loci if ref.kind == "designated"]
    right = [ref for ref in loci if ref.kind == "distributed"]
    other = [ref for ref in loci if ref.kind not in ("designated", "distributed")]
    shown = [bar for bar in bars if not bar.suppressed]
    limit, other_limit = _limits(shown, other)

    height = 1.2 + 0.36 * len(bars) + 0.25 * (1 + len(loci) // 3)
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    ratios = [2.5, 6.5] + ([1.5] if other else [])
    grid = figure.add_gridspec(1, len(ratios), width_ratios=ratios, wspace=0.04)
    names = figure.add_subplot(grid[0, 0])
    ax = figure.add_subplot(grid[0, 1], sharey=names)
    side = figure.add_subplot(grid[0, 2], sharey=names) if other else None

    def sides(bar: Bar):
        return (
            (left, bar.designated, -1, PALETTE["designated"][0]),
            (right, bar.distributed, 1, PALETTE["distributed"][0]),
        )

    for y, bar in enumerate(bars):
        if bar.suppressed:
            _suppressed_row(ax, y, -limit, limit, k)
            if side is not None:
                _suppressed_row(side, y, 0, other_limit, k)
            continue
        _side_totals(ax, y, bar, sides, colours, intervals)
        if side is not None:
            end = _stack(side, y, other, bar, colours, 1)
            low = sum(bar.shares[r.slug][0] for r in other)
            side.text(end + 0.02, y, range_text(low, end), va="center")

    ax.axvline(0, color=INK, linewidth=1.2)
    ax.set_xlim(-limit, limit)
    percent_axis(ax.xaxis, 0.5 if limit > 1 else 0.25, absolute=True)
    bar_axes(ax, len(bars))
    heading(ax, -0.02, "← " + _("Designated owners"), "right", PALETTE["designated"][0])
    heading(ax, 0.02, _("Staff themselves") + " →", "left", PALETTE["distributed"][0])
    if side is not None:
        side.set_xlim(0, other_limit)
        percent_axis(side.xaxis, 0.25 if other_limit <= 0.6 else 0.5)
        bar_axes(side, len(bars))
        heading(side, 0, _("Other"), "left", MUTED)
    row_labels(names, bars)
    legend(figure, _diverging_handles(left + right + other, colours, shown, intervals))
    return figure


def interval(value, low, high) -> tuple[float, float, float] | None:
    """``(value, low, high)`` for drawing, with ``low <= value <= high``.

    The report's intervals contain their estimates; a missing end is drawn at
    the value, and an end on the wrong side (a release stored before the
    intervals guaranteed it) is drawn at the value rather than failing.
    """
    if value is None:
        return None
    low = value if low is None else min(low, value)
    high = value if high is None else max(high, value)
    return (value, low, high)


def describe_bars(bars: Sequence[Bar], k: int, lead: str, intervals: bool) -> str:
    """The chart in words: each row's two side totals (point estimates where
    the totals carry intervals, else their withheld range)."""
    parts = [lead]
    for bar in bars:
        if bar.suppressed:
            parts.append(f"{bar.label}: {fewer_than(k)}.")
            continue
        sides = [
            f"{name} {percent(total[0]) if intervals else range_text(*total[1:])}"
            for name, total in (
                (_("designated owners"), bar.designated),
                (_("staff themselves"), bar.distributed),
            )
            if total is not None
        ]
        parts.append(f"{bar.label}: {', '.join(sides)}.")
    return " ".join(parts)
