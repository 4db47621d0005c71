"""GET /api/v1/waves/{id}/releases/ and ?release= on every report."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ownership import analytics
from surveys.models import Wave
from surveys.services import wave_close, wave_open
from tests.api.conftest import (
    _new_wave,
    add_response,
    assert_error,
    assert_outsiders_refused,
)
from tests.factories import EmployeeFactory, publish

pytestmark = pytest.mark.django_db


def url(wave, suffix: str = "") -> str:
    return f"/api/v1/waves/{wave.pk}/{suffix}"


def test_outsiders_are_refused(wave, client_for, make_key, employee_user):
    assert_outsiders_refused(
        url(wave, "releases/"),
        client_for=client_for,
        make_key=make_key,
        employee_user=employee_user,
    )


def test_lists_every_release_oldest_first(wave, results_client):
    add_response(wave)
    wave_close(wave=wave)
    publish(wave)
    body = results_client.get(url(wave, "releases/")).json()
    assert [(r["sequence"], r["final"], r["provisional"]) for r in body] == [
        (1, False, True),
        (2, True, False),
    ]
    today = timezone.localdate().isoformat()
    assert all(r["created_on"] == today for r in body)
    # The final release holds the sixteenth respondent only if k new ones
    # stand behind every change: one alone waits.
    assert [r["respondents"] for r in body] == [15, 15]
    links = body[0]["reports"]
    assert set(links) == set(analytics.KINDS)
    assert links["response_rates"].endswith(
        f"/api/v1/waves/{wave.pk}/response-rates/?release=1"
    )


def test_wave_links_to_its_releases(wave, results_client):
    body = results_client.get(url(wave)).json()
    assert body["interim_results"] is True
    assert body["reports"]["releases"].endswith(f"/api/v1/waves/{wave.pk}/releases/")


@pytest.mark.parametrize("kind", list(analytics.KINDS))
def test_every_report_reads_the_release_asked_for(wave, results_client, kind):
    path = analytics.KINDS[kind].path
    wave_close(wave=wave)
    publish(wave)
    latest = results_client.get(url(wave, f"{path}/")).json()
    first = results_client.get(url(wave, f"{path}/?release=1")).json()
    assert (latest["release"], latest["provisional"]) == (2, False)
    assert (first["release"], first["provisional"]) == (1, True)
    # The same numbers as manage.py report of that release.
    out = StringIO()
    call_command("report", kind, wave=wave.pk, release=1, stdout=out)
    assert first == json.loads(out.getvalue())
    out = StringIO()
    call_command("report", kind, wave=wave.pk, release=1, format="csv", stdout=out)
    csv_text = results_client.get(url(wave, f"{path}/?release=1&format=csv"))
    assert csv_text.content.decode().replace("\r\n", "\n") == out.getvalue().replace(
        "\r\n", "\n"
    )


def test_etag_is_the_release(wave, results_client):
    first = results_client.get(url(wave, "heatmap/?release=1"))
    latest = results_client.get(url(wave, "heatmap/"))
    assert first["ETag"] == latest["ETag"]
    day = timezone.localdate()
    assert first["Last-Modified"].startswith(day.strftime("%a, %d %b %Y 00:00:00"))


def test_bad_release_parameter(wave, results_client):
    assert_error(results_client.get(url(wave, "heatmap/?release=9")), 404, "not_found")
    assert_error(
        results_client.get(url(wave, "heatmap/?release=abc")), 400, "invalid", "release"
    )
    assert_error(
        results_client.get(url(wave, "heatmap/?release=0")), 400, "min_value", "release"
    )
    assert_error(
        results_client.get(url(wave, "heatmap/?release=99999999")),
        400,
        "max_value",
        "release",
    )


def test_no_release_yet(survey, org, results_client):
    now = timezone.now()
    wave = _new_wave(
        survey,
        "Quiet",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    wave.audience.set([org["board"]])
    EmployeeFactory(department=org["sales"])
    wave = wave_open(wave=wave)
    response = results_client.get(url(wave, "heatmap/"))
    assert_error(response, 409, "no_release")
    assert "when the wave closes" in response.json()["errors"][0]["message"]
    assert results_client.get(url(wave, "releases/")).json() == []
    Wave.objects.filter(pk=wave.pk).update(closes_at=now - dt.timedelta(minutes=1))
    response = results_client.get(url(wave, "heatmap/"))
    assert_error(response, 409, "no_release")
    assert "being prepared" in response.json()["errors"][0]["message"]
