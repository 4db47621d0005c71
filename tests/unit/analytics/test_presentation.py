"""Formatting of heatmap cells: colours point the same way in every mode."""

from __future__ import annotations

from ownership.analytics.reports import HeatmapCell
from ownership.presentation import display_cell


def cell(**values):
    base = {
        "construct": "delegation-to-owner",
        "n": 20,
        "mean": 3.5,
        "favourable": 0.2,
        "favourable_low": 0.1,
        "favourable_high": 0.4,
        "delta": 0.8,
        "significant": False,
        "suppressed": False,
        "change": 0.8,
    }
    base.update(values)
    return HeatmapCell(**base)


def test_more_delegation_is_orange_in_every_mode():
    # 20 % favourable (little disagreement with "customers are the CCO's job").
    value = display_cell(cell(), "construct", "value", 5, lower_is_better=True)
    delta = display_cell(cell(), "construct", "delta", 5, lower_is_better=True)
    change = display_cell(cell(), "construct", "change", 5, lower_is_better=True)
    orange = {"heat-0", "heat-1", "heat-2"}
    assert value.css in orange and delta.css in orange and change.css in orange
    assert delta.text == "+0.80"


def test_more_felt_responsibility_is_purple():
    up = cell(construct="felt-responsibility", favourable=0.9)
    assert display_cell(up, "construct", "delta", 5).css in {
        "heat-4",
        "heat-5",
        "heat-6",
    }


def test_suppressed_cell_says_fewer_than_k():
    hidden = display_cell(cell(suppressed=True, n=None), "construct", "value", 5)
    assert hidden.text == "fewer than 5" and hidden.css == "heat-suppressed"
