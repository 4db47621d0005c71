"""Synthetic survey waves for the statistics benchmark.

A wave looks like what ``ownership.analytics`` hands to ``ownership.stats``:
Likert answers (respondents x items, ``np.nan`` for a skipped item) grouped by
department, and 100-point responsibility allocations over loci. The generator
is seeded, so a given size always gives the same wave.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Wave", "make_wave"]


@dataclass(frozen=True, eq=False)
class Wave:
    """One synthetic wave.

    Attributes
    ----------
    items : ndarray of float, shape (respondents, items)
        Answers 1..``n_options``, already keyed, ``np.nan`` where skipped.
    groups : ndarray of int, shape (respondents,)
        Department id of each respondent.
    allocations : ndarray of float, shape (respondents, loci)
        Points over the loci, each row summing to 100.
    constructs : tuple of slice
        The columns of each construct's items (adjacent, as a survey lists them).
    n_options : int
        Points of the Likert scale.
    """

    items: NDArray[np.float64]
    groups: NDArray[np.int64]
    allocations: NDArray[np.float64]
    constructs: tuple[slice, ...]
    n_options: int


def make_wave(
    n_respondents: int = 100_000,
    n_groups: int = 1_000,
    n_constructs: int = 8,
    items_per_construct: int = 5,
    n_loci: int = 8,
    n_options: int = 5,
    missing: float = 0.02,
    seed: int = 20_240_501,
) -> Wave:
    """Build a seeded synthetic wave.

    Department sizes vary (gamma-distributed weights), every construct has a
    department effect (ICC(1) about .10) and a person effect, items load on
    their construct, and about ``missing`` of the answers are skipped. Each
    department has its own mean allocation over the loci (a few designated
    owners attract more points), and each respondent's 100 points are a
    multinomial draw around it.

    Parameters
    ----------
    n_respondents, n_groups, n_constructs, items_per_construct, n_loci : int
        Size of the wave.
    n_options : int
        Points of the Likert scale.
    missing : float
        Probability that an answer is skipped.
    seed : int
        Seed of the random generator.

    Returns
    -------
    Wave
    """
    rng = np.random.default_rng(seed)
    n_items = n_constructs * items_per_construct
    weights = rng.gamma(2.0, size=n_groups)
    groups = rng.choice(n_groups, size=n_respondents, p=weights / weights.sum())
    # Every department appears at least once, so the wave has n_groups groups.
    groups[: min(n_groups, n_respondents)] = np.arange(min(n_groups, n_respondents))

    dept = rng.normal(scale=np.sqrt(0.1), size=(n_groups, n_constructs))
    person = rng.normal(scale=np.sqrt(0.9), size=(n_respondents, n_constructs))
    latent = np.repeat(dept[groups] + person, items_per_construct, axis=1)
    loadings = rng.uniform(0.5, 0.9, size=n_items)
    noise = rng.normal(size=(n_respondents, n_items)) * np.sqrt(1 - loadings**2)
    centre = (n_options + 1) / 2 + rng.uniform(-0.5, 0.8, size=n_items)
    raw = centre + 1.1 * (loadings * latent + noise)
    items = np.clip(np.rint(raw), 1, n_options)
    items[rng.random(items.shape) < missing] = np.nan

    owners = np.ones(n_loci)
    owners[: min(2, n_loci)] = 4.0  # e.g. the CCO and customer service
    dept_mix = rng.dirichlet(owners, size=n_groups)
    person_mix = rng.dirichlet(np.full(n_loci, 1.0), size=n_respondents)
    pvals = 0.7 * dept_mix[groups] + 0.3 * person_mix
    allocations = rng.multinomial(100, pvals).astype(np.float64)

    constructs = tuple(
        slice(c * items_per_construct, (c + 1) * items_per_construct)
        for c in range(n_constructs)
    )
    return Wave(items, groups.astype(np.int64), allocations, constructs, n_options)
