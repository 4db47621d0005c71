"""Page-number pagination for every list endpoint."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

_DESCRIPTIONS = {
    "count": "Objects on all pages together.",
    "next": "The next page's URL, or null on the last page.",
    "previous": "The previous page's URL, or null on the first page.",
    "results": "This page's objects.",
}


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (default ``PAGE_SIZE``, at most 1000).

    A page beyond the last, or a page number that is not one (empty
    included), is a 404; a
    ``page_size`` that is not a whole number from 1 is a 400 (DRF would
    quietly use the default), and one above 1000 gives pages of 1000.
    """

    page_size_query_param = "page_size"
    last_page_strings = ()  # the schema promises an integer, so "last" is not one
    max_page_size = 1000

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number of 1 or more is required.")
                    ]
                }
            )
        return super().get_page_size(request)

    def get_page_number(self, request, paginator):
        # DRF reads an empty ``?page=`` as page 1; it is not a page number.
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit()):
            raise NotFound(
                self.invalid_page_message.format(
                    page_number=raw, message=_("That page number is not a number.")
                )
            )
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            # What get_page and get_page_size accept, and nothing else.
            parameter["schema"] = {**parameter["schema"], "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Objects per page, 1 or more (default {self.page_size}; "
                    f"more than {self.max_page_size} gives {self.max_page_size})."
                )
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        for name, text in _DESCRIPTIONS.items():
            response["properties"][name] = {
                **response["properties"][name],
                "description": text,
            }
        return response
