"""The seeded item bank: validated statements, scale labels and the default
question texts, in every language the product ships."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

ITEM_BANK_FILE = Path(__file__).parent / "data" / "item_bank.json"


@cache
def item_bank() -> dict[str, Any]:
    """The seeded item bank, scale labels and default question texts."""
    return json.loads(ITEM_BANK_FILE.read_text(encoding="utf-8"))


def default_labels(points: int, language: str) -> list[str]:
    """The standard agreement labels of a ``points``-point scale."""
    scales = item_bank()["scales"][f"agree{points}"]
    return scales.get(language) or scales["en"]
