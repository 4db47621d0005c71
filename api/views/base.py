"""What the API's views share: the mixin, schema texts and helpers."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.exceptions import ValidationError
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
                **schema.error_responses(
                    400,
                    404,
                    e400="A page_size that is not a whole number from 1.",
                    e404="No such page.",
                ),
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

    def initial(self, request, *args, **kwargs):
        # DRF reads an empty ?format= as no format at all; it is a typo.
        if request.query_params.get("format") == "":
            raise ValidationError(
                {"format": [_("Name a format ('json' or 'csv') or leave it out.")]}
            )
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Only reports are tables; anything else asked for as CSV (OPTIONS'
        # description of the endpoint) is JSON.
        data = getattr(response, "data", None)
        if (
            getattr(response, "accepted_renderer", None) is not None
            and response.accepted_renderer.format == "csv"
            and data is not None
            and not isinstance(data, Table)
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


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
