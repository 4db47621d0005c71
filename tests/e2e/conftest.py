"""Real-browser end-to-end tests: Playwright driving Debian's Chromium.

The browser is never downloaded: CI installs Debian's ``chromium`` package and
the tests fail (not skip) without it. The Django server is pytest-django's live
server, pinned to 127.0.0.1.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = "127.0.0.1"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# An iPhone-sized phone (CSS pixels), with touch and a German browser.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "de-DE",
}


@pytest.fixture(scope="module", autouse=True)
def _migrated_database(migrated_database) -> None:
    """Each e2e module starts from, and leaves, the database as migrations made
    it (see ``migrated_database`` in tests/conftest.py): the tests are
    transactional, as the live server has its own thread."""


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest):
    """pytest-django's live server, bound to 127.0.0.1 only.

    pytest-django falls back to ``localhost``, which may resolve to other
    interfaces. ``--liveserver`` and ``DJANGO_LIVE_TEST_SERVER_ADDRESS`` still
    work to choose a port (``127.0.0.1:8081``); any other host is refused.
    """
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or LOOPBACK
    )
    if address.partition(":")[0] != LOOPBACK:
        pytest.fail(
            f"The e2e live server binds {LOOPBACK} only; got {address!r} from "
            "--liveserver or DJANGO_LIVE_TEST_SERVER_ADDRESS.",
            pytrace=False,
        )
    server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator:
    """Headless Chromium from Debian's package, with a fresh temporary profile.

    Playwright's sync API keeps an asyncio loop running in the main thread for
    as long as it lives. Two things in Django notice: its async-safety guard
    would refuse every ORM call of the tests, and its connection handler (an
    asgiref ``Local``) switches from thread-local to context-local storage, so
    the tests would get fresh connections that lack the test database's
    serialized seed data (``serialized_rollback``) and are never closed. Both
    are undone here, for the browser's lifetime only; hence the dependency on
    ``django_db_setup``: the test databases must exist before Playwright starts.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing. The end-to-end tests use Debian's Chromium and "
            "never download a browser: run `apt-get update && apt-get install -y "
            "chromium` (as root).",
            pytrace=False,
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    test_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            for alias, connection in test_connections.items():
                connections[alias] = connection
            # launch() starts from a new temporary user-data directory.
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


def watch(context, errors: list[str]) -> None:
    """Collect, in ``errors``, every uncaught JavaScript error of the
    context's pages and everything the Content-Security-Policy blocked."""
    context.on("weberror", lambda web_error: errors.append(str(web_error.error)))

    def console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(message.text)

    context.on("console", console)


@pytest.fixture
def phone_page(browser, live_server) -> Iterator:
    """A page in a fresh phone-sized context; relative URLs go to the live server.

    Fails the test if any page of the context raised an uncaught JavaScript
    error or broke the Content-Security-Policy.
    """
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    js_errors: list[str] = []
    watch(context, js_errors)
    page = context.new_page()
    yield page
    context.close()
    assert not js_errors, f"JavaScript errors: {js_errors}"


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """``screenshot(page, "name")`` saves tests/e2e/artifacts/name.png (full page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str, *, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name.removesuffix('.png')}.png"
        if full_page:
            # From the top, so that sticky elements sit where they belong.
            page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    return save
