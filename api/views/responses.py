"""``POST responses/``: one response, through ``response_submit``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status, viewsets
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response

from surveys.services import AlreadyAnswered, SubmissionRefused, response_submit
from surveys.validation import AnswerErrors

from .. import schema
from ..exceptions import Conflict
from ..permissions import ResponsesWrite
from ..serializers import (
    ResponseSubmitSerializer,
    SubmissionSerializer,
)
from ..throttling import (
    ResponseSubmitThrottle,
    TokenRateThrottle,
)
from .base import (
    RESPONSES_SCOPE,
    ApiMixin,
)


@extend_schema(tags=["responses"])
class ResponseViewSet(ApiMixin, viewsets.ViewSet):
    permission_classes = [ResponsesWrite]
    throttle_classes = [TokenRateThrottle, ResponseSubmitThrottle]

    @extend_schema(
        summary="Submit a response",
        description=(
            "Stores one respondent's answers with their invitation token, "
            "through the same service and validation as the survey form, "
            "exactly once per invitation. The answer says only 'stored': "
            "nothing that could link the response to the invitation."
        )
        + RESPONSES_SCOPE,
        request=ResponseSubmitSerializer,
        responses={
            201: OpenApiResponse(
                SubmissionSerializer,
                description="Stored.",
                examples=[schema.RESPONSE_STORED_EXAMPLE],
            ),
            400: OpenApiResponse(
                schema.ErrorSerializer,
                description=(
                    "Invalid body or answers. Fields: 'token' (codes "
                    "'unknown_link' for an unknown token, 'not_open' when the "
                    "wave is not open), 'answers' or 'answers.<question id>' "
                    "(code 'invalid_answer'), 'language'."
                ),
                examples=[schema.RESPONSE_400_EXAMPLE, schema.RESPONSE_TOKEN_EXAMPLE],
            ),
            409: OpenApiResponse(
                schema.ErrorSerializer,
                description=(
                    "This invitation was already used (code 'already_answered')."
                ),
                examples=[schema.RESPONSE_409_EXAMPLE],
            ),
            **schema.error_responses(415),
        },
        examples=[schema.RESPONSE_REQUEST_EXAMPLE],
    )
    def create(self, request) -> Response:
        body = ResponseSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            response_submit(**body.validated_data)
        except AnswerErrors as exc:
            raise ValidationError(_answer_errors(exc.errors)) from None
        except AlreadyAnswered as exc:
            raise Conflict({"token": [ErrorDetail(str(exc), code=exc.code)]}) from None
        except SubmissionRefused as exc:
            raise ValidationError(
                {"token": [ErrorDetail(str(exc), code=exc.code)]}
            ) from None
        return Response({"status": "stored"}, status=status.HTTP_201_CREATED)


def _answer_errors(errors: dict[str, str]) -> dict[str, Any]:
    return {
        "answers" if key == "answers" else f"answers.{key}": [
            ErrorDetail(message, code="invalid_answer")
        ]
        for key, message in errors.items()
    }
