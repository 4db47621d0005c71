"""Every answer carries a Content-Security-Policy: strict outside the admin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, set[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: set(values)
        for name, *values in (
            part.split() for part in policy.split(";") if part.strip()
        )
    }


@pytest.mark.parametrize(
    "path", ["/", "/s/not-a-link/", "/api/v1/loci/", "/api/v1/schema/"]
)
def test_the_site_the_form_and_the_api_allow_no_inline_code(client, path):
    policy = directives(client.get(path))
    assert policy["default-src"] == {"'self'"}
    assert policy["script-src"] == {"'self'"}
    assert policy["style-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'self'"}
    assert not any("'unsafe-inline'" in values for values in policy.values())


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_the_admin_and_the_api_docs_allow_their_inline_code_and_no_other_host(
    client, path
):
    policy = directives(client.get(path))
    assert policy["script-src"] == {"'self'", "'unsafe-inline'"}
    assert policy["style-src"] == {"'self'", "'unsafe-inline'"}
    for values in policy.values():
        assert not any(v.startswith(("http:", "https:", "*")) for v in values)
