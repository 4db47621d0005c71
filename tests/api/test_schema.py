"""The OpenAPI schema, its docs, and a schemathesis run against the live schema.

Schemathesis loads ``/api/v1/schema/`` from the WSGI application in-process,
generates requests for every operation (valid ones, and invalid ones that the
API must refuse cleanly) and checks each response: never a server error, a
documented status code and content type, a body that matches the schema.

Run it alone with ``make test PYTEST_ARGS="tests/api/test_schema.py"``.
"""

from __future__ import annotations

import collections

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from surveys.models import Commitment
from tests.api.conftest import ALL_SCOPES, pending_tokens, question_ids

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Per operation and variant; 18 operations, up to 4 variants each.
EXAMPLES = 20
MINIMUM_CASES = 500


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, as a server would run it.

    Like Django's test client, it must not close the test's database
    connection at the end of each request (the test runs in a transaction).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schema_is_served_and_documents_every_endpoint(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {
        "/api/v1/departments/",
        "/api/v1/departments/{code}/",
        "/api/v1/loci/",
        "/api/v1/loci/{slug}/",
        "/api/v1/constructs/",
        "/api/v1/constructs/{slug}/",
        "/api/v1/surveys/",
        "/api/v1/surveys/{id}/",
        "/api/v1/waves/",
        "/api/v1/waves/{id}/",
        "/api/v1/waves/{id}/releases/",
        "/api/v1/waves/{id}/heatmap/",
        "/api/v1/waves/{id}/concentration/",
        "/api/v1/waves/{id}/reliability/",
        "/api/v1/waves/{id}/response-rates/",
        "/api/v1/waves/{id}/comments/",
        "/api/v1/waves/{id}/commitments/",
        "/api/v1/waves/{id}/drivers/",
        "/api/v1/waves/{id}/themes/",
        "/api/v1/trends/",
        "/api/v1/responses/",
        "/api/v1/commitments/",
        "/api/v1/commitments/{id}/",
    }
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            description = operation["description"]
            assert "**Scope:**" in description, (method, path)
            assert operation["summary"]
            for status in ("401", "403", "429"):
                assert status in operation["responses"], (method, path, status)
    heatmap = schema["paths"]["/api/v1/waves/{id}/heatmap/"]["get"]
    assert set(heatmap["responses"]["200"]["content"]) == {
        "application/json",
        "text/csv",
    }
    assert "examples" in heatmap["responses"]["200"]["content"]["application/json"]
    cell = schema["components"]["schemas"]["HeatmapCell"]
    assert cell["properties"]["mean"]["nullable"] is True
    assert all(p.get("description") for p in cell["properties"].values())


def test_docs_are_served_from_local_static_files(client):
    for path in ("/api/v1/docs/", "/api/v1/redoc/"):
        html = client.get(path).content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs"):
            assert cdn not in html


def test_schemathesis(wave, survey, make_key, wsgi_app, generous_rates):
    """At least 500 generated requests over all endpoints, with every scope."""
    key = make_key(*ALL_SCOPES)
    headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    commitment = Commitment.objects.create(
        department=wave.audience.first(), statement="Call back.", due_on="2026-12-31"
    )
    real = {  # path prefix -> existing objects' path parameters
        "/api/v1/commitments/": {"id": commitment.pk},
        "/api/v1/departments/": {"code": "CLM"},
        "/api/v1/loci/": {"slug": "cco"},
        "/api/v1/constructs/": {"slug": "felt-responsibility"},
        "/api/v1/surveys/": {"id": survey.pk},
        "/api/v1/waves/": {"id": wave.pk},
    }
    cases = 0
    statuses: dict[str, set[int]] = collections.defaultdict(set)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 25

    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        variants = [
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ]
        if names:
            prefix = "/".join(operation.path.split("/")[:4]) + "/"
            variants.append(operation.as_strategy(path_parameters=real[prefix]))
        if operation.path == "/api/v1/trends/":
            variants.append(operation.as_strategy(query={"survey": survey.pk}))
        if operation.path == "/api/v1/responses/":
            # A real invitation: stored once (201), then already answered (409).
            # One answer: a response must answer at least one question.
            recommendation = question_ids(wave)[2]
            body = {"token": pending_tokens(wave)[0], "answers": {recommendation: 7}}
            variants.append(operation.as_strategy(body=body))
        if operation.path == "/api/v1/commitments/" and operation.method == "post":
            body = {"department": "CLM", "statement": "Call.", "due_on": "2026-12-31"}
            variants.append(operation.as_strategy(body=body))
        for strategy in variants:

            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def run(case):
                nonlocal cases
                cases += 1
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                statuses[case.operation.label].add(response.status_code)

            run()
    print(f"schemathesis: {cases} generated cases")
    assert cases >= MINIMUM_CASES, cases
    # Every operation was also reached with valid input, not only refused.
    for label, seen in statuses.items():
        assert min(seen) < 300, (label, seen)
    assert {201, 409} <= statuses["POST /api/v1/responses/"]


def _shape(value):
    """The keys of nested objects (the first item stands for a list)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return None


# Fields that map report-specific keys (column slugs) to values: an example
# cannot know a real report's keys, only that the field is such a mapping.
MAPPINGS = {"construct_labels", "construct_names", "labels"}


def _same_shape(example, real) -> bool:
    if isinstance(example, dict) and isinstance(real, dict):
        return example.keys() == real.keys() and all(
            isinstance(real[key], dict)
            if key in MAPPINGS
            else _same_shape(example[key], real[key])
            for key in example
        )
    if isinstance(example, list) and isinstance(real, list):
        return not example or not real or _same_shape(example[0], real[0])
    return True


def test_examples_have_the_shape_of_real_reports(wave, survey, results_client):
    schema = results_client.get("/api/v1/schema/?format=json").json()
    paths = {
        "heatmap": f"/api/v1/waves/{wave.pk}/heatmap/",
        "concentration": f"/api/v1/waves/{wave.pk}/concentration/",
        "reliability": f"/api/v1/waves/{wave.pk}/reliability/",
        "response-rates": f"/api/v1/waves/{wave.pk}/response-rates/",
        "comments": f"/api/v1/waves/{wave.pk}/comments/",
        "commitments": f"/api/v1/waves/{wave.pk}/commitments/",
        "drivers": f"/api/v1/waves/{wave.pk}/drivers/",
        "themes": f"/api/v1/waves/{wave.pk}/themes/",
        "trends": f"/api/v1/trends/?survey={survey.pk}",
    }
    for name, path in paths.items():
        key = "/api/v1/trends/" if name == "trends" else f"/api/v1/waves/{{id}}/{name}/"
        content = schema["paths"][key]["get"]["responses"]["200"]["content"]
        examples = content["application/json"]["examples"]
        real = results_client.get(path).json()
        for example in examples.values():
            assert _same_shape(_shape(example["value"]), _shape(real)), name
