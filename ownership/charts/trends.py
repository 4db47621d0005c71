"""The trends chart: a department's results wave by wave, with events."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence

import numpy as np
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ownership.analytics.reports import DepartmentRef
from ownership.analytics.trends import Trends, TrendSeries
from ownership.presentation import percent

from .svg import (
    EVENT_DASH,
    FONT,
    GRID,
    INK,
    MUTED,
    WIDTH,
    cached,
    department_name,
    legend,
    percent_axis,
    render,
    short,
)

LINE_STYLES = (  # colour, marker, dash
    ("#542788", "o", "-"),
    ("#b35806", "s", "-"),
    ("#998ec3", "^", "--"),
    ("#e08214", "D", "--"),
    ("#2d004b", "v", ":"),
    ("#7f3b08", "P", ":"),
)
ORGANISATION_STYLE = (MUTED, "o", (0, (5, 2)))
MAX_LINES = 12  # per panel
MAX_BANDS = 4  # shaded intervals only while they stay readable


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localdate(value) if timezone.is_aware(value) else value.date()


def _pick_lines(series: Sequence[TrendSeries]) -> list[DepartmentRef]:
    """The departments to draw, in tree order: all of them if few enough,
    else whole levels of the tree from the top while they fit."""
    departments = list(dict.fromkeys(s.department for s in series))
    if len(departments) <= MAX_LINES:
        return departments
    chosen: list[DepartmentRef] = []
    for depth in sorted({d.depth for d in departments}):
        level = [d for d in departments if d.depth == depth]
        if chosen and len(chosen) + len(level) > MAX_LINES:
            break
        chosen.extend(level[: MAX_LINES - len(chosen)])
    return [d for d in departments if d in chosen]


def construct_label(key: str) -> str:
    if key == "nps":
        return _("Recommendation (share of promoters)")
    return key.replace("-", " ").replace("_", " ").capitalize()


def _masked(values: Sequence[float | None]) -> np.ma.MaskedArray:
    return np.ma.masked_invalid(
        np.array([np.nan if v is None else v for v in values], dtype=float)
    )


def _wave_tick(label: str, day: dt.date) -> str:
    lines = textwrap.wrap(label, 15)[:2]
    return "\n".join([*lines, formats.date_format(day, "j M Y")])


def trends_chart(report: Trends, series: Sequence[TrendSeries]) -> str | None:
    """The favourable share over the waves: a panel per theme, a line per
    department with its 95 % interval shaded (up to four lines), and
    organisation events as dashed lines labelled on the time axis. A hidden
    point leaves a gap."""
    drawable = [s for s in series if any(p.favourable is not None for p in s.points)]
    if not drawable or not report.waves:
        return None
    departments = _pick_lines(drawable)
    drawable = [s for s in drawable if s.department in departments]
    constructs = list(dict.fromkeys(s.construct for s in drawable))
    styles, position = {}, 0
    for ref in departments:
        if ref.code is None:
            styles[ref] = ORGANISATION_STYLE
        else:
            styles[ref] = LINE_STYLES[position % len(LINE_STYLES)]
            position += 1
    bands = len(departments) <= MAX_BANDS
    dates = [_local_date(w.opens_at) for w in report.waves]

    def draw() -> Figure:
        panel = 2.5 if len(constructs) <= 3 else 2.0
        height = 1.4 + panel * len(constructs) + 0.3 * (len(departments) // 3)
        figure = Figure(figsize=(WIDTH, height), layout="constrained")
        axes = figure.subplots(len(constructs), 1, sharex=True, squeeze=False)[:, 0]
        for ax, key in zip(axes, constructs, strict=True):
            for s in (s for s in drawable if s.construct == key):
                colour, marker, dash = styles[s.department]
                x = [_local_date(p.opens_at) for p in s.points]
                ax.plot(
                    x,
                    _masked([p.favourable for p in s.points]),
                    color=colour,
                    marker=marker,
                    linestyle=dash,
                    markersize=6,
                    linewidth=2.4 if s.department.code is None else 2,
                    clip_on=False,  # a point at 0 % or 100 % stays whole
                )
                if bands:
                    ax.fill_between(
                        x,
                        _masked([p.favourable_low for p in s.points]),
                        _masked([p.favourable_high for p in s.points]),
                        color=colour,
                        alpha=0.14,
                        linewidth=0,
                    )
            for event in report.events:
                ax.axvline(event.date, color=INK, linestyle=EVENT_DASH, linewidth=1.1)
            ax.set_ylim(0, 1)
            percent_axis(ax.yaxis)
            ax.grid(axis="y", color=GRID, linewidth=0.8)
            ax.set_axisbelow(True)
            # Room above the first panel for the events' labels.
            pad = 20 if report.events and ax is axes[0] else 6
            ax.set_title(construct_label(key), loc="left", fontweight="bold", pad=pad)
            ax.set_ylabel(_("Favourable"))
        bottom = axes[-1]
        many = len(dates) > 6
        bottom.set_xticks(
            dates,
            [
                formats.date_format(d, "j M Y") if many else _wave_tick(w.label, d)
                for w, d in zip(report.waves, dates, strict=True)
            ],
            rotation=30 if many else 0,
            ha="right" if many else "center",
        )
        days = [*dates, *(e.date for e in report.events)]
        margin = max((max(days) - min(days)) * 0.06, dt.timedelta(days=3))
        bottom.set_xlim(min(days) - margin, max(days) + margin)
        if report.events:
            top = axes[0].secondary_xaxis("top")
            top.set_xticks(
                [e.date for e in report.events],
                [short(e.title, 36) for e in report.events],
                fontsize=FONT - 1,
            )
            top.tick_params(length=4, color=INK)
            top.spines["top"].set_visible(False)
        handles: list = [
            Line2D(
                [],
                [],
                color=styles[ref][0],
                marker=styles[ref][1],
                linestyle=styles[ref][2],
                linewidth=2,
                label=short(department_name(ref), 28),
            )
            for ref in departments
        ]
        if bands:
            handles.append(Patch(color=MUTED, alpha=0.2, label=_("95 % interval")))
        if report.events:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=INK,
                    linestyle=EVENT_DASH,
                    label=_("organisation event"),
                )
            )
        legend(figure, handles)
        return figure

    def build() -> str:
        return render(
            draw,
            slug="chart-trends",
            title=_("Trends: %(survey)s") % {"survey": report.survey_title},
            desc=_describe_trends(report, drawable, len(departments), bands),
        )

    # The key covers what is drawn, not the whole report (10,000 series in a
    # large organisation would cost more to fingerprint than to read).
    drawn = (report.waves, report.events, report.construct, tuple(drawable))
    return cached("trends", f"survey{report.survey_id}", drawn, build)


def _describe_trends(report: Trends, drawable, lines: int, bands: bool) -> str:
    parts = [
        _(
            "Favourable share per wave for %(lines)d department(s) and %(themes)d "
            "theme(s); a gap is a group too small to show."
        )
        % {"lines": lines, "themes": len({s.construct for s in drawable})}
    ]
    if not bands:
        parts.append(_("Intervals are in the tables only."))
    parts += [
        _("Event on %(date)s: %(title)s.")
        % {"date": formats.date_format(e.date, "DATE_FORMAT"), "title": e.title}
        for e in report.events
    ]
    for s in drawable:
        points = ", ".join(
            f"{p.wave_label} "
            + (_("not shown") if p.favourable is None else percent(p.favourable))
            for p in s.points
        )
        name = department_name(s.department)
        parts.append(f"{name}, {construct_label(s.construct)}: {points}.")
    return " ".join(parts)
