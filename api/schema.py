"""OpenAPI (drf-spectacular): the token scheme, shared error responses, examples."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from .schema_examples import (
    COMMENTS_EXAMPLE,
    COMMITMENTS_EXAMPLE,
    CONCENTRATION_EXAMPLE,
    DRIVERS_EXAMPLE,
    HEATMAP_EXAMPLE,
    RELIABILITY_EXAMPLE,
    RESPONSE_RATES_EXAMPLE,
    THEMES_EXAMPLE,
    TRENDS_EXAMPLE,
)
from .serializers import ErrorSerializer

API_PREFIX = "/api/v1/"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token created by an HR analyst in the admin (Settings → "
                "Survey API tokens) or with `manage.py create_api_token`. Send "
                "`Authorization: Token <key>` or `Authorization: Bearer <key>`. "
                "Each endpoint names the scope it needs; a token limited to some "
                "departments sees only those subtrees."
            ),
        }


def only_api_v1(endpoints, **kwargs):
    """Preprocessing hook: document this API only (not Wagtail's own)."""
    return [e for e in endpoints if e[0].startswith(API_PREFIX)]


# --------------------------------------------------------------------------
# Error responses

_ERROR_TEXT = {
    400: "Invalid input; each error names the field at fault.",
    401: "No credentials, or an unknown, expired or revoked token "
    "(codes 'not_authenticated', 'invalid_token', 'token_expired', "
    "'token_revoked').",
    403: "The token lacks the scope this endpoint needs (code 'missing_scope'), "
    "or the logged-in user may not see results.",
    404: "No such object, page or endpoint.",
    409: "Conflict with the current state.",
    415: "The body is not JSON.",
    429: "Too many requests (code 'throttled'); retry after the Retry-After "
    "header's seconds.",
}

_ERROR_EXAMPLES = {
    400: ("token", "required", "This field is required."),
    401: (None, "not_authenticated", "Authentication credentials were not provided."),
    403: (
        None,
        "missing_scope",
        "This endpoint needs a token with the scope 'results:read'.",
    ),
    404: (None, "not_found", "No Wave matches the given query."),
    409: (
        None,
        "wave_not_opened",
        "Wave 7 has not been opened yet; it has no results.",
    ),
    415: (
        None,
        "unsupported_media_type",
        'Unsupported media type "text/plain" in request.',
    ),
    429: (
        None,
        "throttled",
        "Request was throttled. Expected available in 42 seconds.",
    ),
}


def error_response(status: int, description: str | None = None) -> OpenApiResponse:
    field, code, message = _ERROR_EXAMPLES[status]
    return OpenApiResponse(
        ErrorSerializer,
        description=description or _ERROR_TEXT[status],
        examples=[
            OpenApiExample(
                f"{status} {code}",
                value={"errors": [{"field": field, "code": code, "message": message}]},
                response_only=True,
                status_codes=[str(status)],
            )
        ],
    )


def error_responses(*statuses: int, **descriptions: str) -> dict[int, OpenApiResponse]:
    """401, 403, 429 always; plus ``statuses``. ``descriptions`` by 'e409' etc."""
    wanted = sorted({401, 403, 429, *statuses})
    return {s: error_response(s, descriptions.get(f"e{s}")) for s in wanted}


# --------------------------------------------------------------------------
# Parameters and headers of reports

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description=(
        "'csv' returns the flat CSV export (one header line, no comments), the "
        "same table as the admin's CSV export; 'json' (the default) the report "
        "object. `Accept: text/csv` does the same."
    ),
)
CONDITIONAL_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=(
            "The ETag of an earlier response: the answer is 304 Not Modified, "
            "without a body, while the report is unchanged (no new responses)."
        ),
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="An HTTP date; 304 if the report has not changed since.",
    ),
]
NOT_MODIFIED = OpenApiResponse(
    description=(
        "Not modified: the report is the same as the one with the ETag in "
        "If-None-Match. No body."
    )
)
CSV_RESPONSE = OpenApiResponse(
    OpenApiTypes.STR,
    description="With format=csv: the CSV export (UTF-8, RFC 4180).",
)

# --------------------------------------------------------------------------
# Examples

RESPONSE_REQUEST_EXAMPLE = OpenApiExample(
    "A response",
    request_only=True,
    value={
        "token": "Xq3v9T0mYp1c8d6fK2wLr5sZ",
        "answers": {
            "7f1c2a5e-3b8d-4c1f-9e2a-6d4b8c0f1a2b": 4,
            "2b9e6d1f-8c3a-4f7e-b5d2-1a9c7e3f6b8d": {"me": 40, "team": 30, "cco": 30},
            "c4d8e2f6-1a3b-4c5d-8e9f-0a1b2c3d4e5f": "Promise call-backs we can keep.",
        },
        "language": "de",
    },
)
RESPONSE_STORED_EXAMPLE = OpenApiExample(
    "Stored",
    response_only=True,
    status_codes=["201"],
    value={"status": "stored"},
)
RESPONSE_400_EXAMPLE = OpenApiExample(
    "Invalid answers",
    response_only=True,
    status_codes=["400"],
    value={
        "errors": [
            {
                "field": "answers.7f1c2a5e-3b8d-4c1f-9e2a-6d4b8c0f1a2b",
                "code": "invalid_answer",
                "message": "Choose a whole number from 1 to 5.",
            },
            {
                "field": "answers.2b9e6d1f-8c3a-4f7e-b5d2-1a9c7e3f6b8d",
                "code": "invalid_answer",
                "message": "The points must add up to 100; they add up to 90.",
            },
        ]
    },
)
RESPONSE_TOKEN_EXAMPLE = OpenApiExample(
    "Unknown invitation token",
    response_only=True,
    status_codes=["400"],
    value={
        "errors": [
            {
                "field": "token",
                "code": "unknown_link",
                "message": "This survey link is not valid.",
            }
        ]
    },
)
RESPONSE_409_EXAMPLE = OpenApiExample(
    "Already answered",
    response_only=True,
    status_codes=["409"],
    value={
        "errors": [
            {
                "field": "token",
                "code": "already_answered",
                "message": "This survey was already answered.",
            }
        ]
    },
)

__all__ = [
    "COMMENTS_EXAMPLE",
    "COMMITMENTS_EXAMPLE",
    "DRIVERS_EXAMPLE",
    "THEMES_EXAMPLE",
    "CONCENTRATION_EXAMPLE",
    "HEATMAP_EXAMPLE",
    "RELIABILITY_EXAMPLE",
    "RESPONSE_RATES_EXAMPLE",
    "TRENDS_EXAMPLE",
]
