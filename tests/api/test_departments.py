"""GET /api/v1/departments/: the tree, without employee data."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import assert_error, assert_outsiders_refused
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/departments/"


def test_outsiders_are_refused(org, client_for, make_key, employee_user):
    assert_outsiders_refused(
        URL,
        client_for=client_for,
        make_key=make_key,
        employee_user=employee_user,
        needs="organisation:read",
    )


def test_the_tree_in_order(org, org_client):
    EmployeeFactory.create_batch(3, department=org["sales"])
    response = org_client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4 and body["next"] is None
    assert body["results"] == [
        {
            "code": "BOARD",
            "name": "Board",
            "parent_code": None,
            "is_customer_facing": False,
            "depth": 1,
        },
        {
            "code": "CLM",
            "name": "Claims",
            "parent_code": "BOARD",
            "is_customer_facing": False,
            "depth": 2,
        },
        {
            "code": "CLM-MOT",
            "name": "Motor Claims",
            "parent_code": "CLM",
            "is_customer_facing": False,
            "depth": 3,
        },
        {
            "code": "SAL",
            "name": "Sales",
            "parent_code": "BOARD",
            "is_customer_facing": False,
            "depth": 2,
        },
    ]
    text = response.content.decode()
    for word in ("employee", "email", "@example.com", "external_id"):
        assert word not in text


def test_results_read_is_enough(org, results_client):
    assert results_client.get(URL).status_code == 200


def test_one_department_by_code(org, org_client):
    body = org_client.get(f"{URL}CLM-MOT/").json()
    assert body["parent_code"] == "CLM" and body["name"] == "Motor Claims"
    assert_error(org_client.get(f"{URL}NOPE/"), 404, "not_found")


def test_codes_with_dots_work(org, org_client):
    DepartmentFactory(code="IT.OPS", name="IT operations", parent=org["board"])
    assert org_client.get(f"{URL}IT.OPS/").json()["name"] == "IT operations"


def test_a_department_token_lists_its_subtree(org, make_key, client_for):
    claims = client_for(make_key("organisation:read", departments=["CLM"]))
    codes = [d["code"] for d in claims.get(URL).json()["results"]]
    assert codes == ["CLM", "CLM-MOT"]
    assert_error(claims.get(f"{URL}SAL/"), 404, "not_found")


def test_department_head_session(org, department_head):
    client = APIClient()
    client.force_login(department_head)
    codes = [d["code"] for d in client.get(URL).json()["results"]]
    assert codes == ["CLM", "CLM-MOT"]


def test_pagination(org, org_client):
    for i in range(5):
        DepartmentFactory(code=f"X{i}", name=f"Extra {i}", parent=org["board"])
    first = org_client.get(f"{URL}?page_size=3").json()
    assert first["count"] == 9 and len(first["results"]) == 3
    assert "page=2" in first["next"] and first["previous"] is None
    third = org_client.get(f"{URL}?page_size=3&page=3").json()
    assert len(third["results"]) == 3 and third["next"] is None
    assert_error(org_client.get(f"{URL}?page=99"), 404, "not_found")
    assert_error(org_client.get(f"{URL}?page=abc"), 404, "not_found")
    # A page size beyond the maximum is capped, not an error.
    assert len(org_client.get(f"{URL}?page_size=100000").json()["results"]) == 9
