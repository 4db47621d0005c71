"""The layout of a response's packed answers."""

from __future__ import annotations

import pytest

from surveys.packing import SKIPPED, layout_of


def test_a_layout_has_a_slot_per_answer_and_per_allocation_option():
    snapshot = {
        "questions": [
            {"id": "a", "type": "likert"},
            {"id": "t", "type": "free_text"},
            {"id": "b", "type": "allocation", "loci": ["me", "cco"]},
            {"id": "c", "type": "primary_owner", "loci": ["me", "cco"]},
        ]
    }
    layout = layout_of(snapshot)
    assert layout.slots == (("a", None), ("b", "me"), ("b", "cco"), ("c", None))
    stored = layout.pack([("c", 1), ("a", 4)], [("b", "me", 70), ("b", "cco", 30)])
    assert len(stored) == 8
    assert layout.unpack([stored, layout.pack([("a", 2)])]).tolist() == [
        [4, 70, 30, 1],
        [2, SKIPPED, SKIPPED, SKIPPED],
    ]
    assert layout.answers(stored) == {"a": 4, "b": {"me": 70, "cco": 30}, "c": 1}
    with pytest.raises(ValueError, match="layout"):
        layout.unpack([stored + b"\x00"])
    assert layout.unpack([]).shape == (0, 4)
