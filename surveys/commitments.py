"""What a wave shows each department of the commitments made since the last
pulse: frozen into the snapshot when the wave opens, like its questions, so
that a commitment edited later does not change what a wave showed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Commitment, CommitmentStatus, Wave
from .questions.commitment_kept import KEPT_ID

#: At most this many commitments are shown to a department (its own and
#: those of the departments above it, the latest due date first).
MAX_SHOWN = 5
#: At most this many are asked about ("Has this commitment been kept?").
MAX_ASKED = 3


def _kept_texts(languages: list[str]) -> dict[str, Any]:
    """The kept question's prompt (a format with ``%(statement)s``) and its
    answers, from "not kept at all" to "fully kept" and "don't know", in
    every language."""
    prompt, labels = {}, {}
    for language in languages:
        with translation.override(language):
            prompt[language] = _(
                "Has this commitment been kept? \u201c%(statement)s\u201d"
            )
            labels[language] = [
                _("Not kept at all"),
                _("Barely kept"),
                _("Partly kept"),
                _("Mostly kept"),
                _("Fully kept"),
                _("Don't know"),
            ]
    return {"prompt": prompt, "labels": labels}


def _item(commitment: Commitment, languages: list[str]) -> dict[str, Any]:
    return {
        "department": commitment.department.name,
        "department_code": commitment.department.code,
        "text": {lang: commitment.text(lang) for lang in languages},
        "construct": commitment.construct,
        "status": commitment.status,
        "due_on": commitment.due_on.isoformat(),
    }


def commitments_frozen(wave: Wave, languages: list[str], now) -> dict[str, Any]:
    """What each department of the wave's frozen tree sees and is asked.

    *Shown*: the commitments recorded from the survey's previous wave opening
    until ``now``, when this wave freezes, except those dropped. *Asked*
    ("Has this commitment been kept?"): those recorded by ``now`` that fall
    due after the previous wave opened and by the day this wave closes,
    dropped ones included (employees may have noticed), at most
    :data:`MAX_ASKED`, the latest due date first. A department sees and is
    asked about its own commitments and those of the departments above it.
    A first wave has neither.
    """
    previous = wave.previous_wave()
    if previous is None or not wave.tree:
        return {"items": {}, "shown": {}, "asked": {}}
    since = previous.opens_at
    last_day = timezone.localdate(wave.closes_at)
    candidates = (
        Commitment.objects.filter(created_at__lte=now)
        .filter(
            Q(created_at__gte=since)
            | Q(due_on__gt=timezone.localdate(since), due_on__lte=last_day)
        )
        .select_related("department")
        .order_by("-due_on", "-pk")
    )
    by_department: dict[int, list[Commitment]] = {}
    for commitment in candidates:
        by_department.setdefault(commitment.department_id, []).append(commitment)
    items: dict[str, dict[str, Any]] = {}
    shown: dict[str, list[int]] = {}
    asked: dict[str, list[int]] = {}
    parent_of = {entry["code"]: entry["parent"] for entry in wave.tree}
    id_of = {entry["code"]: entry["id"] for entry in wave.tree}
    texts = _kept_texts(languages)
    for entry in wave.tree:
        mine: list[Commitment] = []
        code = entry["code"]
        while code is not None:
            mine += by_department.get(id_of.get(code), [])
            code = parent_of.get(code) or None
        mine.sort(key=lambda c: (c.due_on, c.pk), reverse=True)
        seen = [
            c
            for c in mine
            if c.created_at >= since and c.status != CommitmentStatus.DROPPED
        ][:MAX_SHOWN]
        due = [c for c in mine if timezone.localdate(since) < c.due_on <= last_day][
            :MAX_ASKED
        ]
        for commitment in seen + due:
            items.setdefault(str(commitment.pk), _item(commitment, languages))
        for commitment in due:
            items[str(commitment.pk)]["question"] = {
                lang: texts["prompt"][lang] % {"statement": commitment.text(lang)}
                for lang in languages
            }
        if seen:
            shown[str(entry["id"])] = [c.pk for c in seen]
        if due:
            asked[str(entry["id"])] = [c.pk for c in due]
    return {
        "items": items,
        "shown": shown,
        "asked": asked,
        "labels": texts["labels"],
    }


def commitments_shown(snapshot: dict[str, Any], department_id, language: str):
    """The commitments a respondent of ``department_id`` sees, in ``language``:
    dicts with ``text``, ``theme`` (or empty), ``status``, ``department`` and
    ``due_on``."""
    frozen = snapshot.get("commitments") or {}
    items = frozen.get("items", {})
    fallback = snapshot.get("source_language", "en")
    constructs = snapshot.get("constructs", {})
    shown = []
    for pk in frozen.get("shown", {}).get(str(department_id), []):
        item = items[str(pk)]
        theme = constructs.get(item["construct"], {}).get("name", {})
        shown.append(
            {
                "text": item["text"].get(language) or item["text"].get(fallback),
                "theme": theme.get(language) or theme.get(fallback) or "",
                "status": item["status"],
                "status_label": CommitmentStatus(item["status"]).label,
                "department": item["department"],
                "due_on": item["due_on"],
            }
        )
    return shown


def kept_questions(snapshot: dict[str, Any], department_id) -> list[dict[str, Any]]:
    """The "Has this commitment been kept?" questions a respondent of
    ``department_id`` is asked, as frozen questions (ids ``kept-1`` ..)."""
    frozen = snapshot.get("commitments") or {}
    asked = frozen.get("asked", {}).get(str(department_id), [])
    return [
        {
            "id": KEPT_ID.format(number),
            "type": "commitment_kept",
            "required": False,
            "commitment": pk,
            "text": frozen["items"][str(pk)]["question"],
            "labels": frozen["labels"],
        }
        for number, pk in enumerate(asked, start=1)
    ]


def questions_for(snapshot: dict[str, Any], department_id) -> list[dict[str, Any]]:
    """Every question a respondent of ``department_id`` answers: the survey's,
    then the kept questions of their department."""
    return snapshot["questions"] + kept_questions(snapshot, department_id)
