"""Input serializers: request bodies and query parameters."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, NotFound

from surveys.models import SurveyPage, WavePhase


class ResponseSubmitSerializer(serializers.Serializer):
    """``POST responses/``: one respondent's answers."""

    token = serializers.CharField(
        max_length=100,
        trim_whitespace=True,
        help_text=_("The invitation token from the respondent's survey link."),
    )
    answers = serializers.DictField(
        child=serializers.JSONField(),
        allow_empty=True,
        help_text=_(
            "Question id to answer (see the wave's 'questions'). Leave skipped "
            "questions out."
        ),
    )
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        allow_null=True,
        help_text=_(
            "The language the respondent answered in; defaults to their "
            "preferred language."
        ),
    )

    def validate_answers(self, answers: dict[str, Any]) -> dict[str, Any]:
        # Lone surrogates cannot be stored (nor even echoed in an error).
        for key, value in answers.items():
            if _has_surrogate(key) or _has_surrogate(value):
                raise serializers.ValidationError(
                    _("Text must be valid Unicode (no lone surrogates)."),
                    code="invalid_unicode",
                )
        return answers


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class SubmissionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["stored"],
        help_text=_(
            "Always 'stored'. No id is returned: nothing may link a response to "
            "the invitation it came from."
        ),
    )


class ReleaseQuerySerializer(serializers.Serializer):
    release = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=32767,
        help_text=_("The release's number within the wave; default: the latest."),
    )


class TrendsQuerySerializer(serializers.Serializer):
    survey = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("The survey's id (see surveys/)."),
    )
    construct = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text=_(
            "Only this column: a construct slug, 'nps' or 'response_rate'. "
            "Default: all columns."
        ),
    )

    def validate_survey(self, value: int) -> SurveyPage:
        survey = SurveyPage.objects.filter(pk=value).first()
        if survey is None:
            # A well-formed id that names no survey: the resource the report
            # is about does not exist (404), as for an unknown wave id.
            raise NotFound(
                {
                    "survey": [
                        ErrorDetail(
                            _("There is no survey with id %(id)d.") % {"id": value},
                            code="does_not_exist",
                        )
                    ]
                }
            )
        return survey


class WaveFilterSerializer(serializers.Serializer):
    survey = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    phase = serializers.ChoiceField(required=False, choices=WavePhase.values)
