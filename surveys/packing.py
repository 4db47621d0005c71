"""How a response's numeric answers are stored: one packed array per response.

A wave's frozen questions fix a *layout*: the slots each question's type
claims (:meth:`surveys.questions.QuestionType.slots`): one per Likert, 0–10,
choice and owner question, one per offered option of an allocation question,
none for free text, in the snapshot's order; then one per "Has this commitment
been kept?" question (:func:`~surveys.questions.commitment_kept.kept_slots`).
A response stores its answers as that many
little-endian 16-bit integers (:data:`DTYPE`), ``-1`` where a question was
skipped. Every value an answer can take (a Likert point, a score, a choice or
locus index, points out of 100) is a small non-negative integer.

Reading a whole wave is then one query returning one short byte string per
response, joined and decoded with :func:`numpy.frombuffer` (see
:func:`unpack`): about 0.2 s for 100,000 responses on PostgreSQL, where one row
per answer took over 30 s.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .questions import question_type
from .questions.commitment_kept import kept_slots

DTYPE = np.dtype("<i2")
SKIPPED = -1


@dataclass(frozen=True)
class Layout:
    """The slots of a wave's packed answers: ``(question id, option)`` pairs,
    the option being ``None`` for one-answer questions and a locus slug for the
    options of an allocation question."""

    slots: tuple[tuple[str, str | None], ...]

    @functools.cached_property
    def position(self) -> dict[tuple[str, str | None], int]:
        return {slot: i for i, slot in enumerate(self.slots)}

    def __len__(self) -> int:
        return len(self.slots)

    def pack(
        self,
        numeric: Iterable[tuple[str, int]],
        allocations: Iterable[tuple[str, str, int]] = (),
    ) -> bytes:
        """The stored form of one response's answers (as
        :class:`~surveys.validation.CleanAnswers` holds them)."""
        values = np.full(len(self.slots), SKIPPED, dtype=DTYPE)
        for question, value in numeric:
            values[self.position[question, None]] = value
        for question, option, points in allocations:
            values[self.position[question, option]] = points
        return values.tobytes()

    def unpack(self, stored: Iterable[bytes | memoryview]) -> NDArray[np.int16]:
        """Many responses' answers as a (responses, slots) array."""
        if not self.slots:  # a wave that asks only for comments
            return np.zeros((sum(1 for _ in stored), 0), dtype=DTYPE)
        joined = b"".join(stored)
        if len(joined) % (DTYPE.itemsize * max(len(self.slots), 1)):
            raise ValueError("stored answers do not match the wave's layout")
        return np.frombuffer(joined, dtype=DTYPE).reshape(-1, len(self.slots))

    def column(self, question: str, option: str | None = None) -> int:
        return self.position[question, option]

    def answers(self, stored: bytes | memoryview) -> dict[str, Any]:
        """One response's answers by question id, as they were given: a number
        for one-answer questions, points by option for an allocation."""
        values = self.unpack([bytes(stored)])[0]
        result: dict[str, Any] = {}
        for (question, option), value in zip(self.slots, values.tolist(), strict=True):
            if value == SKIPPED:
                continue
            if option is None:
                result[question] = value
            else:
                result.setdefault(question, {})[option] = value
        return result


def layout_of(snapshot: dict[str, Any]) -> Layout:
    """The layout a wave's snapshot fixes (cached per snapshot content): its
    questions' slots, then those of the kept questions its departments are
    asked about their commitments."""
    return _layout(
        json.dumps(snapshot.get("questions", []), sort_keys=True),
        tuple(kept_slots(snapshot)),
    )


@functools.lru_cache(maxsize=64)
def _layout(questions_json: str, kept: tuple[tuple[str, None], ...]) -> Layout:
    slots: list[tuple[str, str | None]] = []
    for question in json.loads(questions_json):
        slots += question_type(question["type"]).slots(question)
    return Layout(tuple(slots) + kept)
