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
        # more delegation: the favourable share (disagreeing) fell 30 points
        "change_favourable": -0.3,
        "change_low": -0.45,
        "change_high": -0.12,
        "change_q": 0.01,
        "change_significant": True,
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


def test_change_is_in_points_with_its_interval_and_marker():
    shown = display_cell(cell(), "construct", "change", 5, lower_is_better=True)
    assert shown.text == "-30 pts"
    assert shown.interval == "-45 pts to -12 pts"
    assert shown.significant  # the change's own test, not the rest's
    calm = cell(change_significant=False, significant=True)
    assert not display_cell(calm, "construct", "change", 5).significant
    assert display_cell(calm, "construct", "value", 5).significant


def test_delta_and_value_carry_their_intervals():
    c = cell(delta_low=0.35, delta_high=1.25)
    assert display_cell(c, "construct", "delta", 5).interval == "+0.35 to +1.25"
    assert display_cell(c, "construct", "value", 5).interval == "10 % to 40 %"
    nps = cell(
        construct="nps",
        mean=12.0,
        delta=8.0,
        delta_low=-3.0,
        delta_high=19.0,
        change_favourable=15.0,
        change_low=2.0,
        change_high=28.0,
    )
    assert display_cell(nps, "nps", "delta", 5).interval == "-3 to +19"
    assert display_cell(nps, "nps", "change", 5).text == "+15"
    assert display_cell(nps, "nps", "change", 5).interval == "+2 to +28"


def test_no_previous_figure_shows_a_dash():
    shown = display_cell(
        cell(
            change_favourable=None,
            change_low=None,
            change_high=None,
            change_significant=False,
        ),
        "construct",
        "change",
        5,
    )
    assert (shown.text, shown.interval, shown.css) == ("–", "", "heat-none")


def test_text_follows_the_active_language():
    """Phrases are remembered per language, never across languages."""
    from django.utils import translation

    hidden = cell(suppressed=True, n=None)
    english = display_cell(hidden, "construct", "value", 5).text
    with translation.override("de"):
        german = display_cell(hidden, "construct", "value", 5).text
    with translation.override("nl"):
        dutch = display_cell(hidden, "construct", "value", 5).text
    assert english == "fewer than 5"
    assert len({english, german, dutch}) == 3 and all("5" in t for t in (german, dutch))
    assert display_cell(hidden, "construct", "value", 5).text == english
