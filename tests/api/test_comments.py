"""GET /api/v1/waves/{id}/comments/: free texts, only for large enough groups.

``manage.py report`` has no comments kind, so the API is compared with the
analytics report object the HR view renders, through ``to_data``.
"""

from __future__ import annotations

import csv
import io

import pytest

from ownership import analytics
from ownership.models import AuditEntry
from ownership.permissions import EVERYTHING
from surveys.services import wave_close
from tests.api.conftest import add_response, assert_error, assert_outsiders_refused
from tests.factories import publish

pytestmark = pytest.mark.django_db


def url(wave, suffix: str = "") -> str:
    return f"/api/v1/waves/{wave.pk}/comments/{suffix}"


def rows(body) -> dict:
    return {row["department"]["code"]: row for row in body["rows"]}


def test_outsiders_are_refused(wave, client_for, make_key, employee_user):
    assert_outsiders_refused(
        url(wave), client_for=client_for, make_key=make_key, employee_user=employee_user
    )


def test_interim_releases_show_no_comments(wave, results_client):
    # Comments are not linked to responses, so they cannot wait for a later
    # release with their authors' answers: they come with the final release.
    body = results_client.get(url(wave)).json()
    assert body["provisional"] is True
    assert all(row["suppressed"] and row["comments"] == [] for row in body["rows"])


def test_same_content_as_the_report(wave, results_client):
    wave_close(wave=wave)
    publish(wave)
    body = results_client.get(url(wave)).json()
    assert body["provisional"] is False
    assert body == analytics.to_data(analytics.report("comments", wave, EVERYTHING))
    organisation = rows(body)[None]
    assert organisation["respondents"] == 15
    assert sorted(organisation["comments"]) == sorted(
        [f"Comment from {d}" for d in ["motor"] * 6 + ["claims"] * 3 + ["sales"] * 6]
    )


def test_small_groups_show_no_comments(wave, results_client, settings):
    settings.COMMENT_MIN_GROUP_SIZE = 10
    # The comment threshold is 10: Claims (9), Motor Claims (6) and Sales (6)
    # show none, and nothing about them.
    wave_close(wave=wave)
    publish(wave)
    body = results_client.get(url(wave)).json()
    assert body["rows"][0]["comments"]
    for code in ("CLM", "CLM-MOT", "SAL"):
        group = rows(body)[code]
        assert group["suppressed"] is True
        assert group["respondents"] is None and group["comments"] == []
    csv_text = results_client.get(url(wave, "?format=csv")).content.decode()
    reader = csv.DictReader(io.StringIO(csv_text))
    for line in reader:
        if line["department_code"] in ("CLM", "CLM-MOT", "SAL"):
            assert line["comment"] == "" and line["respondents"] == ""
            assert line["suppressed"] == "true"


def test_a_department_token_sees_only_the_organisation_and_its_subtree(
    wave, make_key, client_for
):
    sales = client_for(make_key("results:read", departments=["SAL"]))
    body = sales.get(url(wave)).json()
    assert list(rows(body)) == [None, "SAL"]
    assert rows(body)["SAL"]["comments"] == []


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
    assert AuditEntry.objects.filter(channel="api", report="comments").count() == 4


def test_unknown_and_draft_waves(draft_wave, results_client):
    assert_error(results_client.get("/api/v1/waves/424242/comments/"), 404, "not_found")
    assert_error(results_client.get(url(draft_wave)), 409, "wave_not_opened")
