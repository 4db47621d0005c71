"""CSV for BI tools: the same flat table as the admin export, without comments."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from rest_framework.renderers import BaseRenderer

from ownership.analytics.exports import write_csv


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Any]]


class CSVRenderer(BaseRenderer):
    """Renders a :class:`Table`: one header line, then the rows (RFC 4180)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        if not isinstance(data, Table):  # pragma: no cover - errors are JSON
            raise TypeError("CSVRenderer renders api.renderers.Table objects.")
        buffer = io.StringIO()
        write_csv(buffer, data.header, data.rows)
        return buffer.getvalue().encode(self.charset)
