"""Tests for ownership.stats.reliability: Cronbach's alpha and omega total."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pingouin
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from scipy import optimize

from ownership.stats.reliability import AlphaResult, cronbach_alpha, omega_total

# R's datasets::attitude (Chatterjee & Price 1977): 30 departments of a large
# financial organisation, columns rating, complaints, privileges, learning,
# raises, critical, advance.
ATTITUDE = np.array(
    [
        [43, 51, 30, 39, 61, 92, 45],
        [63, 64, 51, 54, 63, 73, 47],
        [71, 70, 68, 69, 76, 86, 48],
        [61, 63, 45, 47, 54, 84, 35],
        [81, 78, 56, 66, 71, 83, 47],
        [43, 55, 49, 44, 54, 49, 34],
        [58, 67, 42, 56, 66, 68, 35],
        [71, 75, 50, 55, 70, 66, 41],
        [72, 82, 72, 67, 71, 83, 31],
        [67, 61, 45, 47, 62, 80, 41],
        [64, 53, 53, 58, 58, 67, 34],
        [67, 60, 47, 39, 59, 74, 41],
        [69, 62, 57, 42, 55, 63, 25],
        [68, 83, 83, 45, 59, 77, 35],
        [77, 77, 54, 72, 79, 77, 46],
        [81, 90, 50, 72, 60, 54, 36],
        [74, 85, 64, 69, 79, 79, 63],
        [65, 60, 65, 75, 55, 80, 60],
        [65, 70, 46, 57, 75, 85, 46],
        [50, 58, 68, 54, 64, 78, 52],
        [50, 40, 33, 34, 43, 64, 33],
        [64, 61, 52, 62, 66, 80, 41],
        [53, 66, 52, 50, 63, 80, 37],
        [40, 37, 42, 58, 50, 57, 49],
        [63, 54, 42, 48, 66, 75, 33],
        [66, 77, 66, 63, 88, 76, 72],
        [78, 75, 58, 74, 80, 78, 49],
        [48, 57, 44, 45, 51, 83, 38],
        [85, 85, 71, 71, 77, 74, 55],
        [82, 82, 39, 59, 64, 78, 39],
    ],
    dtype=float,
)

# VECTORS.md: six respondents, item 4 reverse-keyed on a 5-point scale (6 - x).
SMALL = np.array(
    [
        [4, 5, 4, 2],
        [3, 4, 3, 3],
        [5, 5, 4, 1],
        [2, 3, 2, 4],
        [4, 4, 5, 2],
        [3, 3, 3, 3],
    ],
    dtype=float,
)

# Half a unit in the last decimal printed in VECTORS.md (7 decimals).
VECTORS_ATOL = 5e-8


def keyed_small() -> np.ndarray:
    x = SMALL.copy()
    x[:, 3] = 6 - x[:, 3]
    return x


def likert(
    min_rows: int = 3, max_rows: int = 25, min_cols: int = 2, max_cols: int = 6
) -> st.SearchStrategy[np.ndarray]:
    """Complete 1..5 answers, shape (rows, cols)."""
    shapes = st.tuples(st.integers(min_rows, max_rows), st.integers(min_cols, max_cols))
    return shapes.flatmap(
        lambda s: hnp.arrays(np.float64, s, elements=st.integers(1, 5).map(float))
    )


@st.composite
def likert_with_missing(draw: st.DrawFn) -> np.ndarray:
    x = draw(likert(min_rows=4))
    holes = draw(hnp.arrays(np.bool_, x.shape, elements=st.booleans()))
    # Keep missingness sparse enough that most pairs stay estimable.
    keep = draw(hnp.arrays(np.bool_, x.shape, elements=st.booleans()))
    return np.where(holes & keep, np.nan, x)


def naive_psych_alpha(x: np.ndarray) -> dict[str, object]:
    """psych::alpha transcribed literally: pandas pairwise cov, loops over items."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _naive_psych_alpha(x)


