"""Errors: ``{"errors": [{"field", "code", "message"}]}`` (described for OpenAPI)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The input at fault in dotted form ('token', 'answers.<question id>', "
            "'survey'), or null when the error concerns the whole request."
        ),
    )
    code = serializers.CharField(
        help_text=_(
            "A stable, machine-readable code, e.g. 'missing_scope', "
            "'not_authenticated', 'invalid_token', 'token_expired', "
            "'token_revoked', 'not_found', 'wave_not_opened', 'already_answered', "
            "'unknown_link', 'not_open', 'throttled', 'parse_error', 'required'."
        )
    )
    message = serializers.CharField(help_text=_("A human-readable explanation."))


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True, help_text=_("One item per problem."))
