"""GET /api/v1/waves/ and /api/v1/waves/{id}/: waves, their phases and questions."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error, assert_outsiders_refused, question_ids

pytestmark = pytest.mark.django_db
URL = "/api/v1/waves/"


def test_outsiders_are_refused(wave, client_for, make_key, employee_user):
    for url in (URL, f"{URL}{wave.pk}/"):
        assert_outsiders_refused(
            url,
            client_for=client_for,
            make_key=make_key,
            employee_user=employee_user,
            needs="organisation:read",
        )


def test_list_newest_first_with_report_links(wave, draft_wave, org_client):
    body = org_client.get(URL).json()
    assert body["count"] == 2
    draft, opened = body["results"]
    assert draft["id"] == draft_wave.pk and draft["phase"] == "draft"
    assert draft["reports"] is None
    assert opened["id"] == wave.pk and opened["phase"] == "open"
    assert opened["survey"] == wave.survey_id and opened["survey_title"] == "Pulse"
    assert opened["audience"] == ["BOARD"] and opened["min_group_size"] == 5
    assert opened["reports"]["heatmap"].endswith(f"/api/v1/waves/{wave.pk}/heatmap/")
    assert opened["reports"]["response_rates"].endswith(
        f"/api/v1/waves/{wave.pk}/response-rates/"
    )


def test_no_results_in_waves(wave, org_client):
    text = (
        org_client.get(URL).content.decode()
        + org_client.get(f"{URL}{wave.pk}/").content.decode()
    )
    for word in ('"n"', "responded", "mean", 'favourable"'):
        assert word not in text


def test_detail_has_the_frozen_questions(wave, draft_wave, results_client):
    body = results_client.get(f"{URL}{wave.pk}/").json()
    assert [q["id"] for q in body["questions"]] == question_ids(wave)
    types = [q["type"] for q in body["questions"]]
    assert types == [
        "likert",
        "likert",
        "recommendation",
        "allocation",
        "primary_owner",
        "free_text",
    ]
    assert body["languages"] == wave.snapshot["languages"]
    assert body["previous_wave"] is None
    draft = results_client.get(f"{URL}{draft_wave.pk}/").json()
    assert draft["questions"] == [] and draft["phase"] == "draft"


def test_filters(wave, draft_wave, org_client):
    ids = lambda query: [w["id"] for w in org_client.get(URL + query).json()["results"]]  # noqa: E731
    assert ids("?phase=draft") == [draft_wave.pk]
    assert ids("?phase=open") == [wave.pk]
    assert ids("?phase=closed") == [] and ids("?phase=scheduled") == []
    assert ids(f"?survey={wave.survey_id}") == [draft_wave.pk, wave.pk]
    assert ids("?survey=424242") == []
    assert_error(org_client.get(URL + "?phase=later"), 400, "invalid_choice", "phase")
    assert_error(org_client.get(URL + "?survey=x"), 400, "invalid", "survey")
    assert_error(
        org_client.get(URL + "?survey=" + "9" * 30), 400, "max_value", "survey"
    )


def test_unknown_wave(org_client, org):
    assert_error(org_client.get(f"{URL}424242/"), 404, "not_found")


def test_pagination(wave, draft_wave, org_client):
    page = org_client.get(f"{URL}?page_size=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    assert_error(org_client.get(f"{URL}?page=3"), 404, "not_found")