def _naive_psych_alpha(x: np.ndarray) -> dict[str, object]:
    df = pd.DataFrame(x)
    sd = df.std()
    keep = [j for j in df.columns if np.isfinite(sd[j]) and sd[j] > 0]
    c_df = df[keep].cov()  # pairwise-complete, as cov(x, use = "pairwise")
    c = c_df.to_numpy()
    k = len(keep)
    r_drop = np.full(x.shape[1], np.nan)
    alpha_drop = np.full(x.shape[1], np.nan)
    if k < 2:  # psych stops with an error; the library returns NaN
        nan = float("nan")
        return {
            "raw": nan,
            "standardized": nan,
            "average_r": nan,
            "r_drop": r_drop,
            "alpha_if_dropped": alpha_drop,
        }

    def alpha_1(cm: np.ndarray) -> tuple[float, float, float]:
        kk = cm.shape[0]
        rm = cm / np.sqrt(np.outer(np.diag(cm), np.diag(cm)))
        raw = (1 - np.trace(cm) / cm.sum()) * (kk / (kk - 1))
        std = (1 - kk / rm.sum()) * (kk / (kk - 1))
        av_r = (rm.sum() - kk) / (kk * (kk - 1))
        return raw, std, av_r

    raw, std, av_r = alpha_1(c)
    for pos, j in enumerate(keep):
        others = [i for i in range(k) if i != pos]
        v_drop = c[np.ix_(others, others)].sum()
        c_drop = c[:, pos].sum() - c[pos, pos]
        r_drop[j] = c_drop / np.sqrt(c[pos, pos] * v_drop)
        if k > 2:
            alpha_drop[j] = alpha_1(c[np.ix_(others, others)])[0]
    return {
        "raw": raw,
        "standardized": std,
        "average_r": av_r,
        "r_drop": r_drop,
        "alpha_if_dropped": alpha_drop,
    }


def well_conditioned(x: np.ndarray) -> bool:
    """False when a total-score variance in alpha is zero up to rounding.

    There alpha is undefined (the library returns NaN) while the naive
    transcription returns rounding noise, so such draws are not comparable.
    """
    df = pd.DataFrame(x)
    sd = df.std()
    c = df[[j for j in df.columns if np.isfinite(sd[j]) and sd[j] > 0]].cov()
    c = c.to_numpy()
    if c.shape[0] < 2 or not np.isfinite(c).all():
        return True
    d = np.diag(c)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_sum = (c / np.sqrt(np.outer(d, d))).sum()
    totals = np.append(c.sum() - 2 * c.sum(axis=0) + d, c.sum())
    scales = np.append(d.sum() - d, d.sum())
    return bool((np.abs(totals) > 1e-8 * scales).all() and abs(r_sum) > 1e-8)


