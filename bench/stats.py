"""Benchmark: the per-group statistics of a whole wave, ours against pandas.

Run ``python -m bench.stats`` (``--quick`` for a small wave). It builds a
synthetic wave (:mod:`bench.data`) and computes every per-department figure the
HR views show three ways:

- ``ours``: ``ownership.stats``. The item figures (means and SDs, favourable
  shares with Wilson intervals, rwg, rwg(j)) come from
  :func:`~ownership.stats.likert.likert_counts`, one counting pass over the
  wave; ICC(1)/(2) is one ANOVA over every construct's scale score; alpha is
  one call per construct;
- ``pandas``: pandas written vectorised (groupby built-ins such as ``var`` and
  ``count`` plus array formulas), and pingouin's ``cronbach_alpha``;
- ``apply``: the usual way: pandas ``groupby.apply`` with one Python call per
  department for a figure that has no groupby built-in, and pingouin's
  one-way ``anova`` per construct for ICC(1)/(2), as R's ``ICC1(aov(...))``.

Each figure's line times the figure on its own (so ``ours`` includes the
counting pass in each item figure's line). The ``all`` line times every
figure together, as a wave report computes them: ``ours`` counts once and
derives the four item figures from the counts.

It checks that all paths give the same numbers and prints one JSON line per
figure with the times (best of ``--repeat`` runs after a warm-up; ``apply``
one run after a warm-up) and the ratios. BLAS and OpenMP pools are held to
one thread. The exit status is 1 if any path disagrees.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pingouin

from bench.data import Wave, make_wave
from ownership.stats.agreement import icc
from ownership.stats.concentration import concentration_by_group
from ownership.stats.descriptives import scale_scores
from ownership.stats.likert import LikertCounts, likert_counts
from ownership.stats.reliability import cronbach_alpha

TARGET_SECONDS = 1.0
TARGET_RATIO = 20.0
Z95 = 1.959963984540054  # scipy.stats.norm.ppf(0.975)


# --------------------------------------------------------------------------
# ownership.stats


def _constructs(w: Wave) -> np.ndarray:
    """The construct index of every item column."""
    sizes = [c.stop - c.start for c in w.constructs]
    return np.repeat(np.arange(len(w.constructs)), sizes)


def _counts(w: Wave) -> LikertCounts:
    return likert_counts(w.items, w.groups, w.n_options, _constructs(w))


def _means(counts: LikertCounts) -> dict[str, np.ndarray]:
    res = counts.means()
    return {"n": res.n, "mean": res.mean, "sd": res.sd}


def _favourable(counts: LikertCounts) -> dict[str, np.ndarray]:
    res = counts.favourable()
    return {"share": res.share, "low": res.low, "high": res.high}


def _rwg(counts: LikertCounts) -> dict[str, np.ndarray]:
    return {"rwg": counts.rwg().values}


def _rwg_j(counts: LikertCounts) -> dict[str, np.ndarray]:
    return {"rwg_j": counts.rwg_j().values}


def ours_means(w: Wave) -> dict[str, np.ndarray]:
    return _means(_counts(w))


def ours_favourable(w: Wave) -> dict[str, np.ndarray]:
    return _favourable(_counts(w))


def ours_rwg(w: Wave) -> dict[str, np.ndarray]:
    return _rwg(_counts(w))


def ours_rwg_j(w: Wave) -> dict[str, np.ndarray]:
    return _rwg_j(_counts(w))


def ours_icc(w: Wave) -> dict[str, np.ndarray]:
    # Every construct's scale score, then one ANOVA per column in one pass.
    scores = np.column_stack([scale_scores(w.items[:, c]) for c in w.constructs])
    res = icc(scores, w.groups)
    return {"icc1": res.icc1, "icc2": res.icc2}


def ours_concentration(w: Wave) -> dict[str, np.ndarray]:
    res = concentration_by_group(w.allocations, w.groups)
    return {
        "mean_hhi": res.mean_hhi,
        "hhi_of_mean": res.hhi_of_mean,
        "top_share": res.top_share,
        "top_locus": res.top_locus.astype(np.float64),
        "mean_shares": res.mean_shares,
    }


def ours_alpha(w: Wave) -> dict[str, np.ndarray]:
    res = [cronbach_alpha(w.items[:, c]) for c in w.constructs]
    return {
        "alpha": np.array([r.raw for r in res]),
        "ci": np.array([[r.ci_low, r.ci_high] for r in res]),
    }


# --------------------------------------------------------------------------
# pandas groupby and pingouin: the same figures, written the usual way


def _wilson(k: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilson (1927) interval, as R's prop.test(k, n, correct = FALSE)."""
    z2 = Z95**2
    p = k / n
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return centre - half, centre + half


