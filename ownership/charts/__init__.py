"""Server-side SVG charts of the HR reports, inlined in the results pages.

Each chart function takes a report object from :mod:`ownership.analytics`
(already past disclosure control: a hidden figure is ``None`` and is never
drawn) and returns SVG markup, or ``None`` when there is nothing to draw. The
markup carries a ``<title>`` and a ``<desc>`` that summarise the chart for
screen readers, scales through its ``viewBox`` and needs no JavaScript; the
pages pair every chart with a table of the same figures.

Colours follow the heatmap's ColorBrewer PuOr palette, which is safe for
colour-blind readers: orange for designated owners, purple for ownership by
the staff themselves, grey for anything else; lines also differ in marker and
dash. :mod:`.svg` draws, inlines and caches; :mod:`.concentration` and
:mod:`.trends` hold the charts.
"""

from __future__ import annotations

from .concentration import (
    allocation_chart,
    before_after_chart,
    concentration_charts,
    lorenz_chart,
    primary_owner_chart,
)
from .svg import inline_svg
from .trends import construct_label, trends_chart

__all__ = [
    "allocation_chart",
    "before_after_chart",
    "concentration_charts",
    "inline_svg",
    "lorenz_chart",
    "primary_owner_chart",
    "construct_label",
    "trends_chart",
]
