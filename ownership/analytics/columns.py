"""The populations a release's disclosure decision protects (see
:mod:`.decisions`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Column:
    """A population reports describe: who counts in it, and its threshold.

    In groups smaller than ``band_below`` no figure may show that all members
    fall on one side of a cut-off. ``few`` holds one indicator per cut-off
    (responses × cut-offs) whose count must not be shown to be 0 or 1,
    ``many`` those whose count must not be shown to be n or n - 1.
    """

    name: str
    members: NDArray[np.bool_]  # (responses,)
    threshold: int
    few: NDArray[np.bool_] | None = None
    many: NDArray[np.bool_] | None = None
    band_below: int = 0
    # Whether the column's figures are published by more than one release of
    # a wave (comments come once, with the final release).
    across_releases: bool = True
    # Columns of one family are hidden alike: a cell hidden in one is hidden
    # in all (populations nested in each other, whose counts would otherwise
    # tell on each other).
    family: str | None = None
    # Families (or columns) whose hidden cells this column hides too (not the
    # other way round): a population nested in theirs.
    follows: tuple[str, ...] = ()

    @property
    def has_cutoffs(self) -> bool:
        return self.few is not None or self.many is not None


def both_sides(favourable: NDArray[np.bool_]) -> dict[str, NDArray[np.bool_]]:
    """A favourable share may not show 0 or 1 of n, nor n - 1 or n."""
    return {"few": favourable[:, None], "many": favourable[:, None]}
