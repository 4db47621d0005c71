"""Change between two waves: Newcombe's interval, the score test and the NPS z-test."""

import numpy as np
import pytest
from scipy.stats import chi2_contingency, norm

from ownership.stats.inference import nps_change, share_change


class TestShareChange:
    # Newcombe (1998), Table II, method 10 (hybrid score), examples (a)-(b).
    @pytest.mark.parametrize(
        "k1, n1, k0, n0, low, high",
        [(56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090)],
    )
    def test_newcombe_table(self, k1, n1, k0, n0, low, high):
        res = share_change(k1, n1, k0, n0)
        assert res.difference == pytest.approx(k1 / n1 - k0 / n0)
        assert (round(res.low, 4), round(res.high, 4)) == (low, high)

    def test_pvalue_is_the_uncorrected_chi_square(self):
        rng = np.random.default_rng(7)
        n1 = rng.integers(5, 200, 40)
        n0 = rng.integers(5, 200, 40)
        k1 = rng.integers(1, n1)
        k0 = rng.integers(1, n0)
        res = share_change(k1, n1, k0, n0)
        for i in range(40):
            table = np.array([[k1[i], n1[i] - k1[i]], [k0[i], n0[i] - k0[i]]])
            expected = chi2_contingency(table, correction=False)[1]
            assert res.pvalue[i] == pytest.approx(expected, rel=1e-9)

    def test_nothing_to_test(self):
        res = share_change([5, 0, 0], [5, 4, 0], [7, 0, 1], [7, 6, 2])
        assert np.isnan(res.pvalue[:2]).all()  # all favourable / none, both waves
        assert np.isnan(res.difference[2]) and np.isnan(res.low[2])

    def test_bad_counts(self):
        with pytest.raises(ValueError, match="successes"):
            share_change(6, 5, 1, 5)


class TestNpsChange:
    def test_against_raw_answers(self):
        rng = np.random.default_rng(3)
        now = rng.integers(0, 11, 140)
        before = rng.integers(0, 11, 90)

        def contribution(scores):
            return np.where(scores >= 9, 100.0, np.where(scores <= 6, -100.0, 0.0))

        a, b = contribution(now), contribution(before)
        se = np.sqrt(a.var() / a.size + b.var() / b.size)  # ddof = 0: trinomial
        diff = a.mean() - b.mean()
        res = nps_change(
            (now >= 9).sum(),
            (now <= 6).sum(),
            now.size,
            (before >= 9).sum(),
            (before <= 6).sum(),
            before.size,
        )
        assert res.difference == pytest.approx(diff)
        assert res.low == pytest.approx(diff - norm.ppf(0.975) * se)
        assert res.high == pytest.approx(diff + norm.ppf(0.975) * se)
        assert res.pvalue == pytest.approx(2 * norm.sf(abs(diff) / se))

    def test_constant_samples_are_not_tested(self):
        res = nps_change(10, 0, 10, 8, 0, 8)
        assert res.difference == 0.0 and np.isnan(res.pvalue)

    def test_counts_must_fit(self):
        with pytest.raises(ValueError, match="exceed"):
            nps_change(6, 5, 10, 1, 1, 5)
