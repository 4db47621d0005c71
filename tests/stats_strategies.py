"""Hypothesis strategies and helpers shared by the statistics tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


@st.composite
def grouped_likert(
    draw: st.DrawFn, n_options: int = 5, max_cols: int = 4, missing: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Answers (rows, cols) in 1..n_options, some NaN, with labels for 1-6 groups."""
    n = draw(st.integers(0, 40))
    k = draw(st.integers(1, max_cols))
    values = np.array(
        draw(st.lists(st.integers(1, n_options), min_size=n * k, max_size=n * k)),
        dtype=float,
    ).reshape(n, k)
    if missing and n:
        holes = np.array(draw(st.lists(st.booleans(), min_size=n * k, max_size=n * k)))
        thin = np.array(draw(st.lists(st.booleans(), min_size=n * k, max_size=n * k)))
        values[(holes & thin).reshape(n, k)] = np.nan
    groups = np.array(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)))
    return values, groups


def relabel(groups: np.ndarray, seed: int) -> tuple[np.ndarray, dict]:
    """Map labels through a random bijection onto strings."""
    rng = np.random.default_rng(seed)
    labels = np.unique(groups)
    names = [f"dept-{v}" for v in rng.permutation(1000)[: labels.size]]
    mapping = dict(zip(labels.tolist(), names, strict=True))
    return np.array([mapping[g] for g in groups.tolist()], dtype=object), mapping