class TestCronbachAlpha:
    def test_against_R_psych_reference_sets(self, reference) -> None:
        # R 4.2, psych 2.2.9, on the keyed items:
        #   a <- psych::alpha(items)
        #   a$total$raw_alpha, a$total$std.alpha, a$total$average_r,
        #   a$item.stats$r.drop, a$alpha.drop$raw_alpha
        expected = reference.expected["alpha"]
        res = cronbach_alpha(reference.items)
        assert_allclose(res.raw, expected["raw"], rtol=1e-9)
        assert_allclose(res.standardized, expected["standardized"], rtol=1e-9)
        assert_allclose(res.average_r, expected["average_r"], rtol=1e-9)
        assert_allclose(res.r_drop, expected["r_drop"], rtol=1e-9)
        assert_allclose(res.alpha_if_dropped, expected["alpha_if_dropped"], rtol=1e-9)
        assert res.n == reference.items.shape[0]
        assert not res.excluded.any()

    def test_against_R_psych_worked_example(self) -> None:
        # x <- rbind(c(4,5,4,2), c(3,4,3,3), c(5,5,4,1), c(2,3,2,4), c(4,4,5,2),
        #            c(3,3,3,3)); x[, 4] <- 6 - x[, 4]; psych::alpha(x)
        res = cronbach_alpha(keyed_small())
        assert_allclose(res.raw, 0.951049, atol=5e-7)  # printed with 6 decimals
        assert_allclose(res.standardized, 0.9513754, atol=VECTORS_ATOL)
        assert_allclose(res.average_r, 0.8302619, atol=VECTORS_ATOL)
        assert_allclose(
            res.r_drop, [0.9684002, 0.8153742, 0.7895420, 0.9684002], atol=VECTORS_ATOL
        )
        assert_allclose(
            res.alpha_if_dropped,
            [0.9078947, 0.9560440, 0.9642857, 0.9078947],
            atol=VECTORS_ATOL,
        )

    def test_against_R_psych_miskeyed_scale(self) -> None:
        # psych::alpha(x) without reversing item 4: raw_alpha -.4301
        res = cronbach_alpha(SMALL)
        assert_allclose(res.raw, -0.4301, atol=5e-5)

    def test_against_R_psych_attitude_feldt(self) -> None:
        # a <- psych::alpha(datasets::attitude)
        # a$total$raw_alpha .8431428, a$total$std.alpha .8390838
        # Feldt 95% confidence boundaries (psych::alpha.ci): .7393757 .9157731
        res = cronbach_alpha(ATTITUDE)
        assert_allclose(res.raw, 0.8431428, atol=VECTORS_ATOL)
        assert_allclose(res.standardized, 0.8390838, atol=VECTORS_ATOL)
        assert_allclose(res.ci_low, 0.7393757, atol=VECTORS_ATOL)
        assert_allclose(res.ci_high, 0.9157731, atol=VECTORS_ATOL)
        assert res.n == 30
        assert res.confidence == 0.95

    def test_against_pingouin_pairwise(self, reference) -> None:
        # pingouin.cronbach_alpha(nan_policy="pairwise") uses pandas' pairwise
        # covariances as well; its CI is rounded to 3 decimals.
        alpha, ci = pingouin.cronbach_alpha(data=pd.DataFrame(reference.items))
        res = cronbach_alpha(reference.items)
        assert_allclose(res.raw, alpha, rtol=1e-12)
        assert_allclose([res.ci_low, res.ci_high], ci, atol=5e-4)

    def test_feldt_interval_widens_with_confidence(self) -> None:
        narrow = cronbach_alpha(ATTITUDE, confidence=0.5)
        wide = cronbach_alpha(ATTITUDE, confidence=0.99)
        assert wide.ci_low < narrow.ci_low < narrow.raw < narrow.ci_high < wide.ci_high

    def test_single_item_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must have at least 2 columns"):
            cronbach_alpha(ATTITUDE[:, :1])

    def test_one_dimensional_input_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must be 2-D"):
            cronbach_alpha(ATTITUDE[:, 0])

    def test_two_items(self) -> None:
        res = cronbach_alpha(ATTITUDE[:, :2])
        r12 = np.corrcoef(ATTITUDE[:, :2], rowvar=False)[0, 1]
        assert_allclose(res.r_drop, [r12, r12], rtol=1e-12)
        assert_allclose(res.standardized, 2 * r12 / (1 + r12), rtol=1e-12)
        # psych reports r12 here; the alpha of one item is undefined.
        assert np.isnan(res.alpha_if_dropped).all()

    def test_all_missing_item_is_excluded(self) -> None:
        x = np.column_stack([ATTITUDE, np.full(30, np.nan)])
        res = cronbach_alpha(x)
        ref = cronbach_alpha(ATTITUDE)
        assert_array_equal(res.excluded, [False] * 7 + [True])
        assert_allclose(res.raw, ref.raw, rtol=1e-12)
        assert_allclose(res.r_drop[:7], ref.r_drop, rtol=1e-12)
        assert np.isnan(res.r_drop[7]) and np.isnan(res.alpha_if_dropped[7])

    def test_zero_variance_item_is_excluded(self) -> None:
        x = np.column_stack([np.full(30, 3.0), ATTITUDE])
        res = cronbach_alpha(x)
        assert_array_equal(res.excluded, [True] + [False] * 7)
        assert_allclose(
            res.standardized, cronbach_alpha(ATTITUDE).standardized, rtol=1e-12
        )

    def test_fewer_than_two_usable_items_gives_nan(self) -> None:
        x = np.column_stack([ATTITUDE[:, 0], np.full(30, 2.0), np.full(30, np.nan)])
        res = cronbach_alpha(x)
        assert np.isnan([res.raw, res.standardized, res.ci_low, res.ci_high]).all()
        assert np.isnan(res.r_drop).all()
        assert_array_equal(res.excluded, [False, True, True])

    def test_total_without_variance_gives_nan(self) -> None:
        # x and 6 - x cancel: the total score is constant and alpha undefined
        # (psych reports rounding noise of order 1e16 here).
        x = np.column_stack([SMALL[:, 0], 6 - SMALL[:, 0]])
        res = cronbach_alpha(x)
        assert np.isnan(res.raw) and np.isnan(res.standardized)
        assert_allclose(res.average_r, -1.0, rtol=1e-12)
        assert np.isnan([res.ci_low, res.ci_high]).all()

    def test_single_respondent_gives_nan(self) -> None:
        res = cronbach_alpha(SMALL[:1])
        assert res.n == 0 and np.isnan(res.raw) and res.excluded.all()

    def test_no_respondents(self) -> None:
        res = cronbach_alpha(np.empty((0, 4)))
        assert res.n == 0
        assert np.isnan(res.raw)
        assert res.excluded.all()

    def test_missing_answers_use_pairwise_covariances(self) -> None:
        x = ATTITUDE.copy()
        x[[0, 5, 9], 2] = np.nan
        x[[3, 5], 4] = np.nan
        res = cronbach_alpha(x)
        expected = naive_psych_alpha(x)
        for field in ("raw", "standardized", "average_r", "r_drop", "alpha_if_dropped"):
            assert_allclose(getattr(res, field), expected[field], rtol=1e-12)

    def test_column_slice_of_a_wider_table_equals_a_copy(self) -> None:
        # A construct is usually a strided column slice of the whole wave.
        wide = np.hstack([ATTITUDE, ATTITUDE[::-1]])
        wide[[1, 4], 3] = np.nan
        view = wide[:, 2:6]
        assert not view.flags.c_contiguous
        a, b = cronbach_alpha(view), cronbach_alpha(np.array(view, order="C"))
        for field in ("raw", "standardized", "r_drop", "alpha_if_dropped", "ci_low"):
            assert_array_equal(getattr(a, field), getattr(b, field))
        assert omega_total(view) == omega_total(np.array(view, order="C"))

    def test_empty_rows_are_not_counted(self) -> None:
        x = np.vstack([ATTITUDE, np.full((3, 7), np.nan)])
        res = cronbach_alpha(x)
        assert res.n == 30
        assert_allclose(res.ci_low, cronbach_alpha(ATTITUDE).ci_low, rtol=1e-12)

    def test_nan_in_input_is_a_missing_answer(self) -> None:
        x = keyed_small()
        x[0, 0] = np.nan
        res = cronbach_alpha(x)
        assert np.isfinite(res.raw)
        assert res.n == 6

    @pytest.mark.parametrize("bad", [np.inf, -np.inf])
    def test_infinite_value_is_rejected(self, bad: float) -> None:
        x = keyed_small()
        x[2, 1] = bad
        with pytest.raises(ValueError, match="items contains infinite values"):
            cronbach_alpha(x)

    def test_non_numeric_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must be numeric"):
            cronbach_alpha([["a", "b"], ["c", "d"]])

    @pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, True, "0.95"])
    def test_invalid_confidence_is_rejected(self, bad: object) -> None:
        with pytest.raises(ValueError, match="confidence"):
            cronbach_alpha(ATTITUDE, confidence=bad)

    def test_result_is_frozen_and_read_only(self) -> None:
        res = cronbach_alpha(ATTITUDE)
        assert isinstance(res, AlphaResult)
        with pytest.raises(dataclasses.FrozenInstanceError):
            res.raw = 0.0  # type: ignore[misc]
        with pytest.raises(ValueError, match="read-only"):
            res.r_drop[0] = 0.0

    @settings(max_examples=200, deadline=None)
    @given(likert())
    def test_bounds_on_complete_data(self, x: np.ndarray) -> None:
        res = cronbach_alpha(x)
        if not np.isfinite(res.raw):
            # Fewer than two items with variance, or 1'C1 = 0 (items that
            # cancel out exactly): alpha is undefined.
            return
        # With a positive semi-definite C, 1'C1 <= k tr(C), so alpha <= 1.
        assert res.raw <= 1 + 1e-12
        # Standardised alpha k r / (1 + (k - 1) r) is undefined at r = -1/(k-1).
        assert not res.standardized > 1 + 1e-12
        assert -1 - 1e-12 <= res.average_r <= 1 + 1e-12
        finite = np.isfinite(res.r_drop)
        assert (np.abs(res.r_drop[finite]) <= 1 + 1e-12).all()
        if np.isfinite(res.ci_low):
            assert res.ci_low <= res.raw <= res.ci_high

    @settings(max_examples=200, deadline=None)
    @given(likert_with_missing(), st.randoms(use_true_random=False))
    def test_invariant_to_respondent_order(self, x: np.ndarray, rnd) -> None:
        assume(well_conditioned(x))
        order = np.array(rnd.sample(range(x.shape[0]), x.shape[0]))
        a, b = cronbach_alpha(x), cronbach_alpha(x[order])
        for field in ("raw", "standardized", "average_r", "r_drop", "alpha_if_dropped"):
            assert_allclose(getattr(a, field), getattr(b, field), rtol=1e-9, atol=1e-12)
        assert a.n == b.n

    @settings(max_examples=200, deadline=None)
    @given(likert(), st.randoms(use_true_random=False))
    def test_item_order_permutes_item_statistics(self, x: np.ndarray, rnd) -> None:
        assume(well_conditioned(x))
        order = np.array(rnd.sample(range(x.shape[1]), x.shape[1]))
        a, b = cronbach_alpha(x), cronbach_alpha(x[:, order])
        assert_allclose(a.raw, b.raw, rtol=1e-9, atol=1e-12)
        assert_allclose(a.r_drop[order], b.r_drop, rtol=1e-9, atol=1e-12)
        assert_allclose(
            a.alpha_if_dropped[order], b.alpha_if_dropped, rtol=1e-9, atol=1e-12
        )

    @settings(max_examples=100, deadline=None)
    @given(
        likert(),
        st.floats(0.1, 10),
        st.floats(-50, 50),
        st.lists(st.floats(0.1, 10), min_size=6, max_size=6),
    )
    def test_scaling(
        self, x: np.ndarray, scale: float, shift: float, per_item: list[float]
    ) -> None:
        assume(well_conditioned(x))
        a = cronbach_alpha(x)
        # A common rescaling and any shifts leave raw alpha unchanged ...
        b = cronbach_alpha(scale * x + shift)
        assert_allclose(a.raw, b.raw, rtol=1e-9, atol=1e-9)
        # ... and separate rescaling of items leaves standardized alpha unchanged.
        c = cronbach_alpha(x * np.array(per_item[: x.shape[1]]))
        assert_allclose(a.standardized, c.standardized, rtol=1e-9, atol=1e-9)

    @settings(max_examples=200, deadline=None)
    @given(likert_with_missing())
    def test_vectorised_equals_naive_psych_loop(self, x: np.ndarray) -> None:
        assume(well_conditioned(x))
        res = cronbach_alpha(x)
        expected = naive_psych_alpha(x)
        for field in ("raw", "standardized", "average_r", "r_drop", "alpha_if_dropped"):
            # Where the items left after dropping one have no variance, the
            # naive loop divides by zero (-inf), or by the rounding noise of a
            # zero (|alpha| of 1e16); the library reports no alpha (NaN), as
            # its docstring promises for degenerate scales.
            wanted = np.asarray(expected[field], dtype=float)
            noise = np.isinf(wanted) | (np.abs(np.nan_to_num(wanted)) > 1e8)
            assert_allclose(
                getattr(res, field),
                np.where(noise, np.nan, wanted),
                rtol=1e-9,
                atol=1e-12,
                err_msg=field,
            )


