"""Benchmark: building a wave's reports from the database, cold and warm.

Run ``python -m bench.reports [--employees N] [--seed S]``. It creates a fresh
SQLite database in a temporary folder, seeds the demo insurer with ``seed_demo``
(responses included), then for the last closed wave and the open wave times
each report twice: cold (cache cleared, so the wave is read from the database
and every statistic computed) and warm (served from the cache). It prints one
JSON line per report and wave.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPORTS = ("heatmap", "concentration", "reliability", "comments", "response_rates")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=600)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from ownership import analytics
    from surveys.models import Response, Wave

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command(
        "seed_demo",
        "--employees",
        str(args.employees),
        "--seed",
        str(args.seed),
        stdout=open(os.devnull, "w"),  # noqa: SIM115 - closed at exit
    )
    print(json.dumps({"setup_seconds": round(time.perf_counter() - start, 2)}))

    waves = [
        Wave.objects.closed().order_by("-opens_at").first(),
        Wave.objects.open().first(),
    ]
    for wave in filter(None, waves):
        responses = Response.objects.filter(wave=wave).count()
        for name in REPORTS:
            build = getattr(analytics, f"full_{name}")
            cold = []
            for _ in range(args.repeat):
                cache.clear()
                t = time.perf_counter()
                build(wave)
                cold.append(time.perf_counter() - t)
            warm = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                build(wave)
                warm.append(time.perf_counter() - t)
            print(
                json.dumps(
                    {
                        "report": name,
                        "wave": wave.label,
                        "responses": responses,
                        "cold_seconds": round(min(cold), 4),
                        "warm_seconds": round(min(warm), 5),
                        "speedup": round(min(cold) / min(warm), 1),
                    }
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
