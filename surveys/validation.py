"""What an answer may be, checked against the wave's frozen questions.

The same rules serve the HTML form and the API, so a response is accepted or
refused for the same reasons wherever it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


class AnswerErrors(Exception):
    """Some answers are not acceptable; ``errors`` maps question ids to messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass
class CleanAnswers:
    numeric: list[tuple[str, int]] = field(default_factory=list)
    allocations: list[tuple[str, str, int]] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)


def _integer(value: Any) -> int | None:
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


def validate_answers(snapshot: dict[str, Any], answers: dict[str, Any]) -> CleanAnswers:
    """Check ``answers`` (question id → raw value) and convert them.

    Skipped questions are simply absent, but a response must answer at least
    one question. Raises :class:`AnswerErrors` with one message per question
    at fault (or for ``answers`` as a whole); nothing is partially accepted.
    """
    if not isinstance(answers, dict):
        raise AnswerErrors(
            {"answers": _("Answers must be an object keyed by question id.")}
        )
    questions = {q["id"]: q for q in snapshot["questions"]}
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
        message = _CHECKS[q["type"]](q, raw, clean)
        if message:
            errors[question_id] = message
    if errors:
        raise AnswerErrors(errors)
    if not (clean.numeric or clean.allocations or clean.comments):
        raise AnswerErrors(
            {"answers": _("Answer at least one question before sending.")}
        )
    return clean


def _scale(q, raw, clean, low: int, high: int) -> str | None:
    value = _integer(raw)
    if value is None or not low <= value <= high:
        return _("Choose a whole number from %(low)d to %(high)d.") % {
            "low": low,
            "high": high,
        }
    clean.numeric.append((q["id"], value))
    return None


def _likert(q, raw, clean):
    return _scale(q, raw, clean, 1, q["points"])


def _recommendation(q, raw, clean):
    return _scale(q, raw, clean, 0, 10)


def _choice(q, raw, clean):
    value = _integer(raw)
    first_language = next(iter(q["choices"].values()))
    if value is None or not 0 <= value < len(first_language):
        return _("Choose one of the offered answers.")
    clean.numeric.append((q["id"], value))
    return None


def _primary_owner(q, raw, clean):
    if not isinstance(raw, str) or raw not in q["loci"]:
        return _("Choose one of the offered answers.")
    clean.numeric.append((q["id"], q["loci"].index(raw)))
    return None


def _allocation(q, raw, clean):
    if not isinstance(raw, dict):
        return _("Give points per option.")
    unknown = [str(slug) for slug in raw if slug not in q["loci"]]
    if unknown:
        return _("Not offered here: %(loci)s.") % {"loci": ", ".join(unknown)}
    points = {}
    for slug, value in raw.items():
        number = _integer(value if value != "" else 0)
        if number is None:
            return _("Use whole numbers of points.")
        if number < 0:
            return _("Points cannot be negative.")
        points[slug] = number
    total = sum(points.values())
    if total != q["total"]:
        return _("The points must add up to %(total)d; they add up to %(sum)d.") % {
            "total": q["total"],
            "sum": total,
        }
    clean.allocations.extend((q["id"], slug, points.get(slug, 0)) for slug in q["loci"])
    return None


def _free_text(q, raw, clean):
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


_CHECKS = {
    "likert": _likert,
    "recommendation": _recommendation,
    "choice": _choice,
    "primary_owner": _primary_owner,
    "allocation": _allocation,
    "free_text": _free_text,
}
