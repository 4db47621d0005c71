"""Every public function of ownership.stats on degenerate input.

Zero variance (integer and non-integer constants, constants on a large
offset), MSB = 0, a group of one, all-missing input: each function returns NaN
or the value its docstring documents, never an infinity, a huge number or an
"effect" read from rounding noise. The first cases are the ones the R oracle
caught (R gives NaN for each).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from ownership.stats._common import is_rounding_zero, snap_variance
from ownership.stats.agreement import icc, icc1, icc2, reliability_of_mean, rwg, rwg_j
from ownership.stats.composition import (
    closure,
    clr,
    compare_compositions,
    ilr,
    ilr_basis,
    permutation_compare,
    replace_zeros,
)
from ownership.stats.concentration import (
    concentration_by_group,
    concentration_summary,
    effective_number,
    evenness,
    gini,
    hhi,
    hhi_normalized,
    hhi_of_mean_interval,
    lorenz,
    mean_share_interval,
    theil,
)
from ownership.stats.descriptives import group_means, scale_scores
from ownership.stats.inference import (
    bootstrap_ci,
    compare_means_to_rest,
    compare_proportions_to_rest,
    compare_subsets_to_rest,
    compare_to_rest,
    favourable_by_group,
    favourable_share,
    fdr_bh,
    nps,
    nps_by_group,
    wilson_interval,
)
from ownership.stats.likert import likert_counts
from ownership.stats.reliability import cronbach_alpha, omega_total

NAN = float("nan")
# Constants whose mean is not exact in binary floating point.
CONSTANTS = [0.7, 11 / 3, 0.1, 3.4, 1e6 + 0.1]
constants = st.one_of(
    st.sampled_from(CONSTANTS),
    st.floats(-1e6, 1e6, allow_nan=False).filter(lambda c: abs(c) > 1e-3),
)


def isnan(x) -> bool:
    return bool(np.all(np.isnan(np.asarray(x, dtype=float))))


class TestTolerance:
    def test_constant_spread_is_rounding_but_real_spread_is_not(self):
        x = np.full(7, 0.7)
        assert snap_variance(x.var(ddof=1), x.mean(), 7) == 0.0
        # a spread of 1 around an offset of 1e9 is real
        y = 1e9 + np.array([1.0, 2.0, 3.0])
        assert snap_variance(y.var(ddof=1), y.mean(), 3) == pytest.approx(1.0)
        # the smallest spread of Likert answers of a million people is kept
        z = np.r_[np.full(999_999, 3.0), 4.0]
        assert snap_variance(z.var(ddof=1), z.mean(), z.size) > 0

    def test_scale_aware(self):
        assert is_rounding_zero(1e-20, 1.0)
        assert not is_rounding_zero(1e-20, 1e-30)
        assert is_rounding_zero(1e-10, 1e6, 100)
        assert not is_rounding_zero(1e-6, 1.0, 100)
        assert not is_rounding_zero(NAN, 1.0)


class TestIcc:
    def test_the_oracles_example(self):
        # Mean squares of ~1e-32 gave ICC1 .533 and ICC2 .80.
        res = icc([0.7] * 7, list("aaabbbb"))
        assert res.msb == 0.0 and res.msw == 0.0
        assert isnan(res.icc1) and isnan(res.icc2)

    def test_columns_each_on_their_own(self):
        scores = np.column_stack(
            [[0.7] * 6, [1, 3, 1, 3, 1, 3], [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]]
        )
        res = icc(scores, list("aabbcc"))
        assert isnan(res.icc1[0]) and isnan(res.icc2[0])
        # equal group means (MSB = 0): ICC1 -1/(k-1) with k = 2, ICC2 NaN
        assert res.icc1[1] == pytest.approx(-1.0) and isnan(res.icc2[1])
        # no spread within groups (MSW = 0): both 1
        assert res.icc1[2] == 1.0 and res.icc2[2] == 1.0

    def test_one_group_singletons_and_all_missing(self):
        for scores, groups in (
            ([1, 2, 3], "aaa"),
            ([1, 2, 3], "abc"),
            ([NAN] * 4, "aabb"),
        ):
            res = icc(scores, list(groups))
            assert isnan([res.icc1, res.icc2, res.msb, res.msw, res.k])

    @settings(max_examples=200, deadline=None)
    @given(constants, st.integers(2, 6), st.integers(2, 6))
    def test_any_constant(self, c, groups, size):
        res = icc([c] * (groups * size), np.repeat(np.arange(groups), size))
        assert res.msb == 0.0 and res.msw == 0.0
        assert isnan(res.icc1) and isnan(res.icc2)


class TestIcc1:
    def test_equal_group_means(self):
        assert icc1([1, 3, 1, 3], list("aabb")) == pytest.approx(-1.0)

    @pytest.mark.parametrize("c", CONSTANTS)
    def test_constant(self, c):
        assert isnan(icc1([c] * 6, list("aabbcc")))


class TestIcc2:
    def test_the_oracles_examples(self):
        # MSB = 0 gave -inf and -8.45e28; the docstring promises NaN
        assert isnan(icc2([1, 3, 1, 3], list("aabb")))
        assert isnan(icc2([3.2, 3.6, 3.4, 3.4, 3.3, 3.5], list("aabbcc")))

    @pytest.mark.parametrize("c", CONSTANTS)
    def test_constant(self, c):
        assert isnan(icc2([c] * 6, list("aabbcc")))


class TestReliabilityOfMean:
    def test_undefined_icc_gives_nan(self):
        assert isnan(reliability_of_mean(5, NAN))
        assert isnan(reliability_of_mean(5, icc1([0.7] * 6, list("aabbcc"))))

    def test_zero_denominator_gives_nan(self):
        # 1 + (n - 1) ICC1 = 0
        assert isnan(reliability_of_mean(2, -1.0))
        assert isnan(reliability_of_mean(3, -0.5))

    def test_group_of_one_is_the_icc(self):
        assert reliability_of_mean(1, 0.3) == pytest.approx(0.3)


class TestRwg:
    @pytest.mark.parametrize("c", [1, 3, 5])
    def test_unanimous_group_agrees_fully(self, c):
        res = rwg([c] * 4 + [1, 5], list("aaaabb"), 5)
        assert res.values[0] == 1.0

    def test_group_of_one_and_all_missing(self):
        res = rwg([3, NAN, NAN, 4], list("abbc"), 5)
        assert isnan(res.values)
        assert res.sizes.tolist() == [1, 0, 1]


class TestRwgJ:
    def test_unanimous_group_agrees_fully(self):
        res = rwg_j([[3, 4], [3, 4], [2, 2], [2, 2]], list("aabb"), 5)
        assert res.values.tolist() == [1.0, 1.0]

    def test_group_of_one_and_incomplete_rows(self):
        res = rwg_j([[3, 4], [3, 5], [2, 2], [NAN, 1]], list("aabc"), 5)
        assert isnan(res.values[1:]) and res.sizes.tolist() == [2, 1, 0]


class TestGroupMeans:
    @pytest.mark.parametrize("c", CONSTANTS)
    def test_constant_has_sd_exactly_zero(self, c):
        res = group_means(np.full((4, 1), c), [0, 0, 0, 0])
        assert res.sd[0, 0] == 0.0

    def test_group_of_one_and_all_missing(self):
        res = group_means([[0.7], [NAN]], [0, 1])
        assert res.n.tolist() == [[1], [0]]
        assert res.mean[0, 0] == 0.7 and isnan(res.mean[1, 0])
        assert isnan(res.sd)


class TestScaleScores:
    def test_all_missing_row(self):
        out = scale_scores([[NAN, NAN], [0.7, 0.7]])
        assert isnan(out[0]) and out[1] == pytest.approx(0.7)


class TestLikertCounts:
    def test_unanimous_answers(self):
        res = likert_counts([[3, 3], [3, 3], [3, 3]], [0, 0, 0], 5)
        assert_array_equal(res.means().sd, [[0.0, 0.0]])
        assert_array_equal(res.rwg().values, [[1.0, 1.0]])

    def test_group_of_one_and_all_missing(self):
        res = likert_counts([[3, NAN], [NAN, NAN]], [0, 1], 5)
        means = res.means()
        assert means.n.tolist() == [[1, 0], [0, 0]]
        assert isnan(means.sd)
        assert isnan(res.rwg().values)


class TestCronbachAlpha:
    def test_all_items_constant(self):
        res = cronbach_alpha([[1, 2, 3]] * 3)
        assert isnan([res.raw, res.standardized, res.average_r])
        assert res.excluded.all() and res.n == 0

    def test_constant_item_is_excluded(self):
        res = cronbach_alpha([[1, 2, 3], [1, 3, 4], [1, 4, 5], [1, 2, 4]])
        assert res.excluded.tolist() == [True, False, False]
        assert isnan(res.r_drop[0]) and isnan(res.alpha_if_dropped[0])

    def test_constant_non_integer_items(self):
        res = cronbach_alpha([[0.7, 11 / 3, 0.1]] * 5)
        assert isnan(res.raw) and res.excluded.all()

    def test_one_respondent(self):
        assert isnan(cronbach_alpha([[1, 2, 3]]).raw)

    def test_items_that_cancel_exactly(self):
        # total score constant: 1'C1 = 0 up to rounding, no alpha
        x = np.array([[1, 5, 3], [2, 4, 3], [3, 3, 3.5], [4, 2, 3.5]])
        x[:, 2] = 6 - x[:, 0] - x[:, 1] + 3
        res = cronbach_alpha(x[:, :2])
        assert isnan(res.raw)


class TestOmegaTotal:
    def test_constant_items(self):
        assert isnan(omega_total([[1, 2, 3]] * 4))

    def test_fewer_than_three_varying_items(self):
        assert isnan(omega_total([[1, 2, 3], [2, 2, 4], [3, 2, 5], [1, 2, 3]]))


class TestNps:
    def test_all_missing(self):
        res = nps([NAN, NAN])
        assert res.n == 0 and isnan([res.score, res.se, res.ci_low, res.ci_high])

    def test_unanimous_promoters(self):
        res = nps([10, 10, 10])
        assert res.score == 100.0 and res.se == 0.0
        # the interval is a score interval, not the point
        assert res.ci_low < 100.0 and res.ci_high == 100.0


class TestNpsByGroup:
    def test_group_without_answers(self):
        res = nps_by_group([10, 10, NAN], [0, 0, 1])
        assert res.n.tolist() == [2, 0]
        assert res.score[0] == 100.0 and isnan(res.score[1])
        assert isnan([res.se[1], res.ci_low[1], res.ci_high[1]])


class TestWilsonInterval:
    def test_no_trials(self):
        assert isnan(wilson_interval(0, 0))

    def test_all_and_none(self):
        low, high = wilson_interval([0, 5], [5, 5])
        assert low[0] == 0.0 and 0 < high[0] < 1
        assert 0 < low[1] < 1 and high[1] == 1.0


class TestFavourableShare:
    def test_all_missing(self):
        res = favourable_share([NAN, NAN], 5)
        assert res.n == 0 and isnan([res.share, res.low, res.high])


class TestFavourableByGroup:
    def test_group_without_answers(self):
        res = favourable_by_group([5, 5, NAN], [0, 0, 1], 5)
        assert res.share[0] == 1.0 and isnan([res.share[1], res.low[1], res.high[1]])


class TestFdrBh:
    def test_all_missing_and_empty(self):
        assert isnan(fdr_bh([NAN, NAN]))
        assert fdr_bh([]).size == 0


class TestCompareToRest:
    @pytest.mark.parametrize("c", CONSTANTS)
    def test_constant_everywhere(self, c):
        res = compare_to_rest([c] * 3, [c] * 4)
        assert res.se == 0.0
        assert isnan([res.statistic, res.pvalue, res.df, res.ci_low, res.ci_high])
        assert abs(res.difference) <= 1e-9 * max(1.0, abs(c))

    def test_group_of_one(self):
        res = compare_to_rest([3], [4, 5])
        assert res.difference == -1.5
        assert isnan([res.se, res.statistic, res.pvalue])


class TestCompareMeansToRest:
    def test_variances_of_rounding_noise_are_zero(self):
        res = compare_means_to_rest(3, 0.7, 1e-33, 4, 0.7, 0.0)
        assert res.se == 0.0 and isnan([res.statistic, res.pvalue])


class TestCompareProportionsToRest:
    def test_no_answers(self):
        res = compare_proportions_to_rest(0, 0, 3, 5)
        assert isnan([res.estimate, res.difference, res.pvalue])


class TestCompareGroupsToRest:
    @pytest.mark.parametrize("c", CONSTANTS)
    def test_constant_everywhere(self, c):
        # Three departments of two, each against the other four.
        res = compare_subsets_to_rest([2, 2, 2], [c] * 3, [0.0] * 3, 6, c, 0.0)
        assert_array_equal(res.se, [0.0, 0.0, 0.0])
        assert isnan([res.statistic, res.pvalue])


class TestCompareSubsetsToRest:
    def test_constant_organisation(self):
        res = compare_subsets_to_rest([3], [0.7], [0.0], 6, 0.7, 0.0)
        assert res.se[0] == 0.0
        assert isnan([res.statistic, res.pvalue])


class TestBootstrapCi:
    def test_constant_data(self):
        res = bootstrap_ci([0.7] * 5, lambda s: s.mean(axis=1), n_resamples=99, rng=1)
        assert res.estimate == pytest.approx(0.7)
        assert isnan([res.ci_low, res.ci_high])
        res = bootstrap_ci(
            [0.7] * 5,
            lambda s: s.mean(axis=1),
            n_resamples=99,
            rng=1,
            method="percentile",
        )
        assert res.ci_low == pytest.approx(0.7) and res.ci_high == pytest.approx(0.7)

    def test_one_respondent_is_refused(self):
        with pytest.raises(ValueError, match="at least 2 respondents"):
            bootstrap_ci([0.7], lambda s: s.mean(axis=1))


class TestComposition:
    """closure, clr, ilr, ilr_basis, replace_zeros, compare_compositions and
    permutation_compare."""

    def test_closure_of_equal_parts(self):
        assert_array_equal(closure([[0.7, 0.7]]), [[0.5, 0.5]])

    def test_clr_and_ilr_of_the_centre_are_zero(self):
        assert_array_equal(clr([1 / 3] * 3), [0.0, 0.0, 0.0])
        np.testing.assert_allclose(ilr([[1 / 3] * 3]), [[0.0, 0.0]], atol=1e-15)

    def test_zeros_need_replacing(self):
        with pytest.raises(ValueError, match="replace_zeros first"):
            clr([1, 0, 0])
        out = replace_zeros([[0, 0, 100]])
        assert (out > 0).all() and out.sum() == pytest.approx(1.0)

    def test_one_part_has_no_basis(self):
        with pytest.raises(ValueError, match="n_parts must be at least 2"):
            ilr_basis(1)

    def test_identical_samples_have_no_test(self):
        res = compare_compositions([[50, 30, 20]] * 4, [[50, 30, 20]] * 4)
        assert res.df1 == 0 and isnan([res.t2, res.f, res.pvalue])
        perm = permutation_compare(
            [[50, 30, 20]] * 4, [[50, 30, 20]] * 4, n_resamples=99, rng=1
        )
        assert isnan([perm.t2, perm.pvalue])


class TestConcentration:
    """gini, hhi, hhi_normalized, effective_number, evenness, theil, lorenz,
    concentration_summary, concentration_by_group and the two intervals."""

    def test_one_locus(self):
        assert gini([5]) == 0.0 and hhi([5]) == 1.0 and effective_number([5]) == 1.0
        assert isnan(hhi_normalized([5])) and isnan(evenness([5]))
        assert theil([5]) == 0.0
        assert lorenz([5]).share.tolist() == [0.0, 1.0]

    def test_group_of_one(self):
        assert math.isnan(concentration_summary([[50, 50, 0]]).hhi_of_mean)
        res = concentration_by_group([[50, 50, 0], [100, 0, 0]], [0, 1])
        assert isnan(res.hhi_of_mean)

    def test_identical_allocations(self):
        s = concentration_summary([[50, 50], [50, 50]])
        assert s.hhi_of_mean == 0.5 and s.disagreement == 0.0

    def test_intervals_of_identical_answers_are_not_points(self):
        share = mean_share_interval([0.7] * 5)
        assert share.low < 0.7 < share.high
        hhi_ = hhi_of_mean_interval([[70, 30]] * 5)
        assert hhi_.low < hhi_.estimate < hhi_.high
