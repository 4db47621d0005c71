"""Departments, loci, constructs and surveys: plain reads."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Length, Substr
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets

from ownership.models import Department, Locus
from surveys.models import Construct, SurveyPage

from ..pagination import Pagination
from ..permissions import (
    OrganisationRead,
    department_scope,
)
from ..serializers import (
    ConstructSerializer,
    DepartmentSerializer,
    LocusSerializer,
    SurveySerializer,
)
from .base import (
    ID_REGEX,
    ApiMixin,
    default_locale,
    org_schema,
)


@org_schema(DepartmentSerializer, "department", "departments", "code")
@extend_schema(tags=["organisation"])
class DepartmentViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """The department tree in tree order (parents before children), with no
    employee data. A token limited to departments sees only its subtrees."""

    serializer_class = DepartmentSerializer
    permission_classes = [OrganisationRead]
    pagination_class = Pagination
    lookup_field = "code"
    # No control characters: PostgreSQL text cannot hold NUL, and no code has them.
    lookup_value_regex = r"[^/\x00-\x1f\x7f]{1,64}"

    def get_queryset(self):
        parent = Department.objects.filter(
            path=Substr(
                OuterRef("path"),
                1,
                Length(OuterRef("path")) - Value(Department.steplen),
            )
        ).values("code")[:1]
        departments = Department.objects.annotate(
            parent_department_code=Subquery(parent)
        ).order_by("path")
        scope = department_scope(self.request)
        if not scope.everything:
            departments = departments.within(scope.paths)
        return departments


@org_schema(
    LocusSerializer, "locus of responsibility", "loci of responsibility", "slug"
)
@extend_schema(tags=["organisation"])
class LocusViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """Where responsibility for customers can sit (in the default language)."""

    serializer_class = LocusSerializer
    permission_classes = [OrganisationRead]
    pagination_class = Pagination
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,50}"

    def get_queryset(self):
        return Locus.objects.filter(locale=default_locale()).order_by(
            "sort_order", "slug"
        )


@org_schema(ConstructSerializer, "construct", "constructs", "slug")
@extend_schema(tags=["surveys"])
class ConstructViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """What the Likert questions measure, with citation and item bank (in the
    default language)."""

    serializer_class = ConstructSerializer
    permission_classes = [OrganisationRead]
    pagination_class = Pagination
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,60}"

    def get_queryset(self):
        return (
            Construct.objects.filter(locale=default_locale())
            .prefetch_related("items")
            .order_by("slug")
        )


@org_schema(SurveySerializer, "survey", "surveys", "id")
@extend_schema(tags=["surveys"])
class SurveyViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """Survey pages (each translation is its own page, sharing a translation key)."""

    serializer_class = SurveySerializer
    permission_classes = [OrganisationRead]
    pagination_class = Pagination
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return SurveyPage.objects.select_related("locale").order_by("path")
