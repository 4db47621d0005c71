"""The survey page's preview: its questions as the respondent form shows them."""

from __future__ import annotations

from typing import Any

from django import template

from ..form import form_questions
from ..models.waves import DEFAULT_MIN_GROUP_SIZE
from ..snapshot import snapshot_build

register = template.Library()


@register.simple_tag
def survey_preview(page) -> dict[str, Any]:
    """Intro, questions and minimum group size of ``page`` in its own language,
    from a snapshot built on the fly (nothing is stored)."""
    language = page.locale.language_code
    snapshot = snapshot_build(page, locales=[language])
    return {
        "intro": snapshot["intro"][language],
        "questions": form_questions(snapshot, language),
        "min_group_size": DEFAULT_MIN_GROUP_SIZE,
    }
