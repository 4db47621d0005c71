"""Output serializers of the organisation, surveys and waves (read-only)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ownership.analytics import KINDS
from ownership.models import Department, Locus
from surveys.commitments import kept_questions
from surveys.models import BankItem, Construct, Release, SurveyPage, Wave
from surveys.questions import QUESTION_TYPES


class DepartmentSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(
        source="parent_department_code",
        allow_null=True,
        read_only=True,
        help_text=_("The parent department's code; null for a root."),
    )
    depth = serializers.IntegerField(
        read_only=True, help_text=_("Level in the tree; roots have depth 1.")
    )

    class Meta:
        model = Department
        fields = ["code", "name", "parent_code", "is_customer_facing", "depth"]
        extra_kwargs = {"name": {"help_text": _("The department's name.")}}


class LocusSerializer(serializers.ModelSerializer):
    class Meta:
        model = Locus
        fields = ["slug", "name", "kind", "sort_order"]
        extra_kwargs = {"name": {"help_text": _("The locus as respondents see it.")}}


class BankItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = BankItem
        fields = ["item_id", "text", "reverse_keyed"]
        extra_kwargs = {"text": {"help_text": _("The statement respondents rate.")}}


class ConstructSerializer(serializers.ModelSerializer):
    items = BankItemSerializer(
        many=True, read_only=True, help_text=_("The construct's item bank.")
    )

    class Meta:
        model = Construct
        fields = [
            "slug",
            "name",
            "description",
            "citation",
            "favourable_when",
            "items",
        ]
        extra_kwargs = {"name": {"help_text": _("The construct's name.")}}


class SurveySerializer(serializers.ModelSerializer):
    language = serializers.CharField(
        source="locale.language_code",
        read_only=True,
        help_text=_("The language the survey page is written in."),
    )
    live = serializers.BooleanField(
        read_only=True, help_text=_("Whether the page is published.")
    )
    translation_key = serializers.UUIDField(
        read_only=True,
        help_text=_("Shared by a survey page and its translations."),
    )

    class Meta:
        model = SurveyPage
        fields = ["id", "title", "slug", "language", "live", "translation_key"]
        extra_kwargs = {"id": {"help_text": _("The survey's id.")}}


def _report_links() -> type[serializers.Serializer]:
    """Links to a wave's releases and to every registered report kind."""
    fields = {
        "releases": serializers.URLField(help_text="waves/{id}/releases/"),
        **{
            name: serializers.URLField(help_text=f"waves/{{id}}/{kind.path}/")
            for name, kind in KINDS.items()
        },
    }
    return type(
        "ReportLinksSerializer",
        (serializers.Serializer,),
        {
            **fields,
            "__doc__": "Where a wave's reports are (only once the wave has been "
            "opened).",
            "__module__": __name__,
        },
    )


ReportLinksSerializer = _report_links()


class ReleaseSerializer(serializers.ModelSerializer):
    """One publication of a wave's results."""

    provisional = serializers.BooleanField(
        read_only=True,
        help_text=_("True for an interim release made while the wave was open."),
    )
    reports = serializers.SerializerMethodField(
        help_text=_("This release's reports (each report URL with ?release=).")
    )
    respondents = serializers.IntegerField(
        source="respondents_shown",
        read_only=True,
        allow_null=True,
        help_text=_("Responses behind this release's figures; null when fewer than k."),
    )

    class Meta:
        model = Release
        fields = [
            "sequence",
            "final",
            "provisional",
            "created_on",
            "respondents",
            "reports",
        ]
        extra_kwargs = {
            "sequence": {
                "help_text": _("The release's number within the wave: 1, 2, …")
            },
            "final": {
                "help_text": _("True for the release made when the wave closed.")
            },
            "created_on": {"help_text": _("The day the release was made.")},
            "respondents": {"help_text": _("Responses behind this release's figures.")},
        }

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_reports(self, instance: Release) -> dict[str, str]:
        request = self.context.get("request")
        links = {}
        for name, kind in KINDS.items():
            url = reverse(f"api:wave-{kind.path}", args=[instance.wave_id])
            url = f"{url}?release={instance.sequence}"
            links[name] = request.build_absolute_uri(url) if request else url
        return links


