"""The question blocks of a survey page.

Every block in the page's StreamField keeps Wagtail's block id across edits and
translations; waves freeze those ids in their snapshot, and answers refer to them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

MIN_ALLOCATION_LOCI = 3
MIN_OWNER_LOCI = 2


def bank_item_choices() -> list[tuple[str, str]]:
    from wagtail.models import Locale

    from .models import BankItem

    items = (
        BankItem.objects.filter(construct__locale=Locale.get_default())
        .select_related("construct")
        .order_by("construct__name", "sort_order")
    )
    return [
        (item.item_id, f"{item.item_id} · {item.construct.name} · {item.text[:70]}")
        for item in items
    ]


def construct_choices() -> list[tuple[str, str]]:
    from wagtail.models import Locale

    from .models import Construct

    constructs = Construct.objects.filter(locale=Locale.get_default())
    return [(c.slug, c.name) for c in constructs]


def locus_choices() -> list[tuple[str, str]]:
    from wagtail.models import Locale

    from ownership.models import Locus

    loci = Locus.objects.filter(locale=Locale.get_default())
    return [(lo.slug, lo.name) for lo in loci]


def _fail(**errors: str) -> None:
    raise StructBlockValidationError(
        block_errors={name: ValidationError(msg) for name, msg in errors.items()}
    )


class QuestionBlock(blocks.StructBlock):
    """Common to every question: the wording and whether an answer is needed."""

    text = blocks.CharBlock(label=_("Question"), max_length=400)
    required = blocks.BooleanBlock(
        label=_("Answer required"),
        required=False,
        help_text=_("Leave unticked so people may skip it (recommended)."),
    )


class LikertBlock(blocks.StructBlock):
    bank_item = blocks.ChoiceBlock(
        choices=bank_item_choices,
        required=False,
        label=_("From the item bank"),
        help_text=_(
            "Pick a validated statement. Its construct, keying and id come from the "
            "bank, so trends survive rewording and translation."
        ),
    )
    text = blocks.CharBlock(
        label=_("Statement"),
        required=False,
        max_length=300,
        help_text=_(
            "Leave empty to use the bank item's wording; write one to ask an item "
            "of your own."
        ),
    )
    construct = blocks.ChoiceBlock(
        choices=construct_choices,
        required=False,
        label=_("Construct"),
        help_text=_("What an item of your own measures (bank items bring theirs)."),
    )
    reverse_keyed = blocks.BooleanBlock(
        required=False,
        label=_("Reverse-keyed"),
        help_text=_(
            "For an item of your own: tick if agreeing means less of the construct."
        ),
    )
    points = blocks.ChoiceBlock(
        choices=[("5", _("5 points")), ("7", _("7 points"))],
        default="5",
        label=_("Scale"),
    )
    labels = blocks.TextBlock(
        required=False,
        label=_("Answer labels"),
        help_text=_(
            "One label per line, from 'disagree' to 'agree'. Leave empty for the "
            "standard agreement labels in each language."
        ),
    )
    required = blocks.BooleanBlock(label=_("Answer required"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Likert item")
        form_classname = "struct-block likert-block"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        bank_item = value.get("bank_item")
        if bank_item:
            if bank_item not in dict(bank_item_choices()):
                errors["bank_item"] = _("This item is no longer in the item bank.")
        else:
            if not value.get("text"):
                errors["text"] = _(
                    "Write the statement, or choose one from the item bank."
                )
            if not value.get("construct"):
                errors["construct"] = _("Choose the construct this item measures.")
        labels = [line.strip() for line in (value.get("labels") or "").splitlines()]
        labels = [label for label in labels if label]
        if labels and len(labels) != int(value.get("points") or 5):
            errors["labels"] = _(
                "Give exactly %(points)s labels, one per line, or none for the "
                "standard ones (you gave %(n)d)."
            ) % {"points": value.get("points"), "n": len(labels)}
        if errors:
            _fail(**errors)
        return value


class RecommendationBlock(QuestionBlock):
    text = blocks.CharBlock(
        label=_("Question"),
        max_length=400,
        default=(
            "How likely is it that you would recommend us to a friend as a customer?"
        ),
    )
    low_label = blocks.CharBlock(
        label=_("Label for 0"), max_length=60, default="Not at all likely"
    )
    high_label = blocks.CharBlock(
        label=_("Label for 10"), max_length=60, default="Extremely likely"
    )

    class Meta:
        icon = "pick"
        label = _("Recommendation (0–10)")


class SingleChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("Choice"), max_length=200),
        label=_("Choices"),
        min_num=2,
        max_num=12,
    )

    class Meta:
        icon = "radio-full"
        label = _("Single choice")

    def clean(self, value):
        value = super().clean(value)
        texts = [str(c).strip().lower() for c in value.get("choices", [])]
        if len(set(texts)) != len(texts):
            _fail(choices=_("Each choice must be different."))
        return value


class _LocusBlock(blocks.MultipleChoiceBlock):
    @cached_property
    def field(self):
        field = super().field
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        return field


class AllocationBlock(QuestionBlock):
    text = blocks.CharBlock(
        label=_("Question"),
        max_length=400,
        default=(
            "When a customer has a problem, who is responsible for solving it? "
            "Spread 100 points over the people and groups below."
        ),
    )
    help = blocks.CharBlock(
        label=_("Hint"),
        max_length=300,
        required=False,
        default="Give more points to those who carry more of the responsibility.",
    )
    loci = _LocusBlock(
        choices=locus_choices,
        label=_("Loci offered"),
        help_text=_("Offer at least 3 places where responsibility can sit."),
    )

    class Meta:
        icon = "table"
        label = _("Responsibility allocation (100 points)")

    def clean(self, value):
        value = super().clean(value)
        if len(value.get("loci") or []) < MIN_ALLOCATION_LOCI:
            _fail(
                loci=_("Offer at least %(n)d loci for the 100 points.")
                % {"n": MIN_ALLOCATION_LOCI}
            )
        return value


class PrimaryOwnerBlock(QuestionBlock):
    text = blocks.CharBlock(
        label=_("Question"),
        max_length=400,
        default=(
            "When a customer is unhappy, who is mainly responsible for putting "
            "it right?"
        ),
    )
    loci = _LocusBlock(choices=locus_choices, label=_("Loci offered"))

    class Meta:
        icon = "user"
        label = _("Primary owner")

    def clean(self, value):
        value = super().clean(value)
        if len(value.get("loci") or []) < MIN_OWNER_LOCI:
            _fail(loci=_("Offer at least %(n)d loci.") % {"n": MIN_OWNER_LOCI})
        return value


class FreeTextBlock(QuestionBlock):
    warning = blocks.CharBlock(
        label=_("Warning shown under the box"),
        max_length=300,
        default=(
            "Please do not write names or anything that identifies you or a colleague."
        ),
    )
    max_length = blocks.IntegerBlock(
        label=_("Maximum length (characters)"),
        default=1000,
        min_value=50,
        max_value=5000,
    )

    class Meta:
        icon = "doc-full"
        label = _("Free text")


class QuestionStreamBlock(blocks.StreamBlock):
    likert = LikertBlock()
    recommendation = RecommendationBlock()
    choice = SingleChoiceBlock()
    allocation = AllocationBlock()
    primary_owner = PrimaryOwnerBlock()
    free_text = FreeTextBlock()

    class Meta:
        block_counts = {"recommendation": {"max_num": 1}}
