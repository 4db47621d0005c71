"""Benchmark: a whole organisation, end to end, at the size of a large company.

Run ``python -m bench.scale [--employees N] [--responses N]`` with
``DATABASE_URL`` naming the database (PostgreSQL for the published figures; a
new SQLite file in a temporary folder if unset). On an empty database it

1. writes an organisation file of ``--employees`` people in about one
   department per hundred, four levels deep, and loads it with ``import_org``;
2. (unless ``--no-baseline``) opens a baseline wave of the default pulse for
   everybody, answers it as in 3, closes it and makes its final release, and
   records the CCO's appointment after it, so that the main wave's release
   compares with an earlier wave and before/after an event;
3. opens the main wave (interim results on) for everybody, writes the
   personal links with ``invite --output`` and submits ``--responses``
   answers through the product's own submission service
   (:func:`surveys.services.response_submit`), one process per core;
4. makes an interim release of the open wave, closes it and makes its final
   release (every report kind), with ``manage.py release``;
5. serves every results page and export and every API report of the final
   release through Django's full request stack (middleware, session or token,
   permission checks, audit log, templates): ``--repeat`` requests each after
   one warm-up.

Steps 1–4 run as separate processes, so each reports its own peak memory. It
prints one JSON object per line: ``step`` (``import``, ``invite``, ``submit``,
``release``, ``page``, ``api``), ``wall_s`` and ``peak_rss_mb``, for ``page``
and ``api`` ``p50_ms``, ``p95_ms`` and ``kb``, and for the steps of a wave
``wave`` (``baseline`` or ``main``).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.releases import PAGES, emit, percentile, time_requests

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "en", "en", "de", "nl")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--responses", type=int, help="default: 77 %% of the employees")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes that submit responses (default: one per core)",
    )
    parser.add_argument(
        "--folder", type=Path, help="for the files (default: temporary)"
    )
    parser.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="first answer and release a baseline wave, with the CCO appointed "
        "between the two (default: yes)",
    )
    parser.add_argument("--submit-part", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    _settings()
    if args.submit_part:
        return _submit_part(*args.submit_part)
    responses = args.responses
    if responses is None:
        responses = round(0.77 * args.employees)
    if not 0 < responses <= args.employees:
        parser.error("--responses must be between 1 and --employees")
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    folder.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ownership.models import Employee

    if Employee.objects.exists():
        raise SystemExit(
            "bench.scale needs an empty database: this one has employees. "
            "Point DATABASE_URL at a new database."
        )

    org_file = folder / "organisation.csv"
    departments = write_organisation(org_file, args.employees, args.seed)
    run_step(
        "import",
        ["manage.py", "import_org", str(org_file)],
        employees=args.employees,
        departments=departments,
    )
    if args.baseline:
        # A closed baseline wave, then the CCO's appointment: the main wave's
        # release compares with both (change, before/after tests, trends).
        base = open_wave("Scale baseline", opened_days_ago=60)
        answer_wave(base, folder / "baseline", responses, args, wave="baseline")
        close_wave(base)
        run_step(
            "release",
            ["manage.py", "release", "--wave", str(base)],
            kind="final",
            wave="baseline",
        )
        appoint_cco(days_ago=30)
    wave = open_wave("Scale pulse")
    answer_wave(wave, folder / "main", responses, args, wave="main")
    run_step(
        "release",
        ["manage.py", "release", "--wave", str(wave)],
        kind="interim",
        wave="main",
    )
    close_wave(wave)
    run_step(
        "release",
        ["manage.py", "release", "--wave", str(wave)],
        kind="final",
        wave="main",
    )
    serve(wave, args.repeat)
    return 0


def _settings() -> None:
    if not os.environ.get("DATABASE_URL"):
        folder = Path(tempfile.mkdtemp(prefix="bench-scale-db-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    # One client asks many times; the per-client limits would refuse it.
    os.environ.setdefault("API_THROTTLE_TOKEN", "1000000/minute")
    # Releases are made by this benchmark, not by the close signal's task.
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    sys.path.insert(0, str(ROOT))


# The organisation ----------------------------------------------------------


def write_organisation(
    path: Path, employees: int, seed: int, *, per_department: int = 100
) -> int:
    """An HR file: a company, ten divisions, areas and teams (four levels),
    about one department per ``per_department`` people, sizes from a gamma
    distribution (so a few dozen teams stay under five people). Returns the
    number of departments."""
    import numpy as np

    from ownership.org_csv import COLUMNS

    rng = np.random.default_rng(seed)
    n_teams = max(1, round(employees / per_department))
    divisions = max(1, min(10, n_teams // 10 or 1))
    areas = max(divisions, round(n_teams / 10))
    rows = [("CO", "Company", "")]
    rows += [(f"D{d}", f"Division {d}", "CO") for d in range(divisions)]
    rows += [(f"A{a}", f"Area {a}", f"D{a % divisions}") for a in range(areas)]
    teams = n_teams - divisions - areas if n_teams > divisions + areas else areas
    rows += [(f"T{t}", f"Team {t}", f"A{t % areas}") for t in range(teams)]
    leaves = [code for code, _, _ in rows if code.startswith("T")]
    weights = rng.gamma(2.0, size=len(leaves))
    placed = rng.choice(len(leaves), size=employees, p=weights / weights.sum())
    # Every team has somebody in it, so every department exists.
    placed[: min(len(leaves), employees)] = np.arange(min(len(leaves), employees))
    names = {code: (name, parent) for code, name, parent in rows}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        # Every department appears, parents first.
        for code, name, parent in rows[: len(rows) - len(leaves)]:
            writer.writerow(
                [
                    f"H-{code}",
                    f"head.{code.lower()}@example.com",
                    f"Head {code}",
                    code,
                    name,
                    parent,
                    "no",
                    "en",
                ]
            )
        for i in range(employees - (len(rows) - len(leaves))):
            code = leaves[placed[i]]
            name, parent = names[code]
            writer.writerow(
                [
                    f"E{i:07d}",
                    f"e{i:07d}@example.com",
                    f"Employee {i}",
                    code,
                    name,
                    parent,
                    "yes" if int(code[1:]) % 3 else "no",
                    LANGUAGES[i % len(LANGUAGES)],
                ]
            )
    return len(rows)


def open_wave(label: str, *, opened_days_ago: int = 0) -> int:
    import datetime as dt

    from django.utils import timezone

    from ownership.models import Department
    from surveys.defaults import survey_create_default
    from surveys.models import Wave
    from surveys.services import wave_open

    now = timezone.now()
    wave = Wave.objects.create(
        survey=survey_create_default(),
        label=label,
        opens_at=now - dt.timedelta(days=opened_days_ago, minutes=1),
        closes_at=now + dt.timedelta(days=14),
        interim_results=True,
    )
    wave.audience.set(Department.get_root_nodes())
    return wave_open(wave=wave, now=wave.opens_at).pk


def appoint_cco(*, days_ago: int) -> None:
    import datetime as dt

    from django.utils import timezone

    from ownership.models import EventKind, OrganisationEvent

    OrganisationEvent.objects.create(
        kind=EventKind.CCO_APPOINTED,
        title="Chief Customer Officer appointed",
        date=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def answer_wave(wave_id: int, folder: Path, responses: int, args, **extra) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    links = folder / "links.csv"
    run_step(
        "invite",
        ["manage.py", "invite", "--wave", str(wave_id), "--output", str(links)],
        **extra,
    )
    submit(links, folder, wave_id, responses, args.workers, args.seed, **extra)


def close_wave(wave_id: int) -> None:
    from django.utils import timezone

    from surveys.models import Wave

    Wave.objects.filter(pk=wave_id).update(closes_at=timezone.now())


# Submissions ---------------------------------------------------------------


def submit(
    links: Path,
    folder: Path,
    wave_id: int,
    responses: int,
    workers: int,
    seed: int,
    **extra,
):
    import numpy as np

    with links.open(encoding="utf-8") as handle:
        tokens = [
            row["link"].split("/s/")[1].split("/")[0] for row in csv.DictReader(handle)
        ]
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(tokens), size=responses, replace=False)
    parts = []
    for worker in range(workers):
        part = folder / f"tokens-{worker}.txt"
        part.write_text("\n".join(tokens[i] for i in chosen[worker::workers]))
        parts.append(part)
    start = time.perf_counter()
    processes = [
        subprocess.Popen(  # noqa: S603 - our own module
            [
                sys.executable,
                "-m",
                "bench.scale",
                "--submit-part",
                str(part),
                str(part.with_suffix(".ms")),
                str(seed + n),
            ],
            cwd=ROOT,
        )
        for n, part in enumerate(parts)
    ]
    peaks = [_wait(process) for process in processes]
    wall = time.perf_counter() - start
    times = []
    for part in parts:
        times += [float(x) for x in part.with_suffix(".ms").read_text().split()]
    stored = _count_responses(wave_id)
    emit(
        step="submit",
        wall_s=round(wall, 1),
        peak_rss_mb=max(peaks),
        responses=responses,
        stored=stored,
        workers=workers,
        per_s=round(responses / wall, 1),
        p50_ms=round(statistics.median(times), 1),
        p99_ms=round(percentile(times, 0.99), 1),
        **extra,
    )


def _count_responses(wave: int) -> int:
    from surveys.models import Response

    return Response.objects.filter(wave_id=wave).count()


def _submit_part(tokens_file: str, times_file: str, seed: str) -> int:
    import django

    django.setup()
    import numpy as np

    from surveys.models import Invitation, hash_token
    from surveys.services import response_submit

    tokens = Path(tokens_file).read_text().split()
    rng = np.random.default_rng(int(seed))
    wave = (
        Invitation.objects.select_related("wave")
        .get(token_hash=hash_token(tokens[0]))
        .wave
    )
    answers = AnswerMaker(wave.snapshot, rng)
    times = []
    for token in tokens:
        given = answers.make()
        start = time.perf_counter()
        response_submit(token=token, answers=given)
        times.append(1000 * (time.perf_counter() - start))
    Path(times_file).write_text("\n".join(f"{t:.3f}" for t in times))
    return 0


class AnswerMaker:
    """Plausible answers to a wave's questions: each person leans one way
    (so constructs hang together), some questions are skipped, allocations
    favour a few owners."""

    def __init__(self, snapshot, rng):
        import numpy as np

        self.ones = np.ones
        self.questions = snapshot["questions"]
        self.rng = rng

    def make(self) -> dict:
        rng = self.rng
        lean = rng.normal()
        answers = {}
        for q in self.questions:
            if rng.random() < 0.03 and not q["required"]:
                continue
            kind = q["type"]
            if kind == "likert":
                value = (q["points"] + 1) / 2 + lean + rng.normal(scale=0.8)
                answers[q["id"]] = int(min(q["points"], max(1, round(value))))
            elif kind == "recommendation":
                answers[q["id"]] = int(
                    min(10, max(0, round(7 + 1.5 * lean + rng.normal())))
                )
            elif kind == "choice":
                answers[q["id"]] = int(
                    rng.integers(len(next(iter(q["choices"].values()))))
                )
            elif kind == "primary_owner":
                answers[q["id"]] = q["loci"][int(rng.integers(len(q["loci"])))]
            elif kind == "allocation":
                weights = rng.dirichlet(self.ones(len(q["loci"])) * 0.7)
                points = rng.multinomial(q["total"], weights)
                answers[q["id"]] = dict(zip(q["loci"], map(int, points), strict=True))
            elif kind == "free_text" and rng.random() < 0.1:
                answers[q["id"]] = "More time with customers, fewer hand-offs."
        return answers


# Serving -------------------------------------------------------------------


def serve(wave_id: int, repeat: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.urls import reverse

    from api.services import api_token_create
    from ownership import analytics
    from ownership.roles import HR_ANALYSTS
    from surveys.models import Wave

    wave = Wave.objects.get(pk=wave_id)
    user, _ = get_user_model().objects.get_or_create(username="bench.hr")
    user.groups.add(Group.objects.get(name=HR_ANALYSTS))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for name in PAGES:
        path = f"{reverse(name)}?wave={wave.pk}"
        if name == "ownership_results_trends":
            path = f"{reverse(name)}?survey={wave.survey_id}"
        measure(client, "page", path, repeat)
    for kind in analytics.KINDS:
        url = reverse("ownership_results_export", args=[kind, "csv"])
        measure(client, "page", f"{url}?wave={wave.pk}", repeat, export=True)

    _, key = api_token_create(user=user, name="bench.scale", scopes=["results:read"])
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {key}")
    for kind in analytics.KINDS:
        path = f"/api/v1/waves/{wave.pk}/{analytics.KINDS[kind].path}/"
        measure(api, "api", path, repeat)
        measure(api, "api", f"{path}?format=csv", repeat)
    measure(api, "api", f"/api/v1/trends/?survey={wave.survey_id}", repeat)


def measure(client, step: str, path: str, repeat: int, **extra) -> None:
    seconds, size, first = time_requests(client, path, repeat)
    emit(
        step=step,
        path=path,
        wall_s=round(first + sum(seconds), 3),
        peak_rss_mb=_own_peak(),
        first_ms=round(1000 * first, 1),
        p50_ms=round(1000 * statistics.median(seconds), 1),
        p95_ms=round(1000 * percentile(seconds, 0.95), 1),
        kb=round(size / 1024, 1),
        **extra,
    )


# Processes -----------------------------------------------------------------


def run_step(step: str, command: list[str], **extra) -> None:
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as said:
        process = subprocess.Popen(  # noqa: S603 - our own commands
            [sys.executable, *command], cwd=ROOT, stdout=said
        )
        peak = _wait(process)
        said.seek(0)
        output = said.read().strip().splitlines()
    emit(
        step=step,
        wall_s=round(time.perf_counter() - start, 2),
        peak_rss_mb=peak,
        **extra,
        said=output[-1] if output else "",
    )


def _wait(process: subprocess.Popen) -> float:
    """Wait for ``process`` and return its own peak resident memory in MB."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{process.args}: exit status {process.returncode}")
    return round(usage.ru_maxrss / 1024, 1)


def _own_peak() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


if __name__ == "__main__":
    sys.exit(main())
