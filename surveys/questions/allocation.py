"""The responsibility allocation: 100 points spread over the loci offered."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from ..blocks import LocusBlock, QuestionBlock, fail, locus_choices
from .base import (
    AllocationRow,
    CleanAnswers,
    Freezing,
    LoadedAnswers,
    QuestionType,
    QuestionView,
    Rendering,
    field_name,
    integer,
)

MIN_ALLOCATION_LOCI = 3
TOTAL = 100


class AllocationBlock(QuestionBlock):
    text = blocks.CharBlock(
        label=gettext_lazy("Question"),
        max_length=400,
        default=(
            "When a customer has a problem, who is responsible for solving it? "
            "Spread 100 points over the people and groups below."
        ),
    )
    help = blocks.CharBlock(
        label=gettext_lazy("Hint"),
        max_length=300,
        required=False,
        default="Give more points to those who carry more of the responsibility.",
    )
    loci = LocusBlock(
        choices=locus_choices,
        label=gettext_lazy("Loci offered"),
        help_text=gettext_lazy("Offer at least 3 places where responsibility can sit."),
    )

    class Meta:
        icon = "table"
        label = gettext_lazy("Responsibility allocation (100 points)")

    def clean(self, value):
        value = super().clean(value)
        if len(value.get("loci") or []) < MIN_ALLOCATION_LOCI:
            fail(
                loci=gettext_lazy("Offer at least %(n)d loci for the 100 points.")
                % {"n": MIN_ALLOCATION_LOCI}
            )
        return value


class Allocation(QuestionType):
    name = "allocation"
    block = AllocationBlock
    seconds = 60
    template_source = """\
{% if q.help %}
  <p class="question__help" id="help-{{ q.id }}">{{ q.help }}</p>
{% endif %}
<div class="allocation" data-allocation data-total="{{ q.total }}">
  {% for row in q.rows %}
    <div class="allocation__row">
      <label for="{{ row.name }}">{{ row.label }}</label>
      <input type="number" id="{{ row.name }}" name="{{ row.name }}"
             value="{{ row.value }}" min="0" max="{{ q.total }}" step="1"
             inputmode="numeric" {% if disabled %}disabled{% endif %}
             {% if q.help %}aria-describedby="help-{{ q.id }}"{% endif %}>
    </div>
  {% endfor %}
  <p class="allocation__sum" aria-live="polite" data-allocation-sum hidden>
    {{ q.note }} <output>0</output> / {{ q.total }}
  </p>
</div>
"""

    def freeze(self, freezing: Freezing) -> dict[str, Any]:
        return {
            "text": freezing.text_of("text"),
            "loci": list(freezing.value["loci"]),
            "total": TOTAL,
            "help": freezing.texts(lambda b, _language: b.value.get("help") or ""),
        }

    def view(self, q, rendering: Rendering, **common) -> QuestionView:
        rows = [
            AllocationRow(
                name=field_name(q["id"], slug),
                label=rendering.locus_name(slug),
                value=rendering.posted(field_name(q["id"], slug)),
            )
            for slug in q["loci"]
        ]
        return QuestionView(
            **common,
            template=self.template,
            rows=rows,
            help=rendering.text(q["help"]),
            note=_("Points given:"),
            total=q["total"],
        )

    def from_post(self, q, post) -> Any:
        points = {
            slug: str(post.get(field_name(q["id"], slug), "")).strip()
            for slug in q["loci"]
        }
        # An option left empty beside others given is 0 points.
        return (
            {slug: v or "0" for slug, v in points.items()}
            if any(points.values())
            else {}
        )

    def clean(self, q, raw, clean: CleanAnswers) -> str | None:
        if not isinstance(raw, dict):
            return _("Give points per option.")
        unknown = [str(slug) for slug in raw if slug not in q["loci"]]
        if unknown:
            return _("Not offered here: %(loci)s.") % {"loci": ", ".join(unknown)}
        points = {}
        for slug, value in raw.items():
            number = integer(value if value != "" else 0)
            if number is None:
                return _("Use whole numbers of points.")
            if number < 0:
                return _("Points cannot be negative.")
            points[slug] = number
        total = sum(points.values())
        if total != q["total"]:
            return _("The points must add up to %(total)d; they add up to %(sum)d.") % {
                "total": q["total"],
                "sum": total,
            }
        clean.allocations.extend(
            (q["id"], slug, points.get(slug, 0)) for slug in q["loci"]
        )
        return None

    def slots(self, q) -> list[tuple[str, str | None]]:
        return [(q["id"], slug) for slug in q["loci"]]

    def load(self, q, column, loaded: LoadedAnswers) -> None:
        if loaded.allocation is not None:
            return
        allocation = np.full((loaded.n, len(loaded.loci)), np.nan)
        for slug in q["loci"]:
            allocation[:, loaded.loci.index(slug)] = column(slug)
        loaded.allocation = allocation
