"""Reading a wave into numpy arrays, in a handful of queries.

Node 0 is the organisation; nodes 1.. are departments in tree (path) order, so
parents come before children. A response belongs to its department's node and,
through ``ancestors``, to every node above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.db.models import Count
from numpy.typing import NDArray

from surveys.models import Invitation, Response, Wave
from surveys.packing import SKIPPED, layout_of
from surveys.questions import Item, LoadedAnswers, question_type
from surveys.questions.commitment_kept import KEPT_ID

ORGANISATION = 0


@dataclass(frozen=True)
class Node:
    code: str | None
    name: str
    parent_code: str | None
    depth: int


@dataclass(frozen=True)
class WaveData:
    wave_id: int
    label: str
    k: int
    snapshot: dict[str, Any]
    nodes: list[Node]
    parent: NDArray[np.intp]
    depth: NDArray[np.intp]
    # (nodes, max depth + 1): each node's ancestors including itself and the
    # organisation, padded with -1.
    ancestors: NDArray[np.intp]
    response_node: NDArray[np.intp]
    items: list[Item]
    likert: NDArray[np.float64]  # (responses, items), keyed, NaN = missing
    nps: NDArray[np.float64]  # (responses,), NaN = missing
    loci: list[str]
    allocation: NDArray[np.float64]  # (responses, loci), NaN = not answered
    owner: NDArray[np.float64]  # (responses,), index into ``loci``
    invited: NDArray[np.int64]  # (nodes,), subtree roll-up
    # (responses,): the first release that included each response, 0 for none.
    released_in: NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )
    # (responses,): the responses' ids, in the order of the other arrays.
    response_ids: NDArray = field(default_factory=lambda: np.zeros(0, dtype=object))
    constructs: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The commitments the wave asked about (their ids, the columns of
    # ``kept``) and each response's answer: 1 (not kept at all) .. 5 (fully
    # kept), 0 don't know, NaN not asked or skipped.
    commitments: list[int] = field(default_factory=list)
    kept: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0)))

    @property
    def n_responses(self) -> int:
        return len(self.response_node)

    def subset(self, keep: NDArray[np.bool_]) -> WaveData:
        """The same wave with only the responses where ``keep`` is true."""
        return replace(
            self,
            response_node=self.response_node[keep],
            likert=self.likert[keep],
            nps=self.nps[keep],
            allocation=self.allocation[keep],
            owner=self.owner[keep],
            released_in=self.released_in[keep],
            response_ids=self.response_ids[keep],
            kept=self.kept[keep] if len(self.kept) else self.kept,
        )

    def expand(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Rows and nodes of every (response, node it counts in) pair.

        Roll-ups become plain group statistics over the expanded rows: a
        response appears once for its department, once for each department
        above it, and once for the organisation.
        """
        anc = self.ancestors[self.response_node]
        rows, level = np.nonzero(anc >= 0)
        return rows, anc[rows, level]

    def rolled_up(self, per_response: NDArray) -> NDArray[np.int64]:
        """Sum a per-response count over every node's subtree."""
        rows, nodes = self.expand()
        return np.bincount(
            nodes, weights=per_response[rows], minlength=len(self.nodes)
        ).astype(np.int64)


def _node_of(departments: NDArray[np.int64], department_ids: list) -> NDArray:
    """Node of each response's department in the frozen tree (0, the
    organisation, for a department the tree does not list)."""
    known = np.array(department_ids[1:], dtype=np.int64)
    order = np.argsort(known)
    if len(known) == 0 or len(departments) == 0:
        return np.zeros(len(departments), dtype=np.intp)
    at = np.minimum(np.searchsorted(known[order], departments), len(known) - 1)
    found = known[order][at] == departments
    return np.where(found, order[at] + 1, 0).astype(np.intp)


def tree_arrays(tree: list[dict]):
    """Nodes, parent, depth and ancestors of a frozen tree (see the module)."""
    index = {entry["code"]: i + 1 for i, entry in enumerate(tree)}
    parent = np.array(
        [-1] + [index.get(entry["parent"], 0) for entry in tree], dtype=np.intp
    )
    depth = np.zeros(len(parent), dtype=np.intp)
    for i in range(1, len(parent)):
        if parent[i] >= i:
            raise ValueError("a frozen tree lists parents before their children")
        depth[i] = depth[parent[i]] + 1
    nodes = [Node(None, "Organisation", None, 0)] + [
        Node(entry["code"], entry["name"], entry["parent"], int(depth[i + 1]))
        for i, entry in enumerate(tree)
    ]
    ancestors = np.full((len(nodes), int(depth.max(initial=0)) + 1), -1, dtype=np.intp)
    ancestors[:, 0] = np.arange(len(nodes))
    for level in range(1, ancestors.shape[1]):
        above = ancestors[:, level - 1]
        ancestors[:, level] = np.where(above > 0, parent[np.maximum(above, 0)], -1)
    return nodes, parent, depth, ancestors


def wave_tree(wave: Wave) -> list[dict]:
    """The department tree frozen when ``wave`` opened."""
    if wave.tree is None:
        raise ValueError(f"wave {wave.pk} has no frozen department tree")
    return wave.tree


