"""What the API's views share: the mixin, schema texts and helpers."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.models import Locale

from ownership import analytics
from ownership.analytics.exports import report_rows
from ownership.services import audit_record

from .. import conditional, schema
from ..parsers import SafeJSONParser
from ..permissions import ResultsRead, token_of
from ..renderers import Table
from ..throttling import (
    AnonymousRateThrottle,
    TokenRateThrottle,
)

ID_REGEX = r"[0-9]{1,18}"  # longer ids cannot exist; they 404 without a query

ORGANISATION_SCOPE = (
    "\n\n**Scope:** `organisation:read` or `results:read` (session: HR analysts, "
    "department heads)."
)
RESULTS_SCOPE = (
    "\n\n**Scope:** `results:read` (session: users who may see results). A token "
    "limited to departments, and a department head, get the rows of their "
    "subtrees plus the organisation's row. Every request is written to the "
    "audit log."
)
RESPONSES_SCOPE = "\n\n**Scope:** `responses:write`. Throttled per client address."
REPORT_NOTES = (
    "\n\nThe JSON is the report object with the same field names as "
    "`manage.py report`; suppressed figures are `null`, never the number. "
    "`?format=csv` gives the CSV export. Every figure is read from a stored "
    "release of the wave (`release`, `provisional` and `released_on` say which); "
    "`?release=N` picks an earlier one. Responses carry an `ETag` (the "
    "release's identity) and `Last-Modified` (its day): send `If-None-Match` "
    "to get `304 Not Modified` until a new release exists. A wave that has not "
    "been opened yet has no reports (409, code `wave_not_opened`), nor has one "
    "without a release yet (409, code `no_release`)."
)


def lookup_parameter(name: str, thing: str) -> OpenApiParameter:
    kind = OpenApiTypes.INT if name == "id" else OpenApiTypes.STR
    return OpenApiParameter(
        name, kind, OpenApiParameter.PATH, description=f"The {thing}'s {name}."
    )


def org_schema(serializer, name: str, plural: str, lookup: str):
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            description=f"All {plural}, paginated." + ORGANISATION_SCOPE,
            responses={
                200: OpenApiResponse(
                    serializer(many=True), description=f"A page of {plural}."
                ),
                **schema.error_responses(404, e404="No such page."),
            },
        ),
        retrieve=extend_schema(
            summary=f"One {name}",
            description=f"One {name}, by {lookup}." + ORGANISATION_SCOPE,
            parameters=[lookup_parameter(lookup, name)],
            responses={
                200: OpenApiResponse(serializer, description=f"The {name}."),
                **schema.error_responses(404),
            },
        ),
    )


def default_locale() -> Locale:
    return Locale.get_default()


class ApiMixin:
    """What every view of this API shares (set here, not globally, so that
    other DRF views in the project, such as Wagtail's, are left alone)."""

    # Fail closed: a view that forgets to name its scope needs results:read.
    permission_classes = [ResultsRead]
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    throttle_classes = [TokenRateThrottle, AnonymousRateThrottle]


def conditional_report(
    request, *, kind: str, etag: str, modified, wave_id, build
) -> Response:
    """Answer 304 or read, audit and render the stored report."""
    fmt = request.accepted_renderer.format
    if conditional.not_modified(request, etag, modified):
        _audit(request, "not-modified", kind, wave_id)
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        report = build()
        _audit(request, "export-csv" if fmt == "csv" else "view", kind, wave_id)
        if fmt == "csv":
            header, rows = report_rows(kind, report)
            response = Response(Table(header, rows))
            response["Content-Disposition"] = (
                f'attachment; filename="{_filename(kind, wave_id)}"'
            )
        else:
            response = Response(analytics.to_data(report))
    conditional.set_validators(response, etag, modified)
    return response


def _filename(kind: str, wave_id) -> str:
    stamp = timezone.localdate().isoformat()
    where = f"wave-{wave_id}" if wave_id else "survey"
    return f"{kind.replace('_', '-')}-{where}-{stamp}.csv"


def _audit(request, action_name: str, kind: str, wave_id) -> None:
    token = token_of(request)
    who = f"token {token.prefix} ({token.name})" if token else "session"
    audit_record(
        actor=request.user,
        channel="api",
        action=action_name,
        report=kind,
        wave_id=wave_id,
        detail=f"{who}: {request.method} {request.get_full_path()}",
    )