def psych_minres_omega(x: np.ndarray) -> tuple[float, bool]:
    """Omega total via psych's own parametrisation of minres.

    psych::fa(fm = "minres") optimises the uniquenesses psi in [.005, 1] and
    takes the loadings from the first eigenpair of R with 1 - psi on the
    diagonal. Returns omega total and whether a uniqueness sits on the .005
    bound (a Heywood case, where the two parametrisations part ways).
    """
    r = pd.DataFrame(x).corr().to_numpy()  # cor(x, use = "pairwise")
    k = r.shape[0]

    def loadings(psi: np.ndarray) -> np.ndarray:
        s = r.copy()
        np.fill_diagonal(s, 1 - psi)
        values, vectors = np.linalg.eigh(s)
        return vectors[:, -1] * np.sqrt(max(values[-1], 0.0))

    def residual(psi: np.ndarray) -> float:
        lam = loadings(psi)
        res = r - np.outer(lam, lam)
        return float(np.sum(res[np.tril_indices(k, -1)] ** 2))

    start = 1 / np.diag(np.linalg.inv(r))  # diag(S) - smc(S), psych's start
    fit = optimize.minimize(
        residual,
        start,
        method="L-BFGS-B",
        bounds=[(0.005, 1.0)] * k,
        options={"ftol": 1e-15, "gtol": 1e-12},
    )
    lam = loadings(fit.x)
    key = np.where(lam < 0, -1.0, 1.0)
    vt = key @ r @ key
    heywood = bool((fit.x < 0.005 + 1e-6).any())
    return float((vt - np.sum(1 - lam**2)) / vt), heywood


