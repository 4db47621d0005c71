"""A free-text question, stored apart from the numeric answers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from ..blocks import QuestionBlock
from .base import (
    CleanAnswers,
    Freezing,
    QuestionType,
    QuestionView,
    Rendering,
    field_name,
)


class FreeTextBlock(QuestionBlock):
    warning = blocks.CharBlock(
        label=gettext_lazy("Warning shown under the box"),
        max_length=300,
        default=(
            "Please do not write names or anything that identifies you or a colleague."
        ),
    )
    max_length = blocks.IntegerBlock(
        label=gettext_lazy("Maximum length (characters)"),
        default=1000,
        min_value=50,
        max_value=5000,
    )

    class Meta:
        icon = "doc-full"
        label = gettext_lazy("Free text")


class FreeText(QuestionType):
    name = "free_text"
    block = FreeTextBlock
    seconds = 45
    template_source = """\
<label class="visually-hidden" for="{{ q.name }}">{{ q.text }}</label>
<p class="question__warning" id="warning-{{ q.id }}">⚠ {{ q.warning }}</p>
<textarea id="{{ q.name }}" name="{{ q.name }}" rows="5"
          maxlength="{{ q.max_length }}" aria-describedby="warning-{{ q.id }}"
          {% if q.required %}required{% endif %}
          {% if disabled %}disabled{% endif %}>{{ q.value }}</textarea>
<p class="question__help">{{ q.note }}</p>
"""

    def freeze(self, freezing: Freezing) -> dict[str, Any]:
        return {
            "text": freezing.text_of("text"),
            "warning": freezing.text_of("warning"),
            "max_length": int(freezing.value["max_length"]),
        }

    def view(self, q, rendering: Rendering, **common) -> QuestionView:
        return QuestionView(
            **common,
            template=self.template,
            warning=rendering.text(q["warning"]),
            value=rendering.posted(common["name"]),
            max_length=q["max_length"],
            note=_("Up to %(n)s characters.") % {"n": q["max_length"]},
        )

    def from_post(self, q, post) -> Any:
        # Kept as typed (leading spaces and line breaks are part of the text);
        # a box of only spaces is a skipped question.
        value = str(post.get(field_name(q["id"]), ""))
        return value if value.strip() else ""

    def clean(self, q, raw, clean: CleanAnswers) -> str | None:
        if not isinstance(raw, str):
            return _("Write text.")
        text = raw.strip().replace("\x00", "")
        if len(text) > q["max_length"]:
            return _("Keep it to %(max)d characters; this is %(n)d.") % {
                "max": q["max_length"],
                "n": len(text),
            }
        if text:
            clean.comments.append((q["id"], text))
        return None

    def slots(self, q) -> list[tuple[str, str | None]]:
        return []  # comments are stored apart (see surveys.models.Comment)
