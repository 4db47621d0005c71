"""GET /api/v1/surveys/: the survey pages."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error, assert_outsiders_refused
from tests.factories import make_survey

pytestmark = pytest.mark.django_db
URL = "/api/v1/surveys/"


def test_outsiders_are_refused(survey, client_for, make_key, employee_user):
    assert_outsiders_refused(
        URL,
        client_for=client_for,
        make_key=make_key,
        employee_user=employee_user,
        needs="organisation:read",
    )


def test_surveys(survey, org_client):
    body = org_client.get(URL).json()
    (item,) = body["results"]
    assert item == {
        "id": survey.pk,
        "title": "Pulse",
        "slug": "pulse",
        "language": "en",
        "live": True,
        "translation_key": str(survey.translation_key),
    }
    assert org_client.get(f"{URL}{survey.pk}/").json() == item
    assert_error(org_client.get(f"{URL}999999/"), 404, "not_found")
    assert_error(org_client.get(f"{URL}abc/"), 404, "unknown_endpoint")


def test_pagination(org, org_client):
    for i in range(3):
        make_survey(title=f"Survey {i}", slug=f"survey-{i}")
    page = org_client.get(f"{URL}?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
