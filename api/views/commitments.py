"""Commitments: listed for readers of the organisation or the results,
recorded and updated by tools holding ``commitments:write``."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS

from ownership.models import Department
from surveys.models import Commitment, CommitmentStatus
from surveys.services import commitment_save

from .. import schema
from ..pagination import Pagination
from ..permissions import (
    CommitmentsWrite,
    OrganisationRead,
    department_scope,
)
from ..serializers import CommitmentSerializer
from .base import ID_REGEX, ORGANISATION_SCOPE, ApiMixin, lookup_parameter

WRITE_SCOPE = (
    "\n\n**Scope:** `commitments:write`, for a department inside the token's "
    "departments. Every change is written to the audit log."
)


class CommitmentFilterSerializer(serializers.Serializer):
    department = serializers.CharField(max_length=64, required=False)
    status = serializers.ChoiceField(choices=CommitmentStatus.values, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="List commitments",
        description=(
            "The departments' commitments, latest due date first, with their "
            "progress notes. `?department=<code>` gives that department's and "
            "those of the departments below it; `?status=` one status. A token "
            "limited to departments sees their commitments only."
        )
        + ORGANISATION_SCOPE,
        parameters=[
            OpenApiParameter(
                "department",
                {"type": "string", "minLength": 1, "maxLength": 64},
                description="A department code.",
            ),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=CommitmentStatus.values,
                description="Only commitments with this status.",
            ),
        ],
        responses={
            200: OpenApiResponse(
                CommitmentSerializer(many=True), description="A page of commitments."
            ),
            **schema.error_responses(400, 404, e404="No such page."),
        },
    ),
    retrieve=extend_schema(
        summary="One commitment",
        description="One commitment, by id." + ORGANISATION_SCOPE,
        parameters=[lookup_parameter("id", "commitment")],
        responses={
            200: OpenApiResponse(CommitmentSerializer, description="The commitment."),
            **schema.error_responses(404),
        },
    ),
    create=extend_schema(
        summary="Record a commitment",
        description="Record a department's commitment." + WRITE_SCOPE,
        responses={
            201: OpenApiResponse(CommitmentSerializer, description="Recorded."),
            **schema.error_responses(400),
        },
    ),
    partial_update=extend_schema(
        summary="Update a commitment",
        description=(
            "Change a commitment: its status, due date, wording or translations."
        )
        + WRITE_SCOPE,
        parameters=[lookup_parameter("id", "commitment")],
        responses={
            200: OpenApiResponse(CommitmentSerializer, description="Updated."),
            **schema.error_responses(400, 404),
        },
    ),
)
@extend_schema(tags=["commitments"])
class CommitmentViewSet(
    ApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CommitmentSerializer
    pagination_class = Pagination
    lookup_value_regex = ID_REGEX
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [OrganisationRead()]
        return [CommitmentsWrite()]

    def get_queryset(self):
        scope = department_scope(self.request)
        commitments = (
            Commitment.objects.within(scope)
            .select_related("department")
            .prefetch_related("notes")
            .order_by("-due_on", "-pk")
        )
        if self.action != "list":
            return commitments
        # A plain dict: an empty ?status= is refused, not ignored.
        params = {
            key: self.request.query_params[key]
            for key in ("department", "status")
            if key in self.request.query_params
        }
        query = CommitmentFilterSerializer(data=params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        if "department" in wanted:
            paths = Department.objects.filter(code=wanted["department"]).values_list(
                "path", flat=True
            )
            commitments = commitments.filter(
                department__in=Department.objects.within(paths)
            )
        if "status" in wanted:
            commitments = commitments.filter(status=wanted["status"])
        return commitments

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "scope": department_scope(self.request),
        }

    def _save(self, commitment: Commitment) -> Commitment:
        # A token's requests act as its owner (the user it authenticates).
        return commitment_save(
            commitment=commitment, actor=self.request.user, channel="api"
        )

    def perform_create(self, serializer):
        serializer.instance = self._save(Commitment(**serializer.validated_data))

    def perform_update(self, serializer):
        commitment = serializer.instance
        for field, value in serializer.validated_data.items():
            setattr(commitment, field, value)
        serializer.instance = self._save(commitment)
