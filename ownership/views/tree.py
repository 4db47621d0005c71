"""Which department rows a results page shows: a tree that opens collapsed.

A large organisation has a thousand departments; a page with all of them is
megabytes of HTML. Where all rows fit on a page (:data:`MAX_ROWS`), all show;
else pages show the organisation and the top levels, and each
row with departments below it can be opened (``?open=CODE``, repeatable) or
closed again; a search (``?q=``) shows the departments whose name or code
contains the words, with the departments above them for context. The exports
carry every row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

#: Rows down to this depth show without opening anything (0 is the
#: organisation, 1 the top department, 2 the level below it).
OPEN_DEPTH = 2
#: At most this many rows on one page; more are in the exports.
MAX_ROWS = 80


@dataclass(frozen=True)
class Node:
    """One shown row and its place in the tree."""

    row: Any
    code: str | None
    depth: int
    has_children: bool
    is_open: bool
    toggle_url: str  # empty when the row cannot be opened or closed
    matched: bool = False


def by_department(row) -> tuple[str | None, str | None, int, str]:
    """The ``place`` of a report row that has a ``department``."""
    d = row.department
    return d.code, d.parent_code, d.depth, d.name


@dataclass(frozen=True)
class Tree:
    nodes: tuple[Node, ...]
    query: str
    opened: tuple[str, ...]
    total: int  # rows in the report
    hidden: int  # rows that would show but exceed MAX_ROWS
    matches: int  # departments the search found (0 without a search)
    params: tuple[tuple[str, str], ...]  # the page's other parameters

    @property
    def base_query(self) -> str:
        return urlencode(self.params)

    def __iter__(self):
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def shown(self, rows: Sequence[Any]) -> Tree:
        """The same tree showing ``rows`` (one per node, in order) instead,
        for example the shown rows made ready for display."""
        return replace(
            self,
            nodes=tuple(
                replace(node, row=row)
                for node, row in zip(self.nodes, rows, strict=True)
            ),
        )

    @property
    def collapsed(self) -> int:
        """Rows of the report not on the page."""
        return self.total - len(self.nodes)


def _ancestors(by_code: dict, code: str | None) -> list[str]:
    seen = []
    parent = by_code[code][1] if code in by_code else None
    while parent is not None and parent in by_code and parent not in seen:
        seen.append(parent)
        parent = by_code[parent][1]
    return seen


def _search(placed, query: str, opened) -> tuple[list[bool], set, set[str]]:
    """Rows whose code or name holds every word of ``query``, with their
    ancestors for context (opened, so the matches show)."""
    by_code = {p[0]: p for p in placed}
    words = query.casefold().split()
    matched = {
        code
        for code, _, _, name in placed
        if code is not None
        and all(word in f"{code or ''} {name}".casefold() for word in words)
    }
    context = {a for code in matched for a in _ancestors(by_code, code)}
    show = [
        code is None or code in matched or code in context for code, _, _, _ in placed
    ]
    return show, set(opened) | context, matched


def _opened(placed, opened) -> list[bool]:
    """The top levels, and the children of every open, visible department."""
    open_set = set(opened)
    visible: set[str | None] = {None}
    show = []
    for code, parent, depth, _ in placed:
        parent_key = parent if depth > 1 else None
        shown = (
            code is None
            or depth <= OPEN_DEPTH
            or (parent_key in open_set and parent_key in visible)
        )
        if shown:
            visible.add(code)
        show.append(shown)
    return show


def department_tree(
    request,
    rows: Sequence[Any],
    *,
    place: Callable[[Any], tuple[str | None, str | None, int, str]],
    max_rows: int = MAX_ROWS,
) -> Tree:
    """The rows of ``rows`` to show for ``request``.

    ``place(row)`` gives a row's department code (``None`` for the
    organisation), its parent's code, its depth and its name. Rows come in
    tree order (parents first), as every report lists them.
    """
    query = " ".join(request.GET.get("q", "").split())[:100]
    opened = tuple(dict.fromkeys(c for c in request.GET.getlist("open") if c))[:50]
    placed = [place(row) for row in rows]
    children: dict[str | None, int] = {}
    for code, parent, depth, _ in placed:
        if code is not None:
            key = parent if depth > 1 else None
            children[key] = children.get(key, 0) + 1
    # A small organisation shows every row, without anything to open.
    everything = not query and not opened and len(rows) <= max_rows
    if everything:
        show, open_set, matched = [True] * len(rows), set(), set()
    elif query:
        show, open_set, matched = _search(placed, query, opened)
    else:
        show, open_set, matched = _opened(placed, opened), set(opened), set()

    others = [
        (key, value)
        for key in request.GET
        if key not in ("open", "q")
        for value in request.GET.getlist(key)
    ]
    nodes = []
    hidden = 0
    for row, (code, _, depth, _), shown in zip(rows, placed, show, strict=True):
        if not shown:
            continue
        if len(nodes) >= max_rows:
            hidden += 1
            continue
        has_children = code is not None and children.get(code, 0) > 0
        toggle_url = ""
        if has_children and not query and not everything:
            is_open = code in open_set
            toggled = [c for c in opened if c != code] if is_open else [*opened, code]
            toggle_url = "?" + urlencode(others + [("open", c) for c in toggled])
        nodes.append(
            Node(
                row=row,
                code=code,
                depth=depth,
                has_children=has_children,
                is_open=has_children and (everything or code in open_set),
                toggle_url=toggle_url,
                matched=code in matched,
            )
        )
    return Tree(
        nodes=tuple(nodes),
        query=query,
        opened=opened,
        total=len(rows),
        hidden=hidden,
        matches=len(matched),
        params=tuple(others),
    )
