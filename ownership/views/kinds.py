"""What the pages of particular report kinds show beyond the flat table
(see :class:`ownership.views.results.KindView`): display only, no statistics."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from ownership import analytics
from ownership.analytics.drivers import driver_sentence, outcome_label


@dataclass(frozen=True)
class Bar:
    """One weight as the page draws it: positions in % of the chart's width."""

    name: str
    weight: float
    low: float | None
    high: float | None
    width: float
    low_at: float
    span: float  # the interval's width


def drivers_context(request, report) -> dict:
    """The chosen outcome (``?outcome=``, default the first), and for each
    group its sentence and bars, on one scale for the whole page."""
    if report is None or not report.outcomes:
        return {}
    language = translation.get_language()
    outcomes = [(o.key, outcome_label(o, language)) for o in report.outcomes]
    keys = [key for key, _label in outcomes]
    chosen = request.GET.get("outcome")
    chosen = chosen if chosen in keys else keys[0]
    label = dict(outcomes)[chosen]
    rows = [row for row in report.rows if row.outcome == chosen]
    top = max(
        (w.high if w.high is not None else w.weight for r in rows for w in r.weights),
        default=0.0,
    )
    scale = 100.0 / top if top > 0 else 0.0
    names = report.construct_names
    groups = [
        {
            "row": row,
            "sentence": driver_sentence(row, label, names),
            "bars": [
                Bar(
                    names.get(w.construct, w.construct),
                    w.weight,
                    w.low,
                    w.high,
                    w.weight * scale,
                    (w.low if w.low is not None else 0.0) * scale,
                    (
                        (w.high if w.high is not None else w.weight)
                        - (w.low if w.low is not None else w.weight)
                    )
                    * scale,
                )
                for w in row.weights
            ],
        }
        for row in rows
    ]
    return {"outcomes": outcomes, "outcome": chosen, "groups": groups}


KIND_CONTEXT = {"drivers": drivers_context}


def filtered_comments(request, context, report, group):
    """The group's comments in the chosen theme (``?theme=``) that contain the
    search (``?q=``), the release's themes and the chosen one's number (-1:
    all)."""
    comments = list(group.comments) if group else []
    themes = _themes(request, context) if report is not None else ()
    theme = _int(request.GET.get("theme"), -1)
    if themes and 0 <= theme < len(themes):
        everyone = next(r for r in report.rows if r.department.code is None)
        members = set(themes[theme].comments)
        positions = _positions(comments, everyone.comments)
        comments = [c for c, p in zip(comments, positions, strict=True) if p in members]
    else:
        theme = -1
    query = request.GET.get("q", "").strip().casefold()
    if query:
        comments = [c for c in comments if query in c.casefold()]
    return comments, themes, theme


def _themes(request, context) -> tuple:
    release = context.get("release")
    if release is None:
        return ()
    try:
        report = analytics.report(
            "themes", context["wave"], request.user, release=release.sequence
        )
    except analytics.NoRelease:
        return ()
    return report.themes


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _positions(comments: list[str], everyone: tuple[str, ...]) -> list[int]:
    """Where each of a group's comments stands in the organisation's list:
    both are in the same (id) order, the group's a subsequence of it."""
    out, at = [], 0
    for text in comments:
        while at < len(everyone) and everyone[at] != text:
            at += 1
        out.append(at)
        at += 1
    return out
