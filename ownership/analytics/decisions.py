"""One disclosure decision per release, consistent with the wave's earlier ones.

Every report of a release reads its hidden cells from one :class:`Disclosure`:
a *column* is a population that several reports may describe (all respondents,
the respondents with a score on one construct, those who answered the
allocation, ...). A department hidden for a column is hidden for it in every
report, so no report can be subtracted from another.

Across the releases of one wave the rule is about *people*. Each published
cell describes a set of respondents; an onlooker who holds every release can
add and subtract those sets and so learn the total of any union of the classes
of respondents who share the same membership in all of them. For each column,
:func:`decide` makes every such class hold either nobody or at least the
column's threshold: new respondents whose class would be too small wait for a
later release (they are not *admitted*), and a department whose cell would
split an earlier class too finely is hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ownership.stats.descriptives import scale_scores

from .columns import Column, both_sides
from .disclosure import nearest_visible_ancestor, private_parts, suppress
from .kept import commitment_columns
from .loading import ORGANISATION, WaveData

RESPONDENTS = "respondents"
NPS = "nps"
ALLOCATION = "allocation"
PRIMARY_OWNER = "primary_owner"
PRIMARY_OWNER_SHARES = "primary_owner_shares"
COMMENTS = "comments"
UNPUBLISHED = -1  # not in any published set of that release
NOT_YET = -2  # not admitted by that release


def construct_column(slug: str) -> str:
    return f"construct:{slug}"


def construct_scores(data: WaveData, construct: str) -> tuple[NDArray, NDArray, int]:
    """Each respondent's construct score, the item columns and the scale length.

    Items of a construct that mix 5- and 7-point scales are put on the
    5-point metric linearly before averaging; a score needs at least half of
    the construct's items.
    """
    columns = [j for j, item in enumerate(data.items) if item.construct == construct]
    points = {data.items[j].points for j in columns}
    values = data.likert[:, columns]
    if len(points) > 1:
        scale = np.array([data.items[j].points for j in columns], dtype=float)
        values = 1 + (values - 1) * 4 / (scale - 1)
        n_options = 5
    else:
        n_options = points.pop()
    at_least = max(1, math.ceil(len(columns) / 2))
    scores = scale_scores(values, min_items=at_least) if len(values) else np.zeros(0)
    return scores, values, n_options


def allocation_answered(data: WaveData) -> NDArray[np.bool_]:
    """Respondents with an allocation that can be closed into shares."""
    total = data.allocation.sum(axis=1) if data.allocation.shape[1] else None
    if total is None:
        return np.zeros(data.n_responses, dtype=bool)
    return ~np.isnan(total) & (total > 0)


def allocation_cutoffs(data: WaveData) -> dict[str, NDArray[np.bool_]]:
    """The cut-offs of a 100-point allocation: nobody gave a locus (or the
    designated or the distributed loci) any points, or everyone gave it all."""
    points = np.nan_to_num(data.allocation)
    total = points.sum(axis=1, keepdims=True)
    kinds = [
        data.snapshot.get("loci", {}).get(slug, {}).get("kind") for slug in data.loci
    ]
    groups = [points[:, j] for j in range(points.shape[1])]
    for kind in ("designated", "distributed"):
        chosen = [j for j, k in enumerate(kinds) if k == kind]
        groups.append(points[:, chosen].sum(axis=1))
    given = np.column_stack(groups) if groups else np.zeros((len(points), 0))
    return {"few": given > 0, "many": (given >= total) & (total > 0)}


def favourable_scores(scores: NDArray, n_options: int, when: str) -> NDArray[np.bool_]:
    """Person scores in the top two boxes (``when`` "agree") or the bottom two."""
    with np.errstate(invalid="ignore"):
        return scores >= n_options - 1 if when == "agree" else scores <= 2


def columns_of(data: WaveData, comment_threshold: int) -> list[Column]:
    """Every population the reports of ``data`` describe."""
    everyone = np.ones(data.n_responses, dtype=bool)
    columns = [Column(RESPONDENTS, everyone, data.k)]
    for slug in dict.fromkeys(item.construct for item in data.items):
        scores, _values, n_options = construct_scores(data, slug)
        when = data.constructs.get(slug, {}).get("favourable_when", "agree")
        columns.append(
            Column(
                construct_column(slug),
                ~np.isnan(scores),
                data.k,
                **both_sides(favourable_scores(scores, n_options, when)),
                band_below=comment_threshold,
            )
        )
    columns.append(
        Column(
            NPS,
            ~np.isnan(data.nps),
            data.k,
            **both_sides(data.nps >= 9),
            band_below=comment_threshold,
        )
    )
    columns.append(
        Column(
            ALLOCATION,
            allocation_answered(data),
            data.k,
            **allocation_cutoffs(data),
            band_below=comment_threshold,
        )
    )
    columns.append(Column(PRIMARY_OWNER, ~np.isnan(data.owner), data.k))
    # Who is named the primary owner is shown only for groups of at least the
    # comment threshold: with several loci, a small group nearly always has
    # one that nobody or one person named.
    columns.append(
        Column(PRIMARY_OWNER_SHARES, ~np.isnan(data.owner), comment_threshold)
    )
    columns += commitment_columns(data, comment_threshold)
    columns.append(Column(COMMENTS, everyone, comment_threshold, across_releases=False))
    return columns


@dataclass(frozen=True)
class Disclosure:
    """Which cells a release hides, per column (``True``: hidden)."""

    hidden: dict[str, NDArray[np.bool_]]
    admitted: NDArray[np.bool_] = field(repr=False)
    # Shown cells whose exact figures give way to a band (see .unanimity).
    banded: dict[str, NDArray[np.bool_]] = field(default_factory=dict)

    @property
    def rows(self) -> NDArray[np.bool_]:
        return self.hidden[RESPONDENTS]

    def bands(self, name: str) -> NDArray[np.bool_]:
        """The shown cells of ``name`` that show a band instead of figures."""
        if name in self.banded:
            return self.banded[name]
        return np.zeros_like(self.rows)

    def column(self, name: str) -> NDArray[np.bool_]:
        """The hidden cells of ``name``; an unknown column shows nothing."""
        if name in self.hidden:
            return self.hidden[name]
        return np.ones_like(self.rows)

    def to_json(self) -> dict[str, list[int]]:
        """The visible nodes of each column, as stored in the release."""
        return {
            name: np.flatnonzero(~hidden).tolist()
            for name, hidden in self.hidden.items()
        }


def visible_from_json(stored: dict[str, list[int]], nodes: int) -> dict[str, NDArray]:
    out = {}
    for name, indices in stored.items():
        visible = np.zeros(nodes, dtype=bool)
        visible[np.asarray(indices, dtype=np.intp)] = True
        out[name] = visible
    return out


def atoms(
    parent: NDArray[np.intp], depth: NDArray[np.intp], visible: NDArray[np.bool_]
) -> NDArray[np.intp]:
    """For each node, the visible node whose private part its people fall in
    (itself when visible, else its nearest visible ancestor; -1 for none)."""
    above = nearest_visible_ancestor(parent, depth, visible[:, None])[:, 0]
    return np.where(visible, np.arange(len(parent)), above)


def decide(
    data: WaveData,
    columns: list[Column],
    history: list[dict[str, NDArray[np.bool_]]],
    sequence: int,
    candidates: NDArray[np.bool_],
) -> Disclosure:
    """Disclosure control of release ``sequence`` of a wave.

    Parameters
    ----------
    data : WaveData
        Every response so far; ``data.released_in`` says which earlier release
        first included each (0: none).
    columns : list of Column
        The populations (see :func:`columns_of`); the first is all respondents,
        whose hidden rows every other column hides too.
    history : list of dict
        Visible nodes per column of releases ``1 .. sequence - 1``.
    sequence : int
        This release's number.
    candidates : ndarray of bool
        Responses this release may include (earlier ones always are).

    Returns
    -------
    Disclosure
        Hidden cells per column and the responses this release includes.
    """
    old = (data.released_in > 0) & (data.released_in < sequence)
    admitted = candidates | old
    extra: dict[str, NDArray[np.bool_]] = {}
    while True:
        while True:
            hidden, drop = _hide_for(
                data, columns, history, sequence, admitted, old, extra
            )
            if not drop.any():
                break
            # Fewer respondents: decide again from scratch, so that nothing is
            # hidden on account of someone who is no longer included.
            admitted &= ~drop
        banded, after = {}, dict(hidden)
        for column in columns:
            if column.has_cutoffs:
                banded[column.name], after[column.name] = _bands(
                    data, column, admitted, hidden[column.name]
                )
        after = _families(columns, after, _anybody(data, columns, admitted))
        if all((after[c.name] == hidden[c.name]).all() for c in columns):
            return Disclosure(hidden=hidden, admitted=admitted, banded=banded)
        # A band hid more cells: decide again with them hidden from the
        # start, so that complementary suppression and the families hold.
        extra = after


def _anybody(data, columns, admitted) -> dict[str, NDArray[np.bool_]]:
    """Per column, the nodes whose subtree holds any of its admitted members."""
    followed = {name for c in columns for name in c.follows}
    return {
        c.name: data.rolled_up((c.members & admitted).astype(float)) > 0
        for c in columns
        if c.family is not None or c.name in followed
    }


def _families(
    columns: list[Column],
    hidden: dict[str, NDArray[np.bool_]],
    anybody: dict[str, NDArray[np.bool_]],
) -> dict[str, NDArray[np.bool_]]:
    """``hidden`` with every column of a family hiding what any of them
    hides, and a column that follows families (or columns) hiding what they
    hide where they have ``anybody`` (an empty cell hides nobody)."""
    union: dict[str, NDArray[np.bool_]] = {}
    for column in columns:
        if column.family is not None:
            seen = union.get(column.family)
            mask = hidden[column.name] & anybody[column.name]
            union[column.family] = mask if seen is None else seen | mask
    followed = {name for c in columns for name in c.follows}
    for column in columns:
        if column.name in followed and column.name not in union:
            union[column.name] = hidden[column.name] & anybody[column.name]
    out = {}
    for c in columns:
        mask = hidden[c.name] | union[c.family] if c.family else hidden[c.name]
        for name in c.follows:
            if name in union:
                mask = mask | union[name]
        out[c.name] = mask
    return out


def _hide_for(
    data: WaveData,
    columns: list[Column],
    history: list[dict[str, NDArray[np.bool_]]],
    sequence: int,
    admitted: NDArray[np.bool_],
    old: NDArray[np.bool_],
    extra: dict[str, NDArray[np.bool_]],
) -> tuple[dict[str, NDArray[np.bool_]], NDArray[np.bool_]]:
    """Hidden cells per column for the ``admitted`` responses (``extra``
    hidden from the start), hiding more until every class is large enough
    and every family hides alike; and the new responses that must wait
    (then the caller decides again without them)."""
    none = np.zeros(len(data.nodes), dtype=bool)
    forced = {c.name: extra.get(c.name, none).copy() for c in columns}
    while True:
        hidden: dict[str, NDArray[np.bool_]] = {}
        anybody: dict[str, NDArray[np.bool_]] = {}
        rows = None
        for column in columns:
            counts = data.rolled_up((column.members & admitted).astype(float))
            anybody[column.name] = counts > 0
            already = (
                forced[column.name] if rows is None else rows | forced[column.name]
            )
            hidden[column.name] = suppress(
                data.parent, counts, column.threshold, hidden=already
            )
            if rows is None:
                rows = hidden[column.name]
        changed = False
        for name, mask in _families(columns, hidden, anybody).items():
            if (mask & ~hidden[name]).any():
                forced[name] |= mask
                changed = True
        for column in columns:
            if not column.across_releases:
                continue
            past = [
                release[column.name] for release in history if column.name in release
            ]
            fix = _small_classes(
                data, column, past, ~hidden[column.name], admitted, old, sequence
            )
            if fix is None:
                continue
            drop, hide = fix
            if drop.any():
                return hidden, drop
            forced[column.name] |= hide
            changed = True
        if not changed:
            return hidden, np.zeros(data.n_responses, dtype=bool)


def _small_classes(
    data: WaveData,
    column: Column,
    past: list[NDArray[np.bool_]],
    visible: NDArray[np.bool_],
    admitted: NDArray[np.bool_],
    old: NDArray[np.bool_],
    sequence: int,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]] | None:
    """Responses to hold back and nodes to hide so that every class of
    respondents sharing one membership pattern over all releases is empty or
    at least the column's threshold; ``None`` when that already holds."""
    members = np.flatnonzero(column.members & admitted)
    if not len(members):
        return None
    node = data.response_node[members]
    first = np.where(old[members], data.released_in[members], sequence)
    signature = np.empty((len(members), len(past) + 1), dtype=np.intp)
    for s, shown in enumerate(past, start=1):
        atom = atoms(data.parent, data.depth, shown)[node]
        # In no published figure of release s, included or not, looks the same.
        atom = np.where(atom == UNPUBLISHED, NOT_YET, atom)
        signature[:, s - 1] = np.where(first <= s, atom, NOT_YET)
    current = atoms(data.parent, data.depth, visible)[node]
    signature[:, -1] = current
    published = current != UNPUBLISHED
    if not published.any():
        return None
    classes, label, size = np.unique(
        signature[published], axis=0, return_inverse=True, return_counts=True
    )
    small = np.flatnonzero(size < column.threshold)
    if not len(small):
        return None
    drop = np.zeros(data.n_responses, dtype=bool)
    hide = np.zeros(len(data.nodes), dtype=bool)
    rows = members[published]
    label = label.reshape(-1)
    earlier = signature[published][:, :-1]
    for c in small:
        in_class = rows[label == c]
        if not old[in_class].all():
            # New respondents wait for a later release.
            drop[in_class[~old[in_class]]] = True
            continue
        atom = classes[c, -1]
        if atom != ORGANISATION:
            hide[atom] = True
            continue
        # The organisation's private part takes too few of an earlier class:
        # hide the departments that take the rest of it.
        same = (earlier == classes[c, :-1]).all(axis=1)
        hide[np.unique(current[published][same])] = True
        hide[ORGANISATION] = False
    if not drop.any() and not hide.any():
        return None
    return drop, hide


