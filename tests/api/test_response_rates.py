"""GET /api/v1/waves/{id}/response-rates/: invitations and responses per department.

``manage.py report`` has no response-rates kind, so the API is compared with
the analytics report object the HR view renders, through ``to_data``.
"""

from __future__ import annotations

import csv
import io

import pytest

from ownership import analytics
from ownership.analytics.exports import report_rows
from ownership.models import AuditEntry
from ownership.permissions import EVERYTHING
from tests.api.conftest import add_response, assert_error, assert_outsiders_refused
from tests.factories import publish

pytestmark = pytest.mark.django_db


def url(wave, suffix: str = "") -> str:
    return f"/api/v1/waves/{wave.pk}/response-rates/{suffix}"


def rows(body) -> dict:
    return {row["department"]["code"]: row for row in body["rows"]}


def test_outsiders_are_refused(wave, client_for, make_key, employee_user):
    assert_outsiders_refused(
        url(wave), client_for=client_for, make_key=make_key, employee_user=employee_user
    )


def test_same_numbers_as_the_report(wave, results_client):
    body = results_client.get(url(wave)).json()
    assert body == analytics.to_data(
        analytics.report("response_rates", wave, EVERYTHING)
    )
    assert rows(body)[None]["invited"] == 17 and rows(body)[None]["responded"] == 15
    assert rows(body)["SAL"]["rate"] == pytest.approx(6 / 8)


def test_csv(wave, results_client):
    response = results_client.get(url(wave, "?format=csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, expected = report_rows(
        "response_rates", analytics.report("response_rates", wave, EVERYTHING)
    )
    api_rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert api_rows == [header, *[[str(v) for v in row] for row in expected]]


def test_suppressed_values_are_never_present(wave, results_client):
    motor = rows(results_client.get(url(wave)).json())["CLM-MOT"]
    assert motor == {
        "department": motor["department"],
        "invited": None,
        "responded": None,
        "rate": None,
        "suppressed": True,
    }
    reader = csv.DictReader(
        io.StringIO(results_client.get(url(wave, "?format=csv")).content.decode())
    )
    (line,) = [r for r in reader if r["department_code"] == "CLM-MOT"]
    assert (line["invited"], line["responded"], line["rate"]) == ("", "", "")


def test_a_department_token_sees_its_subtree(wave, make_key, client_for):
    sales = client_for(make_key("results:read", departments=["SAL"]))
    assert list(rows(sales.get(url(wave)).json())) == [None, "SAL"]


def test_etag_and_audit(wave, results_client):
    first = results_client.get(url(wave))
    assert (
        results_client.get(url(wave), HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    add_response(wave)
    assert (
        results_client.get(url(wave), HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    publish(wave)
    second = results_client.get(url(wave), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    # One new respondent is fewer than k: release 2 keeps release 1's figures.
    assert second.json()["release"] == 2
    assert rows(second.json())[None]["responded"] == 15
    assert (
        AuditEntry.objects.filter(channel="api", report="response_rates").count() == 4
    )


def test_unknown_and_draft_waves(draft_wave, results_client):
    assert_error(
        results_client.get("/api/v1/waves/424242/response-rates/"), 404, "not_found"
    )
    assert_error(results_client.get(url(draft_wave)), 409, "wave_not_opened")
