"""The verdict of the concentration report, and its text in plain words."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext, ngettext

from ..reports import (
    Concentration,
    ConcentrationRow,
    Verdict,
)

# Comparison states (Verdict.comparison).
NO_EVENT = "no_event"
BEFORE_EVENT = "before_event"
NO_BASELINE = "no_baseline"
DIFFERENT_LOCI = "different_loci"
COMPARED = "compared"


def _empty_verdict() -> Verdict:
    return Verdict(
        text="",
        level=0,
        departments=0,
        hidden=0,
        concentrated=(),
        above_share=0,
        share_threshold=settings.CONCENTRATION_DESIGNATED_SHARE,
        lower_threshold=settings.CONCENTRATION_DESIGNATED_LOWER,
        highest=None,
        highest_share=None,
        highest_low=None,
        highest_high=None,
        organisation_share=None,
        organisation_low=None,
        organisation_high=None,
        comparison=NO_EVENT,
        event=None,
        compared=0,
        significant_moves=0,
        alpha=settings.RESULTS_FDR_LEVEL,
        move=None,
        move_before=None,
        move_after=None,
        move_p=None,
        move_q=None,
    )


def build_verdict(
    report: Concentration, *, state: str, level: int | None = None
) -> Verdict:
    """The verdict over the report's rows (all of them, or a viewer's scope).

    Departments are counted at ``level`` (default: the report's level); the
    biggest significant before/after move is looked for at that level first,
    then among the smaller departments below it, then for the organisation.
    """
    level = report.level if level is None else level
    share_threshold = settings.CONCENTRATION_DESIGNATED_SHARE
    lower_threshold = settings.CONCENTRATION_DESIGNATED_LOWER
    departments = [row for row in report.rows if row.department.code is not None]
    at_level = [row for row in departments if row.department.depth == level]
    shown = [row for row in at_level if row.designated_share is not None]
    above = [row for row in shown if row.designated_share > share_threshold]
    concentrated = [
        row
        for row in above
        if row.designated_low is not None and row.designated_low > lower_threshold
    ]
    highest = max(shown, key=lambda row: row.designated_share, default=None)
    organisation = next(
        (row for row in report.rows if row.department.code is None), None
    )
    if organisation is not None and organisation.designated_share is None:
        organisation = None

    compared, moves, move = _biggest_move(departments, organisation, level)
    verdict = Verdict(
        text="",
        level=level,
        departments=len(shown),
        hidden=len(at_level) - len(shown),
        concentrated=tuple(row.department for row in concentrated),
        above_share=len(above),
        share_threshold=share_threshold,
        lower_threshold=lower_threshold,
        highest=highest.department if highest else None,
        highest_share=highest.designated_share if highest else None,
        highest_low=highest.designated_low if highest else None,
        highest_high=highest.designated_high if highest else None,
        organisation_share=organisation.designated_share if organisation else None,
        organisation_low=organisation.designated_low if organisation else None,
        organisation_high=organisation.designated_high if organisation else None,
        comparison=state,
        event=report.event,
        compared=len(compared),
        significant_moves=len(moves),
        alpha=settings.RESULTS_FDR_LEVEL,
        move=move.department if move else None,
        move_before=move.before_designated if move else None,
        move_after=move.after_designated if move else None,
        move_p=move.p_value if move else None,
        move_q=move.q_value if move else None,
        allocation_asked=bool(report.loci),
    )
    return replace(verdict, text=verdict_text(verdict))


def _biggest_move(departments, organisation, level: int):
    """The departments compared before/after, those that moved significantly,
    and the move to name: the biggest among the departments counted at
    ``level``, so that both sentences speak of the same level; failing that,
    among the smaller units below; failing that, the organisation as a whole."""
    compared = [row for row in departments if row.n_before is not None]
    moves = [
        row
        for row in compared
        if row.significant
        and row.before_designated is not None
        and row.after_designated is not None
    ]

    def size(row: ConcentrationRow) -> float:
        return abs(row.after_designated - row.before_designated)

    move = max(
        (row for row in moves if row.department.depth == level),
        key=size,
        default=None,
    ) or max(moves, key=size, default=None)
    if move is None and organisation is not None and organisation.significant:
        move = organisation
    return compared, moves, move


def scoped_concentration(report: Concentration) -> Concentration:
    """A report whose rows a viewer's scope has already narrowed.

    The verdict is recomputed over the rows in scope, counting departments at
    the report's level or, when the scope lies deeper, at the scope's top; the
    Lorenz curve and Gini compare departments outside the scope, so they go.
    """
    depths = [row.department.depth for row in report.rows if row.department.code]
    level = max(report.level, min(depths, default=report.level))
    verdict = build_verdict(report, state=report.verdict.comparison, level=level)
    return replace(report, lorenz=None, gini=None, verdict=verdict)


def _percent(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x):d} %"


def _pvalue(p: float | None) -> str:
    """APA style without the leading zero: "= .003", "< .001"."""
    if p is None:
        return "= –"
    if p < 0.001:
        return "< .001"
    return "= " + f"{p:.3f}".removeprefix("0")


def _date(iso: str) -> str:
    return formats.date_format(dt.date.fromisoformat(iso), "DATE_FORMAT")


def verdict_text(v: Verdict) -> str:
    """The verdict in plain words, in the active language."""
    if not v.allocation_asked:
        return gettext(
            "This wave did not ask how responsibility for customers is split, "
            "so there is no verdict."
        )
    return " ".join([_where_it_sits(v), *_what_is_not_shown(v), _before_and_after(v)])


def _where_it_sits(v: Verdict) -> str:
    """How concentrated responsibility is across the departments counted."""
    share, lower = _percent(v.share_threshold), _percent(v.lower_threshold)
    if v.departments == 0:
        return gettext(
            "No department is large enough to be shown on its own, so "
            "departments cannot be compared."
        )
    if v.concentrated:
        names = ", ".join(ref.name for ref in v.concentrated)
        return ngettext(
            "Responsibility is concentrated on the designated owner in "
            "%(count)d of %(total)d department (designated share above "
            "%(share)s, lower CI bound above %(lower)s): %(names)s.",
            "Responsibility is concentrated on the designated owner in "
            "%(count)d of %(total)d departments (designated share above "
            "%(share)s, lower CI bound above %(lower)s): %(names)s.",
            v.departments,
        ) % {
            "count": len(v.concentrated),
            "total": v.departments,
            "share": share,
            "lower": lower,
            "names": names,
        }
    elif v.above_share:
        return ngettext(
            "Responsibility is not clearly concentrated: %(count)d of "
            "%(total)d department puts more than %(share)s of it on the "
            "designated owner, but in none is the lower CI bound above "
            "%(lower)s.",
            "Responsibility is not clearly concentrated: %(count)d of "
            "%(total)d departments put more than %(share)s of it on the "
            "designated owner, but in none is the lower CI bound above "
            "%(lower)s.",
            v.departments,
        ) % {
            "count": v.above_share,
            "total": v.departments,
            "share": share,
            "lower": lower,
        }
    else:
        return gettext(
            "Responsibility is spread: no department puts more than "
            "%(share)s of it on the designated owner (highest: %(name)s, "
            "%(value)s, 95 %% CI %(low)s to %(high)s)."
        ) % {
            "share": share,
            "name": v.highest.name if v.highest else "–",
            "value": _percent(v.highest_share),
            "low": _percent(v.highest_low),
            "high": _percent(v.highest_high),
        }


def _what_is_not_shown(v: Verdict) -> list[str]:
    """The departments too small to show, and the organisation's figure."""
    sentences = []
    if v.hidden and v.departments:
        sentences.append(
            ngettext(
                "%(count)d more department is too small to be shown.",
                "%(count)d more departments are too small to be shown.",
                v.hidden,
            )
            % {"count": v.hidden}
        )
    if v.organisation_share is not None:
        sentences.append(
            gettext(
                "Across the organisation, the designated owner holds %(value)s "
                "of the responsibility (95 %% CI %(low)s to %(high)s)."
            )
            % {
                "value": _percent(v.organisation_share),
                "low": _percent(v.organisation_low),
                "high": _percent(v.organisation_high),
            }
        )
    return sentences


def _before_and_after(v: Verdict) -> str:
    """What changed since the CCO's appointment, or why nothing is compared."""
    date = _date(v.event.date) if v.event else ""
    if v.comparison == NO_EVENT:
        return gettext(
            "No appointment of a Chief Customer Officer is recorded, so "
            "there is no before/after comparison."
        )
    elif v.comparison == BEFORE_EVENT:
        return gettext(
            "This wave opened before the CCO was appointed (%(date)s), so "
            "there is no before/after comparison."
        ) % {"date": date}
    elif v.comparison == NO_BASELINE:
        return gettext(
            "No earlier wave of this survey opened before the CCO was "
            "appointed (%(date)s), so there is no before/after comparison."
        ) % {"date": date}
    elif v.comparison == DIFFERENT_LOCI:
        return gettext(
            "The last wave before the CCO was appointed (%(date)s) offered "
            "different loci, so there is no before/after comparison."
        ) % {"date": date}
    elif v.compared == 0:
        return gettext(
            "No department was large enough in both waves to compare "
            "before and after the CCO was appointed (%(date)s)."
        ) % {"date": date}
    elif v.move is not None:
        numbers = {
            "department": v.move.name,
            "before": _percent(v.move_before),
            "after": _percent(v.move_after),
            "p": _pvalue(v.move_p),
            "q": _pvalue(v.move_q),
        }
        if v.move.code is None:
            text = gettext(
                "No single department changed significantly, but across the "
                "organisation the designated owner's share moved from "
                "%(before)s to %(after)s after the CCO was appointed "
                "(p %(p)s, q %(q)s)."
            )
        else:
            text = gettext(
                "In %(department)s, the designated owner's share moved from "
                "%(before)s to %(after)s after the CCO was appointed "
                "(p %(p)s, q %(q)s)."
            )
        return text % numbers
    else:
        return ngettext(
            "Since the CCO was appointed (%(date)s), the allocation has "
            "not changed significantly in the %(count)d department compared "
            "(false discovery rate %(alpha)s).",
            "Since the CCO was appointed (%(date)s), the allocation has "
            "not changed significantly in any of the %(count)d departments "
            "compared (false discovery rate %(alpha)s).",
            v.compared,
        ) % {"date": date, "count": v.compared, "alpha": _percent(v.alpha)}


def with_verdict_text(report: Concentration) -> Concentration:
    """The report with its verdict re-rendered in the active language (the
    cached report holds the text of the language it was built in)."""
    verdict = replace(report.verdict, text=verdict_text(report.verdict))
    return replace(report, verdict=verdict)
