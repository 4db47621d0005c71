"""GET /api/v1/waves/{id}/heatmap/: the heatmap, as manage.py report prints it."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils.http import http_date
from rest_framework.test import APIClient

from ownership import analytics
from ownership.models import AuditEntry
from ownership.permissions import EVERYTHING
from tests.api.conftest import (
    add_response,
    assert_error,
    assert_outsiders_refused,
    command_report,
)
from tests.factories import publish

pytestmark = pytest.mark.django_db


def url(wave, suffix: str = "") -> str:
    return f"/api/v1/waves/{wave.pk}/heatmap/{suffix}"


def rows(body) -> dict:
    return {row["department"]["code"]: row for row in body["rows"]}


def test_outsiders_are_refused(wave, client_for, make_key, employee_user):
    assert_outsiders_refused(
        url(wave), client_for=client_for, make_key=make_key, employee_user=employee_user
    )
    assert not AuditEntry.objects.filter(channel="api").exists()


def test_same_numbers_as_manage_py_report(wave, results_client):
    response = results_client.get(url(wave))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == command_report("heatmap", wave)


def test_csv_is_the_same_table_as_manage_py_report(wave, results_client):
    response = results_client.get(url(wave, "?format=csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    api_rows = list(csv.reader(io.StringIO(response.content.decode())))
    command_rows = list(csv.reader(io.StringIO(command_report("heatmap", wave, "csv"))))
    assert api_rows == command_rows
    assert api_rows[0][0] == "department_code"  # no comment lines before the header


def test_accept_header_also_selects_csv(wave, results_client):
    response = results_client.get(url(wave), HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response.content.startswith(b"department_code,")


def test_suppressed_values_are_never_present(wave, results_client):
    body = results_client.get(url(wave)).json()
    motor = rows(body)["CLM-MOT"]
    assert motor["suppressed"] is True and motor["n"] is None
    for cell in motor["cells"]:
        assert cell["suppressed"] is True
        for key in ("n", "mean", "favourable", "favourable_low", "favourable_high"):
            assert cell[key] is None
        assert cell["favourable_band"] is None and cell["delta"] is None
    # Motor's own figures (mean 26/6 of felt responsibility, NPS +400/6) appear
    # nowhere, neither in the JSON nor in the CSV.
    text = results_client.get(url(wave)).content.decode()
    csv_text = results_client.get(url(wave, "?format=csv")).content.decode()
    for secret in ("4.333", "66.66"):
        assert secret not in text and secret not in csv_text
    motor_lines = [line for line in csv_text.splitlines() if line.startswith("CLM-MOT")]
    assert motor_lines
    for line in csv.reader(motor_lines):
        assert line[4] == "" and line[5] == "true"  # row_n empty, row suppressed
        assert all(value == "" for value in line[7:12])  # n, mean, favourable ...


def test_a_department_token_sees_its_subtree_and_the_organisation(
    wave, make_key, client_for
):
    claims = client_for(make_key("results:read", departments=["CLM"]))
    body = claims.get(url(wave)).json()
    assert list(rows(body)) == [None, "CLM", "CLM-MOT"]
    full = rows(command_report("heatmap", wave))
    # The same (suppressed) figures as the full report, only fewer rows.
    assert rows(body)["CLM"] == full["CLM"]
    assert rows(body)["CLM-MOT"]["suppressed"] is True

    sales = client_for(make_key("results:read", departments=["SAL"]))
    assert list(rows(sales.get(url(wave)).json())) == [None, "SAL"]
    csv_text = sales.get(url(wave, "?format=csv")).content.decode()
    codes = {line[0] for line in csv.reader(io.StringIO(csv_text))}
    assert codes == {"department_code", "", "SAL"}


def test_session_users_see_what_their_role_allows(wave, hr_analyst, department_head):
    client = APIClient()
    client.force_login(hr_analyst)
    assert client.get(url(wave)).json() == command_report("heatmap", wave)
    client.force_login(department_head)
    assert list(rows(client.get(url(wave)).json())) == [None, "CLM", "CLM-MOT"]


def test_every_request_is_audited(wave, results_client):
    results_client.get(url(wave))
    results_client.get(url(wave, "?format=csv"))
    entries = AuditEntry.objects.filter(channel="api").order_by("created_at", "pk")
    assert [(e.action, e.report, e.wave_id) for e in entries] == [
        ("view", "heatmap", wave.pk),
        ("export-csv", "heatmap", wave.pk),
    ]
    assert all(e.user.username == "hana.hr" for e in entries)
    assert "token co_" in entries[0].detail


def test_etag_gives_304_until_a_new_release(wave, results_client):
    first = results_client.get(url(wave))
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]
    assert "private" in first["Cache-Control"]

    again = results_client.get(url(wave), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    since = results_client.get(url(wave), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert AuditEntry.objects.filter(action="not-modified").count() == 2

    add_response(wave)
    assert results_client.get(url(wave), HTTP_IF_NONE_MATCH=etag).status_code == 304
    publish(wave)
    changed = results_client.get(url(wave), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["release"] == 2 and changed.json()["provisional"] is True
    # One new respondent is fewer than k: every figure stays as release 1 had it.
    assert rows(changed.json())[None]["n"] == 15
    assert changed.json()["rows"] == first.json()["rows"]
    assert (
        results_client.get(url(wave), HTTP_IF_NONE_MATCH=changed["ETag"]).status_code
        == 304
    )


def test_etag_differs_by_format_and_scope(wave, results_client, make_key, client_for):
    json_tag = results_client.get(url(wave))["ETag"]
    csv_tag = results_client.get(url(wave, "?format=csv"))["ETag"]
    sales = client_for(make_key("results:read", departments=["SAL"]))
    scoped_tag = sales.get(url(wave))["ETag"]
    assert len({json_tag, csv_tag, scoped_tag}) == 3
    assert results_client.get(url(wave), HTTP_IF_NONE_MATCH=csv_tag).status_code == 200
    old = http_date(0)
    assert results_client.get(url(wave), HTTP_IF_MODIFIED_SINCE=old).status_code == 200


def test_unknown_and_draft_waves(wave, draft_wave, results_client):
    assert_error(results_client.get("/api/v1/waves/999999/heatmap/"), 404, "not_found")
    assert_error(
        results_client.get("/api/v1/waves/99999999999999999999999/heatmap/"),
        404,
        "unknown_endpoint",
    )
    response = results_client.get(url(draft_wave))
    assert_error(response, 409, "wave_not_opened")
    assert "not been opened" in response.json()["errors"][0]["message"]


def test_unknown_format_is_a_json_404(wave, results_client):
    assert_error(results_client.get(url(wave, "?format=xlsx")), 404, "not_found")


def test_the_api_uses_the_same_report_as_the_hr_views(wave, results_client):
    body = results_client.get(url(wave)).json()
    assert body == analytics.to_data(analytics.heatmap(wave, EVERYTHING))


def test_csv_reads_into_pandas_as_the_readme_shows(wave, results_client):
    import pandas

    content = results_client.get(url(wave, "?format=csv")).content
    frame = pandas.read_csv(io.BytesIO(content))
    claims = frame[
        (frame.department_code == "CLM") & (frame.construct == "felt-responsibility")
    ]
    assert claims["n"].item() == 9
    assert claims["mean"].item() == pytest.approx(38 / 9)
    motor = frame[frame.department_code == "CLM-MOT"]
    assert motor["mean"].isna().all() and motor["n"].isna().all()