class WaveSerializer(serializers.ModelSerializer):
    survey = serializers.IntegerField(
        source="survey_id", read_only=True, help_text=_("The survey's id.")
    )
    survey_title = serializers.CharField(
        source="survey.title", read_only=True, help_text=_("The survey's title.")
    )
    phase = serializers.ChoiceField(
        choices=["draft", "scheduled", "open", "closed"],
        read_only=True,
        help_text=_(
            "draft: not opened yet (no reports); scheduled: opened, answers "
            "accepted from opens_at; open; closed."
        ),
    )
    min_group_size = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "k: results describing fewer respondents than this are suppressed."
        ),
    )
    audience = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_("Codes of the departments invited, each with everything below it."),
    )
    reports = serializers.SerializerMethodField(
        help_text=_("Links to the wave's reports; null while the wave is a draft.")
    )

    class Meta:
        model = Wave
        fields = [
            "id",
            "survey",
            "survey_title",
            "label",
            "phase",
            "opens_at",
            "closes_at",
            "min_group_size",
            "interim_results",
            "audience",
            "reports",
        ]
        extra_kwargs = {
            "id": {"help_text": _("The wave's id.")},
            "opens_at": {"help_text": _("When answers are first accepted.")},
            "closes_at": {"help_text": _("When answers are no longer accepted.")},
            "interim_results": {
                "help_text": _(
                    "False: results are released once, after the wave closes. "
                    "True: provisional interim releases are made while it runs."
                ),
                "read_only": True,
            },
        }

    @staticmethod
    def _absolute(request, url: str) -> str:
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(ReportLinksSerializer(allow_null=True))
    def get_reports(self, instance: Wave) -> dict[str, str] | None:
        if not instance.is_frozen:
            return None
        request = self.context.get("request")
        links = {
            "releases": self._absolute(
                request, reverse("api:wave-releases", args=[instance.pk])
            )
        }
        for name, kind in KINDS.items():
            url = reverse(f"api:wave-{kind.path}", args=[instance.pk])
            links[name] = self._absolute(request, url)
        return links


class QuestionSerializer(serializers.Serializer):
    """One frozen question. Texts are objects keyed by language code."""

    id = serializers.CharField(
        help_text=_("The question id: the key to use in a response's 'answers'.")
    )
    type = serializers.ChoiceField(
        choices=list(QUESTION_TYPES),
        help_text=_(
            "likert: a whole number 1..points; recommendation: 0..10; choice: the "
            "index of one of 'choices'; allocation: an object of locus slug to "
            "points adding up to 'total'; primary_owner: one locus slug; "
            "free_text: a string of at most 'max_length' characters; "
            "commitment_kept: 1 (not kept at all) to 5 (fully kept), or 0 for "
            "don't know."
        ),
    )
    required = serializers.BooleanField(
        help_text=_("Whether a response must answer it.")
    )
    text = serializers.DictField(
        child=serializers.CharField(), help_text=_("The question, by language.")
    )
    points = serializers.IntegerField(
        required=False, help_text=_("likert: scale points (5 or 7).")
    )
    construct = serializers.CharField(
        required=False, help_text=_("likert: the construct's slug.")
    )
    item = serializers.CharField(required=False, help_text=_("likert: the item id."))
    reverse_keyed = serializers.BooleanField(
        required=False, help_text=_("likert: agreeing means less of the construct.")
    )
    labels = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("likert: the scale labels, by language."),
    )
    choices = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(), allow_null=True),
        required=False,
        help_text=_("choice: the answers offered, by language."),
    )
    loci = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("allocation and primary_owner: the locus slugs offered."),
    )
    total = serializers.IntegerField(
        required=False, help_text=_("allocation: the points to distribute.")
    )
    max_length = serializers.IntegerField(
        required=False, help_text=_("free_text: the longest answer accepted.")
    )
    commitment = serializers.IntegerField(
        required=False,
        help_text=_("commitment_kept: the id of the commitment it asks about."),
    )


class WaveDetailSerializer(WaveSerializer):
    previous_wave = serializers.SerializerMethodField(
        help_text=_(
            "The id of the survey's wave before this one (heatmap changes "
            "compare with it), or null."
        )
    )
    languages = serializers.SerializerMethodField(
        help_text=_("Languages the wave can be answered in; empty for a draft.")
    )
    questions = serializers.SerializerMethodField(
        help_text=_(
            "The frozen questions, as 'POST responses/' expects answers to them; "
            "empty for a draft."
        )
    )

    commitment_questions = serializers.SerializerMethodField(
        help_text=_(
            "By department code: the questions 'Has this commitment been "
            "kept?' its respondents answer after 'questions' (ids kept-1 .. "
            "kept-3), about the commitments of the department and those above "
            "it that fell due since the previous wave. Departments not listed "
            "have none."
        )
    )

    class Meta(WaveSerializer.Meta):
        fields = [
            *WaveSerializer.Meta.fields,
            "previous_wave",
            "languages",
            "questions",
            "commitment_questions",
        ]

    def get_previous_wave(self, instance: Wave) -> int | None:
        if not instance.is_frozen:
            return None
        previous = instance.previous_wave()
        return previous.pk if previous else None

    def get_languages(self, instance: Wave) -> list[str]:
        return list((instance.snapshot or {}).get("languages", []))

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, instance: Wave) -> list[dict[str, Any]]:
        return list((instance.snapshot or {}).get("questions", []))

    @extend_schema_field(serializers.DictField(child=QuestionSerializer(many=True)))
    def get_commitment_questions(self, instance: Wave) -> dict[str, list]:
        snapshot = instance.snapshot or {}
        out = {}
        for entry in instance.tree or []:
            asked = kept_questions(snapshot, entry["id"])
            if asked:
                out[entry["code"]] = asked
        return out
