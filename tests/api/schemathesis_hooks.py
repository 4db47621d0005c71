"""Hooks of the full schemathesis run (loaded through SCHEMATHESIS_HOOKS):
CSV exports are text, so their responses are validated like any other."""

from __future__ import annotations

import schemathesis


@schemathesis.deserializer("text/csv")
def csv_text(ctx, response):
    return response.content.decode("utf-8")