class TestOmegaTotal:
    def test_against_R_psych_attitude(self) -> None:
        # psych::omega(datasets::attitude, nfactors = 1)$omega.tot  -> .8509925
        assert_allclose(omega_total(ATTITUDE), 0.8509925, atol=1e-6)

    def test_against_psych_route_on_reference_sets(self, reference) -> None:
        # The same one-factor minres fit reached through psych's
        # parametrisation (uniquenesses); both optimisers stop near 1e-8.
        expected, heywood = psych_minres_omega(reference.items)
        assert not heywood
        assert_allclose(omega_total(reference.items), expected, atol=1e-6)

    def test_at_least_alpha_for_congeneric_items(self) -> None:
        # Unequal loadings: omega total exceeds alpha (McDonald 1999, ch. 6).
        rng = np.random.default_rng(3)
        f = rng.normal(size=(2000, 1))
        lam = np.array([0.9, 0.8, 0.5, 0.3, 0.2])
        x = f * lam + rng.normal(size=(2000, 5)) * np.sqrt(1 - lam**2)
        assert omega_total(x) > cronbach_alpha(x).raw

    def test_fewer_than_three_items_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must have at least 3 columns"):
            omega_total(ATTITUDE[:, :2])

    def test_single_item_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="items must have at least 3 columns"):
            omega_total(ATTITUDE[:, :1])

    def test_all_missing_item_is_excluded(self) -> None:
        x = np.column_stack([ATTITUDE, np.full(30, np.nan)])
        assert_allclose(omega_total(x), omega_total(ATTITUDE), rtol=1e-9)

    def test_zero_variance_item_is_excluded(self) -> None:
        x = np.column_stack([ATTITUDE, np.full(30, 50.0)])
        assert_allclose(omega_total(x), omega_total(ATTITUDE), rtol=1e-9)

    def test_too_few_usable_items_gives_nan(self) -> None:
        x = np.column_stack([ATTITUDE[:, :2], np.full(30, np.nan)])
        assert np.isnan(omega_total(x))

    def test_no_respondents_gives_nan(self) -> None:
        assert np.isnan(omega_total(np.empty((0, 4))))

    def test_missing_answers_are_pairwise(self) -> None:
        x = ATTITUDE.copy()
        x[[1, 4, 7], 0] = np.nan
        x[[2, 8], 6] = np.nan
        expected, heywood = psych_minres_omega(x)
        assert not heywood
        assert_allclose(omega_total(x), expected, atol=1e-6)

    def test_identical_items_hit_the_heywood_bound(self) -> None:
        x = keyed_small()  # items 1 and 4 are identical after keying
        value = omega_total(x)
        assert np.isfinite(value) and value <= 1

    def test_heywood_case_stays_bounded(self) -> None:
        # Three items with r23 < 0 < r12, r13: the exact one-factor solution
        # needs a loading above 1; it is held at sqrt(.995) (psych's psi >= .005).
        rng = np.random.default_rng(0)
        lam = rng.uniform(0.3, 0.9, size=3)
        x = rng.normal(size=(30, 1)) * lam + rng.normal(size=(30, 3)) * np.sqrt(
            1 - lam**2
        )
        r = np.corrcoef(x, rowvar=False)
        assert r[1, 2] < 0 < min(r[0, 1], r[0, 2])
        value = omega_total(x)
        assert 0 < value < 1

    @pytest.mark.parametrize("bad", [np.inf, -np.inf])
    def test_infinite_value_is_rejected(self, bad: float) -> None:
        x = ATTITUDE.copy()
        x[0, 0] = bad
        with pytest.raises(ValueError, match="items contains infinite values"):
            omega_total(x)

    def test_reversed_item_is_flipped_as_psych_does(self) -> None:
        x = ATTITUDE.copy()
        x[:, 2] = 100 - x[:, 2]
        assert_allclose(omega_total(x), omega_total(ATTITUDE), rtol=1e-7)

    @settings(max_examples=50, deadline=None)
    @given(
        st.integers(0, 2**32 - 1),
        st.integers(3, 7),
        st.integers(30, 200),
    )
    def test_properties_on_factor_data(self, seed: int, k: int, n: int) -> None:
        rng = np.random.default_rng(seed)
        lam = rng.uniform(0.3, 0.9, size=k)
        x = rng.normal(size=(n, 1)) * lam + rng.normal(size=(n, k)) * np.sqrt(
            1 - lam**2
        )
        value = omega_total(x)
        assert value <= 1
        # Invariant to respondent order, item order and per-item affine rescaling.
        rows, cols = rng.permutation(n), rng.permutation(k)
        assert_allclose(omega_total(x[rows][:, cols]), value, atol=1e-6)
        scaled = x * rng.uniform(0.5, 3, size=k) + rng.uniform(-5, 5, size=k)
        assert_allclose(omega_total(scaled), value, atol=1e-6)
        # Loading-space fit == psych's uniqueness route, away from Heywood
        # cases (there psych's result depends on where its optimiser stops).
        expected, heywood = psych_minres_omega(x)
        if not heywood:
            assert_allclose(value, expected, atol=1e-6)
