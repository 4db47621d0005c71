"""GET /api/v1/loci/: where responsibility can sit."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error, assert_outsiders_refused

pytestmark = pytest.mark.django_db
URL = "/api/v1/loci/"


def test_outsiders_are_refused(org, client_for, make_key, employee_user):
    assert_outsiders_refused(
        URL,
        client_for=client_for,
        make_key=make_key,
        employee_user=employee_user,
        needs="organisation:read",
    )


def test_default_language_loci_in_order(org_client):
    body = org_client.get(URL).json()
    slugs = [locus["slug"] for locus in body["results"]]
    assert body["count"] == len(slugs) == len(set(slugs))  # one row per locus
    assert {"me", "team", "cco", "customer-service", "nobody"} <= set(slugs)
    kinds = {locus["slug"]: locus["kind"] for locus in body["results"]}
    assert kinds["cco"] == "designated" and kinds["me"] == "distributed"
    orders = [locus["sort_order"] for locus in body["results"]]
    assert orders == sorted(orders)
    assert set(body["results"][0]) == {"slug", "name", "kind", "sort_order"}


def test_one_locus(org_client):
    assert org_client.get(f"{URL}cco/").json()["kind"] == "designated"
    assert_error(org_client.get(f"{URL}nowhere/"), 404, "not_found")


def test_pagination(org_client):
    page = org_client.get(f"{URL}?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"]
