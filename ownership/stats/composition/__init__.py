"""Compositional data: allocations of 100 points over ``D`` loci.

An allocation carries only relative information: (60, 30, 10) and
(6, 3, 1) say the same thing. Aitchison's log-ratio geometry respects that:
:func:`closure` rescales to shares, :func:`replace_zeros` removes the zeros
that logarithms cannot take, :func:`clr` and :func:`ilr` map compositions to
ordinary Euclidean coordinates (:mod:`.transforms`), and
:func:`compare_compositions` / :func:`permutation_compare` test whether two
groups allocate differently (:mod:`.comparison`).

Inputs are 1-D (one composition) or 2-D (one per row), finite, non-negative,
with positive row sums; anything else raises :class:`ValueError` naming the
argument.
"""

from __future__ import annotations

from .comparison import (
    CompositionPermutationTest,
    CompositionTest,
    compare_compositions,
    permutation_compare,
)
from .transforms import closure, clr, ilr, ilr_basis, replace_zeros

__all__ = [
    "CompositionPermutationTest",
    "CompositionTest",
    "closure",
    "clr",
    "compare_compositions",
    "ilr",
    "ilr_basis",
    "permutation_compare",
    "replace_zeros",
]
