"""Free-text comments, only for groups large enough to hide their authors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.conf import settings

from surveys.models import Comment, Wave

from .disclosure import suppress
from .loading import WaveData
from .reports import DepartmentRef


@dataclass(frozen=True)
class CommentGroup:
    department: DepartmentRef
    respondents: int | None
    suppressed: bool
    comments: tuple[str, ...]


@dataclass(frozen=True)
class Comments:
    wave_id: int
    wave_label: str
    min_group_size: int
    threshold: int
    rows: tuple[CommentGroup, ...]


def comment_threshold(wave: Wave) -> int:
    return max(settings.COMMENT_MIN_GROUP_SIZE, wave.min_group_size)


def build_comments(data: WaveData, wave: Wave) -> Comments:
    """Comments per department (its whole subtree), when shown at all.

    The threshold plays the role of k in :func:`suppress`, so no group of
    fewer than ``threshold`` respondents can be isolated by comparing the
    comments of a parent with those of its children either. Comments come in
    the order of their random ids: neither submission order nor time.
    """
    threshold = comment_threshold(wave)
    rows, nodes = data.expand()
    respondents = np.bincount(nodes, minlength=len(data.nodes)).astype(np.int64)
    hidden = suppress(data.parent, respondents, threshold)

    codes = [node.code for node in data.nodes]
    texts = list(
        Comment.objects.filter(wave=wave)
        .order_by("id")
        .values_list("department__code", "text")
    )
    by_node: dict[int, list[str]] = {i: [] for i in range(len(data.nodes))}
    position = {code: i for i, code in enumerate(codes)}
    for code, text in texts:
        node = position.get(code, 0)
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
