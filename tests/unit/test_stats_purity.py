"""The statistics library must not pull in Django or any of our apps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys, pkgutil, importlib
import ownership.stats as stats
for info in pkgutil.walk_packages(stats.__path__, "ownership.stats."):
    importlib.import_module(info.name)
FORBIDDEN = {"django", "wagtail", "rest_framework", "surveys", "cms", "api"}
OURS = {"ownership.models", "ownership.analytics", "ownership.services"}
bad = sorted(m for m in sys.modules if m.split(".")[0] in FORBIDDEN or m in OURS)
print("\\n".join(bad))
sys.exit(1 if bad else 0)
"""


def test_importing_stats_imports_no_django():
    # A fresh interpreter: this test process has Django loaded already.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"stats imported: {result.stdout}{result.stderr}"
