"""Fixtures shared by the statistics tests: the R reference sets in tests/reference.

Each reference set ``NAME`` is a survey ``NAME.csv`` (column ``group``, then
items ``i1..ik`` coded 1..A, an empty cell for a missing answer) and
``NAME.expected.json`` with what R's psych and multilevel computed on the keyed
items. The reverse-keyed items are scored ``A + 1 - x`` here, as the README of
the reference sets requires, before any function under test sees them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

REFERENCE_DIR = Path(__file__).parents[2] / "reference"
REFERENCE_SETS = ("pub_small", "pub_missing")


@dataclass(frozen=True, eq=False)
class ReferenceSet:
    """A reference survey with its keyed items and R's expected values."""

    name: str
    groups: np.ndarray
    items: np.ndarray  # keyed: reverse-keyed items already scored A + 1 - x
    n_options: int
    expected: dict[str, Any]


def load_reference(name: str) -> ReferenceSet:
    """Read ``NAME.csv`` and ``NAME.expected.json`` and key the items."""
    csv_path = REFERENCE_DIR / f"{name}.csv"
    json_path = REFERENCE_DIR / f"{name}.expected.json"
    if not csv_path.exists() or not json_path.exists():
        pytest.fail(f"reference set {name!r} missing from {REFERENCE_DIR}")
    with csv_path.open(newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    if header[0] != "group":
        pytest.fail(f"{csv_path}: first column must be 'group', got {header[0]!r}")
    groups = np.array([row[0] for row in body])
    items = np.array(
        [[float(cell) if cell.strip() else np.nan for cell in row[1:]] for row in body]
    )
    expected = json.loads(json_path.read_text())
    n_options = int(expected["n_options"])
    for item in expected["reverse_keyed"]:  # 1-based item numbers (i2 -> 2)
        items[:, item - 1] = n_options + 1 - items[:, item - 1]
    return ReferenceSet(name, groups, items, n_options, expected)


@pytest.fixture(params=REFERENCE_SETS, scope="session")
def reference(request: pytest.FixtureRequest) -> ReferenceSet:
    """Each R reference set in turn, with its items keyed."""
    return load_reference(request.param)
