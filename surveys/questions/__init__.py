"""The question types, registered once.

Each type is one class in its own module (see :mod:`surveys.questions.base`
for what a type does). A new type is a module here, its line in
:data:`QUESTION_TYPES` and its test; the editor's stream block, the snapshot,
the respondent form, the API's checks, the packed answers and the analysis
loader all read this registry.
"""

from __future__ import annotations

from wagtail import blocks

from .allocation import Allocation
from .base import (
    AllocationRow,
    CleanAnswers,
    Freezing,
    Item,
    LoadedAnswers,
    Option,
    QuestionType,
    QuestionView,
    Rendering,
    field_name,
)
from .choice import Choice
from .commitment_kept import CommitmentKept
from .free_text import FreeText
from .likert import Likert
from .primary_owner import PrimaryOwner
from .recommendation import Recommendation

#: Every question type by name, in the order the editor offers them.
QUESTION_TYPES: dict[str, QuestionType] = {
    kind.name: kind
    for kind in (
        Likert(),
        Recommendation(),
        Choice(),
        Allocation(),
        PrimaryOwner(),
        FreeText(),
        CommitmentKept(),
    )
}


def question_type(name: str) -> QuestionType:
    """The type of a block or of a frozen question (``q["type"]``)."""
    return QUESTION_TYPES[name]


class QuestionStreamBlock(blocks.StreamBlock):
    """The questions of a survey page: one block per registered type."""

    def __init__(self, local_blocks=None, **kwargs):
        local_blocks = local_blocks or [
            (name, kind.block())
            for name, kind in QUESTION_TYPES.items()
            if kind.in_editor
        ]
        super().__init__(local_blocks, **kwargs)

    class Meta:
        block_counts = {"recommendation": {"max_num": 1}}


__all__ = [
    "QUESTION_TYPES",
    "AllocationRow",
    "CleanAnswers",
    "Freezing",
    "Item",
    "LoadedAnswers",
    "Option",
    "QuestionStreamBlock",
    "QuestionType",
    "QuestionView",
    "Rendering",
    "field_name",
    "question_type",
]
