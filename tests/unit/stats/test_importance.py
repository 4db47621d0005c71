"""Johnson's relative weights against the published worked example, R, an
independent implementation and the method's properties."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ownership.stats.importance import (
    Model,
    _Moments,
    relative_weights,
    relative_weights_from_correlations,
    relative_weights_models,
)

REFERENCE = Path(__file__).resolve().parents[2] / "reference"


def _case(name: str) -> tuple[np.ndarray, np.ndarray, dict]:
    data = np.genfromtxt(REFERENCE / f"{name}.csv", delimiter=",", skip_header=1)
    expected = json.loads((REFERENCE / "relative_weights.json").read_text())[name]
    return data[:, 1:], data[:, 0], expected


def test_the_published_mtcars_example():
    # The rwa package's README (Chan, CRAN "rwa"): mpg ~ cyl + disp + hp +
    # gear gives R² 0.7791896 and raw weights 0.2284797, 0.2221469,
    # 0.2321744, 0.0963886 (rescaled 29.32, 28.51, 29.80, 12.37 %).
    x, y, _ = _case("mtcars")
    result = relative_weights(x, y, resamples=0)
    assert result.r_squared == pytest.approx(0.7791896, abs=5e-8)
    assert result.weights == pytest.approx(
        [0.2284797, 0.2221469, 0.2321744, 0.0963886], abs=5e-8
    )
    assert 100 * result.rescaled == pytest.approx(
        [29.32274, 28.50999, 29.79691, 12.37037], abs=5e-6
    )
    assert result.n == 32


@pytest.mark.parametrize("name", ["mtcars", "swiss"])
def test_against_r(name):
    """tests/reference/r/relative_weights.R: eigen() in R, and lm()'s R²."""
    x, y, expected = _case(name)
    result = relative_weights(x, y, resamples=0)
    assert result.weights == pytest.approx(expected["weights"], abs=1e-12)
    assert result.r_squared == pytest.approx(expected["ols_r_squared"], abs=1e-12)


