"""GET /api/v1/waves/{id}/concentration/: responsibility concentration."""

from __future__ import annotations

import csv
import io

import pytest
from rest_framework.test import APIClient

from ownership.models import AuditEntry
from tests.api.conftest import (
    add_response,
    assert_error,
    assert_outsiders_refused,
    command_report,
)
from tests.factories import publish

pytestmark = pytest.mark.django_db

FIGURES = (
    "n",
    "n_allocation",
    "designated_share",
    "designated_low",
    "designated_high",
    "distributed_share",
    "mean_hhi",
    "hhi_of_mean",
    "n_primary_owner",
)


def url(wave, suffix: str = "") -> str:
    return f"/api/v1/waves/{wave.pk}/concentration/{suffix}"


def rows(body) -> dict:
    return {row["department"]["code"]: row for row in body["rows"]}


def test_outsiders_are_refused(wave, client_for, make_key, employee_user):
    assert_outsiders_refused(
        url(wave), client_for=client_for, make_key=make_key, employee_user=employee_user
    )


def test_same_numbers_as_manage_py_report(wave, results_client):
    response = results_client.get(url(wave))
    assert response.status_code == 200
    assert response.json() == command_report("concentration", wave)


def test_csv_is_the_same_table_as_manage_py_report(wave, results_client):
    response = results_client.get(url(wave, "?format=csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    api_rows = list(csv.reader(io.StringIO(response.content.decode())))
    expected = command_report("concentration", wave, "csv")
    assert api_rows == list(csv.reader(io.StringIO(expected)))


def test_suppressed_values_are_never_present(wave, results_client):
    body = results_client.get(url(wave)).json()
    motor = rows(body)["CLM-MOT"]
    assert motor["suppressed"] is True
    assert all(motor[key] is None for key in FIGURES)
    assert all(share["mean_share"] is None for share in motor["shares"])
    assert all(owner["share"] is None for owner in motor["primary_owner"])
    csv_text = results_client.get(url(wave, "?format=csv")).content.decode()
    reader = csv.DictReader(io.StringIO(csv_text))
    motor_rows = [r for r in reader if r["department_code"] == "CLM-MOT"]
    assert motor_rows
    for row in motor_rows:
        assert row["row_suppressed"] == "true"
        for key in ("row_n", "n_allocation", "designated_share", "mean_share"):
            assert row[key] == ""


def test_a_department_token_sees_its_subtree_and_no_lorenz_curve(
    wave, make_key, client_for
):
    sales = client_for(make_key("results:read", departments=["SAL"]))
    body = sales.get(url(wave)).json()
    assert list(rows(body)) == [None, "SAL"]
    # Comparing departments across the organisation is not for a scoped view.
    assert body["lorenz"] is None and body["gini"] is None
    full = rows(command_report("concentration", wave))
    assert rows(body)["SAL"]["designated_share"] == full["SAL"]["designated_share"]


def test_department_heads_session(wave, department_head):
    client = APIClient()
    client.force_login(department_head)
    assert list(rows(client.get(url(wave)).json())) == [None, "CLM", "CLM-MOT"]


def test_etag_and_audit(wave, results_client):
    first = results_client.get(url(wave))
    assert (
        results_client.get(url(wave), HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    # A new response changes nothing until the next release exists.
    add_response(wave)
    assert (
        results_client.get(url(wave), HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    publish(wave)
    assert (
        results_client.get(url(wave), HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 200
    )
    assert AuditEntry.objects.filter(channel="api", report="concentration").count() == 4


def test_unknown_and_draft_waves(draft_wave, results_client):
    assert_error(
        results_client.get("/api/v1/waves/424242/concentration/"), 404, "not_found"
    )
    assert_error(results_client.get(url(draft_wave)), 409, "wave_not_opened")
