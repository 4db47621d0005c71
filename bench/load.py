"""Benchmark: submissions under load, through the production server.

Run ``python -m bench.load --clients 50 --seconds 60`` with ``DATABASE_URL``
naming the database (PostgreSQL; the figures mean little on SQLite) and
``REDIS_URL`` the cache (default ``redis://127.0.0.1:6379/0``). It

1. finds an open wave with enough unanswered invitations, or opens one (and,
   on an empty database, first loads an organisation with ``import_org``);
2. starts the production server itself (gunicorn with ``cms/gunicorn.conf.py``
   and the production settings) on a free loopback port;
3. lets ``--clients`` clients submit for ``--seconds`` (at most
   ``--max-submissions`` in all): half of them through the respondent's HTML
   form (GET the page, then POST it with its CSRF token, as a browser behind a
   TLS proxy would), half through ``POST /api/v1/responses/`` with a token;
   one submission in a hundred repeats a used link, which must be refused;
4. stops the server and counts in the database what was stored.

It prints one JSON line with ``step: "load"``, ``submissions_per_s``,
``p50_ms`` and ``p99_ms`` (per submission: for the form, the page and the
answer together), ``lost`` (acknowledged, yet no response stored) and
``duplicated`` (more responses than used links, or a repeated link
accepted), and the same figures per channel.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.releases import emit, percentile
from bench.scale import ROOT, AnswerMaker, write_organisation

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-submissions", type=int, default=40_000)
    parser.add_argument(
        "--channel",
        choices=("both", "form", "api"),
        default="both",
        help="how clients submit (default: half each)",
    )
    parser.add_argument("--workers", type=int, help="gunicorn processes")
    parser.add_argument("--threads", type=int, help="threads per gunicorn process")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to the database to load (PostgreSQL).")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    wave, tokens = unanswered_links(args.max_submissions, args.seed)
    key = api_key()
    before = stored(wave.pk)

    port = free_port()
    static = Path(tempfile.mkdtemp(prefix="bench-load-static-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "INVITATION_TOKEN_KEY": settings.INVITATION_TOKEN_KEY or settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(static),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        # One key submits for many people from one address here, as a trusted
        # integration would; the per-key and per-address limits are off.
        "API_THROTTLE_TOKEN": "none",
        "API_THROTTLE_RESPONSES": "none",
        "SURVEY_LINK_RATE_LIMIT": "1000000",
    }
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603 - the installed gunicorn, our config
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "cms/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(port, server)
        result = run_clients(args, port, wave, tokens, key)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    result.update(count(wave, result.pop("acknowledged"), before))
    emit(step="load", **result)
    return 0


# The wave and its links ----------------------------------------------------


def unanswered_links(needed: int, seed: int):
    """An open wave and ``needed`` of its unused links (fewer if it has fewer
    and no more people can be invited); opens a wave if none has enough."""
    from ownership.models import Department, Employee
    from surveys.models import Invitation, Wave, unanswered
    from surveys.services import invitations_issue

    for wave in Wave.objects.open().order_by("-frozen_at"):
        links = [i.token for i in unanswered(Invitation.objects.filter(wave=wave))]
        if len(links) >= needed:
            return wave, links[:needed]
    if Employee.objects.filter(is_active=True).count() < needed:
        from django.core.management import call_command

        if Employee.objects.exists():
            raise SystemExit(
                f"No open wave has {needed} unanswered invitations and the "
                "organisation is too small to open one; lower --max-submissions."
            )
        folder = Path(tempfile.mkdtemp(prefix="bench-load-org-"))
        write_organisation(folder / "organisation.csv", needed, seed)
        call_command("import_org", str(folder / "organisation.csv"), verbosity=0)
    from bench.scale import open_wave

    wave = Wave.objects.get(pk=open_wave("Load pulse"))
    wave.audience.set(Department.get_root_nodes())
    invitations_issue(wave=wave, send=False)
    links = [i.token for i in unanswered(Invitation.objects.filter(wave=wave))]
    return wave, links[:needed]


def api_key() -> str:
    from django.contrib.auth import get_user_model

    from api.services import api_token_create

    user, _ = get_user_model().objects.get_or_create(username="bench.load")
    _, key = api_token_create(user=user, name="bench.load", scopes=["responses:write"])
    return key


def stored(wave_id: int) -> int:
    from surveys.models import Response

    return Response.objects.filter(wave_id=wave_id).count()


def count(wave, acknowledged: list[str], before: int) -> dict:
    """What the database holds afterwards: every acknowledged link spent, and
    exactly one response per spent link."""
    from surveys.models import SpentToken
    from surveys.models.responses import spent_hash

    digests = [spent_hash(token) for token in acknowledged]
    found = set()
    for start in range(0, len(digests), 5000):
        found |= set(
            SpentToken.objects.filter(
                digest__in=digests[start : start + 5000]
            ).values_list("digest", flat=True)
        )
    new_responses = stored(wave.pk) - before
    return {
        "stored": new_responses,
        "lost": len(set(digests) - found),
        "duplicated": max(0, new_responses - len(set(acknowledged)))
        + (len(acknowledged) - len(set(acknowledged))),
    }


# The server ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit status {server.returncode})")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/s/not-a-link/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within a minute")


# The clients ---------------------------------------------------------------


class Client:
    """One respondent's browser, or one external tool, on a kept-alive
    connection."""

    def __init__(self, port: int, key: str):
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.key = key
        self.connection = None

    def request(self, method, path, body=None, headers=()):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60
                )
            try:
                self.connection.request(method, path, body=body, headers=dict(headers))
                response = self.connection.getresponse()
                return response, response.read()
            except (http.client.RemoteDisconnected, ConnectionError):
                # The server closed a kept-alive connection; open another.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def by_form(self, token: str, answers: dict, snapshot: dict) -> int:
        proxy = {"X-Forwarded-Proto": "https", "Host": self.host}
        page, html = self.request("GET", f"/s/{token}/?lang=en", headers=proxy)
        if page.status != 200:
            return page.status
        cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
        field = CSRF_FIELD.search(html)
        if field is None and b"already answered" in html:
            return 409  # the page of a used link, which has no form
        if cookie is None or field is None:
            return -1
        post = {"csrfmiddlewaretoken": field.group(1).decode(), "language": "en"}
        post.update(form_fields(snapshot, answers))
        answer, _ = self.request(
            "POST",
            f"/s/{token}/",
            body=urlencode(post),
            headers={
                **proxy,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie.group(1)}",
                "Referer": f"https://{self.host}/s/{token}/?lang=en",
            },
        )
        return answer.status

    def by_api(self, token: str, answers: dict) -> int:
        answer, _ = self.request(
            "POST",
            "/api/v1/responses/",
            body=json.dumps({"token": token, "answers": answers}),
            headers={
                "Host": self.host,
                "X-Forwarded-Proto": "https",
                "Content-Type": "application/json",
                "Authorization": f"Token {self.key}",
            },
        )
        return answer.status


def form_fields(snapshot: dict, answers: dict) -> dict:
    from surveys.form import field_name

    fields = {}
    for question_id, value in answers.items():
        if isinstance(value, dict):
            for slug, points in value.items():
                fields[field_name(question_id, slug)] = str(points)
        else:
            fields[field_name(question_id)] = str(value)
    return fields


def run_clients(args, port: int, wave, tokens: list[str], key: str) -> dict:
    import numpy as np

    snapshot = wave.snapshot
    queue = collections.deque(tokens)
    spent: list[str] = []
    lock = threading.Lock()
    acknowledged: list[str] = []
    times: dict[str, list[float]] = {"form": [], "api": []}
    refused_again = {"asked": 0, "refused": 0}
    failures: collections.Counter = collections.Counter()
    deadline = time.monotonic() + args.seconds
    channels = {"both": ("form", "api"), "form": ("form",), "api": ("api",)}[
        args.channel
    ]

    def work(number: int) -> None:
        rng = np.random.default_rng(args.seed + number)
        maker = AnswerMaker(snapshot, rng)
        client = Client(port, key)
        channel = channels[number % len(channels)]
        while time.monotonic() < deadline:
            again = False
            with lock:
                if spent and rng.random() < 0.01:
                    token, again = spent[int(rng.integers(len(spent)))], True
                elif queue:
                    token = queue.popleft()
                else:
                    return
            answers = maker.make()
            start = time.perf_counter()
            if channel == "form":
                status = client.by_form(token, answers, snapshot)
            else:
                status = client.by_api(token, answers)
            took = 1000 * (time.perf_counter() - start)
            with lock:
                if again:
                    refused_again["asked"] += 1
                    refused_again["refused"] += status == 409
                    if status in (201, 302):
                        acknowledged.append(token)
                    elif status != 409:
                        failures[f"{channel} repeated {status}"] += 1
                elif status in (201, 302):
                    acknowledged.append(token)
                    spent.append(token)
                    times[channel].append(took)
                else:
                    failures[f"{channel} {status}"] += 1

    start = time.monotonic()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    every = times["form"] + times["api"]
    result = {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "submissions": len(every),
        "submissions_per_s": round(len(every) / elapsed, 1),
        "p50_ms": round(statistics.median(every), 1) if every else None,
        "p99_ms": round(percentile(every, 0.99), 1) if every else None,
        "repeated_links": refused_again["asked"],
        "repeated_links_refused": refused_again["refused"],
        "failures": dict(failures),
        "acknowledged": acknowledged,
    }
    for channel, values in times.items():
        if values:
            result[channel] = {
                "submissions": len(values),
                "submissions_per_s": round(len(values) / elapsed, 1),
                "p50_ms": round(statistics.median(values), 1),
                "p99_ms": round(percentile(values, 0.99), 1),
            }
    return result


if __name__ == "__main__":
    sys.exit(main())