def _construct(df: pd.DataFrame, c: slice) -> pd.DataFrame:
    return df.iloc[:, c.start + 1 : c.stop + 1]  # column 0 is the group


def _frame(w: Wave) -> pd.DataFrame:
    df = pd.DataFrame(w.items, columns=[f"i{j + 1}" for j in range(w.items.shape[1])])
    df.insert(0, "group", w.groups)
    return df


def pandas_means(w: Wave) -> dict[str, np.ndarray]:
    g = _frame(w).groupby("group")
    return {
        "n": g.count().to_numpy(),
        "mean": g.mean().to_numpy(),
        "sd": g.std().to_numpy(),
    }


def pandas_favourable(w: Wave) -> dict[str, np.ndarray]:
    df = _frame(w)
    items = df.columns[1:]
    fav = (df[items] > w.n_options - 2).astype(float).where(df[items].notna())
    fav.insert(0, "group", df["group"])
    g = fav.groupby("group")
    k, n = g.sum().to_numpy(), g.count().to_numpy()
    low, high = _wilson(k, n)
    return {"share": k / n, "low": low, "high": high}


def pandas_rwg(w: Wave) -> dict[str, np.ndarray]:
    g = _frame(w).groupby("group")
    var, n = g.var().to_numpy(), g.count().to_numpy()
    ranvar = (w.n_options**2 - 1) / 12
    out = np.where(var > ranvar, 0.0, 1 - var / ranvar)
    return {"rwg": np.where(n < 2, np.nan, out)}


def pandas_rwg_j(w: Wave) -> dict[str, np.ndarray]:
    df = _frame(w)
    ranvar = (w.n_options**2 - 1) / 12
    labels = np.unique(w.groups)
    cols = []
    for c in w.constructs:
        sub = pd.concat([df["group"], _construct(df, c)], axis=1).dropna()
        g = sub.groupby("group")
        meanvar = g.var().mean(axis=1).reindex(labels)
        n = g.size().reindex(labels, fill_value=0)
        ratio = np.minimum(meanvar, ranvar) / ranvar
        j = c.stop - c.start
        val = j * (1 - ratio) / (j * (1 - ratio) + ratio)
        cols.append(val.where(n >= 2).to_numpy())
    return {"rwg_j": np.column_stack(cols)}


def _icc_per_construct(
    w: Wave, mean_squares: Callable[[pd.DataFrame], tuple[float, float]]
) -> dict[str, np.ndarray]:
    """ICC(1)/(2) of each construct's scale score from its ANOVA mean squares."""
    df = _frame(w)
    out1, out2 = [], []
    for c in w.constructs:
        score = _construct(df, c).mean(axis=1, skipna=False)
        d = pd.DataFrame({"group": df["group"], "score": score}).dropna()
        msb, msw = mean_squares(d)
        k = len(d) / d["group"].nunique()
        out1.append((msb - msw) / (msb + (k - 1) * msw))
        out2.append((msb - msw) / msb)
    return {"icc1": np.array(out1), "icc2": np.array(out2)}


def _groupby_mean_squares(d: pd.DataFrame) -> tuple[float, float]:
    g = d.groupby("group")["score"]
    n_total, n_groups = len(d), g.ngroups
    ssb = (g.size() * (g.mean() - d["score"].mean()) ** 2).sum()
    ssw = ((d["score"] - g.transform("mean")) ** 2).sum()
    return ssb / (n_groups - 1), ssw / (n_total - n_groups)


def pandas_icc(w: Wave) -> dict[str, np.ndarray]:
    return _icc_per_construct(w, _groupby_mean_squares)


