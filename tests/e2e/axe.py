"""axe-core (from npm, see package.json) in the browser tests: serious and
critical accessibility problems fail a test."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def require_axe() -> Path:
    """axe-core from npm; a test that needs it fails (not skips) without it."""
    if not AXE.is_file():
        pytest.fail(
            f"{AXE.relative_to(ROOT)} is missing: run `npm ci` (or `make "
            "install-dev`) in the project root to install axe-core from "
            "package-lock.json.",
            pytrace=False,
        )
    return AXE


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the whole page, Wagtail's admin chrome included."""
    page.add_script_tag(path=str(require_axe()))
    result = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return {
                passes: results.passes.length,
                violations: results.violations.map(v => ({
                    id: v.id,
                    impact: v.impact,
                    help: v.help,
                    targets: v.nodes.map(node => node.target.join(" ")),
                })),
            };
        }"""
    )
    # Guards against checking an empty or half-loaded page.
    assert result["passes"] >= 20, f"axe-core checked almost nothing: {result}"
    return result["violations"]


def assert_accessible(page) -> None:
    """No serious or critical axe-core violations on the page."""
    severe = [v for v in axe_violations(page) if v["impact"] in SEVERE]
    assert not severe, f"axe-core on {page.url}:\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["targets"])
        for v in severe
    )


SEVERE = ("serious", "critical")


def assert_page_accessible(browser, url: str, **context) -> None:
    """axe-core on ``url`` in a context of its own (``context``: Playwright's
    options, e.g. a phone's) that lets the injected axe script run past the
    page's Content-Security-Policy, which stays enforced everywhere else."""
    isolated = browser.new_context(bypass_csp=True, **context)
    try:
        page = isolated.new_page()
        page.goto(url)
        assert_accessible(page)
    finally:
        isolated.close()
