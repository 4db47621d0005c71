"""The statistics benchmark runs and its three paths agree (no timing asserted)."""

from __future__ import annotations

import json

from bench import stats as bench_stats


def test_quick_wave_all_paths_agree(capsys) -> None:
    status = bench_stats.main(["--quick", "--repeat", "1"])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 0
    names = [r["figure"] for r in records]
    assert names == [f.name for f in bench_stats.FIGURES] + ["all"]
    assert all(r["agree"] for r in records)
    for record in records:
        assert record["ours_s"] > 0 and record["pandas_s"] > 0
        # Times are printed rounded to the microsecond, the ratio from the raw ones.
        expected = record["pandas_s"] / record["ours_s"]
        assert abs(record["ratio"] - expected) <= 0.01 + 0.05 * expected
    total = records[-1]
    assert {"apply_s", "apply_ratio", "meets_time", "meets_ratio_apply"} <= set(total)
    assert (total["respondents"], total["groups"]) == (2_000, 40)


def test_disagreeing_paths_fail_the_run(monkeypatch, capsys) -> None:
    # A path that returns different numbers must make the benchmark fail.
    def wrong(w):
        return {"rwg": bench_stats.pandas_rwg(w)["rwg"] + 0.01}

    figures = [
        f._replace(pandas=wrong) if f.name == "rwg" else f for f in bench_stats.FIGURES
    ]
    monkeypatch.setattr(bench_stats, "FIGURES", figures)
    assert bench_stats.main(["--quick", "--repeat", "1", "--no-apply"]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["agree"] for r in records if r["figure"] == "rwg"] == [False]
