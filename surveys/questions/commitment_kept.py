"""Whether a commitment was kept: asked of each respondent about the
commitments of their department that fell due since the last pulse.

Not offered in the editor: a wave adds these questions itself, per
department, from the commitments frozen into its snapshot when it opened (see
:mod:`surveys.commitments`). Answers are a point from 1 ("not kept at all") to
5 ("fully kept"), or 0 for "don't know".
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .base import (
    RADIO_TEMPLATE,
    CleanAnswers,
    Option,
    QuestionType,
    QuestionView,
    Rendering,
    integer,
)

#: The stored value of "don't know".
DONT_KNOW = 0
#: The scale's points: 1 (not kept at all) .. POINTS (fully kept).
POINTS = 5
#: The id of the n-th kept question a respondent is asked (from 1).
KEPT_ID = "kept-{}"


def kept_slots(snapshot: dict) -> list[tuple[str, None]]:
    """The places every response of a wave keeps for kept questions: as
    many as the department asked the most gets (each department's questions
    fill them in order; see :func:`surveys.commitments.kept_questions`)."""
    asked = (snapshot.get("commitments") or {}).get("asked", {})
    most = max((len(pks) for pks in asked.values()), default=0)
    return [(KEPT_ID.format(number), None) for number in range(1, most + 1)]


class CommitmentKept(QuestionType):
    name = "commitment_kept"
    block = None
    in_editor = False
    seconds = 10
    template_source = RADIO_TEMPLATE

    def view(self, q, rendering: Rendering, **common) -> QuestionView:
        submitted = rendering.posted(common["name"])
        labels = rendering.text(q["labels"])
        values = [*range(1, POINTS + 1), DONT_KNOW]
        options = [
            Option(str(value), label, submitted == str(value))
            for value, label in zip(values, labels, strict=True)
        ]
        return QuestionView(**common, template=self.template, options=options)

    def clean(self, q, raw, clean: CleanAnswers) -> str | None:
        value = integer(raw)
        if value is None or not DONT_KNOW <= value <= POINTS:
            return _(
                "Choose a whole number from 1 (not kept at all) to 5 (fully "
                "kept), or 0 for \u201cdon't know\u201d."
            )
        clean.numeric.append((q["id"], value))
        return None
