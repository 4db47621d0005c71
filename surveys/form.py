"""The respondent form: turning a snapshot into fields, and a POST into answers.

Each question type prepares its own part (see :mod:`surveys.questions`);
templates only display it. The rules about what an answer may be live in
:mod:`surveys.validation`, shared with the API.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from .commitments import questions_for
from .questions import QuestionView, Rendering, field_name, question_type

__all__ = ["QuestionView", "answers_from_post", "field_name", "form_questions"]


def form_questions(
    snapshot: dict[str, Any],
    language: str,
    *,
    data: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    department_id: int | None = None,
) -> list[QuestionView]:
    """Everything the template needs to render the questions in ``language``
    to a respondent of ``department_id`` (the survey's questions, then
    whether their department's commitments were kept).

    ``data`` is the submitted form (to redisplay after an error) and ``errors``
    maps question ids to messages.
    """
    errors = errors or {}
    rendering = Rendering(
        language=language,
        fallback=snapshot["source_language"],
        loci=snapshot["loci"],
        data=data or {},
    )
    views = []
    with translation.override(language):
        questions = questions_for(snapshot, department_id)
        for number, q in enumerate(questions, start=1):
            views.append(
                question_type(q["type"]).view(
                    q,
                    rendering,
                    id=q["id"],
                    type=q["type"],
                    name=field_name(q["id"]),
                    number=number,
                    text=rendering.text(q["text"]),
                    required=q["required"],
                    error=errors.get(q["id"], ""),
                )
            )
    return views


def answers_from_post(
    snapshot: dict[str, Any], post, department_id: int | None = None
) -> dict[str, Any]:
    """Collect the raw answers of a respondent of ``department_id`` from a
    form POST, keyed by question id.

    Empty fields are left out (skipped questions). Values stay strings here;
    :func:`surveys.validation.validate_answers` checks and converts them.
    """
    answers: dict[str, Any] = {}
    for q in questions_for(snapshot, department_id):
        raw = question_type(q["type"]).from_post(q, post)
        if raw:
            answers[q["id"]] = raw
    return answers
