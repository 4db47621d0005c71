"""``/api/v1/``: the router's endpoints, the OpenAPI schema and its docs."""

from __future__ import annotations

from django.urls import path, re_path, reverse
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from . import views
from .exceptions import NotFoundView
from .views import ApiMixin

app_name = "api"


class ApiRootView(APIRootView):
    """The API's entry point: its endpoints, the schema and the docs."""

    permission_classes = [AllowAny]
    renderer_classes = ApiMixin.renderer_classes
    throttle_classes = ApiMixin.throttle_classes

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = dict(response.data)
        for name in ("schema", "docs"):
            data[name] = request.build_absolute_uri(reverse(f"api:{name}"))
        return Response(data)


class Router(DefaultRouter):
    APIRootView = ApiRootView
    include_format_suffixes = False  # ?format=csv instead of .csv paths


router = Router()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("loci", views.LocusViewSet, basename="locus")
router.register("constructs", views.ConstructViewSet, basename="construct")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("waves", views.WaveViewSet, basename="wave")
router.register("trends", views.TrendsViewSet, basename="trends")
router.register("responses", views.ResponseViewSet, basename="response")
router.register("commitments", views.CommitmentViewSet, basename="commitment")

# The schema and the docs are public: they describe the API, not the data.
served = {"throttle_classes": ApiMixin.throttle_classes}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**served), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema", **served),
        name="docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api:schema", **served),
        name="redoc",
    ),
    *router.urls,
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    # [\s\S], not ".": a path holding a line break (%0A) is no endpoint either.
    re_path(r"^[\s\S]*$", NotFoundView.as_view(), name="not-found"),
]
