"""Turning report objects into what a page shows: formatted text and colour.

Formatting only: every number arrives from ``ownership.analytics`` already
computed and already past disclosure control.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.utils import translation

from ownership.analytics.reports import Heatmap, HeatmapCell

SHOW_MODES = ("value", "delta", "change")


@functools.lru_cache(maxsize=512)
def _translated(language: str | None, text: str) -> str:
    return translation.gettext(text)


def _(text: str) -> str:
    """``gettext``, remembered per language: a large heatmap formats thousands
    of cells with the same dozen phrases, and looking each up in every app's
    catalogue is a quarter of the page's time."""
    return _translated(translation.get_language(), text)


# Seven steps of a colour-blind-safe diverging palette (ColorBrewer PuOr),
# orange for unfavourable, purple for favourable; CSS holds the colours.
STEPS = 7


@dataclass(frozen=True)
class DisplayCell:
    key: str
    text: str
    css: str
    title: str
    sort_value: float | None
    significant: bool
    suppressed: bool
    # The 95 % interval of the figure shown, as text ("" when there is none).
    interval: str = ""


@dataclass(frozen=True)
class DisplayRow:
    code: str | None
    name: str
    depth: int
    parent_code: str | None
    n: str
    suppressed: bool
    cells: tuple[DisplayCell, ...]


