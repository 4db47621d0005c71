"""A single choice among answers the editor writes (for example a role)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from ..blocks import QuestionBlock, fail
from .base import (
    RADIO_TEMPLATE,
    CleanAnswers,
    Freezing,
    Option,
    QuestionType,
    QuestionView,
    Rendering,
    integer,
)


class SingleChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(label=gettext_lazy("Choice"), max_length=200),
        label=gettext_lazy("Choices"),
        min_num=2,
        max_num=12,
    )

    class Meta:
        icon = "radio-full"
        label = gettext_lazy("Single choice")

    def clean(self, value):
        value = super().clean(value)
        texts = [str(c).strip().lower() for c in value.get("choices", [])]
        if len(set(texts)) != len(texts):
            fail(choices=gettext_lazy("Each choice must be different."))
        return value


class Choice(QuestionType):
    name = "choice"
    block = SingleChoiceBlock
    seconds = 12
    template_source = RADIO_TEMPLATE

    def freeze(self, freezing: Freezing) -> dict[str, Any]:
        count = len(freezing.value["choices"])
        return {
            "text": freezing.text_of("text"),
            # A translation with another number of choices is not used.
            "choices": freezing.texts(
                lambda b, _language: (
                    [str(c) for c in b.value["choices"]]
                    if len(b.value["choices"]) == count
                    else None
                )
            ),
        }

    def view(self, q, rendering: Rendering, **common) -> QuestionView:
        submitted = rendering.posted(common["name"])
        options = [
            Option(str(i), label, submitted == str(i))
            for i, label in enumerate(rendering.text(q["choices"]))
        ]
        return QuestionView(**common, template=self.template, options=options)

    def clean(self, q, raw, clean: CleanAnswers) -> str | None:
        value = integer(raw)
        first_language = next(iter(q["choices"].values()))
        if value is None or not 0 <= value < len(first_language):
            return _("Choose one of the offered answers.")
        clean.numeric.append((q["id"], value))
        return None
