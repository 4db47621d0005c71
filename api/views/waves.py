"""Waves, and below each its reports (heatmap, concentration, reliability,
response rates, comments), with ETags and the audit log."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from surveys.models import Wave

from .. import conditional, reports, schema
from ..exceptions import Conflict
from ..pagination import Pagination
from ..permissions import (
    OrganisationRead,
    ResultsRead,
    viewer_of,
)
from ..renderers import CSVRenderer
from ..serializers import (
    WaveDetailSerializer,
    WaveFilterSerializer,
    WaveSerializer,
    report_serializers,
)
from .base import (
    ID_REGEX,
    ORGANISATION_SCOPE,
    REPORT_NOTES,
    RESULTS_SCOPE,
    ApiMixin,
    conditional_report,
    lookup_parameter,
)


def _report_action(kind: str, summary: str, description: str):
    """A wave report at ``waves/{id}/<url_path>/``."""
    return extend_schema(
        summary=summary,
        description=description + REPORT_NOTES + RESULTS_SCOPE,
        tags=["results"],
        parameters=[
            lookup_parameter("id", "wave"),
            schema.FORMAT_PARAMETER,
            *schema.CONDITIONAL_PARAMETERS,
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                report_serializers()[kind],
                description="The report.",
                examples=REPORT_EXAMPLES.get(kind, []),
            ),
            (200, "text/csv"): schema.CSV_RESPONSE,
            304: schema.NOT_MODIFIED,
            **schema.error_responses(
                404,
                409,
                e404="No such wave (or an unknown format).",
                e409="The wave has not been opened yet (code 'wave_not_opened').",
            ),
        },
    )


REPORT_EXAMPLES = {
    "heatmap": [schema.HEATMAP_EXAMPLE],
    "concentration": [schema.CONCENTRATION_EXAMPLE],
    "reliability": [schema.RELIABILITY_EXAMPLE],
    "response_rates": [schema.RESPONSE_RATES_EXAMPLE],
    "comments": [schema.COMMENTS_EXAMPLE],
}


@extend_schema_view(
    list=extend_schema(
        summary="List waves",
        description=(
            "Waves, newest first, with their phase and links to their reports. "
            "No results. Filter with `?survey=<id>` and `?phase=`."
        )
        + ORGANISATION_SCOPE,
        parameters=[
            OpenApiParameter("survey", OpenApiTypes.INT, description="A survey id."),
            OpenApiParameter(
                "phase",
                OpenApiTypes.STR,
                enum=["draft", "scheduled", "open", "closed"],
                description="Only waves in this phase.",
            ),
        ],
        responses={
            200: OpenApiResponse(
                WaveSerializer(many=True), description="A page of waves."
            ),
            **schema.error_responses(400, 404, e404="No such page."),
        },
    ),
    retrieve=extend_schema(
        summary="One wave",
        description=(
            "One wave, with its frozen questions (the ids `POST responses/` "
            "expects in `answers`). No results."
        )
        + ORGANISATION_SCOPE,
        parameters=[lookup_parameter("id", "wave")],
        responses={
            200: OpenApiResponse(WaveDetailSerializer, description="The wave."),
            **schema.error_responses(404),
        },
    ),
)
@extend_schema(tags=["surveys"])
class WaveViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """Waves and, below each, its reports."""

    permission_classes = [OrganisationRead]
    pagination_class = Pagination
    lookup_value_regex = ID_REGEX

    def get_serializer_class(self):
        return WaveDetailSerializer if self.action == "retrieve" else WaveSerializer

    def get_queryset(self):
        waves = (
            Wave.objects.select_related("survey")
            .prefetch_related("audience")
            .order_by("-opens_at", "-pk")
        )
        if self.action != "list":
            return waves
        query = WaveFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if "survey" in query.validated_data:
            waves = waves.filter(survey_id=query.validated_data["survey"])
        phase = query.validated_data.get("phase")
        now = timezone.now()
        if phase == "draft":
            waves = waves.filter(frozen_at__isnull=True)
        elif phase == "scheduled":
            waves = waves.filter(frozen_at__isnull=False, opens_at__gt=now)
        elif phase == "open":
            waves = waves & Wave.objects.open(now)
        elif phase == "closed":
            waves = waves & Wave.objects.closed(now)
        return waves

    # Reports ----------------------------------------------------------------

    def _report(self, request, kind: str) -> Response:
        wave = self.get_object()
        if not wave.is_frozen:
            raise Conflict(
                _("Wave %(id)d has not been opened yet; it has no results.")
                % {"id": wave.pk},
                code="wave_not_opened",
            )
        viewer = viewer_of(request)
        fmt = request.accepted_renderer.format
        etag = conditional.wave_report_etag(
            kind, wave, viewer=viewer, fmt=fmt, language=translation.get_language()
        )
        return conditional_report(
            request,
            kind=kind,
            etag=etag,
            wave_id=wave.pk,
            build=lambda: reports.report(kind, wave, viewer),
        )

    @_report_action(
        "heatmap",
        "Department heatmap",
        "Each department's mean, favourable share (with Wilson interval), "
        "difference to the organisation, change since the previous wave and "
        "agreement, per construct, plus NPS and response rate.",
    )
    @action(
        detail=True,
        url_path="heatmap",
        permission_classes=[ResultsRead],
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def heatmap(self, request, pk=None) -> Response:
        return self._report(request, "heatmap")

    @_report_action(
        "concentration",
        "Responsibility concentration",
        "How each department allocates responsibility for customers between "
        "designated owners (CCO, customer service) and themselves, with "
        "bootstrap intervals, the before/after comparison around the CCO's "
        "appointment, the Lorenz curve and a verdict. The CSV is in long "
        "format: one row per department and locus.",
    )
    @action(
        detail=True,
        url_path="concentration",
        permission_classes=[ResultsRead],
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def concentration(self, request, pk=None) -> Response:
        return self._report(request, "concentration")

    @_report_action(
        "reliability",
        "Reliability and agreement",
        "Cronbach's alpha (with interval), omega, ICC(1), ICC(2) and item "
        "statistics per construct, and rwg(j) per department.",
    )
    @action(
        detail=True,
        url_path="reliability",
        permission_classes=[ResultsRead],
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def reliability(self, request, pk=None) -> Response:
        return self._report(request, "reliability")

    @_report_action(
        "response_rates",
        "Response rates",
        "Invitations issued and answered per department (counts only).",
    )
    @action(
        detail=True,
        url_path="response-rates",
        url_name="response-rates",
        permission_classes=[ResultsRead],
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def response_rates(self, request, pk=None) -> Response:
        return self._report(request, "response_rates")

    @_report_action(
        "comments",
        "Comments",
        "Free-text comments per department, only for groups of at least the "
        "comment threshold, in random order.",
    )
    @action(
        detail=True,
        url_path="comments",
        permission_classes=[ResultsRead],
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def comments(self, request, pk=None) -> Response:
        return self._report(request, "comments")