def _unbiased_hhi(plugin, mean_hhi, n, k):
    """The report's HHI of the mean composition: (n H(p̄) - mean HHI) / (n - 1),
    clipped to [1/K, 1], NaN for a group of one."""
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.clip((n * plugin - mean_hhi) / (n - 1.0), 1.0 / k, 1.0)
    return np.where(n >= 2, h, np.nan)


def pandas_concentration(w: Wave) -> dict[str, np.ndarray]:
    shares = pd.DataFrame(w.allocations).div(w.allocations.sum(axis=1), axis=0)
    hhi = (shares**2).sum(axis=1)
    shares["hhi"] = hhi
    shares["group"] = w.groups
    grouped = shares.groupby("group")
    means = grouped.mean()
    mean_shares = means.drop(columns="hhi")
    return {
        "mean_hhi": means["hhi"].to_numpy(),
        "hhi_of_mean": _unbiased_hhi(
            (mean_shares**2).sum(axis=1).to_numpy(),
            means["hhi"].to_numpy(),
            grouped.size().to_numpy(),
            mean_shares.shape[1],
        ),
        "top_share": mean_shares.max(axis=1).to_numpy(),
        "top_locus": mean_shares.to_numpy().argmax(axis=1).astype(np.float64),
        "mean_shares": mean_shares.to_numpy(),
    }


def pingouin_alpha(w: Wave) -> dict[str, np.ndarray]:
    df = _frame(w)
    res = [pingouin.cronbach_alpha(data=_construct(df, c)) for c in w.constructs]
    return {
        "alpha": np.array([a for a, _ in res]),
        # pingouin rounds its Feldt interval to 3 decimals
        "ci": np.array([ci for _, ci in res]),
    }


# --------------------------------------------------------------------------
# pandas groupby.apply: one Python call per department, the way a figure
# without a groupby built-in (rwg, rwg(j), a concentration summary) is usually
# written in pandas.


def _per_group(
    df: pd.DataFrame, cols: list, fn: Callable[[pd.DataFrame], pd.Series], w: Wave
) -> np.ndarray:
    labels = np.unique(w.groups)
    return df.groupby("group")[cols].apply(fn).reindex(labels).to_numpy()


def apply_means(w: Wave) -> dict[str, np.ndarray]:
    df = _frame(w)
    items = list(df.columns[1:])
    out = _per_group(df, items, lambda g: pd.concat([g.count(), g.mean(), g.std()]), w)
    k = len(items)
    return {"n": out[:, :k], "mean": out[:, k : 2 * k], "sd": out[:, 2 * k :]}


def apply_favourable(w: Wave) -> dict[str, np.ndarray]:
    df = _frame(w)
    items = list(df.columns[1:])

    def one(g: pd.DataFrame) -> pd.Series:
        n = g.notna().sum().to_numpy(dtype=float)
        k = (g > w.n_options - 2).sum().to_numpy(dtype=float)
        low, high = _wilson(k, n)
        return pd.Series(np.concatenate([k / n, low, high]))

    out = _per_group(df, items, one, w)
    m = len(items)
    return {"share": out[:, :m], "low": out[:, m : 2 * m], "high": out[:, 2 * m :]}


def apply_rwg(w: Wave) -> dict[str, np.ndarray]:
    df = _frame(w)
    ranvar = (w.n_options**2 - 1) / 12

    def one(g: pd.DataFrame) -> pd.Series:
        var, n = g.var(), g.count()
        return (1 - var / ranvar).where(var <= ranvar, 0.0).where(n >= 2)

    return {"rwg": _per_group(df, list(df.columns[1:]), one, w)}


def apply_rwg_j(w: Wave) -> dict[str, np.ndarray]:
    df = _frame(w)
    ranvar = (w.n_options**2 - 1) / 12

    def one(g: pd.DataFrame) -> float:
        if len(g) < 2:
            return np.nan
        ratio = min(g.var().mean(), ranvar) / ranvar
        j = g.shape[1]
        return j * (1 - ratio) / (j * (1 - ratio) + ratio)

    labels = np.unique(w.groups)
    cols = []
    for c in w.constructs:
        sub = pd.concat([df["group"], _construct(df, c)], axis=1).dropna()
        values = sub.groupby("group")[list(sub.columns[1:])].apply(one)
        cols.append(values.reindex(labels).to_numpy(dtype=float))
    return {"rwg_j": np.column_stack(cols)}


