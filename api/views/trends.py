"""Trends: each department's results wave by wave for one survey."""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ownership import analytics

from .. import conditional, schema
from ..permissions import (
    ResultsRead,
    viewer_of,
)
from ..renderers import CSVRenderer
from ..serializers import (
    TrendsQuerySerializer,
    report_serializers,
)
from .base import (
    REPORT_NOTES,
    RESULTS_SCOPE,
    ApiMixin,
    conditional_report,
)


@extend_schema(tags=["results"])
class TrendsViewSet(ApiMixin, viewsets.ViewSet):
    permission_classes = [ResultsRead]
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        summary="Trends",
        description=(
            "Each department's results wave by wave for one survey (oldest "
            "first), read from each wave's latest release (its final release "
            "once it has closed), with organisation events. `?construct=` limits "
            "it to one column."
        )
        + REPORT_NOTES.replace(
            " A wave that has not been opened yet has no reports (409, code "
            "`wave_not_opened`).",
            "",
        )
        + RESULTS_SCOPE,
        parameters=[
            OpenApiParameter(
                "survey",
                {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
                required=True,
                description="The survey's id (see surveys/).",
            ),
            OpenApiParameter(
                "construct",
                OpenApiTypes.STR,
                description=(
                    "Only this column: a construct slug, 'nps' or "
                    "'response_rate'. Default: all."
                ),
            ),
            schema.FORMAT_PARAMETER,
            *schema.CONDITIONAL_PARAMETERS,
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                report_serializers()["trends"],
                description="The trends report.",
                examples=[schema.TRENDS_EXAMPLE],
            ),
            (200, "text/csv"): schema.CSV_RESPONSE,
            304: schema.NOT_MODIFIED,
            **schema.error_responses(
                400,
                404,
                e400="No survey id, or one that is not a whole number ('survey').",
                e404="No survey with that id ('survey', code 'does_not_exist').",
            ),
        },
    )
    def list(self, request) -> Response:
        query = TrendsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        survey = query.validated_data["survey"]
        construct = query.validated_data.get("construct") or None
        viewer = viewer_of(request)
        releases = [release for _wave, release in analytics.trend_releases(survey)]
        etag = conditional.trends_etag(
            survey,
            releases,
            construct=construct,
            viewer=viewer,
            fmt=request.accepted_renderer.format,
            language=translation.get_language(),
        )
        return conditional_report(
            request,
            kind="trends",
            etag=etag,
            modified=conditional.released(releases),
            wave_id=None,
            build=lambda: analytics.trends(survey, viewer, construct=construct),
        )
