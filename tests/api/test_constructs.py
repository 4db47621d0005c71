"""GET /api/v1/constructs/: what the Likert items measure, with the item bank."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error, assert_outsiders_refused

pytestmark = pytest.mark.django_db
URL = "/api/v1/constructs/"


def test_outsiders_are_refused(org, client_for, make_key, employee_user):
    assert_outsiders_refused(
        URL,
        client_for=client_for,
        make_key=make_key,
        employee_user=employee_user,
        needs="organisation:read",
    )


def test_constructs_with_citation_and_items(org_client):
    body = org_client.get(URL).json()
    slugs = [c["slug"] for c in body["results"]]
    assert "felt-responsibility" in slugs
    assert slugs == sorted(slugs) and len(slugs) == len(set(slugs))
    felt = next(c for c in body["results"] if c["slug"] == "felt-responsibility")
    assert felt["citation"] and felt["description"]
    assert felt["favourable_when"] in ("agree", "disagree")
    item_ids = {item["item_id"] for item in felt["items"]}
    assert {"FR-1", "FR-4"} <= item_ids
    fr4 = next(item for item in felt["items"] if item["item_id"] == "FR-4")
    assert fr4["reverse_keyed"] is True


def test_one_construct(org_client):
    body = org_client.get(f"{URL}felt-responsibility/").json()
    assert body["slug"] == "felt-responsibility"
    assert_error(org_client.get(f"{URL}no-such-construct/"), 404, "not_found")


def test_pagination(org_client):
    page = org_client.get(f"{URL}?page_size=2").json()
    assert len(page["results"]) == 2 and page["count"] > 2
