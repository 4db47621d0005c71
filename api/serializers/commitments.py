"""Commitments: what a department promised after a wave, and how it goes."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ownership.models import Department
from surveys.models import Commitment, CommitmentStatus, Construct, Wave

LANGUAGES = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


class CommitmentNoteSerializer(serializers.Serializer):
    written_on = serializers.DateField(read_only=True)
    text = serializers.CharField(read_only=True)


class CommitmentSerializer(serializers.ModelSerializer):
    """A commitment. Writing one needs the scope ``commitments:write`` and a
    department inside the token's departments."""

    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        help_text=_("The code of the department that commits."),
    )
    wave = serializers.PrimaryKeyRelatedField(
        queryset=Wave.objects.filter(frozen_at__isnull=False),
        allow_null=True,
        required=False,
        help_text=_("The id of the wave whose results it answers."),
    )
    statement = serializers.CharField(
        max_length=300, help_text=_("The commitment, in 'language'.")
    )
    language = serializers.ChoiceField(
        choices=LANGUAGES,
        required=False,
        help_text=_("The language 'statement' is written in."),
    )
    translations = serializers.DictField(
        child=serializers.CharField(max_length=300),
        required=False,
        help_text=_("The commitment in other languages, by language code."),
    )
    construct = serializers.SlugField(
        max_length=60,
        allow_blank=True,
        required=False,
        help_text=_("The slug of the theme it answers, or empty."),
    )
    status = serializers.ChoiceField(
        choices=CommitmentStatus.values,
        required=False,
        help_text=_("planned, in_progress, done or dropped."),
    )
    notes = CommitmentNoteSerializer(
        many=True, read_only=True, help_text=_("Progress notes, oldest first.")
    )

    class Meta:
        model = Commitment
        fields = [
            "id",
            "department",
            "wave",
            "statement",
            "language",
            "translations",
            "construct",
            "due_on",
            "status",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = self.context.get("scope")
        if scope is not None and not scope.everything:
            # A department outside the token's is as unknown as one that
            # does not exist.
            field = self.fields["department"]
            field.queryset = field.queryset.within(scope.paths)

    def validate_translations(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            raise serializers.ValidationError(
                _("Not a language of this site: %(codes)s.")
                % {"codes": ", ".join(unknown)},
                code="invalid_language",
            )
        return {code: text.strip() for code, text in value.items() if text.strip()}

    def validate_construct(self, value: str) -> str:
        if value and not Construct.objects.filter(slug=value).exists():
            raise serializers.ValidationError(
                _("No theme has this slug."), code="does_not_exist"
            )
        return value
