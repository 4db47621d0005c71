"""Reading a wave into numpy arrays, in a handful of queries.

Node 0 is the organisation; nodes 1.. are departments in tree (path) order, so
parents come before children. A response belongs to its department's node and,
through ``ancestors``, to every node above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count
from numpy.typing import NDArray

from ownership.models import Department
from surveys.models import AllocationAnswer, Answer, Invitation, Response, Wave

ORGANISATION = 0


@dataclass(frozen=True)
class Node:
    code: str | None
    name: str
    parent_code: str | None
    depth: int


@dataclass(frozen=True)
class Item:
    question: str
    item: str
    construct: str
    points: int
    reverse_keyed: bool


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
    constructs: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def n_responses(self) -> int:
        return len(self.response_node)

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


def _codes(values: NDArray, vocabulary: list) -> NDArray[np.intp]:
    """Position of each value in ``vocabulary`` (-1 if absent), vectorised."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.intp)
    unique, inverse = np.unique(values, return_inverse=True)
    position = {v: i for i, v in enumerate(vocabulary)}
    mapped = np.array([position.get(u, -1) for u in unique], dtype=np.intp)
    return mapped[inverse.reshape(-1)]


def _tree(departments: list[Department]):
    by_path = {d.path: i + 1 for i, d in enumerate(departments)}
    step = Department.steplen
    parent = np.array(
        [-1] + [by_path.get(d.path[:-step], 0) for d in departments], dtype=np.intp
    )
    depth = np.array([0] + [d.depth for d in departments], dtype=np.intp)
    codes = [None] + [d.code for d in departments]
    nodes = [Node(None, "Organisation", None, 0)] + [
        Node(d.code, d.name, codes[parent[i + 1]], d.depth)
        for i, d in enumerate(departments)
    ]
    ancestors = np.full((len(nodes), int(depth.max(initial=0)) + 1), -1, dtype=np.intp)
    ancestors[:, 0] = np.arange(len(nodes))
    for level in range(1, ancestors.shape[1]):
        above = ancestors[:, level - 1]
        ancestors[:, level] = np.where(above > 0, parent[np.maximum(above, 0)], -1)
    return nodes, parent, depth, ancestors


def load_wave(wave: Wave) -> WaveData:
    """Everything reports need about one wave, as arrays (a few queries)."""
    snapshot = wave.snapshot or {"questions": [], "constructs": {}, "loci": {}}
    departments = list(Department.objects.order_by("path"))
    department_ids = [None] + [d.pk for d in departments]
    nodes, parent, depth, ancestors = _tree(departments)

    questions = snapshot["questions"]
    items = [
        Item(q["id"], q["item"], q["construct"], q["points"], q["reverse_keyed"])
        for q in questions
        if q["type"] == "likert"
    ]
    first = {}
    for q in questions:
        first.setdefault(q["type"], q)
    loci = list(snapshot["loci"])

    responses = np.array(
        list(
            Response.objects.filter(wave=wave)
            .order_by("id")
            .values_list("id", "department_id")
        ),
        dtype=object,
    ).reshape(-1, 2)
    response_ids = responses[:, 0]
    response_node = np.maximum(_codes(responses[:, 1], department_ids), 0)
    n = len(responses)

    likert = np.full((n, len(items)), np.nan)
    nps = np.full(n, np.nan)
    owner = np.full(n, np.nan)
    answers = np.array(
        list(
            Answer.objects.filter(wave=wave).values_list(
                "response_id", "question", "value"
            )
        ),
        dtype=object,
    ).reshape(-1, 3)
    if len(answers):
        row = np.searchsorted(response_ids, answers[:, 0])
        ids = [q["id"] for q in questions]
        question = _codes(answers[:, 1], ids)
        value = answers[:, 2].astype(np.float64)
        for j, item in enumerate(items):
            hit = question == ids.index(item.question)
            keyed = item.points + 1 - value[hit] if item.reverse_keyed else value[hit]
            likert[row[hit], j] = keyed
        if "recommendation" in first:
            hit = question == questions.index(first["recommendation"])
            nps[row[hit]] = value[hit]
        if "primary_owner" in first:
            offered = first["primary_owner"]["loci"]
            to_locus = np.array(
                [loci.index(slug) for slug in offered], dtype=np.float64
            )
            hit = question == questions.index(first["primary_owner"])
            owner[row[hit]] = to_locus[value[hit].astype(np.intp)]

    allocation = np.full((n, len(loci)), np.nan)
    if "allocation" in first and n:
        points = np.array(
            list(
                AllocationAnswer.objects.filter(
                    wave=wave, question=first["allocation"]["id"]
                ).values_list("response_id", "locus", "points")
            ),
            dtype=object,
        ).reshape(-1, 3)
        if len(points):
            row = np.searchsorted(response_ids, points[:, 0])
            allocation[row, _codes(points[:, 1], loci)] = points[:, 2].astype(
                np.float64
            )

    own = dict(
        Invitation.objects.filter(wave=wave)
        .values("department_id")
        .annotate(count=Count("id"))
        .values_list("department_id", "count")
    )
    own_counts = np.array([own.get(pk, 0) for pk in department_ids], dtype=np.int64)
    invited = np.zeros(len(nodes), dtype=np.int64)
    rows, level = np.nonzero(ancestors >= 0)
    np.add.at(invited, ancestors[rows, level], own_counts[rows])

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
        items=items,
        likert=likert,
        nps=nps,
        loci=loci,
        allocation=allocation,
        owner=owner,
        invited=invited,
        constructs=snapshot.get("constructs", {}),
    )
