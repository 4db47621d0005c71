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
    WIDTH,
    cached,
    department_name,
    legend,
    percent_axis,
    render,
    short,
)

HIGHLIGHT = "#542788"  # the department read, with its interval
OTHERS = "#8c8c8c"  # every other line drawn, for context (3.4:1 on white)
MAX_LINES = 12  # per panel


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localdate(value) if timezone.is_aware(value) else value.date()


def _pick_lines(
    series: Sequence[TrendSeries], focus: DepartmentRef | None
) -> list[DepartmentRef]:
    """The departments to draw, in tree order: all of them if few enough,
    else whole levels of the tree from the top while they fit; the
    highlighted department always."""
    departments = list(dict.fromkeys(s.department for s in series))
    if len(departments) <= MAX_LINES:
        return departments
    chosen: list[DepartmentRef] = [focus] if focus in departments else []
    for depth in sorted({d.depth for d in departments}):
        level = [d for d in departments if d.depth == depth and d not in chosen]
        if len(chosen) > 1 and len(chosen) + len(level) > MAX_LINES:
            break
        chosen.extend(level[: MAX_LINES - len(chosen)])
    return [d for d in departments if d in chosen]


def construct_label(key: str, labels: dict[str, str] | None = None) -> str:
    """A column's name as the survey calls it."""
    if labels and key in labels:
        return labels[key]
    if key == "nps":
        return _("Recommendation (share of promoters)")
    if key == "response_rate":
        return _("Response rate")
    return key.replace("-", " ").replace("_", " ").capitalize()


def _masked(values: Sequence[float | None]) -> np.ma.MaskedArray:
    return np.ma.masked_invalid(
        np.array([np.nan if v is None else v for v in values], dtype=float)
    )


def _wave_tick(label: str, day: dt.date) -> str:
    lines = textwrap.wrap(label, 15)[:2]
    return "\n".join([*lines, formats.date_format(day, "j M Y")])


def _line(ax, s: TrendSeries, highlighted: bool) -> None:
    """One department's line: grey for context, or highlighted with its
    interval shaded and provisional points hollow."""
    x = [_local_date(p.opens_at) for p in s.points]
    y = _masked([p.favourable for p in s.points])
    if not highlighted:
        ax.plot(
            x, y, color=OTHERS, linewidth=1.1, marker="o", markersize=2.5, clip_on=False
        )
        return
    ax.fill_between(
        x,
        _masked([p.favourable_low for p in s.points]),
        _masked([p.favourable_high for p in s.points]),
        color=HIGHLIGHT,
        alpha=0.16,
        linewidth=0,
    )
    ax.plot(
        x, y, color=HIGHLIGHT, linewidth=2.6, marker="o", markersize=7, clip_on=False
    )
    hollow = [
        (d, p.favourable)
        for d, p in zip(x, s.points, strict=True)
        if p.provisional and p.favourable is not None
    ]
    if hollow:
        ax.plot(
            [d for d, _v in hollow],
            [v for _d, v in hollow],
            linestyle="none",
            marker="o",
            markersize=7,
            markerfacecolor="white",
            markeredgecolor=HIGHLIGHT,
            markeredgewidth=2,
            clip_on=False,
        )


def _panel(ax, title: str, series, focus, events, pad: int) -> None:
    """One theme's panel: the others first, so the highlighted line is on top."""
    for s in sorted(series, key=lambda s: s.department == focus):
        _line(ax, s, s.department == focus)
    for event in events:
        ax.axvline(event.date, color=INK, linestyle=EVENT_DASH, linewidth=1.1)
    ax.set_ylim(0, 1)
    percent_axis(ax.yaxis)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_title(title, loc="left", fontweight="bold", pad=pad)
    ax.set_ylabel(_("Favourable"))


def _time_axes(axes, report: Trends, dates: list[dt.date]) -> None:
    """Waves on the bottom axis, events labelled on the top one."""
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


