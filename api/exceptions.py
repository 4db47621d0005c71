"""Every API error as ``{"errors": [{"field": ..., "code": ..., "message": ...}]}``.

``field`` names the input at fault in dotted form (``token``,
``answers.<question id>``, ``survey``), or is ``null`` for errors about the
request as a whole. ``code`` is stable and meant for programs; ``message``
is for people and may be translated.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer
from rest_framework.serializers import as_serializer_error
from rest_framework.views import APIView, exception_handler

# Keys DRF uses for errors that belong to no single field.
_WHOLE_REQUEST = {"non_field_errors", "detail"}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


def error_items(detail: Any, field: str | None = None) -> Iterator[dict[str, Any]]:
    """Flatten DRF's nested error details into ``{field, code, message}`` items."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in _WHOLE_REQUEST:
                name = field
            else:
                name = f"{field}.{key}" if field else str(key)
            yield from error_items(value, name)
    elif isinstance(detail, list):
        for value in detail:
            yield from error_items(value, field)
    else:
        yield {
            "field": field,
            "code": getattr(detail, "code", None) or "invalid",
            "message": str(detail),
        }


def errors_body(detail: Any) -> dict[str, list[dict[str, Any]]]:
    return {"errors": list(error_items(detail))}


API_PATH = "/api/v1/"


def api_exception_handler(exc: Exception, context: dict[str, Any]):
    """DRF's handler, then our error format (``EXCEPTION_HANDLER``).

    Only for this API: other DRF views in the project (Wagtail's admin API)
    keep DRF's own format, which their JavaScript expects.
    """
    request = context.get("request")
    if request is None or not request.path_info.startswith(API_PATH):
        return exception_handler(exc, context)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    if isinstance(detail, str) and not isinstance(detail, ErrorDetail):
        detail = ErrorDetail(detail, code=getattr(exc, "default_code", "error"))
    response.data = errors_body(detail)
    if getattr(request, "accepted_renderer", None) is not None:
        # A CSV request that fails still gets its error as JSON.
        if request.accepted_renderer.format != "json":
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
    return response


class NotFoundView(APIView):
    """Anything under ``/api/v1/`` that is no endpoint: a JSON 404."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []
    renderer_classes = [JSONRenderer]
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        message = _("There is no such endpoint. See /api/v1/docs/ for the list.")
        if _resolves_with_slash(request.path):
            message = _(
                "There is no such endpoint. API paths end with a slash: try %(path)s"
            ) % {"path": request.path + "/"}
        raise exceptions.NotFound(message, code="unknown_endpoint")


def _resolves_with_slash(path: str) -> bool:
    if path.endswith("/"):
        return False
    try:
        match = resolve(path + "/")
    except Resolver404:
        return False
    return getattr(match.func, "view_class", None) is not NotFoundView
