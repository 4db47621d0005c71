"""The primary owner: the one locus mainly responsible for putting things right."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from ..blocks import LocusBlock, QuestionBlock, fail, locus_choices
from .base import (
    RADIO_TEMPLATE,
    CleanAnswers,
    Freezing,
    LoadedAnswers,
    Option,
    QuestionType,
    QuestionView,
    Rendering,
)

MIN_OWNER_LOCI = 2


class PrimaryOwnerBlock(QuestionBlock):
    text = blocks.CharBlock(
        label=gettext_lazy("Question"),
        max_length=400,
        default=(
            "When a customer is unhappy, who is mainly responsible for putting "
            "it right?"
        ),
    )
    loci = LocusBlock(choices=locus_choices, label=gettext_lazy("Loci offered"))

    class Meta:
        icon = "user"
        label = gettext_lazy("Primary owner")

    def clean(self, value):
        value = super().clean(value)
        if len(value.get("loci") or []) < MIN_OWNER_LOCI:
            fail(
                loci=gettext_lazy("Offer at least %(n)d loci.") % {"n": MIN_OWNER_LOCI}
            )
        return value


class PrimaryOwner(QuestionType):
    name = "primary_owner"
    block = PrimaryOwnerBlock
    seconds = 12
    template_source = RADIO_TEMPLATE

    def freeze(self, freezing: Freezing) -> dict[str, Any]:
        return {
            "text": freezing.text_of("text"),
            "loci": list(freezing.value["loci"]),
        }

    def view(self, q, rendering: Rendering, **common) -> QuestionView:
        submitted = rendering.posted(common["name"])
        options = [
            Option(slug, rendering.locus_name(slug), submitted == slug)
            for slug in q["loci"]
        ]
        return QuestionView(**common, template=self.template, options=options)

    def clean(self, q, raw, clean: CleanAnswers) -> str | None:
        # Stored as the index of the locus among those offered.
        if not isinstance(raw, str) or raw not in q["loci"]:
            return _("Choose one of the offered answers.")
        clean.numeric.append((q["id"], q["loci"].index(raw)))
        return None

    def load(self, q, column, loaded: LoadedAnswers) -> None:
        if loaded.owner is not None:
            return
        # From the index among those offered to the index among all loci.
        to_locus = np.array([loaded.loci.index(slug) for slug in q["loci"]] + [-1])
        chosen = column(None)
        owner = np.full(loaded.n, np.nan)
        answered = ~np.isnan(chosen)
        owner[answered] = to_locus[chosen[answered].astype(np.intp)]
        loaded.owner = owner
