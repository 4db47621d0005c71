"""The recommendation question: 0 to 10, the Net Promoter Score's question."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..blocks import QuestionBlock
from .base import (
    CleanAnswers,
    Freezing,
    LoadedAnswers,
    Option,
    QuestionType,
    QuestionView,
    Rendering,
    scale_answer,
)


class RecommendationBlock(QuestionBlock):
    text = blocks.CharBlock(
        label=_("Question"),
        max_length=400,
        default=(
            "How likely is it that you would recommend us to a friend as a customer?"
        ),
    )
    low_label = blocks.CharBlock(
        label=_("Label for 0"), max_length=60, default="Not at all likely"
    )
    high_label = blocks.CharBlock(
        label=_("Label for 10"), max_length=60, default="Extremely likely"
    )

    class Meta:
        icon = "pick"
        label = _("Recommendation (0–10)")


class Recommendation(QuestionType):
    name = "recommendation"
    block = RecommendationBlock
    seconds = 10
    template_source = """\
<div class="scale-ends" aria-hidden="true">
  <span>0 = {{ q.low }}</span><span>10 = {{ q.high }}</span>
</div>
<div class="options options--nps">
  {% for option in q.options %}
    <label class="option option--compact">
      <input type="radio" name="{{ q.name }}" value="{{ option.value }}"
             {% if option.checked %}checked{% endif %}
             {% if q.required %}required{% endif %}
             {% if disabled %}disabled{% endif %}
             {% if forloop.first %}aria-label="0 – {{ q.low }}"{% endif %}
             {% if forloop.last %}aria-label="10 – {{ q.high }}"{% endif %}>
      <span>{{ option.label }}</span>
    </label>
  {% endfor %}
</div>
"""

    def freeze(self, freezing: Freezing) -> dict[str, Any]:
        return {
            "text": freezing.text_of("text"),
            "low": freezing.text_of("low_label"),
            "high": freezing.text_of("high_label"),
        }

    def view(self, q, rendering: Rendering, **common) -> QuestionView:
        submitted = rendering.posted(common["name"])
        options = [Option(str(i), str(i), submitted == str(i)) for i in range(11)]
        return QuestionView(
            **common,
            template=self.template,
            options=options,
            low=rendering.text(q["low"]),
            high=rendering.text(q["high"]),
        )

    def clean(self, q, raw, clean: CleanAnswers) -> str | None:
        return scale_answer(q, raw, clean, 0, 10)

    def load(self, q, column, loaded: LoadedAnswers) -> None:
        # A page asks it at most once (the stream block's ``block_counts``).
        if loaded.nps is None:
            loaded.nps = column(None).copy()
