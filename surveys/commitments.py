"""What a wave shows each department of the commitments made since the last
pulse: frozen into the snapshot when the wave opens, like its questions, so
that a commitment edited later does not change what a wave showed."""

from __future__ import annotations

from typing import Any

from .models import Commitment, CommitmentStatus, Wave

#: At most this many commitments are shown to a department (its own and
#: those of the departments above it, the latest due date first).
MAX_SHOWN = 5


def commitments_frozen(wave: Wave, languages: list[str], now) -> dict[str, Any]:
    """The commitments recorded from the survey's previous wave opening until
    ``now``, when this wave freezes (none for a first wave), except those
    dropped, and which of them each department of the wave's frozen tree
    sees."""
    previous = wave.previous_wave()
    if previous is None or not wave.tree:
        return {"items": {}, "shown": {}}
    recorded = (
        Commitment.objects.filter(
            created_at__gte=previous.opens_at, created_at__lte=now
        )
        .exclude(status=CommitmentStatus.DROPPED)
        .select_related("department")
        .order_by("-due_on", "-pk")
    )
    by_department: dict[int, list[Commitment]] = {}
    for commitment in recorded:
        by_department.setdefault(commitment.department_id, []).append(commitment)
    items: dict[str, dict[str, Any]] = {}
    shown: dict[str, list[int]] = {}
    parent_of = {entry["code"]: entry["parent"] for entry in wave.tree}
    id_of = {entry["code"]: entry["id"] for entry in wave.tree}
    for entry in wave.tree:
        mine: list[Commitment] = []
        code = entry["code"]
        while code is not None:
            mine += by_department.get(id_of.get(code), [])
            code = parent_of.get(code) or None
        mine.sort(key=lambda c: (c.due_on, c.pk), reverse=True)
        for commitment in mine[:MAX_SHOWN]:
            items[str(commitment.pk)] = {
                "department": commitment.department.name,
                "text": {lang: commitment.text(lang) for lang in languages},
                "construct": commitment.construct,
                "status": commitment.status,
                "due_on": commitment.due_on.isoformat(),
            }
        if mine:
            shown[str(entry["id"])] = [c.pk for c in mine[:MAX_SHOWN]]
    return {"items": items, "shown": shown}


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