def apply_concentration(w: Wave) -> dict[str, np.ndarray]:
    df = pd.DataFrame(w.allocations)
    loci = list(df.columns)
    df["group"] = w.groups

    def one(g: pd.DataFrame) -> pd.Series:
        a = g.to_numpy()
        shares = a / a.sum(axis=1, keepdims=True)
        mean = shares.mean(axis=0)
        hhi = (shares**2).sum(axis=1).mean()
        unbiased = float(_unbiased_hhi((mean**2).sum(), hhi, len(a), len(mean)))
        return pd.Series([hhi, unbiased, mean.max(), mean.argmax(), *mean])

    out = _per_group(df, loci, one, w)
    return {
        "mean_hhi": out[:, 0],
        "hhi_of_mean": out[:, 1],
        "top_share": out[:, 2],
        "top_locus": out[:, 3],
        "mean_shares": out[:, 4:],
    }


def _pingouin_mean_squares(d: pd.DataFrame) -> tuple[float, float]:
    table = pingouin.anova(data=d, dv="score", between="group", detailed=True)
    return table["MS"].iloc[0], table["MS"].iloc[1]


def pingouin_icc(w: Wave) -> dict[str, np.ndarray]:
    """ICC(1)/(2) from pingouin's one-way ANOVA, as R's ICC1(aov(...)) does."""
    return _icc_per_construct(w, _pingouin_mean_squares)


class Figure(NamedTuple):
    name: str
    ours: Callable[[Wave], dict[str, np.ndarray]]
    pandas: Callable[[Wave], dict[str, np.ndarray]]
    pandas_label: str
    apply: Callable[[Wave], dict[str, np.ndarray]] | None
    apply_label: str = "groupby.apply, one call per department"


FIGURES = [
    Figure("means", ours_means, pandas_means, "groupby count/mean/std", apply_means),
    Figure(
        "favourable_wilson",
        ours_favourable,
        pandas_favourable,
        "groupby sum/count + Wilson",
        apply_favourable,
    ),
    Figure("rwg", ours_rwg, pandas_rwg, "groupby var/count", apply_rwg),
    Figure("rwg_j", ours_rwg_j, pandas_rwg_j, "dropna + groupby var", apply_rwg_j),
    # ICC(1)/(2) is usually read off a one-way ANOVA per construct, as R's
    # ICC1(aov(...)) does; alpha has no slower usual path than pingouin's.
    Figure(
        "icc1_icc2",
        ours_icc,
        pandas_icc,
        "groupby one-way ANOVA",
        pingouin_icc,
        "pingouin.anova, one call per construct",
    ),
    Figure(
        "concentration",
        ours_concentration,
        pandas_concentration,
        "groupby mean",
        apply_concentration,
    ),
    Figure("alpha", ours_alpha, pingouin_alpha, "pingouin.cronbach_alpha", None),
]


def ours_all(w: Wave) -> dict[str, np.ndarray]:
    """Every figure as a wave report computes them: one counting pass shared."""
    counts = _counts(w)
    return (
        _means(counts)
        | _favourable(counts)
        | _rwg(counts)
        | _rwg_j(counts)
        | ours_icc(w)
        | ours_concentration(w)
        | ours_alpha(w)
    )


def pandas_all(w: Wave) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for fig in FIGURES:
        out |= fig.pandas(w)
    return out


# How closely the paths must agree (pingouin rounds its CI to 3 decimals).
TOLERANCE = {"ci": 5e-4}


