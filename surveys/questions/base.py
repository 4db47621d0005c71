"""A question type: everything one kind of question does, in one class.

A type answers, for its kind of question:

- ``block``: what the editor fills in (a Wagtail ``StructBlock``);
- :meth:`~QuestionType.freeze`: what a wave keeps of it (plain JSON, every
  text in every language);
- :meth:`~QuestionType.view` and ``template``: how the respondent form shows it;
- :meth:`~QuestionType.from_post`: its raw answer in a form POST (the API sends
  the raw answer itself);
- :meth:`~QuestionType.clean`: what an answer may be, for the form and the API
  alike;
- :meth:`~QuestionType.slots` and :meth:`~QuestionType.load`: where its answers
  are stored in a response's packed answers and what analysis reads of them.

Types are registered once, in :mod:`surveys.questions`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
from django.template import engines
from django.utils.translation import gettext as _
from numpy.typing import NDArray
from wagtail import blocks

FIELD_PREFIX = "q-"

#: One text per language, as a snapshot stores it.
Texts = dict[str, Any]


def field_name(question_id: str, option: str | None = None) -> str:
    """The form field of a question, or of one option of it."""
    return f"{FIELD_PREFIX}{question_id}" + (f"-{option}" if option else "")


def integer(value: Any) -> int | None:
    """An integer from an int or a string of digits; ``None`` for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit() and text.isascii():
            return int(text)
    return None


# Freezing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Freezing:
    """What freezing one block of a page can use.

    ``texts(getter)`` gives one value per language: ``getter(block, language)``
    on the block as translated into that language, falling back to the source
    page's block where the translation lacks it. ``bank`` is the item bank by
    language and item id.
    """

    block: Any
    texts: Callable[[Callable[[Any, str], Any]], Texts]
    bank: dict[str, dict[str, dict[str, Any]]]

    @property
    def value(self):
        return self.block.value

    def text_of(self, key: str) -> Texts:
        """The sub-block ``key`` in every language."""
        return self.texts(lambda block, _language: block.value.get(key))


# The respondent form ------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool = False


@dataclass(frozen=True)
class AllocationRow:
    name: str
    label: str
    value: str


@dataclass(frozen=True)
class QuestionView:
    """One question as the respondent form shows it, in one language."""

    id: str
    type: str
    name: str
    number: int
    text: str
    required: bool
    template: Any = None
    error: str = ""
    options: list[Option] = field(default_factory=list)
    rows: list[AllocationRow] = field(default_factory=list)
    low: str = ""
    high: str = ""
    help: str = ""
    warning: str = ""
    note: str = ""
    value: str = ""
    max_length: int = 0
    total: int = 0


@dataclass(frozen=True)
class Rendering:
    """What showing one question needs: the language, the snapshot's loci and
    what was posted (to show it again after an error)."""

    language: str
    fallback: str
    loci: dict[str, Any]
    data: Mapping[str, Any]

    def text(self, texts: Texts) -> Any:
        return texts.get(self.language) or texts.get(self.fallback)

    def posted(self, name: str) -> str:
        return str(self.data.get(name, ""))

    def locus_name(self, slug: str) -> str:
        return self.text(self.loci[slug]["name"])


# Answers ---------------------------------------------------------------------------


@dataclass
class CleanAnswers:
    """A response's answers once checked: numbers by question, points by
    question and option, and comments (stored apart from the numbers)."""

    numeric: list[tuple[str, int]] = field(default_factory=list)
    allocations: list[tuple[str, str, int]] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Item:
    """A Likert item as analysis reads it."""

    question: str
    item: str
    construct: str
    points: int
    reverse_keyed: bool


@dataclass
class LoadedAnswers:
    """What analysis reads of a wave's answers, filled in by each question's
    :meth:`QuestionType.load`. Arrays have one row per response; ``NaN`` is a
    skipped answer, and ``loci`` orders the allocation's columns."""

    n: int
    loci: list[str]
    items: list[Item] = field(default_factory=list)
    likert: list[NDArray[np.float64]] = field(default_factory=list)
    nps: NDArray[np.float64] | None = None
    owner: NDArray[np.float64] | None = None
    allocation: NDArray[np.float64] | None = None


#: The answers of one question in every response: ``column(option)``.
Column = Callable[[str | None], NDArray[np.float64]]


class QuestionType:
    """The behaviour of one kind of question (see the module)."""

    #: The block's name in the page's StreamField and the snapshot's ``type``.
    name: ClassVar[str]
    #: The editor's block (a class; instantiated once per stream block).
    block: ClassVar[type[blocks.StructBlock] | None]
    #: Whether editors add it to a page (else a wave adds it by itself).
    in_editor: ClassVar[bool] = True
    #: About how long answering takes, for the invitation's estimate.
    seconds: ClassVar[int] = 15
    #: How the respondent form shows a :class:`QuestionView` of this type.
    template_source: ClassVar[str] = ""

    @cached_property
    def template(self):
        return engines["django"].from_string(self.template_source)

    # Freezing
    def freeze(self, freezing: Freezing) -> dict[str, Any]:
        """The snapshot's keys for this question beyond id, type and required."""
        return {"text": freezing.text_of("text")}

    # The form
    def view(self, q: dict[str, Any], rendering: Rendering, **common) -> QuestionView:
        return QuestionView(**common, template=self.template)

    def from_post(self, q: dict[str, Any], post: Mapping[str, Any]) -> Any:
        """The raw answer in a form POST; empty when skipped."""
        return str(post.get(field_name(q["id"]), "")).strip()

    # Answers
    def clean(self, q: dict[str, Any], raw: Any, clean: CleanAnswers) -> str | None:
        """Add the checked answer to ``clean``, or return what is wrong."""
        raise NotImplementedError

    def slots(self, q: dict[str, Any]) -> list[tuple[str, str | None]]:
        """Its places in a response's packed answers (see :mod:`surveys.packing`)."""
        return [(q["id"], None)]

    def load(self, q: dict[str, Any], column: Column, loaded: LoadedAnswers) -> None:
        """Put what analysis reads of this question into ``loaded``."""


def scale_answer(q, raw, clean: CleanAnswers, low: int, high: int) -> str | None:
    """A whole number from ``low`` to ``high``, stored as given."""
    value = integer(raw)
    if value is None or not low <= value <= high:
        return _("Choose a whole number from %(low)d to %(high)d.") % {
            "low": low,
            "high": high,
        }
    clean.numeric.append((q["id"], value))
    return None


RADIO_TEMPLATE = """\
<div class="options options--{{ q.type }}">
  {% for option in q.options %}
    <label class="option">
      <input type="radio" name="{{ q.name }}" value="{{ option.value }}"
             {% if option.checked %}checked{% endif %}
             {% if q.required %}required{% endif %}
             {% if disabled %}disabled{% endif %}>
      <span>{{ option.label }}</span>
    </label>
  {% endfor %}
</div>
"""
