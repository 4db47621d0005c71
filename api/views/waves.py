"""Waves, and below each its reports (heatmap, concentration, reliability,
response rates, comments), with ETags and the audit log."""

from __future__ import annotations

from django.utils import translation
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
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ownership import analytics
from ownership.analytics import ReportKind
from surveys.models import Release, Wave

from .. import conditional, schema
from ..exceptions import Conflict
from ..pagination import Pagination
from ..permissions import (
    OrganisationRead,
    ResultsRead,
    viewer_of,
)
from ..renderers import CSVRenderer
from ..serializers import (
    ReleaseQuerySerializer,
    ReleaseSerializer,
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

RELEASE_PARAMETER = OpenApiParameter(
    "release",
    {"type": "integer", "minimum": 1, "maximum": 32767},
    OpenApiParameter.QUERY,
    description=(
        "The release's number within the wave (see `releases/`); default: the "
        "latest. Every figure is read from that stored release."
    ),
)


def _report_action(kind: ReportKind):
    """The schema of a wave report at ``waves/{id}/<kind.path>/``."""
    return extend_schema(
        summary=str(kind.title),
        description=kind.description + REPORT_NOTES + RESULTS_SCOPE,
        tags=["results"],
        parameters=[
            lookup_parameter("id", "wave"),
            RELEASE_PARAMETER,
            schema.FORMAT_PARAMETER,
            *schema.CONDITIONAL_PARAMETERS,
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                report_serializers()[kind.name],
                description="The report.",
                examples=REPORT_EXAMPLES.get(kind.name, []),
            ),
            (200, "text/csv"): schema.CSV_RESPONSE,
            304: schema.NOT_MODIFIED,
            **schema.error_responses(
                400,
                404,
                409,
                e400="A malformed 'release'.",
                e404="No such wave or release (or an unknown format).",
                e409="The wave has no results yet: not opened (code "
                "'wave_not_opened') or not released yet (code 'no_release').",
            ),
        },
    )


REPORT_EXAMPLES = {
    "heatmap": [schema.HEATMAP_EXAMPLE],
    "concentration": [schema.CONCENTRATION_EXAMPLE],
    "reliability": [schema.RELIABILITY_EXAMPLE],
    "response_rates": [schema.RESPONSE_RATES_EXAMPLE],
    "comments": [schema.COMMENTS_EXAMPLE],
    "commitments": [schema.COMMITMENTS_EXAMPLE],
    "drivers": [schema.DRIVERS_EXAMPLE],
    "themes": [schema.THEMES_EXAMPLE],
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
            OpenApiParameter(
                "survey",
                {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
                description="A survey id.",
            ),
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
        if "phase" in query.validated_data:
            waves = waves.in_phase(query.validated_data["phase"])
        return waves

    # Reports ----------------------------------------------------------------

    def _release(self, request, wave: Wave):
        if not wave.is_frozen:
            raise Conflict(
                _("Wave %(id)d has not been opened yet; it has no results.")
                % {"id": wave.pk},
                code="wave_not_opened",
            )
        query = ReleaseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        sequence = query.validated_data.get("release")
        try:
            return analytics.release_for(wave, sequence)
        except analytics.NoRelease as exc:
            if sequence is not None:
                raise NotFound(str(exc)) from None
            raise Conflict(str(exc), code="no_release") from None

    def _report(self, request, kind: str) -> Response:
        wave = self.get_object()
        release = self._release(request, wave)
        viewer = viewer_of(request)
        fmt = request.accepted_renderer.format
        etag = conditional.wave_report_etag(
            kind, release, viewer=viewer, fmt=fmt, language=translation.get_language()
        )
        return conditional_report(
            request,
            kind=kind,
            etag=etag,
            modified=conditional.released([release]),
            wave_id=wave.pk,
            build=lambda: analytics.report(
                kind, wave, viewer, release=release.sequence
            ),
        )

    @extend_schema(
        summary="Releases of a wave",
        description=(
            "Every publication of the wave's results, oldest first: the final "
            "release made when the wave closed and, for a wave with interim "
            "results, the provisional releases before it. Each report endpoint "
            "takes `?release=<sequence>`."
        )
        + RESULTS_SCOPE,
        tags=["results"],
        parameters=[lookup_parameter("id", "wave")],
        responses={
            200: OpenApiResponse(
                ReleaseSerializer(many=True), description="The wave's releases."
            ),
            **schema.error_responses(404),
        },
    )
    @action(
        detail=True,
        url_path="releases",
        permission_classes=[ResultsRead],
        pagination_class=None,
    )
    def releases(self, request, pk=None) -> Response:
        wave = self.get_object()
        releases = Release.objects.filter(wave=wave).order_by("sequence")
        return Response(
            ReleaseSerializer(releases, many=True, context={"request": request}).data
        )


def _report_view(kind: ReportKind):
    def view(self, request, pk=None) -> Response:
        return self._report(request, kind.name)

    view.__name__ = kind.name
    view.__doc__ = kind.description
    view = action(
        detail=True,
        url_path=kind.path,
        url_name=kind.path,
        permission_classes=[ResultsRead],
        renderer_classes=[JSONRenderer, CSVRenderer],
    )(view)
    return _report_action(kind)(view)


# Every registered report kind is an action of the wave: ``waves/{id}/<path>/``.
for _kind in analytics.KINDS.values():
    setattr(WaveViewSet, _kind.name, _report_view(_kind))
