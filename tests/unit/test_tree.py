"""Which department rows a results page shows (ownership.views.tree)."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.test import RequestFactory

from ownership.views.tree import OPEN_DEPTH, department_tree


def organisation(divisions: int = 10, areas: int = 5, teams: int = 4) -> list[tuple]:
    """(code, parent, depth, name) rows in tree order: the organisation, one
    company, divisions, areas and teams (1 + 1 + 10 + 50 + 200 rows)."""
    rows = [(None, None, 0, "Organisation"), ("CO", None, 1, "Company")]
    for d in range(divisions):
        rows.append((f"D{d}", "CO", 2, f"Division {d}"))
        for a in range(areas):
            rows.append((f"D{d}A{a}", f"D{d}", 3, f"Area {d}.{a}"))
            for t in range(teams):
                rows.append((f"D{d}A{a}T{t}", f"D{d}A{a}", 4, f"Team {d}.{a}.{t}"))
    return rows


def tree(query: str = "", rows=None, **kwargs):
    request = RequestFactory().get("/results/" + (f"?{query}" if query else ""))
    return department_tree(
        request, rows or organisation(), place=lambda row: row, **kwargs
    )


def codes(shown) -> list:
    return [node.code for node in shown]


def test_a_large_organisation_opens_collapsed_to_the_top_levels():
    shown = tree("wave=3")
    assert codes(shown) == [None, "CO"] + [f"D{d}" for d in range(10)]
    assert all(node.depth <= OPEN_DEPTH for node in shown)
    assert shown.total == 262 and shown.collapsed == 250 and shown.hidden == 0
    division = shown.nodes[2]
    assert division.has_children and not division.is_open
    # Opening keeps the page's other parameters.
    assert parse_qs(division.toggle_url[1:]) == {"wave": ["3"], "open": ["D0"]}


def test_opening_shows_the_children_and_the_link_closes_again():
    shown = tree("wave=3&open=D4&open=D4A1")
    assert codes(shown)[6:13] == [
        "D4",
        "D4A0",
        "D4A1",
        "D4A1T0",
        "D4A1T1",
        "D4A1T2",
        "D4A1T3",
    ]
    opened = {node.code: node for node in shown}
    assert opened["D4"].is_open and opened["D4A1"].is_open
    assert not opened["D4A0"].is_open
    assert parse_qs(opened["D4"].toggle_url[1:]) == {"wave": ["3"], "open": ["D4A1"]}
    # A team has nothing below it, so nothing to open.
    assert opened["D4A1T0"].toggle_url == ""


def test_an_open_department_below_a_closed_one_stays_hidden():
    shown = tree("open=D4A1")
    assert "D4A1T0" not in codes(shown)


def test_a_search_shows_the_matches_with_the_departments_above_them():
    shown = tree("q=team 7.2")
    assert codes(shown) == [
        None,
        "CO",
        "D7",
        "D7A2",
        "D7A2T0",
        "D7A2T1",
        "D7A2T2",
        "D7A2T3",
    ]
    assert shown.matches == 4
    assert [n.matched for n in shown] == [False] * 4 + [True] * 4
    # Codes match too, and case does not matter.
    assert codes(tree("q=d3a4t1"))[-1] == "D3A4T1"
    assert tree("q=nothing-like-this").matches == 0


def test_no_page_shows_more_than_max_rows():
    shown = tree("q=team", max_rows=30)
    assert len(shown) == 30
    assert shown.matches == 200
    assert shown.hidden == 262 - 30


def test_a_small_organisation_shows_every_row_without_toggles():
    small = organisation(divisions=2, areas=2, teams=2)
    shown = tree(rows=small)
    assert len(shown) == len(small) and shown.collapsed == 0
    assert all(node.toggle_url == "" for node in shown)


@pytest.mark.parametrize(
    "query", ["q=" + "x" * 500, "open=" + "&open=".join(map(str, range(200)))]
)
def test_long_or_many_parameters_are_cut(query):
    shown = tree(query)
    assert len(shown.query) <= 100 and len(shown.opened) <= 50
