"""One error format everywhere, JSON 404s for unknown paths, throttling, no 500s."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework.exceptions import ParseError
from rest_framework.request import Request

from api.exceptions import api_exception_handler
from tests.api.conftest import assert_error, errors_of

pytestmark = pytest.mark.django_db


def set_rates(settings, **rates) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            **rates,
        },
    }


@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "options"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here/",
        "/api/v1/waves/1/nonsense/",
        "/api/v1/x/y/z",
        "/api/v1/surveys/%0A%0D%07/",  # control characters, a line break among them
    ],
)
def test_unknown_paths_are_json_404s(client, method, path):
    response = getattr(client, method)(path)
    assert_error(response, 404, "unknown_endpoint")


def test_missing_trailing_slash_is_explained(client):
    response = client.get("/api/v1/departments")
    assert_error(response, 404, "unknown_endpoint")
    assert "/api/v1/departments/" in response.json()["errors"][0]["message"]


def test_method_not_allowed(org, org_client):
    response = org_client.delete("/api/v1/departments/")
    assert_error(response, 405, "method_not_allowed")
    response = org_client.get("/api/v1/responses/")
    assert response.status_code in (403, 405)
    errors_of(response)


def test_errors_of_csv_requests_are_json(org, results_client, draft_wave, client):
    assert_error(
        client.get(f"/api/v1/waves/{draft_wave.pk}/heatmap/?format=csv"),
        401,
        "not_authenticated",
    )
    assert_error(
        results_client.get("/api/v1/waves/424242/heatmap/?format=csv"), 404, "not_found"
    )
    assert_error(
        results_client.get(f"/api/v1/waves/{draft_wave.pk}/heatmap/?format=csv"),
        409,
        "wave_not_opened",
    )


def test_throttled_per_token(org, settings, make_key, client_for):
    set_rates(settings, token="2/minute")
    first, second = (
        client_for(make_key("organisation:read")),
        client_for(make_key("organisation:read")),
    )
    assert first.get("/api/v1/loci/").status_code == 200
    assert first.get("/api/v1/loci/").status_code == 200
    throttled = first.get("/api/v1/loci/")
    assert_error(throttled, 429, "throttled")
    assert int(throttled["Retry-After"]) > 0
    assert second.get("/api/v1/loci/").status_code == 200


@pytest.mark.parametrize("off", ["none", "OFF", ""])
def test_a_limit_can_be_turned_off(org, settings, make_key, client_for, off):
    set_rates(settings, token=off)
    client = client_for(make_key("organisation:read"))
    assert [client.get("/api/v1/loci/").status_code for _ in range(5)] == [200] * 5
    # Nothing was counted while it was off: back on, the limit starts afresh.
    set_rates(settings, token="1/minute")
    assert client.get("/api/v1/loci/").status_code == 200
    assert_error(client.get("/api/v1/loci/"), 429, "throttled")


def test_requests_without_credentials_are_throttled_per_address(client, settings):
    set_rates(settings, anonymous="1/minute")
    assert client.get("/api/v1/schema/").status_code == 200
    assert_error(client.get("/api/v1/schema/"), 429, "throttled")


def test_other_drf_views_keep_drf_error_format():
    request = Request(RequestFactory().post("/admin/api/main/pages/1/action/publish/"))
    response = api_exception_handler(ParseError("bad"), {"request": request})
    assert response.data == {"detail": "bad"}


ODD_VALUES = [
    "",
    "0",
    "-1",
    "99999999999999999999999999",
    "1e9999",
    "nan",
    "ü€🙂",
    "%00",
    "%FF%FE",
    "a" * 3000,
    "[]",
    "{}",
]


def test_no_endpoint_fails_on_odd_query_strings(
    wave, all_scopes_client, generous_rates
):
    paths = [
        "/api/v1/departments/",
        "/api/v1/loci/",
        "/api/v1/constructs/",
        "/api/v1/surveys/",
        "/api/v1/waves/",
        f"/api/v1/waves/{wave.pk}/",
        f"/api/v1/waves/{wave.pk}/heatmap/",
        f"/api/v1/waves/{wave.pk}/concentration/",
        f"/api/v1/waves/{wave.pk}/reliability/",
        f"/api/v1/waves/{wave.pk}/response-rates/",
        f"/api/v1/waves/{wave.pk}/comments/",
        "/api/v1/trends/",
    ]
    names = ["page", "page_size", "survey", "phase", "construct", "format"]
    for path in paths:
        for name in names:
            for value in ODD_VALUES:
                response = all_scopes_client.get(f"{path}?{name}={value}")
                assert response.status_code < 500, (path, name, value)
                if response.status_code >= 400:
                    errors_of(response)
        for header, value in [
            ("HTTP_IF_NONE_MATCH", "🙂"),
            ("HTTP_IF_NONE_MATCH", "*"),
            ("HTTP_IF_MODIFIED_SINCE", "yesterday"),
            ("HTTP_ACCEPT", "application/xml"),
            ("HTTP_ACCEPT_LANGUAGE", "de"),
        ]:
            response = all_scopes_client.get(path, **{header: value})
            assert response.status_code < 500, (path, header, value)


def test_no_endpoint_fails_on_odd_path_parameters(wave, all_scopes_client):
    odd = ["%00", "a%00b", "%C3%BC%F0%9F%99%82", "..", "%2E%2E", "x" * 200, "-1"]
    prefixes = ["departments", "loci", "constructs", "surveys", "waves"]
    for prefix in prefixes:
        for value in odd:
            for suffix in ("", "heatmap/"):
                response = all_scopes_client.get(f"/api/v1/{prefix}/{value}/{suffix}")
                assert response.status_code == 404, (prefix, value, suffix)
                errors_of(response)


@pytest.mark.parametrize("kind", ["heatmap", "concentration", "comments"])
def test_options_of_a_report_asked_as_csv_is_json(wave, results_client, kind):
    path = f"/api/v1/waves/{wave.pk}/{kind}/?format=csv"
    response = results_client.options(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["name"]


def test_a_body_past_the_upload_limit_is_a_json_413(wave, all_scopes_client):
    response = all_scopes_client.post(
        "/api/v1/responses/",
        data="x" * (5 * 1024 * 1024),
        content_type="application/json",
    )
    assert_error(response, 413, "payload_too_large")
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5", "²", ""])
def test_a_page_size_that_is_not_one_is_refused(org, org_client, value):
    response = org_client.get(f"/api/v1/departments/?page_size={value}")
    assert_error(response, 400, "invalid", "page_size")


@pytest.mark.parametrize("value", ["", "abc", "last", "²", "-1", "1.5"])
def test_a_page_number_that_is_not_one_is_a_404(org, org_client, value):
    response = org_client.get(f"/api/v1/departments/?page={value}")
    assert_error(response, 404, "not_found")
    assert org_client.get("/api/v1/departments/?page=1").status_code == 200


def test_a_page_size_is_capped_at_1000(org, org_client):
    response = org_client.get("/api/v1/departments/?page_size=5000")
    assert response.status_code == 200


def test_an_empty_format_is_refused(wave, results_client):
    response = results_client.get(f"/api/v1/waves/{wave.pk}/heatmap/?format=")
    assert_error(response, 400, "invalid", "format")


@pytest.mark.parametrize("survey", ["²", "9" * 30, "0"])
def test_survey_ids_that_cannot_be_are_400s(org, results_client, survey):
    response = results_client.get(f"/api/v1/trends/?survey={survey}")
    assert response.status_code == 400
    assert errors_of(response)[0]["field"] == "survey"
