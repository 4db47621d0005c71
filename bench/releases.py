"""Benchmark: making a release, and serving results from stored releases.

Run ``python -m bench.releases [--employees N] [--seed S] [--repeat R]``. It
creates a fresh SQLite database in a temporary folder (or uses
``--database-url``), seeds the demo insurer with ``seed_demo`` (which makes
the final release of every closed wave and an interim release of the open
one), then

* times making one more release of the open wave (the whole wave read, every
  statistic computed, one disclosure decision, everything stored), and
* times every results page, export and API report of the last closed wave as
  an HR analyst gets them through Django's full request stack (middleware,
  session, permission checks, audit log, templates), served from the stored
  release: the median and the 95th percentile of ``--repeat`` requests after
  one warm-up request, and the size of the answer.

It prints one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PAGES = (
    "ownership_results_heatmap",
    "ownership_results_concentration",
    "ownership_results_reliability",
    "ownership_results_comments",
    "ownership_results_rates",
    "ownership_results_summary",
    "ownership_results_trends",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=600)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args(argv)

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        folder = Path(tempfile.mkdtemp(prefix="bench-releases-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    # One client asks many times; the API's per-client limits would refuse it.
    os.environ["API_THROTTLE_TOKEN"] = "1000000/minute"  # noqa: S105 - a rate
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from ownership import analytics
    from surveys.models import Wave

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command(
            "seed_demo",
            "--employees",
            str(args.employees),
            "--seed",
            str(args.seed),
            stdout=quiet,
        )
    emit(setup_seconds=round(time.perf_counter() - start, 2))

    open_wave = Wave.objects.open().first()
    if open_wave is not None:
        start = time.perf_counter()
        release = analytics.release_make(wave=open_wave)
        emit(
            measure="make a release",
            wave=open_wave.label,
            respondents=release.respondents,
            seconds=round(time.perf_counter() - start, 3),
        )

    wave = Wave.objects.closed().order_by("-opens_at").first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="hr"))
    paths = [f"{reverse(name)}?wave={wave.pk}" for name in PAGES]
    for kind in analytics.KINDS:
        for fmt in ("csv", "xlsx"):
            url = reverse("ownership_results_export", args=[kind, fmt])
            paths.append(f"{url}?wave={wave.pk}")
        api = f"/api/v1/waves/{wave.pk}/{analytics.KINDS[kind].path}/"
        paths += [api, f"{api}?format=csv"]
    paths.append(f"/api/v1/trends/?survey={wave.survey_id}")
    medians = []
    for path in paths:
        seconds, size, _ = time_requests(client, path, args.repeat)
        medians.append(statistics.median(seconds))
        emit(
            measure="serve",
            path=path,
            median_ms=round(1000 * statistics.median(seconds), 1),
            p95_ms=round(1000 * percentile(seconds, 0.95), 1),
            kilobytes=round(size / 1024, 1),
        )
    emit(
        measure="serve, all answers",
        answers=len(paths),
        slowest_median_ms=round(1000 * max(medians), 1),
        target_ms=50,
    )
    return 0


def time_requests(client, path: str, repeat: int) -> tuple[list[float], int, float]:
    """Seconds of ``repeat`` requests after one warm-up, the size of the
    answer, and the seconds of the warm-up (which reads the stored release
    into memory)."""
    start = time.perf_counter()
    response = client.get(path)
    first = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        body = response.content
        seconds.append(time.perf_counter() - start)
    return seconds, len(body), first


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def emit(**fields) -> None:
    print(json.dumps(fields), flush=True)


if __name__ == "__main__":
    sys.exit(main())