def _agree(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    same = {
        k: np.allclose(
            a[k], b[k], rtol=1e-9, atol=TOLERANCE.get(k, 1e-9), equal_nan=True
        )
        for k in a
    }
    if "top_locus" in a and not same["top_locus"]:
        # Two loci with equal mean shares are a tie that rounding in the last
        # bit decides: accept either locus when their shares agree.
        rows = np.arange(a["mean_shares"].shape[0])
        chosen = a["mean_shares"][rows, a["top_locus"].astype(np.intp)]
        other = a["mean_shares"][rows, b["top_locus"].astype(np.intp)]
        same["top_locus"] = np.allclose(chosen, other, rtol=0, atol=1e-12)
    return all(same.values())


def _best(fn: Callable[[Wave], Any], wave: Wave, repeat: int) -> tuple[float, Any]:
    out = fn(wave)  # warm-up: imports, caches and first-touch allocations
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn(wave)
        best = min(best, time.perf_counter() - start)
    return best, out


def _one_thread() -> Any:
    try:
        from threadpoolctl import threadpool_limits  # noqa: PLC0415
    except ImportError:  # pragma: no cover - comes with scikit-learn (pingouin)
        return nullcontext()
    return threadpool_limits(limits=1)


def run(wave: Wave, repeat: int, *, apply: bool = True) -> list[dict[str, Any]]:
    """Time every figure on ``wave``; return one record per figure and a total.

    ``ours_s`` and ``pandas_s`` are the best of ``repeat`` timed runs after a
    warm-up; the slow usual path ``apply_s`` is timed once after a warm-up.
    """
    size = {
        "respondents": int(wave.items.shape[0]),
        "items": int(wave.items.shape[1]),
        "groups": int(np.unique(wave.groups).size),
        "loci": int(wave.allocations.shape[1]),
    }
    records: list[dict[str, Any]] = []
    apply_total = 0.0
    with _one_thread(), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # pandas 0/0 in baselines
        # pingouin's own use of pandas APIs that newer pandas deprecates
        warnings.filterwarnings("ignore", module="pingouin")
        for fig in FIGURES:
            t_ours, r_ours = _best(fig.ours, wave, repeat)
            t_pandas, r_pandas = _best(fig.pandas, wave, repeat)
            record: dict[str, Any] = {
                "figure": fig.name,
                "ours_s": round(t_ours, 6),
                "pandas_s": round(t_pandas, 6),
                "ratio": round(t_pandas / t_ours, 2),
                "pandas": fig.pandas_label,
                "agree": _agree(r_ours, r_pandas),
            }
            if apply and fig.apply is not None:
                t_apply, r_apply = _best(fig.apply, wave, 1)
                record |= {
                    "apply_s": round(t_apply, 6),
                    "apply_ratio": round(t_apply / t_ours, 2),
                    "apply": fig.apply_label,
                }
                record["agree"] = record["agree"] and _agree(r_ours, r_apply)
            else:
                t_apply = t_pandas  # no slower usual path: the same baseline
            apply_total += t_apply
            records.append(record | size)

        t_ours, r_ours = _best(ours_all, wave, repeat)
        t_pandas, r_pandas = _best(pandas_all, wave, repeat)
    total: dict[str, Any] = {
        "figure": "all",
        "ours_s": round(t_ours, 6),
        "pandas_s": round(t_pandas, 6),
        "ratio": round(t_pandas / t_ours, 2),
        "pandas": "vectorised groupby + pingouin",
        "agree": all(r["agree"] for r in records) and _agree(r_ours, r_pandas),
        "target_s": TARGET_SECONDS,
        "target_ratio": TARGET_RATIO,
        "meets_time": t_ours < TARGET_SECONDS,
        "meets_ratio": t_pandas / t_ours >= TARGET_RATIO,
    }
    if apply:
        total |= {
            "apply_s": round(apply_total, 6),
            "apply_ratio": round(apply_total / t_ours, 2),
            "apply": "sum of figures, each the usual way (apply, anova, pingouin)",
            "meets_ratio_apply": apply_total / t_ours >= TARGET_RATIO,
        }
    records.append(total | size)
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stats", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small wave (2,000 respondents in 40 groups) for smoke tests",
    )
    parser.add_argument("--repeat", type=int, default=None, help="runs per timing")
    parser.add_argument("--seed", type=int, default=20_240_501)
    parser.add_argument(
        "--no-apply",
        action="store_true",
        help="skip the slow per-department groupby.apply baseline",
    )
    args = parser.parse_args(argv)
    if args.quick:
        wave = make_wave(n_respondents=2_000, n_groups=40, seed=args.seed)
        repeat = args.repeat or 1
    else:
        wave = make_wave(seed=args.seed)
        repeat = args.repeat or 3
    records = run(wave, repeat, apply=not args.no_apply)
    for record in records:
        print(json.dumps(record), flush=True)
    return 0 if all(r["agree"] for r in records) else 1


if __name__ == "__main__":
    sys.exit(main())
