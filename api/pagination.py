"""Page-number pagination for every list endpoint."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

_DESCRIPTIONS = {
    "count": "Objects on all pages together.",
    "next": "The next page's URL, or null on the last page.",
    "previous": "The previous page's URL, or null on the first page.",
    "results": "This page's objects.",
}


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (default ``PAGE_SIZE``, at most 1000).

    A page beyond the last, or a page number that is not one, is a 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        for name, text in _DESCRIPTIONS.items():
            response["properties"][name] = {
                **response["properties"][name],
                "description": text,
            }
        return response