def percent(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{100 * value:.{digits}f} %"


def number(value: float | None, digits: int = 2, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _step(value: float | None, low: float, high: float) -> int | None:
    """Bucket ``value`` in [low, high] into 0..STEPS-1 (middle = neutral)."""
    if value is None:
        return None
    position = (value - low) / (high - low)
    return max(0, min(STEPS - 1, int(position * STEPS)))


def _oriented(value: float | None, lower_is_better: bool) -> float | None:
    return -value if (value is not None and lower_is_better) else value


def _favourable_text(cell: HeatmapCell) -> str:
    if cell.favourable_band is not None:
        low, high = cell.favourable_band
        return f"{100 * low:.0f}–{100 * high:.0f} %"
    return percent(cell.favourable)


def pvalue(value: float | None) -> str:
    """A p-value as journals print it: ".042", "< .001"."""
    if value is None:
        return "–"
    return "< .001" if value < 0.001 else f"{value:.3f}".lstrip("0")


def points(value: float | None, signed: bool = True) -> str:
    """A difference of shares in percentage points ("+6 pts")."""
    if value is None:
        return "–"
    shown = f"{100 * value:+.0f}" if signed else f"{100 * value:.0f}"
    return _("%(value)s pts") % {"value": shown}


def _interval(low: float | None, high: float | None, fmt) -> str:
    if low is None or high is None:
        return ""
    return _("%(low)s to %(high)s") % {"low": fmt(low), "high": fmt(high)}


def _shown(cell: HeatmapCell, kind: str, show: str, lower_is_better: bool):
    """The cell's text, interval, colour step and sort value in ``show`` mode."""
    nps = kind == "nps"
    if kind == "response_rate":
        return percent(cell.mean), "", _step(cell.mean, 0.0, 1.0), cell.mean
    if show == "delta":
        digits = 0 if nps else 2

        def signed(v):
            return number(v, digits, True)

        text = "–" if cell.delta is None else signed(cell.delta)
        scale = 50.0 if nps else 1.0
        oriented = _oriented(cell.delta, lower_is_better and not nps)
        interval = _interval(cell.delta_low, cell.delta_high, signed)
        return text, interval, _step(oriented, -scale, scale), cell.delta
    if show == "change":
        value = cell.change_favourable
        if nps:

            def signed(v):
                return number(v, 0, True)

            text = "–" if value is None else signed(value)
            interval = _interval(cell.change_low, cell.change_high, signed)
            return text, interval, _step(value, -50.0, 50.0), value
        interval = _interval(cell.change_low, cell.change_high, points)
        return points(value), interval, _step(value, -0.5, 0.5), value
    if nps:
        interval = _interval(
            cell.mean_low, cell.mean_high, lambda v: number(v, 0, True)
        )
        text = number(cell.mean, 0, True)
        return text, interval, _step(cell.mean, -100.0, 100.0), cell.mean
    share = cell.favourable
    if share is None and cell.favourable_band is not None:
        share = sum(cell.favourable_band) / 2
    interval = _interval(cell.favourable_low, cell.favourable_high, percent)
    return _favourable_text(cell), interval, _step(share, 0.0, 1.0), share


def _details(cell: HeatmapCell, kind: str) -> list[str]:
    """Everything the cell's tooltip says."""
    details = [_("n = %(n)d") % {"n": cell.n}]
    if kind == "response_rate":
        return details
    nps = kind == "nps"
    if cell.favourable_low is not None:
        details.append(
            _("favourable %(share)s (95 %% CI %(low)s–%(high)s)")
            % {
                "share": percent(cell.favourable),
                "low": percent(cell.favourable_low),
                "high": percent(cell.favourable_high),
            }
        )
    details.append(_("mean %(mean)s") % {"mean": number(cell.mean)})
    if cell.delta is not None:
        details.append(
            _("difference in mean to the organisation %(d)s")
            % {"d": number(cell.delta, 0 if nps else 2, True)}
        )
    if cell.change_favourable is not None:
        change = cell.change_favourable
        details.append(
            _("change since the previous wave %(c)s")
            % {"c": number(change, 0, True) if nps else points(change)}
        )
    if cell.rwg_j is not None:
        details.append(_("agreement rwg(j) %(r)s") % {"r": number(cell.rwg_j)})
    if cell.reliability is not None:
        details.append(
            _("reliability of the mean %(r)s") % {"r": number(cell.reliability)}
        )
    if cell.significant:
        details.append(_("significantly different from the rest (after BH)"))
    if cell.change_significant:
        details.append(_("significant change since the previous wave (after BH)"))
    return details


def display_cell(
    cell: HeatmapCell, kind: str, show: str, k: int, *, lower_is_better: bool = False
) -> DisplayCell:
    """One formatted cell. ``lower_is_better`` marks constructs where agreement
    is unfavourable: their mean differences are coloured the other way round,
    so purple always means "better" in every mode (favourable shares are
    already oriented)."""
    if cell.suppressed:
        return DisplayCell(
            cell.construct,
            _("fewer than %(k)d") % {"k": k},
            "heat-suppressed",
            _("Too few respondents to show (fewer than %(k)d).") % {"k": k},
            None,
            False,
            True,
        )
    text, interval, step, sort_value = _shown(cell, kind, show, lower_is_better)
    if kind == "response_rate":
        significant = False
    elif show == "change":
        significant = cell.change_significant
    else:
        significant = cell.significant
    details = _details(cell, kind)
    css = "heat-none" if step is None else f"heat-{step}"
    return DisplayCell(
        cell.construct,
        text,
        css,
        "; ".join(details),
        sort_value,
        significant,
        False,
        interval,
    )


def heatmap_display(report: Heatmap, show: str, rows=None) -> list[DisplayRow]:
    """The heatmap's rows (or those of ``rows``, a part of them) as shown."""
    kinds = {c.key: c.kind for c in report.columns}
    reversed_ = {c.key for c in report.columns if c.favourable_when == "disagree"}
    chosen = report.rows if rows is None else rows
    rows = []
    for row in chosen:
        d = row.department
        rows.append(
            DisplayRow(
                code=d.code,
                name=d.name if d.code else _("Whole organisation"),
                depth=d.depth,
                parent_code=d.parent_code,
                n=str(row.n)
                if row.n is not None
                else _("fewer than %(k)d") % {"k": report.min_group_size},
                suppressed=row.suppressed,
                cells=tuple(
                    display_cell(
                        c,
                        kinds[c.construct],
                        show,
                        report.min_group_size,
                        lower_is_better=c.construct in reversed_,
                    )
                    for c in row.cells
                ),
            )
        )
    return rows
