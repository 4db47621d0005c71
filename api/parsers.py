"""A JSON parser that answers 400, never 500, to any body."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - nested too deeply.")) from None
        except (UnicodeDecodeError, OverflowError) as exc:
            raise ParseError(_("JSON parse error - %s") % exc) from None
