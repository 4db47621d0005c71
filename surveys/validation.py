"""What an answer may be, checked against the wave's frozen questions.

The same rules serve the HTML form and the API, so a response is accepted or
refused for the same reasons wherever it comes from.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .commitments import questions_for
from .questions import CleanAnswers, question_type

__all__ = ["AnswerErrors", "CleanAnswers", "validate_answers"]


class AnswerErrors(Exception):
    """Some answers are not acceptable; ``errors`` maps question ids to messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def validate_answers(
    snapshot: dict[str, Any],
    answers: dict[str, Any],
    department_id: int | None = None,
) -> CleanAnswers:
    """Check ``answers`` (question id → raw value) of a respondent of
    ``department_id`` and convert them (the kept questions differ by
    department; see :func:`surveys.commitments.questions_for`).

    Skipped questions are simply absent, but a response must answer at least
    one question. Raises :class:`AnswerErrors` with one message per question
    at fault (or for ``answers`` as a whole); nothing is partially accepted.
    """
    if not isinstance(answers, dict):
        raise AnswerErrors(
            {"answers": _("Answers must be an object keyed by question id.")}
        )
    questions = {q["id"]: q for q in questions_for(snapshot, department_id)}
    errors: dict[str, str] = {}
    clean = CleanAnswers()
    for question_id in answers:
        if question_id not in questions:
            errors[str(question_id)] = _("This survey has no such question.")
    for question_id, q in questions.items():
        raw = answers.get(question_id)
        if raw is None or raw == "" or raw == {}:
            if q["required"]:
                errors[question_id] = _("This question needs an answer.")
            continue
        message = question_type(q["type"]).clean(q, raw, clean)
        if message:
            errors[question_id] = message
    if errors:
        raise AnswerErrors(errors)
    if not (clean.numeric or clean.allocations or clean.comments):
        raise AnswerErrors(
            {"answers": _("Answer at least one question before sending.")}
        )
    return clean
