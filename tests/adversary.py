"""An onlooker who knows the tree and every published count, and tries to
recover the size (and so the sum) of any group smaller than k by adding and
subtracting published figures."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np


def subtree_membership(parent: np.ndarray) -> np.ndarray:
    """``m[i, j]`` is 1 when department ``j``'s own members count in node ``i``."""
    nodes = len(parent)
    m = np.eye(nodes)
    for j in range(nodes):
        p = parent[j]
        while p >= 0:
            m[p, j] = 1.0
            p = parent[p]
    return m


def recoverable_small_groups(
    parent: np.ndarray, own: np.ndarray, published: np.ndarray, k: int
) -> list[tuple[int, ...]]:
    """Groups of 1..k-1 people whose total a linear combination of the
    published node totals gives away.

    Candidates are every department's own members, every subtree and every
    private part of a published node; each is tested for membership in the row
    space of the published nodes (least squares, exact up to rounding).
    """
    m = subtree_membership(parent) * own[None, :]
    visible = m[published]
    candidates = []
    for j in range(len(parent)):
        block = np.zeros(len(parent))
        block[j] = own[j]
        candidates.append(((j,), block))
        candidates.append(((-1, j), m[j]))
    leaks = []
    for label, target in candidates:
        size = target.sum()
        if not 0 < size < k:
            continue
        if not len(visible):
            continue
        coef, *_ = np.linalg.lstsq(visible.T, target, rcond=None)
        if np.allclose(visible.T @ coef, target, atol=1e-8):
            leaks.append(label)
    return leaks


# --------------------------------------------------------------------------
# The exact adversary: people, not departments.
#
# A published figure that is a sum or a mean over a set of respondents, with
# its n, gives away the total of that set (and its size). Adding and
# subtracting figures gives away the total of every group whose indicator
# vector lies in the row space of the published sets' 0-1 matrix, and of no
# other group. Such a vector is constant on each *class* of respondents who lie
# in exactly the same published sets, so the recoverable groups are unions of
# classes; a union S of classes is recoverable iff its class-level indicator is
# in the row space of the class-level matrix C, that is iff it is orthogonal to
# the null space of C: the null-space rows of the classes in S sum to zero.
# Everything below is exact (rational arithmetic, no rounding).


@dataclass(frozen=True)
class Classes:
    """Respondents grouped by the published sets they lie in."""

    people: tuple  # every respondent in at least one set, in first-seen order
    members: tuple[tuple, ...]  # the respondents of each class
    matrix: np.ndarray  # (sets, classes), 0-1: class j lies in set i

    @property
    def sizes(self) -> list[int]:
        return [len(m) for m in self.members]


def _as_sets(published) -> list[list]:
    """Sets of respondents from sets, lists, or a 0-1 matrix (rows = sets,
    columns = respondents 0 .. n-1)."""
    if isinstance(published, np.ndarray):
        matrix = np.atleast_2d(published)
        return [np.flatnonzero(row).tolist() for row in matrix]
    return [list(dict.fromkeys(s)) for s in published]


def respondent_classes(published) -> Classes:
    """Classes of respondents in exactly the same published sets.

    >>> c = respondent_classes([{1, 2, 3}, {3}])
    >>> c.members, c.matrix.tolist()
    (((1, 2), (3,)), [[1, 1], [0, 1]])
    """
    sets = _as_sets(published)
    where: dict = {}
    for i, s in enumerate(sets):
        for person in s:
            where.setdefault(person, []).append(i)
    signature: dict[tuple, list] = {}
    for person, rows in where.items():
        signature.setdefault(tuple(rows), []).append(person)
    members = tuple(tuple(people) for people in signature.values())
    matrix = np.zeros((len(sets), len(members)), dtype=np.int64)
    for j, rows in enumerate(signature):
        matrix[list(rows), j] = 1
    return Classes(tuple(where), members, matrix)