def _by_procrustes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson's construction by least squares, without an eigen-decomposition:
    Z, the orthonormal matrix closest to the standardised X (U V' of its
    SVD); regress y on Z (β) and each x_j on Z (Λ); ε_j = Σ_k Λ_jk² β_k²."""
    xs = (x - x.mean(0)) / x.std(0)
    ys = (y - y.mean()) / y.std()
    u, _s, vt = np.linalg.svd(xs, full_matrices=False)
    z = (u @ vt) * np.sqrt(len(x))  # unit-variance columns
    beta = np.linalg.lstsq(z, ys, rcond=None)[0]
    lam = np.linalg.lstsq(z, xs, rcond=None)[0].T
    return (lam**2) @ (beta**2)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    p=st.integers(2, 6),
    n=st.integers(20, 200),
    scale=st.floats(0.01, 100.0),
    shift=st.floats(-50.0, 50.0),
)
def test_properties(seed, p, n, scale, shift):
    rng = np.random.default_rng(seed)
    mix = rng.normal(size=(p, p))
    x = rng.normal(size=(n, p)) @ mix
    y = x @ rng.normal(size=p) + rng.normal(size=n) * rng.uniform(0.5, 3)
    result = relative_weights(x, y, resamples=0)
    # The weights sum to the OLS R², and none is negative.
    design = np.column_stack([np.ones(n), x])
    residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    r2 = 1 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))
    assert result.weights.sum() == pytest.approx(result.r_squared, abs=1e-10)
    assert result.r_squared == pytest.approx(r2, abs=1e-8)
    assert (result.weights >= -1e-12).all()
    # Equal to the construction by least squares.
    assert result.weights == pytest.approx(_by_procrustes(x, y), abs=1e-8)
    # Invariant to rescaling and shifting any variable.
    factors = rng.uniform(0.1, 10, size=p) * scale
    moved = relative_weights(x * factors + shift, y * scale - shift, resamples=0)
    assert moved.weights == pytest.approx(result.weights, abs=1e-8)


def test_uncorrelated_predictors_keep_their_squared_correlations():
    weights, r2 = relative_weights_from_correlations(np.eye(3), [0.1, 0.2, 0.3])
    assert weights == pytest.approx([0.01, 0.04, 0.09])
    assert r2 == pytest.approx(0.14)


def test_bootstrap_intervals_are_reproducible_and_cover_the_estimate():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(300, 3))
    y = x @ [0.8, 0.3, 0.0] + rng.normal(size=300)
    a = relative_weights(x, y, resamples=400, seed=[1, 2])
    b = relative_weights(x, y, resamples=400, seed=[1, 2])
    assert a.low.tolist() == b.low.tolist() and a.high.tolist() == b.high.tolist()
    assert (a.low <= a.weights).all() and (a.weights <= a.high).all()
    # The first predictor clearly leads; the intervals of the others overlap 0.
    assert a.lead_low > 0
    assert a.low[2] < 0.01
    other = relative_weights(x, y, resamples=400, seed=3)
    assert other.low.tolist() != a.low.tolist()


def test_listwise_deletion_and_bad_input():
    x = np.array([[1.0, 2], [2, 1], [3, 5], [4, 3], [np.nan, 1], [5, 4], [6, 7]])
    y = np.array([1.0, 2, 3, 4, 5, np.nan, 6])
    assert relative_weights(x, y, resamples=0).n == 5
    with pytest.raises(ValueError, match="at least 4 complete rows"):
        relative_weights(x[:3], y[:3], resamples=0)
    with pytest.raises(ValueError, match="does not vary"):
        relative_weights(np.column_stack([x[:, 0], np.ones(7)]), y, resamples=0)
    with pytest.raises(ValueError, match="must be"):
        relative_weights(x[:, 0], y)


def test_resamples_where_a_variable_does_not_vary_are_left_out():
    # 25 of 30 give one predictor the same score; 28 of 30 the same outcome:
    # some resamples have a constant column. The intervals stay finite.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(30, 3))
    x[:25, 1] = 2.0
    y = x @ [0.5, 0.2, 0.1] + rng.normal(size=30)
    result = relative_weights(x, y, resamples=500, seed=1)
    assert np.isfinite(result.low).all() and np.isfinite(result.high).all()
    assert (result.low <= result.weights + 1e-12).all()
    skewed = np.r_[np.full(28, 3.0), [1.0, 5.0]]
    result = relative_weights(x, skewed, resamples=500, seed=1)
    assert np.isfinite(result.high).all() and (result.high <= 1).all()


def _three_models(rng, n=120):
    """Four variables: the first on the other three, and two more outcomes
    (one with gaps) on all four."""
    base = rng.normal(size=(n, 4)) @ rng.normal(size=(4, 4))
    y1 = base @ [0.5, 0.2, 0.0, 0.3] + rng.normal(size=n)
    y2 = base @ [0.1, 0.6, 0.2, 0.0] + rng.normal(size=n)
    data = np.column_stack([base, y1, y2])
    models = [
        Model(0, (1, 2, 3)),
        Model(4, (0, 1, 2, 3)),
        Model(5, (0, 1, 2, 3)),
    ]
    return data, models


def test_models_on_the_same_rows_get_each_one_s_own_bootstrap():
    """Where every model has the same complete rows, one shared bootstrap is
    the bootstrap of each model alone (the same draws for the same seed)."""
    data, models = _three_models(np.random.default_rng(11))
    together = relative_weights_models(data, models, resamples=300, seed=[4, 2])
    for model, fit in zip(models, together, strict=True):
        alone = relative_weights(
            data[:, list(model.predictors)],
            data[:, model.outcome],
            resamples=300,
            seed=[4, 2],
        )
        assert fit.n == alone.n == 120
        assert fit.weights == pytest.approx(alone.weights, abs=1e-12)
        assert fit.low == pytest.approx(alone.low, abs=1e-10)
        assert fit.high == pytest.approx(alone.high, abs=1e-10)
        assert fit.lead_low == pytest.approx(alone.lead_low, abs=1e-10)
        assert fit.resamples == 300


def test_each_resample_refits_every_model_on_its_drawn_complete_rows():
    """The replicates of one set of row counts, against refitting each model
    on the drawn rows by hand (rows repeated as often as drawn)."""
    rng = np.random.default_rng(12)
    data, models = _three_models(rng, n=60)
    data[rng.choice(60, 9, replace=False), 5] = np.nan  # gaps in one outcome
    data[rng.choice(60, 4, replace=False), 2] = np.nan  # and in a predictor
    masks = [~np.isnan(data[:, m.columns]).any(axis=1) for m in models]
    used = np.logical_or.reduce(masks)
    rows = data[used]
    z = np.nan_to_num((rows - np.nanmean(rows, 0)) / np.nanstd(rows, 0))
    moments = _Moments(z, models, [m[used] for m in masks])
    counts = rng.multinomial(len(rows), np.full(len(rows), 1 / len(rows)), size=5)
    got = dict(moments.replicates(counts))
    assert sorted(got) == [0, 1, 2]
    for i, model in enumerate(models):
        complete = masks[i][used]
        for b in range(5):
            drawn = np.repeat(rows[complete], counts[b][complete], axis=0)
            by_hand = relative_weights(
                drawn[:, list(model.predictors)], drawn[:, model.outcome], resamples=0
            )
            assert got[i][b] == pytest.approx(by_hand.weights, abs=1e-10)


def test_models_without_enough_rows_or_variation_are_none():
    data, models = _three_models(np.random.default_rng(13), n=40)
    data[5:, 5] = np.nan  # five rows for the last outcome
    data[:, 4] = 1.0  # the second outcome does not vary
    first, second, third = relative_weights_models(data, models, resamples=50)
    assert first is not None and first.n == 40 and np.isfinite(first.low).all()
    assert second is None and third is None