def _handles(focus, others: bool, provisional: bool, events: bool) -> list:
    """The legend's keys, for what is drawn."""
    name = short(department_name(focus), 28)
    handles: list = [
        Line2D([], [], color=HIGHLIGHT, marker="o", linewidth=2.6, label=name),
        Patch(color=HIGHLIGHT, alpha=0.2, label=_("95 % interval")),
    ]
    if others:
        handles.append(
            Line2D(
                [],
                [],
                color=OTHERS,
                marker="o",
                markersize=2.5,
                linewidth=1.1,
                label=_("other departments"),
            )
        )
    if provisional:
        handles.append(
            Line2D(
                [],
                [],
                color=HIGHLIGHT,
                marker="o",
                linestyle="none",
                markerfacecolor="white",
                markeredgewidth=2,
                label=_("provisional (wave still open)"),
            )
        )
    if events:
        handles.append(
            Line2D(
                [], [], color=INK, linestyle=EVENT_DASH, label=_("organisation event")
            )
        )
    return handles


def trends_chart(
    report: Trends, series: Sequence[TrendSeries], focus: DepartmentRef | None = None
) -> str | None:
    """The favourable share over the waves: a panel per theme, the ``focus``
    department (default: the organisation) highlighted with its 95 % interval
    shaded, every other department drawn in grey for context, organisation
    events as dashed lines labelled on the time axis. A hidden point leaves a
    gap; a point from an interim release of an open wave is hollow."""
    drawable = [s for s in series if any(p.favourable is not None for p in s.points)]
    if not drawable or not report.waves:
        return None
    present = list(dict.fromkeys(s.department for s in drawable))
    if focus not in present:
        focus = next((d for d in present if d.code is None), present[0])
    departments = _pick_lines(drawable, focus)
    drawable = [s for s in drawable if s.department in departments]
    constructs = list(dict.fromkeys(s.construct for s in drawable))
    provisional = any(p.provisional for s in drawable for p in s.points)
    labels = report.construct_labels

    def draw() -> Figure:
        panel = 2.5 if len(constructs) <= 3 else 2.0
        height = 1.6 + panel * len(constructs)
        figure = Figure(figsize=(WIDTH, height), layout="constrained")
        axes = figure.subplots(len(constructs), 1, sharex=True, squeeze=False)[:, 0]
        for ax, key in zip(axes, constructs, strict=True):
            # Room above the first panel for the events' labels.
            pad = 20 if report.events and ax is axes[0] else 6
            series_of = [s for s in drawable if s.construct == key]
            title = construct_label(key, labels)
            _panel(ax, title, series_of, focus, report.events, pad)
        _time_axes(axes, report, [_local_date(w.opens_at) for w in report.waves])
        others = len(departments) > 1
        legend(figure, _handles(focus, others, provisional, bool(report.events)))
        return figure

    def build() -> str:
        return render(
            draw,
            slug="chart-trends",
            title=_("Trends: %(survey)s") % {"survey": report.survey_title},
            desc=_describe_trends(report, drawable, focus),
        )

    # The key covers what is drawn, not the whole report (10,000 series in a
    # large organisation would cost more to fingerprint than to read).
    drawn = (
        report.waves,
        report.events,
        report.construct,
        labels,
        focus,
        tuple(drawable),
    )
    return cached("trends", f"survey{report.survey_id}", drawn, build)


def _describe_trends(report: Trends, drawable, focus: DepartmentRef) -> str:
    lines = len({s.department for s in drawable})
    parts = [
        _(
            "Favourable share per wave for %(lines)d department(s) and %(themes)d "
            "theme(s); %(focus)s is highlighted with its 95 %% interval, the "
            "others are grey; a gap is a group too small to show."
        )
        % {
            "lines": lines,
            "themes": len({s.construct for s in drawable}),
            "focus": department_name(focus),
        }
    ]
    parts += [
        _("Event on %(date)s: %(title)s.")
        % {"date": formats.date_format(e.date, "DATE_FORMAT"), "title": e.title}
        for e in report.events
    ]
    for s in drawable:
        points = ", ".join(
            f"{p.wave_label} "
            + (_("not shown") if p.favourable is None else percent(p.favourable))
            + (f" ({_('provisional')})" if p.provisional else "")
            for p in s.points
        )
        name = department_name(s.department)
        theme = construct_label(s.construct, report.construct_labels)
        parts.append(f"{name}, {theme}: {points}.")
    return " ".join(parts)
