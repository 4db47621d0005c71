"""Drawing, inlining and caching, and the pieces every chart shares.

Drawing uses matplotlib's object API (a ``Figure`` on the SVG canvas), never
pyplot and its global figure manager. The rc settings the charts need (text
as ``<text>`` rather than glyph outlines, no maths in labels, stable ids) are
applied under a lock, so concurrent requests never see each other's. The
markup is cached under the report's identity, its wave (or survey) and a hash
of its data, so a new response or a narrower scope draws anew.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import re
import threading
from collections.abc import Callable

import matplotlib
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from ownership.analytics.reports import DepartmentRef
from ownership.presentation import percent

# Bump when the drawing changes, so that cached charts are drawn again.
CHART_FORMAT = 2

INK = "#1b1f24"
MUTED = "#4a4a4a"
RULE = "#8c8c8c"
GRID = "#e6e6e6"
HATCH = "#c8c8c8"
# PuOr ends first (as in the heatmap), then further steps of the same ramps.
PALETTE = {
    "designated": ("#b35806", "#f1a340", "#7f3b08", "#fee0b6"),
    "distributed": ("#542788", "#998ec3", "#2d004b", "#d8daeb"),
    "other": ("#bababa", "#878787", "#e0e0e0", "#4d4d4d"),
}
DARK = {"#b35806", "#7f3b08", "#542788", "#2d004b", "#878787", "#4d4d4d"}
EVENT_DASH = (0, (4, 3))

WIDTH = 9.0  # inches of 72 SVG units; the page scales the viewBox
FONT = 11
MAX_LABEL = 32

_RC = {
    "svg.fonttype": "none",  # real <text>: selectable, crisp and small
    "svg.hashsalt": "ownership-charts",  # stable clip-path ids
    "text.parse_math": False,  # a "$" in a department name is just a "$"
    "font.family": "sans-serif",
    # Laid out with DejaVu Sans (shipped with matplotlib); browsers without it
    # fall back to fonts of similar width.
    "font.sans-serif": ["DejaVu Sans", "Verdana", "Arial", "Helvetica"],
    "font.size": FONT,
    "legend.fontsize": FONT,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": RULE,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "hatch.linewidth": 0.8,
    "hatch.color": HATCH,
}
_LOCK = threading.Lock()


# --------------------------------------------------------------------------
# Rendering, inlining, caching


def render(
    draw: Callable[[], Figure], *, slug: str, title: str, desc: str, css: str = ""
) -> str:
    with _LOCK, matplotlib.rc_context(_RC):
        figure = draw()
        FigureCanvasSVG(figure)  # attaches itself: no pyplot, no global state
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return inline_svg(buffer.getvalue(), slug=slug, title=title, desc=desc, css=css)


_ID = re.compile(r'\s+id="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')
_TAG = re.compile(r"<[^>]+>")
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")
_NO_ROTATION = re.compile(r'\s+transform="rotate\(-?0 [^")]*\)"')


def inline_svg(markup: str, *, slug: str, title: str, desc: str, css: str = "") -> str:
    """A standalone SVG document made fit to inline in an HTML page.

    Drops the XML prolog, doctype, metadata and fixed size (the ``viewBox``
    stays, so CSS sizes the chart); keeps only the ids something refers to,
    prefixed with ``slug`` (matplotlib names its groups alike in every chart,
    and ids must be unique in a page); moves matplotlib's ``*{...}`` style,
    which would style the whole page, to an inherited attribute; rounds
    coordinates to a hundredth; adds ``title`` and ``desc`` as the chart's
    accessible name and description.
    """
    markup = markup[markup.index("<svg") :]
    markup = re.sub(r"<metadata>.*?</metadata>", "", markup, count=1, flags=re.S)
    markup = re.sub(r"<style[^>]*>.*?</style>", "", markup, flags=re.S)
    referenced = {m.group(2) for m in _REF.finditer(markup)}

    def tag(match: re.Match) -> str:
        text = _ID.sub(
            lambda m: f' id="{slug}-{m.group(1)}"' if m.group(1) in referenced else "",
            match.group(0),
        )
        text = _REF.sub(lambda m: f"{m.group(1)}{slug}-{m.group(2)}", text)
        return _LONG_DECIMAL.sub(r"\1", _NO_ROTATION.sub("", text))

    markup = _TAG.sub(tag, markup)
    markup = re.sub(r"\s*\n\s*", " ", re.sub(r">\s+<", "><", markup))
    markup = markup.replace("<defs></defs>", "")
    head_end = markup.index(">") + 1
    head = re.sub(r'\s(?:width|height)="[^"]*"', "", markup[: head_end - 1])
    classes = " ".join(filter(None, ["chart", css]))
    return (
        f'{head} stroke-linejoin="round" class="{classes}" role="img" '
        f'focusable="false" aria-labelledby="{slug}-title {slug}-desc">'
        f'<title id="{slug}-title">{escape(title)}</title>'
        f'<desc id="{slug}-desc">{escape(desc)}</desc>{markup[head_end:].rstrip()}'
    )


def cached(name: str, identity: str, data: object, build: Callable[[], str | None]):
    """``build()``, cached under the chart, the language and the data drawn.

    The key holds a hash of everything drawn, so a scoped report (fewer rows)
    or a wave with a new response never gets another report's chart.
    """
    # Reports are frozen dataclasses of plain values: their pickle is a fast,
    # stable fingerprint of everything drawn.
    digest = hashlib.sha256(pickle.dumps(data, protocol=5)).hexdigest()[:32]
    language = translation.get_language() or ""
    key = f"chart:{CHART_FORMAT}:{name}:{identity}:{language}:{digest}"
    markup = cache.get(key)
    if markup is None:
        markup = build() or ""
        cache.set(key, markup, settings.REPORT_CACHE_SECONDS)
    return markup or None


# --------------------------------------------------------------------------
# Shared pieces


def short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def department_name(ref: DepartmentRef) -> str:
    return ref.name if ref.code else _("Whole organisation")


def fewer_than(k: int) -> str:
    return _("fewer than %(k)d") % {"k": k}


def range_text(low: float, high: float) -> str:
    if abs(high - low) < 5e-3:
        return percent(low)
    return f"{100 * low:.0f}–{percent(high)}"


def percent_axis(axis, step: float = 0.25, *, absolute: bool = False) -> None:
    axis.set_major_locator(MultipleLocator(step))
    axis.set_major_formatter(
        FuncFormatter(lambda x, _pos: percent(abs(x) if absolute else x))
    )


def legend(figure: Figure, handles: list) -> None:
    """A legend under the chart, in as many columns as fit its width."""
    widest = max(len(h.get_label()) for h in handles)
    # DejaVu Sans averages ~0.6 em a character, plus the key and the spacing.
    column = 0.6 * FONT * widest + 3.2 * FONT
    columns = max(1, min(len(handles), int(figure.get_figwidth() * 72 // column)))
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncol=columns,
        frameon=False,
        handlelength=1.6,
        columnspacing=1.2,
    )


def bar_axes(ax, rows: int) -> None:
    ax.set_ylim(rows - 0.5, -0.5)
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.spines[["left"]].set_visible(False)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def heading(ax, x: float, text: str, ha: str, colour: str) -> None:
    ax.text(
        x,
        1.005,
        text,
        transform=ax.get_xaxis_transform(),
        ha=ha,
        va="bottom",
        fontweight="bold",
        color=colour,
    )
