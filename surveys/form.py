"""The respondent form: turning a snapshot into fields, and a POST into answers.

Templates only display what :func:`form_questions` prepares; the rules about what
an answer may be live in :mod:`surveys.validation`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FIELD_PREFIX = "q-"


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
    id: str
    type: str
    name: str
    number: int
    text: str
    required: bool
    error: str = ""
    options: list[Option] = field(default_factory=list)
    rows: list[AllocationRow] = field(default_factory=list)
    low: str = ""
    high: str = ""
    help: str = ""
    warning: str = ""
    value: str = ""
    max_length: int = 0
    total: int = 0


def field_name(question_id: str, locus: str | None = None) -> str:
    return f"{FIELD_PREFIX}{question_id}" + (f"-{locus}" if locus else "")


def _text(texts: dict[str, Any], language: str, fallback: str) -> Any:
    return texts.get(language) or texts.get(fallback)


def form_questions(
    snapshot: dict[str, Any],
    language: str,
    *,
    data: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> list[QuestionView]:
    """Everything the template needs to render the questions in ``language``.

    ``data`` is the submitted form (to redisplay after an error) and ``errors``
    maps question ids to messages.
    """
    data = data or {}
    errors = errors or {}
    fallback = snapshot["source_language"]
    loci = snapshot["loci"]
    views = []
    for number, q in enumerate(snapshot["questions"], start=1):
        name = field_name(q["id"])
        submitted = str(data.get(name, ""))
        common = {
            "id": q["id"],
            "type": q["type"],
            "name": name,
            "number": number,
            "text": _text(q["text"], language, fallback),
            "required": q["required"],
            "error": errors.get(q["id"], ""),
        }
        kind = q["type"]
        if kind == "likert":
            labels = _text(q["labels"], language, fallback)
            options = [
                Option(str(i), label, submitted == str(i))
                for i, label in enumerate(labels, start=1)
            ]
            views.append(QuestionView(**common, options=options))
        elif kind == "recommendation":
            options = [Option(str(i), str(i), submitted == str(i)) for i in range(11)]
            views.append(
                QuestionView(
                    **common,
                    options=options,
                    low=_text(q["low"], language, fallback),
                    high=_text(q["high"], language, fallback),
                )
            )
        elif kind == "choice":
            choices = _text(q["choices"], language, fallback)
            options = [
                Option(str(i), label, submitted == str(i))
                for i, label in enumerate(choices)
            ]
            views.append(QuestionView(**common, options=options))
        elif kind == "allocation":
            rows = [
                AllocationRow(
                    name=field_name(q["id"], slug),
                    label=_text(loci[slug]["name"], language, fallback),
                    value=str(data.get(field_name(q["id"], slug), "")),
                )
                for slug in q["loci"]
            ]
            views.append(
                QuestionView(
                    **common,
                    rows=rows,
                    help=_text(q["help"], language, fallback),
                    total=q["total"],
                )
            )
        elif kind == "primary_owner":
            options = [
                Option(
                    slug,
                    _text(loci[slug]["name"], language, fallback),
                    submitted == slug,
                )
                for slug in q["loci"]
            ]
            views.append(QuestionView(**common, options=options))
        elif kind == "free_text":
            views.append(
                QuestionView(
                    **common,
                    warning=_text(q["warning"], language, fallback),
                    value=submitted,
                    max_length=q["max_length"],
                )
            )
    return views


def answers_from_post(snapshot: dict[str, Any], post) -> dict[str, Any]:
    """Collect the raw answers from a form POST, keyed by question id.

    Empty fields are left out (skipped questions). Values stay strings here;
    :func:`surveys.validation.validate_answers` checks and converts them.
    """
    answers: dict[str, Any] = {}
    for q in snapshot["questions"]:
        if q["type"] == "allocation":
            points = {
                slug: post.get(field_name(q["id"], slug), "").strip()
                for slug in q["loci"]
            }
            if any(points.values()):
                answers[q["id"]] = {slug: v or "0" for slug, v in points.items()}
            continue
        value = post.get(field_name(q["id"]), "")
        value = value if q["type"] == "free_text" else value.strip()
        if value.strip():
            answers[q["id"]] = value
    return answers
