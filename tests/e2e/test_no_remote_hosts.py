"""Nothing the product serves makes the browser call another host, and
nothing it serves breaks its own Content-Security-Policy."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import watch
from tests.factories import PASSWORD, UserFactory

# Transactional, as the live server runs in another thread (see conftest.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
PAGES = (
    "/",
    "/s/not-a-link/",
    "/admin/",
    "/admin/results/heatmap/",
    "/admin/surveys/wave/",
    "/api/v1/docs/",
    "/api/v1/redoc/",
)


def test_pages_load_nothing_from_other_hosts(browser, live_server):
    UserFactory(username="ada.admin", is_staff=True, is_superuser=True)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    server = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []

    def check(route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.netloc == server:
            route.continue_()
        else:
            elsewhere.append(f"{route.request.frame.url} → {url}")
            route.abort()

    context.route("**/*", check)
    blocked: list[str] = []
    watch(context, blocked)
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").press_sequentially("ada.admin")
    page.get_by_label("Password").press_sequentially(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    for path in PAGES:
        page.goto(path, wait_until="networkidle")
    # ReDoc and Swagger UI render the schema: wait until they have.
    page.goto("/api/v1/redoc/", wait_until="networkidle")
    page.wait_for_selector("h1, h2", timeout=15_000)
    context.close()
    assert not elsewhere, "requests to other hosts:\n" + "\n".join(elsewhere)
    # ReDoc's bundle asks for its logo from cdn.redoc.ly; the policy exists to
    # stop exactly that. Anything else blocked is a page breaking its policy.
    unexpected = [b for b in blocked if REDOC_LOGO not in b]
    assert not unexpected, "blocked by the policy:\n" + "\n".join(unexpected)