def _rref(matrix) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form over the rationals, and the pivot columns."""
    rows = [[Fraction(int(x)) for x in row] for row in np.atleast_2d(matrix)]
    width = len(rows[0]) if rows else 0
    pivots: list[int] = []
    r = 0
    for c in range(width):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][c]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                factor = rows[i][c]
                rows[i] = [
                    a - factor * b for a, b in zip(rows[i], rows[r], strict=True)
                ]
        pivots.append(c)
        r += 1
        if r == len(rows):
            break
    return rows[:r], pivots


def null_space(matrix) -> np.ndarray:
    """An integer basis of the null space of ``matrix``, one vector per
    column: shape ``(columns, dimension)``. Exact.

    >>> null_space(np.array([[1, 1, 1], [0, 1, 1]])).T.tolist()
    [[0, -1, 1]]
    """
    matrix = np.atleast_2d(np.asarray(matrix))
    width = matrix.shape[1]
    if matrix.shape[0] == 0:
        return np.eye(width, dtype=np.int64)
    reduced, pivots = _rref(matrix)
    free = [c for c in range(width) if c not in pivots]
    basis = np.zeros((width, len(free)), dtype=object)
    for d, f in enumerate(free):
        vector = [Fraction(0)] * width
        vector[f] = Fraction(1)
        for row, p in zip(reduced, pivots, strict=True):
            vector[p] = -row[f]
        scale = math.lcm(*(x.denominator for x in vector))
        basis[:, d] = [int(x * scale) for x in vector]
    if basis.size and np.abs(basis).max() < 2**40:
        return basis.astype(np.int64)
    return basis


def in_row_space(published, group) -> bool:
    """Whether the total of ``group`` follows exactly from the published sets.

    >>> in_row_space([{1, 2, 3}, {3}], {1, 2}), in_row_space([{1, 2, 3}], {1})
    (True, False)
    """
    group = set(group)
    if not group:
        return True
    classes = respondent_classes(published)
    if not group <= set(classes.people):
        return False
    chosen = []
    for j, members in enumerate(classes.members):
        inside = group.intersection(members)
        if inside and len(inside) != len(members):
            return False  # splits a class: no published set tells them apart
        if inside:
            chosen.append(j)
    basis = null_space(classes.matrix)
    return not basis[chosen].sum(axis=0).any()


def smallest_recoverable_group(published, k: int, *, limit: int = 2_000_000):
    """The smallest non-empty group of respondents whose total follows from
    the published sets, if it has fewer than ``k`` people; else ``None``.

    ``published`` is a list of sets of respondents (or a 0-1 matrix whose rows
    are the sets and whose columns are respondents). Each set stands for a
    published sum or mean with its n. The group is returned as a tuple of
    respondents, classes in order. The search tries unions of classes of
    fewer than ``k`` people, smallest totals first, and raises
    ``RuntimeError`` rather than give up quietly after ``limit`` steps.

    >>> smallest_recoverable_group([{1, 2, 3, 4, 5, 6}, {2, 3, 4, 5, 6}], 5)
    (1,)
    >>> smallest_recoverable_group([{1, 2, 3, 4, 5, 6, 7}, {2, 3, 4, 5}], 3) is None
    True
    """
    classes = respondent_classes(published)
    sizes = classes.sizes
    small = sorted(
        (j for j, size in enumerate(sizes) if size < k), key=lambda j: sizes[j]
    )
    if not small:
        return None
    basis = null_space(classes.matrix)
    rows = [basis[j] for j in small]
    best: list = [k, None]
    steps = 0

    def search(start: int, total: int, acc, chosen: list[int]) -> None:
        nonlocal steps
        for position in range(start, len(small)):
            j = small[position]
            size = total + sizes[j]
            if size >= best[0]:
                return  # sorted by size: every later class is at least as big
            steps += 1
            if steps > limit:
                raise RuntimeError("search limit reached; raise `limit`")
            vector = acc + rows[position]
            if not vector.any():
                best[:] = [size, [*chosen, j]]
                return  # anything larger from here is no improvement
            search(position + 1, size, vector, [*chosen, j])

    search(0, 0, np.zeros(basis.shape[1], dtype=basis.dtype), [])
    if best[1] is None:
        return None
    return tuple(person for j in best[1] for person in classes.members[j])


def recovering_combination(published, group) -> dict[int, Fraction] | None:
    """Coefficients of published sets (by index) whose combination is exactly
    ``group``'s indicator, or ``None`` if there is none: the attack itself.

    >>> recovering_combination([{1, 2, 3}, {3}], {1, 2})
    {0: Fraction(1, 1), 1: Fraction(-1, 1)}
    """
    sets = _as_sets(published)
    group = set(group)
    people = list(dict.fromkeys([p for s in sets for p in s] + sorted(group, key=str)))
    index = {p: i for i, p in enumerate(people)}
    # Solve a @ M = g: row-reduce [M^T | g^T] and read a off the pivots.
    augmented = np.zeros((len(people), len(sets) + 1), dtype=np.int64)
    for i, s in enumerate(sets):
        for p in s:
            augmented[index[p], i] = 1
    for p in group:
        augmented[index[p], -1] = 1
    reduced, pivots = _rref(augmented)
    if len(sets) in pivots:
        return None
    coefficients = {}
    for row, p in zip(reduced, pivots, strict=True):
        if row[-1] != 0:
            coefficients[p] = row[-1]
    return coefficients