def shown_groups(data: WaveData, hidden: NDArray[np.bool_]) -> NDArray[np.intp]:
    """Each response's group among the cells shown: the node whose private
    part it falls in (-1 where nothing shown contains it). Statistics across
    groups (ICC) use these, so hidden departments move no published figure."""
    return atoms(data.parent, data.depth, ~hidden)[data.response_node]


def _bands(
    data: WaveData,
    column: Column,
    admitted: NDArray[np.bool_],
    hidden: NDArray[np.bool_],
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Which shown cells of ``column`` show a band, and which more cells must
    be hidden so that no combination of exact figures isolates a small group
    where all or all but one fall on one side of a cut-off.

    A banded cell still shows its n but no figure from which its counts
    follow; the exact cells then leave, by subtraction, the private parts of
    :func:`.disclosure.private_parts`. Where one of those is itself such a
    group, the smallest exact cell around it is hidden too.
    """
    members = column.members & admitted
    n = data.rolled_up(members.astype(float))
    few = _rolled(data, members, column.few)
    many = _rolled(data, members, column.many)
    hidden = hidden.copy()
    while True:
        visible = ~hidden
        banded = visible & _near(few, many, n, column.band_below)
        exact = visible & ~banded
        size = private_parts(data.parent, data.depth, n[:, None], exact[:, None])[:, 0]
        parts = [
            private_parts(
                data.parent,
                data.depth,
                counts,
                np.repeat(exact[:, None], counts.shape[1], 1),
            )
            for counts in (few, many)
        ]
        bad = exact & (size < n) & _near(*parts, size, column.band_below)
        if not bad.any():
            return banded, hidden
        above = nearest_visible_ancestor(data.parent, data.depth, exact[:, None])[:, 0]
        for owner in np.flatnonzero(bad):
            inside = np.flatnonzero(exact & (above == owner))
            smallest = inside[np.lexsort((-inside, n[inside]))][0]
            hidden[smallest] = True


def _rolled(data: WaveData, members, indicators) -> NDArray[np.float64]:
    """Per node, how many members each indicator marks (nodes × indicators)."""
    if indicators is None or not indicators.shape[1]:
        return np.zeros((len(data.nodes), 0))
    return np.column_stack(
        [data.rolled_up((members & column).astype(float)) for column in indicators.T]
    )


def _near(few, many, n, below: int) -> NDArray[np.bool_]:
    """Groups below ``below`` where some ``few`` count is 0 or 1, or some
    ``many`` count is n - 1 or n."""
    n = np.asarray(n, dtype=float)
    small = (n > 0) & (n < below)
    low = (few <= 1).any(axis=1) if few.shape[1] else np.zeros(len(n), bool)
    high = (
        (many >= n[:, None] - 1).any(axis=1)
        if many.shape[1]
        else np.zeros(len(n), bool)
    )
    return small & (low | high)