def _invited(wave: Wave, department_ids: list, ancestors) -> NDArray[np.int64]:
    """Invitations per node, subtrees rolled up."""
    own = dict(
        Invitation.objects.filter(wave=wave)
        .values("department_id")
        .annotate(count=Count("id"))
        .values_list("department_id", "count")
    )
    own_counts = np.array([own.get(pk, 0) for pk in department_ids], dtype=np.int64)
    invited = np.zeros(len(department_ids), dtype=np.int64)
    rows, level = np.nonzero(ancestors >= 0)
    np.add.at(invited, ancestors[rows, level], own_counts[rows])
    return invited


def _answers(wave: Wave, snapshot: dict, released_in: int | None):
    """The ids, departments, first releases and unpacked answers (NaN where
    skipped) of the wave's responses, in id order."""
    chosen = Response.objects.filter(wave=wave)
    if released_in is not None:
        chosen = chosen.filter(released_in__lte=released_in)
    rows = list(
        chosen.order_by("id").values_list(
            "id", "department_id", "released_in", "answers"
        )
    )
    response_ids = np.empty(len(rows), dtype=object)
    response_ids[:] = [row[0] for row in rows]
    departments = np.array([row[1] for row in rows], dtype=np.int64)
    released = np.array([row[2] or 0 for row in rows], dtype=np.int64)
    layout = layout_of(snapshot)
    values = layout.unpack(row[3] for row in rows).astype(np.float64)
    values[values == SKIPPED] = np.nan
    return response_ids, departments, released, layout, values


def _kept(snapshot: dict, layout, values, departments) -> tuple[list[int], NDArray]:
    """The commitments asked about, and each response's answer to each (its
    department's kept questions, ``kept-1`` .., put in the columns of the
    commitments they asked about)."""
    asked = (snapshot.get("commitments") or {}).get("asked", {})
    ids = sorted({pk for pks in asked.values() for pk in pks})
    kept = np.full((len(departments), len(ids)), np.nan)
    if not ids or not len(departments):
        return ids, kept
    column_of = {pk: j for j, pk in enumerate(ids)}
    slots = max(len(pks) for pks in asked.values())
    # Row d of ``table``: the columns department d's questions answer.
    asking = np.array(sorted(int(pk) for pk in asked), dtype=np.int64)
    table = np.full((len(asking) + 1, slots), -1, dtype=np.intp)
    for d, department in enumerate(asking):
        for number, pk in enumerate(asked[str(department)]):
            table[d, number] = column_of[pk]
    at = np.minimum(np.searchsorted(asking, departments), len(asking) - 1)
    row = np.where(asking[at] == departments, at, len(asking))
    for number in range(slots):
        target = table[row, number]
        answered = np.flatnonzero(target >= 0)
        source = values[answered, layout.column(KEPT_ID.format(number + 1))]
        kept[answered, target[answered]] = source
    return ids, kept


def load_wave(wave: Wave, *, released_in: int | None = None) -> WaveData:
    """Everything reports need about one wave, as arrays (a few queries).

    Departments are the wave's frozen tree. With ``released_in``, only the
    responses that release (or an earlier one) published are read.
    """
    snapshot = wave.snapshot or {"questions": [], "constructs": {}, "loci": {}}
    tree = wave_tree(wave)
    department_ids = [None] + [entry["id"] for entry in tree]
    nodes, parent, depth, ancestors = tree_arrays(tree)

    # In the snapshot's order (a JSON object's keys have none on PostgreSQL).
    loci = sorted(
        snapshot["loci"],
        key=lambda slug: (snapshot["loci"][slug].get("order", 0), slug),
    )

    response_ids, departments, released, layout, values = _answers(
        wave, snapshot, released_in
    )
    n = len(response_ids)
    response_node = _node_of(departments, department_ids)

    loaded = LoadedAnswers(n=n, loci=loci)
    for q in snapshot["questions"]:
        question_type(q["type"]).load(
            q, lambda option, q=q: values[:, layout.column(q["id"], option)], loaded
        )
    likert = np.full((n, len(loaded.items)), np.nan)
    for j, column in enumerate(loaded.likert):
        likert[:, j] = column

    invited = _invited(wave, department_ids, ancestors)
    commitments, kept = _kept(snapshot, layout, values, departments)
    return WaveData(
        wave_id=wave.pk,
        label=wave.label,
        k=wave.min_group_size,
        snapshot=snapshot,
        nodes=nodes,
        parent=parent,
        depth=depth,
        ancestors=ancestors,
        response_node=response_node,
        items=loaded.items,
        likert=likert,
        nps=np.full(n, np.nan) if loaded.nps is None else loaded.nps,
        loci=loci,
        allocation=(
            np.full((n, len(loci)), np.nan)
            if loaded.allocation is None
            else loaded.allocation
        ),
        owner=np.full(n, np.nan) if loaded.owner is None else loaded.owner,
        invited=invited,
        released_in=released,
        response_ids=response_ids,
        constructs=snapshot.get("constructs", {}),
        commitments=commitments,
        kept=kept,
    )
