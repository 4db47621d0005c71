"""Free-text comments, only for groups large enough to hide their authors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from numpy.typing import NDArray

from surveys.models import Comment, Wave

from .decisions import COMMENTS, Disclosure
from .loading import WaveData
from .reports import DepartmentRef, Published


@dataclass(frozen=True)
class CommentGroup:
    department: DepartmentRef
    respondents: int | None
    suppressed: bool
    comments: tuple[str, ...]


@dataclass(frozen=True)
class Comments(Published):
    wave_id: int
    wave_label: str
    min_group_size: int
    threshold: int
    rows: tuple[CommentGroup, ...]


def comment_threshold(wave: Wave) -> int:
    return max(settings.COMMENT_MIN_GROUP_SIZE, wave.min_group_size)


def wave_comments(wave: Wave) -> tuple[NDArray[np.intp], list[str]]:
    """The wave's comments in the order of their random ids, with each one's
    node in the wave's frozen tree (0, the organisation, for a department
    the tree does not list)."""
    rows = list(
        Comment.objects.filter(wave=wave)
        .order_by("id")
        .values_list("department_id", "text")
    )
    position = {entry["id"]: i + 1 for i, entry in enumerate(wave.tree or [])}
    nodes = np.array([position.get(d, 0) for d, _text in rows], dtype=np.intp)
    return nodes, [text for _d, text in rows]


def build_comments(
    data: WaveData, disclosure: Disclosure, wave: Wave, *, final: bool
) -> Comments:
    """Comments per department (its whole subtree), when shown at all.

    The threshold plays the role of k in the release's disclosure decision,
    so no group of fewer than ``threshold`` respondents can be isolated by
    comparing the comments of a parent with those of its children either.
    Comments come in the order of their random ids: neither submission order
    nor time. They are not linked to responses, so a comment cannot wait for
    a later release with its author's answers; they are therefore published
    once, in the final release, and interim releases show none.
    """
    threshold = comment_threshold(wave)
    rows, nodes = data.expand()
    respondents = np.bincount(nodes, minlength=len(data.nodes)).astype(np.int64)
    hidden = disclosure.column(COMMENTS) if final else np.ones(len(data.nodes), bool)

    nodes, texts = wave_comments(wave) if final else ((), [])
    by_node: dict[int, list[str]] = {i: [] for i in range(len(data.nodes))}
    for node, text in zip(nodes, texts, strict=True):
        for ancestor in data.ancestors[node]:
            if ancestor >= 0:
                by_node[int(ancestor)].append(text)
    groups = []
    for i, node in enumerate(data.nodes):
        ref = DepartmentRef(node.code, node.name, node.parent_code, node.depth)
        if hidden[i]:
            groups.append(CommentGroup(ref, None, True, ()))
        else:
            groups.append(
                CommentGroup(ref, int(respondents[i]), False, tuple(by_node[i]))
            )
    return Comments(
        wave_id=wave.pk,
        wave_label=wave.label,
        min_group_size=wave.min_group_size,
        threshold=threshold,
        rows=tuple(groups),
    )
