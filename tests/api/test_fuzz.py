"""The whole API under schemathesis' CLI, as a client would meet it: every
check, every phase (examples, coverage, fuzzing, stateful), 100 examples per
operation, over HTTP against a live server.

No response may be a server error, break the schema (status, content type,
headers, body), accept input the schema forbids or refuse input it allows.
The configuration is ``tests/api/schemathesis.toml``; CSV bodies are checked
through ``tests/api/schemathesis_hooks.py``. A failure prints schemathesis'
report, with a ``curl`` line for each problem.

It takes about four minutes, so it runs on its own: ``make fuzz`` (CI runs
it after ``make test``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import ALL_SCOPES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.fuzz]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CLI = Path(sys.executable).with_name("schemathesis")


def test_schemathesis_finds_nothing(
    live_server, wave, survey, make_key, generous_rates
):
    key = make_key(*ALL_SCOPES)
    command = [
        str(CLI),
        "--no-color",
        "--config-file",
        str(HERE / "schemathesis.toml"),
        "run",
        f"{live_server.url}/api/v1/schema/?format=json",
        "--url",
        live_server.url,
        "--header",
        f"Authorization: Token {key}",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        "100",
        "--workers",
        "1",
        "--seed",
        "20261125",
    ]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
        "PYTHONPATH": str(ROOT),
    }
    run = subprocess.run(  # noqa: S603 - our own CLI, arguments built here
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200
    )
    report = run.stdout + run.stderr
    print(report[-3000:])
    assert run.returncode == 0, report[-12000:]
    # Every phase ran and every operation was tested.
    assert "Tested: 25" in report
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in report, phase
