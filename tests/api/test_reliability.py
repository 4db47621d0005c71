"""GET /api/v1/waves/{id}/reliability/: reliability and agreement."""

from __future__ import annotations

import csv
import io

import pytest

from ownership.models import AuditEntry
from tests.api.conftest import (
    add_response,
    assert_error,
    assert_outsiders_refused,
    command_report,
)
from tests.factories import publish

pytestmark = pytest.mark.django_db


def url(wave, suffix: str = "") -> str:
    return f"/api/v1/waves/{wave.pk}/reliability/{suffix}"


def agreement(body) -> dict:
    return {row["department"]["code"]: row for row in body["rows"]}


def test_outsiders_are_refused(wave, client_for, make_key, employee_user):
    assert_outsiders_refused(
        url(wave), client_for=client_for, make_key=make_key, employee_user=employee_user
    )


def test_same_numbers_as_manage_py_report(wave, results_client):
    response = results_client.get(url(wave))
    assert response.status_code == 200
    body = response.json()
    assert body == command_report("reliability", wave)
    assert body["n"] == 15
    assert [c["construct"] for c in body["constructs"]] == ["felt-responsibility"]


def test_csv_is_the_same_table_as_manage_py_report(wave, results_client):
    response = results_client.get(url(wave, "?format=csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    api_rows = list(csv.reader(io.StringIO(response.content.decode())))
    expected = command_report("reliability", wave, "csv")
    assert api_rows == list(csv.reader(io.StringIO(expected)))


def test_suppressed_agreement_is_never_present(wave, results_client):
    motor = agreement(results_client.get(url(wave)).json())["CLM-MOT"]
    assert all(c["suppressed"] and c["rwg_j"] is None for c in motor["cells"])
    reader = csv.DictReader(
        io.StringIO(results_client.get(url(wave, "?format=csv")).content.decode())
    )
    motor_rows = [r for r in reader if r["department_code"] == "CLM-MOT"]
    assert motor_rows and all(r["rwg_j"] == "" for r in motor_rows)


def test_a_department_token_sees_its_subtree(wave, make_key, client_for):
    claims = client_for(make_key("results:read", departments=["CLM"]))
    body = claims.get(url(wave)).json()
    assert list(agreement(body)) == [None, "CLM", "CLM-MOT"]


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
    assert AuditEntry.objects.filter(channel="api", report="reliability").count() == 4


def test_unknown_and_draft_waves(draft_wave, results_client):
    assert_error(
        results_client.get("/api/v1/waves/424242/reliability/"), 404, "not_found"
    )
    assert_error(results_client.get(url(draft_wave)), 409, "wave_not_opened")
