"""GET /api/v1/trends/?survey=&construct=: results wave by wave."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from ownership import analytics
from ownership.analytics.exports import report_rows
from ownership.models import AuditEntry, OrganisationEvent
from ownership.permissions import EVERYTHING
from tests.api.conftest import add_response, assert_error, assert_outsiders_refused
from tests.factories import publish

pytestmark = pytest.mark.django_db


def url(survey, suffix: str = "") -> str:
    return f"/api/v1/trends/?survey={survey.pk}{suffix}"


def expected(survey, construct=None):
    """The analytics report as JSON (DRF's encoder writes datetimes in ISO 8601)."""
    report = analytics.trends(survey, EVERYTHING, construct=construct)
    return json.loads(JSONRenderer().render(analytics.to_data(report))), report


def series(body) -> dict:
    return {(s["department"]["code"], s["construct"]): s for s in body["rows"]}


def test_outsiders_are_refused(wave, survey, client_for, make_key, employee_user):
    assert_outsiders_refused(
        url(survey),
        client_for=client_for,
        make_key=make_key,
        employee_user=employee_user,
    )


def test_same_numbers_as_the_report(wave, survey, results_client):
    response = results_client.get(url(survey))
    assert response.status_code == 200
    body = response.json()
    assert body == expected(survey)[0]
    assert [w["wave_id"] for w in body["waves"]] == [wave.pk]
    # The same figures as the wave's heatmap.
    heatmap = results_client.get(f"/api/v1/waves/{wave.pk}/heatmap/").json()
    claims = next(r for r in heatmap["rows"] if r["department"]["code"] == "CLM")
    cell = next(c for c in claims["cells"] if c["construct"] == "felt-responsibility")
    (point,) = series(body)[("CLM", "felt-responsibility")]["points"]
    assert point["mean"] == cell["mean"] and point["n"] == cell["n"] == 9


def test_construct_filter(wave, survey, results_client):
    body = results_client.get(url(survey, "&construct=nps")).json()
    assert body == expected(survey, "nps")[0]
    assert {s["construct"] for s in body["rows"]} == {"nps"}
    unknown = results_client.get(url(survey, "&construct=no-such-thing")).json()
    assert unknown["rows"] == []


def test_csv_is_the_trends_export(wave, survey, results_client):
    response = results_client.get(url(survey, "&format=csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, rows = report_rows("trends", expected(survey)[1])
    api_rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert api_rows == [header, *[[str(v) for v in row] for row in rows]]


def test_suppressed_points_are_never_present(wave, survey, results_client):
    body = results_client.get(url(survey)).json()
    for (code, _construct), item in series(body).items():
        if code == "CLM-MOT":
            assert all(p["suppressed"] for p in item["points"])
            assert all(p["n"] is None and p["mean"] is None for p in item["points"])
    reader = csv.DictReader(
        io.StringIO(results_client.get(url(survey, "&format=csv")).content.decode())
    )
    motor = [r for r in reader if r["department_code"] == "CLM-MOT"]
    assert motor and all(r["mean"] == "" and r["n"] == "" for r in motor)


def test_a_department_token_sees_its_subtree(wave, survey, make_key, client_for):
    sales = client_for(make_key("results:read", departments=["SAL"]))
    codes = {code for code, _ in series(sales.get(url(survey)).json())}
    assert codes == {None, "SAL"}


def test_events_are_included(wave, survey, results_client):
    OrganisationEvent.objects.create(
        date=timezone.localdate() - dt.timedelta(days=30),
        kind="cco_appointed",
        title="CCO appointed",
    )
    body = results_client.get(url(survey)).json()
    assert [e["title"] for e in body["events"]] == ["CCO appointed"]


def test_etag_follows_releases_and_events(wave, survey, results_client):
    first = results_client.get(url(survey))
    tag = first["ETag"]
    assert results_client.get(url(survey), HTTP_IF_NONE_MATCH=tag).status_code == 304
    add_response(wave)
    assert results_client.get(url(survey), HTTP_IF_NONE_MATCH=tag).status_code == 304
    publish(wave)
    second = results_client.get(url(survey), HTTP_IF_NONE_MATCH=tag)
    assert second.status_code == 200
    tag = second["ETag"]
    OrganisationEvent.objects.create(
        date=timezone.localdate(), kind="other", title="Reorganised"
    )
    assert results_client.get(url(survey), HTTP_IF_NONE_MATCH=tag).status_code == 200
    entries = AuditEntry.objects.filter(channel="api", report="trends")
    assert entries.count() == 5
    assert all(e.wave_id is None for e in entries)


def test_bad_survey_parameter(wave, results_client):
    assert_error(results_client.get("/api/v1/trends/"), 400, "required", "survey")
    assert_error(
        results_client.get("/api/v1/trends/?survey=424242"),
        404,
        "does_not_exist",
        "survey",
    )
    assert_error(
        results_client.get("/api/v1/trends/?survey=abc"), 400, "invalid", "survey"
    )
    huge = results_client.get("/api/v1/trends/?survey=99999999999999999999999")
    assert huge.status_code == 400
    long_construct = results_client.get(
        f"/api/v1/trends/?survey={wave.survey_id}&construct={'x' * 100}"
    )
    assert_error(long_construct, 400, "max_length", "construct")


def test_survey_without_opened_waves(survey, results_client):
    body = results_client.get(url(survey)).json()
    assert body["waves"] == [] and body["rows"] == []
